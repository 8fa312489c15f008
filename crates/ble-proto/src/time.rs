//! The time model of measurements: what the device sent, kept as sent, and the UTC instant
//! derived from it with a stated quality.
//!
//! A health device dates a record with its own clock, in its own idea of local time, and that
//! clock may never have been set. So a [`MeasurementTime`] keeps three things apart:
//!
//! - what the device sent: the base time exactly as sent (a CGM's session start time, or a
//!   glucose meter's Base Time) and the time offset in minutes;
//! - the device's local ("user-facing") time: base time plus offset, when the date exists;
//! - a UTC instant with the offset to show it in, derived through a [`DeviceClock`] that says how
//!   the device's clock relates to the host's, and the [`TimeQuality`] of that derivation.
//!
//! Nothing here reads a clock: the host's time is an input ([`HostClock`]).
//!
//! Rules (STANDARDS §1.6, §5.2, §5.3):
//! - A base time with year, month or day 0, or a device that says its clock is not set, gives
//!   no instant and quality [`TimeQuality::Unknown`] ([`TimeProblem::ClockNotSet`]).
//! - A base time that is in range part by part but names no calendar day (February 31) gives
//!   no instant, quality unknown, and is flagged [`TimeProblem::ImpossibleDate`]; the record
//!   itself is still kept, the journal decides how to show it.
//! - Device local time is turned into UTC with the host's UTC offset at the time of the sync
//!   (SIG devices carry no zone). A reading taken before a daylight-saving change of the host
//!   zone is therefore off by the change; this is a documented limit, not corrected here.

use std::time::Instant;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, Utc};

use crate::date_time::DateTime;

/// The host's wall clock, read once by the caller at a known monotonic instant.
///
/// Sessions never read a clock; they extrapolate the host's time at a later `now` from this
/// reading and the monotonic time elapsed since, which keeps them deterministic under a
/// simulated clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostClock {
    /// The monotonic instant at which `utc` was read.
    pub at: Instant,
    /// The host's UTC time at `at`.
    pub utc: chrono::DateTime<Utc>,
    /// The host's UTC offset (time zone with daylight saving) at `at`.
    pub offset: FixedOffset,
}

impl HostClock {
    /// The host's UTC time at the monotonic instant `now`.
    ///
    /// An instant before the reading counts as the reading itself.
    pub fn utc_at(&self, now: Instant) -> chrono::DateTime<Utc> {
        let elapsed = now.saturating_duration_since(self.at);
        let elapsed = TimeDelta::from_std(elapsed).unwrap_or(TimeDelta::MAX);
        self.utc.checked_add_signed(elapsed).unwrap_or(self.utc)
    }

    /// The host's local wall-clock time at the monotonic instant `now`.
    pub fn local_at(&self, now: Instant) -> NaiveDateTime {
        self.utc_at(now).with_timezone(&self.offset).naive_local()
    }
}

/// How the device's clock relates to the host's, as far as the host knows.
///
/// The caller chooses it per connection from what the clock check
/// ([`crate::session::clock::ClockCheck`]) found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceClock {
    /// The host set the device's clock to its own local time during this connection, so device
    /// local time is host local time in `zone`.
    SetByHost {
        /// The host's UTC offset when it set the clock.
        zone: FixedOffset,
    },
    /// The device's clock was compared with the host's: `drift` = device local time minus host
    /// local time. Device times are corrected by the drift and read in `zone`.
    Compared {
        /// Device local time minus host local time.
        drift: TimeDelta,
        /// The host's UTC offset at the comparison.
        zone: FixedOffset,
    },
    /// Nothing is known about the device's clock: its local time is assumed to be host local
    /// time in `zone` ("device clock unverified").
    Unverified {
        /// The host's UTC offset, assumed to be the device's.
        zone: FixedOffset,
    },
    /// The device said its clock is not set (for example the PLX "device clock not set" flag):
    /// its timestamps cannot be dated.
    NotSet,
}

/// How trustworthy a derived instant is, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimeQuality {
    /// The host set the device's clock; the instant is as good as the host's clock.
    ClockSetByHost,
    /// The device reported its own UTC offset (CGM session start time with time zone and
    /// daylight saving).
    DeviceZone,
    /// The device's clock was compared with the host's and the drift removed.
    DriftCorrected,
    /// The device's local time was assumed to be in the host's zone, without any check of its
    /// clock.
    HostZoneAssumed,
    /// The instant was estimated from the host's time of reception (for example a CGM session
    /// start computed as "now minus the current time offset").
    Estimated,
    /// No instant can be derived.
    Unknown,
}

