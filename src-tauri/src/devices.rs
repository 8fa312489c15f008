//! The app's Bluetooth: one adapter task for this computer's Bluetooth and one for the demo
//! monitors, both storing into the unlocked journal, and the live feed that tells the Today
//! screen about new readings.
//!
//! The tasks run only while the journal is unlocked: they start on first use after an unlock
//! and [`DeviceLinks::stop`] ends them before the journal is locked, so the key does not stay
//! in memory behind a background sync. Demo monitors are always available to the tasks (their
//! readings are marked as demo data); the Devices screen offers them when the patient asks or
//! when this computer has no usable Bluetooth.

use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use link::{FoundMonitor, LinkError};
use readings::MonitorId;
use simulator::DemoRadio;
use sync::SyncError;
use sync::adapter::{self, AdapterHandle, Notice, SharedJournal, WatchConfig};
use tauri::ipc::Channel;
use tokio::sync::mpsc;

use crate::commands::alerts::AlertView;
use crate::commands::devices::dto::{DemoSettings, LiveUpdate};
use crate::commands::journal::dto::EntryView;
use crate::error::sentence;

/// How long opening the system's Bluetooth may take before Vitalog says it is unavailable.
const OPEN_TIMEOUT: Duration = Duration::from_secs(5);

/// The time between two records from a demo monitor: about what a real glucose meter manages,
/// so a demo sync shows its progress as a real one would.
const DEMO_PACE: Duration = Duration::from_millis(8);

/// The app's adapter tasks and live feed (one per app, managed by Tauri).
#[derive(Default)]
pub struct DeviceLinks {
    running: tokio::sync::Mutex<Option<Running>>,
    demo: Mutex<DemoChoice>,
    live: Arc<LiveFeed>,
}

/// Whether the patient asked for demo monitors, and how they behave.
#[derive(Debug, Clone, Copy, Default)]
struct DemoChoice {
    shown: bool,
    settings: DemoSettings,
}

/// The tasks started for one unlocked journal.
struct Running {
    journal: Weak<tokio::sync::Mutex<journal::Journal>>,
    bluetooth: Result<Adapter, Unavailable>,
    demo: Adapter,
    demo_settings: DemoSettings,
}

/// An adapter task as the app holds it.
struct Adapter {
    /// Keeps the task running: it ends once every handle is dropped.
    handle: AdapterHandle,
    /// Ends with the task (the task's notices run out), after it let go of the journal.
    ended: tauri::async_runtime::JoinHandle<()>,
}

/// Why the computer's Bluetooth cannot be used: a sentence for the patient, and the system's
/// own words when the sentence leaves them out.
#[derive(Debug, Clone)]
pub struct Unavailable {
    /// What happened and what to do.
    pub message: String,
    /// What the system said.
    pub detail: Option<String>,
}

impl Unavailable {
    fn plain(message: &str) -> Self {
        Unavailable {
            message: message.to_owned(),
            detail: None,
        }
    }
}

/// What the Devices screen needs to know about Bluetooth.
pub struct RadioState {
    /// Why the computer's Bluetooth cannot be used, if it cannot.
    pub bluetooth_problem: Option<Unavailable>,
    /// Whether demo monitors are offered.
    pub demo_shown: bool,
    /// Whether the patient asked for them.
    pub demo_chosen: bool,
    /// How the demo monitors behave.
    pub demo: DemoSettings,
}

impl DeviceLinks {
    /// Starts the adapter tasks for `journal` unless they already run for it. Returns what the
    /// Devices screen shows about Bluetooth.
    pub async fn state(&self, journal: SharedJournal) -> RadioState {
        let running = self.ensure(journal).await;
        RadioState {
            demo_shown: running.as_ref().is_some_and(|r| self.demo_shown(r)),
            demo_chosen: self.demo_choice().shown,
            bluetooth_problem: running
                .as_ref()
                .and_then(|r| r.bluetooth.as_ref().err().cloned()),
            demo: self.demo_choice().settings,
        }
    }

    /// Shows or hides demo monitors and sets how they behave; the demo task restarts when the
    /// behaviour changed (a sync in progress finishes first).
    pub async fn set_demo(&self, journal: SharedJournal, shown: bool, settings: DemoSettings) {
        if let Ok(mut choice) = self.demo.lock() {
            *choice = DemoChoice { shown, settings };
        }
        let mut running = self.ensure(journal.clone()).await;
        if let Some(running) = running.as_mut()
            && running.demo_settings != settings
        {
            running.demo = self.spawn_demo(&journal, settings);
            running.demo_settings = settings;
        }
    }

