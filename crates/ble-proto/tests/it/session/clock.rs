//! Clock check: drift against the host, and the Current Time write it produces.

use std::time::{Duration, Instant};

use ble_proto::characteristic::Characteristic;
use ble_proto::current_time::{AdjustReason, CurrentTime, DayOfWeek};
use ble_proto::date_time::DateTime;
use ble_proto::session::clock::{
    ClockCheck, ClockCheckConfig, ClockError, ClockOutput, ClockReport, Correction,
};
use ble_proto::session::{Action, Session};
use ble_proto::time::{DeviceClock, HostClock};
use chrono::{FixedOffset, TimeDelta, TimeZone, Utc};

use super::sim::{Driver, Ev};

const CT: Characteristic = Characteristic::CurrentTime;

/// The host: 2026-11-22 09:00:00 UTC, UTC+1, so 10:00:00 local (a Sunday).
fn host(at: Instant) -> HostClock {
    HostClock {
        at,
        utc: Utc
            .with_ymd_and_hms(2026, 11, 22, 9, 0, 0)
            .single()
            .expect("valid"),
        offset: FixedOffset::east_opt(3600).expect("valid"),
    }
}

fn device_time(hours: u8, minutes: u8, seconds: u8) -> Vec<u8> {
    CurrentTime {
        date_time: DateTime::new(2026, 11, 22, hours, minutes, seconds).expect("valid"),
        day_of_week: DayOfWeek::Sunday,
        fractions256: 0,
        adjust_reason: AdjustReason::default(),
    }
    .encode()
}

fn check(writable: bool, agreed: bool, device: Vec<u8>) -> Driver<ClockCheck> {
    let now = Instant::now();
    let config = ClockCheckConfig {
        writable,
        patient_agreed: agreed,
        ..ClockCheckConfig::new(host(now))
    };
    let mut driver = Driver::new(ClockCheck::new(config), now);
    driver.feed(&Ev::Connected);
    assert_eq!(driver.take_pending(), vec![Action::Read(CT)]);
    // The read answers half a second later.
    driver.advance(Duration::from_millis(500));
    driver.feed(&Ev::Read(CT, device));
    driver
}

fn report(driver: &Driver<ClockCheck>) -> &ClockReport {
    match driver.outputs.last() {
        Some(Ok(report)) => report,
        other => panic!("no report: {other:?}"),
    }
}

#[test]
fn a_fast_clock_is_set_with_an_external_reference_update() {
    let mut driver = check(true, true, device_time(10, 5, 0));
    let expected = vec![
        0xEA, 0x07, // 2026
        0x0B, 0x16, // November 22
        0x0A, 0x00, 0x00, // 10:00:00 host local time
        0x07, // Sunday
        0x80, // 128/256 s
        0x02, // adjust reason: external reference time update
    ];
    assert_eq!(
        driver.take_pending(),
        vec![Action::Write {
            characteristic: CT,
            value: expected.clone()
        }]
    );
    assert!(
        driver.outputs.is_empty(),
        "the outcome waits for the write response"
    );
    driver.feed(&Ev::Ack(CT));
    let report = report(&driver);
    assert_eq!(report.drift, Some(TimeDelta::milliseconds(299_500)));
    assert_eq!(report.correction, Correction::Written);
    assert_eq!(report.written.map(|octets| octets.to_vec()), Some(expected));
    let host = host(driver.start);
    assert_eq!(
        report.clock_for_stored_records(&host),
        DeviceClock::Compared {
            drift: TimeDelta::milliseconds(299_500),
            zone: host.offset
        }
    );
    assert_eq!(
        report.clock_for_new_records(&host),
        DeviceClock::SetByHost { zone: host.offset }
    );
    assert!(driver.session.is_finished());
}

#[test]
fn a_small_drift_is_left_alone() {
    let mut driver = check(true, true, device_time(9, 59, 30));
    assert!(driver.take_pending().is_empty());
    let report = report(&driver);
    assert_eq!(report.drift, Some(TimeDelta::milliseconds(-30_500)));
    assert_eq!(report.correction, Correction::NotNeeded);
    assert_eq!(report.written, None);
}

#[test]
fn no_write_without_the_patients_agreement_or_the_write_property() {
    let mut driver = check(true, false, device_time(11, 0, 0));
    assert!(driver.take_pending().is_empty());
    assert_eq!(report(&driver).correction, Correction::NotAgreed);

    let mut driver = check(false, true, device_time(11, 0, 0));
    assert!(driver.take_pending().is_empty());
    assert_eq!(report(&driver).correction, Correction::NotWritable);
}

#[test]
fn an_unset_device_clock_has_no_drift_and_is_set() {
    let unset = CurrentTime {
        date_time: DateTime::new(0, 0, 0, 0, 0, 0).expect("valid"),
        day_of_week: DayOfWeek::Unknown,
        fractions256: 0,
        adjust_reason: AdjustReason::default(),
    }
    .encode();
    let mut driver = check(true, true, unset);
    assert_eq!(driver.take_pending().len(), 1);
    driver.feed(&Ev::AttError(CT, 0x80));
    let report = report(&driver);
    assert_eq!(report.drift, None);
    assert_eq!(report.correction, Correction::Refused(0x80));
    assert_eq!(
        report.clock_for_stored_records(&host(driver.start)),
        DeviceClock::Unverified {
            zone: FixedOffset::east_opt(3600).expect("valid")
        }
    );
}

#[test]
fn a_malformed_or_unreadable_current_time_is_an_error() {
    let driver = check(true, true, vec![0xEA, 0x07, 0x0B]);
    assert!(matches!(
        driver.outputs.last(),
        Some(Err(ClockError::Malformed(_)))
    ));

    let now = Instant::now();
    let mut driver = Driver::new(ClockCheck::new(ClockCheckConfig::new(host(now))), now);
    driver.feed(&Ev::Connected);
    driver.feed(&Ev::AttError(CT, 0x02));
    assert_eq!(
        driver.outputs.last(),
        Some(&ClockOutput::Err(ClockError::Read(0x02)))
    );
}

#[test]
fn a_device_that_never_answers_times_out() {
    let now = Instant::now();
    let mut driver = Driver::new(ClockCheck::new(ClockCheckConfig::new(host(now))), now);
    driver.feed(&Ev::Connected);
    let deadline = now + Duration::from_secs(30);
    assert_eq!(driver.session.poll_timeout(), Some(deadline));
    driver.advance(Duration::from_millis(29_999));
    driver.fire_timer();
    assert_eq!(
        driver.outputs.last(),
        None,
        "a timer before the deadline is ignored"
    );
    driver.advance(Duration::from_millis(1));
    assert_eq!(
        driver.outputs.last(),
        Some(&Err(ClockError::Timeout(Duration::from_secs(30))))
    );
}
