//! The transmission log (`share_transmissions`): every send attempt, with its care team, the
//! resources, the kinds, the time and the result; never a value. Records are hash-chained
//! (see `chain`), numbered without gaps, and the newest hash and the count are kept apart
//! (`share_log_head`), so altering, reordering or removing any record, the last included,
//! is detected.

use chrono::DateTime;
use readings::Kind;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Outcome, RecipientId, Sent, Transmission};
use crate::chain::{self, Part};
use crate::error::{Error, Result};

struct Record<'a> {
    id: i64,
    recipient: i64,
    at: i64,
    kinds: &'a str,
    resources: &'a str,
    result: &'a str,
    detail: &'a str,
}

fn hash(prev: &[u8], r: &Record<'_>) -> Vec<u8> {
    chain::link(
        prev,
        &[
            Part::Int(r.id),
            Part::Int(r.recipient),
            Part::Int(r.at),
            Part::Text(r.kinds),
            Part::Text(r.resources),
            Part::Text(r.result),
            Part::Text(r.detail),
        ],
    )
}

fn head(conn: &Connection) -> Result<(i64, Vec<u8>)> {
    Ok(conn
        .prepare_cached("SELECT count, hash FROM share_log_head WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, chain::START.to_vec())))
}

/// Appends the record of one send.
pub(crate) fn append(conn: &Connection, sent: &Sent, outcome: &Outcome) -> Result<()> {
    let kinds: Vec<&str> = sent.kinds.iter().map(|k| k.as_str()).collect();
    let kinds = kinds.join(",");
    let (result, detail, resources) = match outcome {
        Outcome::Delivered { resources } => ("delivered", String::new(), resources.join(",")),
        Outcome::Retry { problem, after } => (
            "retry",
            format!(
                "{problem}; next try at {}",
                after.format("%Y-%m-%d %H:%M:%S UTC")
            ),
            sent.identifiers.join(","),
        ),
        Outcome::Refused { problem } => ("refused", problem.clone(), sent.identifiers.join(",")),
    };
    let (count, prev) = head(conn)?;
    let record = Record {
        id: count + 1,
        recipient: sent.recipient.0,
        at: crate::now_ms(),
        kinds: &kinds,
        resources: &resources,
        result,
        detail: &detail,
    };
    let hash = hash(&prev, &record);
    conn.prepare_cached(
        "INSERT INTO share_transmissions (id, recipient_id, at_utc_ms, kinds, resources, result, detail, prev_hash, hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        record.id,
        record.recipient,
        record.at,
        record.kinds,
        record.resources,
        record.result,
        record.detail,
        prev,
        hash
    ])?;
    conn.prepare_cached(
        "INSERT INTO share_log_head (id, count, hash) VALUES (1, ?1, ?2) \
         ON CONFLICT (id) DO UPDATE SET count = excluded.count, hash = excluded.hash",
    )?
    .execute(params![record.id, hash])?;
    Ok(())
}

/// Every record, oldest first (at most `limit`, newest kept, when given).
pub(crate) fn list(conn: &Connection, limit: Option<u32>) -> Result<Vec<Transmission>> {
    let mut st = conn.prepare_cached(
        "SELECT id, recipient_id, at_utc_ms, kinds, resources, result, detail FROM \
         (SELECT * FROM share_transmissions ORDER BY id DESC LIMIT ?1) ORDER BY id",
    )?;
    let rows = st.query_map([limit.map_or(-1, i64::from)], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, recipient, at, kinds, resources, result, detail) = row?;
        out.push(Transmission {
            id,
            recipient: RecipientId(recipient),
            at: DateTime::from_timestamp_millis(at).ok_or(Error::JournalDamaged)?,
            kinds: kinds
                .split(',')
                .filter(|k| !k.is_empty())
                .map(|k| k.parse::<Kind>().map_err(|_| Error::JournalDamaged))
                .collect::<Result<_>>()?,
            resources: resources
                .split(',')
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .collect(),
            result,
            detail,
        });
    }
    Ok(out)
}

/// Where the log first fails its check, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogProblem {
    /// A record was altered, moved or removed; this is the first one that does not fit.
    BrokenAt(i64),
    /// Records at the end were removed (the log holds fewer than it wrote).
    Truncated {
        /// How many records the log wrote.
        written: i64,
        /// How many it holds.
        held: i64,
    },
}

impl std::fmt::Display for LogProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LogProblem::BrokenAt(id) => write!(
                f,
                "the transmission log was altered: record {id} does not follow the one before it"
            ),
            LogProblem::Truncated { written, held } => write!(
                f,
                "the transmission log was cut short: it wrote {written} records and holds {held}"
            ),
        }
    }
}

/// Checks the whole chain and its head.
pub(crate) fn verify(conn: &Connection) -> Result<Option<LogProblem>> {
    let mut st = conn.prepare(
        "SELECT id, recipient_id, at_utc_ms, kinds, resources, result, detail, prev_hash, hash \
         FROM share_transmissions ORDER BY rowid",
    )?;
    let mut rows = st.query([])?;
    let mut prev = chain::START.to_vec();
    let mut held = 0;
    while let Some(row) = rows.next()? {
        held += 1;
        let kinds: String = row.get(3)?;
        let resources: String = row.get(4)?;
        let result: String = row.get(5)?;
        let detail: String = row.get(6)?;
        let record = Record {
            id: row.get(0)?,
            recipient: row.get(1)?,
            at: row.get(2)?,
            kinds: &kinds,
            resources: &resources,
            result: &result,
            detail: &detail,
        };
        let stored_prev: Vec<u8> = row.get(7)?;
        let stored: Vec<u8> = row.get(8)?;
        if record.id != held || stored_prev != prev || stored != hash(&prev, &record) {
            return Ok(Some(LogProblem::BrokenAt(held)));
        }
        prev = stored;
    }
    let (written, head_hash) = head(conn)?;
    if written != held {
        return Ok(Some(LogProblem::Truncated { written, held }));
    }
    if head_hash != prev {
        return Ok(Some(LogProblem::BrokenAt(held)));
    }
    Ok(None)
}