    /// Looks for monitors: the computer's Bluetooth for `duration`, and the demo monitors when
    /// they are offered.
    pub async fn scan(
        &self,
        journal: SharedJournal,
        duration: Duration,
    ) -> Result<Vec<FoundMonitor>, SyncError> {
        let (bluetooth, demo, demo_shown) = {
            let running = self.ensure(journal).await;
            let running = running.as_ref().ok_or(LinkError::TaskGone)?;
            (
                running.bluetooth.as_ref().ok().map(|a| a.handle.clone()),
                running.demo.handle.clone(),
                self.demo_shown(running),
            )
        };
        let real = async {
            match bluetooth {
                Some(handle) => handle.scan(duration).await,
                None => Ok(Vec::new()),
            }
        };
        let simulated = async {
            if demo_shown {
                demo.scan(duration).await
            } else {
                Ok(Vec::new())
            }
        };
        let (real, simulated) = tokio::join!(real, simulated);
        // Demo monitors still help when the real scan failed; the error shows only when
        // there is nothing else to offer.
        match (real, simulated) {
            (Ok(mut found), Ok(demo)) => {
                found.extend(demo);
                Ok(found)
            }
            (Err(error), Ok(demo)) if demo.is_empty() => Err(error),
            (Err(_), Ok(demo)) => Ok(demo),
            (_, Err(error)) => Err(error),
        }
    }

    /// The task that owns the monitor `id`: the demo one for demo ids, else Bluetooth.
    pub async fn handle_for(
        &self,
        journal: SharedJournal,
        id: &str,
    ) -> Result<AdapterHandle, LinkError> {
        let running = self.ensure(journal).await;
        let running = running.as_ref().ok_or(LinkError::TaskGone)?;
        if MonitorId::new(id).is_demo() {
            return Ok(running.demo.handle.clone());
        }
        match &running.bluetooth {
            Ok(adapter) => Ok(adapter.handle.clone()),
            Err(problem) => Err(LinkError::StackUnavailable {
                detail: problem
                    .detail
                    .clone()
                    .unwrap_or_else(|| problem.message.clone()),
            }),
        }
    }

    /// Ends the adapter tasks (before the journal is locked). A sync in progress finishes
    /// storing what it received first.
    pub async fn stop(&self) {
        self.running.lock().await.take();
    }

    /// Ends the adapter tasks and waits until they have (a sync in progress finishes storing
    /// first), for erasing, which needs the journal's files free.
    pub async fn stop_and_wait(&self) {
        let Some(running) = self.running.lock().await.take() else {
            return;
        };
        let Running {
            bluetooth, demo, ..
        } = running;
        for Adapter { handle, ended } in bluetooth.into_iter().chain([demo]) {
            drop(handle);
            // A task that panicked has ended too.
            let _ = ended.await;
        }
    }

    /// The live feed for the Today screen.
    pub fn live(&self) -> Arc<LiveFeed> {
        Arc::clone(&self.live)
    }

    /// Demo monitors are offered when the patient asked for them or Bluetooth is unusable.
    fn demo_shown(&self, running: &Running) -> bool {
        self.demo_choice().shown || running.bluetooth.is_err()
    }

    fn demo_choice(&self) -> DemoChoice {
        self.demo.lock().map(|choice| *choice).unwrap_or_default()
    }

