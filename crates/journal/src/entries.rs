//! Readings and events in the `entries` table: add (idempotent for device readings), list,
//! edit, delete as a tombstone, undo of the last delete, and the version history.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params, params_from_iter};

use readings::{Content, Flag, Kind, Source, plausibility};

use crate::audit;
use crate::columns::Columns;
use crate::error::{Error, Result};
use crate::model::{
    AddOutcome, Change, DeviceId, Entry, EntryEdit, EntryId, Filter, NewEntry, PersonId, Version,
};
use crate::snapshot::Snapshot;

const SELECT: &str = "SELECT id, uid, person_id, kind, value, unit, systolic, diastolic, \
    mean_arterial, pulse, text, meal, note, time_local, time_quality, device_time, source, \
    device_id, sequence_number, flags, version, deleted_utc_ms, method, origin FROM entries";

pub(crate) fn parse_time(text: &str) -> Result<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text)
        .map_err(|_| Error::Invalid("a time is not in RFC 3339 form with its UTC offset".into()))
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Result<Entry>> {
    let kind: String = row.get(3)?;
    let columns = Columns {
        value: row.get(4)?,
        unit: row.get(5)?,
        systolic: row.get(6)?,
        diastolic: row.get(7)?,
        mean_arterial: row.get(8)?,
        pulse: row.get(9)?,
        text: row.get(10)?,
        meal: row.get(11)?,
        method: row.get(22)?,
    };
    let time: String = row.get(13)?;
    let quality: String = row.get(14)?;
    let source: String = row.get(16)?;
    let flags: String = row.get(19)?;
    let id: i64 = row.get(0)?;
    let uid: String = row.get(1)?;
    let person: i64 = row.get(2)?;
    let note: Option<String> = row.get(12)?;
    let device_time: Option<String> = row.get(15)?;
    let device: Option<i64> = row.get(17)?;
    let sequence_number: Option<i64> = row.get(18)?;
    let version: i64 = row.get(20)?;
    let deleted: Option<i64> = row.get(21)?;
    let origin: Option<String> = row.get(23)?;
    Ok((|| {
        let kind: Kind = kind.parse()?;
        Ok(Entry {
            id: EntryId(id),
            uid,
            person: PersonId(person),
            content: columns.to_content(kind)?,
            at: parse_time(&time)?,
            time_quality: quality.parse()?,
            device_time,
            source: source.parse()?,
            device: device.map(DeviceId),
            sequence_number,
            note,
            flags: Flag::split(&flags)?,
            version,
            deleted: deleted.is_some(),
            origin,
        })
    })())
}

/// Reads one entry, deleted or not.
pub(crate) fn get(conn: &Connection, id: EntryId) -> Result<Entry> {
    conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id.0], from_row)
        .optional()?
        .ok_or(Error::NotFound {
            what: "entry",
            id: id.0,
        })?
}

/// The key that makes a device reading unique: its sequence number, else its device time and
/// values.
fn dedup_key(entry: &NewEntry, columns: &Columns) -> Option<String> {
    entry.device?;
    if let Some(seq) = entry.sequence_number {
        return Some(format!("seq:{seq}"));
    }
    let time = entry
        .device_time
        .clone()
        .unwrap_or_else(|| entry.at.to_rfc3339());
    Some(format!(
        "time:{time}|{}|{}|{}|{}|{}|{}",
        entry.content.kind().as_str(),
        columns.value.as_deref().unwrap_or(""),
        columns.unit.as_deref().unwrap_or(""),
        columns.systolic.as_deref().unwrap_or(""),
        columns.diastolic.as_deref().unwrap_or(""),
        columns.pulse.as_deref().unwrap_or(""),
    ))
}

/// How far ahead of this device's clock a typed time may be before it is questioned (a
/// wall clock and a phone disagree by a minute or two).
const FUTURE_SLACK_MINUTES: i64 = 5;

