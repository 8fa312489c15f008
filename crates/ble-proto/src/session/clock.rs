//! Device clock check (CTS 0x1805): read the device's Current Time (0x2A2B), compare it with
//! the host's, and set it when it is off, the device allows it and the patient agreed.
//!
//! The drift found here feeds the time model ([`ClockReport::clock_for_stored_records`]):
//! records already on the device were dated by the device's clock as it was, so they are
//! corrected by the drift measured now, even when this check then sets the clock. A GLS meter
//! keeps its Base Time through a CTS write; only new records get a new Time Offset (GLS 1.0).
//! The drift is measured once per connection; how the device's clock wandered between a
//! reading and now cannot be known, which is a documented limit.
//!
//! The write carries the host's local time, day of week, 1/256 s fractions and the adjust
//! reason "external reference time update" (STANDARDS §5.5).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDateTime, TimeDelta, Timelike};

use crate::current_time::{AdjustReason, CurrentTime, DayOfWeek};
use crate::date_time::DateTime;
use crate::error::DecodeError;
use crate::time::{DeviceClock, HostClock, naive};

use super::{ATT_TIMEOUT, Action, Characteristic, Event, Session, Timer};

const CURRENT_TIME: Characteristic = Characteristic::CurrentTime;

/// The default drift above which the device's clock is set.
pub const DEFAULT_THRESHOLD: TimeDelta = TimeDelta::seconds(60);

/// What a clock check needs to know before it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockCheckConfig {
    /// The host's clock and UTC offset.
    pub host_clock: HostClock,
    /// Drifts up to this size (either way) are left alone.
    pub threshold: TimeDelta,
    /// Whether Current Time has the Write property on this device (from discovery).
    pub writable: bool,
    /// Whether the patient agreed to have the device's clock set.
    pub patient_agreed: bool,
    /// How long the device may take to answer a read or write.
    pub timeout: Duration,
}

impl ClockCheckConfig {
    /// A check against `host_clock` with the default threshold, read-only until the caller
    /// says the device is writable and the patient agreed.
    pub fn new(host_clock: HostClock) -> Self {
        ClockCheckConfig {
            host_clock,
            threshold: DEFAULT_THRESHOLD,
            writable: false,
            patient_agreed: false,
            timeout: ATT_TIMEOUT,
        }
    }
}

/// What became of the device's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Correction {
    /// The drift is within the threshold.
    NotNeeded,
    /// The clock was set to the host's time.
    Written,
    /// The clock is off but Current Time is not writable on this device.
    NotWritable,
    /// The clock is off but the patient did not agree to set it.
    NotAgreed,
    /// The write was refused with this ATT error code.
    Refused(u8),
}

/// The result of a clock check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockReport {
    /// The device's Current Time as read.
    pub device_time: CurrentTime,
    /// The host's local time when the value was read.
    pub host_local: NaiveDateTime,
    /// Device local time minus host local time; `None` when the device's clock is not set
    /// (year, month or day 0) or names no calendar day.
    pub drift: Option<TimeDelta>,
    /// What became of the device's clock.
    pub correction: Correction,
    /// The octets written to Current Time, when a write was made.
    pub written: Option<[u8; 10]>,
}

impl ClockReport {
    /// How to date records that were already on the device during this check.
    pub fn clock_for_stored_records(&self, host_clock: &HostClock) -> DeviceClock {
        match self.drift {
            Some(drift) => DeviceClock::Compared {
                drift,
                zone: host_clock.offset,
            },
            None => DeviceClock::Unverified {
                zone: host_clock.offset,
            },
        }
    }

    /// How to date records the device takes after this check, until the next one.
    pub fn clock_for_new_records(&self, host_clock: &HostClock) -> DeviceClock {
        match self.correction {
            Correction::Written => DeviceClock::SetByHost {
                zone: host_clock.offset,
            },
            _ => self.clock_for_stored_records(host_clock),
        }
    }
}

/// Why a clock check failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// Current Time could not be read.
    #[error("Current Time could not be read: ATT error 0x{0:02X}")]
    Read(u8),
    /// Current Time was malformed.
    #[error(transparent)]
    Malformed(#[from] DecodeError),
    /// The device did not answer in time.
    #[error("the device did not answer within {0:?}")]
    Timeout(Duration),
    /// The link went down during the check.
    #[error("the device disconnected during the clock check")]
    Disconnected,
}

/// What a clock check hands out, from [`Session::poll_output`]: its single outcome.
pub type ClockOutput = Result<ClockReport, ClockError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    AwaitingConnection,
    Reading,
    Writing,
    Finished,
}

/// A check (and possibly a correction) of one device's clock over one connection.
#[derive(Debug)]
pub struct ClockCheck {
    config: ClockCheckConfig,
    phase: Phase,
    timer: Timer,
    actions: VecDeque<Action>,
    outputs: VecDeque<ClockOutput>,
    report: Option<ClockReport>,
    outcome: Option<ClockOutput>,
}

impl ClockCheck {
    /// A check that will start on [`Event::Connected`].
    pub fn new(config: ClockCheckConfig) -> Self {
        ClockCheck {
            config,
            phase: Phase::AwaitingConnection,
            timer: Timer::default(),
            actions: VecDeque::new(),
            outputs: VecDeque::new(),
            report: None,
            outcome: None,
        }
    }

