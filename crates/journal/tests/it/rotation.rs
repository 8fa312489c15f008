//! Replacing the data key (SECURITY.md §8 goal 9): after deleting half the rows in WAL mode,
//! the journal is re-encrypted under a new key, the old key and the old recovery key no longer
//! open it, every row survives; a crash on either side of the swap leaves a journal that opens.

use journal::{Error, Filter, Journal, MemoryKeychain, PageLayout, RecoveryKey, Unlock};

use crate::support::*;

/// Whether `raw_key` opens the database file at `db` directly (bypassing the key file).
fn raw_key_opens(db: &std::path::Path, raw_key: &[u8]) -> bool {
    let Ok(conn) = rusqlite::Connection::open(db) else {
        return false;
    };
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\"", hex(raw_key)))
        .is_ok()
        && PageLayout::CURRENT.apply(&conn, "main").is_ok()
        && conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
            .is_ok()
}

fn journal_with_rows(dir: &std::path::Path, rows: usize) -> (Journal, RecoveryKey) {
    let (mut j, recovery) = create(dir);
    for i in 0..rows {
        j.add(&glucose(
            &format!("{}.{}", 4 + i % 6, i % 10),
            "2026-03-01T07:30:00+01:00",
        ))
        .unwrap();
    }
    (j, recovery)
}

#[test]
fn a_new_data_key_and_recovery_key_replace_the_old_ones_and_every_row_stays() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, old_recovery) = journal_with_rows(dir.path(), 40);
    let all = j.list(&Filter::default()).unwrap();
    for entry in all.iter().step_by(2) {
        j.delete(entry.id).unwrap();
    }
    assert!(
        j.files().wal.exists(),
        "the deletes sit in the write-ahead log"
    );
    let kept: Vec<_> = j.list(&Filter::default()).unwrap();
    assert_eq!(kept.len(), 20);
    let old_key = j.data_key_for_tests().to_vec();
    let key_file_before = std::fs::read(&j.files().key).unwrap();

    assert!(matches!(
        j.replace_data_key("not the passphrase", None),
        Err(Error::WrongPassphrase)
    ));
    assert_eq!(std::fs::read(&j.files().key).unwrap(), key_file_before);

    let replaced = j.replace_data_key(PASSPHRASE, None).unwrap();
    assert!(!replaced.was_remembered && !replaced.still_remembered);
    let new_key = j.data_key_for_tests().to_vec();
    assert_ne!(new_key, old_key);
    assert_eq!(
        j.list(&Filter::default()).unwrap(),
        kept,
        "the open journal goes on"
    );
    j.add(&note("after the new key", "2026-03-02T08:00:00+01:00"))
        .unwrap();
    let files = j.files().clone();
    j.lock();

    assert!(
        !raw_key_opens(&files.db, &old_key),
        "the old key opens nothing"
    );
    assert!(raw_key_opens(&files.db, &new_key));
    assert!(matches!(
        Journal::open_with(dir.path(), Unlock::Recovery(&old_recovery)),
        Err(Error::WrongRecoveryKey)
    ));
    let j = Journal::open_with(dir.path(), Unlock::Recovery(&replaced.recovery)).unwrap();
    j.integrity_check().unwrap();
    assert_eq!(j.list(&Filter::default()).unwrap().len(), 21);
    j.lock();
    let j = Journal::open(dir.path(), PASSPHRASE).unwrap();
    assert_eq!(j.list(&Filter::default()).unwrap().len(), 21);
    assert!(j.audit_log_intact().unwrap());
    let leftovers: Vec<_> = files_under(dir.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".next"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn this_device_still_unlocks_after_the_key_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let keychain = MemoryKeychain::new();
    let (mut j, _) = journal_with_rows(dir.path(), 3);
    j.remember_on_device(&keychain).unwrap();
    let replaced = j.replace_data_key(PASSPHRASE, Some(&keychain)).unwrap();
    assert!(replaced.still_remembered);
    j.lock();
    let j = Journal::open_remembered(dir.path(), &keychain).unwrap();
    assert_eq!(j.list(&Filter::default()).unwrap().len(), 3);

    // Without the keychain the device copy cannot be carried over; the passphrase still works.
    let mut j = j;
    let replaced = j.replace_data_key(PASSPHRASE, None).unwrap();
    assert!(replaced.was_remembered && !replaced.still_remembered);
    j.lock();
    assert!(matches!(
        Journal::open_remembered(dir.path(), &keychain),
        Err(Error::NotRemembered)
    ));
}