/// Why a time a person typed is unusual: later than now, or before 1900 (a slip of the year
/// that would make a reading the newest in the journal, or bury it).
fn time_concern(at: &DateTime<FixedOffset>) -> Option<&'static str> {
    use chrono::Datelike;
    if at.with_timezone(&Utc) > Utc::now() + chrono::Duration::minutes(FUTURE_SLACK_MINUTES) {
        Some("the date and time are in the future")
    } else if at.year() < 1900 {
        Some("the date is before 1900")
    } else {
        None
    }
}

/// Applies the plausibility rules (and, for a time a person typed, the time's); returns the
/// flags to store.
fn vet(
    content: &Content,
    typed_time: Option<&DateTime<FixedOffset>>,
    source: Source,
    confirmed: bool,
    mut flags: BTreeSet<Flag>,
) -> Result<BTreeSet<Flag>> {
    let mut concerns = plausibility::check(content)?;
    concerns.extend(typed_time.and_then(time_concern));
    if !concerns.is_empty() {
        if source == Source::Manual && !confirmed {
            return Err(Error::Implausible(concerns.join("; ")));
        }
        flags.insert(Flag::Implausible);
    }
    Ok(flags)
}

/// An entry whose content passed every check, ready to store.
pub(crate) struct Vetted<'a> {
    entry: &'a NewEntry,
    flags: BTreeSet<Flag>,
}

/// Checks what an entry says (a possible value, a known unit, a confirmation where one is
/// needed) before anything is written; every error here refuses the entry, not the journal.
pub(crate) fn check(entry: &NewEntry) -> Result<Vetted<'_>> {
    let typed_time = (entry.source == Source::Manual).then_some(&entry.at);
    let flags = vet(
        &entry.content,
        typed_time,
        entry.source,
        entry.confirm_implausible,
        entry.flags.clone(),
    )?;
    Ok(Vetted { entry, flags })
}

/// Whether a stored reading may raise an alert: a new one may; one imported from a file is
/// history, not news.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum News {
    /// Measured or typed in now.
    Fresh,
    /// Brought in from a file.
    History,
}

/// Adds an entry in its own transaction.
pub(crate) fn add(tx: &Transaction<'_>, entry: &NewEntry, news: News) -> Result<AddOutcome> {
    store(tx, check(entry)?, news)
}

/// Stores a checked entry, unless the same device reading is already there.
pub(crate) fn store(tx: &Transaction<'_>, vetted: Vetted<'_>, news: News) -> Result<AddOutcome> {
    let Vetted { entry, flags } = vetted;
    let columns = Columns::from_content(&entry.content);
    if let Some(uid) = &entry.uid
        && let Some(id) = tx
            .prepare_cached("SELECT id FROM entries WHERE uid = ?1")?
            .query_row([uid], |r| r.get(0))
            .optional()?
    {
        return Ok(AddOutcome::AlreadyPresent(EntryId(id)));
    }
    let dedup = dedup_key(entry, &columns);
    if let (Some(device), Some(key)) = (entry.device, &dedup)
        && let Some(id) = tx
            .prepare_cached("SELECT id FROM entries WHERE device_id = ?1 AND dedup_key = ?2")?
            .query_row(params![device.0, key], |r| r.get(0))
            .optional()?
    {
        return Ok(AddOutcome::AlreadyPresent(EntryId(id)));
    }
    let person = entry.person.unwrap_or(PersonId(1));
    let uid = match &entry.uid {
        Some(uid) => uid.clone(),
        None => uuid::Uuid::now_v7().to_string(),
    };
    let now = crate::now_ms();
    let utc_ms = entry.at.timestamp_millis();
    let offset_min = entry.at.offset().local_minus_utc() / 60;
    tx.prepare_cached(
        "INSERT INTO entries (uid, person_id, kind, value, unit, systolic, diastolic, mean_arterial, \
         pulse, text, meal, note, time_local, utc_ms, offset_min, time_quality, device_time, source, \
         device_id, sequence_number, dedup_key, flags, version, created_utc_ms, updated_utc_ms, \
         method, origin) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
         ?19, ?20, ?21, ?22, 1, ?23, ?23, ?24, ?25)",
    )?
    .execute(params![
            uid,
            person.0,
            entry.content.kind().as_str(),
            columns.value,
            columns.unit,
            columns.systolic,
            columns.diastolic,
            columns.mean_arterial,
            columns.pulse,
            columns.text,
            columns.meal,
            entry.note,
            entry.at.to_rfc3339(),
            utc_ms,
            offset_min,
            entry.time_quality.as_str(),
            entry.device_time,
            entry.source.as_str(),
            entry.device.map(|d| d.0),
            entry.sequence_number,
            dedup,
            Flag::join(&flags),
            now,
            columns.method,
            entry.origin,
        ])?;
    let id = EntryId(tx.last_insert_rowid());
    if let (Some(device), Some(seq)) = (entry.device, entry.sequence_number) {
        tx.prepare_cached(
            "UPDATE devices SET last_sequence = max(coalesce(last_sequence, ?2), ?2) WHERE id = ?1",
        )?
        .execute(params![device.0, seq])?;
    }
    snapshot(tx, id, Change::Create, now)?;
    crate::sharing::outbox::on_change(tx, id)?;
    if news == News::Fresh {
        crate::alerts::raise(tx, id, entry, &flags)?;
    }
    audit::record(
        tx,
        &format!("add {}", entry.content.kind().as_str()),
        Some(id.0),
    )?;
    Ok(AddOutcome::Added(id))
}

