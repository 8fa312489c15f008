//! Which program may change a journal's files. Every open journal holds a shared lock on
//! `journal.lock`; the operations that replace or remove files (replacing the data key,
//! finishing one a crash interrupted, rewriting the key file, setting a damaged journal aside,
//! erasing) need it alone. So the app and the `vitalog` command never swap files under each
//! other: the second one waits, or is told the journal is in use.
//!
//! A handle never holds two locks at once, and never asks to turn one lock into the other:
//! platforms differ there (Linux drops the old lock when a conversion fails; Windows stacks
//! them). Changing means unlocking, then locking anew.

use std::fs::{File, TryLockError};

use crate::error::{Error, Result};
use crate::{JournalFiles, rotation};

/// How long [`FolderLock::upgrade`] and [`FolderLock::exclusive`] wait for others to let
/// go: 100 × 20 ms. (The wait also covers a lock kept alive for a moment by a child process
/// being started elsewhere in this program, which shares open files until it runs its own
/// code.)
const WAIT_STEPS: u32 = 100;
const WAIT_STEP: std::time::Duration = std::time::Duration::from_millis(20);

/// A hold on a journal folder's lock file, released when dropped.
#[derive(Debug)]
pub(crate) struct FolderLock(File);

impl FolderLock {
    /// A shared hold, for a journal being opened. When nobody else has the journal open, a key
    /// replacement a crash interrupted is settled first; while another program replaces the
    /// key, this waits for it to finish.
    pub(crate) fn shared(files: &JournalFiles) -> Result<FolderLock> {
        let lock = FolderLock(open(files)?);
        match lock.0.try_lock() {
            Ok(()) => {
                let settled = rotation::settle(files);
                lock.share(files)?;
                settled?;
            }
            Err(TryLockError::WouldBlock) => {
                lock.0.lock_shared().map_err(|e| lock_error(files, e))?;
            }
            Err(TryLockError::Error(e)) => return Err(lock_error(files, e)),
        }
        Ok(lock)
    }

    /// Sole use of the folder (an interrupted key replacement settled first), or
    /// [`Error::JournalInUse`] when another program keeps the journal open.
    pub(crate) fn exclusive(files: &JournalFiles) -> Result<FolderLock> {
        let lock = Self::exclusive_as_is(files)?;
        rotation::settle(files)?;
        Ok(lock)
    }

    /// Sole use of the folder with its files left as they are, for what must work on a
    /// journal whose interrupted key replacement cannot be settled (erasing, setting aside).
    pub(crate) fn exclusive_as_is(files: &JournalFiles) -> Result<FolderLock> {
        let lock = FolderLock(open(files)?);
        for _ in 0..WAIT_STEPS {
            match lock.0.try_lock() {
                Ok(()) => return Ok(lock),
                Err(TryLockError::WouldBlock) => std::thread::sleep(WAIT_STEP),
                Err(TryLockError::Error(e)) => return Err(lock_error(files, e)),
            }
        }
        Err(Error::JournalInUse)
    }

    /// Turns a shared hold into sole use, or fails with [`Error::JournalInUse`] (still
    /// holding it shared) when another program keeps the journal open.
    pub(crate) fn upgrade(&self, files: &JournalFiles) -> Result<()> {
        for _ in 0..WAIT_STEPS {
            self.0.unlock().map_err(|e| lock_error(files, e))?;
            match self.0.try_lock() {
                Ok(()) => return Ok(()),
                Err(TryLockError::WouldBlock) => {
                    self.0.lock_shared().map_err(|e| lock_error(files, e))?;
                    std::thread::sleep(WAIT_STEP);
                }
                Err(TryLockError::Error(e)) => {
                    let _ = self.0.lock_shared();
                    return Err(lock_error(files, e));
                }
            }
        }
        Err(Error::JournalInUse)
    }

    /// Shares the folder again after sole use.
    pub(crate) fn share(&self, files: &JournalFiles) -> Result<()> {
        self.0.unlock().map_err(|e| lock_error(files, e))?;
        self.0.lock_shared().map_err(|e| lock_error(files, e))
    }
}

fn open(files: &JournalFiles) -> Result<File> {
    crate::disk::private_file_options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&files.lock)
        .map_err(|e| lock_error(files, e))
}

fn lock_error(files: &JournalFiles, e: std::io::Error) -> Error {
    Error::io(format!("cannot lock {}", files.lock.display()), e)
}
