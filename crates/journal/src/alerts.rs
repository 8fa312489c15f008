//! Alerts in the `alerts` and `alert_settings` tables: which the patient turned on, and the
//! log of every alert a new reading raised (the app turns new ones into notifications).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use readings::alerts::AlertKind;
use readings::{Content, Flag, Source};
use rusqlite::{Connection, params};

use crate::error::{Error, Result};
use crate::model::EntryId;

/// An alert a reading raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RaisedAlert {
    /// Its id, increasing: "the alerts after N" are the new ones.
    pub id: i64,
    /// The reading that raised it.
    pub entry: EntryId,
    /// Which alert.
    pub kind: AlertKind,
    /// When it was raised.
    pub raised_at: DateTime<Utc>,
}

/// The alerts the patient turned on.
pub(crate) fn enabled(conn: &Connection) -> Result<BTreeSet<AlertKind>> {
    let mut st = conn.prepare_cached("SELECT kind FROM alert_settings WHERE enabled = 1")?;
    let kinds = st.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = BTreeSet::new();
    for kind in kinds {
        // A kind this version does not know (written by a newer one) stays off here.
        if let Some(kind) = AlertKind::parse(&kind?) {
            out.insert(kind);
        }
    }
    Ok(out)
}

/// Turns an alert on or off.
pub(crate) fn set_enabled(conn: &Connection, kind: AlertKind, on: bool) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO alert_settings (kind, enabled) VALUES (?1, ?2) \
         ON CONFLICT (kind) DO UPDATE SET enabled = excluded.enabled",
    )?
    .execute(params![kind.as_str(), i64::from(on)])?;
    Ok(())
}

/// How recent a reading must be to raise an alert: a meter's first sync brings weeks of stored
/// readings, and those are history, not news.
const NEWS_WINDOW_HOURS: i64 = 24;

/// Records the alert a new reading raises, if the patient turned it on. Only the owner's own
/// measurements of the last day raise one: not a control-solution result, not a demo
/// monitor's simulated value, not someone else's reading, not an old one a sync brought.
pub(crate) fn raise(
    conn: &Connection,
    entry: EntryId,
    new: &crate::NewEntry,
    flags: &BTreeSet<Flag>,
) -> Result<()> {
    let owners = matches!(new.person, None | Some(crate::PersonId(1)));
    let measured = matches!(new.source, Source::Device | Source::Manual);
    let recent =
        new.at.with_timezone(&Utc) >= Utc::now() - chrono::Duration::hours(NEWS_WINDOW_HOURS);
    if flags.contains(&Flag::ControlSolution) || !owners || !measured || !recent {
        return Ok(());
    }
    let content: &Content = &new.content;
    let Some(kind) = AlertKind::of(content) else {
        return Ok(());
    };
    if !enabled(conn)?.contains(&kind) {
        return Ok(());
    }
    conn.prepare_cached("INSERT INTO alerts (entry_id, kind, raised_utc_ms) VALUES (?1, ?2, ?3)")?
        .execute(params![entry.0, kind.as_str(), crate::now_ms()])?;
    Ok(())
}

/// The alerts raised after alert `after` (all with `None`), oldest first, at most `limit`.
pub(crate) fn after(conn: &Connection, after: Option<i64>, limit: u32) -> Result<Vec<RaisedAlert>> {
    let mut st = conn.prepare_cached(
        "SELECT id, entry_id, kind, raised_utc_ms FROM alerts WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = st.query_map(params![after.unwrap_or(0), limit], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, entry, kind, at) = row?;
        out.push(RaisedAlert {
            id,
            entry: EntryId(entry),
            kind: AlertKind::parse(&kind).ok_or(Error::JournalDamaged)?,
            raised_at: DateTime::from_timestamp_millis(at).ok_or(Error::JournalDamaged)?,
        });
    }
    Ok(out)
}

/// The alerts raised at or after `since`, newest first.
pub(crate) fn since(conn: &Connection, since: DateTime<Utc>) -> Result<Vec<RaisedAlert>> {
    let first: Option<i64> = conn
        .prepare_cached("SELECT max(id) FROM alerts WHERE raised_utc_ms < ?1")?
        .query_row([since.timestamp_millis()], |r| r.get(0))?;
    let mut raised = after(conn, first, u32::MAX)?;
    raised.reverse();
    Ok(raised)
}

/// The newest alert's id, if any alert was ever raised.
pub(crate) fn newest(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT max(id) FROM alerts")?
        .query_row([], |r| r.get(0))?)
}
