//! The adapter task against the demo radio: requests over channels, progress, background
//! sync of paired monitors, and reconnection with backoff.

use std::sync::Arc;
use std::time::Duration;

use readings::{MonitorId, MonitorKind};
use simulator::{DemoRadio, Faults};
use sync::adapter::{Notice, WatchConfig, spawn};
use sync::monitor::SyncEvent;
use tokio::sync::{Mutex, mpsc};

use super::simulated::journal;

fn demo_glucose() -> String {
    MonitorId::demo(MonitorKind::Glucose).to_string()
}

fn demo_cuff() -> String {
    MonitorId::demo(MonitorKind::BloodPressure).to_string()
}

fn quick() -> WatchConfig {
    WatchConfig {
        interval: Duration::from_millis(50),
        scan_for: Duration::from_millis(1),
        resync_after: Duration::from_secs(60),
        min_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        retries: 3,
    }
}

#[tokio::test]
async fn scan_pair_and_sync_through_the_task_with_progress() {
    let (_dir, journal) = journal();
    let journal = Arc::new(Mutex::new(journal));
    let radio = DemoRadio::new(8, Faults::default());
    radio.fail_next_connects(2);
    let (adapter, _notices) = spawn(radio, journal.clone(), quick());

    let found = adapter.scan(Duration::from_millis(1)).await.expect("scan");
    assert_eq!(found.len(), 7);
    adapter.pair(&demo_glucose()).await.expect("pair");

    let (progress, mut events) = mpsc::unbounded_channel();
    // Two failed connections, then the backoff gets through.
    let report = adapter
        .sync(&demo_glucose(), false, progress)
        .await
        .expect("sync");
    assert_eq!(report.new, 8);
    let mut saw_progress = false;
    while let Ok(event) = events.try_recv() {
        saw_progress |= matches!(
            event,
            SyncEvent::Progress {
                expected: Some(8),
                ..
            }
        );
    }
    assert!(saw_progress);
    let journal = journal.lock().await;
    let device = journal
        .device_by_identity(&demo_glucose())
        .expect("lookup")
        .expect("known");
    assert!(device.paired);
}

#[tokio::test]
async fn paired_monitors_in_range_are_synced_in_the_background_and_forgotten_ones_are_not() {
    let (_dir, journal) = journal();
    let journal = Arc::new(Mutex::new(journal));
    let (adapter, mut notices) = spawn(
        DemoRadio::new(4, Faults::default()),
        journal.clone(),
        quick(),
    );
    adapter.pair(&demo_cuff()).await.expect("pair");
    adapter.set_watching(true).await.expect("watch");
    let notice = tokio::time::timeout(Duration::from_secs(5), notices.recv())
        .await
        .expect("a background sync")
        .expect("notice");
    match notice {
        Notice::Synced { id, report } => {
            assert_eq!(id, demo_cuff());
            assert_eq!(report.new, 8);
        }
        other => panic!("unexpected {other:?}"),
    }
    adapter.forget(&demo_cuff()).await.expect("forget");
    adapter.set_watching(false).await.expect("stop");
    assert!(
        journal
            .lock()
            .await
            .devices()
            .expect("devices")
            .iter()
            .all(|d| !d.paired)
    );
}

#[tokio::test]
async fn a_demo_sync_cut_off_half_way_resumes_on_the_next_connection_and_notes_the_sync() {
    let (_dir, journal) = journal();
    let journal = Arc::new(Mutex::new(journal));
    let radio = DemoRadio::new(20, "drop:10".parse().expect("faults"));
    let (adapter, _notices) = spawn(radio, journal.clone(), quick());
    adapter.scan(Duration::from_millis(1)).await.expect("scan");
    adapter.pair(&demo_glucose()).await.expect("pair");
    let kind = |journal: &journal::Journal| {
        journal
            .device_by_identity(&demo_glucose())
            .expect("lookup")
            .and_then(|device| device.kind)
    };
    assert_eq!(
        kind(&*journal.lock().await),
        Some(MonitorKind::Glucose),
        "the scan said what it is"
    );

    let (progress, _events) = mpsc::unbounded_channel();
    let first = adapter
        .sync(&demo_glucose(), false, progress.clone())
        .await
        .expect("first sync");
    assert_eq!(first.new, 10);
    assert!(first.interrupted.is_some(), "the link dropped");

    // The demo monitor drops the link once, as a meter carried out of range would.
    let second = adapter
        .sync(&demo_glucose(), false, progress.clone())
        .await
        .expect("second sync");
    assert_eq!((second.new, second.already_present), (10, 0));
    assert_eq!(second.interrupted, None);
    let third = adapter
        .sync(&demo_glucose(), false, progress)
        .await
        .expect("third sync");
    assert_eq!(third.new, 0);

    let journal = journal.lock().await;
    let device = journal
        .device_by_identity(&demo_glucose())
        .expect("lookup")
        .expect("known");
    assert_eq!(device.kind, Some(MonitorKind::Glucose));
    assert_eq!(device.battery_percent, Some(87));
    assert!(device.last_sync.is_some());
    assert_eq!(device.last_sequence, Some(20));
}
