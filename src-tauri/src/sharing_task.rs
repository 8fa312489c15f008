//! The app's background sender: one task for the app's life that, while the journal is
//! unlocked, checks every second whether a reading is due for a care team (a read-only query)
//! and sends what is, so a new reading reaches a real-time care team within about a second.
//! It holds the journal only while it reads or records, so locking is never held up by a slow
//! server; a round cut short by a lock is sent again after the next unlock, and the server
//! keeps one copy.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use sharing::FhirClient;
use tokio::sync::Notify;

use crate::journal_access::JournalAccess;

/// How often the sender looks for due readings.
const TICK: Duration = Duration::from_secs(1);

/// The sender as the app holds it (managed by Tauri).
#[derive(Debug, Default)]
pub struct SharingSender {
    wake: Arc<Notify>,
    /// Fired to cancel a SMART sign-in waiting for the browser.
    cancel: Notify,
    /// Why secure connections cannot be made on this computer, if so (shown on the Sharing
    /// screen; nothing is sent then).
    problem: std::sync::OnceLock<String>,
}

impl SharingSender {
    /// Starts the task.
    pub fn start(self: &Arc<Self>, access: Arc<JournalAccess>) {
        let client = match FhirClient::new() {
            Ok(client) => client,
            Err(error) => {
                let _ = self.problem.set(crate::error::sentence(&error.to_string()));
                return;
            }
        };
        let wake = Arc::clone(&self.wake);
        tauri::async_runtime::spawn(async move {
            loop {
                let _ = tokio::time::timeout(TICK, wake.notified()).await;
                let Ok(shared) = access.shared() else {
                    continue;
                };
                let due = shared
                    .lock()
                    .await
                    .sharing_has_due(Utc::now())
                    .unwrap_or(false);
                let journal = Arc::downgrade(&shared);
                drop(shared);
                if due {
                    // Each outcome is in the journal; a failure of the journal itself shows
                    // on the Sharing screen's next look.
                    let _ = sharing::send_due(&journal, &client, env!("CARGO_PKG_VERSION")).await;
                }
            }
        });
    }

    /// Looks for due readings now instead of at the next tick.
    pub fn nudge(&self) {
        self.wake.notify_one();
    }

    /// What a SMART sign-in waits on besides the browser: the patient's Cancel.
    pub fn cancelling(&self) -> &Notify {
        &self.cancel
    }

    /// Why nothing can be sent from this computer, if so.
    pub fn problem(&self) -> Option<String> {
        self.problem.get().cloned()
    }
}
