//! Backup, restore elsewhere, and erase (SECURITY.md §8 goal 11).

use journal::{Error, Filter, Journal, MemoryKeychain, Unlock};

use crate::support::*;

#[test]
fn backup_restores_elsewhere_with_passphrase_or_recovery_key() {
    let home = tempfile::tempdir().unwrap();
    let (mut j, recovery) = create(home.path());
    for i in 0..50 {
        j.add(&glucose(&format!("5.{i}"), "2026-03-01T07:30:00+01:00"))
            .unwrap();
    }
    let id = j
        .add(&note("kept", "2026-03-02T07:30:00+01:00"))
        .unwrap()
        .id();
    j.delete(id).unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("journal.vitalog-backup");
    j.backup(&file).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    assert!(!contains(&bytes, b"SQLite format 3"));
    assert!(!contains(&bytes, b"kept"));

    let other = tempfile::tempdir().unwrap();
    let restored = Journal::restore(other.path(), &file, Unlock::Passphrase(PASSPHRASE)).unwrap();
    assert_eq!(restored.list(&Filter::default()).unwrap().len(), 50);
    assert_eq!(
        restored.history(id).unwrap().len(),
        2,
        "history travels with the backup"
    );
    restored.lock();
    assert!(Journal::open(other.path(), PASSPHRASE).is_ok());

    let third = tempfile::tempdir().unwrap();
    let restored = Journal::restore(third.path(), &file, Unlock::Recovery(&recovery)).unwrap();
    assert_eq!(restored.list(&Filter::default()).unwrap().len(), 50);
    restored.lock();

    // Only into an empty folder, and only with the right secret.
    assert!(matches!(
        Journal::restore(home.path(), &file, Unlock::Passphrase(PASSPHRASE)),
        Err(Error::AlreadyExists { .. })
    ));
    let fourth = tempfile::tempdir().unwrap();
    assert!(matches!(
        Journal::restore(fourth.path(), &file, Unlock::Passphrase("wrong passphrase")),
        Err(Error::WrongPassphrase)
    ));
    assert!(crate::support::files_under(fourth.path()).is_empty());
}

#[test]
fn two_programs_back_up_the_same_journal_at_once() {
    // The app and the command line may both hold the journal and back it up at the same time;
    // each backup must be whole, and neither may leave its working copy behind.
    let home = tempfile::tempdir().unwrap();
    let (mut j, _) = create(home.path());
    for i in 0..200 {
        j.add(&glucose(&format!("6.{i}"), "2026-03-01T07:30:00+01:00"))
            .unwrap();
    }
    let second = Journal::open(home.path(), PASSPHRASE).unwrap();
    let out = tempfile::tempdir().unwrap();
    std::thread::scope(|scope| {
        for (name, mut journal) in [("app", j), ("cli", second)] {
            let out = out.path();
            scope.spawn(move || {
                for round in 0..8 {
                    journal
                        .backup(&out.join(format!("{name}-{round}.vitalog-backup")))
                        .unwrap();
                }
            });
        }
    });
    for file in files_under(out.path()) {
        let restored = tempfile::tempdir().unwrap();
        let journal = Journal::restore(restored.path(), &file, Unlock::Passphrase(PASSPHRASE))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(journal.list(&Filter::default()).unwrap().len(), 200);
    }
    let journal_files = [
        "journal.db",
        "journal.db-wal",
        "journal.db-shm",
        "journal.key",
        "journal.lock",
    ];
    for file in files_under(home.path()) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            journal_files.contains(&name.as_str()),
            "a working copy was left behind: {name}"
        );
    }
}

#[test]
fn an_altered_backup_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let (mut j, _) = create(home.path());
    j.add(&glucose("5.8", "2026-03-01T07:30:00+01:00")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("b");
    j.backup(&file).unwrap();
    let good = std::fs::read(&file).unwrap();
    for position in [good.len() - 10, good.len() / 2, 300] {
        let mut bad = good.clone();
        bad[position] ^= 0x40;
        std::fs::write(&file, &bad).unwrap();
        let target = tempfile::tempdir().unwrap();
        let result = Journal::restore(target.path(), &file, Unlock::Passphrase(PASSPHRASE));
        assert!(
            matches!(result, Err(Error::BackupDamaged | Error::WrongPassphrase)),
            "{position}: {result:?}"
        );
    }
    std::fs::write(&file, &good[..good.len() - 1]).unwrap();
    let target = tempfile::tempdir().unwrap();
    assert!(matches!(
        Journal::restore(target.path(), &file, Unlock::Passphrase(PASSPHRASE)),
        Err(Error::BackupDamaged)
    ));
}

#[test]
fn erase_leaves_no_file_and_no_keychain_entry() {
    let dir = tempfile::tempdir().unwrap();
    let keychain = MemoryKeychain::new();
    let (mut j, _) = create(dir.path());
    j.add(&note("MARKER-erase", "2026-03-01T07:30:00+01:00"))
        .unwrap();
    j.remember_on_device(&keychain).unwrap();
    assert_eq!(keychain.dump().len(), 1);
    // A second name for the key file's blocks shows what erasing leaves in them.
    let elsewhere = tempfile::tempdir_in(dir.path().parent().unwrap()).unwrap();
    let same_blocks = elsewhere.path().join("journal.key");
    std::fs::hard_link(&j.files().key, &same_blocks).unwrap();
    j.lock();
    Journal::erase(dir.path(), Some(&keychain)).unwrap();
    let left = std::fs::read(&same_blocks).unwrap();
    assert!(
        !left.is_empty() && left.iter().all(|&b| b == 0),
        "the key file is overwritten in place"
    );
    assert!(
        files_under(dir.path()).is_empty(),
        "{:?}",
        files_under(dir.path())
    );
    assert!(keychain.dump().is_empty());
    assert!(matches!(
        Journal::open(dir.path(), PASSPHRASE),
        Err(Error::NotInitialised { .. })
    ));
    // Erasing an empty folder is fine.
    Journal::erase(dir.path(), None).unwrap();
}

#[test]
fn deleted_values_are_overwritten_by_secure_delete() {
    // SECURITY.md §8 goal 11 asks for an encryption-off build; with encryption on, pages are
    // never plaintext, so this checks the setting that makes it true there.
    let dir = tempfile::tempdir().unwrap();
    let (j, _) = create(dir.path());
    assert_eq!(j.engine_settings().unwrap().secure_delete, 1);
}
