//! The bodies of the session fuzz targets, shared with the integration test that replays
//! their corpus: turns fuzz input into link events, drives a session with them under a
//! simulated clock, and checks what every session promises whatever the link does.
//!
//! Input format, one step at a time: an op byte, then its operands. Op % 10:
//! 0 connected, 1 subscribed (characteristic), 2 write acknowledged (characteristic),
//! 3 read completed (characteristic, length, octets), 4 notification (characteristic, length,
//! octets), 5 ATT error (characteristic, code), 6 timer, 7 disconnected, 8 advance the clock
//! (u16 × 10 ms, firing the timer when due), 9 the session's own command (abort, for the
//! glucose sync). A characteristic operand indexes [`CHARACTERISTICS`].

// Each fuzz target uses one of the bodies; the corpus replay test uses them all.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use ble_proto::characteristic::Characteristic;
use ble_proto::current_time::{AdjustReason, CurrentTime};
use ble_proto::session::blood_pressure::{
    BloodPressureConfig, BloodPressureOutput, BloodPressureTransfer,
};
use ble_proto::session::cgm::{CgmOutput, CgmPosition, CgmSync, CgmSyncConfig};
use ble_proto::session::clock::{ClockCheck, ClockCheckConfig, Correction};
use ble_proto::session::glucose::{DuplicateRule, GlucoseOutput, GlucoseSync, GlucoseSyncConfig};
use ble_proto::session::{Action, Event, Session};
use ble_proto::time::{HostClock, TimeQuality};
use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

/// The characteristics a fuzz input can name: every one the sessions use, and one none uses.
pub const CHARACTERISTICS: [Characteristic; 10] = [
    Characteristic::GlucoseMeasurement,
    Characteristic::GlucoseMeasurementContext,
    Characteristic::RecordAccessControlPoint,
    Characteristic::BloodPressureMeasurement,
    Characteristic::IntermediateCuffPressure,
    Characteristic::CgmMeasurement,
    Characteristic::CgmSessionStartTime,
    Characteristic::CgmStatus,
    Characteristic::CurrentTime,
    Characteristic::BatteryLevel,
];

enum Step<'a> {
    Event(Event<'a>),
    Advance(Duration),
    Command,
}

struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (first, rest) = self.data.split_first()?;
        self.data = rest;
        Some(*first)
    }

    fn octets(&mut self) -> Option<&'a [u8]> {
        let len = usize::from(self.byte()?).min(self.data.len());
        let (value, rest) = self.data.split_at(len);
        self.data = rest;
        Some(value)
    }

    fn characteristic(&mut self) -> Option<Characteristic> {
        Some(CHARACTERISTICS[usize::from(self.byte()?) % CHARACTERISTICS.len()])
    }

    fn step(&mut self) -> Option<Step<'a>> {
        Some(match self.byte()? % 10 {
            0 => Step::Event(Event::Connected),
            1 => Step::Event(Event::Subscribed(self.characteristic()?)),
            2 => Step::Event(Event::WriteAcknowledged(self.characteristic()?)),
            3 => {
                let characteristic = self.characteristic()?;
                Step::Event(Event::ReadCompleted {
                    characteristic,
                    value: self.octets()?,
                })
            }
            4 => {
                let characteristic = self.characteristic()?;
                Step::Event(Event::Notification {
                    characteristic,
                    value: self.octets()?,
                })
            }
            5 => Step::Event(Event::AttError {
                characteristic: self.characteristic()?,
                code: self.byte()?,
            }),
            6 => Step::Event(Event::Timer),
            7 => Step::Event(Event::Disconnected),
            8 => {
                let low = self.byte()?;
                let high = self.byte()?;
                Step::Advance(Duration::from_millis(
                    u64::from(u16::from_le_bytes([low, high])) * 10,
                ))
            }
            _ => Step::Command,
        })
    }
}

