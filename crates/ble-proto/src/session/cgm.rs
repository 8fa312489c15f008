//! Continuous glucose monitor sync (CGMS 0x181F): records dated from the sensor session's
//! start, fetched over the Record Access Control Point by Time Offset.
//!
//! The procedure (STANDARDS §5.3):
//!
//! 1. read CGM Session Start Time (0x2AAA): date-time in the collector's local time, time zone
//!    and DST offset. A reading's instant is the session start plus its Time Offset minutes.
//!    When the start cannot be read, or is "unknown" (year 0), read CGM Status (0x2AA9) and
//!    estimate the start as the host's time minus the current Time Offset, quality
//!    [`TimeQuality::Estimated`];
//! 2. subscribe: notifications on CGM Measurement, indications on the RACP;
//! 3. "report stored records ≥ last offset + 1" with filter type 1, which CGMS reads as Time
//!    Offset — or "all" on the first sync of a sensor session;
//! 4. collect records (several per notification) until the RACP response code.
//!
//! Time Offsets restart at 0 with every sensor session, so the stored position is the pair
//! (session start instant, offset) ([`CgmPosition`]). When the current session's start is
//! more than [`SESSION_MATCH_TOLERANCE`] away from the stored one, or either is unknown, this
//! is taken as a new session and the sync asks for all records. The tolerance absorbs the
//! jitter of estimated starts.
//!
//! Each Time Offset is delivered once per session. Timeouts, disconnection and malformed
//! values are handled as in the glucose sync: a timeout ends the sync, asks to disconnect and
//! writes no further request. This session never starts or stops a sensor session (Start
//! Session clears the sensor's database).

use std::collections::{BTreeSet, VecDeque};
use std::time::{Duration, Instant};

use chrono::{FixedOffset, TimeDelta, Utc};

use crate::cgm::{CgmMeasurement, CgmMeasurementRecord, CgmSessionStartTime, CgmStatus};
use crate::error::DecodeError;
use crate::racp::{FilterValue, RacpRequest, RacpResponse, RacpResponseCode, RecordFilter};
use crate::time::{HostClock, MeasurementTime, SessionStart, TimeQuality};

use super::{ATT_TIMEOUT, Action, Characteristic, Event, Session, Subscription, Timer};

const MEASUREMENT: Characteristic = Characteristic::CgmMeasurement;
const STATUS: Characteristic = Characteristic::CgmStatus;
const SESSION_START: Characteristic = Characteristic::CgmSessionStartTime;
const RACP: Characteristic = Characteristic::RecordAccessControlPoint;

const OPCODE_REPORT: u8 = 1;

/// How far apart two session starts may be and still name the same sensor session.
pub const SESSION_MATCH_TOLERANCE: TimeDelta = TimeDelta::minutes(5);

/// Where the last sync of this sensor stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CgmPosition {
    /// The sensor session's start as a UTC instant, as derived then; `None` when unknown.
    pub session_start: Option<chrono::DateTime<Utc>>,
    /// The highest Time Offset stored.
    pub time_offset: u16,
}

/// What a CGM sync needs to know before it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgmSyncConfig {
    /// Where the last sync stopped, or `None` for the first sync of this sensor.
    pub last: Option<CgmPosition>,
    /// The host's clock, to read session starts in the host's zone and to estimate them.
    pub host_clock: HostClock,
    /// Whether the sensor has CGM Session Start Time (from service discovery).
    pub has_session_start_time: bool,
    /// How long the sensor may stay silent after a write response or a notification.
    pub timeout: Duration,
}

impl CgmSyncConfig {
    /// A sync from `last`, reading the session start time, with the 30 s ATT timeout.
    pub fn new(last: Option<CgmPosition>, host_clock: HostClock) -> Self {
        CgmSyncConfig {
            last,
            host_clock,
            has_session_start_time: true,
            timeout: ATT_TIMEOUT,
        }
    }
}

/// One CGM reading for the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgmReading {
    /// The record as decoded.
    pub record: CgmMeasurementRecord,
    /// Its time: the session start as sent, the Time Offset, and the derived instant.
    pub time: MeasurementTime,
}

/// How a CGM sync that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CgmSyncEnd {
    /// The sensor sent the requested records and said "success".
    Complete,
    /// The sensor had nothing newer: up to date.
    UpToDate,
}

