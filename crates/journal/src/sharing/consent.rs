//! Recipients, their grants and the consent log in the `share_recipients`, `share_grants` and
//! `share_consent_log` tables. Every change to what is shared is written to the log in the
//! same transaction as the change itself.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use readings::Kind;
use rusqlite::{Connection, OptionalExtension, Row, params};
use zeroize::Zeroizing;

use super::{
    ConsentChange, Grant, GrantState, GrantTerms, NewRecipient, Recipient, RecipientId, SignIn,
};
use crate::error::{Error, Result};

fn instant(ms: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms).ok_or(Error::JournalDamaged)
}

fn kinds_text(kinds: &BTreeSet<Kind>) -> String {
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_kinds(text: &str) -> Result<BTreeSet<Kind>> {
    text.split(',')
        .filter(|k| !k.is_empty())
        .map(|k| k.parse::<Kind>().map_err(|_| Error::JournalDamaged))
        .collect()
}

const SELECT: &str = "SELECT r.id, r.name, r.fhir_base, r.patient, r.sign_in, r.created_utc_ms, \
    g.kinds, g.notes, g.since_utc_ms, g.realtime, g.until_utc_ms, g.state, g.changed_utc_ms \
    FROM share_recipients r LEFT JOIN share_grants g ON g.recipient_id = r.id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Result<Recipient>> {
    let id: i64 = row.get(0)?;
    let name: String = row.get(1)?;
    let fhir_base: String = row.get(2)?;
    let patient: Option<String> = row.get(3)?;
    let sign_in: String = row.get(4)?;
    let created: i64 = row.get(5)?;
    let kinds: Option<String> = row.get(6)?;
    let notes: Option<bool> = row.get(7)?;
    let since: Option<i64> = row.get(8)?;
    let realtime: Option<bool> = row.get(9)?;
    let until: Option<i64> = row.get(10)?;
    let state: Option<String> = row.get(11)?;
    let changed: Option<i64> = row.get(12)?;
    Ok((|| {
        let grant = match (kinds, state, changed) {
            (Some(kinds), Some(state), Some(changed)) => Some(Grant {
                kinds: parse_kinds(&kinds)?,
                notes: notes.unwrap_or(false),
                since: since.map(instant).transpose()?,
                realtime: realtime.unwrap_or(false),
                until: until.map(instant).transpose()?,
                state: GrantState::parse(&state).ok_or(Error::JournalDamaged)?,
                changed: instant(changed)?,
            }),
            _ => None,
        };
        Ok(Recipient {
            id: RecipientId(id),
            name,
            fhir_base,
            patient,
            sign_in: SignIn::parse(&sign_in).ok_or(Error::JournalDamaged)?,
            grant,
            created: instant(created)?,
        })
    })())
}

/// Every care team, in the order they were set up.
pub(crate) fn list(conn: &Connection) -> Result<Vec<Recipient>> {
    let mut st = conn.prepare_cached(&format!("{SELECT} ORDER BY r.id"))?;
    let rows = st.query_map([], from_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row??);
    }
    Ok(out)
}

/// The care team called `name`.
pub(crate) fn by_name(conn: &Connection, name: &str) -> Result<Recipient> {
    conn.prepare_cached(&format!("{SELECT} WHERE r.name = ?1"))?
        .query_row([name], from_row)
        .optional()?
        .ok_or_else(|| Error::UnknownRecipient(name.to_owned()))?
}

/// The care team with this id.
pub(crate) fn get(conn: &Connection, id: RecipientId) -> Result<Recipient> {
    conn.prepare_cached(&format!("{SELECT} WHERE r.id = ?1"))?
        .query_row([id.0], from_row)
        .optional()?
        .ok_or(Error::NotFound {
            what: "care team",
            id: id.0,
        })?
}

/// The care team's bearer token or SMART state.
pub(crate) fn secret(conn: &Connection, id: RecipientId) -> Result<Zeroizing<String>> {
    let secret: Option<String> = conn
        .prepare_cached("SELECT secret FROM share_recipients WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))?;
    Ok(Zeroizing::new(secret.unwrap_or_default()))
}

/// Sets up a care team (sharing nothing yet).
pub(crate) fn add(conn: &Connection, new: &NewRecipient, by: &str) -> Result<RecipientId> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(Error::Invalid("a care team needs a name".into()));
    }
    if by_name(conn, name).is_ok() {
        return Err(Error::RecipientExists(name.to_owned()));
    }
    let now = crate::now_ms();
    conn.prepare_cached(
        "INSERT INTO share_recipients (name, fhir_base, patient, sign_in, secret, created_utc_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        name,
        new.fhir_base,
        new.patient,
        new.sign_in.as_str(),
        new.secret.as_str(),
        now
    ])?;
    let id = RecipientId(conn.last_insert_rowid());
    record(conn, id, by, &format!("set up {name} at {}", new.fhir_base))?;
    Ok(id)
}

