//! A flipped byte in any page is detected and no altered value is returned (SECURITY.md §8
//! goal 5).

use journal::{Error, Filter, Journal};

use crate::support::*;

const PAGE: usize = 4096;

#[test]
fn a_flipped_byte_in_page_one_two_or_the_last_is_reported_as_damage() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    for i in 0..300 {
        j.add(&glucose(&format!("5.{i}"), "2026-03-01T07:30:00+01:00"))
            .unwrap();
    }
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
    assert_eq!(j.list(&Filter::default()).unwrap().len(), 300);
}

fn j_files_wal(db: &std::path::Path) -> std::path::PathBuf {
    db.with_file_name("journal.db-wal")
}
