//! The journal as the running app holds it: locked (no key in memory) or unlocked. The
//! unlocked journal is shared with the Bluetooth adapter tasks, which store what monitors send;
//! locking stops them (see [`crate::devices::DeviceLinks::stop`]) and drops the journal, which
//! wipes its key.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use journal::Journal;
use link::adapter::SharedJournal;

use crate::error::{ErrorKind, IpcError};

/// The app's one handle on the journal in its data folder.
#[derive(Debug)]
pub struct JournalAccess {
    dir: PathBuf,
    open: Mutex<Option<SharedJournal>>,
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
        *self.slot()? = Some(Arc::new(tokio::sync::Mutex::new(journal)));
        Ok(())
    }

    /// Locks the journal: closes the database and wipes the key. Locking twice is harmless.
    /// Stop the adapter tasks first, or the key stays in memory until their work ends.
    pub fn lock(&self) -> Result<(), IpcError> {
        if let Some(shared) = self.slot()?.take()
            && let Ok(journal) = Arc::try_unwrap(shared)
        {
            journal.into_inner().lock();
        }
        Ok(())
    }

    /// Locks the journal and waits, up to `within`, until nothing holds it any more: a sync
    /// that was storing when the adapter tasks were stopped finishes first, and then the
    /// journal's files are free to be removed (erase needs them alone). Should something hold
    /// it longer, the caller's next step reports the journal in use.
    pub fn lock_and_wait(&self, within: Duration) -> Result<(), IpcError> {
        let Some(shared) = self.slot()?.take() else {
            return Ok(());
        };
        let held = Arc::downgrade(&shared);
        // The last holder to let go drops the journal, which closes it and wipes its key.
        drop(shared);
        let deadline = Instant::now() + within;
        while held.strong_count() > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    /// The unlocked journal, to share with a task that outlives one command.
    pub fn shared(&self) -> Result<SharedJournal, IpcError> {
        self.slot()?.as_ref().map(Arc::clone).ok_or_else(locked)
    }

    /// Runs `work` on the unlocked journal, or fails with [`ErrorKind::Locked`]. Blocks while
    /// a sync is storing: call it from a blocking thread (see `commands::blocking`).
    pub fn with<T>(
        &self,
        work: impl FnOnce(&mut Journal) -> journal::Result<T>,
    ) -> Result<T, IpcError> {
        let shared = self.shared()?;
        let mut journal = shared.blocking_lock();
        work(&mut journal).map_err(IpcError::from)
    }

    fn slot(&self) -> Result<std::sync::MutexGuard<'_, Option<SharedJournal>>, IpcError> {
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

fn locked() -> IpcError {
    IpcError::new(
        ErrorKind::Locked,
        "The journal is locked: unlock it to continue.",
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use journal::{CreateOptions, KdfParams};

    use super::*;

    /// Found in review: erasing while a background sync was storing reported the journal in
    /// use, because the sync's task still held it after the tasks were told to stop.
    #[test]
    fn erase_waits_for_a_sync_that_still_holds_the_journal() {
        let dir = tempfile::tempdir().unwrap();
        let options = CreateOptions {
            kdf: KdfParams::OWASP_FLOOR,
        };
        let (journal, _) =
            Journal::create(dir.path(), "correct horse battery staple", &options).unwrap();
        let access = JournalAccess::new(dir.path().to_path_buf());
        access.hold(journal).unwrap();
        let sync = access.shared().unwrap();
        let (storing_tx, storing) = std::sync::mpsc::channel();
        let sync_task = std::thread::spawn(move || {
            let guard = sync.blocking_lock();
            storing_tx.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(300));
            drop(guard);
            drop(sync);
        });
        storing.recv().unwrap();
        assert!(matches!(
            Journal::erase(dir.path(), None),
            Err(journal::Error::JournalInUse)
        ));

        access.lock_and_wait(Duration::from_secs(10)).unwrap();
        assert!(!access.is_unlocked());
        Journal::erase(dir.path(), None).unwrap();
        assert!(!Journal::exists(dir.path()));
        sync_task.join().unwrap();
    }
}
