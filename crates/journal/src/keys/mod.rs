//! The key hierarchy: a random data key (DEK) encrypts the database; copies of it are kept only
//! wrapped (AES-256-GCM) under a passphrase-derived key, a recovery key and, optionally, a key
//! held by the OS keychain.

pub mod kdf;
pub mod keychain;
pub mod keyfile;
pub mod recovery;
pub mod strength;
mod wrap;

use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Length of the data key in bytes (AES-256 for SQLCipher's pages).
pub const DATA_KEY_LEN: usize = 32;

/// The random key SQLCipher encrypts the journal with. Wiped from memory when dropped.
pub struct DataKey(Zeroizing<[u8; DATA_KEY_LEN]>);

impl DataKey {
    /// A fresh key from the operating system's random generator.
    pub(crate) fn generate() -> Result<Self> {
        Ok(Self(random_array()?))
    }

    pub(crate) fn from_bytes(bytes: Zeroizing<[u8; DATA_KEY_LEN]>) -> Self {
        Self(bytes)
    }

    pub(crate) fn as_bytes(&self) -> &[u8; DATA_KEY_LEN] {
        &self.0
    }

    /// The `PRAGMA key` / `ATTACH … KEY` literal for SQLCipher's raw-key mode: `x'<64 hex>'`.
    pub(crate) fn sqlcipher_literal(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::with_capacity(DATA_KEY_LEN * 2 + 3));
        text.push_str("x'");
        for byte in self.0.iter() {
            text.push(hex_digit(byte >> 4));
            text.push(hex_digit(byte & 0x0f));
        }
        text.push('\'');
        text
    }

    /// The raw key bytes, for tests that scan files for the key (SECURITY.md §8 goal 3).
    #[cfg(feature = "test-support")]
    pub(crate) fn expose_for_tests(&self) -> &[u8] {
        self.0.as_slice()
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

fn hex_digit(nibble: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(nibble & 0x0f)])
}

/// `N` random bytes from the OS generator, in a buffer wiped on drop.
pub(crate) fn random_array<const N: usize>() -> Result<Zeroizing<[u8; N]>> {
    let mut bytes = Zeroizing::new([0u8; N]);
    SystemRandom::new()
        .fill(bytes.as_mut_slice())
        .map_err(|_| Error::Random)?;
    Ok(bytes)
}

/// Seals a 32-byte key under the data key (backup keys are wrapped this way).
pub(crate) fn seal_with_data_key(
    dek: &DataKey,
    secret: &[u8; DATA_KEY_LEN],
    aad: &[u8],
) -> Result<([u8; 12], [u8; 48])> {
    wrap::seal(dek.as_bytes(), secret, aad)
}

/// Opens a key sealed by [`seal_with_data_key`].
pub(crate) fn open_with_data_key(
    dek: &DataKey,
    nonce: &[u8; 12],
    sealed: &[u8; 48],
    aad: &[u8],
) -> Option<DataKey> {
    wrap::open(dek.as_bytes(), nonce, sealed, aad).map(DataKey::from_bytes)
}
