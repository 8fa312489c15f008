//! Vitalog's encrypted local health journal.
//!
//! The journal is one SQLCipher database (`journal.db`, with its `-wal` and `-shm`) encrypted
//! with a random 256-bit data key in raw-key mode, and a key file (`journal.key`) that holds
//! only wrapped copies of that key: under a passphrase (Argon2id), under a one-time recovery
//! key, and optionally under a device key kept in the OS keychain. Nothing is written to disk in
//! plaintext (but an export the patient asked for), every file and the folder are private to
//! their owner, and no error message carries a value, key or passphrase.
//!
//! Files that may come from anywhere (a key file, a backup, an import) are parsed strictly and
//! fuzzed: `fuzz/` holds the cargo-fuzz targets (`key_file`, `backup`, `import`; run with
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run backup` in that folder), and `cargo test` replays their
//! committed corpus through the same checks (`fuzz_checks`, reached through the test hooks of
//! the `test-support` feature).
//!
//! The crate knows nothing about Tauri, Bluetooth or async runtimes; the app and the `vitalog`
//! CLI call [`Journal`], whose methods live in `handle/`, one module per concern (lifecycle,
//! keys, entries, devices, exchange, backup, erase). What a reading is (kinds, units, values,
//! plausibility) is the `readings` crate's; the journal stores it.
//!
//! ```no_run
//! use journal::{Journal, CreateOptions, NewEntry};
//! use readings::{Content, Decimal, GlucoseMethod, Quantity, Unit};
//! # fn main() -> journal::Result<()> {
//! let dir = std::path::Path::new("/tmp/vitalog");
//! let (mut journal, recovery) = Journal::create(dir, "a long passphrase", &CreateOptions::default())?;
//! println!("write this down: {}", recovery.display().as_str());
//! let at = chrono::DateTime::parse_from_rfc3339("2026-03-01T07:30:00+01:00").unwrap();
//! let glucose = Content::Glucose { value: Quantity { value: Decimal::new(58, -1), unit: Unit::MmolPerL }, meal: None, method: GlucoseMethod::Meter };
//! journal.add(&NewEntry::manual(glucose, at))?;
//! journal.lock();
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod alerts;
mod audit;
mod backup;
mod chain;
mod columns;
mod devices;
mod disk;
mod entries;
mod error;
mod exchange;
mod files;
mod handle;
mod keys;
mod lock;
mod model;
mod people;
pub mod process;
mod rotation;
pub mod sharing;
mod snapshot;
mod store;
#[cfg(feature = "test-support")]
pub mod test_support;

use std::path::PathBuf;

use rusqlite::Connection;

pub use alerts::RaisedAlert;
pub use audit::AuditRecord;
pub use error::{Error, RecoveryKeyProblem, Result};
pub use exchange::Format;
pub use files::JournalFiles;
pub use keys::kdf::KdfParams;
pub use keys::keychain::{Keychain, MemoryKeychain, OsKeychain};
pub use keys::recovery::RecoveryKey;
pub use keys::strength;
pub use model::{
    AddOutcome, Change, Device, DeviceId, DeviceInfo, Entry, EntryEdit, EntryId, Filter, NewEntry,
    Person, PersonId, SyncMark, Version,
};
pub use store::cipher::PageLayout;
pub use store::pragmas::EngineSettings;

use keys::DataKey;
use keys::keyfile::KeyFile;

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Options for a new journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreateOptions {
    /// Argon2id cost for the passphrase wrap; must meet the OWASP floor.
    pub kdf: KdfParams,
}

impl Default for CreateOptions {
    fn default() -> Self {
        Self {
            kdf: KdfParams::DEFAULT,
        }
    }
}

/// A secret that unlocks a journal.
#[derive(Clone, Copy)]
pub enum Unlock<'a> {
    /// The passphrase.
    Passphrase(&'a str),
    /// The recovery key.
    Recovery(&'a RecoveryKey),
}

impl std::fmt::Debug for Unlock<'_> {
    /// Says which secret, never the secret: a debug line may end up in a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unlock::Passphrase(_) => f.write_str("Unlock::Passphrase([redacted])"),
            Unlock::Recovery(_) => f.write_str("Unlock::Recovery([redacted])"),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Entries added.
    pub added: usize,
    /// Entries that were already in the journal (same uid or same device reading).
    pub already_present: usize,
}

/// What replacing the data key gives the patient.
#[derive(Debug)]
pub struct ReplacedKey {
    /// The new recovery key, to write down; the old one no longer opens the journal.
    pub recovery: RecoveryKey,
    /// Whether this device unlocked the journal without the passphrase before.
    pub was_remembered: bool,
    /// Whether this device still unlocks the journal without the passphrase.
    pub still_remembered: bool,
}

/// What a backup file holds, as far as can be told without a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupInfo {
    /// The file's size.
    pub file_bytes: u64,
}

/// An unlocked journal. Dropping it (or [`Journal::lock`]) closes the database and wipes the
/// data key from memory.
pub struct Journal {
    conn: Connection,
    files: JournalFiles,
    key_file: KeyFile,
    dek: DataKey,
    /// Held shared while open (see the `lock` module); dropped after the connection.
    folder_lock: lock::FolderLock,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("dir", &self.files.dir)
            .finish()
    }
}

/// Writes a file the patient asked for outside the journal (a report, say): readable by this
/// user only, and replaced whole, so a failure leaves no half-written file.
pub fn save_private(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    disk::write_atomically(path, bytes)
}

/// The data folder Vitalog uses when none is named: the platform's per-user data folder
/// (for example `~/.local/share/vitalog` on Linux). The app and the CLI share it, so both see
/// the same journal. `None` where the platform has no such folder (then the caller must choose).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Vitalog", "vitalog")
        .map(|dirs| dirs.data_dir().to_path_buf())
}
