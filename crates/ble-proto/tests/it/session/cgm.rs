//! CGM sync: session start time, Time Offset filter, estimated starts, duplicates.

use std::time::{Duration, Instant};

use ble_proto::cgm::{
    CgmAnnunciation, CgmMeasurement, CgmMeasurementRecord, CgmSensorStatus, CgmSessionStartTime,
    CgmStatus,
};
use ble_proto::characteristic::Characteristic;
use ble_proto::date_time::DateTime;
use ble_proto::medfloat::Sfloat;
use ble_proto::racp::{RacpResponse, RacpResponseCode};
use ble_proto::session::cgm::{
    CgmOutput, CgmPosition, CgmReading, CgmSync, CgmSyncConfig, CgmSyncEnd, CgmSyncError,
    device_offset,
};
use ble_proto::session::{Action, Session, Subscription};
use ble_proto::time::{HostClock, TimeQuality};
use chrono::{FixedOffset, TimeZone, Utc};

use super::sim::{Driver, Ev};

const CGM: Characteristic = Characteristic::CgmMeasurement;
const SST: Characteristic = Characteristic::CgmSessionStartTime;
const STATUS: Characteristic = Characteristic::CgmStatus;
const RACP: Characteristic = Characteristic::RecordAccessControlPoint;

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

fn record(offset: u16) -> CgmMeasurementRecord {
    CgmMeasurementRecord {
        glucose_mg_dl: Sfloat::new(110, 0).expect("in range"),
        time_offset_min: offset,
        annunciation: CgmAnnunciation::default(),
        trend_mg_dl_per_min: None,
        quality_pct: None,
        e2e_crc: None,
    }
}

fn notify(offsets: &[u16]) -> Ev {
    Ev::Notify(
        CGM,
        CgmMeasurement {
            records: offsets.iter().map(|offset| record(*offset)).collect(),
        }
        .encode(),
    )
}

fn success() -> Ev {
    Ev::Notify(
        RACP,
        RacpResponse::ResponseCode {
            request_opcode: 1,
            response: RacpResponseCode::Success,
        }
        .encode(),
    )
}

fn session_start_time() -> Vec<u8> {
    CgmSessionStartTime {
        // 2026-11-20 08:00 local, UTC+1 (time zone 4 × 15 min), no DST.
        start: DateTime::new(2026, 11, 20, 8, 0, 0).expect("valid"),
        time_zone: 4,
        dst_offset: 0,
        e2e_crc: None,
    }
    .encode()
}

fn readings(driver: &Driver<CgmSync>) -> Vec<&CgmReading> {
    driver
        .outputs
        .iter()
        .filter_map(|output| match output {
            CgmOutput::Reading(reading) => Some(reading),
            _ => None,
        })
        .collect()
}

fn finished(driver: &Driver<CgmSync>) -> Option<&Result<CgmSyncEnd, CgmSyncError>> {
    driver.outputs.iter().find_map(|output| match output {
        CgmOutput::Finished(result) => Some(result),
        _ => None,
    })
}

/// Connects, answers the start-time read with `start`, and the subscriptions.
fn subscribed(last: Option<CgmPosition>, start: Ev) -> Driver<CgmSync> {
    let now = Instant::now();
    let mut driver = Driver::new(CgmSync::new(CgmSyncConfig::new(last, host(now))), now);
    driver.feed(&Ev::Connected);
    assert_eq!(driver.take_pending(), vec![Action::Read(SST)]);
    driver.feed(&start);
    driver.feed(&Ev::Subscribed(CGM));
    driver.feed(&Ev::Subscribed(RACP));
    driver
}

