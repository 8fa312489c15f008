//! Sync against the simulated monitors: what lands in the journal, faults included.

use journal::{CreateOptions, Filter, Journal, KdfParams};
use link::{LinkError, Transport};
use readings::Source;
use readings::{MonitorId, MonitorKind};
use simulator::{
    BloodPressureCuff, ContinuousGlucoseMonitor, Faults, GlucoseMeter, ReadingMonitor,
};
use sync::SyncError;
use sync::monitor::{SyncEvent, SyncOptions, SyncReport, sync_monitor};

pub fn journal() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = CreateOptions {
        kdf: KdfParams::OWASP_FLOOR,
    };
    let (journal, _) =
        Journal::create(dir.path(), "correct horse battery", &options).expect("journal");
    (dir, journal)
}

fn options(kind: MonitorKind) -> SyncOptions {
    SyncOptions {
        id: "demo".into(),
        identity: MonitorId::demo(kind).to_string(),
        kind,
        source: Source::Demo,
        set_clock: false,
    }
}

async fn sync<T: Transport>(
    monitor: &mut T,
    journal: &mut Journal,
    options: &SyncOptions,
) -> (Result<SyncReport, SyncError>, Vec<SyncEvent>) {
    let mut events = Vec::new();
    let result = sync_monitor(monitor, journal, options, |event| events.push(event)).await;
    (result, events)
}

fn stored(journal: &Journal) -> Vec<journal::Entry> {
    journal.list(&Filter::default()).expect("list")
}

#[tokio::test]
async fn glucose_records_are_stored_once_and_a_second_sync_finds_nothing_new() {
    let (_dir, mut journal) = journal();
    let mut meter = GlucoseMeter::new(12, Faults::default());
    let options = options(MonitorKind::Glucose);
    let (report, events) = sync(&mut meter, &mut journal, &options).await;
    let report = report.expect("sync");
    assert_eq!(
        (report.new, report.already_present, report.rejected),
        (12, 0, 0)
    );
    assert_eq!(report.interrupted, None);
    assert!(events.iter().any(|e| matches!(
        e,
        SyncEvent::Progress {
            expected: Some(12),
            ..
        }
    )));
    let entries = stored(&journal);
    assert_eq!(entries.len(), 12);
    assert!(
        entries.iter().all(|e| matches!(
            e.content,
            readings::Content::Glucose {
                method: readings::GlucoseMethod::Meter,
                ..
            }
        )),
        "a meter's capillary readings are meter readings"
    );
    assert!(
        entries
            .iter()
            .all(|e| e.source == Source::Demo && e.device_time.is_some())
    );
    assert_eq!(
        journal.device(report.device).expect("device").last_sequence,
        Some(12)
    );

    meter.reconnect();
    meter.take_reading();
    let (again, _) = sync(&mut meter, &mut journal, &options).await;
    let again = again.expect("second sync");
    assert_eq!((again.new, again.already_present), (1, 0));
    assert_eq!(stored(&journal).len(), 13);
}

#[tokio::test]
async fn a_sync_cut_off_mid_transfer_resumes_after_the_last_stored_record() {
    let (_dir, mut journal) = journal();
    let faults = Faults {
        drop_after: Some(5),
        ..Faults::default()
    };
    let mut meter = GlucoseMeter::new(20, faults);
    let options = options(MonitorKind::Glucose);
    let (first, _) = sync(&mut meter, &mut journal, &options).await;
    let first = first.expect("first sync");
    assert_eq!(first.new, 5);
    assert!(first.interrupted.is_some());

    meter.reconnect();
    let (second, _) = sync(&mut meter, &mut journal, &options).await;
    let second = second.expect("second sync");
    assert_eq!((second.new, second.already_present), (15, 0));
    assert_eq!(second.interrupted, None);
    assert_eq!(stored(&journal).len(), 20);
}

#[tokio::test]
async fn duplicate_and_damaged_notifications_are_asked_for_again_and_each_record_stored_once() {
    let (_dir, mut journal) = journal();
    let faults: Faults = "duplicate,truncate:4,malformed:5".parse().expect("faults");
    let mut meter = GlucoseMeter::new(20, faults);
    let (report, _) = sync(&mut meter, &mut journal, &options(MonitorKind::Glucose)).await;
    let report = report.expect("sync");
    // Records 4, 8, 12, 16, 20 arrive truncated and 5, 10, 15 malformed, each twice: 16 values
    // rejected. Their sequence numbers are still readable, so the session asks for each again
    // by itself, and one at a time they arrive whole.
    assert_eq!(report.rejected, 16);
    assert_eq!((report.new, report.already_present), (20, 0));
    let sequence: Vec<Option<i64>> = stored(&journal).iter().map(|e| e.sequence_number).collect();
    let expected: Vec<Option<i64>> = (1..=20).map(Some).collect();
    assert_eq!(sequence, expected, "every record stored once");
}

