//! The audit log: what was done and when, never which values. Entries are hash-chained
//! (see `chain`) so removing or editing one is detectable.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

/// One audit record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// When, in Unix milliseconds.
    pub at_utc_ms: i64,
    /// What was done (`unlock`, `add glucose`, `delete`, `backup`…), never a value.
    pub action: String,
    /// The entry concerned, if any.
    pub entry_id: Option<i64>,
}

pub(crate) fn record(conn: &Connection, action: &str, entry_id: Option<i64>) -> Result<()> {
    let prev: Vec<u8> = conn
        .prepare_cached("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| crate::chain::START.to_vec());
    let at = crate::now_ms();
    let hash = chain_hash(&prev, at, action, entry_id);
    conn.prepare_cached(
        "INSERT INTO audit_log (at_utc_ms, action, entry_id, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![at, action, entry_id, prev, hash])?;
    Ok(())
}

fn chain_hash(prev: &[u8], at: i64, action: &str, entry_id: Option<i64>) -> Vec<u8> {
    use crate::chain::Part;
    crate::chain::link(
        prev,
        &[
            Part::Int(at),
            Part::Text(action),
            Part::Int(entry_id.unwrap_or(-1)),
        ],
    )
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<AuditRecord>> {
    let mut st = conn.prepare("SELECT at_utc_ms, action, entry_id FROM audit_log ORDER BY id")?;
    let rows = st.query_map([], |r| {
        Ok(AuditRecord {
            at_utc_ms: r.get(0)?,
            action: r.get(1)?,
            entry_id: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether the chain is intact.
pub(crate) fn verify(conn: &Connection) -> Result<bool> {
    let mut st = conn.prepare(
        "SELECT at_utc_ms, action, entry_id, prev_hash, hash FROM audit_log ORDER BY id",
    )?;
    let mut rows = st.query([])?;
    let mut prev = crate::chain::START.to_vec();
    while let Some(row) = rows.next()? {
        let at: i64 = row.get(0)?;
        let action: String = row.get(1)?;
        let entry_id: Option<i64> = row.get(2)?;
        let stored_prev: Vec<u8> = row.get(3)?;
        let hash: Vec<u8> = row.get(4)?;
        if stored_prev != prev || hash != chain_hash(&prev, at, &action, entry_id) {
            return Ok(false);
        }
        prev = hash;
    }
    Ok(true)
}
