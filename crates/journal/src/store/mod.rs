//! The encrypted SQLite database: opening it with the data key, the pragmas every connection
//! runs with, and the schema migrations.

pub mod cipher;
pub mod migrations;
pub mod pragmas;

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use crate::keys::DataKey;
use cipher::PageLayout;

/// Whether opening may create the database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpenMode {
    /// The file must not exist yet.
    Create,
    /// The file must exist.
    Existing,
}

/// Opens the database at `path` (laid out as `layout`) with `key`, checks it decrypts (and, for
/// an existing one, every page), sets the pragmas and migrates.
pub(crate) fn open(
    path: &Path,
    key: &DataKey,
    layout: PageLayout,
    mode: OpenMode,
) -> Result<Connection> {
    let conn = open_keyed(path, key, layout, mode)?;
    if mode == OpenMode::Existing {
        // Every page is checked before anything is written, so a damaged journal is reported
        // when it is opened (where the app offers to restore a backup in its place) and not
        // part-way through a screen or a sync.
        check(&conn, Check::AtOpen)?;
    }
    pragmas::apply(&conn)?;
    let mut conn = conn;
    migrations::to_latest(&mut conn)?;
    Ok(conn)
}

/// Finishes SQLCipher's one-time process setup before any journal connection is opened.
///
/// SQLite marks itself initialised before SQLCipher's extra init has registered
/// `sqlcipher_export` as an auto-extension, so a connection opened by another thread in that
/// window lacks the function (backups then fail with "no such function"). Opening one throwaway
/// connection under a `Once` closes the window for every connection this crate opens.
fn initialise_sqlcipher() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        let _ = Connection::open_in_memory();
    });
}

/// How thoroughly [`check`] looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// Every page's HMAC, which any altered or decayed byte fails: what opening a journal
    /// runs (about 0.2 s for 100,000 readings; the full check takes twice that again).
    AtOpen,
    /// Every page's HMAC and SQLite's full `integrity_check`.
    Full,
}

/// SQLCipher's page HMAC check, and for [`Check::Full`] SQLite's structural check too;
/// [`Error::JournalDamaged`] when either finds a problem.
pub(crate) fn check(conn: &Connection, how: Check) -> Result<()> {
    let mut st = conn.prepare("PRAGMA cipher_integrity_check")?;
    let mut rows = st.query([])?;
    if rows.next()?.is_some() {
        return Err(Error::JournalDamaged);
    }
    if how == Check::AtOpen {
        return Ok(());
    }
    let verdict: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if verdict != "ok" {
        return Err(Error::JournalDamaged);
    }
    Ok(())
}

/// Opens and keys the database without pragmas or migrations (also used for backups).
pub(crate) fn open_keyed(
    path: &Path,
    key: &DataKey,
    layout: PageLayout,
    mode: OpenMode,
) -> Result<Connection> {
    initialise_sqlcipher();
    // CREATE is needed even for existing files: databases ATTACHed for backup and restore
    // inherit these flags and are new files. Existence is checked here instead.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    match mode {
        OpenMode::Create => {
            if path.exists() {
                return Err(Error::AlreadyExists {
                    dir: path.parent().unwrap_or(path).to_path_buf(),
                });
            }
            crate::disk::create_private_file(path)?;
        }
        OpenMode::Existing => {
            if !path.exists() {
                return Err(Error::NotInitialised {
                    dir: path.parent().unwrap_or(path).to_path_buf(),
                });
            }
        }
    }
    let conn = Connection::open_with_flags(path, flags)?;
    // A wrong or damaged page makes SQLCipher log to stderr; the typed error is enough.
    pragmas::run(&conn, "PRAGMA cipher_log_level = NONE")?;
    pragmas::run(
        &conn,
        &format!("PRAGMA key = \"{}\"", key.sqlcipher_literal().as_str()),
    )?;
    pragmas::require_sqlcipher(&conn)?;
    layout.apply(&conn, "main")?;
    // The first read decrypts page 1 and checks its HMAC; the key itself was already verified
    // by unwrapping it, so a failure here means the file is damaged.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(conn)
}
