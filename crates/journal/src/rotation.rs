//! Replacing the data key ("key rotation", SECURITY.md §8 goal 9): the database is copied
//! under a new random key, a key file wrapping it under the passphrase and a new recovery key
//! is written beside it, and both are renamed over the old ones.
//!
//! The order makes every crash recoverable from the files alone, with no secret:
//!
//! 1. `journal.db.next` (the copy) is written, then `journal.key.next`.
//! 2. The open connection is closed, which checkpoints and removes the write-ahead log.
//! 3. `journal.db.next` is renamed over `journal.db`: from here on the new key is the key.
//! 4. `journal.key.next` is renamed over `journal.key`.
//!
//! On open, [`settle`] finishes or undoes an interrupted rotation: a `journal.db.next` still
//! present means step 3 never happened, so both `.next` files go; a lone `journal.key.next`
//! means it did, so step 4 is done then. Cleaning up removes `journal.key.next` first, so the
//! second state never arises from an undo.

use std::path::PathBuf;

use crate::JournalFiles;
use crate::disk::{remove_if_present, rename, with_suffix};
use crate::error::Result;
use crate::keys::keyfile::KeyFile;

/// The files of a rotation in progress.
pub(crate) struct Next {
    /// The database copy under the new key.
    pub db: PathBuf,
    /// The key file wrapping the new key.
    pub key: PathBuf,
}

impl Next {
    pub(crate) fn of(files: &JournalFiles) -> Self {
        Next {
            db: with_suffix(&files.db, ".next"),
            key: with_suffix(&files.key, ".next"),
        }
    }

    /// Removes both files, the key file first (see the module docs).
    pub(crate) fn discard(&self) -> Result<()> {
        remove_if_present(&self.key)?;
        remove_if_present(&self.db)
    }
}

/// Finishes or undoes a rotation a crash interrupted; does nothing otherwise.
pub(crate) fn settle(files: &JournalFiles) -> Result<()> {
    let next = Next::of(files);
    if next.db.exists() {
        return next.discard();
    }
    if next.key.exists() {
        // The database was swapped: the new key file is the only one that opens it. It was
        // written whole (atomically) before the swap, so a damaged one is refused by parsing.
        let incoming = KeyFile::read(&next.key)?;
        // A rotation keeps the journal's id. A `.next` file of another journal (put there by
        // mistake or on purpose) must never replace this journal's key file: it is left alone.
        let ours = match KeyFile::read(&files.key) {
            Ok(current) => current.same_journal(&incoming),
            Err(_) => true,
        };
        if ours {
            rename(&next.key, &files.key)?;
        }
    }
    Ok(())
}
