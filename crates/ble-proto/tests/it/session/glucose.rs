//! Glucose record sync against a simulated meter.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use ble_proto::error::DecodeErrorKind;
use ble_proto::racp::{RacpRequest, RacpResponseCode};
use ble_proto::session::glucose::{
    DuplicateRule, GlucoseOutput, GlucoseRecord, GlucoseSync, GlucoseSyncConfig, GlucoseSyncError,
    Progress, Rejection, SyncEnd,
};
use ble_proto::session::{Action, Session, Subscription};
use ble_proto::time::{DeviceClock, TimeQuality};
use chrono::{FixedOffset, TimeZone, Utc};
use proptest::prelude::*;

use super::meter::{
    GM, GMC, RACP, SimMeter, context, measurement, notify_context, notify_measurement, response,
};
use super::sim::{Driver, Ev, Peer, run, settle};

fn sync(last: Option<u16>) -> Driver<GlucoseSync> {
    Driver::new(
        GlucoseSync::new(GlucoseSyncConfig::new(last)),
        Instant::now(),
    )
}

fn records(driver: &Driver<GlucoseSync>) -> Vec<&GlucoseRecord> {
    driver
        .outputs
        .iter()
        .filter_map(|output| match output {
            GlucoseOutput::Record(record) => Some(record),
            _ => None,
        })
        .collect()
}

fn sequences(driver: &Driver<GlucoseSync>) -> Vec<u16> {
    records(driver)
        .iter()
        .map(|record| record.measurement.sequence_number)
        .collect()
}

fn rejections(driver: &Driver<GlucoseSync>) -> Vec<&Rejection> {
    driver
        .outputs
        .iter()
        .filter_map(|output| match output {
            GlucoseOutput::Rejected(rejection) => Some(rejection),
            _ => None,
        })
        .collect()
}

fn finished(driver: &Driver<GlucoseSync>) -> &Result<SyncEnd, GlucoseSyncError> {
    match driver.outputs.last() {
        Some(GlucoseOutput::Finished(result)) => result,
        other => panic!("the last output is not Finished: {other:?}"),
    }
}

#[test]
fn first_sync_subscribes_counts_then_reports_all() {
    let mut meter = SimMeter::new(0..5, |sequence| sequence == 2);
    let mut driver = sync(None);
    run(&mut driver, &mut meter);

    assert_eq!(
        driver.link_actions(),
        vec![
            Action::Subscribe {
                characteristic: GM,
                subscription: Subscription::Notify
            },
            Action::Subscribe {
                characteristic: GMC,
                subscription: Subscription::Notify
            },
            Action::Subscribe {
                characteristic: RACP,
                subscription: Subscription::Indicate
            },
            Action::Write {
                characteristic: RACP,
                value: vec![0x04, 0x01]
            },
            Action::Write {
                characteristic: RACP,
                value: vec![0x01, 0x01]
            },
        ]
    );
    assert_eq!(sequences(&driver), vec![0, 1, 2, 3, 4]);
    let with_context: Vec<u16> = records(&driver)
        .iter()
        .filter(|record| record.context.is_some())
        .map(|record| record.measurement.sequence_number)
        .collect();
    assert_eq!(with_context, vec![2]);
    assert!(
        records(&driver)
            .iter()
            .all(|record| record.duplicate_rule == DuplicateRule::BySequenceNumber)
    );
    assert!(driver.outputs.contains(&GlucoseOutput::Progress(Progress {
        received: 5,
        expected: Some(5)
    })));
    assert_eq!(finished(&driver), &Ok(SyncEnd::Complete));
    let summary = driver.session.summary();
    assert_eq!(summary.delivered, 5);
    assert_eq!(summary.next_last_sequence, Some(4));
    assert_eq!(
        driver.session.poll_timeout(),
        None,
        "no timer left after the end"
    );
}

#[test]
fn delta_sync_asks_from_the_stored_sequence_number_plus_one() {
    let mut meter = SimMeter::new(0..10, |_| false);
    let mut driver = sync(Some(6));
    run(&mut driver, &mut meter);

    assert_eq!(
        driver.writes_to(RACP),
        vec![
            vec![0x04, 0x03, 0x01, 0x07, 0x00],
            vec![0x01, 0x03, 0x01, 0x07, 0x00]
        ]
    );
    assert_eq!(sequences(&driver), vec![7, 8, 9]);
    assert_eq!(finished(&driver), &Ok(SyncEnd::Complete));
    assert_eq!(driver.session.summary().next_last_sequence, Some(9));
    assert_eq!(driver.session.summary().expected, Some(3));
}

