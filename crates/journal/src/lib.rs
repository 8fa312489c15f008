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
//! committed corpus through the same checks ([`fuzz_checks`]).
//!
//! The crate knows nothing about Tauri, Bluetooth or async runtimes; the app and the `vitalog`
//! CLI call [`Journal`].
//!
//! ```no_run
//! use journal::{Journal, CreateOptions, NewEntry};
//! use readings::{Content, Decimal, Quantity, Unit};
//! # fn main() -> journal::Result<()> {
//! let dir = std::path::Path::new("/tmp/vitalog");
//! let (mut journal, recovery) = Journal::create(dir, "a long passphrase", &CreateOptions::default())?;
//! println!("write this down: {}", recovery.display().as_str());
//! let at = chrono::DateTime::parse_from_rfc3339("2026-03-01T07:30:00+01:00").unwrap();
//! let glucose = Content::Glucose { value: Quantity { value: Decimal::new(58, -1), unit: Unit::MmolPerL }, meal: None };
//! journal.add(&NewEntry::manual(glucose, at))?;
//! journal.lock();
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod audit;
mod backup;
mod columns;
mod devices;
mod disk;
mod entries;
mod error;
mod exchange;
#[doc(hidden)]
pub mod fuzz_checks;
pub mod keys;
mod lock;
mod model;
mod people;
mod rotation;
mod snapshot;
pub mod store;

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use readings::Kind;
use rusqlite::Connection;

pub use audit::AuditRecord;
pub use error::{Error, Result};
pub use exchange::Format;
pub use keys::kdf::KdfParams;
pub use keys::keychain::{Keychain, MemoryKeychain, OsKeychain};
pub use keys::recovery::RecoveryKey;
pub use model::{
    AddOutcome, Change, Device, DeviceId, DeviceInfo, Entry, EntryEdit, EntryId, Filter, NewEntry,
    Person, PersonId, SyncMark, Version,
};
pub use store::cipher::PageLayout;
pub use store::pragmas::EngineSettings;

use keys::DataKey;
use keys::keyfile::{KeyFile, Slot};
use store::OpenMode;

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The files of a journal inside its data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalFiles {
    /// The data folder.
    pub dir: PathBuf,
    /// `journal.db`, the encrypted database.
    pub db: PathBuf,
    /// `journal.db-wal`.
    pub wal: PathBuf,
    /// `journal.db-shm`.
    pub shm: PathBuf,
    /// `journal.key`, the wrapped keys.
    pub key: PathBuf,
    /// `journal.lock`, which programs hold while they use the journal (see `lock`).
    pub lock: PathBuf,
}

