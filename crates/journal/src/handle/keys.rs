//! The secrets that open a journal: passphrase changes, a new data key with a new recovery key, and remembering the journal on this device.

use super::prelude::*;

impl Journal {
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
    pub(crate) fn rewrite_key_file(
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
    pub(crate) fn swap_in(&mut self, dek: &DataKey, key_file: &KeyFile) -> Result<()> {
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
    pub(crate) fn reopen(&self) -> Result<Connection> {
        store::open(
            &self.files.db,
            &self.dek,
            self.key_file.page_layout(),
            OpenMode::Existing,
        )
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
}
