//! The one task that owns the radio; the app talks to it over channels.
//!
//! [`spawn`] starts the task and returns an [`AdapterHandle`] (cheap to clone; each call sends
//! a request and awaits its answer) and a receiver of [`Notice`]s for app-wide news. Requests
//! run one at a time, in order: a radio does one thing at a time.
//!
//! While watching ([`AdapterHandle::set_watching`]), the task scans briefly every
//! [`WatchConfig::interval`] and syncs each paired monitor it sees that was not synced within
//! [`WatchConfig::resync_after`]. Connections are retried with exponential backoff (backon).
//! A sync that is cut off is not retried at once: what arrived is stored, and the next sync
//! (the next advertisement) resumes after the last stored sequence number.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use backon::{ExponentialBuilder, Retryable};
use journal::Journal;
use tokio::sync::{Mutex, mpsc, oneshot};

use link::LinkError;

use crate::error::SyncError;
use crate::monitor::{SyncEvent, SyncOptions, SyncReport, sync_monitor};
use link::Transport;
use link::{FoundMonitor, Radio};
use readings::MonitorKind;

/// The journal, shared between the app and the adapter task; a sync holds it while it stores.
pub type SharedJournal = Arc<Mutex<Journal>>;

/// How the background watch behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchConfig {
    /// Time between two looks for paired monitors.
    pub interval: Duration,
    /// How long each look listens.
    pub scan_for: Duration,
    /// A monitor synced more recently than this is left alone.
    pub resync_after: Duration,
    /// The first retry delay of a failed connection; it doubles up to `max_delay`.
    pub min_delay: Duration,
    /// The longest retry delay.
    pub max_delay: Duration,
    /// How many times a failed connection is retried.
    pub retries: usize,
}

impl Default for WatchConfig {
    fn default() -> Self {
        WatchConfig {
            interval: Duration::from_secs(30),
            scan_for: Duration::from_secs(5),
            resync_after: Duration::from_secs(10 * 60),
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            retries: 4,
        }
    }
}

/// News for the whole app (the shell turns them into events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A paired monitor was synced in the background.
    Synced {
        /// The monitor's id.
        id: String,
        /// What was stored.
        report: SyncReport,
    },
    /// A background sync failed; the next advertisement tries again.
    SyncFailed {
        /// The monitor's id.
        id: String,
        /// Why, worded for the patient.
        message: String,
    },
}

type Reply<T> = oneshot::Sender<Result<T, SyncError>>;

enum Request {
    Scan(Duration, Reply<Vec<FoundMonitor>>),
    Pair(String, Reply<()>),
    Forget(String, Reply<()>),
    Sync {
        id: String,
        set_clock: bool,
        progress: mpsc::UnboundedSender<SyncEvent>,
        reply: Reply<SyncReport>,
    },
    Watch(bool),
}

/// The app's side of the adapter task.
#[derive(Debug, Clone)]
pub struct AdapterHandle {
    requests: mpsc::Sender<Request>,
}

impl AdapterHandle {
    async fn ask<T>(&self, request: impl FnOnce(Reply<T>) -> Request) -> Result<T, SyncError> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(request(reply))
            .await
            .map_err(|_| LinkError::TaskGone)?;
        answer.await.map_err(|_| LinkError::TaskGone)?
    }

    /// Scans for `duration`; monitors the journal remembers as paired are marked paired.
    pub async fn scan(&self, duration: Duration) -> Result<Vec<FoundMonitor>, SyncError> {
        self.ask(|reply| Request::Scan(duration, reply)).await
    }

    /// Pairs with a monitor (the system asks for the PIN) and remembers it in the journal.
    pub async fn pair(&self, id: &str) -> Result<(), SyncError> {
        self.ask(|reply| Request::Pair(id.to_owned(), reply)).await
    }

    /// Stops syncing a monitor automatically; its readings stay.
    pub async fn forget(&self, id: &str) -> Result<(), SyncError> {
        self.ask(|reply| Request::Forget(id.to_owned(), reply))
            .await
    }

    /// Syncs one monitor now, sending progress to `progress` as it goes.
    pub async fn sync(
        &self,
        id: &str,
        set_clock: bool,
        progress: mpsc::UnboundedSender<SyncEvent>,
    ) -> Result<SyncReport, SyncError> {
        self.ask(|reply| Request::Sync {
            id: id.to_owned(),
            set_clock,
            progress,
            reply,
        })
        .await
    }

    /// Starts or stops watching for paired monitors in the background.
    pub async fn set_watching(&self, watching: bool) -> Result<(), SyncError> {
        self.requests
            .send(Request::Watch(watching))
            .await
            .map_err(|_| LinkError::TaskGone.into())
    }
}

/// Starts the task that owns `radio`. It ends when every handle is dropped.
pub fn spawn<R: Radio>(
    radio: R,
    journal: SharedJournal,
    config: WatchConfig,
) -> (AdapterHandle, mpsc::UnboundedReceiver<Notice>) {
    let (requests, inbox) = mpsc::channel(16);
    let (notices, news) = mpsc::unbounded_channel();
    let task = AdapterTask {
        radio,
        journal,
        config,
        inbox,
        notices,
        watching: false,
        last_synced: HashMap::new(),
        seen: HashMap::new(),
    };
    tokio::spawn(task.run());
    (AdapterHandle { requests }, news)
}