#[test]
fn without_counting_and_context_the_report_comes_right_after_the_racp_subscription() {
    let mut meter = SimMeter::new(0..2, |_| false);
    let config = GlucoseSyncConfig {
        has_context: false,
        count_first: false,
        ..GlucoseSyncConfig::new(Some(0x0102))
    };
    let mut driver = Driver::new(GlucoseSync::new(config), Instant::now());
    run(&mut driver, &mut meter);
    assert_eq!(
        meter.subscriptions,
        vec![(GM, Subscription::Notify), (RACP, Subscription::Indicate)]
    );
    assert_eq!(
        meter.requests[0],
        RacpRequest::decode(&[0x01, 0x03, 0x01, 0x03, 0x01]).expect("valid")
    );
}

#[test]
fn duplicates_and_out_of_order_records_are_delivered_once() {
    let mut meter = SimMeter::new(0..6, |sequence| sequence % 2 == 0);
    meter.mangle = Some(Box::new(|notifications: Vec<Ev>| {
        // Everything twice, second half first.
        let half = notifications.len() / 2;
        let mut mangled = notifications[half..].to_vec();
        mangled.extend_from_slice(&notifications[..half]);
        mangled.extend(notifications);
        mangled
    }));
    let mut driver = sync(None);
    run(&mut driver, &mut meter);

    let mut delivered = sequences(&driver);
    delivered.sort_unstable();
    assert_eq!(delivered, vec![0, 1, 2, 3, 4, 5]);
    for record in records(&driver) {
        assert_eq!(
            record.context.is_some(),
            record.measurement.sequence_number % 2 == 0,
            "record {} keeps its context",
            record.measurement.sequence_number
        );
    }
    let summary = driver.session.summary();
    assert_eq!(
        summary.duplicates, 9,
        "6 measurements and 3 contexts repeated"
    );
    assert_eq!(finished(&driver), &Ok(SyncEnd::Complete));
}

#[test]
fn interleaved_contexts_pair_by_sequence_number() {
    let mut driver = waiting_in_report(None);
    let script = [
        notify_measurement(&measurement(1, true)),
        notify_measurement(&measurement(2, true)),
        notify_context(&context(1)),
        notify_measurement(&measurement(3, false)),
        notify_context(&context(2)),
        // A context before its measurement.
        notify_context(&context(4)),
        notify_measurement(&measurement(4, true)),
    ];
    for event in &script {
        driver.feed(event);
    }
    let paired: Vec<(u16, Option<u16>)> = records(&driver)
        .iter()
        .map(|record| {
            (
                record.measurement.sequence_number,
                record
                    .context
                    .as_ref()
                    .map(|context| context.sequence_number),
            )
        })
        .collect();
    assert_eq!(
        paired,
        vec![(1, Some(1)), (3, None), (2, Some(2)), (4, Some(4))]
    );
    assert!(rejections(&driver).is_empty());
}

/// A meter whose report we script by hand: the session is left waiting in the report.
fn waiting_in_report(last: Option<u16>) -> Driver<GlucoseSync> {
    let config = GlucoseSyncConfig {
        count_first: false,
        ..GlucoseSyncConfig::new(last)
    };
    let mut driver = Driver::new(GlucoseSync::new(config), Instant::now());
    driver.feed(&Ev::Connected);
    for characteristic in [GM, GMC, RACP] {
        assert!(matches!(
            driver.take_pending().as_slice(),
            [Action::Subscribe { characteristic: c, .. }] if *c == characteristic
        ));
        driver.feed(&Ev::Subscribed(characteristic));
    }
    assert!(matches!(
        driver.take_pending().as_slice(),
        [Action::Write { .. }]
    ));
    driver.feed(&Ev::Ack(RACP));
    driver
}

#[test]
fn context_without_measurement_is_rejected_at_the_end() {
    let mut driver = waiting_in_report(None);
    driver.feed(&notify_measurement(&measurement(1, false)));
    driver.feed(&notify_context(&context(9)));
    driver.feed(&response(1, RacpResponseCode::Success));
    assert_eq!(sequences(&driver), vec![1]);
    assert_eq!(
        rejections(&driver),
        vec![&Rejection::ContextWithoutMeasurement { sequence_number: 9 }]
    );
    assert_eq!(finished(&driver), &Ok(SyncEnd::Complete));
    assert_eq!(driver.session.summary().rejected, 1);
}