    /// The outcome, once the check is finished.
    pub fn outcome(&self) -> Option<&ClockOutput> {
        self.outcome.as_ref()
    }

    fn finish(&mut self, outcome: ClockOutput) {
        self.phase = Phase::Finished;
        self.timer.cancel(&mut self.actions);
        self.outcome = Some(outcome.clone());
        self.outputs.push_back(outcome);
    }

    fn arm_timeout(&mut self, now: Instant) {
        let deadline = now.checked_add(self.config.timeout).unwrap_or(now);
        self.timer.set(deadline, &mut self.actions);
    }

    fn on_read(&mut self, value: &[u8], now: Instant) {
        let device_time = match CurrentTime::decode(value) {
            Ok(device_time) => device_time,
            Err(error) => return self.finish(Err(ClockError::Malformed(error))),
        };
        let host_local = self.config.host_clock.local_at(now);
        let drift = naive(device_time.date_time)
            .ok()
            .map(|device_local| device_local - host_local);
        let needed = drift.is_none_or(|drift| drift.abs() > self.config.threshold);
        let mut report = ClockReport {
            device_time,
            host_local,
            drift,
            correction: Correction::NotNeeded,
            written: None,
        };
        if !needed {
            return self.finish(Ok(report));
        }
        if !self.config.writable {
            report.correction = Correction::NotWritable;
            return self.finish(Ok(report));
        }
        if !self.config.patient_agreed {
            report.correction = Correction::NotAgreed;
            return self.finish(Ok(report));
        }
        match current_time_for(host_local) {
            Some(current_time) => {
                let octets = current_time.encode();
                let mut written = [0; 10];
                if octets.len() == written.len() {
                    written.copy_from_slice(&octets);
                }
                report.written = Some(written);
                self.report = Some(report);
                self.phase = Phase::Writing;
                self.actions.push_back(Action::Write {
                    characteristic: CURRENT_TIME,
                    value: octets,
                });
                self.arm_timeout(now);
            }
            // A host time outside 1582–9999 cannot be written; leave the device alone.
            None => {
                report.correction = Correction::NotNeeded;
                self.finish(Ok(report));
            }
        }
    }
}

impl Session for ClockCheck {
    type Output = ClockOutput;

    fn handle_event(&mut self, event: Event<'_>, now: Instant) {
        match (self.phase, event) {
            (Phase::Finished, _) => {}
            (Phase::AwaitingConnection, Event::Connected) => {
                self.phase = Phase::Reading;
                self.actions.push_back(Action::Read(CURRENT_TIME));
                self.arm_timeout(now);
            }
            (
                Phase::Reading,
                Event::ReadCompleted {
                    characteristic: CURRENT_TIME,
                    value,
                },
            ) => self.on_read(value, now),
            (
                Phase::Reading,
                Event::AttError {
                    characteristic: CURRENT_TIME,
                    code,
                },
            ) => self.finish(Err(ClockError::Read(code))),
            (Phase::Writing, Event::WriteAcknowledged(CURRENT_TIME)) => {
                if let Some(mut report) = self.report.take() {
                    report.correction = Correction::Written;
                    self.finish(Ok(report));
                }
            }
            (
                Phase::Writing,
                Event::AttError {
                    characteristic: CURRENT_TIME,
                    code,
                },
            ) => {
                if let Some(mut report) = self.report.take() {
                    report.correction = Correction::Refused(code);
                    report.written = None;
                    self.finish(Ok(report));
                }
            }
            (Phase::Reading | Phase::Writing, Event::Timer) if self.timer.expired(now) => {
                self.finish(Err(ClockError::Timeout(self.config.timeout)));
            }
            (Phase::AwaitingConnection | Phase::Reading | Phase::Writing, Event::Disconnected) => {
                self.finish(Err(ClockError::Disconnected));
            }
            _ => {}
        }
    }

    fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    fn poll_output(&mut self) -> Option<ClockOutput> {
        self.outputs.pop_front()
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.timer.deadline
    }

    fn is_finished(&self) -> bool {
        self.phase == Phase::Finished
    }
}

/// The Current Time value for a host local time, adjust reason "external reference time
/// update"; `None` when the year is outside what Date Time can carry.
pub fn current_time_for(local: NaiveDateTime) -> Option<CurrentTime> {
    let year = u16::try_from(local.year()).ok()?;
    let date_time = DateTime::new(
        year,
        u8::try_from(local.month()).ok()?,
        u8::try_from(local.day()).ok()?,
        u8::try_from(local.hour()).ok()?,
        u8::try_from(local.minute()).ok()?,
        // A leap second (60) is written as 59.
        u8::try_from(local.second().min(59)).ok()?,
    )
    .ok()?;
    let day_of_week =
        DayOfWeek::from_number(u8::try_from(local.weekday().number_from_monday()).ok()?)?;
    // 1/256 s: nanoseconds × 256 / 10⁹, below 256 for any valid nanosecond count.
    let fractions = u64::from(local.nanosecond().min(999_999_999)) * 256 / 1_000_000_000;
    Some(CurrentTime {
        date_time,
        day_of_week,
        fractions256: u8::try_from(fractions).ok()?,
        adjust_reason: AdjustReason::EXTERNAL_REFERENCE_TIME_UPDATE,
    })
}
