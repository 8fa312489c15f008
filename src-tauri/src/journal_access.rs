//! The journal as the running app holds it: locked (no key in memory) or unlocked. The
//! unlocked journal is shared with the Bluetooth adapter tasks, which store what monitors send;
//! locking stops them (see [`crate::devices::DeviceLinks::stop`]) and drops the journal, which
//! wipes its key.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use journal::Journal;
use sync::adapter::SharedJournal;

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

    /// Locks the journal for every command at once: none reaches it from now on. The last
    /// holder to let go (this handle, or an adapter task still storing) drops it, which closes
    /// the database and wipes the key; then stop the adapter tasks, which no command can
    /// restart on this journal any more. Locking twice is harmless.
    pub fn lock(&self) -> Result<Released, IpcError> {
        let held = self.slot()?.take().map(|shared| Arc::downgrade(&shared));
        Ok(Released { held })
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
        self.open.lock().map_err(|_| IpcError::poisoned())
    }
}

/// A journal just locked, which a task may still hold for the moment.
#[derive(Debug)]
#[must_use = "dropping it waits for nothing; call `wait` where the files must be free"]
pub struct Released {
    held: Option<Weak<tokio::sync::Mutex<Journal>>>,
}

impl Released {
    /// Waits, up to `within`, until nothing holds the journal any more (a command still at
    /// work on it, a task that has not let go yet), so its files are free for erasing. Should
    /// something hold it longer, the caller's next step reports the journal in use. Blocks:
    /// call it from a blocking thread.
    pub fn wait(self, within: Duration) {
        let Some(held) = self.held else { return };
        let deadline = Instant::now() + within;
        while held.strong_count() > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
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

        let released = access.lock().unwrap();
        assert!(!access.is_unlocked());
        released.wait(Duration::from_secs(10));
        Journal::erase(dir.path(), None).unwrap();
        assert!(!Journal::exists(dir.path()));
        sync_task.join().unwrap();
    }
}