/// Writes the entry's current state as a new version row.
fn snapshot(conn: &Connection, id: EntryId, change: Change, now: i64) -> Result<()> {
    let entry = get(conn, id)?;
    let json = Snapshot::encode(conn, &entry)?;
    conn.prepare_cached(
        "INSERT INTO entry_versions (entry_id, version, change, changed_utc_ms, snapshot) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id.0, entry.version, change.as_str(), now, json])?;
    Ok(())
}

/// Lists entries, oldest first unless the filter asks for newest first.
pub(crate) fn list(conn: &Connection, filter: &Filter) -> Result<Vec<Entry>> {
    let mut sql = format!("{SELECT} WHERE 1 = 1");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if !filter.include_deleted {
        sql.push_str(" AND deleted_utc_ms IS NULL");
    }
    if !filter.kinds.is_empty() {
        sql.push_str(" AND kind IN (");
        for (i, k) in filter.kinds.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('?');
            args.push(k.as_str().to_owned().into());
        }
        sql.push(')');
    }
    if let Some(from) = filter.from {
        sql.push_str(" AND utc_ms >= ?");
        args.push(from.timestamp_millis().into());
    }
    if let Some(to) = filter.to {
        sql.push_str(" AND utc_ms < ?");
        args.push(to.timestamp_millis().into());
    }
    if let Some(person) = filter.person {
        sql.push_str(" AND person_id = ?");
        args.push(person.0.into());
    }
    if let Some(EntryId(after)) = filter.after {
        // Keyset paging on (time, id): entries sharing a millisecond are neither skipped nor
        // repeated across pages.
        sql.push_str(if filter.newest_first {
            " AND (utc_ms, id) < (SELECT utc_ms, id FROM entries WHERE id = ?)"
        } else {
            " AND (utc_ms, id) > (SELECT utc_ms, id FROM entries WHERE id = ?)"
        });
        args.push(after.into());
    }
    sql.push_str(if filter.newest_first {
        " ORDER BY utc_ms DESC, id DESC"
    } else {
        " ORDER BY utc_ms, id"
    });
    if let Some(limit) = filter.limit {
        sql.push_str(" LIMIT ?");
        args.push(i64::from(limit).into());
    }
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(params_from_iter(args), from_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row??);
    }
    Ok(out)
}

