//! The outbox (`share_outbox`): one row per care team and reading still to send, written in
//! the transaction that stores, edits or deletes the reading, so a crash between the two
//! cannot lose a send. A row leaves only when the server holds that version of the reading
//! (`share_delivered` remembers which), when the grant no longer covers it, or when the
//! patient revokes. Rows the server refused for good stay, marked, for the patient to see.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{
    Due, DueItem, Grant, GrantState, Outcome, QueueStatus, RecipientId, RefusedItem, Sent,
    Shareable, consent, log,
};
use crate::entries;
use crate::error::Result;
use crate::model::{EntryId, Filter};

fn delivered_version(
    conn: &Connection,
    recipient: RecipientId,
    entry: EntryId,
) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT version FROM share_delivered WHERE recipient_id = ?1 AND entry_id = ?2",
        )?
        .query_row(params![recipient.0, entry.0], |r| r.get(0))
        .optional()?)
}

/// Queues `entry` for `recipient` at `version`. A reading the server refused stays refused
/// until the patient tries again, or until it changes (the patient may have corrected it).
fn enqueue(
    conn: &Connection,
    recipient: RecipientId,
    entry: EntryId,
    version: i64,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO share_outbox (recipient_id, entry_id, version, queued_utc_ms, next_utc_ms) \
         VALUES (?1, ?2, ?3, ?4, ?4) \
         ON CONFLICT (recipient_id, entry_id) DO UPDATE SET \
         attempts = CASE WHEN refused = 1 AND excluded.version > version THEN 0 ELSE attempts END, \
         next_utc_ms = CASE WHEN refused = 1 AND excluded.version > version \
             THEN excluded.next_utc_ms ELSE next_utc_ms END, \
         refused = CASE WHEN excluded.version > version THEN 0 ELSE refused END, \
         version = max(version, excluded.version)",
    )?
    .execute(params![recipient.0, entry.0, version, now])?;
    Ok(())
}

fn dequeue(conn: &Connection, recipient: RecipientId, entry: EntryId) -> Result<()> {
    conn.prepare_cached("DELETE FROM share_outbox WHERE recipient_id = ?1 AND entry_id = ?2")?
        .execute(params![recipient.0, entry.0])?;
    Ok(())
}

/// Called in the transaction that stored, edited, deleted or restored `id`: queues it for
/// every care team whose real-time grant covers it, and for every care team that already
/// holds an earlier version (so an edit or a delete reaches them too).
pub(crate) fn on_change(tx: &Transaction<'_>, id: EntryId) -> Result<()> {
    let now = Utc::now();
    let grants = consent::queuing(tx, now)?;
    if grants.is_empty() {
        return Ok(());
    }
    let entry = entries::get(tx, id)?;
    let reading = Shareable::of(&entry);
    for (recipient, grant) in grants {
        let held = delivered_version(tx, recipient, id)?.is_some();
        let wanted = if entry.deleted {
            held
        } else {
            held || (grant.realtime && grant.covers(&reading))
        };
        if wanted {
            enqueue(tx, recipient, id, entry.version, now.timestamp_millis())?;
        } else {
            dequeue(tx, recipient, id)?;
        }
    }
    Ok(())
}

/// Queues every reading a grant covers that its care team does not hold at its current
/// version: the history a new grant reaches back to, and what a grant without real time
/// waits to send. Returns how many were queued.
pub(crate) fn queue_covered(
    tx: &Transaction<'_>,
    recipient: RecipientId,
    grant: &Grant,
) -> Result<u64> {
    let now = Utc::now().timestamp_millis();
    let filter = Filter {
        kinds: grant.kinds.iter().copied().collect(),
        from: grant.since.map(|t| t.fixed_offset()),
        person: Some(crate::PersonId(1)),
        ..Filter::default()
    };
    let mut queued = 0;
    for entry in entries::list(tx, &filter)? {
        if !grant.covers(&Shareable::of(&entry)) {
            continue;
        }
        if delivered_version(tx, recipient, entry.id)? == Some(entry.version) {
            continue;
        }
        enqueue(tx, recipient, entry.id, entry.version, now)?;
        queued += 1;
    }
    Ok(queued)
}

/// Cancels everything queued for a care team (a revoke).
pub(crate) fn cancel(conn: &Connection, recipient: RecipientId) -> Result<u64> {
    let removed = conn
        .prepare_cached("DELETE FROM share_outbox WHERE recipient_id = ?1")?
        .execute([recipient.0])?;
    Ok(removed as u64)
}

