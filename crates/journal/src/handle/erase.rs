//! Destroying a journal: its key files first, then every file it left.

use super::prelude::*;

impl Journal {
    /// Erases the journal in `dir`: the database, its `-wal` and `-shm`, the key file (first
    /// overwritten in place, which alone makes the data unreadable), the keychain entry (the keychain
    /// is touched only when the journal is remembered), and damaged journals kept aside there.
    ///
    /// What may remain: on SSDs, flash cards and copy-on-write or journaling file systems an
    /// overwrite can land in a new block, so the old key file's bytes may survive on the
    /// device until it reuses them; so may copies the patient made (backups, exports, reports)
    /// and the system's own snapshots. The database's content stays encrypted under a key that
    /// no longer exists anywhere but in those copies of the key file, and without the
    /// passphrase or the recovery key even they open nothing.
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
}

/// Removes a journal's files, first overwriting its key files in place: without the wrapped
/// data key the database cannot be read, whatever else fails. (Flash storage and
/// copy-on-write file systems may still keep the old blocks; those stay sealed under the
/// passphrase and the recovery key.)
pub(crate) fn erase_files(files: &JournalFiles) -> Result<()> {
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