/// Why a CGM sync failed. Readings delivered before are valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CgmSyncError {
    /// The sensor stayed silent longer than the timeout.
    #[error("the sensor did not answer within {timeout:?} while {waiting_for}")]
    Timeout {
        /// The timeout in force.
        timeout: Duration,
        /// What the session was waiting for.
        waiting_for: &'static str,
    },
    /// The link went down before the sync ended.
    #[error("the sensor disconnected before the sync ended")]
    Disconnected,
    /// A subscribe or write failed with an ATT error.
    #[error("{characteristic}: ATT error 0x{code:02X}")]
    Att {
        /// The characteristic of the failed operation.
        characteristic: Characteristic,
        /// The ATT error code.
        code: u8,
    },
    /// The sensor answered the report request with an error response code.
    #[error("the sensor refused {request:?}: {response:?}")]
    Refused {
        /// The request refused.
        request: RacpRequest,
        /// The response code.
        response: RacpResponseCode,
    },
}

/// What a CGM sync hands out, from [`Session::poll_output`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CgmOutput {
    /// The session start the readings are dated from, once known (before any reading).
    SessionStart(SessionStart),
    /// A reading for the journal.
    Reading(CgmReading),
    /// A value that could not be decoded; the sync goes on.
    Rejected(DecodeError),
    /// The sync ended; the last output of the session.
    Finished(Result<CgmSyncEnd, CgmSyncError>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    AwaitingConnection,
    Reading(Characteristic),
    Subscribing(Characteristic),
    Writing,
    Awaiting,
    Finished,
}

/// A CGM record sync with one sensor over one connection.
#[derive(Debug)]
pub struct CgmSync {
    config: CgmSyncConfig,
    phase: Phase,
    timer: Timer,
    actions: VecDeque<Action>,
    outputs: VecDeque<CgmOutput>,
    start: Option<SessionStart>,
    filter: RecordFilter,
    seen: BTreeSet<u16>,
    duplicates: u32,
    rejected: u32,
    outcome: Option<Result<CgmSyncEnd, CgmSyncError>>,
}

impl CgmSync {
    /// A sync that will start on [`Event::Connected`].
    pub fn new(config: CgmSyncConfig) -> Self {
        CgmSync {
            config,
            phase: Phase::AwaitingConnection,
            timer: Timer::default(),
            actions: VecDeque::new(),
            outputs: VecDeque::new(),
            start: None,
            filter: RecordFilter::All,
            seen: BTreeSet::new(),
            duplicates: 0,
            rejected: 0,
            outcome: None,
        }
    }

    /// The outcome, once the sync is finished.
    pub fn outcome(&self) -> Option<&Result<CgmSyncEnd, CgmSyncError>> {
        self.outcome.as_ref()
    }

    /// The session start readings are dated from, once known.
    pub fn session_start(&self) -> Option<&SessionStart> {
        self.start.as_ref()
    }

    /// The position to store for the next sync: this session's start and the highest Time
    /// Offset delivered (or the stored one, for the same session, when nothing newer came).
    /// `None` when nothing is known yet.
    pub fn position(&self) -> Option<CgmPosition> {
        let session_start = self.start.and_then(|start| start.instant);
        let stored = self
            .config
            .last
            .filter(|_| self.filter != RecordFilter::All)
            .map(|last| last.time_offset);
        let highest = self.seen.last().copied().max(stored)?;
        Some(CgmPosition {
            session_start,
            time_offset: highest,
        })
    }

    /// Repeated Time Offsets ignored so far.
    pub fn duplicates(&self) -> u32 {
        self.duplicates
    }

    /// Values rejected so far.
    pub fn rejected(&self) -> u32 {
        self.rejected
    }

    fn arm_timeout(&mut self, now: Instant) {
        let deadline = now.checked_add(self.config.timeout).unwrap_or(now);
        self.timer.set(deadline, &mut self.actions);
    }

    fn read(&mut self, characteristic: Characteristic, now: Instant) {
        self.phase = Phase::Reading(characteristic);
        self.actions.push_back(Action::Read(characteristic));
        self.arm_timeout(now);
    }

    fn subscribe(
        &mut self,
        characteristic: Characteristic,
        subscription: Subscription,
        now: Instant,
    ) {
        self.phase = Phase::Subscribing(characteristic);
        self.actions.push_back(Action::Subscribe {
            characteristic,
            subscription,
        });
        self.arm_timeout(now);
    }

