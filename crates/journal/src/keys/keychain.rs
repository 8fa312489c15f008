//! "Remember on this device": a random device key kept in the OS keychain wraps a third copy of
//! the data key in the key file. The keychain never sees the data key itself.
//!
//! The keychain is a convenience layer. When it is unavailable (for example on a headless Linux
//! machine without a Secret Service), locked, or returns something unexpected, the journal
//! reports [`Error::KeychainUnavailable`] or [`Error::NotRemembered`] and the caller falls back
//! to the passphrase; it never falls back to anything weaker.

use std::collections::HashMap;
use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Where device keys are kept. Implemented by [`OsKeychain`] and, for tests, [`MemoryKeychain`].
pub trait Keychain {
    /// Stores `secret` under `account`, replacing any previous value.
    fn store(&self, account: &str, secret: &[u8]) -> Result<()>;
    /// The secret stored under `account`, or `None` if there is none.
    fn load(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>>;
    /// Deletes the secret under `account`; deleting a missing entry is not an error.
    fn delete(&self, account: &str) -> Result<()>;
}

/// An in-memory keychain for tests; it can pretend to be unavailable.
#[derive(Default)]
pub struct MemoryKeychain {
    entries: Mutex<HashMap<String, Vec<u8>>>,
    unavailable: bool,
}

impl MemoryKeychain {
    /// An empty, working keychain.
    pub fn new() -> Self {
        Self::default()
    }

    /// A keychain that fails every call, like a headless Linux session.
    pub fn unavailable() -> Self {
        Self {
            unavailable: true,
            ..Self::default()
        }
    }

    /// Replaces a stored value (to simulate a changed or corrupted backend).
    pub fn tamper(&self, account: &str, value: &[u8]) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(account.to_owned(), value.to_vec());
        }
    }

    /// Every stored value, for tests that scan for key material.
    pub fn dump(&self) -> Vec<(String, Vec<u8>)> {
        self.entries
            .lock()
            .map(|e| e.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    fn check(&self) -> Result<()> {
        if self.unavailable {
            Err(Error::KeychainUnavailable(
                "no keychain in this session".into(),
            ))
        } else {
            Ok(())
        }
    }
}

impl Keychain for MemoryKeychain {
    fn store(&self, account: &str, secret: &[u8]) -> Result<()> {
        self.check()?;
        self.tamper(account, secret);
        Ok(())
    }

    fn load(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        self.check()?;
        let entries = self
            .entries
            .lock()
            .map_err(|_| Error::KeychainUnavailable("poisoned".into()))?;
        Ok(entries.get(account).map(|v| Zeroizing::new(v.clone())))
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.check()?;
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(account);
        }
        Ok(())
    }
}

/// The operating system's keychain (Keychain on macOS, Credential Manager on Windows, the
/// Secret Service on Linux) through the `keyring` crate. On platforms without a backend here
/// yet (Android, iOS) every call reports [`Error::KeychainUnavailable`], so the app asks for
/// the passphrase there, as it does wherever the keychain fails.
pub struct OsKeychain {
    #[cfg_attr(
        not(any(target_os = "linux", target_os = "macos", target_os = "windows")),
        allow(dead_code)
    )]
    service: String,
}

impl OsKeychain {
    /// The keychain entries of Vitalog journals.
    pub fn new() -> Self {
        Self {
            service: "org.vitalog.journal".into(),
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
impl OsKeychain {
    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, account).map_err(unavailable)
    }
}

impl Default for OsKeychain {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
fn unavailable(error: keyring::Error) -> Error {
    // keyring's messages describe the platform failure, never the secret.
    Error::KeychainUnavailable(error.to_string())
}

#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
impl Keychain for OsKeychain {
    fn store(&self, account: &str, secret: &[u8]) -> Result<()> {
        self.entry(account)?.set_secret(secret).map_err(unavailable)
    }

    fn load(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        match self.entry(account)?.get_secret() {
            Ok(secret) => Ok(Some(Zeroizing::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(other) => Err(unavailable(other)),
        }
    }

    fn delete(&self, account: &str) -> Result<()> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(other) => Err(unavailable(other)),
        }
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
impl Keychain for OsKeychain {
    fn store(&self, _: &str, _: &[u8]) -> Result<()> {
        Err(not_supported())
    }

    fn load(&self, _: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        Err(not_supported())
    }

    fn delete(&self, _: &str) -> Result<()> {
        // Nothing can have been stored.
        Ok(())
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn not_supported() -> Error {
    Error::KeychainUnavailable("this platform's keychain is not supported yet".into())
}