#[tokio::test]
async fn a_reading_the_journal_refuses_costs_none_of_the_others() {
    let (_dir, mut journal) = journal();
    let faults: Faults = "impossible:4".parse().expect("faults");
    let mut meter = GlucoseMeter::new(10, faults);
    let options = options(MonitorKind::Glucose);
    let (report, _) = sync(&mut meter, &mut journal, &options).await;
    let report = report.expect("sync");
    // Records 4 and 8 say 3,000 mg/dL: they decode, the journal refuses them, the rest land.
    assert_eq!(
        (report.new, report.already_present, report.rejected),
        (8, 0, 2)
    );
    let sequence: Vec<Option<i64>> = stored(&journal).iter().map(|e| e.sequence_number).collect();
    let expected: Vec<Option<i64>> = [1, 2, 3, 5, 6, 7, 9, 10].into_iter().map(Some).collect();
    assert_eq!(sequence, expected);
    // The resume point passes the refused records, so the next sync does not ask again.
    assert_eq!(
        journal.device(report.device).expect("device").last_sequence,
        Some(10)
    );
    meter.reconnect();
    let (again, _) = sync(&mut meter, &mut journal, &options).await;
    let again = again.expect("second sync");
    assert_eq!(
        (again.new, again.already_present, again.rejected),
        (0, 0, 0)
    );
}

#[tokio::test]
async fn glucose_records_over_an_unbonded_link_are_refused_with_what_to_do() {
    let (_dir, mut journal) = journal();
    let mut meter = GlucoseMeter::new(3, "unbonded".parse().expect("faults"));
    let (result, _) = sync(&mut meter, &mut journal, &options(MonitorKind::Glucose)).await;
    let error = result.expect_err("refused");
    assert!(matches!(
        error,
        SyncError::Link(LinkError::NotBonded { .. })
    ));
    assert!(error.to_string().contains("pair it first"));
    assert!(stored(&journal).is_empty());
}

#[tokio::test]
async fn a_wrong_clock_is_reported_as_drift_and_kept_in_the_journal() {
    let (_dir, mut journal) = journal();
    let mut meter = GlucoseMeter::new(2, "clock:3600".parse().expect("faults"));
    let (report, events) = sync(&mut meter, &mut journal, &options(MonitorKind::Glucose)).await;
    let report = report.expect("sync");
    let drift = events.iter().find_map(|e| match e {
        SyncEvent::Clock { drift_s, .. } => *drift_s,
        _ => None,
    });
    assert!(
        drift.is_some_and(|d| (3590..=3610).contains(&d)),
        "{drift:?}"
    );
    let device = journal.device(report.device).expect("device");
    assert!(
        device
            .clock_drift_s
            .is_some_and(|d| (3590..=3610).contains(&d))
    );
}

#[tokio::test]
async fn the_clock_is_set_when_the_patient_agrees() {
    let (_dir, mut journal) = journal();
    let mut meter = GlucoseMeter::new(1, "clock:-7200".parse().expect("faults"));
    let mut options = options(MonitorKind::Glucose);
    options.set_clock = true;
    let (_, events) = sync(&mut meter, &mut journal, &options).await;
    assert!(
        events
            .iter()
            .any(|e| matches!(e, SyncEvent::Clock { set: true, .. }))
    );
}

#[tokio::test]
async fn a_cuff_with_two_users_shows_live_pressure_and_stores_each_reading_once() {
    let (_dir, mut journal) = journal();
    let mut cuff = BloodPressureCuff::new(3, "duplicate".parse().expect("faults"));
    let options = options(MonitorKind::BloodPressure);
    let (report, events) = sync(&mut cuff, &mut journal, &options).await;
    let report = report.expect("sync");
    assert_eq!((report.new, report.already_present), (6, 0));
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, SyncEvent::CuffPressure { .. }))
            .count(),
        3
    );
    cuff.reconnect();
    let (again, _) = sync(&mut cuff, &mut journal, &options).await;
    assert_eq!(again.expect("again").already_present, 6);
    assert_eq!(stored(&journal).len(), 6);
}