/// Ends grants whose end date has passed: what they queued is cancelled, and the change is
/// written to the consent log.
fn end_expired(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<()> {
    for recipient in consent::list(tx)? {
        if let Some(grant) = &recipient.grant
            && grant.state != GrantState::Revoked
            && grant.expired(now)
        {
            tx.prepare_cached(
                "UPDATE share_grants SET state = 'revoked', changed_utc_ms = ?2 WHERE recipient_id = ?1",
            )?
            .execute(params![recipient.id.0, now.timestamp_millis()])?;
            cancel(tx, recipient.id)?;
            consent::record(tx, recipient.id, "Vitalog", "sharing ended on its end date")?;
        }
    }
    Ok(())
}

/// The readings due now, at most `limit` per care team, checked against each grant as it is
/// now: a reading no longer covered (or deleted before it ever went) leaves the queue here
/// unsent.
pub(crate) fn due(tx: &Transaction<'_>, now: DateTime<Utc>, limit: u32) -> Result<Vec<Due>> {
    end_expired(tx, now)?;
    let gateway: String = tx.query_row("SELECT uid FROM share_gateway WHERE id = 1", [], |r| {
        r.get(0)
    })?;
    let devices: BTreeMap<_, _> = crate::devices::list(tx)?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let mut out = Vec::new();
    for recipient in consent::list(tx)? {
        let Some(grant) = recipient.grant.clone().filter(|g| g.sends(now)) else {
            continue;
        };
        let rows: Vec<(i64, i64)> = tx
            .prepare_cached(
                "SELECT entry_id, attempts FROM share_outbox WHERE recipient_id = ?1 \
                 AND refused = 0 AND next_utc_ms <= ?2 ORDER BY queued_utc_ms, entry_id LIMIT ?3",
            )?
            .query_map(
                params![recipient.id.0, now.timestamp_millis(), limit],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let mut items = Vec::new();
        for (entry_id, attempts) in rows {
            let entry = entries::get(tx, EntryId(entry_id))?;
            let held = delivered_version(tx, recipient.id, entry.id)?;
            let send = if entry.deleted {
                held.is_some()
            } else {
                grant.covers(&Shareable::of(&entry)) && held != Some(entry.version)
            };
            if !send {
                dequeue(tx, recipient.id, entry.id)?;
                continue;
            }
            items.push(DueItem {
                device: entry.device.and_then(|id| devices.get(&id).cloned()),
                update: held.is_some() || entry.version > 1,
                with_note: grant.notes,
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                entry,
            });
        }
        if !items.is_empty() {
            out.push(Due {
                secret: consent::secret(tx, recipient.id)?,
                recipient,
                gateway: gateway.clone(),
                items,
            });
        }
    }
    Ok(out)
}

/// Writes what became of a send: the queue, what the server holds, and the log.
pub(crate) fn record(tx: &Transaction<'_>, sent: &Sent, outcome: &Outcome) -> Result<()> {
    let now = crate::now_ms();
    match outcome {
        Outcome::Delivered { .. } => {
            for (entry, version) in &sent.entries {
                tx.prepare_cached(
                    "INSERT INTO share_delivered (recipient_id, entry_id, version, delivered_utc_ms) \
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (recipient_id, entry_id) DO UPDATE SET \
                     version = max(version, excluded.version), delivered_utc_ms = excluded.delivered_utc_ms",
                )?
                .execute(params![sent.recipient.0, entry.0, version, now])?;
                // A newer version queued while this one was on its way stays queued.
                tx.prepare_cached(
                    "DELETE FROM share_outbox WHERE recipient_id = ?1 AND entry_id = ?2 AND version <= ?3",
                )?
                .execute(params![sent.recipient.0, entry.0, version])?;
            }
        }
        Outcome::Retry { after, problem } => {
            for (entry, _) in &sent.entries {
                tx.prepare_cached(
                    "UPDATE share_outbox SET attempts = attempts + 1, next_utc_ms = ?3, problem = ?4 \
                     WHERE recipient_id = ?1 AND entry_id = ?2",
                )?
                .execute(params![sent.recipient.0, entry.0, after.timestamp_millis(), problem])?;
            }
        }
        Outcome::Refused { problem } => {
            for (entry, _) in &sent.entries {
                tx.prepare_cached(
                    "UPDATE share_outbox SET attempts = attempts + 1, refused = 1, problem = ?3 \
                     WHERE recipient_id = ?1 AND entry_id = ?2",
                )?
                .execute(params![sent.recipient.0, entry.0, problem])?;
            }
        }
    }
    log::append(tx, sent, outcome)
}

/// How each care team's queue stands.
pub(crate) fn status(conn: &Connection) -> Result<Vec<QueueStatus>> {
    let mut out = Vec::new();
    for recipient in consent::list(conn)? {
        let (pending, refused, next): (i64, i64, Option<i64>) = conn
            .prepare_cached(
                "SELECT count(*) FILTER (WHERE refused = 0), count(*) FILTER (WHERE refused = 1), \
                 min(next_utc_ms) FILTER (WHERE refused = 0 AND attempts > 0) \
                 FROM share_outbox WHERE recipient_id = ?1",
            )?
            .query_row([recipient.id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        // A failing send says what is wrong now; otherwise a refused reading says why.
        let failing: Option<String> = conn
            .prepare_cached(
                "SELECT result, detail FROM share_transmissions WHERE recipient_id = ?1 ORDER BY id DESC LIMIT 1",
            )?
            .query_row([recipient.id.0], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .optional()?
            .filter(|(result, _)| result == "retry" && pending > 0)
            .map(|(_, detail)| detail);
        let refusal: Option<String> = if refused > 0 {
            conn.prepare_cached(
                "SELECT problem FROM share_outbox WHERE recipient_id = ?1 AND refused = 1 \
                 ORDER BY rowid DESC LIMIT 1",
            )?
            .query_row([recipient.id.0], |r| r.get(0))
            .optional()?
            .flatten()
        } else {
            None
        };
        let problem = failing.or(refusal);
        let last: Option<i64> = conn
            .prepare_cached(
                "SELECT max(delivered_utc_ms) FROM share_delivered WHERE recipient_id = ?1",
            )?
            .query_row([recipient.id.0], |r| r.get(0))?;
        out.push(QueueStatus {
            recipient: recipient.id,
            pending: pending.max(0) as u64,
            refused: refused.max(0) as u64,
            next_attempt: next.and_then(DateTime::from_timestamp_millis),
            problem,
            last_delivered: last.and_then(DateTime::from_timestamp_millis),
        });
    }
    Ok(out)
}

/// The readings servers refused for good, with their reasons.
pub(crate) fn refused(conn: &Connection) -> Result<Vec<RefusedItem>> {
    let mut st = conn.prepare_cached(
        "SELECT recipient_id, entry_id, coalesce(problem, '') FROM share_outbox WHERE refused = 1 \
         ORDER BY recipient_id, entry_id",
    )?;
    let rows = st.query_map([], |r| {
        Ok(RefusedItem {
            recipient: RecipientId(r.get(0)?),
            entry: EntryId(r.get(1)?),
            problem: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Puts a care team's refused readings back in the queue (after the patient or the clinic
/// fixed the cause).
pub(crate) fn retry_refused(conn: &Connection, recipient: RecipientId) -> Result<u64> {
    let n = conn
        .prepare_cached(
            "UPDATE share_outbox SET refused = 0, attempts = 0, next_utc_ms = ?2 \
             WHERE recipient_id = ?1 AND refused = 1",
        )?
        .execute(params![recipient.0, crate::now_ms()])?;
    Ok(n as u64)
}

/// Makes everything queued for `recipient` due now (the patient pressed "send now").
pub(crate) fn due_now(conn: &Connection, recipient: RecipientId) -> Result<()> {
    conn.prepare_cached(
        "UPDATE share_outbox SET next_utc_ms = ?2 WHERE recipient_id = ?1 AND refused = 0",
    )?
    .execute(params![recipient.0, crate::now_ms()])?;
    Ok(())
}

/// Holds everything queued for `recipient` until at least `until` (its server is down, so
/// the rest of the queue waits with the reading that failed, unlogged: nothing was sent).
pub(crate) fn hold(conn: &Connection, recipient: RecipientId, until: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "UPDATE share_outbox SET next_utc_ms = max(next_utc_ms, ?2) WHERE recipient_id = ?1 AND refused = 0",
    )?
    .execute(params![recipient.0, until.timestamp_millis()])?;
    Ok(())
}

/// Whether any reading is due now for a care team whose grant is active (a cheap check the
/// app's sender makes every second).
pub(crate) fn any_due(conn: &Connection, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM share_outbox o JOIN share_grants g ON g.recipient_id = o.recipient_id \
             WHERE o.refused = 0 AND o.next_utc_ms <= ?1 AND g.state = 'active')",
        )?
        .query_row([now.timestamp_millis()], |r| r.get(0))?)
}