#[test]
fn a_crash_before_the_swap_leaves_the_old_key_in_charge() {
    let dir = tempfile::tempdir().unwrap();
    let (j, recovery) = journal_with_rows(dir.path(), 5);
    let files = j.files().clone();
    j.lock();
    // What a rotation leaves when it stops before the database is swapped: both copies.
    let db_next = dir.path().join("journal.db.next");
    let key_next = dir.path().join("journal.key.next");
    std::fs::copy(&files.db, &db_next).unwrap();
    std::fs::write(&key_next, b"half a key file").unwrap();

    let j = Journal::open_with(dir.path(), Unlock::Recovery(&recovery)).unwrap();
    assert_eq!(j.list(&Filter::default()).unwrap().len(), 5);
    assert!(
        !db_next.exists() && !key_next.exists(),
        "the unfinished copies are gone"
    );
}

#[test]
fn a_crash_after_the_swap_is_finished_on_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = journal_with_rows(dir.path(), 5);
    let files = j.files().clone();
    let old_key_file = std::fs::read(&files.key).unwrap();
    j.replace_data_key(PASSPHRASE, None).unwrap();
    j.lock();
    // What a rotation leaves when it stops between the two renames: the new database beside
    // the old key file, and the new key file still waiting.
    let key_next = dir.path().join("journal.key.next");
    std::fs::rename(&files.key, &key_next).unwrap();
    std::fs::write(&files.key, &old_key_file).unwrap();

    let j = Journal::open(dir.path(), PASSPHRASE).unwrap();
    assert_eq!(j.list(&Filter::default()).unwrap().len(), 5);
    assert!(!key_next.exists());
    assert_ne!(std::fs::read(&files.key).unwrap(), old_key_file);
}

#[test]
fn erase_leaves_no_half_rotated_key_behind() {
    let dir = tempfile::tempdir().unwrap();
    let (j, _) = journal_with_rows(dir.path(), 1);
    let files = j.files().clone();
    j.lock();
    std::fs::copy(&files.key, dir.path().join("journal.key.next")).unwrap();
    std::fs::copy(&files.db, dir.path().join("journal.db.next")).unwrap();
    Journal::erase(dir.path(), None).unwrap();
    assert!(
        files_under(dir.path()).is_empty(),
        "{:?}",
        files_under(dir.path())
    );
}

/// Found in review: when a key replacement could neither rename its new key file into place
/// nor write it there, the waiting `journal.key.next` was renamed over any key file written
/// later, undoing a passphrase change made in between.
#[test]
fn a_key_file_written_after_an_unfinished_swap_is_not_undone_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = journal_with_rows(dir.path(), 1);
    let key_next = dir.path().join("journal.key.next");
    std::fs::copy(&j.files().key, &key_next).unwrap();
    let new_passphrase = "a passphrase chosen after the swap";
    j.replace_passphrase(PASSPHRASE, new_passphrase, journal::KdfParams::OWASP_FLOOR)
        .unwrap();
    j.lock();
    assert!(!key_next.exists());
    let j = Journal::open(dir.path(), new_passphrase).unwrap();
    assert_eq!(j.list(&Filter::default()).unwrap().len(), 1);
}

/// A `journal.key.next` of another journal never replaces this journal's key file (issue 11
/// #9): the journal still opens with its own passphrase.
#[test]
fn a_key_file_of_another_journal_is_not_taken_for_a_finished_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("ours");
    let theirs = dir.path().join("theirs");
    let (journal, _) = create(&ours);
    journal.lock();
    let (other, _) =
        journal::Journal::create(&theirs, "another passphrase entirely", &fast()).unwrap();
    other.lock();
    let before = std::fs::read(ours.join("journal.key")).unwrap();
    std::fs::copy(theirs.join("journal.key"), ours.join("journal.key.next")).unwrap();

    let reopened = Journal::open(&ours, PASSPHRASE).expect("our own passphrase still opens it");
    reopened.lock();
    assert_eq!(std::fs::read(ours.join("journal.key")).unwrap(), before);
}