/// Applies an edit, keeping the previous version in the history.
pub(crate) fn edit(tx: &Transaction<'_>, id: EntryId, change: &EntryEdit) -> Result<Entry> {
    let current = get(tx, id)?;
    if current.deleted {
        return Err(Error::Invalid(format!(
            "entry {id} is deleted; undo the delete before editing it"
        )));
    }
    let content = change.content.clone().unwrap_or(current.content.clone());
    if content.kind() != current.content.kind() {
        return Err(Error::Invalid(format!(
            "entry {id} is a {} entry; it cannot become {}",
            current.content.kind().as_str(),
            content.kind().as_str()
        )));
    }
    let mut flags = current.flags.clone();
    flags.remove(&Flag::Implausible);
    // An edited value or time is a person's statement, so it needs confirmation like a manual
    // entry.
    let flags = if change.content.is_some() || change.at.is_some() {
        vet(
            &content,
            change.at.as_ref(),
            Source::Manual,
            change.confirm_implausible,
            flags,
        )?
    } else {
        current.flags.clone()
    };
    let at = change.at.unwrap_or(current.at);
    let note = change.note.clone().unwrap_or(current.note.clone());
    let person = change.person.unwrap_or(current.person);
    let columns = Columns::from_content(&content);
    let now = crate::now_ms();
    tx.execute(
        "UPDATE entries SET person_id = ?2, value = ?3, unit = ?4, systolic = ?5, diastolic = ?6, \
         mean_arterial = ?7, pulse = ?8, text = ?9, meal = ?10, note = ?11, time_local = ?12, \
         utc_ms = ?13, offset_min = ?14, flags = ?15, version = version + 1, updated_utc_ms = ?16, \
         method = ?17 WHERE id = ?1",
        params![
            id.0,
            person.0,
            columns.value,
            columns.unit,
            columns.systolic,
            columns.diastolic,
            columns.mean_arterial,
            columns.pulse,
            columns.text,
            columns.meal,
            note,
            at.to_rfc3339(),
            at.timestamp_millis(),
            at.offset().local_minus_utc() / 60,
            Flag::join(&flags),
            now,
            columns.method,
        ],
    )?;
    snapshot(tx, id, Change::Edit, now)?;
    crate::sharing::outbox::on_change(tx, id)?;
    audit::record(tx, "edit", Some(id.0))?;
    get(tx, id)
}

/// Marks an entry deleted; its history stays and the delete can be undone.
pub(crate) fn delete(tx: &Transaction<'_>, id: EntryId) -> Result<()> {
    let current = get(tx, id)?;
    if current.deleted {
        return Err(Error::Invalid(format!("entry {id} is already deleted")));
    }
    let now = crate::now_ms();
    tx.execute(
        "UPDATE entries SET deleted_utc_ms = ?2, version = version + 1, updated_utc_ms = ?2 WHERE id = ?1",
        params![id.0, now],
    )?;
    snapshot(tx, id, Change::Delete, now)?;
    crate::sharing::outbox::on_change(tx, id)?;
    audit::record(tx, "delete", Some(id.0))?;
    Ok(())
}

/// Brings back the most recently deleted entry that is still deleted.
pub(crate) fn undo_delete(tx: &Transaction<'_>) -> Result<EntryId> {
    let id: i64 = tx
        .query_row(
            "SELECT id FROM entries WHERE deleted_utc_ms IS NOT NULL \
             ORDER BY deleted_utc_ms DESC, updated_utc_ms DESC, id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::NothingToUndo)?;
    let now = crate::now_ms();
    tx.execute(
        "UPDATE entries SET deleted_utc_ms = NULL, version = version + 1, updated_utc_ms = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    snapshot(tx, EntryId(id), Change::Restore, now)?;
    crate::sharing::outbox::on_change(tx, EntryId(id))?;
    audit::record(tx, "undo delete", Some(id))?;
    Ok(EntryId(id))
}

/// Every version of an entry, oldest first.
pub(crate) fn history(conn: &Connection, id: EntryId) -> Result<Vec<Version>> {
    let current = get(conn, id)?;
    let mut st = conn.prepare(
        "SELECT version, change, changed_utc_ms, snapshot FROM entry_versions WHERE entry_id = ?1 ORDER BY version",
    )?;
    let rows = st.query_map([id.0], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (version, change, at, json) = row?;
        let mut entry = Snapshot::decode(&json)?.to_entry(conn, &current)?;
        entry.version = version;
        let change = Change::from_text(&change).ok_or(Error::JournalDamaged)?;
        entry.deleted = change == Change::Delete;
        out.push(Version {
            version,
            change,
            changed_at: Utc
                .timestamp_millis_opt(at)
                .single()
                .ok_or(Error::JournalDamaged)?,
            entry,
        });
    }
    Ok(out)
}