#[test]
fn a_measurement_whose_context_never_comes_is_delivered_at_the_response() {
    let mut driver = waiting_in_report(None);
    driver.feed(&notify_measurement(&measurement(1, true)));
    assert!(sequences(&driver).is_empty(), "it waits for its context");
    driver.feed(&response(1, RacpResponseCode::Success));
    assert_eq!(sequences(&driver), vec![1]);
    assert_eq!(records(&driver)[0].context, None);
    assert_eq!(driver.session.summary().without_announced_context, 1);
    // A context arriving after the end changes nothing.
    driver.feed(&notify_context(&context(1)));
    assert!(matches!(
        driver.outputs.last(),
        Some(GlucoseOutput::Finished(_))
    ));
}

#[test]
fn a_context_for_a_delivered_measurement_is_too_late() {
    let mut driver = waiting_in_report(None);
    driver.feed(&notify_measurement(&measurement(1, false)));
    driver.feed(&notify_context(&context(1)));
    assert_eq!(
        rejections(&driver),
        vec![&Rejection::ContextTooLate { sequence_number: 1 }]
    );
}

#[test]
fn the_time_offset_is_carried_forward_to_records_without_one() {
    let config = GlucoseSyncConfig {
        count_first: false,
        last_time_offset: Some(-30),
        ..GlucoseSyncConfig::new(Some(0))
    };
    let mut driver = Driver::new(GlucoseSync::new(config), Instant::now());
    let mut meter = SimMeter::new(1..5, |_| false);
    for (sequence, offset) in [(1, None), (2, Some(60)), (3, None), (4, Some(0))] {
        if let Some(record) = meter.records.get_mut(&sequence) {
            record.0.time_offset_min = offset;
        }
    }
    run(&mut driver, &mut meter);
    let offsets: Vec<Option<i16>> = records(&driver)
        .iter()
        .map(|record| record.time_offset_min)
        .collect();
    assert_eq!(offsets, vec![Some(-30), Some(60), Some(60), Some(0)]);

    // Base Time 2026-11-21 00:03 + 60 min, device local time read as UTC+1: 00:03 UTC.
    let time = records(&driver)[2].time(DeviceClock::Unverified {
        zone: FixedOffset::east_opt(3600).expect("valid"),
    });
    assert_eq!(
        time.instant,
        Utc.with_ymd_and_hms(2026, 11, 21, 0, 3, 0).single()
    );
    assert_eq!(time.quality, TimeQuality::HostZoneAssumed);
}

#[test]
fn abort_writes_03_00_and_tolerates_records_after_it() {
    let mut driver = waiting_in_report(None);
    driver.feed(&notify_measurement(&measurement(0, false)));
    driver.session.abort(driver.now);
    driver.drain();
    assert_eq!(driver.writes_to(RACP).last(), Some(&vec![0x03, 0x00]));
    // One GATT operation at a time: nothing else until the abort write is acknowledged.
    assert_eq!(driver.take_pending().len(), 1);
    driver.feed(&notify_measurement(&measurement(1, false)));
    driver.feed(&Ev::Ack(RACP));
    driver.feed(&notify_measurement(&measurement(2, false)));
    driver.feed(&response(1, RacpResponseCode::ProcedureNotCompleted));
    assert!(
        !driver.session.is_finished(),
        "waits for the abort's own response"
    );
    driver.feed(&response(3, RacpResponseCode::Success));
    assert_eq!(sequences(&driver), vec![0, 1, 2]);
    assert_eq!(finished(&driver), &Ok(SyncEnd::Aborted));
    assert!(driver.take_pending().is_empty());
    // Completed or not, records arrived in order: store the highest.
    assert_eq!(driver.session.summary().next_last_sequence, Some(2));
}

#[test]
fn abort_while_the_report_write_is_out_waits_for_its_response() {
    let config = GlucoseSyncConfig {
        count_first: false,
        has_context: false,
        ..GlucoseSyncConfig::new(None)
    };
    let mut driver = Driver::new(GlucoseSync::new(config), Instant::now());
    driver.feed(&Ev::Connected);
    driver.feed(&Ev::Subscribed(GM));
    driver.feed(&Ev::Subscribed(RACP));
    driver.session.abort(driver.now);
    driver.drain();
    assert_eq!(driver.writes_to(RACP), vec![vec![0x01, 0x01]]);
    driver.feed(&Ev::Ack(RACP));
    assert_eq!(
        driver.writes_to(RACP),
        vec![vec![0x01, 0x01], vec![0x03, 0x00]]
    );
}