/// Drives `session` with the steps in `data`. `command` is the session's own command (op 9);
/// `is_final` tells whether an output is the session's last one.
///
/// Checks: timer actions agree with `poll_timeout`; a timer is never set in the past; no RACP
/// write ever asks to delete records; nothing is output after the final output; a finished
/// session has no timer armed and asks for no GATT operation.
pub fn drive<S: Session>(
    session: &mut S,
    data: &[u8],
    mut command: impl FnMut(&mut S, Instant),
    mut is_final: impl FnMut(&S::Output) -> bool,
) {
    let mut now = Instant::now();
    let mut timer: Option<Instant> = None;
    let mut ended = false;
    let mut input = Input { data };
    while let Some(step) = input.step() {
        let was_finished = session.is_finished();
        match step {
            Step::Event(event) => session.handle_event(event, now),
            Step::Advance(by) => {
                now += by;
                if timer.is_some_and(|deadline| deadline <= now) {
                    session.handle_event(Event::Timer, now);
                }
            }
            Step::Command => command(session, now),
        }
        while let Some(action) = session.poll_action() {
            match action {
                Action::SetTimer(deadline) => {
                    assert!(deadline >= now, "a timer set in the past");
                    timer = Some(deadline);
                }
                Action::CancelTimer => timer = None,
                Action::Write {
                    characteristic: Characteristic::RecordAccessControlPoint,
                    value,
                } => {
                    assert_ne!(value.first(), Some(&0x02), "never delete stored records");
                    assert!(!was_finished, "a finished session writes nothing");
                }
                Action::Subscribe { .. } | Action::Write { .. } | Action::Read(_) => {
                    assert!(!was_finished, "a finished session asks for nothing");
                }
                Action::Disconnect => {}
            }
        }
        assert_eq!(
            session.poll_timeout(),
            timer,
            "timer actions agree with poll_timeout"
        );
        while let Some(output) = session.poll_output() {
            assert!(!ended, "an output after the final one");
            ended = is_final(&output);
        }
        assert_eq!(
            session.is_finished(),
            ended,
            "finished exactly after the final output"
        );
        if ended {
            assert_eq!(timer, None, "a finished session keeps no timer");
        }
    }
}

/// Drives the glucose RACP sync with arbitrary link events; each sequence number is delivered
/// at most once per numbering.
pub fn glucose(data: &[u8]) {
    let Some((config, events)) = data.split_first_chunk::<4>() else {
        return;
    };
    let last = u16::from_le_bytes([config[0], config[1]]);
    let sync_config = GlucoseSyncConfig {
        last_sequence: (config[2] & 1 == 1).then_some(last),
        has_context: config[2] & 2 == 2,
        count_first: config[2] & 4 == 4,
        ..GlucoseSyncConfig::new(None)
    };
    let mut sync = GlucoseSync::new(sync_config);
    let mut delivered: BTreeSet<(bool, u16)> = BTreeSet::new();
    drive(
        &mut sync,
        events,
        |sync, now| sync.abort(now),
        |output| {
            if let GlucoseOutput::Record(record) = output {
                let after_reset = record.duplicate_rule == DuplicateRule::ByContent;
                let sequence = record.measurement.sequence_number;
                assert!(
                    delivered.insert((after_reset, sequence)),
                    "sequence number {sequence} delivered twice"
                );
                if let Some(context) = &record.context {
                    assert_eq!(
                        context.sequence_number, sequence,
                        "context paired by number"
                    );
                }
            }
            matches!(output, GlucoseOutput::Finished(_))
        },
    );
    let summary = sync.summary();
    assert!(summary.delivered as usize >= delivered.len());
}