/// The task's state: the radio, the journal handle, and the background watch.
struct AdapterTask<R: Radio> {
    radio: R,
    journal: SharedJournal,
    config: WatchConfig,
    inbox: mpsc::Receiver<Request>,
    notices: mpsc::UnboundedSender<Notice>,
    watching: bool,
    last_synced: HashMap<String, Instant>,
    /// What each monitor found by a scan measures, so a paired monitor's card can say what it
    /// is before its first sync.
    seen: HashMap<String, MonitorKind>,
}

impl<R: Radio> AdapterTask<R> {
    async fn run(mut self) {
        let mut tick = tokio::time::interval(self.config.interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                request = self.inbox.recv() => match request {
                    Some(request) => self.handle(request).await,
                    None => return,
                },
                _ = tick.tick(), if self.watching => self.watch_once().await,
            }
        }
    }

    async fn handle(&mut self, request: Request) {
        match request {
            Request::Scan(duration, reply) => {
                let _ = reply.send(self.scan(duration).await);
            }
            Request::Pair(id, reply) => {
                let _ = reply.send(self.pair(&id).await);
            }
            Request::Forget(id, reply) => {
                let _ = reply.send(self.forget(&id).await);
            }
            Request::Sync {
                id,
                set_clock,
                progress,
                reply,
            } => {
                let result = self
                    .sync(&id, set_clock, |event| {
                        let _ = progress.send(event);
                    })
                    .await;
                let _ = reply.send(result);
            }
            Request::Watch(watching) => self.watching = watching,
        }
    }

    async fn scan(&mut self, duration: Duration) -> Result<Vec<FoundMonitor>, SyncError> {
        let mut found = self.radio.scan(duration).await?;
        let journal = self.journal.lock().await;
        for monitor in &mut found {
            self.seen.insert(monitor.id.clone(), monitor.kind);
            let identity = self.radio.identity(&monitor.id);
            if let Some(device) = journal.device_by_identity(&identity)? {
                monitor.paired |= device.paired;
            }
        }
        Ok(found)
    }

    async fn pair(&self, id: &str) -> Result<(), SyncError> {
        self.radio.pair(id).await?;
        let mut journal = self.journal.lock().await;
        let device = journal.register_device(&journal::DeviceInfo {
            identity: self.radio.identity(id),
            ..journal::DeviceInfo::default()
        })?;
        journal.set_device_paired(device, true)?;
        if let Some(kind) = self.seen.get(id) {
            journal.set_device_kind(device, *kind)?;
        }
        Ok(())
    }

    async fn forget(&self, id: &str) -> Result<(), SyncError> {
        let mut journal = self.journal.lock().await;
        let device = journal
            .device_by_identity(&self.radio.identity(id))?
            .ok_or_else(|| LinkError::NotFound { id: id.to_owned() })?;
        journal.set_device_paired(device.id, false)?;
        Ok(())
    }

    async fn sync(
        &mut self,
        id: &str,
        set_clock: bool,
        on_event: impl FnMut(SyncEvent) + Send,
    ) -> Result<SyncReport, SyncError> {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.config.min_delay)
            .with_max_delay(self.config.max_delay)
            .with_max_times(self.config.retries);
        let radio = &self.radio;
        let mut connected = (|| radio.connect(id))
            .retry(backoff)
            .when(|error| {
                matches!(
                    error,
                    LinkError::ConnectFailed { .. } | LinkError::NotFound { .. }
                )
            })
            .await?;
        let kind = link::kind::of_characteristics(connected.characteristics())
            .ok_or_else(|| LinkError::NotAMonitor { id: id.to_owned() })?;
        let options = SyncOptions {
            id: id.to_owned(),
            identity: self.radio.identity(id),
            kind,
            source: self.radio.source(),
            set_clock,
        };
        let mut journal = self.journal.lock().await;
        let report = sync_monitor(&mut connected, &mut journal, &options, on_event).await?;
        self.last_synced.insert(id.to_owned(), Instant::now());
        Ok(report)
    }

    /// One look for paired monitors, syncing those due.
    async fn watch_once(&mut self) {
        let Ok(found) = self.radio.scan(self.config.scan_for).await else {
            return;
        };
        let mut remembered = Vec::new();
        {
            let journal = self.journal.lock().await;
            for monitor in found {
                // Only monitors the patient paired in Vitalog, not everything the system knows.
                let identity = self.radio.identity(&monitor.id);
                if let Ok(Some(device)) = journal.device_by_identity(&identity)
                    && device.paired
                {
                    remembered.push(monitor);
                }
            }
        }
        for monitor in remembered {
            let due = self
                .last_synced
                .get(&monitor.id)
                .is_none_or(|at| at.elapsed() >= self.config.resync_after);
            if !due {
                continue;
            }
            let notice = match self.sync(&monitor.id, false, |_| {}).await {
                Ok(report) => Notice::Synced {
                    id: monitor.id,
                    report,
                },
                Err(error) => {
                    // Wait as after a success, so a monitor that keeps failing (not bonded, say)
                    // does not raise a notice at every look.
                    self.last_synced.insert(monitor.id.clone(), Instant::now());
                    Notice::SyncFailed {
                        id: monitor.id,
                        message: error.to_string(),
                    }
                }
            };
            let _ = self.notices.send(notice);
        }
    }
}