    /// The running tasks for `journal`, started if they are not (or ran for a journal that
    /// has since been locked).
    async fn ensure(&self, journal: SharedJournal) -> tokio::sync::MutexGuard<'_, Option<Running>> {
        let mut running = self.running.lock().await;
        let current = running
            .as_ref()
            .and_then(|r| r.journal.upgrade())
            .is_some_and(|held| Arc::ptr_eq(&held, &journal));
        if !current {
            let settings = self.demo_choice().settings;
            *running = Some(Running {
                journal: Arc::downgrade(&journal),
                bluetooth: self.spawn_bluetooth(&journal).await,
                demo: self.spawn_demo(&journal, settings),
                demo_settings: settings,
            });
        }
        running
    }

    #[cfg(target_os = "linux")]
    async fn spawn_bluetooth(&self, journal: &SharedJournal) -> Result<Adapter, Unavailable> {
        let opened = tokio::time::timeout(OPEN_TIMEOUT, link::bluez::Bluetooth::open()).await;
        let radio = match opened {
            Ok(Ok(radio)) => radio,
            Ok(Err(error)) => {
                return Err(Unavailable {
                    message: sentence(&error.to_string()),
                    detail: error.detail().map(str::to_owned),
                });
            }
            Err(_) => {
                return Err(Unavailable::plain(
                    "The system's Bluetooth service did not answer. Check that Bluetooth is on, then restart Vitalog.",
                ));
            }
        };
        Ok(self.spawn_watching(radio, journal))
    }

    #[cfg(not(target_os = "linux"))]
    async fn spawn_bluetooth(&self, _journal: &SharedJournal) -> Result<Adapter, Unavailable> {
        Err(Unavailable::plain(
            "Bluetooth monitors are not supported on this system yet; demo devices work.",
        ))
    }

    fn spawn_demo(&self, journal: &SharedJournal, settings: DemoSettings) -> Adapter {
        let radio = DemoRadio::new(settings.records, settings.problem.faults(settings.records))
            .with_pace(DEMO_PACE);
        self.spawn_watching(radio, journal)
    }

    /// Starts an adapter task that watches for paired monitors, and forwards its notices to
    /// the live feed.
    fn spawn_watching<R: link::Radio>(&self, radio: R, journal: &SharedJournal) -> Adapter {
        let (handle, notices) = adapter::spawn(radio, Arc::clone(journal), WatchConfig::default());
        let watcher = handle.clone();
        let live = Arc::clone(&self.live);
        let journal = Arc::downgrade(journal);
        let ended = tauri::async_runtime::spawn(async move {
            let _ = watcher.set_watching(true).await;
            // The watcher's handle must not keep the task alive once the app let go of it.
            drop(watcher);
            forward_notices(notices, journal, live).await;
        });
        Adapter { handle, ended }
    }
}

/// Sends each background sync to the live feed; ends with the adapter task.
async fn forward_notices(
    mut notices: mpsc::UnboundedReceiver<Notice>,
    journal: Weak<tokio::sync::Mutex<journal::Journal>>,
    live: Arc<LiveFeed>,
) {
    while let Some(notice) = notices.recv().await {
        let Some(journal) = journal.upgrade() else {
            return;
        };
        let message = match notice {
            Notice::Synced { report, .. } if report.new == 0 => continue,
            Notice::Synced { id, report } => format!(
                "{} new {} from {}.",
                report.new,
                if report.new == 1 {
                    "reading"
                } else {
                    "readings"
                },
                monitor_label(&id)
            ),
            Notice::SyncFailed { id, message } => {
                format!("{} could not be synced: {}", monitor_label(&id), message)
            }
        };
        live.publish(journal, Some(message)).await;
    }
}

/// How a notice names a monitor.
fn monitor_label(id: &str) -> String {
    match MonitorId::new(id).demo_kind() {
        Some(kind) => format!("the demo {} monitor", kind.as_str().replace('-', " ")),
        None => format!("monitor {id}"),
    }
}

/// Shows a native notification (title, body); set once the app has a handle to show it with.
pub type Notifier = Box<dyn Fn(&str, &str) + Send + Sync>;

/// The page's subscription to the latest reading of every kind and the day's alerts, sent
/// whenever a sync or the patient stores something; and the native notification of every new
/// alert. The app has one window, so a new subscription (after a reload or an unlock) replaces
/// the previous one.
#[derive(Default)]
pub struct LiveFeed {
    subscriber: Mutex<Option<Channel<LiveUpdate>>>,
    notifier: Mutex<Option<Notifier>>,
    /// Told first whenever readings may have changed (the sharing sender looks at once).
    on_change: Mutex<Option<Box<dyn Fn() + Send + Sync>>>,
    /// The newest alert already notified: alerts raised before the journal was unlocked are
    /// shown on Today, not notified again.
    notified_up_to: Mutex<Option<i64>>,
}

impl LiveFeed {
    /// Sets how notifications are shown.
    pub fn set_notifier(&self, notifier: Notifier) {
        if let Ok(mut slot) = self.notifier.lock() {
            *slot = Some(notifier);
        }
    }

    /// Sets what is told first whenever readings may have changed.
    pub fn set_on_change(&self, on_change: Box<dyn Fn() + Send + Sync>) {
        if let Ok(mut slot) = self.on_change.lock() {
            *slot = Some(on_change);
        }
    }

    /// Makes `channel` the subscriber and sends it the latest readings at once.
    pub async fn subscribe(&self, channel: Channel<LiveUpdate>, journal: SharedJournal) {
        let snapshot = read_snapshot(journal, None).await;
        if let Ok(mut notified) = self.notified_up_to.lock() {
            *notified = snapshot.newest_alert;
        }
        let first = LiveUpdate {
            readings: snapshot.readings,
            alerts: snapshot.recent_alerts,
            message: None,
        };
        if channel.send(first).is_ok()
            && let Ok(mut subscriber) = self.subscriber.lock()
        {
            *subscriber = Some(channel);
        }
    }

