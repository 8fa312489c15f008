//! Key derivation and the key file header (SECURITY.md §8 goals 7 and 8).

use journal::{CreateOptions, Error, Journal, KdfParams, RecoveryKey, Unlock};
use proptest::prelude::*;

use crate::support::*;

/// RFC 9106 §5.3 Argon2id test vector against the Argon2 implementation we link.
#[test]
fn argon2id_matches_rfc9106_test_vector() {
    use argon2::{Algorithm, Argon2, AssociatedData, ParamsBuilder, Version};
    let ad = [4u8; 12];
    let params = ParamsBuilder::new()
        .m_cost(32)
        .t_cost(3)
        .p_cost(4)
        .data(AssociatedData::new(&ad).unwrap())
        .output_len(32)
        .build()
        .unwrap();
    let secret = [3u8; 8];
    let argon =
        Argon2::new_with_secret(&secret, Algorithm::Argon2id, Version::V0x13, params).unwrap();
    let mut tag = [0u8; 32];
    argon
        .hash_password_into(&[1u8; 32], &[2u8; 16], &mut tag)
        .unwrap();
    assert_eq!(
        hex(&tag),
        "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
    );
}

/// New journals use the real default and reopen with it. (The unlock time at these parameters
/// is a figure of the storage benchmark, not of a test.)
#[test]
fn new_journals_use_the_default_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let (j, _) = Journal::create(dir.path(), PASSPHRASE, &CreateOptions::default()).unwrap();
    assert_eq!(j.kdf_params(), Some(KdfParams::DEFAULT));
    assert!(KdfParams::DEFAULT.meets_floor());
    const { assert!(KdfParams::DEFAULT.memory_kib >= 19_456 && KdfParams::DEFAULT.iterations >= 2) };
    j.lock();
    let j = Journal::open(dir.path(), PASSPHRASE).unwrap();
    assert_eq!(j.kdf_params(), Some(KdfParams::DEFAULT));
    j.lock();

    // An absurdly long passphrase is refused, and before any key derivation (the unit test
    // keys::keyfile::tests::an_over_long_passphrase_is_refused_before_deriving shows the order).
    let huge = "x".repeat(1 << 20);
    assert!(matches!(
        Journal::open(dir.path(), &huge),
        Err(Error::PassphraseTooLong { .. })
    ));
}

/// Key file format 2: magic, format, journal id, page layout, wrap count.
const HEADER_LEN: usize = 28;
const WRAP_LEN: usize = 90;

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Any changed byte in the common header or a wrap makes that wrap refuse to open.
    #[test]
    fn altered_key_file_bytes_are_rejected(index in 0usize..(HEADER_LEN + 2 * WRAP_LEN), mask in 1u8..=255) {
        let (dir, recovery, original) = fixture();
        let key_path = dir.path().join("journal.key");
        let mut bytes = original.clone();
        bytes[index] ^= mask;
        std::fs::write(&key_path, &bytes).unwrap();
        let in_passphrase_part = index < HEADER_LEN + WRAP_LEN;
        let in_recovery_part = !(HEADER_LEN..HEADER_LEN + WRAP_LEN).contains(&index);
        if in_passphrase_part {
            prop_assert!(Journal::open(dir.path(), PASSPHRASE).is_err());
        }
        if in_recovery_part {
            prop_assert!(Journal::open_with(dir.path(), Unlock::Recovery(&recovery)).is_err());
        }
        std::fs::write(&key_path, &original).unwrap();
    }
}

/// A shared journal folder, its recovery key text and its key file bytes.
type Fixture = (std::rc::Rc<tempfile::TempDir>, String, Vec<u8>);

thread_local! {
    static FIXTURE: std::cell::RefCell<Option<Fixture>> =
        const { std::cell::RefCell::new(None) };
}

/// One journal shared by all proptest cases of a thread (creating one per case would dominate).
fn fixture() -> (std::rc::Rc<tempfile::TempDir>, RecoveryKey, Vec<u8>) {
    FIXTURE.with(|f| {
        let mut f = f.borrow_mut();
        if f.is_none() {
            let dir = tempfile::tempdir().unwrap();
            let (j, recovery) = create(dir.path());
            j.lock();
            let bytes = std::fs::read(dir.path().join("journal.key")).unwrap();
            assert_eq!(bytes.len(), HEADER_LEN + 2 * WRAP_LEN);
            *f = Some((std::rc::Rc::new(dir), recovery.display().to_string(), bytes));
        }
        let (dir, recovery, bytes) = f.as_ref().unwrap();
        (
            dir.clone(),
            RecoveryKey::parse(recovery).unwrap(),
            bytes.clone(),
        )
    })
}

#[test]
fn downgraded_parameters_are_refused_before_deriving() {
    let (dir, _, original) = fixture();
    let mut bytes = original.clone();
    // memory KiB of the passphrase wrap = 1024 (below every OWASP row).
    bytes[HEADER_LEN + 2..HEADER_LEN + 6].copy_from_slice(&1024u32.to_le_bytes());
    let key_path = dir.path().join("journal.key");
    std::fs::write(&key_path, &bytes).unwrap();
    let result = Journal::open(dir.path(), PASSPHRASE);
    std::fs::write(&key_path, &original).unwrap();
    assert!(matches!(result, Err(Error::KdfTooWeak)), "{result:?}");
}