#[test]
fn abort_before_any_report_ends_at_once() {
    let mut driver = sync(None);
    driver.feed(&Ev::Connected);
    driver.session.abort(driver.now);
    driver.drain();
    assert_eq!(finished(&driver), &Ok(SyncEnd::Aborted));
    assert!(driver.writes_to(RACP).is_empty());
}

#[test]
fn timeout_thirty_seconds_after_the_last_notification() {
    let mut meter = SimMeter::new(0..3, |_| false);
    meter.answers_reports = false;
    let mut driver = sync(None);
    driver.feed(&Ev::Connected);
    // Answer subscriptions and the count; the meter then stays silent in the report.
    for _ in 0..5 {
        for action in driver.take_pending() {
            for event in meter.answer(&action) {
                driver.feed(&event);
            }
        }
    }
    let report_acked = driver.now;
    assert_eq!(
        driver.session.poll_timeout(),
        Some(report_acked + Duration::from_secs(30)),
        "the report's acknowledgement starts the 30 s"
    );
    driver.advance(Duration::from_secs(20));
    driver.feed(&notify_measurement(&measurement(0, false)));
    let deadline = driver.now + Duration::from_secs(30);
    assert_eq!(
        driver.session.poll_timeout(),
        Some(deadline),
        "a notification restarts the 30 s"
    );
    driver.advance(Duration::from_secs(29));
    assert!(
        !driver.session.is_finished(),
        "29 s after the last notification"
    );
    // A timer firing a millisecond early is not the deadline.
    driver.advance(Duration::from_millis(999));
    driver.fire_timer();
    assert!(
        !driver.session.is_finished(),
        "a timer before the deadline is ignored"
    );
    assert_eq!(driver.session.poll_timeout(), Some(deadline));
    driver.advance(Duration::from_millis(1));
    assert_eq!(
        finished(&driver),
        &Err(GlucoseSyncError::Timeout {
            timeout: Duration::from_secs(30),
            waiting_for: "reporting records"
        })
    );
    assert_eq!(driver.actions.last(), Some(&Action::Disconnect));
    assert_eq!(
        driver.session.poll_timeout(),
        None,
        "no timer after the end"
    );
    let writes = driver.writes_to(RACP).len();
    driver.feed(&notify_measurement(&measurement(1, false)));
    driver.advance(Duration::from_secs(60));
    assert_eq!(
        driver.writes_to(RACP).len(),
        writes,
        "no RACP request after a timeout"
    );
    assert_eq!(
        sequences(&driver),
        vec![0],
        "records received before stay valid"
    );
}

#[test]
fn no_records_found_is_up_to_date_after_checking_the_last_record() {
    let mut meter = SimMeter::new(0..=7, |_| false);
    let mut driver = sync(Some(7));
    run(&mut driver, &mut meter);
    assert_eq!(
        driver.writes_to(RACP),
        vec![
            vec![0x04, 0x03, 0x01, 0x08, 0x00],
            vec![0x01, 0x03, 0x01, 0x08, 0x00],
            vec![0x01, 0x06],
        ]
    );
    assert!(
        sequences(&driver).is_empty(),
        "the stored last record is not delivered again"
    );
    assert_eq!(finished(&driver), &Ok(SyncEnd::UpToDate));
    let summary = driver.session.summary();
    assert_eq!(summary.next_last_sequence, Some(7));
    assert!(!summary.sequence_reset);
}

#[test]
fn an_empty_meter_on_first_sync_is_up_to_date() {
    let mut meter = SimMeter::new([], |_| false);
    let mut driver = sync(None);
    run(&mut driver, &mut meter);
    assert_eq!(
        driver.writes_to(RACP),
        vec![vec![0x04, 0x01], vec![0x01, 0x01]]
    );
    assert_eq!(finished(&driver), &Ok(SyncEnd::UpToDate));
    assert_eq!(driver.session.summary().next_last_sequence, None);
}

#[test]
fn a_meter_without_the_last_record_operator_is_taken_as_up_to_date() {
    let mut meter = SimMeter::new(0..3, |_| false);
    meter.supports_last = false;
    let mut driver = sync(Some(500));
    run(&mut driver, &mut meter);
    assert_eq!(finished(&driver), &Ok(SyncEnd::UpToDate));
}