/// Drives the blood pressure cuff transfer with arbitrary link events; live cuff pressure is
/// never a record.
pub fn blood_pressure(data: &[u8]) {
    let Some((config, events)) = data.split_first_chunk::<2>() else {
        return;
    };
    let transfer_config = BloodPressureConfig {
        has_cuff_pressure: config[0] & 1 == 1,
        quiet_period: Duration::from_millis(u64::from(config[1]) * 100),
        ..BloodPressureConfig::default()
    };
    let mut transfer = BloodPressureTransfer::new(transfer_config);
    drive(
        &mut transfer,
        events,
        |_, _| {},
        |output| matches!(output, BloodPressureOutput::Finished(_)),
    );
}

/// Drives the CGM sync with arbitrary link events; each Time Offset is delivered at most once
/// and readings are dated only from a settled session start.
pub fn cgm(data: &[u8]) {
    let Some((config, events)) = data.split_first_chunk::<8>() else {
        return;
    };
    let seconds = i64::from(u32::from_le_bytes([
        config[0], config[1], config[2], config[3],
    ]));
    let Some(host_utc) = DateTime::<Utc>::from_timestamp(seconds * 4, 0) else {
        return;
    };
    let Some(offset) = FixedOffset::east_opt((i32::from(config[4] as i8) % 56) * 900) else {
        return;
    };
    let host_clock = HostClock {
        at: Instant::now(),
        utc: host_utc,
        offset,
    };
    let last = (config[5] & 1 == 1).then(|| CgmPosition {
        session_start: (config[5] & 2 == 2).then_some(host_utc),
        time_offset: u16::from_le_bytes([config[6], config[7]]),
    });
    let mut sync_config = CgmSyncConfig::new(last, host_clock);
    sync_config.has_session_start_time = config[5] & 4 == 4;
    let mut sync = CgmSync::new(sync_config);
    let mut offsets = BTreeSet::new();
    let mut start_seen = false;
    drive(
        &mut sync,
        events,
        |_, _| {},
        |output| {
            match output {
                CgmOutput::SessionStart(_) => start_seen = true,
                CgmOutput::Reading(reading) => {
                    assert!(start_seen, "a reading before the session start");
                    assert!(
                        offsets.insert(reading.record.time_offset_min),
                        "time offset delivered twice"
                    );
                    assert_eq!(
                        reading.time.instant.is_none(),
                        reading.time.quality == TimeQuality::Unknown
                    );
                }
                _ => {}
            }
            matches!(output, CgmOutput::Finished(_))
        },
    );
}

/// Drives the clock check with arbitrary link events; a write happens only when allowed and
/// always carries a valid Current Time with adjust reason "external reference time update".
pub fn clock(data: &[u8]) {
    let Some((config, events)) = data.split_first_chunk::<8>() else {
        return;
    };
    let seconds = i64::from(u32::from_le_bytes([
        config[0], config[1], config[2], config[3],
    ]));
    let Some(host_utc) = DateTime::<Utc>::from_timestamp(seconds * 4, 0) else {
        return;
    };
    let Some(offset) = FixedOffset::east_opt((i32::from(config[4] as i8) % 56) * 900) else {
        return;
    };
    let writable = config[5] & 1 == 1;
    let agreed = config[5] & 2 == 2;
    let check_config = ClockCheckConfig {
        threshold: TimeDelta::seconds(i64::from(u16::from_le_bytes([config[6], config[7]]))),
        writable,
        patient_agreed: agreed,
        ..ClockCheckConfig::new(HostClock {
            at: Instant::now(),
            utc: host_utc,
            offset,
        })
    };
    let mut check = ClockCheck::new(check_config);
    drive(
        &mut check,
        events,
        |_, _| {},
        |output| {
            if let Ok(report) = output {
                if let Some(written) = report.written {
                    assert!(writable && agreed, "a write without permission");
                    let sent = CurrentTime::decode(&written).expect("a valid Current Time");
                    assert_eq!(
                        sent.adjust_reason,
                        AdjustReason::EXTERNAL_REFERENCE_TIME_UPDATE
                    );
                    assert!(sent.date_time.is_calendar_date());
                }
                if report.correction == Correction::Written {
                    assert!(report.written.is_some());
                }
            }
            true
        },
    );
}
