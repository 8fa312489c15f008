//! A flipped byte in any page is detected and no altered value is returned (SECURITY.md §8
//! goal 5).

use journal::{Error, Filter, Journal, PageLayout};

use crate::support::*;

const PAGE: usize = PageLayout::CURRENT.page_size();
const ENTRIES: usize = 1_500;

#[test]
fn a_flipped_byte_in_page_one_two_or_the_last_is_reported_as_damage() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    let batch: Vec<_> = (0..ENTRIES)
        .map(|i| glucose(&format!("5.{i}"), "2026-03-01T07:30:00+01:00"))
        .collect();
    j.add_all(&batch).unwrap();
    let db = j.files().db.clone();
    j.lock();
    assert!(
        !j_files_wal(&db).exists(),
        "a clean close checkpoints and removes the WAL"
    );
    let original = std::fs::read(&db).unwrap();
    let pages = original.len() / PAGE;
    assert!(pages >= 3);
    for (name, offset) in [
        ("page 1", 100),
        ("page 2", PAGE + 200),
        ("last page", (pages - 1) * PAGE + 300),
    ] {
        let mut bad = original.clone();
        bad[offset] ^= 0x01;
        std::fs::write(&db, &bad).unwrap();
        let outcome = Journal::open(dir.path(), PASSPHRASE).and_then(|j| {
            j.integrity_check()?;
            j.list(&Filter::default())
        });
        assert!(
            matches!(outcome, Err(Error::JournalDamaged)),
            "{name}: {outcome:?}"
        );
        let message = Error::JournalDamaged.to_string();
        assert!(message.contains("damaged"));
    }
    std::fs::write(&db, &original).unwrap();
    let j = Journal::open(dir.path(), PASSPHRASE).unwrap();
    j.integrity_check().unwrap();
    assert_eq!(j.list(&Filter::default()).unwrap().len(), ENTRIES);
}

fn j_files_wal(db: &std::path::Path) -> std::path::PathBuf {
    db.with_file_name("journal.db-wal")
}

/// A damaged journal can be moved aside (kept, not deleted) so a backup takes its place; an
/// intact one, or a wrong passphrase, moves nothing.
#[test]
fn a_damaged_journal_is_set_aside_and_a_backup_restored_in_its_place() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("vitalog");
    let (mut j, recovery) = create(&dir);
    j.add(&glucose("6.2", "2026-03-01T07:30:00+01:00")).unwrap();
    let backup = parent.path().join("journal.vitalog-backup");
    j.backup(&backup).unwrap();
    let db = j.files().db.clone();
    j.lock();

    assert!(matches!(
        Journal::set_aside_damaged(&dir, journal::Unlock::Passphrase(PASSPHRASE)),
        Err(Error::Invalid(_))
    ));
    let mut bad = std::fs::read(&db).unwrap();
    bad[PAGE + 200] ^= 0x01;
    std::fs::write(&db, &bad).unwrap();
    assert!(matches!(
        Journal::set_aside_damaged(&dir, journal::Unlock::Passphrase("not the passphrase")),
        Err(Error::WrongPassphrase)
    ));
    assert!(db.exists(), "a wrong passphrase moves nothing");

    let aside = Journal::set_aside_damaged(&dir, journal::Unlock::Recovery(&recovery)).unwrap();
    assert!(aside.starts_with(&dir));
    assert_eq!(
        std::fs::read(aside.join("journal.db")).unwrap(),
        bad,
        "kept as it was"
    );
    assert!(aside.join("journal.key").exists());
    assert!(!Journal::exists(&dir));

    let j = Journal::restore(&dir, &backup, journal::Unlock::Passphrase(PASSPHRASE)).unwrap();
    assert_eq!(j.list(&Filter::default()).unwrap().len(), 1);
    j.lock();

    // Erasing everything takes the kept journal too.
    Journal::erase(&dir, None).unwrap();
    assert!(files_under(&dir).is_empty(), "{:?}", files_under(&dir));
}

/// A set-aside interrupted after the database moved (the key file still there) is finished by
/// setting aside again, without any check that needs the missing database, into the folder
/// the database went to, so the kept journal is whole.
#[test]
fn an_interrupted_set_aside_is_finished_by_the_next_one() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("vitalog");
    let (j, _) = create(&dir);
    let db = j.files().db.clone();
    j.lock();
    let earlier = dir.join("damaged-20261201T080000Z");
    std::fs::create_dir(&earlier).unwrap();
    std::fs::rename(&db, earlier.join("journal.db")).unwrap();
    // An older, finished set-aside stays as it is.
    let finished = dir.join("damaged-20261101T080000Z");
    std::fs::create_dir(&finished).unwrap();
    assert!(Journal::exists(&dir));

    let aside = Journal::set_aside_damaged(&dir, journal::Unlock::Passphrase(PASSPHRASE)).unwrap();
    assert_eq!(aside, earlier);
    assert!(aside.join("journal.key").exists());
    assert!(!Journal::exists(&dir));
    assert!(files_under(&finished).is_empty());
    assert!(
        Journal::open(&aside, PASSPHRASE).is_ok(),
        "the kept journal is whole"
    );
}

/// A key replacement interrupted after the database was swapped, whose new key file is then
/// damaged, cannot be finished: the journal reports damage, and setting it aside and erasing
/// it still work.
#[test]
fn an_unfinishable_key_replacement_does_not_block_set_aside_or_erase() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("vitalog");
    let (j, _) = create(&dir);
    let key = j.files().key.clone();
    j.lock();
    let next_key = dir.join("journal.key.next");
    std::fs::write(&next_key, b"VTLGKEY but not really a key file").unwrap();
    assert!(matches!(
        Journal::open(&dir, PASSPHRASE),
        Err(Error::KeyFileDamaged { .. })
    ));

    let aside = Journal::set_aside_damaged(&dir, journal::Unlock::Passphrase(PASSPHRASE)).unwrap();
    assert!(
        aside.join("journal.key.next").exists(),
        "kept with the rest"
    );
    assert!(aside.join("journal.key").exists());
    assert!(!key.exists() && !next_key.exists());

    // The same state erased instead.
    let other = parent.path().join("other");
    let (j, _) = create(&other);
    j.lock();
    std::fs::write(other.join("journal.key.next"), b"damaged").unwrap();
    Journal::erase(&other, None).unwrap();
    assert!(files_under(&other).is_empty(), "{:?}", files_under(&other));
}
