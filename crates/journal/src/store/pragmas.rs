//! Connection settings, applied on every open (never in migrations): WAL with `synchronous=FULL`
//! so a commit that returned survives a crash (SECURITY.md §6.1), foreign keys, `secure_delete`
//! so deleted values are overwritten, and temporary tables in memory so nothing unencrypted
//! reaches a temp file.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Runs one statement and discards any rows it returns (SQLCipher's `PRAGMA key` returns `ok`).
pub(crate) fn run(conn: &Connection, sql: &str) -> Result<()> {
    let mut statement = conn.prepare(sql)?;
    let mut rows = statement.query([])?;
    while rows.next()?.is_some() {}
    Ok(())
}

/// Refuses to go on if the SQLite linked in is not SQLCipher (the key would be ignored and the
/// journal written in plaintext).
pub(crate) fn require_sqlcipher(conn: &Connection) -> Result<()> {
    let version: Option<String> = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .ok();
    match version {
        Some(v) if !v.is_empty() => Ok(()),
        _ => Err(Error::Database(
            "this build has no SQLCipher; refusing to store health data unencrypted".into(),
        )),
    }
}

/// Applies the journal's pragmas to a keyed connection.
pub fn apply(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Database(format!(
            "cannot switch to WAL (got {mode})"
        )));
    }
    run(conn, "PRAGMA synchronous = FULL")?;
    run(conn, "PRAGMA foreign_keys = ON")?;
    run(conn, "PRAGMA secure_delete = ON")?;
    run(conn, "PRAGMA temp_store = MEMORY")?;
    // Every page read from disk is decrypted and its HMAC checked; a page cache of 32 MiB
    // (SQLite's default is 2 MiB) keeps a large journal's working set decrypted, so reading
    // it again costs about what it does unencrypted. The first read of a page still pays for
    // decryption (`benches/storage.rs` measures both).
    run(conn, "PRAGMA cache_size = -32768")?;
    // SQLite checkpoints the write-ahead log every 1,000 pages by default (4 MiB of 4 KiB
    // pages). The file stays as large as it once grew, so the limit is kept in bytes: 16 KiB
    // pages would otherwise leave a 16 MiB log beside a small journal.
    let page_size = number(conn, "PRAGMA page_size")?;
    run(
        conn,
        &format!(
            "PRAGMA wal_autocheckpoint = {}",
            WAL_CHECKPOINT_BYTES / page_size.max(512)
        ),
    )?;
    Ok(())
}

/// About how large the write-ahead log grows before its pages are copied into the database.
const WAL_CHECKPOINT_BYTES: i64 = 4 << 20;

/// A pragma's numeric answer. SQLCipher answers its own pragmas (and `page_size`, which it
/// takes over on a keyed connection) as text.
fn number(conn: &Connection, sql: &str) -> Result<i64> {
    let answer: rusqlite::types::Value = conn.query_row(sql, [], |r| r.get(0))?;
    match answer {
        rusqlite::types::Value::Integer(n) => Ok(n),
        rusqlite::types::Value::Text(text) => text
            .parse()
            .map_err(|_| Error::Database(format!("unexpected answer {text:?} to {sql}"))),
        other => Err(Error::Database(format!(
            "unexpected answer {other:?} to {sql}"
        ))),
    }
}

/// The settings as the engine reports them, for tests and diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineSettings {
    /// SQLCipher's version (`PRAGMA cipher_version`).
    pub cipher_version: String,
    /// Bytes per database page as SQLCipher uses them (the key file's page layout).
    pub cipher_page_size: usize,
    /// The page HMAC, e.g. `HMAC_SHA256`.
    pub cipher_hmac_algorithm: String,
    /// `wal` expected.
    pub journal_mode: String,
    /// 2 = FULL expected.
    pub synchronous: i64,
    /// 1 expected.
    pub foreign_keys: i64,
    /// 1 expected.
    pub secure_delete: i64,
    /// 2 = MEMORY expected.
    pub temp_store: i64,
    /// Pages in the write-ahead log before a checkpoint (about 4 MiB of them).
    pub wal_autocheckpoint: i64,
    /// The `TEMP_STORE=n` compile option.
    pub compiled_temp_store: Option<String>,
}

/// Reads the settings back from a connection.
pub(crate) fn read(conn: &Connection) -> Result<EngineSettings> {
    let mut compiled_temp_store = None;
    let mut statement = conn.prepare("PRAGMA compile_options")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let option: String = row.get(0)?;
        if option.starts_with("TEMP_STORE=") {
            compiled_temp_store = Some(option);
        }
    }
    let cipher_page_size = usize::try_from(number(conn, "PRAGMA cipher_page_size")?)
        .map_err(|_| Error::Database("negative cipher_page_size".into()))?;
    Ok(EngineSettings {
        cipher_version: conn.query_row("PRAGMA cipher_version", [], |r| r.get(0))?,
        cipher_page_size,
        cipher_hmac_algorithm: conn.query_row("PRAGMA cipher_hmac_algorithm", [], |r| r.get(0))?,
        journal_mode: conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
        synchronous: number(conn, "PRAGMA synchronous")?,
        foreign_keys: number(conn, "PRAGMA foreign_keys")?,
        secure_delete: number(conn, "PRAGMA secure_delete")?,
        temp_store: number(conn, "PRAGMA temp_store")?,
        wal_autocheckpoint: number(conn, "PRAGMA wal_autocheckpoint")?,
        compiled_temp_store,
    })
}
