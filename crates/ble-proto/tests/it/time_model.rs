//! The measurement time model: what the device sent, its local time, the instant and its
//! quality.

use std::time::{Duration, Instant};

use ble_proto::date_time::DateTime;
use ble_proto::time::{
    DeviceClock, HostClock, MeasurementTime, SessionStart, TimeProblem, TimeQuality,
};
use chrono::{FixedOffset, NaiveDate, TimeDelta, TimeZone, Utc};

fn zone(hours: i32) -> FixedOffset {
    FixedOffset::east_opt(hours * 3600).expect("valid")
}

fn sent(year: u16, month: u8, day: u8, hours: u8, minutes: u8) -> DateTime {
    DateTime::new(year, month, day, hours, minutes, 0).expect("in range")
}

fn utc(year: i32, month: u32, day: u32, hours: u32, minutes: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hours, minutes, 0)
        .single()
        .expect("valid")
}

/// Each row: the device clock, and the instant and quality expected for a glucose record with
/// Base Time 2026-11-21 08:00 and Time Offset +60 min (device local 09:00).
#[test]
fn the_device_clock_decides_instant_and_quality() {
    let check = |clock: DeviceClock, instant: Option<chrono::DateTime<Utc>>, quality| {
        let time = MeasurementTime::from_device(sent(2026, 11, 21, 8, 0), Some(60), clock);
        assert_eq!(time.base_time, Some(sent(2026, 11, 21, 8, 0)), "{clock:?}");
        assert_eq!(time.offset_minutes, Some(60));
        assert_eq!(
            time.device_local,
            NaiveDate::from_ymd_opt(2026, 11, 21).and_then(|date| date.and_hms_opt(9, 0, 0))
        );
        assert_eq!(time.instant, instant, "{clock:?}");
        assert_eq!(time.quality, quality, "{clock:?}");
    };
    check(
        DeviceClock::SetByHost { zone: zone(1) },
        Some(utc(2026, 11, 21, 8, 0)),
        TimeQuality::ClockSetByHost,
    );
    // The device runs 5 minutes fast: its 09:00 was 08:55 host local, 07:55 UTC.
    check(
        DeviceClock::Compared {
            drift: TimeDelta::minutes(5),
            zone: zone(1),
        },
        Some(utc(2026, 11, 21, 7, 55)),
        TimeQuality::DriftCorrected,
    );
    check(
        DeviceClock::Unverified { zone: zone(-5) },
        Some(utc(2026, 11, 21, 14, 0)),
        TimeQuality::HostZoneAssumed,
    );
    check(DeviceClock::NotSet, None, TimeQuality::Unknown);
}

#[test]
fn a_missing_offset_counts_as_zero_and_negative_offsets_go_back() {
    let clock = DeviceClock::Unverified { zone: zone(0) };
    let none = MeasurementTime::from_device(sent(2026, 1, 1, 0, 30), None, clock);
    assert_eq!(none.instant, Some(utc(2026, 1, 1, 0, 30)));
    let back = MeasurementTime::from_device(sent(2026, 1, 1, 0, 30), Some(-60), clock);
    assert_eq!(back.instant, Some(utc(2025, 12, 31, 23, 30)));
}

#[test]
fn an_impossible_date_has_no_instant_and_is_flagged() {
    let time = MeasurementTime::from_device(
        sent(2026, 2, 31, 8, 0),
        Some(0),
        DeviceClock::SetByHost { zone: zone(1) },
    );
    assert_eq!(time.instant, None);
    assert_eq!(time.device_local, None);
    assert_eq!(time.quality, TimeQuality::Unknown);
    assert_eq!(time.problem, Some(TimeProblem::ImpossibleDate));
    assert_eq!(
        time.base_time,
        Some(sent(2026, 2, 31, 8, 0)),
        "kept as sent"
    );

    // 29 February exists in leap years only.
    let leap = MeasurementTime::from_device(
        sent(2028, 2, 29, 8, 0),
        None,
        DeviceClock::Unverified { zone: zone(0) },
    );
    assert_eq!(leap.problem, None);
    let not_leap = MeasurementTime::from_device(
        sent(2100, 2, 29, 8, 0),
        None,
        DeviceClock::Unverified { zone: zone(0) },
    );
    assert_eq!(not_leap.problem, Some(TimeProblem::ImpossibleDate));
}

#[test]
fn a_clock_that_was_never_set_gives_unknown() {
    for unset in [
        sent(0, 11, 21, 8, 0),
        sent(2026, 0, 21, 8, 0),
        sent(2026, 11, 0, 8, 0),
    ] {
        let time =
            MeasurementTime::from_device(unset, Some(5), DeviceClock::Unverified { zone: zone(1) });
        assert_eq!(time.instant, None);
        assert_eq!(time.quality, TimeQuality::Unknown);
        assert_eq!(time.problem, Some(TimeProblem::ClockNotSet));
    }
    // A device saying "clock not set" (PLX flag) keeps its local time but gives no instant.
    let time = MeasurementTime::from_device(sent(2026, 11, 21, 8, 0), None, DeviceClock::NotSet);
    assert!(time.device_local.is_some());
    assert_eq!(time.problem, Some(TimeProblem::ClockNotSet));
}

#[test]
fn cgm_readings_inherit_the_quality_of_their_session_start() {
    let start = SessionStart::from_device(sent(2026, 11, 20, 8, 0), Some(zone(1)), zone(2));
    assert_eq!(start.quality, TimeQuality::DeviceZone);
    let reading = MeasurementTime::after_start(&start, 1440 + 5);
    assert_eq!(reading.instant, Some(utc(2026, 11, 21, 7, 5)));
    assert_eq!(reading.offset_minutes, Some(1445));
    assert_eq!(reading.utc_offset, Some(zone(1)));
    assert_eq!(reading.quality, TimeQuality::DeviceZone);

    let impossible = SessionStart::from_device(sent(2026, 4, 31, 8, 0), None, zone(2));
    let reading = MeasurementTime::after_start(&impossible, 5);
    assert_eq!(reading.instant, None);
    assert_eq!(reading.quality, TimeQuality::Unknown);
    assert_eq!(reading.problem, Some(TimeProblem::ImpossibleDate));

    let estimated = SessionStart::estimated(utc(2026, 11, 22, 9, 0), zone(1), 60);
    let reading = MeasurementTime::after_start(&estimated, 30);
    assert_eq!(reading.instant, Some(utc(2026, 11, 22, 8, 30)));
    assert_eq!(reading.quality, TimeQuality::Estimated);
}

#[test]
fn the_host_clock_extrapolates_from_one_reading() {
    let at = Instant::now();
    let host = HostClock {
        at,
        utc: utc(2026, 11, 22, 23, 59),
        offset: zone(1),
    };
    let later = at + Duration::from_secs(90);
    assert_eq!(
        host.utc_at(later),
        utc(2026, 11, 23, 0, 0) + TimeDelta::seconds(30)
    );
    assert_eq!(
        host.local_at(later),
        NaiveDate::from_ymd_opt(2026, 11, 23)
            .and_then(|date| date.and_hms_opt(1, 0, 30))
            .expect("valid")
    );
    let earlier = at.checked_sub(Duration::from_secs(5)).unwrap_or(at);
    assert_eq!(host.utc_at(earlier), host.utc, "no time before the reading");
}