/// Replaces the saved sign-in (a refreshed SMART token, a new clinic token), and the patient
/// reference when the sign-in named one.
pub(crate) fn set_secret(
    conn: &Connection,
    id: RecipientId,
    secret: &str,
    patient: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE share_recipients SET secret = ?2, patient = coalesce(?3, patient) WHERE id = ?1",
    )?
    .execute(params![id.0, secret, patient])?;
    Ok(())
}

/// Grants (or changes the grant of) a care team; the grant is active from now.
pub(crate) fn grant(
    conn: &Connection,
    id: RecipientId,
    terms: &GrantTerms,
    by: &str,
) -> Result<()> {
    if terms.kinds.is_empty() {
        return Err(Error::Invalid(
            "choose at least one kind of reading to share".into(),
        ));
    }
    if let Some(kind) = terms.kinds.iter().find(|k| !super::shareable(**k)) {
        return Err(Error::Invalid(format!(
            "{} entries are not shared with care teams; readings, medications, insulin and notes can be",
            kind.as_str()
        )));
    }
    let now = crate::now_ms();
    if terms
        .until
        .is_some_and(|until| until.timestamp_millis() <= now)
    {
        return Err(Error::Invalid(
            "the end of sharing must be in the future".into(),
        ));
    }
    conn.prepare_cached(
        "INSERT INTO share_grants (recipient_id, kinds, notes, since_utc_ms, realtime, until_utc_ms, state, changed_utc_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'active', ?7) \
         ON CONFLICT (recipient_id) DO UPDATE SET kinds = excluded.kinds, notes = excluded.notes, \
         since_utc_ms = excluded.since_utc_ms, realtime = excluded.realtime, \
         until_utc_ms = excluded.until_utc_ms, state = 'active', changed_utc_ms = excluded.changed_utc_ms",
    )?
    .execute(params![
        id.0,
        kinds_text(&terms.kinds),
        terms.notes,
        terms.since.map(|t| t.timestamp_millis()),
        terms.realtime,
        terms.until.map(|t| t.timestamp_millis()),
        now
    ])?;
    record(conn, id, by, &describe(terms))?;
    Ok(())
}

/// Pauses, resumes or revokes a grant.
pub(crate) fn set_state(
    conn: &Connection,
    id: RecipientId,
    state: GrantState,
    by: &str,
) -> Result<()> {
    let recipient = get(conn, id)?;
    if recipient.grant.is_none() {
        return Err(Error::NoGrant(recipient.name));
    }
    conn.prepare_cached(
        "UPDATE share_grants SET state = ?2, changed_utc_ms = ?3 WHERE recipient_id = ?1",
    )?
    .execute(params![id.0, state.as_str(), crate::now_ms()])?;
    let what = match state {
        GrantState::Active => "resumed sharing",
        GrantState::Paused => "paused sharing (readings wait until it resumes)",
        GrantState::Revoked => "revoked sharing (everything still queued was cancelled)",
    };
    record(conn, id, by, what)
}

/// The grant in words, as the consent log keeps it.
fn describe(terms: &GrantTerms) -> String {
    let kinds: Vec<&str> = terms.kinds.iter().map(|k| k.as_str()).collect();
    let mut what = format!("shares {}", kinds.join(", "));
    match terms.since {
        Some(since) => what.push_str(&format!(
            " taken from {}",
            since.format("%Y-%m-%d %H:%M UTC")
        )),
        None => what.push_str(" from the whole history"),
    }
    what.push_str(if terms.realtime {
        ", in real time"
    } else {
        ", when sent by hand"
    });
    what.push_str(if terms.notes {
        ", with notes"
    } else {
        ", without notes"
    });
    if let Some(until) = terms.until {
        what.push_str(&format!(", until {}", until.format("%Y-%m-%d %H:%M UTC")));
    }
    what
}

/// Writes one consent change.
pub(crate) fn record(conn: &Connection, id: RecipientId, by: &str, what: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO share_consent_log (recipient_id, at_utc_ms, by, what) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id.0, crate::now_ms(), by, what])?;
    Ok(())
}

/// Every consent change, oldest first.
pub(crate) fn changes(conn: &Connection) -> Result<Vec<ConsentChange>> {
    let mut st = conn.prepare_cached(
        "SELECT recipient_id, at_utc_ms, by, what FROM share_consent_log ORDER BY id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (recipient, at, by, what) = row?;
        out.push(ConsentChange {
            recipient: RecipientId(recipient),
            at: instant(at)?,
            by,
            what,
        });
    }
    Ok(out)
}

/// The grants that keep readings queued right now, with their care teams.
pub(crate) fn queuing(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<(RecipientId, Grant)>> {
    Ok(list(conn)?
        .into_iter()
        .filter_map(|r| r.grant.map(|g| (r.id, g)))
        .filter(|(_, g)| g.queues(now))
        .collect())
}