    fn finish(&mut self, result: Result<CgmSyncEnd, CgmSyncError>) {
        self.phase = Phase::Finished;
        self.timer.cancel(&mut self.actions);
        if matches!(result, Err(CgmSyncError::Timeout { .. })) {
            self.actions.push_back(Action::Disconnect);
        }
        self.outcome = Some(result.clone());
        self.outputs.push_back(CgmOutput::Finished(result));
    }

    fn reject(&mut self, error: DecodeError) {
        self.rejected += 1;
        self.outputs.push_back(CgmOutput::Rejected(error));
    }

    /// The session start is settled: choose the filter and subscribe.
    fn start_known(&mut self, start: SessionStart, now: Instant) {
        self.filter = match self.config.last {
            Some(last) if same_session(last.session_start, start.instant) => {
                RecordFilter::GreaterOrEqual(FilterValue::SequenceNumber(
                    last.time_offset.saturating_add(1),
                ))
            }
            _ => RecordFilter::All,
        };
        self.start = Some(start);
        self.outputs.push_back(CgmOutput::SessionStart(start));
        self.subscribe(MEASUREMENT, Subscription::Notify, now);
    }

    fn unknown_start(&self) -> SessionStart {
        SessionStart {
            sent: None,
            device_local: None,
            instant: None,
            utc_offset: None,
            quality: TimeQuality::Unknown,
            problem: None,
        }
    }

    fn on_read(&mut self, characteristic: Characteristic, value: &[u8], now: Instant) {
        if self.phase != Phase::Reading(characteristic) {
            return;
        }
        match characteristic {
            SESSION_START => match CgmSessionStartTime::decode(value) {
                Ok(sent) => {
                    let start = SessionStart::from_device(
                        sent.start,
                        device_offset(sent.time_zone, sent.dst_offset),
                        self.config.host_clock.offset,
                    );
                    if start.instant.is_some() {
                        self.start_known(start, now);
                    } else {
                        // Year 0 or an impossible date: the start was never set; estimate it.
                        self.read(STATUS, now);
                    }
                }
                Err(error) => {
                    self.reject(error);
                    self.read(STATUS, now);
                }
            },
            STATUS => match CgmStatus::decode(value) {
                Ok(status) => {
                    let start = SessionStart::estimated(
                        self.config.host_clock.utc_at(now),
                        self.config.host_clock.offset,
                        status.time_offset_min,
                    );
                    self.start_known(start, now);
                }
                Err(error) => {
                    self.reject(error);
                    let start = self.unknown_start();
                    self.start_known(start, now);
                }
            },
            _ => {}
        }
    }

    fn on_att_error(&mut self, characteristic: Characteristic, code: u8, now: Instant) {
        match self.phase {
            Phase::Reading(SESSION_START) if characteristic == SESSION_START => {
                self.read(STATUS, now);
            }
            Phase::Reading(STATUS) if characteristic == STATUS => {
                let start = self.unknown_start();
                self.start_known(start, now);
            }
            Phase::Subscribing(expected) if expected == characteristic => {
                self.finish(Err(CgmSyncError::Att {
                    characteristic,
                    code,
                }));
            }
            Phase::Writing if characteristic == RACP => self.finish(Err(CgmSyncError::Att {
                characteristic,
                code,
            })),
            _ => {}
        }
    }

    fn on_measurement(&mut self, value: &[u8]) {
        let measurement = match CgmMeasurement::decode(value) {
            Ok(measurement) => measurement,
            Err(error) => return self.reject(error),
        };
        let start = self.start.unwrap_or_else(|| self.unknown_start());
        for record in measurement.records {
            if !self.seen.insert(record.time_offset_min) {
                self.duplicates += 1;
                continue;
            }
            let time = MeasurementTime::after_start(&start, record.time_offset_min);
            self.outputs
                .push_back(CgmOutput::Reading(CgmReading { record, time }));
        }
    }