#[test]
fn readings_are_dated_from_the_session_start_time() {
    let mut driver = subscribed(None, Ev::Read(SST, session_start_time()));
    assert_eq!(
        driver.take_pending(),
        vec![
            Action::Subscribe {
                characteristic: CGM,
                subscription: Subscription::Notify
            },
            Action::Subscribe {
                characteristic: RACP,
                subscription: Subscription::Indicate
            },
            Action::Write {
                characteristic: RACP,
                value: vec![0x01, 0x01]
            },
        ]
    );
    driver.feed(&Ev::Ack(RACP));
    driver.feed(&notify(&[0, 5]));
    driver.feed(&notify(&[10]));
    driver.feed(&success());

    let times: Vec<String> = readings(&driver)
        .iter()
        .map(|reading| {
            let instant = reading.time.instant.expect("dated");
            assert_eq!(reading.time.quality, TimeQuality::DeviceZone);
            instant.to_rfc3339()
        })
        .collect();
    // 08:00 at UTC+1 is 07:00 UTC.
    assert_eq!(
        times,
        vec![
            "2026-11-20T07:00:00+00:00",
            "2026-11-20T07:05:00+00:00",
            "2026-11-20T07:10:00+00:00"
        ]
    );
    let first = readings(&driver)[0];
    assert_eq!(
        first.time.base_time,
        Some(DateTime::new(2026, 11, 20, 8, 0, 0).expect("valid"))
    );
    assert_eq!(first.time.utc_offset, FixedOffset::east_opt(3600));
    assert_eq!(finished(&driver), Some(&Ok(CgmSyncEnd::Complete)));
    let position = driver.session.position().expect("known");
    assert_eq!(position.time_offset, 10);
    assert_eq!(
        position.session_start,
        Utc.with_ymd_and_hms(2026, 11, 20, 7, 0, 0).single()
    );
}

#[test]
fn the_same_session_syncs_from_the_last_offset_plus_one() {
    let last = CgmPosition {
        session_start: Utc.with_ymd_and_hms(2026, 11, 20, 7, 0, 0).single(),
        time_offset: 0x0123,
    };
    let mut driver = subscribed(Some(last), Ev::Read(SST, session_start_time()));
    assert_eq!(
        driver.writes_to(RACP),
        vec![vec![0x01, 0x03, 0x01, 0x24, 0x01]]
    );
    driver.take_pending();
    driver.feed(&Ev::Ack(RACP));
    driver.feed(&Ev::Notify(
        RACP,
        RacpResponse::ResponseCode {
            request_opcode: 1,
            response: RacpResponseCode::NoRecordsFound,
        }
        .encode(),
    ));
    assert_eq!(finished(&driver), Some(&Ok(CgmSyncEnd::UpToDate)));
    assert_eq!(
        driver.session.position().map(|p| p.time_offset),
        Some(0x0123)
    );
}

#[test]
fn a_new_sensor_session_syncs_all() {
    let last = CgmPosition {
        session_start: Utc.with_ymd_and_hms(2026, 11, 6, 7, 0, 0).single(),
        time_offset: 20_000,
    };
    let driver = subscribed(Some(last), Ev::Read(SST, session_start_time()));
    assert_eq!(driver.writes_to(RACP), vec![vec![0x01, 0x01]]);
}

#[test]
fn without_a_session_start_the_start_is_estimated_from_cgm_status() {
    let now = Instant::now();
    let mut driver = Driver::new(CgmSync::new(CgmSyncConfig::new(None, host(now))), now);
    driver.feed(&Ev::Connected);
    driver.take_pending();
    driver.advance(Duration::from_secs(2));
    driver.feed(&Ev::AttError(SST, 0x02));
    assert_eq!(driver.take_pending(), vec![Action::Read(STATUS)]);
    let status = CgmStatus {
        time_offset_min: 90,
        status: CgmSensorStatus::default(),
        e2e_crc: None,
    };
    driver.feed(&Ev::Read(STATUS, status.encode()));
    driver.feed(&Ev::Subscribed(CGM));
    driver.feed(&Ev::Subscribed(RACP));
    driver.feed(&Ev::Ack(RACP));
    driver.feed(&notify(&[85]));
    let reading = readings(&driver)[0];
    assert_eq!(reading.time.quality, TimeQuality::Estimated);
    assert_eq!(reading.time.base_time, None);
    // Host 09:00:02 UTC minus 90 min is the start; the reading is 85 min after it.
    assert_eq!(
        reading.time.instant,
        Utc.with_ymd_and_hms(2026, 11, 22, 8, 55, 2).single()
    );
}

