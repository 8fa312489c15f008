//! "Remember on this device" through the keychain trait, and every way the keychain can fail
//! (SECURITY.md §8 goals 3 and 23).

use journal::{Error, Journal, MemoryKeychain};

use crate::support::*;

#[test]
fn remembered_journal_unlocks_without_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let keychain = MemoryKeychain::new();
    let (mut j, _) = create(dir.path());
    assert!(matches!(
        Journal::open_remembered(dir.path(), &keychain),
        Err(Error::NotRemembered)
    ));
    j.remember_on_device(&keychain).unwrap();
    let dek = j.data_key_for_tests().to_vec();
    j.lock();
    let j = Journal::open_remembered(dir.path(), &keychain).unwrap();
    // The keychain holds a device key, never the data key.
    for (_, value) in keychain.dump() {
        assert!(encodings(&dek).iter().all(|e| !contains(&value, e)));
    }
    let mut j = j;
    j.forget_on_device(&keychain).unwrap();
    j.lock();
    assert!(keychain.dump().is_empty());
    assert!(matches!(
        Journal::open_remembered(dir.path(), &keychain),
        Err(Error::NotRemembered)
    ));
}

#[test]
fn unavailable_or_altered_keychain_falls_back_to_the_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    let dead = MemoryKeychain::unavailable();
    assert!(matches!(
        j.remember_on_device(&dead),
        Err(Error::KeychainUnavailable(_))
    ));
    let keychain = MemoryKeychain::new();
    j.remember_on_device(&keychain).unwrap();
    j.lock();
    assert!(matches!(
        Journal::open_remembered(dir.path(), &dead),
        Err(Error::KeychainUnavailable(_))
    ));
    let (account, _) = keychain.dump().pop().unwrap();
    keychain.tamper(&account, b"garbage");
    assert!(matches!(
        Journal::open_remembered(dir.path(), &keychain),
        Err(Error::NotRemembered)
    ));
    keychain.tamper(&account, &[7u8; 32]);
    assert!(matches!(
        Journal::open_remembered(dir.path(), &keychain),
        Err(Error::NotRemembered)
    ));
    // The passphrase still works.
    assert!(Journal::open(dir.path(), PASSPHRASE).is_ok());
}

/// The real OS keychain (Secret Service on Linux), run by `make test` under
/// `tests/keyring/with-secret-service.sh`, which provides one on a private session bus.
/// Ignored in a plain `cargo test`: a developer's own keychain may prompt or be locked.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "needs a Secret Service: tests/keyring/with-secret-service.sh runs it"]
fn os_keychain_remembers_unlocks_and_forgets_a_journal() {
    use journal::{Keychain, OsKeychain};
    let keychain = OsKeychain::new();
    let account = format!("vitalog-test-{}", std::process::id());
    keychain
        .store(&account, b"not a real key")
        .expect("the Secret Service stores");
    assert_eq!(
        keychain
            .load(&account)
            .unwrap()
            .as_deref()
            .map(Vec::as_slice),
        Some(&b"not a real key"[..])
    );
    keychain.delete(&account).unwrap();
    assert_eq!(keychain.load(&account).unwrap(), None);

    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    j.remember_on_device(&keychain).unwrap();
    j.lock();
    let j = Journal::open_remembered(dir.path(), &keychain).unwrap();
    let mut j = j;
    let replaced = j.replace_data_key(PASSPHRASE, Some(&keychain)).unwrap();
    assert!(replaced.still_remembered);
    j.lock();
    let j = Journal::open_remembered(dir.path(), &keychain).unwrap();
    let key_file = journal::test_support::KeyFile::read(&j.files().key).unwrap();
    let journal_account = key_file.journal_id_hex();
    assert!(keychain.load(&journal_account).unwrap().is_some());
    j.lock();
    Journal::erase(dir.path(), Some(&keychain)).unwrap();
    assert_eq!(
        keychain.load(&journal_account).unwrap(),
        None,
        "erase removes the entry"
    );
}