#[test]
fn factory_reset_falls_back_to_report_all_and_content_de_duplication() {
    // We stored up to 500; the meter was reset and now holds 0..=3.
    let mut meter = SimMeter::new(0..=3, |sequence| sequence == 3);
    let mut driver = sync(Some(500));
    run(&mut driver, &mut meter);
    assert_eq!(
        driver.writes_to(RACP),
        vec![
            vec![0x04, 0x03, 0x01, 0xF5, 0x01],
            vec![0x01, 0x03, 0x01, 0xF5, 0x01],
            vec![0x01, 0x06],
            vec![0x01, 0x01],
        ]
    );
    assert_eq!(sequences(&driver), vec![0, 1, 2, 3]);
    assert!(
        records(&driver)
            .iter()
            .all(|record| record.duplicate_rule == DuplicateRule::ByContent)
    );
    assert!(
        records(&driver)[3].context.is_some(),
        "the probed record comes again, with context"
    );
    assert_eq!(finished(&driver), &Ok(SyncEnd::Complete));
    let summary = driver.session.summary();
    assert!(summary.sequence_reset);
    assert_eq!(
        summary.next_last_sequence,
        Some(3),
        "lower than before: the new numbering"
    );
    assert_eq!(
        summary.expected, None,
        "the count of the delta does not apply"
    );
    assert!(driver.outputs.contains(&GlucoseOutput::Progress(Progress {
        received: 4,
        expected: None
    })));
}

#[test]
fn a_malformed_record_mid_stream_is_rejected_and_the_sync_goes_on() {
    let mut meter = SimMeter::new(0..4, |_| false);
    meter.mangle = Some(Box::new(|mut notifications: Vec<Ev>| {
        // Flags announce a concentration, the value ends after the base time.
        notifications.insert(
            2,
            Ev::Notify(GM, vec![0x02, 0x09, 0x00, 0xEA, 0x07, 11, 21, 8, 0, 0]),
        );
        notifications
    }));
    let mut driver = sync(None);
    run(&mut driver, &mut meter);
    assert_eq!(sequences(&driver), vec![0, 1, 2, 3]);
    let rejected = rejections(&driver);
    assert_eq!(rejected.len(), 1);
    match rejected[0] {
        Rejection::Malformed(error) => assert!(
            matches!(
                error.kind,
                DecodeErrorKind::Truncated {
                    field: "concentration",
                    ..
                }
            ),
            "{error}"
        ),
        other => panic!("unexpected rejection {other:?}"),
    }
    assert_eq!(finished(&driver), &Ok(SyncEnd::Complete));
}

#[test]
fn a_malformed_record_is_asked_for_once_more_alone() {
    let mut meter = SimMeter::new(0..4, |_| false);
    let mut corrupt_once = true;
    meter.mangle = Some(Box::new(move |mut notifications: Vec<Ev>| {
        // The first time, record 2 arrives cut after its sequence number and base time.
        if corrupt_once && notifications.len() == 4 {
            corrupt_once = false;
            notifications[2] = Ev::Notify(GM, vec![0x03, 0x02, 0x00, 0xEA, 0x07]);
        }
        notifications
    }));
    let mut driver = sync(None);
    run(&mut driver, &mut meter);
    assert_eq!(
        driver.writes_to(RACP),
        vec![
            vec![0x04, 0x01],
            vec![0x01, 0x01],
            vec![0x01, 0x04, 0x01, 0x02, 0x00, 0x02, 0x00],
        ]
    );
    assert_eq!(sequences(&driver), vec![0, 1, 3, 2]);
    assert_eq!(rejections(&driver).len(), 1);
    assert_eq!(finished(&driver), &Ok(SyncEnd::Complete));
}

#[test]
fn a_record_malformed_twice_is_asked_for_only_once_more() {
    let mut meter = SimMeter::new(0..2, |_| false);
    meter.mangle = Some(Box::new(|mut notifications: Vec<Ev>| {
        if let Some(last) = notifications.last_mut() {
            *last = Ev::Notify(GM, vec![0x03, 0x01, 0x00]);
        }
        notifications
    }));
    let mut driver = sync(None);
    run(&mut driver, &mut meter);
    assert_eq!(driver.writes_to(RACP).len(), 3, "count, report, one retry");
    assert_eq!(sequences(&driver), vec![0]);
    assert_eq!(rejections(&driver).len(), 2);
    assert_eq!(finished(&driver), &Ok(SyncEnd::Complete));
}

#[test]
fn an_error_response_code_is_a_typed_error() {
    let mut driver = waiting_in_report(None);
    driver.feed(&notify_measurement(&measurement(0, false)));
    driver.feed(&response(1, RacpResponseCode::OperatorNotSupported));
    assert_eq!(
        finished(&driver),
        &Err(GlucoseSyncError::Refused {
            request: RacpRequest::decode(&[0x01, 0x01]).expect("valid"),
            response: RacpResponseCode::OperatorNotSupported
        })
    );
    assert_eq!(sequences(&driver), vec![0]);
}

