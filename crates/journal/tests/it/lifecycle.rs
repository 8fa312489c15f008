//! Create, unlock, lock, passphrase change and the fail-closed cases (SECURITY.md §8 goals 4, 9).

use journal::{Error, Filter, Journal, KdfParams, RecoveryKey, Unlock};

use crate::support::*;

#[test]
fn create_add_lock_reopen_list() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    let id = j
        .add(&glucose("5.80", "2026-03-01T07:30:00+01:00"))
        .unwrap()
        .id();
    j.lock();
    let j = Journal::open(dir.path(), PASSPHRASE).unwrap();
    let all = j.list(&Filter::default()).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].id, id);
    assert_eq!(all[0].at.to_rfc3339(), "2026-03-01T07:30:00+01:00");
    match &all[0].content {
        readings::Content::Glucose { value, .. } => assert_eq!(value.value.to_string(), "5.80"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_passphrase_is_typed_and_changes_no_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    j.add(&glucose("5.8", "2026-03-01T07:30:00+01:00")).unwrap();
    j.lock();
    let before = hashes(dir.path());
    assert!(matches!(
        Journal::open(dir.path(), "not the passphrase"),
        Err(Error::WrongPassphrase)
    ));
    assert!(matches!(
        Journal::open(dir.path(), ""),
        Err(Error::WrongPassphrase)
    ));
    let elsewhere = tempfile::tempdir().unwrap();
    let (_, other) = create(elsewhere.path());
    assert!(matches!(
        Journal::open_with(dir.path(), Unlock::Recovery(&other)),
        Err(Error::WrongRecoveryKey)
    ));
    assert_eq!(before, hashes(dir.path()));
}

#[test]
fn database_refuses_no_key_and_a_wrong_raw_key() {
    let dir = tempfile::tempdir().unwrap();
    let (j, _) = create(dir.path());
    let db = j.files().db.clone();
    j.lock();
    let before = hashes(dir.path());
    for key in [None, Some(format!("x'{}'", "ab".repeat(32)))] {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()))
            .ok();
        if let Some(k) = key {
            conn.query_row(&format!("PRAGMA key = \"{k}\""), [], |_| Ok(()))
                .ok();
        }
        let rows = conn.query_row("SELECT count(*) FROM entries", [], |r| r.get::<_, i64>(0));
        assert!(rows.is_err(), "read without the right key");
    }
    assert_eq!(before, hashes(dir.path()));
}

#[test]
fn missing_and_existing_journals_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        Journal::open(dir.path(), PASSPHRASE),
        Err(Error::NotInitialised { .. })
    ));
    let (j, _) = create(dir.path());
    j.lock();
    assert!(matches!(
        Journal::create(dir.path(), PASSPHRASE, &fast()),
        Err(Error::AlreadyExists { .. })
    ));
    let other = tempfile::tempdir().unwrap();
    assert!(matches!(
        Journal::create(other.path(), "short", &fast()),
        Err(Error::PassphraseTooShort { .. })
    ));
    let weak = journal::CreateOptions {
        kdf: KdfParams {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        },
    };
    assert!(matches!(
        Journal::create(other.path(), PASSPHRASE, &weak),
        Err(Error::KdfTooWeak)
    ));
    assert!(
        journal::JournalFiles::in_dir(other.path())
            .all()
            .iter()
            .all(|p| !p.exists())
    );
}

#[test]
fn recovery_key_unlocks_and_resets_the_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, recovery) = create(dir.path());
    j.add(&note("hello", "2026-03-01T07:30:00+01:00")).unwrap();
    j.lock();
    let shown = recovery.display();
    let typed = RecoveryKey::parse(&shown.to_lowercase()).unwrap();
    let j = Journal::open_with(dir.path(), Unlock::Recovery(&typed)).unwrap();
    assert_eq!(j.list(&Filter::default()).unwrap().len(), 1);
    j.lock();
    Journal::change_passphrase(
        dir.path(),
        Unlock::Recovery(&typed),
        "a brand new passphrase",
        KdfParams::OWASP_FLOOR,
    )
    .unwrap();
    assert!(Journal::open(dir.path(), "a brand new passphrase").is_ok());
}

#[test]
fn passphrase_change_rewraps_only() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    j.add(&note("hello", "2026-03-01T07:30:00+01:00")).unwrap();
    let db = j.files().db.clone();
    let key = j.files().key.clone();
    j.lock();
    let db_before = std::fs::read(&db).unwrap();
    let key_before = std::fs::read(&key).unwrap();
    Journal::change_passphrase(
        dir.path(),
        Unlock::Passphrase(PASSPHRASE),
        "another long passphrase",
        KdfParams::OWASP_FLOOR,
    )
    .unwrap();
    assert_eq!(db_before, std::fs::read(&db).unwrap(), "database untouched");
    assert_ne!(key_before, std::fs::read(&key).unwrap());
    assert!(matches!(
        Journal::open(dir.path(), PASSPHRASE),
        Err(Error::WrongPassphrase)
    ));
    assert!(Journal::open(dir.path(), "another long passphrase").is_ok());
    assert!(matches!(
        Journal::change_passphrase(
            dir.path(),
            Unlock::Passphrase("wrong old passphrase"),
            "x".repeat(20).as_str(),
            KdfParams::OWASP_FLOOR
        ),
        Err(Error::WrongPassphrase)
    ));
}

