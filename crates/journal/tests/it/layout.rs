//! The database's page layout: new journals use the current one and SQLCipher really writes
//! them that way; journals and backups made by the first key file format (4 KiB pages,
//! HMAC-SHA512; fixtures in `tests/fixtures/format-1`, written by that build's `vitalog`) open,
//! keep their layout through passphrase changes and backups, and move to the current layout
//! when they get a new data key.

use std::path::Path;

use journal::{Filter, Journal, MemoryKeychain, PageLayout, RecoveryKey, Unlock};

use crate::support::*;

const FORMAT_1_PASSPHRASE: &str = "a journal from key file format one";
const FORMAT_1_RECOVERY: &str = "4XNP-FCLC-OFBU-VPPS-VP72-RO2Q-UGPG-JMDB-4EMT";
const FORMAT_1_ENTRIES: usize = 4;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/format-1")
        .join(name)
}

/// A copy of the format-1 journal in a fresh folder (opening writes to it).
fn format_1_journal() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["journal.db", "journal.key"] {
        std::fs::copy(fixture(name), dir.path().join(name)).unwrap();
    }
    dir
}

fn key_file_format(dir: &Path) -> u16 {
    let bytes = std::fs::read(dir.join("journal.key")).unwrap();
    u16::from_le_bytes([bytes[8], bytes[9]])
}

fn format_1_recovery() -> RecoveryKey {
    RecoveryKey::parse(FORMAT_1_RECOVERY).unwrap()
}

/// Opens the database file with `key` the way SQLCipher would without being told a layout
/// (its defaults: 4 KiB pages, HMAC-SHA512) or told `layout`; whether page 1 reads.
fn page_one_reads(db: &Path, key: &[u8], layout: Option<PageLayout>) -> bool {
    let conn = rusqlite::Connection::open(db).unwrap();
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    conn.execute_batch(&format!(
        "PRAGMA cipher_log_level = NONE; PRAGMA key = \"x'{hex}'\";"
    ))
    .unwrap();
    if let Some(layout) = layout {
        layout.apply(&conn, "main").unwrap();
    }
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .is_ok()
}

#[test]
fn a_new_journal_is_written_in_the_current_layout() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    j.add(&note("laid out", "2026-03-01T07:30:00+01:00"))
        .unwrap();
    let key = j.data_key_for_tests().to_vec();
    let db = j.files().db.clone();
    j.lock();
    assert_eq!(key_file_format(dir.path()), 2);
    let length = std::fs::metadata(&db).unwrap().len() as usize;
    assert_eq!(length % PageLayout::Large.page_size(), 0, "{length}");
    assert!(page_one_reads(&db, &key, Some(PageLayout::Large)));
    assert!(!page_one_reads(&db, &key, None));
    assert!(!page_one_reads(&db, &key, Some(PageLayout::Small)));
}

#[test]
fn a_format_1_journal_opens_and_keeps_its_layout_through_a_passphrase_change() {
    let dir = format_1_journal();
    let mut j = Journal::open(dir.path(), FORMAT_1_PASSPHRASE).unwrap();
    assert_eq!(j.page_layout(), PageLayout::Small);
    let settings = j.engine_settings().unwrap();
    assert_eq!(settings.cipher_page_size, 4096);
    assert_eq!(settings.cipher_hmac_algorithm, "HMAC_SHA512");
    assert_eq!(settings.wal_autocheckpoint, 1024, "4 MiB of 4 KiB pages");
    j.integrity_check().unwrap();
    let entries = j.list(&Filter::default()).unwrap();
    assert_eq!(entries.len(), FORMAT_1_ENTRIES);
    assert_eq!(entries[0].note.as_deref(), Some("fasting, format one"));
    j.add(&note("added later", "2026-03-02T07:30:00+01:00"))
        .unwrap();

    // Rewrapping keeps format 1: the recovery wrap is sealed over the format-1 header and
    // cannot be resealed without the recovery key.
    j.replace_passphrase(
        FORMAT_1_PASSPHRASE,
        PASSPHRASE,
        journal::KdfParams::OWASP_FLOOR,
    )
    .unwrap();
    j.lock();
    assert_eq!(key_file_format(dir.path()), 1);
    let j = Journal::open(dir.path(), PASSPHRASE).unwrap();
    assert_eq!(
        j.list(&Filter::default()).unwrap().len(),
        FORMAT_1_ENTRIES + 1
    );
    j.lock();
    let j = Journal::open_with(dir.path(), Unlock::Recovery(&format_1_recovery())).unwrap();
    assert_eq!(j.page_layout(), PageLayout::Small);
    j.integrity_check().unwrap();
}

