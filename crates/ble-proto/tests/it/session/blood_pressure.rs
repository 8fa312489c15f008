//! Blood pressure cuff transfer: indications, live cuff pressure, quiet period, duplicates.

use std::time::{Duration, Instant};

use ble_proto::blood_pressure::{BloodPressureMeasurement, IntermediateCuffPressure, PressureUnit};
use ble_proto::characteristic::Characteristic;
use ble_proto::date_time::DateTime;
use ble_proto::medfloat::Sfloat;
use ble_proto::session::blood_pressure::{
    BloodPressureConfig, BloodPressureError, BloodPressureOutput, BloodPressureTransfer, CuffUser,
    TransferEnd,
};
use ble_proto::session::{Action, Session, Subscription};
use ble_proto::time::DeviceClock;
use chrono::{FixedOffset, TimeZone, Utc};

use super::sim::{Driver, Ev};

const BPM: Characteristic = Characteristic::BloodPressureMeasurement;
const ICP: Characteristic = Characteristic::IntermediateCuffPressure;

fn reading(user: Option<u8>, minute: u8, systolic: i16) -> BloodPressureMeasurement {
    BloodPressureMeasurement {
        unit: PressureUnit::MillimetreOfMercury,
        systolic: Sfloat::new(systolic, 0).expect("in range"),
        diastolic: Sfloat::new(80, 0).expect("in range"),
        mean_arterial: Sfloat::new(93, 0).expect("in range"),
        timestamp: Some(DateTime::new(2026, 11, 21, 7, minute, 0).expect("valid")),
        pulse_rate: Some(Sfloat::new(64, 0).expect("in range")),
        user_id: user,
        status: None,
    }
}

fn indicate(measurement: &BloodPressureMeasurement) -> Ev {
    Ev::Notify(BPM, measurement.encode())
}

fn cuff_pressure(mm_hg: i16) -> Ev {
    Ev::Notify(
        ICP,
        IntermediateCuffPressure {
            unit: PressureUnit::MillimetreOfMercury,
            cuff_pressure: Sfloat::new(mm_hg, 0).expect("in range"),
            timestamp: None,
            pulse_rate: None,
            user_id: Some(1),
            status: None,
        }
        .encode(),
    )
}

/// A transfer whose subscriptions went through; it now listens.
fn listening(quiet: Duration) -> Driver<BloodPressureTransfer> {
    let config = BloodPressureConfig {
        quiet_period: quiet,
        ..BloodPressureConfig::default()
    };
    let mut driver = Driver::new(BloodPressureTransfer::new(config), Instant::now());
    driver.feed(&Ev::Connected);
    driver.feed(&Ev::Subscribed(BPM));
    driver.feed(&Ev::Subscribed(ICP));
    assert_eq!(
        driver.take_pending(),
        vec![
            Action::Subscribe {
                characteristic: BPM,
                subscription: Subscription::Indicate
            },
            Action::Subscribe {
                characteristic: ICP,
                subscription: Subscription::Notify
            },
        ]
    );
    driver
}

fn records(driver: &Driver<BloodPressureTransfer>) -> Vec<(CuffUser, i32)> {
    driver
        .outputs
        .iter()
        .filter_map(|output| match output {
            BloodPressureOutput::Record(record) => Some((
                record.user,
                record
                    .measurement
                    .systolic
                    .value()
                    .number()
                    .map_or(0, |value| value.mantissa()),
            )),
            _ => None,
        })
        .collect()
}

fn finished(
    driver: &Driver<BloodPressureTransfer>,
) -> Option<&Result<TransferEnd, BloodPressureError>> {
    driver.outputs.iter().find_map(|output| match output {
        BloodPressureOutput::Finished(result) => Some(result),
        _ => None,
    })
}

