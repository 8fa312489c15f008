//! Engine settings and migrations (SECURITY.md §8 goals 1 and 6; STYLE.md point 12).

use journal::store::migrations::{self, MIGRATIONS};

use crate::support::*;

#[test]
fn pragmas_are_as_designed() {
    let dir = tempfile::tempdir().unwrap();
    let (j, _) = create(dir.path());
    let s = j.engine_settings().unwrap();
    assert!(s.cipher_version.starts_with('4'), "{}", s.cipher_version);
    assert_eq!(s.journal_mode, "wal");
    assert_eq!(s.synchronous, 2);
    assert_eq!(s.foreign_keys, 1);
    assert_eq!(s.secure_delete, 1);
    assert_eq!(s.temp_store, 2);
    assert_eq!(s.cipher_page_size, 16384);
    assert_eq!(s.cipher_hmac_algorithm, "HMAC_SHA256");
    assert_eq!(s.wal_autocheckpoint, 256, "4 MiB of 16 KiB pages");
    assert_eq!(j.page_layout(), journal::PageLayout::Large);
    let compiled = s.compiled_temp_store.unwrap();
    assert!(
        compiled == "TEMP_STORE=2" || compiled == "TEMP_STORE=3",
        "{compiled}"
    );
    j.lock();
    // Reopened connections get the same settings.
    let j = journal::Journal::open(dir.path(), PASSPHRASE).unwrap();
    let s = j.engine_settings().unwrap();
    assert_eq!(s.synchronous, 2);
    assert_eq!(s.cipher_page_size, 16384);
    assert_eq!(s.cipher_hmac_algorithm, "HMAC_SHA256");
}

#[test]
fn database_file_has_no_sqlite_header() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    j.add(&note("x", "2026-03-01T07:30:00+01:00")).unwrap();
    let db = j.files().db.clone();
    j.lock();
    let bytes = std::fs::read(db).unwrap();
    assert_ne!(&bytes[..16], b"SQLite format 3\0");
}

#[test]
fn migrations_apply_step_by_step() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    assert_eq!(migrations::current_version(&conn).unwrap(), 0);
    for step in 1..=MIGRATIONS.len() {
        migrations::to_version(&mut conn, step).unwrap();
        assert_eq!(migrations::current_version(&conn).unwrap(), step);
        assert!(!MIGRATIONS[step - 1].reason.is_empty());
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }
    let indexes: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'entries_by_kind_time'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 1);
    // Applying again is a no-op.
    migrations::to_version(&mut conn, MIGRATIONS.len()).unwrap();
    assert_eq!(
        migrations::current_version(&conn).unwrap(),
        migrations::latest_version()
    );
}

#[test]
fn a_newer_schema_is_refused() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    assert!(matches!(
        migrations::to_version(&mut conn, MIGRATIONS.len()),
        Err(journal::Error::UnsupportedFormat { .. })
    ));
}