#[test]
fn a_new_data_key_moves_a_format_1_journal_to_the_current_layout() {
    let dir = format_1_journal();
    let mut j = Journal::open(dir.path(), FORMAT_1_PASSPHRASE).unwrap();
    let keychain = MemoryKeychain::default();
    j.remember_on_device(&keychain).unwrap();
    let replaced = j
        .replace_data_key(FORMAT_1_PASSPHRASE, Some(&keychain))
        .unwrap();
    assert!(replaced.still_remembered);
    assert_eq!(j.page_layout(), PageLayout::Large);
    assert_eq!(j.engine_settings().unwrap().cipher_page_size, 16384);
    assert_eq!(j.list(&Filter::default()).unwrap().len(), FORMAT_1_ENTRIES);
    let key = j.data_key_for_tests().to_vec();
    let db = j.files().db.clone();
    j.lock();

    assert_eq!(key_file_format(dir.path()), 2);
    assert!(page_one_reads(&db, &key, Some(PageLayout::Large)));
    assert!(!page_one_reads(&db, &key, Some(PageLayout::Small)));
    for unlock in [
        Journal::open(dir.path(), FORMAT_1_PASSPHRASE),
        Journal::open_with(dir.path(), Unlock::Recovery(&replaced.recovery)),
        Journal::open_remembered(dir.path(), &keychain),
    ] {
        let j = unlock.unwrap();
        j.integrity_check().unwrap();
        assert_eq!(j.list(&Filter::default()).unwrap().len(), FORMAT_1_ENTRIES);
    }
    assert!(Journal::open_with(dir.path(), Unlock::Recovery(&format_1_recovery())).is_err());
}

/// A crash between the two renames of a key replacement: the new-layout database beside the
/// format-1 key file, the format-2 one still waiting. The next open finishes the swap.
#[test]
fn a_format_1_journal_interrupted_while_moving_to_the_current_layout_is_finished_on_open() {
    let dir = format_1_journal();
    let format_1_key = std::fs::read(dir.path().join("journal.key")).unwrap();
    let mut j = Journal::open(dir.path(), FORMAT_1_PASSPHRASE).unwrap();
    let replaced = j.replace_data_key(FORMAT_1_PASSPHRASE, None).unwrap();
    j.lock();
    let key_next = dir.path().join("journal.key.next");
    std::fs::rename(dir.path().join("journal.key"), &key_next).unwrap();
    std::fs::write(dir.path().join("journal.key"), &format_1_key).unwrap();

    let j = Journal::open_with(dir.path(), Unlock::Recovery(&replaced.recovery)).unwrap();
    assert_eq!(j.page_layout(), PageLayout::Large);
    j.integrity_check().unwrap();
    assert_eq!(j.list(&Filter::default()).unwrap().len(), FORMAT_1_ENTRIES);
    assert!(!key_next.exists());
    assert_eq!(key_file_format(dir.path()), 2);
}

#[test]
fn a_format_1_backup_restores_in_its_layout_and_backs_up_again() {
    for secret in [
        Unlock::Passphrase(FORMAT_1_PASSPHRASE),
        Unlock::Recovery(&format_1_recovery()),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut j =
            Journal::restore(dir.path(), &fixture("format1.vitalog-backup"), secret).unwrap();
        assert_eq!(j.page_layout(), PageLayout::Small);
        j.integrity_check().unwrap();
        assert_eq!(j.list(&Filter::default()).unwrap().len(), FORMAT_1_ENTRIES);

        // A backup of the restored journal carries its format-1 key file and layout.
        let again = dir.path().join("again.vitalog-backup");
        j.backup(&again).unwrap();
        j.lock();
        let elsewhere = tempfile::tempdir().unwrap();
        let j = Journal::restore(elsewhere.path(), &again, secret).unwrap();
        assert_eq!(j.page_layout(), PageLayout::Small);
        assert_eq!(j.list(&Filter::default()).unwrap().len(), FORMAT_1_ENTRIES);
    }
}

#[test]
fn a_backup_of_a_new_journal_restores_in_the_current_layout() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, recovery) = create(dir.path());
    j.add(&note("backed up", "2026-03-01T07:30:00+01:00"))
        .unwrap();
    let backup = dir.path().join("journal.vitalog-backup");
    j.backup(&backup).unwrap();
    j.lock();
    let elsewhere = tempfile::tempdir().unwrap();
    let j = Journal::restore(elsewhere.path(), &backup, Unlock::Recovery(&recovery)).unwrap();
    assert_eq!(j.page_layout(), PageLayout::Large);
    assert_eq!(j.engine_settings().unwrap().cipher_page_size, 16384);
    let key = j.data_key_for_tests().to_vec();
    let db = j.files().db.clone();
    j.integrity_check().unwrap();
    j.lock();
    assert!(page_one_reads(&db, &key, Some(PageLayout::Large)));
}
