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