#[test]
fn procedure_already_in_progress_is_retried_after_a_second() {
    let mut driver = sync(None);
    driver.feed(&Ev::Connected);
    for characteristic in [GM, GMC, RACP] {
        driver.take_pending();
        driver.feed(&Ev::Subscribed(characteristic));
    }
    assert_eq!(driver.writes_to(RACP).len(), 1);
    driver.take_pending();
    driver.feed(&Ev::AttError(RACP, 0x80));
    driver.advance(Duration::from_millis(999));
    assert_eq!(driver.writes_to(RACP).len(), 1);
    driver.advance(Duration::from_millis(1));
    assert_eq!(
        driver.writes_to(RACP),
        vec![vec![0x04, 0x01], vec![0x04, 0x01]]
    );
    assert!(!driver.session.is_finished());
}

#[test]
fn cccd_improperly_configured_is_an_att_error() {
    let mut driver = sync(None);
    driver.feed(&Ev::Connected);
    driver.feed(&Ev::AttError(GM, 0x81));
    assert_eq!(
        finished(&driver),
        &Err(GlucoseSyncError::Att {
            characteristic: GM,
            code: 0x81
        })
    );
}

#[test]
fn a_disconnection_mid_report_keeps_the_records_and_flushes_waiting_ones() {
    let mut driver = waiting_in_report(Some(10));
    driver.feed(&notify_measurement(&measurement(11, false)));
    driver.feed(&notify_measurement(&measurement(12, true)));
    driver.feed(&Ev::Disconnected);
    assert_eq!(sequences(&driver), vec![11, 12]);
    assert_eq!(finished(&driver), &Err(GlucoseSyncError::Disconnected));
    assert_eq!(driver.session.summary().next_last_sequence, Some(12));
}

#[test]
fn an_incomplete_out_of_order_sync_keeps_the_stored_sequence_number() {
    let mut driver = waiting_in_report(Some(10));
    driver.feed(&notify_measurement(&measurement(13, false)));
    driver.feed(&notify_measurement(&measurement(11, false)));
    driver.feed(&Ev::Disconnected);
    assert_eq!(driver.session.summary().next_last_sequence, Some(10));
}

#[test]
fn the_session_never_asks_to_delete_records() {
    let mut meter = SimMeter::new(0..20, |sequence| sequence % 3 == 0);
    let mut driver = sync(Some(100));
    run(&mut driver, &mut meter);
    assert!(
        driver
            .writes_to(RACP)
            .iter()
            .all(|request| request[0] != 0x02)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever order and repetition the meter uses, each sequence number is delivered once.
    #[test]
    fn each_sequence_number_is_delivered_exactly_once(
        sequences in prop::collection::btree_set(0u16..400, 0..40),
        contexts in prop::collection::vec(any::<bool>(), 40),
        order in prop::collection::vec(any::<prop::sample::Index>(), 0..120),
    ) {
        let stored: Vec<u16> = sequences.iter().copied().collect();
        let mut meter = SimMeter::new(stored.iter().copied(), |sequence| {
            contexts[usize::from(sequence) % contexts.len()]
        });
        meter.mangle = Some(Box::new(move |notifications: Vec<Ev>| {
            if notifications.is_empty() {
                return notifications;
            }
            // Each index picks a notification to send (again); then everything once more, so
            // that every record comes at least once.
            let mut mangled: Vec<Ev> = order
                .iter()
                .map(|index| notifications[index.index(notifications.len())].clone())
                .collect();
            mangled.extend(notifications);
            mangled
        }));
        let mut driver = sync(None);
        run(&mut driver, &mut meter);
        let delivered = super::glucose::sequences(&driver);
        let distinct: BTreeSet<u16> = delivered.iter().copied().collect();
        prop_assert_eq!(delivered.len(), distinct.len(), "no sequence number twice");
        prop_assert_eq!(distinct, sequences);
        prop_assert!(driver.session.is_finished());
    }
}

#[test]
fn settle_helper_finishes_a_plain_sync() {
    let mut meter = SimMeter::new(0..1, |_| false);
    let mut driver = sync(None);
    driver.feed(&Ev::Connected);
    settle(&mut driver, &mut meter);
    assert!(driver.session.is_finished());
}