#[test]
fn stored_readings_then_the_quiet_period_ends_the_transfer() {
    let mut driver = listening(Duration::from_secs(10));
    driver.advance(Duration::from_secs(2));
    driver.feed(&indicate(&reading(Some(1), 0, 120)));
    driver.feed(&indicate(&reading(Some(2), 1, 131)));
    let quiet_until = driver.now + Duration::from_secs(10);
    assert_eq!(
        driver.session.poll_timeout(),
        Some(quiet_until),
        "the last indication restarts the quiet period"
    );
    driver.advance(Duration::from_secs(9));
    assert!(!driver.session.is_finished());
    // A timer firing a millisecond early is not the end of the quiet period.
    driver.advance(Duration::from_millis(999));
    driver.fire_timer();
    assert!(
        !driver.session.is_finished(),
        "a timer before the deadline is ignored"
    );
    driver.advance(Duration::from_millis(1));
    assert_eq!(finished(&driver), Some(&Ok(TransferEnd::QuietPeriod)));
    assert_eq!(
        records(&driver),
        vec![(CuffUser::Id(1), 120), (CuffUser::Id(2), 131)]
    );
    assert_eq!(driver.session.poll_timeout(), None);
}

#[test]
fn live_cuff_pressure_is_progress_never_a_record_and_keeps_the_transfer_alive() {
    let mut driver = listening(Duration::from_secs(5));
    for pressure in [20, 60, 110, 160] {
        driver.advance(Duration::from_secs(4));
        driver.feed(&cuff_pressure(pressure));
    }
    assert!(
        !driver.session.is_finished(),
        "16 s of inflation is not quiet"
    );
    driver.feed(&indicate(&reading(Some(1), 5, 122)));
    driver.advance(Duration::from_secs(5));
    let live = driver
        .outputs
        .iter()
        .filter(|output| matches!(output, BloodPressureOutput::CuffPressure(_)))
        .count();
    assert_eq!(live, 4);
    assert_eq!(records(&driver), vec![(CuffUser::Id(1), 122)]);
    assert_eq!(driver.session.summary().delivered, 1);
    assert_eq!(finished(&driver), Some(&Ok(TransferEnd::QuietPeriod)));
}

#[test]
fn records_are_dated_from_their_timestamp() {
    let mut driver = listening(Duration::from_secs(10));
    driver.feed(&indicate(&reading(Some(1), 30, 120)));
    let untimed = BloodPressureMeasurement {
        timestamp: None,
        ..reading(Some(1), 0, 140)
    };
    driver.feed(&indicate(&untimed));
    let dated: Vec<_> = driver
        .outputs
        .iter()
        .filter_map(|output| match output {
            BloodPressureOutput::Record(record) => Some(record.time(DeviceClock::SetByHost {
                zone: FixedOffset::east_opt(0).expect("valid"),
            })),
            _ => None,
        })
        .collect();
    assert_eq!(
        dated[0].and_then(|time| time.instant),
        Utc.with_ymd_and_hms(2026, 11, 21, 7, 30, 0).single()
    );
    assert_eq!(
        dated[1], None,
        "no timestamp: the journal uses the time of reception"
    );
}

#[test]
fn the_cuff_disconnecting_ends_the_transfer() {
    let mut driver = listening(Duration::from_secs(10));
    driver.feed(&indicate(&reading(None, 0, 118)));
    driver.feed(&Ev::Disconnected);
    assert_eq!(finished(&driver), Some(&Ok(TransferEnd::Disconnected)));
    assert_eq!(records(&driver), vec![(CuffUser::NotSent, 118)]);
    assert_eq!(driver.actions.last(), Some(&Action::CancelTimer));
}

