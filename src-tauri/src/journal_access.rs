//! The journal as the running app holds it: locked (no key in memory) or unlocked, behind
//! one lock that this handle owns. Locking drops the journal, which wipes its key.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use journal::Journal;

use crate::error::{ErrorKind, IpcError};

/// The app's one handle on the journal in its data folder.
#[derive(Debug)]
pub struct JournalAccess {
    dir: PathBuf,
    open: Mutex<Option<Journal>>,
}

impl JournalAccess {
    /// A locked handle on the journal in `dir` (which may not exist yet).
    pub fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            open: Mutex::new(None),
        }
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether a journal is unlocked right now.
    pub fn is_unlocked(&self) -> bool {
        self.open.lock().map(|open| open.is_some()).unwrap_or(false)
    }

    /// Keeps `journal` as the unlocked journal, locking any previous one.
    pub fn hold(&self, journal: Journal) -> Result<(), IpcError> {
        *self.slot()? = Some(journal);
        Ok(())
    }

    /// Locks the journal: closes the database and wipes the key. Locking twice is harmless.
    pub fn lock(&self) -> Result<(), IpcError> {
        if let Some(journal) = self.slot()?.take() {
            journal.lock();
        }
        Ok(())
    }

    /// Runs `work` on the unlocked journal, or fails with [`ErrorKind::Locked`].
    pub fn with<T>(
        &self,
        work: impl FnOnce(&mut Journal) -> journal::Result<T>,
    ) -> Result<T, IpcError> {
        let mut slot = self.slot()?;
        let journal = slot.as_mut().ok_or_else(|| {
            IpcError::new(
                ErrorKind::Locked,
                "The journal is locked: unlock it to continue.",
            )
        })?;
        work(journal).map_err(IpcError::from)
    }

    fn slot(&self) -> Result<std::sync::MutexGuard<'_, Option<Journal>>, IpcError> {
        // A panic while holding the lock leaves the journal in an unknown state: refuse to use
        // it rather than guess, and let the patient restart the app.
        self.open.lock().map_err(|_| {
            IpcError::new(
                ErrorKind::Internal,
                "Vitalog hit an internal error and stopped using the journal. Restart the app; nothing saved was lost.",
            )
        })
    }
}
