//! Opening, creating and locking a journal, and looking at it as a whole: its files, page layout, integrity, audit log.

use super::prelude::*;

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

    pub(crate) fn finish_open(
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

    /// How the database file is laid out: journals made before the layout was recorded keep
    /// [`PageLayout::Small`] until they get a new data key.
    pub fn page_layout(&self) -> PageLayout {
        self.key_file.page_layout()
    }

    /// The Argon2id parameters the passphrase is currently wrapped with.
    pub fn kdf_params(&self) -> Option<KdfParams> {
        self.key_file.passphrase_params()
    }

    pub(crate) fn write_tx<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self.conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
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
}

pub(crate) fn unwrap_key(key_file: &KeyFile, secret: Unlock<'_>) -> Result<DataKey> {
    match secret {
        Unlock::Passphrase(p) => key_file.unlock_with_passphrase(p),
        Unlock::Recovery(r) => key_file.unlock_with_recovery(r),
    }
}

/// The device key the keychain holds for this journal ("remember on this device").
pub(crate) fn load_device_key(
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
pub(crate) fn closed_placeholder() -> Result<Connection> {
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

pub(crate) fn read_key_file(files: &JournalFiles) -> Result<KeyFile> {
    require_journal(files)?;
    KeyFile::read(&files.key)
}
