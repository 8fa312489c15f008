//! Encrypted backups, restoring one, and setting a damaged journal aside so a backup can take its place.

use super::prelude::*;

impl Journal {
    /// Reads a backup file far enough to tell whether it is one this version can restore,
    /// before asking for its passphrase. Needs no secret and writes nothing.
    pub fn inspect_backup(backup_file: &Path) -> Result<BackupInfo> {
        let parsed = backup::Backup::read(backup_file)?;
        Ok(BackupInfo {
            file_bytes: parsed.encoded_len(),
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
    pub(crate) fn check_copy(files: &JournalFiles, secret: Unlock<'_>) -> Result<()> {
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
}

/// Where an interrupted set-aside left the database, when the key file is still in the
/// journal's folder: the newest `damaged-*` folder with a database and no key file.
pub(crate) fn unfinished_aside(files: &JournalFiles) -> Option<PathBuf> {
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