impl JournalFiles {
    /// The file names used in `dir`.
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            db: dir.join("journal.db"),
            wal: dir.join("journal.db-wal"),
            shm: dir.join("journal.db-shm"),
            key: dir.join("journal.key"),
            lock: dir.join("journal.lock"),
        }
    }

    /// Every file a journal may leave in its folder.
    pub fn all(&self) -> Vec<PathBuf> {
        vec![
            self.db.clone(),
            self.wal.clone(),
            self.shm.clone(),
            self.key.clone(),
            rotation::Next::of(self).db,
            rotation::Next::of(self).key,
            // Written by versions before 0.1 (the key file's temporary name then).
            self.key.with_extension("tmp"),
            self.db.with_extension("restoring"),
        ]
    }

    /// Whether any journal file exists.
    pub fn any_exists(&self) -> bool {
        self.all().iter().any(|p| p.exists())
    }
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
#[derive(Debug, Clone, Copy)]
pub enum Unlock<'a> {
    /// The passphrase.
    Passphrase(&'a str),
    /// The recovery key.
    Recovery(&'a RecoveryKey),
}

fn unwrap_key(key_file: &KeyFile, secret: Unlock<'_>) -> Result<DataKey> {
    match secret {
        Unlock::Passphrase(p) => key_file.unlock_with_passphrase(p),
        Unlock::Recovery(r) => key_file.unlock_with_recovery(r),
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

impl Journal {
    /// Whether `dir` holds a journal (its key file exists).
    pub fn exists(dir: &Path) -> bool {
        JournalFiles::in_dir(dir).key.exists()
    }

    /// Creates a journal in `dir` (created if missing; must hold no journal files) and returns
    /// it unlocked with the recovery key, which must be shown to the user once.
    pub fn create(
        dir: &Path,
        passphrase: &str,
        options: &CreateOptions,
    ) -> Result<(Journal, RecoveryKey)> {
        let files = JournalFiles::in_dir(dir);
        if files.any_exists() {
            return Err(Error::AlreadyExists {
                dir: dir.to_path_buf(),
            });
        }
        disk::create_private_dir(dir)?;
        let folder_lock = lock::FolderLock::exclusive(&files)?;
        let dek = DataKey::generate()?;
        let recovery = RecoveryKey::generate()?;
        let key_file = KeyFile::create(&dek, passphrase, options.kdf, &recovery)?;
        let conn = store::open(&files.db, &dek, key_file.page_layout(), OpenMode::Create)?;
        audit::record(&conn, "create journal", None)?;
        // The key file is written last: without it the folder does not count as a journal.
        key_file.write(&files.key)?;
        folder_lock.share(&files)?;
        Ok((
            Journal {
                conn,
                files,
                key_file,
                dek,
                folder_lock,
            },
            recovery,
        ))
    }

    /// Whether the journal in `dir` has a "remember on this device" wrap (so its keychain entry
    /// matters); reading the key file needs no secret.
    pub fn is_remembered(dir: &Path) -> Result<bool> {
        Ok(read_key_file(&JournalFiles::in_dir(dir))?.has(Slot::Device))
    }

    /// Unlocks the journal in `dir` with its passphrase.
    pub fn open(dir: &Path, passphrase: &str) -> Result<Journal> {
        Self::open_with(dir, Unlock::Passphrase(passphrase))
    }

    /// Unlocks the journal in `dir` with the passphrase or the recovery key. A wrong secret
    /// fails before the database is opened, so no file changes.
    pub fn open_with(dir: &Path, secret: Unlock<'_>) -> Result<Journal> {
        let files = JournalFiles::in_dir(dir);
        require_journal(&files)?;
        let folder_lock = lock::FolderLock::shared(&files)?;
        let key_file = read_key_file(&files)?;
        let dek = unwrap_key(&key_file, secret)?;
        Self::finish_open(files, folder_lock, key_file, dek, "unlock")
    }

    /// Unlocks with the device key in the keychain ("remember on this device").
    /// [`Error::KeychainUnavailable`] or [`Error::NotRemembered`] mean: ask for the passphrase.
    pub fn open_remembered(dir: &Path, keychain: &dyn Keychain) -> Result<Journal> {
        let files = JournalFiles::in_dir(dir);
        require_journal(&files)?;
        let folder_lock = lock::FolderLock::shared(&files)?;
        let key_file = read_key_file(&files)?;
        if !key_file.has(Slot::Device) {
            return Err(Error::NotRemembered);
        }
        let device_key = load_device_key(keychain, &key_file)?;
        let dek = key_file.unlock_with_device_key(&device_key)?;
        Self::finish_open(files, folder_lock, key_file, dek, "unlock remembered")
    }

    fn finish_open(
        files: JournalFiles,
        folder_lock: lock::FolderLock,
        key_file: KeyFile,
        dek: DataKey,
        action: &str,
    ) -> Result<Journal> {
        let conn = store::open(&files.db, &dek, key_file.page_layout(), OpenMode::Existing)?;
        // Journals made before files were created private are made private now.
        for path in [&files.db, &files.wal, &files.shm, &files.key, &files.lock] {
            disk::make_private(path);
        }
        audit::record(&conn, action, None)?;
        Ok(Journal {
            conn,
            files,
            key_file,
            dek,
            folder_lock,
        })
    }

    /// Closes the database and wipes the key from memory.
    pub fn lock(self) {
        drop(self);
    }

    /// The journal's files.
    pub fn files(&self) -> &JournalFiles {
        &self.files
    }

    /// Changes the passphrase: unlocks the key file with `current` (the old passphrase or the
    /// recovery key) and rewraps the data key under `new`. The database is not touched.
    pub fn change_passphrase(
        dir: &Path,
        current: Unlock<'_>,
        new: &str,
        kdf: KdfParams,
    ) -> Result<()> {
        let files = JournalFiles::in_dir(dir);
        let _alone = lock::FolderLock::exclusive(&files)?;
        let mut key_file = read_key_file(&files)?;
        let dek = unwrap_key(&key_file, current)?;
        key_file.set_passphrase(&dek, new, kdf)?;
        key_file.write(&files.key)
    }

    /// Changes the passphrase of this open journal (the app's way; [`Journal::change_passphrase`]
    /// is for a locked one): `current` must be the passphrase now; the data key is rewrapped
    /// under `new`, and this journal goes on with the new key file.
    pub fn replace_passphrase(&mut self, current: &str, new: &str, kdf: KdfParams) -> Result<()> {
        self.check_passphrase(current)?;
        self.rewrite_key_file(|key_file, dek| key_file.set_passphrase(dek, new, kdf))?;
        audit::record(&self.conn, "change passphrase", None)
    }

    /// Changes the key file with the folder to itself, so no other program that has the
    /// journal open writes its own (older) copy back over the change.
    fn rewrite_key_file(
        &mut self,
        change: impl FnOnce(&mut KeyFile, &DataKey) -> Result<()>,
    ) -> Result<()> {
        self.folder_lock.upgrade(&self.files)?;
        let mut updated = self.key_file.clone();
        let written = change(&mut updated, &self.dek).and_then(|()| updated.write(&self.files.key));
        if written.is_ok() {
            // A key file a key replacement could neither rename nor write in place would be
            // renamed over this one at the next open; this one supersedes it.
            let _ = rotation::Next::of(&self.files).discard();
        }
        let shared = self.folder_lock.share(&self.files);
        written?;
        self.key_file = updated;
        shared
    }

    /// Checks that `passphrase` is this journal's, before an act the patient should confirm
    /// (an unencrypted export, say). Costs one key derivation; changes nothing.
    pub fn check_passphrase(&self, passphrase: &str) -> Result<()> {
        let dek = self.key_file.unlock_with_passphrase(passphrase)?;
        // A passphrase wrap of another journal's key would unwrap, but not to this key.
        // Compared without an early exit, as keys are.
        let differs = dek
            .as_bytes()
            .iter()
            .zip(self.dek.as_bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if differs == 0 {
            Ok(())
        } else {
            Err(Error::WrongPassphrase)
        }
    }

    /// Replaces the data key: the database is re-encrypted under a new random key and a new
    /// recovery key is issued, so a copy of the old key file, the old recovery key or a key
    /// taken from memory earlier no longer opens the journal (backups keep their own keys).
    /// The passphrase stays. A crash at any moment leaves a journal that opens with it (see
    /// the `rotation` module). "Remember on this device" survives when `keychain` still holds
    /// its key; `still_remembered` says whether it did. The keychain is read only when the
    /// journal is remembered.
    pub fn replace_data_key(
        &mut self,
        passphrase: &str,
        keychain: Option<&dyn Keychain>,
    ) -> Result<ReplacedKey> {
        self.check_passphrase(passphrase)?;
        let params = self
            .key_file
            .passphrase_params()
            .unwrap_or(KdfParams::DEFAULT);
        let dek = DataKey::generate()?;
        let recovery = RecoveryKey::generate()?;
        let mut key_file = self
            .key_file
            .for_new_data_key(&dek, passphrase, params, &recovery)?;
        let was_remembered = self.key_file.has(Slot::Device);
        let still_remembered = was_remembered
            && keychain
                .and_then(|kc| load_device_key(kc, &self.key_file).ok())
                .is_some_and(|device_key| key_file.set_device(&dek, &device_key).is_ok());

        // Alone in the folder until the swap is done: no other program opens, settles or
        // writes the journal meanwhile.
        self.folder_lock.upgrade(&self.files)?;
        let swapped = self.swap_in(&dek, &key_file);
        // Shared again whatever happened (should that fail, other programs wait until this
        // journal is locked).
        let _ = self.folder_lock.share(&self.files);
        swapped?;
        // From here the new key is the journal's key: whatever else fails, the patient must
        // get the new recovery key, since the old one no longer opens the journal.
        self.dek = dek;
        self.key_file = key_file;
        if let Ok(conn) = self.reopen() {
            self.conn = conn;
            let _ = audit::record(&self.conn, "replace data key", None);
        }
        Ok(ReplacedKey {
            recovery,
            was_remembered,
            still_remembered,
        })
    }

    /// Steps 1–4 of a key replacement (see `rotation`): on an error before the database is
    /// swapped, the journal is as it was, open under its old key; afterwards, the swap is
    /// complete on disk (a key file that could not be renamed is written in place) and the
    /// connection is closed for the caller to reopen under the new key.
    fn swap_in(&mut self, dek: &DataKey, key_file: &KeyFile) -> Result<()> {
        let next = rotation::Next::of(&self.files);
        next.discard()?;
        let undo = |error: Error| {
            let _ = next.discard();
            error
        };
        disk::create_private_file(&next.db)
            .and_then(|()| {
                backup::export_database(&self.conn, &next.db, dek, key_file.page_layout())
            })
            .and_then(|()| disk::sync_file(&next.db))
            .and_then(|()| key_file.write(&next.key))
            .and_then(|()| self.checkpoint())
            .map_err(undo)?;
        // Closing the only connection removes the write-ahead log, which must not meet the
        // new database; one still there belongs to a connection the folder lock did not stop.
        let closed = std::mem::replace(&mut self.conn, closed_placeholder()?);
        let _ = closed.close();
        let swapped = if self.files.wal.exists() {
            Err(Error::JournalInUse)
        } else {
            disk::rename(&next.db, &self.files.db)
        };
        if let Err(error) = swapped {
            let error = undo(error);
            if let Ok(conn) = self.reopen() {
                self.conn = conn;
            }
            return Err(error);
        }
        if disk::rename(&next.key, &self.files.key).is_err() {
            // Written whole in place instead; failing that, the next open renames it.
            if key_file.write(&self.files.key).is_ok() {
                let _ = next.discard();
            }
        }
        Ok(())
    }

    /// A new connection to this journal's database under its current key.
    fn reopen(&self) -> Result<Connection> {
        store::open(
            &self.files.db,
            &self.dek,
            self.key_file.page_layout(),
            OpenMode::Existing,
        )
    }

    /// Reads a backup file far enough to tell whether it is one this version can restore,
    /// before asking for its passphrase. Needs no secret and writes nothing.
    pub fn inspect_backup(backup_file: &Path) -> Result<BackupInfo> {
        let parsed = backup::Backup::read(backup_file)?;
        Ok(BackupInfo {
            file_bytes: parsed.encoded_len(),
        })
    }

    /// How the database file is laid out: journals made before the layout was recorded keep
    /// [`PageLayout::Small`] until they get a new data key.
    pub fn page_layout(&self) -> PageLayout {
        self.key_file.page_layout()
    }

    /// The Argon2id parameters the passphrase is currently wrapped with.
    pub fn kdf_params(&self) -> Option<KdfParams> {
        self.key_file.passphrase_params()
    }

    /// Remembers the journal on this device: a new random device key goes into `keychain` and
    /// wraps a copy of the data key in the key file.
    pub fn remember_on_device(&mut self, keychain: &dyn Keychain) -> Result<()> {
        let device_key = keys::random_array::<32>()?;
        keychain.store(&self.key_file.journal_id_hex(), device_key.as_slice())?;
        self.rewrite_key_file(|key_file, dek| key_file.set_device(dek, &device_key))?;
        audit::record(&self.conn, "remember on device", None)
    }

    /// Forgets the device copy: removes the wrap and the keychain entry.
    pub fn forget_on_device(&mut self, keychain: &dyn Keychain) -> Result<()> {
        self.rewrite_key_file(|key_file, _| {
            key_file.remove(Slot::Device);
            Ok(())
        })?;
        audit::record(&self.conn, "forget on device", None)?;
        keychain.delete(&self.key_file.journal_id_hex())
    }

    fn write_tx<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self.conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Adds an entry. Values outside the possible range are refused; implausible manual values
    /// need `confirm_implausible`. A device reading already stored is not added again.
    pub fn add(&mut self, entry: &NewEntry) -> Result<AddOutcome> {
        self.write_tx(|tx| entries::add(tx, entry))
    }

    /// Adds a batch (a device sync) in one transaction. An entry refused for what it says (an
    /// impossible value, an unknown unit) is answered with its error and left out, so one bad
    /// record never costs the patient the rest; a storage failure stores nothing.
    pub fn add_all(&mut self, new: &[NewEntry]) -> Result<Vec<Result<AddOutcome>>> {
        self.write_tx(|tx| {
            let mut outcomes = Vec::with_capacity(new.len());
            for entry in new {
                // Entries are checked before anything of theirs is written, so a refused one
                // leaves nothing behind; any error while storing is the journal's and stops all.
                let outcome = match entries::check(entry) {
                    Ok(vetted) => Ok(entries::store(tx, vetted)?),
                    Err(refused) => Err(refused),
                };
                outcomes.push(outcome);
            }
            Ok(outcomes)
        })
    }

    /// One entry, deleted or not.
    pub fn get(&self, id: EntryId) -> Result<Entry> {
        entries::get(&self.conn, id)
    }

    /// Entries matching `filter`, oldest first.
    pub fn list(&self, filter: &Filter) -> Result<Vec<Entry>> {
        entries::list(&self.conn, filter)
    }

    /// The newest reading of each reading kind the journal has, in [`Kind::ALL`] order (the
    /// Today screen). Deleted readings do not count.
    pub fn latest_readings(&self) -> Result<Vec<Entry>> {
        let mut latest = Vec::new();
        for kind in Kind::ALL.into_iter().filter(|kind| kind.is_reading()) {
            let filter = Filter {
                kinds: vec![kind],
                newest_first: true,
                limit: Some(1),
                ..Filter::default()
            };
            latest.extend(entries::list(&self.conn, &filter)?);
        }
        Ok(latest)
    }

    /// Edits an entry; the previous version stays in its history.
    pub fn edit(&mut self, id: EntryId, change: &EntryEdit) -> Result<Entry> {
        self.write_tx(|tx| entries::edit(tx, id, change))
    }

    /// Deletes an entry (a tombstone: history stays, [`Journal::undo_delete`] brings it back).
    pub fn delete(&mut self, id: EntryId) -> Result<()> {
        self.write_tx(|tx| entries::delete(tx, id))
    }

    /// Brings back the most recently deleted entry.
    pub fn undo_delete(&mut self) -> Result<EntryId> {
        self.write_tx(entries::undo_delete)
    }

    /// Every version of an entry, oldest first.
    pub fn history(&self, id: EntryId) -> Result<Vec<Version>> {
        entries::history(&self.conn, id)
    }

    /// Adds a person.
    pub fn add_person(&mut self, name: &str) -> Result<PersonId> {
        people::add(&self.conn, name)
    }

    /// The person called `name`.
    pub fn person_by_name(&self, name: &str) -> Result<Option<PersonId>> {
        people::find(&self.conn, name)
    }

    /// Everyone in the journal (id 1, "me", is the owner).
    pub fn people(&self) -> Result<Vec<Person>> {
        people::list(&self.conn)
    }

    /// Finds a device by identity (updating its descriptive fields) or adds it.
    pub fn register_device(&mut self, info: &DeviceInfo) -> Result<DeviceId> {
        devices::register(&self.conn, info)
    }

    /// A device and its sync state.
    pub fn device(&self, id: DeviceId) -> Result<Device> {
        devices::get(&self.conn, id)
    }

    /// The device with this identity, if the journal knows it.
    pub fn device_by_identity(&self, identity: &str) -> Result<Option<Device>> {
        devices::by_identity(&self.conn, identity)
    }

    /// Every device the journal knows, oldest first.
    pub fn devices(&self) -> Result<Vec<Device>> {
        devices::list(&self.conn)
    }

    /// Marks a device as paired by the patient (background sync watches it) or forgotten. Its
    /// readings stay either way.
    pub fn set_device_paired(&mut self, id: DeviceId, paired: bool) -> Result<()> {
        devices::set_paired(&self.conn, id, paired)
    }

    /// Sets where the next sync of a device starts: after this sequence number, or from the
    /// first record (`None`). Adding readings only ever raises it; a sync whose meter was
    /// reset, or that stopped with a gap, sets it to what its session found safe.
    pub fn set_last_sequence(&mut self, id: DeviceId, last: Option<i64>) -> Result<()> {
        devices::set_last_sequence(&self.conn, id, last)
    }

    /// Notes what a device measures (the link's stable kind name) before it first syncs.
    pub fn set_device_kind(&mut self, id: DeviceId, kind: readings::MonitorKind) -> Result<()> {
        devices::set_kind(&self.conn, id, kind)
    }

    /// Notes a finished sync of a device (its kind, battery level and the time).
    pub fn record_sync(&mut self, id: DeviceId, sync: &SyncMark) -> Result<()> {
        devices::record_sync(&self.conn, id, sync)
    }

    /// Records the device clock's offset from the collector's, in seconds.
    pub fn set_clock_drift(&mut self, id: DeviceId, drift_s: i64) -> Result<()> {
        devices::set_clock_drift(&self.conn, id, drift_s)
    }

    /// Assigns a user slot of a shared device (e.g. a cuff's user 2) to a person.
    pub fn map_device_user(&mut self, device: DeviceId, user: u8, person: PersonId) -> Result<()> {
        devices::map_user(&self.conn, device, user, person)
    }

    /// The person a device's user slot belongs to, if assigned.
    pub fn person_for_device_user(&self, device: DeviceId, user: u8) -> Result<Option<PersonId>> {
        devices::person_for_user(&self.conn, device, user)
    }

    /// Writes the entries matching `filter` in the journal's own CSV or JSON Lines format.
    pub fn export(
        &mut self,
        format: Format,
        filter: &Filter,
        out: &mut dyn Write,
    ) -> Result<usize> {
        let entries = self.list(filter)?;
        let records = entries
            .iter()
            .map(|e| exchange::Record::from_entry(&self.conn, e))
            .collect::<Result<Vec<_>>>()?;
        exchange::write(&records, format, out)?;
        audit::record(&self.conn, "export", None)?;
        Ok(records.len())
    }

    /// Exports to the file at `path`, readable by this user only, replacing it whole (a failed
    /// export leaves no half-written file). Returns how many entries it holds.
    pub fn export_file(&mut self, format: Format, filter: &Filter, path: &Path) -> Result<usize> {
        let mut bytes = zeroize::Zeroizing::new(Vec::new());
        let count = self.export(format, filter, &mut *bytes)?;
        disk::write_atomically(path, &bytes)?;
        Ok(count)
    }

    /// Imports the file at `path`, as [`Journal::import`] does.
    pub fn import_file(&mut self, format: Format, path: &Path) -> Result<ImportSummary> {
        let file = std::fs::File::open(path)
            .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
        self.import(format, &mut std::io::BufReader::new(file))
    }

    /// Imports a file written by [`Journal::export`], all or nothing; entries already present
    /// (same uid, or same device reading) are skipped.
    pub fn import(&mut self, format: Format, input: &mut dyn BufRead) -> Result<ImportSummary> {
        let records = exchange::read(format, input)?;
        self.write_tx(|tx| {
            let mut summary = ImportSummary::default();
            for (i, record) in records.iter().enumerate() {
                let line = i + 2;
                let new = record
                    .to_new_entry(tx)
                    .map_err(|e| Error::Invalid(format!("entry {line}: {e}")))?;
                match entries::add(tx, &new).map_err(|e| match e {
                    Error::JournalDamaged => e,
                    other => Error::Invalid(format!("entry {line}: {other}")),
                })? {
                    AddOutcome::Added(_) => summary.added += 1,
                    AddOutcome::AlreadyPresent(_) => summary.already_present += 1,
                }
            }
            audit::record(tx, "import", None)?;
            Ok(summary)
        })
    }

    /// Writes an encrypted backup to `out`, restorable elsewhere with the passphrase or the
    /// recovery key current now.
    pub fn backup(&mut self, out: &Path) -> Result<()> {
        backup::write(&self.conn, &self.key_file, &self.dek, &self.files.dir, out)?;
        audit::record(&self.conn, "backup", None)
    }

    /// Restores a backup into `dir`, which must hold no journal, and returns it unlocked.
    pub fn restore(dir: &Path, backup_file: &Path, secret: Unlock<'_>) -> Result<Journal> {
        let files = JournalFiles::in_dir(dir);
        if files.any_exists() {
            return Err(Error::AlreadyExists {
                dir: dir.to_path_buf(),
            });
        }
        let parsed = backup::Backup::read(backup_file)?;
        let dek = unwrap_key(&parsed.key_file, secret)?;
        let backup_key = parsed.backup_key(&dek)?;
        disk::create_private_dir(dir)?;
        // Alone in the folder, and checked again: another restore or a new journal may have
        // started there while the key was derived.
        let folder_lock = lock::FolderLock::exclusive(&files)?;
        if files.any_exists() {
            return Err(Error::AlreadyExists {
                dir: dir.to_path_buf(),
            });
        }
        backup::restore_database(&parsed, &backup_key, &files.db, &dek)?;
        parsed.key_file.write(&files.key)?;
        folder_lock.share(&files)?;
        Self::finish_open(files, folder_lock, parsed.key_file.clone(), dek, "restore")
    }

    /// Moves a journal that is damaged out of the way, into a `damaged-<UTC time>` folder
    /// inside `dir`, so a backup can be restored in its place; nothing is deleted. `secret`
    /// shows the request comes from the journal's owner where the key file can still be read;
    /// a journal it opens and finds intact is left where it is. Returns the folder.
    pub fn set_aside_damaged(dir: &Path, secret: Unlock<'_>) -> Result<PathBuf> {
        let files = JournalFiles::in_dir(dir);
        let _alone = lock::FolderLock::exclusive_as_is(&files)?;
        // An interrupted key replacement whose new key file is damaged cannot be settled: the
        // journal is damaged then, and everything moves, that key file too.
        // Checked on a copy, the way unlocking opens it: opening writes to a journal (its audit
        // log, the write-ahead log), and the damaged files are to be kept exactly as they are.
        // A key file without its database is what an interrupted move leaves: move the rest.
        let checked = rotation::settle(&files).and_then(|()| {
            if files.key.exists() && !files.db.exists() {
                Err(Error::JournalDamaged)
            } else {
                Self::check_copy(&files, secret)
            }
        });
        match checked {
            Ok(()) => {
                return Err(Error::Invalid(
                    "the journal opens and is intact, so it was not moved".into(),
                ));
            }
            Err(Error::JournalDamaged | Error::KeyFileDamaged { .. } | Error::KdfTooWeak) => {}
            Err(other) => return Err(other),
        }
        // An interrupted move is finished into the folder it began, so the journal stays whole.
        let aside = match unfinished_aside(&files) {
            Some(earlier) => earlier,
            None => disk::new_private_dir(dir, "damaged")?,
        };
        // The key file goes last: until it has moved the folder still counts as a journal, so
        // an interrupted move is finished by setting it aside again.
        let mut moving: Vec<PathBuf> = files.all().into_iter().filter(|p| p.exists()).collect();
        moving.sort_by_key(|path| *path == files.key);
        for path in moving {
            if let Some(name) = path.file_name() {
                disk::rename(&path, &aside.join(name))?;
            }
        }
        Ok(aside)
    }

    /// Opens a copy of the journal's files with `secret` and runs the full check (every page's
    /// HMAC and SQLite's structure); the copy is removed afterwards.
    fn check_copy(files: &JournalFiles, secret: Unlock<'_>) -> Result<()> {
        // The secret first: a wrong one is told before a large journal is copied.
        let key_file = read_key_file(files)?;
        let dek = unwrap_key(&key_file, secret)?;
        let copy_dir = disk::new_private_dir(&files.dir, "checking")?;
        let checked = (|| {
            for path in [&files.db, &files.wal, &files.shm, &files.key] {
                if let Some(name) = path.file_name().filter(|_| path.exists()) {
                    std::fs::copy(path, copy_dir.join(name))
                        .map_err(|e| Error::io(format!("cannot copy {}", path.display()), e))?;
                }
            }
            let copy = JournalFiles::in_dir(&copy_dir);
            let folder_lock = lock::FolderLock::shared(&copy)?;
            let journal = Self::finish_open(copy, folder_lock, key_file, dek, "check")?;
            let intact = journal.integrity_check();
            journal.lock();
            intact
        })();
        let _ = std::fs::remove_dir_all(&copy_dir);
        checked
    }

    /// Erases the journal in `dir`: the database, its `-wal` and `-shm`, the key file (first
    /// overwritten in place, which alone makes the data unreadable), the keychain entry (the keychain
    /// is touched only when the journal is remembered), and damaged journals kept aside there.
    pub fn erase(dir: &Path, keychain: Option<&dyn Keychain>) -> Result<()> {
        let files = JournalFiles::in_dir(dir);
        let alone = if dir.exists() {
            // As is: erasing must not depend on settling an interrupted key replacement.
            Some(lock::FolderLock::exclusive_as_is(&files)?)
        } else {
            None
        };
        let key_file = KeyFile::read(&files.key).ok();
        // Only a remembered journal has a keychain entry, and only then is the keychain (which
        // may prompt, or hang on a headless session) touched. A missing keychain must not stop
        // the erase; the wrap it opened is destroyed below.
        if let (Some(kc), Some(kf)) = (keychain, &key_file)
            && kf.has(Slot::Device)
        {
            let _ = kc.delete(&kf.journal_id_hex());
        }
        erase_files(&files)?;
        drop(alone);
        disk::remove_if_present(&files.lock)?;
        // Damaged journals kept aside, and copies left by a check a crash interrupted.
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io(format!("cannot read {}", dir.display()), e)),
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let kept = name.starts_with("damaged-") || name.starts_with("checking-");
            if kept && entry.path().is_dir() {
                erase_files(&JournalFiles::in_dir(&entry.path()))?;
                std::fs::remove_dir_all(entry.path()).map_err(|e| {
                    Error::io(format!("cannot remove {}", entry.path().display()), e)
                })?;
            }
        }
        Ok(())
    }

    /// Runs SQLCipher's page HMAC check and SQLite's integrity check.
    pub fn integrity_check(&self) -> Result<()> {
        store::check(&self.conn, store::Check::Full)
    }

    /// The engine settings in force (cipher version, journal mode, synchronous…).
    pub fn engine_settings(&self) -> Result<EngineSettings> {
        store::pragmas::read(&self.conn)
    }

    /// The audit log, oldest first (actions only, no values).
    pub fn audit_log(&self) -> Result<Vec<AuditRecord>> {
        audit::list(&self.conn)
    }

    /// Whether the audit log's hash chain is intact.
    pub fn audit_log_intact(&self) -> Result<bool> {
        audit::verify(&self.conn)
    }

    /// Moves the write-ahead log into the database file.
    pub fn checkpoint(&self) -> Result<()> {
        store::pragmas::run(&self.conn, "PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// The data key, for tests that scan files for it (SECURITY.md §8 goal 3). Not in release
    /// builds.
    #[cfg(debug_assertions)]
    #[doc(hidden)]
    pub fn data_key_for_tests(&self) -> &[u8] {
        self.dek.expose_for_tests()
    }
}

/// Removes a journal's files, first overwriting its key files in place: without the wrapped
/// data key the database cannot be read, whatever else fails. (Flash storage and
/// copy-on-write file systems may still keep the old blocks; those stay sealed under the
/// passphrase and the recovery key.)
fn erase_files(files: &JournalFiles) -> Result<()> {
    for key in [&files.key, &rotation::Next::of(files).key] {
        disk::overwrite_in_place(key);
    }
    for path in files.all() {
        disk::remove_if_present(&path)?;
    }
    // Files a crash left half-written (see `write_atomically`).
    if let Ok(entries) = std::fs::read_dir(&files.dir) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if disk::is_partial(&name) {
                disk::remove_if_present(&entry.path())?;
            }
        }
    }
    Ok(())
}

/// Where an interrupted set-aside left the database, when the key file is still in the
/// journal's folder: the newest `damaged-*` folder with a database and no key file.
fn unfinished_aside(files: &JournalFiles) -> Option<PathBuf> {
    if !files.key.exists() || files.db.exists() {
        return None;
    }
    let db_name = files.db.file_name()?;
    let key_name = files.key.file_name()?;
    std::fs::read_dir(&files.dir)
        .ok()?
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("damaged-"))
        .map(|entry| entry.path())
        .filter(|folder| folder.join(db_name).is_file() && !folder.join(key_name).exists())
        .max()
}

/// The device key the keychain holds for this journal ("remember on this device").
fn load_device_key(
    keychain: &dyn Keychain,
    key_file: &KeyFile,
) -> Result<zeroize::Zeroizing<[u8; 32]>> {
    let stored = keychain
        .load(&key_file.journal_id_hex())?
        .ok_or(Error::NotRemembered)?;
    let mut device_key = zeroize::Zeroizing::new([0u8; 32]);
    if stored.len() != device_key.len() {
        return Err(Error::NotRemembered);
    }
    device_key.copy_from_slice(&stored);
    Ok(device_key)
}

/// What a journal holds in place of its connection while its database is swapped, and keeps
/// should reopening fail: an empty read-only database, so every read and write fails (and a
/// backup cannot save an empty journal) until the journal is locked and opened again.
fn closed_placeholder() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    conn.execute_batch("PRAGMA query_only = ON")?;
    Ok(conn)
}

/// [`Error::NotInitialised`] where there is no journal (before anything is created there).
fn require_journal(files: &JournalFiles) -> Result<()> {
    if files.key.exists() {
        Ok(())
    } else {
        Err(Error::NotInitialised {
            dir: files.dir.clone(),
        })
    }
}

fn read_key_file(files: &JournalFiles) -> Result<KeyFile> {
    require_journal(files)?;
    KeyFile::read(&files.key)
}

/// The data folder Vitalog uses when none is named: the platform's per-user data folder
/// (for example `~/.local/share/vitalog` on Linux). The app and the CLI share it, so both see
/// the same journal. `None` where the platform has no such folder (then the caller must choose).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Vitalog", "vitalog")
        .map(|dirs| dirs.data_dir().to_path_buf())
}