/// Why no instant could be derived from what the device sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeProblem {
    /// The device's clock is not set: year, month or day 0, or the device said so.
    ClockNotSet,
    /// Every part is in range but the date names no calendar day, such as February 31.
    ImpossibleDate,
    /// The date exists but adding the offsets leaves the range of representable times.
    OutOfRange,
}

/// The time of one measurement: what the device sent, its local time, and the derived instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasurementTime {
    /// The base time exactly as sent: a glucose Base Time, a BP timestamp, or a CGM session
    /// start time. `None` when the device sent none (an estimated CGM session start).
    pub base_time: Option<DateTime>,
    /// The time offset in minutes added to the base time (glucose Time Offset, CGM Time
    /// Offset), when there is one.
    pub offset_minutes: Option<i32>,
    /// The device's local ("user-facing") time: base time plus offset; `None` when the base
    /// time names no instant.
    pub device_local: Option<NaiveDateTime>,
    /// The derived instant, when one can be derived.
    pub instant: Option<chrono::DateTime<Utc>>,
    /// The UTC offset to show and upload the instant with (FHIR `effectiveDateTime` offset).
    pub utc_offset: Option<FixedOffset>,
    /// How trustworthy `instant` is; [`TimeQuality::Unknown`] exactly when `instant` is `None`.
    pub quality: TimeQuality,
    /// Why there is no instant, when there is none.
    pub problem: Option<TimeProblem>,
}

impl MeasurementTime {
    /// Dates a device timestamp: `base_time` (as sent) plus `offset_minutes`, read through what
    /// is known about the device's clock.
    pub fn from_device(
        base_time: DateTime,
        offset_minutes: Option<i32>,
        clock: DeviceClock,
    ) -> MeasurementTime {
        let unknown = |problem| MeasurementTime {
            base_time: Some(base_time),
            offset_minutes,
            device_local: None,
            instant: None,
            utc_offset: None,
            quality: TimeQuality::Unknown,
            problem: Some(problem),
        };
        let base = match naive(base_time) {
            Ok(base) => base,
            Err(problem) => return unknown(problem),
        };
        let Some(device_local) = add_minutes(base, offset_minutes.unwrap_or(0)) else {
            return unknown(TimeProblem::OutOfRange);
        };
        let (host_local, zone, quality) = match clock {
            DeviceClock::NotSet => {
                return MeasurementTime {
                    device_local: Some(device_local),
                    ..unknown(TimeProblem::ClockNotSet)
                };
            }
            DeviceClock::SetByHost { zone } => {
                (Some(device_local), zone, TimeQuality::ClockSetByHost)
            }
            DeviceClock::Compared { drift, zone } => (
                device_local.checked_sub_signed(drift),
                zone,
                TimeQuality::DriftCorrected,
            ),
            DeviceClock::Unverified { zone } => {
                (Some(device_local), zone, TimeQuality::HostZoneAssumed)
            }
        };
        let Some(instant) = host_local.and_then(|local| local_to_utc(local, zone)) else {
            return MeasurementTime {
                device_local: Some(device_local),
                ..unknown(TimeProblem::OutOfRange)
            };
        };
        MeasurementTime {
            base_time: Some(base_time),
            offset_minutes,
            device_local: Some(device_local),
            instant: Some(instant),
            utc_offset: Some(zone),
            quality,
            problem: None,
        }
    }

    /// Dates a reading `offset_minutes` after a session start (CGM: Session Start Time plus the
    /// record's Time Offset). The reading inherits the start's quality.
    pub fn after_start(start: &SessionStart, offset_minutes: u16) -> MeasurementTime {
        let offset = TimeDelta::minutes(i64::from(offset_minutes));
        let device_local = start
            .device_local
            .and_then(|local| local.checked_add_signed(offset));
        let instant = start
            .instant
            .and_then(|instant| instant.checked_add_signed(offset));
        let problem = match (instant, start.problem) {
            (Some(_), _) => None,
            (None, Some(problem)) => Some(problem),
            (None, None) => Some(TimeProblem::OutOfRange),
        };
        MeasurementTime {
            base_time: start.sent,
            offset_minutes: Some(i32::from(offset_minutes)),
            device_local,
            instant,
            utc_offset: instant.and(start.utc_offset),
            quality: if instant.is_some() {
                start.quality
            } else {
                TimeQuality::Unknown
            },
            problem,
        }
    }
}