#[tokio::test]
async fn thermometer_scale_oximeter_and_strap_readings_land_in_the_journal() {
    let (_dir, mut journal) = journal();
    // Kind, readings held, entries expected (the oximeter gives SpO2 and pulse; the scale a
    // weight and a body fat percentage).
    let cases = [
        (MonitorKind::Thermometer, 3, 3),
        (MonitorKind::WeightScale, 2, 4),
        (MonitorKind::PulseOximeter, 2, 4),
        (MonitorKind::HeartRate, 4, 4),
    ];
    let mut total = 0;
    for (kind, readings, expected) in cases {
        let mut monitor =
            ReadingMonitor::new(kind, readings, Faults::default()).expect("simulated");
        let (report, _) = sync(&mut monitor, &mut journal, &options(kind)).await;
        let report = report.expect("sync");
        assert_eq!((kind, report.new, report.rejected), (kind, expected, 0));
        total += expected;
        monitor.reconnect();
        let (again, _) = sync(&mut monitor, &mut journal, &options(kind)).await;
        let again = again.expect("again");
        if kind != MonitorKind::HeartRate {
            // Timestamped readings are recognised; a strap's beats are dated at reception.
            assert_eq!(again.new, 0, "{kind:?}");
        } else {
            total += again.new;
        }
    }
    let entries = stored(&journal);
    assert_eq!(entries.len() as u32, total);
    let body_fat: Vec<String> = entries
        .iter()
        .filter_map(|e| match &e.content {
            readings::Content::BodyFat(percent) => Some(percent.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(body_fat.len(), 2);
    assert!(
        body_fat
            .iter()
            .all(|p| (18.0..=26.0).contains(&p.parse::<f64>().unwrap_or(0.0))),
        "{body_fat:?}"
    );
}

#[tokio::test]
async fn cgm_readings_are_dated_from_the_session_start_and_stored_once() {
    let (_dir, mut journal) = journal();
    let options = options(MonitorKind::ContinuousGlucose);
    let mut cgm = ContinuousGlucoseMonitor::new(9, Faults::default());
    let (report, _) = sync(&mut cgm, &mut journal, &options).await;
    let report = report.expect("sync");
    assert_eq!(
        (report.new, report.rejected, report.interrupted),
        (9, 0, None)
    );
    let entries = stored(&journal);
    let times: Vec<_> = entries.iter().map(|e| e.at).collect();
    assert!(
        times
            .windows(2)
            .all(|w| (w[1] - w[0]).num_minutes().abs() == 5),
        "{times:?}"
    );
    assert!(
        entries.iter().all(|e| matches!(
            e.content,
            readings::Content::Glucose {
                method: readings::GlucoseMethod::Cgm,
                ..
            }
        )),
        "CGM readings say so, for the CGM statistics"
    );

    let mut cgm = ContinuousGlucoseMonitor::new(9, Faults::default());
    let (again, _) = sync(&mut cgm, &mut journal, &options).await;
    assert_eq!(again.expect("again").already_present, 9);

    let mut unbonded = ContinuousGlucoseMonitor::new(9, "unbonded".parse().expect("faults"));
    let (refused, _) = sync(&mut unbonded, &mut journal, &options).await;
    assert!(matches!(
        refused,
        Err(SyncError::Link(LinkError::NotBonded { .. }))
    ));
}

#[tokio::test]
async fn after_a_meter_reset_its_new_records_are_stored_and_the_resume_point_moves_down() {
    let (_dir, mut journal) = journal();
    let options = options(MonitorKind::Glucose);
    let mut meter = GlucoseMeter::new(10, Faults::default());
    let (first, _) = sync(&mut meter, &mut journal, &options).await;
    let device = first.expect("first").device;
    assert_eq!(
        journal.device(device).expect("device").last_sequence,
        Some(10)
    );
    // A factory reset: the meter's sequence numbers restart, and its new records 1…3 are
    // other readings (other times) than the old 1…3 already in the journal. The session sees
    // the numbers went down and has them matched by content, so all three are stored.
    let mut reset = GlucoseMeter::new(3, Faults::default());
    let (second, _) = sync(&mut reset, &mut journal, &options).await;
    let second = second.expect("second");
    assert_eq!(second.interrupted, None);
    assert_eq!((second.new, second.already_present), (3, 0));
    assert_eq!(stored(&journal).len(), 13);
    assert_eq!(
        journal.device(device).expect("device").last_sequence,
        Some(3)
    );
}