#[test]
fn an_unset_session_start_time_is_estimated_too() {
    let unset = CgmSessionStartTime {
        start: DateTime::new(0, 0, 0, 0, 0, 0).expect("valid"),
        time_zone: -128,
        dst_offset: 255,
        e2e_crc: None,
    };
    let mut driver = Driver::new(
        CgmSync::new(CgmSyncConfig::new(None, host(Instant::now()))),
        Instant::now(),
    );
    driver.feed(&Ev::Connected);
    driver.take_pending();
    driver.feed(&Ev::Read(SST, unset.encode()));
    assert_eq!(driver.take_pending(), vec![Action::Read(STATUS)]);
}

#[test]
fn a_start_without_time_zone_is_read_in_the_host_zone() {
    let no_zone = CgmSessionStartTime {
        start: DateTime::new(2026, 11, 20, 8, 0, 0).expect("valid"),
        time_zone: -128,
        dst_offset: 255,
        e2e_crc: None,
    };
    let mut driver = subscribed(None, Ev::Read(SST, no_zone.encode()));
    driver.feed(&Ev::Ack(RACP));
    driver.feed(&notify(&[0]));
    let reading = readings(&driver)[0];
    assert_eq!(reading.time.quality, TimeQuality::HostZoneAssumed);
    assert_eq!(
        reading.time.instant,
        Utc.with_ymd_and_hms(2026, 11, 20, 7, 0, 0).single()
    );
}

#[test]
fn repeated_time_offsets_are_delivered_once() {
    let mut driver = subscribed(None, Ev::Read(SST, session_start_time()));
    driver.feed(&Ev::Ack(RACP));
    driver.feed(&notify(&[0, 5, 0]));
    driver.feed(&notify(&[5, 10]));
    driver.feed(&Ev::Notify(CGM, vec![0x03]));
    driver.feed(&success());
    let offsets: Vec<u16> = readings(&driver)
        .iter()
        .map(|reading| reading.record.time_offset_min)
        .collect();
    assert_eq!(offsets, vec![0, 5, 10]);
    assert_eq!(driver.session.duplicates(), 2);
    assert_eq!(driver.session.rejected(), 1);
}

#[test]
fn a_silent_sensor_times_out_and_the_link_is_closed() {
    let mut driver = subscribed(None, Ev::Read(SST, session_start_time()));
    driver.advance(Duration::from_secs(5));
    driver.feed(&Ev::Ack(RACP));
    let deadline = driver.now + Duration::from_secs(30);
    assert_eq!(
        driver.session.poll_timeout(),
        Some(deadline),
        "the acknowledgement starts the 30 s"
    );
    driver.advance(Duration::from_millis(29_999));
    driver.fire_timer();
    assert!(
        finished(&driver).is_none(),
        "a timer before the deadline is ignored"
    );
    driver.advance(Duration::from_millis(1));
    assert_eq!(
        finished(&driver),
        Some(&Err(CgmSyncError::Timeout {
            timeout: Duration::from_secs(30),
            waiting_for: "reporting records"
        }))
    );
    assert_eq!(driver.actions.last(), Some(&Action::Disconnect));
}

#[test]
fn device_offsets_need_both_time_zone_and_dst() {
    assert_eq!(device_offset(4, 4), FixedOffset::east_opt(2 * 3600));
    assert_eq!(device_offset(-20, 0), FixedOffset::east_opt(-5 * 3600));
    assert_eq!(device_offset(-128, 0), None);
    assert_eq!(device_offset(4, 255), None);
    assert_eq!(device_offset(57, 0), None);
}