    fn on_racp(&mut self, value: &[u8]) {
        let response = match RacpResponse::decode(value) {
            Ok(response) => response,
            Err(error) => return self.reject(error),
        };
        if !matches!(self.phase, Phase::Writing | Phase::Awaiting) {
            return;
        }
        if let RacpResponse::ResponseCode {
            request_opcode: OPCODE_REPORT,
            response,
        } = response
        {
            match response {
                RacpResponseCode::Success => self.finish(Ok(CgmSyncEnd::Complete)),
                RacpResponseCode::NoRecordsFound => self.finish(Ok(CgmSyncEnd::UpToDate)),
                response => self.finish(Err(CgmSyncError::Refused {
                    request: RacpRequest::ReportStoredRecords(self.filter),
                    response,
                })),
            }
        }
    }

    fn on_timer(&mut self, now: Instant) {
        if !self.timer.expired(now) {
            return;
        }
        let waiting_for = match self.phase {
            Phase::Reading(_) => "reading the session start",
            Phase::Subscribing(_) => "subscribing",
            Phase::Writing | Phase::Awaiting => "reporting records",
            Phase::AwaitingConnection | Phase::Finished => return,
        };
        self.finish(Err(CgmSyncError::Timeout {
            timeout: self.config.timeout,
            waiting_for,
        }));
    }
}

impl Session for CgmSync {
    type Output = CgmOutput;

    fn handle_event(&mut self, event: Event<'_>, now: Instant) {
        if self.phase == Phase::Finished {
            return;
        }
        match event {
            Event::Connected => {
                if self.phase == Phase::AwaitingConnection {
                    if self.config.has_session_start_time {
                        self.read(SESSION_START, now);
                    } else {
                        self.read(STATUS, now);
                    }
                }
            }
            Event::ReadCompleted {
                characteristic,
                value,
            } => self.on_read(characteristic, value, now),
            Event::Subscribed(characteristic) => {
                if self.phase != Phase::Subscribing(characteristic) {
                    return;
                }
                if characteristic == MEASUREMENT {
                    self.subscribe(RACP, Subscription::Indicate, now);
                } else {
                    self.phase = Phase::Writing;
                    self.actions.push_back(Action::Write {
                        characteristic: RACP,
                        value: RacpRequest::ReportStoredRecords(self.filter).encode(),
                    });
                    self.arm_timeout(now);
                }
            }
            Event::WriteAcknowledged(characteristic) => {
                if characteristic == RACP && self.phase == Phase::Writing {
                    self.phase = Phase::Awaiting;
                    self.arm_timeout(now);
                }
            }
            Event::Notification {
                characteristic,
                value,
            } => {
                // Readings are dated from the session start, so none is taken before it is
                // settled; the RACP report only starts after that anyway.
                if self.start.is_none() {
                    return;
                }
                if matches!(self.phase, Phase::Writing | Phase::Awaiting) {
                    self.arm_timeout(now);
                }
                match characteristic {
                    MEASUREMENT => self.on_measurement(value),
                    RACP => self.on_racp(value),
                    _ => {}
                }
            }
            Event::AttError {
                characteristic,
                code,
            } => self.on_att_error(characteristic, code, now),
            Event::Timer => self.on_timer(now),
            Event::Disconnected => self.finish(Err(CgmSyncError::Disconnected)),
        }
    }

    fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    fn poll_output(&mut self) -> Option<CgmOutput> {
        self.outputs.pop_front()
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.timer.deadline
    }

    fn is_finished(&self) -> bool {
        self.phase == Phase::Finished
    }
}

/// The device's UTC offset from a CGMS time zone (15-minute steps, −128 unknown) and DST
/// offset (0, 2, 4, 8 half-hours… as coded; 255 unknown). `None` when either is unknown or
/// out of range: a half-known offset is not trusted.
pub fn device_offset(time_zone: i8, dst_offset: u8) -> Option<FixedOffset> {
    if !(-48..=56).contains(&time_zone) {
        return None;
    }
    let dst_minutes = match dst_offset {
        0 => 0,
        2 => 30,
        4 => 60,
        8 => 120,
        _ => return None,
    };
    FixedOffset::east_opt((i32::from(time_zone) * 15 + dst_minutes) * 60)
}

fn same_session(
    stored: Option<chrono::DateTime<Utc>>,
    current: Option<chrono::DateTime<Utc>>,
) -> bool {
    match (stored, current) {
        (Some(stored), Some(current)) => (stored - current).abs() <= SESSION_MATCH_TOLERANCE,
        _ => false,
    }
}
