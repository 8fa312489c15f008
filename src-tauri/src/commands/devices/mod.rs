//! Commands on monitors: Bluetooth state and demo devices, scan, pair, sync with progress,
//! forget, and the live feed of latest readings for the Today screen.

pub mod dto;

use std::sync::Arc;
use std::time::Duration;

use tauri::State;
use tauri::ipc::Channel;
use tokio::sync::mpsc;

use self::dto::{
    DemoSettings, DeviceView, FoundMonitorView, LiveUpdate, RadioView, SyncProgress, SyncSummary,
};
use super::blocking;
use crate::devices::DeviceLinks;
use crate::error::IpcError;
use crate::journal_access::JournalAccess;

/// The longest scan the UI may ask for.
const MAX_SCAN: Duration = Duration::from_secs(30);

/// Whether this computer's Bluetooth can be used, and the demo monitors' settings.
#[tauri::command]
#[specta::specta]
pub async fn radio_state(
    access: State<'_, Arc<JournalAccess>>,
    links: State<'_, DeviceLinks>,
) -> Result<RadioView, IpcError> {
    let state = links.state(access.shared()?).await;
    let (bluetooth_problem, bluetooth_detail) = match state.bluetooth_problem {
        Some(problem) => (Some(problem.message), problem.detail),
        None => (None, None),
    };
    Ok(RadioView {
        bluetooth_problem,
        bluetooth_detail,
        demo_shown: state.demo_shown,
        demo_chosen: state.demo_chosen,
        demo: state.demo,
    })
}

/// Offers or hides the demo monitors and chooses how they behave.
#[tauri::command]
#[specta::specta]
pub async fn set_demo_devices(
    access: State<'_, Arc<JournalAccess>>,
    links: State<'_, DeviceLinks>,
    shown: bool,
    settings: DemoSettings,
) -> Result<RadioView, IpcError> {
    if !(1..=5000).contains(&settings.records) {
        return Err(IpcError::invalid(
            "A demo monitor holds between 1 and 5000 records.",
        ));
    }
    links.set_demo(access.shared()?, shown, settings).await;
    radio_state(access, links).await
}

/// Looks for monitors for `seconds` (at most 30).
#[tauri::command]
#[specta::specta]
pub async fn scan_devices(
    access: State<'_, Arc<JournalAccess>>,
    links: State<'_, DeviceLinks>,
    seconds: u32,
) -> Result<Vec<FoundMonitorView>, IpcError> {
    let duration = Duration::from_secs(u64::from(seconds)).min(MAX_SCAN);
    let found = links.scan(access.shared()?, duration).await?;
    Ok(found.into_iter().map(FoundMonitorView::from).collect())
}

/// Pairs a monitor (the system asks for its PIN) and remembers it.
#[tauri::command]
#[specta::specta]
pub async fn pair_device(
    access: State<'_, Arc<JournalAccess>>,
    links: State<'_, DeviceLinks>,
    id: String,
) -> Result<(), IpcError> {
    let handle = links.handle_for(access.shared()?, &id).await?;
    handle.pair(&id).await?;
    Ok(())
}

/// Stops syncing a monitor; its readings stay in the journal.
#[tauri::command]
#[specta::specta]
pub async fn forget_device(
    access: State<'_, Arc<JournalAccess>>,
    links: State<'_, DeviceLinks>,
    id: String,
) -> Result<(), IpcError> {
    let handle = links.handle_for(access.shared()?, &id).await?;
    handle.forget(&id).await?;
    Ok(())
}

/// The monitors the patient paired, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn list_devices(
    access: State<'_, Arc<JournalAccess>>,
) -> Result<Vec<DeviceView>, IpcError> {
    let access = Arc::clone(&access);
    blocking(move || {
        let devices = access.with(|journal| journal.devices())?;
        Ok(devices
            .iter()
            .filter(|device| device.paired)
            .map(DeviceView::from)
            .collect())
    })
    .await
}

/// Syncs a monitor now, sending progress to `progress`; sets its clock when `setClock` and it
/// allows it. The Today screen hears about what was stored.
#[tauri::command]
#[specta::specta]
pub async fn sync_device(
    access: State<'_, Arc<JournalAccess>>,
    links: State<'_, DeviceLinks>,
    id: String,
    set_clock: bool,
    progress: Channel<SyncProgress>,
) -> Result<SyncSummary, IpcError> {
    let journal = access.shared()?;
    let handle = links.handle_for(Arc::clone(&journal), &id).await?;
    let (events, mut received) = mpsc::unbounded_channel();
    let forward = tauri::async_runtime::spawn(async move {
        while let Some(event) = received.recv().await {
            // A page that went away misses the progress; the sync goes on.
            let _ = progress.send(SyncProgress::from(event));
        }
    });
    let report = handle.sync(&id, set_clock, events).await;
    let _ = forward.await;
    let report = report?;
    if report.new > 0 {
        links.live().publish(journal, None).await;
    }
    Ok(SyncSummary::from(report))
}

/// Subscribes `updates` to the latest reading of each kind: sent at once, then after every
/// sync that stores something.
#[tauri::command]
#[specta::specta]
pub async fn watch_live(
    access: State<'_, Arc<JournalAccess>>,
    links: State<'_, DeviceLinks>,
    updates: Channel<LiveUpdate>,
) -> Result<(), IpcError> {
    let journal = access.shared()?;
    // Starting the adapter tasks here lets paired monitors sync in the background as soon as
    // the app shows its first screen.
    links.state(Arc::clone(&journal)).await;
    links.live().subscribe(updates, journal).await;
    Ok(())
}