#[test]
fn audit_log_has_actions_and_an_intact_chain() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    let id = j
        .add(&note("secret words", "2026-03-01T07:30:00+01:00"))
        .unwrap()
        .id();
    j.delete(id).unwrap();
    let log = j.audit_log().unwrap();
    let actions: Vec<_> = log.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["create journal", "add note", "delete"]);
    assert!(log.iter().all(|r| !r.action.contains("secret")));
    assert!(j.audit_log_intact().unwrap());
}

/// Only the patient's account can open the folder or read the files, even though they are
/// encrypted: other users of the computer learn nothing, not even how much was written.
#[cfg(unix)]
#[test]
fn a_new_journal_and_its_backup_and_export_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("vitalog");
    let (mut j, _) = create(&dir);
    j.add(&glucose("5.8", "2026-03-01T07:30:00+01:00")).unwrap();
    j.checkpoint().unwrap();
    assert_eq!(mode(&dir), 0o700);
    let files = j.files().clone();
    for file in [&files.db, &files.wal, &files.key] {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    let backup = parent.path().join("journal.vitalog-backup");
    j.backup(&backup).unwrap();
    assert_eq!(mode(&backup), 0o600);
    let export = parent.path().join("readings.csv");
    assert_eq!(
        j.export_file(journal::Format::Csv, &Filter::default(), &export)
            .unwrap(),
        1
    );
    assert_eq!(mode(&export), 0o600);
    j.lock();

    let restored = parent.path().join("restored");
    let j = Journal::restore(&restored, &backup, Unlock::Passphrase(PASSPHRASE)).unwrap();
    assert_eq!(mode(&restored), 0o700);
    assert_eq!(mode(&j.files().db), 0o600);

    // A journal from before files were made private is made private when it is opened.
    let db = j.files().db.clone();
    j.lock();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let j = Journal::open(&restored, PASSPHRASE).unwrap();
    assert_eq!(mode(&db), 0o600);
    j.lock();
}

/// The app changes the passphrase on the open journal: what it then checks, and what later
/// key-file writes (remember on this device) carry, is the new passphrase.
#[test]
fn a_passphrase_changed_on_the_open_journal_is_the_one_it_keeps() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    let new = "a brand new passphrase 9";
    assert!(matches!(
        j.replace_passphrase("not the passphrase", new, KdfParams::OWASP_FLOOR),
        Err(Error::WrongPassphrase)
    ));
    j.replace_passphrase(PASSPHRASE, new, KdfParams::OWASP_FLOOR)
        .unwrap();
    j.check_passphrase(new).unwrap();
    assert!(matches!(
        j.check_passphrase(PASSPHRASE),
        Err(Error::WrongPassphrase)
    ));
    j.remember_on_device(&journal::MemoryKeychain::new())
        .unwrap();
    j.lock();
    assert!(matches!(
        Journal::open(dir.path(), PASSPHRASE),
        Err(Error::WrongPassphrase)
    ));
    Journal::open(dir.path(), new).unwrap();
}

/// Two programs may have a journal open; replacing its files needs it alone.
#[test]
fn the_data_key_is_not_replaced_while_another_program_has_the_journal_open() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    let locked_change_refused = || {
        matches!(
            Journal::change_passphrase(
                dir.path(),
                Unlock::Passphrase(PASSPHRASE),
                "another passphrase 12",
                KdfParams::OWASP_FLOOR
            ),
            Err(Error::JournalInUse)
        )
    };
    let other = Journal::open(dir.path(), PASSPHRASE).unwrap();
    assert!(matches!(
        j.replace_data_key(PASSPHRASE, None),
        Err(Error::JournalInUse)
    ));
    assert!(locked_change_refused());
    other.list(&Filter::default()).unwrap();
    other.lock();
    // The refused attempts left this journal's own hold in place.
    assert!(locked_change_refused());
    j.replace_data_key(PASSPHRASE, None).unwrap();
    j.list(&Filter::default()).unwrap();
}

/// A debug line (which may end up in a log) never carries a passphrase or a recovery key.
#[test]
fn secrets_print_as_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let (_journal, recovery) = create(dir.path());
    let shown = format!(
        "{:?} {:?} {:?}",
        journal::Unlock::Passphrase(PASSPHRASE),
        journal::Unlock::Recovery(&recovery),
        recovery
    );
    assert!(!shown.contains(PASSPHRASE), "{shown}");
    assert!(!shown.contains(recovery.display().as_str()), "{shown}");
    assert!(shown.contains("[redacted]"), "{shown}");
}