/// The start of a CGM session on the UTC timeline, from which readings are dated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionStart {
    /// The Session Start Time as sent, or `None` when the start was estimated.
    pub sent: Option<DateTime>,
    /// The session start in the device's local time, when known.
    pub device_local: Option<NaiveDateTime>,
    /// The session start as a UTC instant, when known.
    pub instant: Option<chrono::DateTime<Utc>>,
    /// The UTC offset to show readings with.
    pub utc_offset: Option<FixedOffset>,
    /// How trustworthy `instant` is.
    pub quality: TimeQuality,
    /// Why there is no instant, when there is none.
    pub problem: Option<TimeProblem>,
}

impl SessionStart {
    /// A session start as the device sent it, in device local time, with the device's UTC
    /// offset (time zone plus daylight saving) when the device knows it.
    ///
    /// Without a device offset the start is read in `host_zone`, quality
    /// [`TimeQuality::HostZoneAssumed`].
    pub fn from_device(
        sent: DateTime,
        device_offset: Option<FixedOffset>,
        host_zone: FixedOffset,
    ) -> SessionStart {
        let (zone, quality) = match device_offset {
            Some(offset) => (offset, TimeQuality::DeviceZone),
            None => (host_zone, TimeQuality::HostZoneAssumed),
        };
        let unknown = |problem, device_local| SessionStart {
            sent: Some(sent),
            device_local,
            instant: None,
            utc_offset: None,
            quality: TimeQuality::Unknown,
            problem: Some(problem),
        };
        let local = match naive(sent) {
            Ok(local) => local,
            Err(problem) => return unknown(problem, None),
        };
        match local_to_utc(local, zone) {
            Some(instant) => SessionStart {
                sent: Some(sent),
                device_local: Some(local),
                instant: Some(instant),
                utc_offset: Some(zone),
                quality,
                problem: None,
            },
            None => unknown(TimeProblem::OutOfRange, Some(local)),
        }
    }

    /// A session start estimated as the host's time minus the session's current time offset
    /// (from CGM Status), quality [`TimeQuality::Estimated`].
    pub fn estimated(
        host_utc: chrono::DateTime<Utc>,
        host_zone: FixedOffset,
        current_offset_minutes: u16,
    ) -> SessionStart {
        let instant =
            host_utc.checked_sub_signed(TimeDelta::minutes(i64::from(current_offset_minutes)));
        SessionStart {
            sent: None,
            device_local: None,
            instant,
            utc_offset: instant.map(|_| host_zone),
            quality: if instant.is_some() {
                TimeQuality::Estimated
            } else {
                TimeQuality::Unknown
            },
            problem: if instant.is_some() {
                None
            } else {
                Some(TimeProblem::OutOfRange)
            },
        }
    }
}

/// The calendar date-time a Date Time names, or why it names none.
pub fn naive(sent: DateTime) -> Result<NaiveDateTime, TimeProblem> {
    if sent.year() == 0 || sent.month() == 0 || sent.day() == 0 {
        return Err(TimeProblem::ClockNotSet);
    }
    let date = NaiveDate::from_ymd_opt(
        i32::from(sent.year()),
        u32::from(sent.month()),
        u32::from(sent.day()),
    )
    .ok_or(TimeProblem::ImpossibleDate)?;
    date.and_hms_opt(
        u32::from(sent.hours()),
        u32::from(sent.minutes()),
        u32::from(sent.seconds()),
    )
    .ok_or(TimeProblem::ImpossibleDate)
}

fn add_minutes(local: NaiveDateTime, minutes: i32) -> Option<NaiveDateTime> {
    local.checked_add_signed(TimeDelta::minutes(i64::from(minutes)))
}

fn local_to_utc(local: NaiveDateTime, zone: FixedOffset) -> Option<chrono::DateTime<Utc>> {
    local
        .checked_sub_signed(TimeDelta::seconds(i64::from(zone.local_minus_utc())))
        .map(|utc| utc.and_utc())
}