#[test]
fn duplicates_by_user_timestamp_and_values_are_delivered_once() {
    let mut driver = listening(Duration::from_secs(10));
    let first = reading(Some(1), 0, 120);
    driver.feed(&indicate(&first));
    driver.feed(&indicate(&first));
    // Same time and values, another user: a different reading.
    driver.feed(&indicate(&reading(Some(2), 0, 120)));
    // Unknown user (0xFF).
    driver.feed(&indicate(&reading(Some(0xFF), 0, 120)));
    // Same user and time, other values.
    driver.feed(&indicate(&reading(Some(1), 0, 121)));
    // Without a timestamp two equal readings cannot be told apart: both are kept.
    let untimed = BloodPressureMeasurement {
        timestamp: None,
        ..reading(Some(1), 0, 140)
    };
    driver.feed(&indicate(&untimed));
    driver.feed(&indicate(&untimed));
    assert_eq!(
        records(&driver),
        vec![
            (CuffUser::Id(1), 120),
            (CuffUser::Id(2), 120),
            (CuffUser::Unknown, 120),
            (CuffUser::Id(1), 121),
            (CuffUser::Id(1), 140),
            (CuffUser::Id(1), 140),
        ]
    );
    assert_eq!(driver.session.summary().duplicates, 1);
}

#[test]
fn a_malformed_indication_is_rejected_and_the_transfer_goes_on() {
    let mut driver = listening(Duration::from_secs(10));
    driver.feed(&Ev::Notify(BPM, vec![0x02, 0x78, 0x00]));
    driver.feed(&indicate(&reading(Some(1), 0, 120)));
    assert!(matches!(
        driver.outputs[0],
        BloodPressureOutput::Rejected(_)
    ));
    assert_eq!(records(&driver).len(), 1);
    assert_eq!(driver.session.summary().rejected, 1);
}

#[test]
fn a_cuff_without_live_pressure_still_transfers() {
    let config = BloodPressureConfig {
        has_cuff_pressure: false,
        ..BloodPressureConfig::default()
    };
    let mut driver = Driver::new(BloodPressureTransfer::new(config), Instant::now());
    driver.feed(&Ev::Connected);
    driver.feed(&Ev::Subscribed(BPM));
    assert_eq!(
        driver.take_pending().len(),
        1,
        "only the measurement subscription"
    );
    driver.advance(Duration::from_secs(10));
    assert_eq!(finished(&driver), Some(&Ok(TransferEnd::QuietPeriod)));

    // A cuff refusing the live pressure subscription is fine too.
    let mut driver = Driver::new(
        BloodPressureTransfer::new(BloodPressureConfig::default()),
        Instant::now(),
    );
    driver.feed(&Ev::Connected);
    driver.feed(&Ev::Subscribed(BPM));
    driver.feed(&Ev::AttError(ICP, 0x03));
    driver.feed(&indicate(&reading(Some(1), 0, 120)));
    assert_eq!(records(&driver).len(), 1);
    assert!(!driver.session.is_finished());
}

#[test]
fn an_unconfirmed_subscription_times_out_after_30_s() {
    let mut driver = Driver::new(
        BloodPressureTransfer::new(BloodPressureConfig::default()),
        Instant::now(),
    );
    driver.feed(&Ev::Connected);
    let deadline = driver.now + Duration::from_secs(30);
    assert_eq!(driver.session.poll_timeout(), Some(deadline));
    driver.advance(Duration::from_millis(29_999));
    driver.fire_timer();
    assert!(
        !driver.session.is_finished(),
        "a timer before the deadline is ignored"
    );
    driver.advance(Duration::from_millis(1));
    assert_eq!(
        finished(&driver),
        Some(&Err(BloodPressureError::Timeout(Duration::from_secs(30))))
    );
    assert_eq!(driver.session.poll_timeout(), None);
}

#[test]
fn a_refused_measurement_subscription_is_an_error() {
    let mut driver = Driver::new(
        BloodPressureTransfer::new(BloodPressureConfig::default()),
        Instant::now(),
    );
    driver.feed(&Ev::Connected);
    driver.feed(&Ev::AttError(BPM, 0x05));
    assert_eq!(
        finished(&driver),
        Some(&Err(BloodPressureError::Att {
            characteristic: BPM,
            code: 0x05
        }))
    );
}