    /// Notifies each new alert, then sends the latest readings and the day's alerts, with a
    /// message about what just happened; a page that went away is dropped.
    pub async fn publish(&self, journal: SharedJournal, message: Option<String>) {
        if let Ok(on_change) = self.on_change.lock()
            && let Some(on_change) = on_change.as_ref()
        {
            on_change();
        }
        let after = self.notified_up_to.lock().ok().and_then(|n| *n);
        let snapshot = read_snapshot(journal, Some(after)).await;
        if let (Ok(notifier), Ok(mut notified)) = (self.notifier.lock(), self.notified_up_to.lock())
        {
            // Before the page subscribed, nothing was notified yet: only alerts raised after
            // the newest one already there would be news.
            let baseline = notified.is_none();
            for alert in &snapshot.new_alerts {
                if !baseline && let Some(notify) = notifier.as_ref() {
                    notify(&alert.title, &alert.guidance);
                }
                *notified = Some(alert.id);
            }
        }
        if let Ok(mut subscriber) = self.subscriber.lock() {
            let update = LiveUpdate {
                readings: snapshot.readings,
                alerts: snapshot.recent_alerts,
                message,
            };
            let gone = subscriber
                .as_ref()
                .is_some_and(|channel| channel.send(update).is_err());
            if gone {
                *subscriber = None;
            }
        }
    }
}

/// What the live feed reads from the journal in one go.
#[derive(Default)]
struct Snapshot {
    readings: Vec<EntryView>,
    recent_alerts: Vec<AlertView>,
    new_alerts: Vec<AlertView>,
    newest_alert: Option<i64>,
}

/// The newest reading of each kind and the alerts of the last day (and, with `after`, those
/// raised after that alert), read on a blocking thread (the journal may be busy storing a
/// sync). A journal that cannot be read right now gives nothing rather than stale data; the
/// next update sends it again.
async fn read_snapshot(journal: SharedJournal, after: Option<Option<i64>>) -> Snapshot {
    tauri::async_runtime::spawn_blocking(move || {
        let journal = journal.blocking_lock();
        let day_ago = chrono::Utc::now() - chrono::Duration::hours(24);
        let view = |alert: &journal::RaisedAlert| AlertView::new(alert, &journal);
        let recent = journal.alerts_since(day_ago).unwrap_or_default();
        let new_alerts = match after {
            Some(after) => journal
                .alerts_after(after, 50)
                .unwrap_or_default()
                .iter()
                .filter_map(view)
                .collect(),
            None => Vec::new(),
        };
        Snapshot {
            readings: journal
                .latest_readings()
                .map(|entries| entries.iter().map(EntryView::from).collect())
                .unwrap_or_default(),
            newest_alert: journal.newest_alert().ok().flatten(),
            recent_alerts: recent.iter().filter_map(view).collect(),
            new_alerts,
        }
    })
    .await
    .unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use journal::{CreateOptions, KdfParams};

    use super::*;

    /// Erasing needs the journal's files free: once the tasks are stopped and waited for,
    /// nothing of theirs holds the journal, not even a sync that was running (it finishes
    /// storing first).
    #[test]
    fn stopping_and_waiting_outlasts_a_sync_in_progress() {
        let dir = tempfile::tempdir().unwrap();
        let options = CreateOptions {
            kdf: KdfParams::OWASP_FLOOR,
        };
        let (journal, _) =
            journal::Journal::create(dir.path(), "correct horse battery staple", &options).unwrap();
        let journal: SharedJournal = Arc::new(tokio::sync::Mutex::new(journal));
        let links = DeviceLinks::default();
        tauri::async_runtime::block_on(async {
            let settings = DemoSettings {
                records: 300,
                ..DemoSettings::default()
            };
            links.set_demo(Arc::clone(&journal), true, settings).await;
            let found = links
                .scan(Arc::clone(&journal), Duration::from_millis(50))
                .await
                .unwrap();
            let meter = found.first().expect("a demo monitor").id.clone();
            let demo = links
                .handle_for(Arc::clone(&journal), &meter)
                .await
                .unwrap();
            demo.pair(&meter).await.unwrap();
            let (progress, mut events) = mpsc::unbounded_channel();
            let sync =
                tauri::async_runtime::spawn(
                    async move { demo.sync(&meter, false, progress).await },
                );
            events.recv().await.expect("the sync started");

            links.stop_and_wait().await;
            assert_eq!(Arc::strong_count(&journal), 1, "the tasks let go of it");
            sync.await.unwrap().expect("the sync finished, not cut off");
        });
    }
}
