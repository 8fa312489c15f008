//! Glucose record sync (GLS 0x1808): copy the meter's stored records over the Record Access
//! Control Point, incrementally by sequence number.
//!
//! The procedure (STANDARDS §5.2, GLP/GLS 1.0):
//!
//! 1. subscribe: notifications on Glucose Measurement, notifications on Glucose Measurement
//!    Context when the meter has it, indications on the RACP — all before any RACP write;
//! 2. optionally "report number of stored records" with the same filter, for progress "n of m";
//! 3. "report stored records ≥ last + 1" (or "all" on the first sync), collecting measurements
//!    and contexts until the RACP response code arrives.
//!
//! Rules this session keeps:
//!
//! - **Copy, not move**: it never writes "delete stored records" (the codec cannot even encode
//!   that request).
//! - **Each sequence number is delivered once** per session, whatever the order and
//!   repetition of the notifications; repeats are counted as duplicates.
//! - **Contexts** are paired with their measurement by sequence number. A measurement whose
//!   flags announce a context waits for it; it is delivered without one as soon as any of these
//!   happens: the RACP response code that ends the report arrives, the session ends (timeout,
//!   abort, disconnection), or more than [`MAX_WAITING_FOR_CONTEXT`] measurements are waiting
//!   (the oldest goes first). A context that arrives before its measurement is kept (up to the
//!   same bound) until the measurement comes; a context whose measurement never comes is
//!   reported as [`Rejection::ContextWithoutMeasurement`] at the end of the report.
//! - **Malformed values** are reported as [`Rejection::Malformed`] with the codec's typed error
//!   and the session goes on; the count ends up in [`SyncSummary::rejected`]. A malformed
//!   measurement whose sequence number can be read is asked for once more, alone ("report
//!   stored records within range n..n"), after the report ended in success and before the
//!   session completes (GLP: re-request a bad record by itself).
//! - **Timeouts**: the meter must answer within [`GlucoseSyncConfig::timeout`] (30 s, the ATT
//!   transaction timeout) of the last write response or notification. After a timeout the
//!   session ends with [`GlucoseSyncError::Timeout`], asks to disconnect (ATT allows no further
//!   request on a bearer that timed out) and writes no further RACP request. Records already
//!   delivered stay valid.
//! - **Abort** ([`GlucoseSync::abort`]) writes `03 00` when a report is running and ends on its
//!   response code; records that still arrive before that response are delivered as usual.
//!   Records queued behind the response are ignored, like anything after the end of a
//!   session; none is lost, because [`SyncSummary::next_last_sequence`] only counts records
//!   that were delivered, so the next sync asks for them again.
//! - **Factory reset**: sequence numbers never roll over and are not reset by deletions, but a
//!   factory reset or battery swap can restart them at 0. When "≥ last + 1" finds no records,
//!   the session asks for the meter's last record: if its sequence number is lower than the
//!   stored one, the meter was reset, and the session falls back to "report all". Records of
//!   that fallback carry [`DuplicateRule::ByContent`]: their sequence numbers may collide with
//!   older records of the same meter, so the journal recognises records it already has by
//!   content (base time, time offset, concentration, type and location), not by sequence
//!   number. A reset after which the meter already stored more records than before cannot be
//!   seen from sequence numbers alone.
//! - A meter that refuses the "last record" request (the operator is optional) is taken as up
//!   to date.
//! - A RACP write answered with ATT error 0x80 "Procedure Already In Progress" is retried after
//!   [`BUSY_RETRY_DELAY`], at most [`BUSY_RETRIES`] times.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::{Duration, Instant};

use crate::error::DecodeError;
use crate::glucose::{GlucoseMeasurement, GlucoseMeasurementContext};
use crate::racp::{
    FilterRange, FilterValue, RacpRequest, RacpResponse, RacpResponseCode, RecordFilter,
};
use crate::time::{DeviceClock, MeasurementTime};

use super::{ATT_TIMEOUT, Action, Characteristic, Event, Session, Subscription, Timer};

const MEASUREMENT: Characteristic = Characteristic::GlucoseMeasurement;
const CONTEXT: Characteristic = Characteristic::GlucoseMeasurementContext;
const RACP: Characteristic = Characteristic::RecordAccessControlPoint;

/// The op codes of the requests, as echoed in a Response Code.
const OPCODE_REPORT: u8 = 1;
const OPCODE_ABORT: u8 = 3;
const OPCODE_COUNT: u8 = 4;

/// ATT error "Procedure Already In Progress" (GLS application error 0x80).
const ATT_PROCEDURE_ALREADY_IN_PROGRESS: u8 = 0x80;

/// How many measurements may wait for their context before the oldest is delivered without.
pub const MAX_WAITING_FOR_CONTEXT: usize = 16;

/// How long to wait before retrying a RACP write the meter answered with "Procedure Already In
/// Progress".
pub const BUSY_RETRY_DELAY: Duration = Duration::from_secs(1);

/// How many times a RACP write is retried after "Procedure Already In Progress".
pub const BUSY_RETRIES: u8 = 3;

/// What a glucose sync needs to know before it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlucoseSyncConfig {
    /// The highest sequence number the journal holds for this meter, or `None` before the first
    /// sync.
    pub last_sequence: Option<u16>,
    /// Whether the meter has the Glucose Measurement Context characteristic (from service
    /// discovery).
    pub has_context: bool,
    /// Whether to ask for the number of records first, so progress can say "n of m".
    pub count_first: bool,
    /// How long the meter may stay silent after a write response or a notification.
    pub timeout: Duration,
    /// The Time Offset of the newest record the journal holds, carried forward to records that
    /// come without one.
    pub last_time_offset: Option<i16>,
}

impl GlucoseSyncConfig {
    /// A sync from `last_sequence`, with context, counting first, and the 30 s ATT timeout.
    pub fn new(last_sequence: Option<u16>) -> Self {
        GlucoseSyncConfig {
            last_sequence,
            has_context: true,
            count_first: true,
            timeout: ATT_TIMEOUT,
            last_time_offset: None,
        }
    }
}

/// One glucose record for the journal: a measurement with its context, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlucoseRecord {
    /// The measurement as decoded.
    pub measurement: GlucoseMeasurement,
    /// Its context, when the meter sent one with the same sequence number.
    pub context: Option<GlucoseMeasurementContext>,
    /// The Time Offset that applies to this record: its own, or else the last one received
    /// before it (GLS sends the offset with the first record and whenever it changes), or
    /// else [`GlucoseSyncConfig::last_time_offset`].
    pub time_offset_min: Option<i16>,
    /// How the journal recognises this record if it already has it.
    pub duplicate_rule: DuplicateRule,
}

impl GlucoseRecord {
    /// The record's time: Base Time plus the applicable Time Offset, read through what is
    /// known of the meter's clock.
    pub fn time(&self, clock: DeviceClock) -> MeasurementTime {
        MeasurementTime::from_device(
            self.measurement.base_time,
            self.time_offset_min.map(i32::from),
            clock,
        )
    }
}

/// How the journal tells whether it already holds a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DuplicateRule {
    /// By meter, sequence number and base time: the normal case.
    BySequenceNumber,
    /// By meter and content (base time, time offset, concentration, type and location): the
    /// meter's sequence numbers restarted (factory reset), so they may collide with older ones.
    ByContent,
}

/// Progress of the transfer, for the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Distinct measurements received so far.
    pub received: u32,
    /// How many the meter said it would send, when it was asked and answered. Not trusted:
    /// records may be added or deleted meanwhile, so `received` may end above or below it.
    pub expected: Option<u32>,
}

/// A value the session could not use; the session goes on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The value does not follow its layout.
    #[error("malformed value: {0}")]
    Malformed(#[from] DecodeError),
    /// A context whose measurement never arrived during the report.
    #[error("context {sequence_number} has no measurement")]
    ContextWithoutMeasurement {
        /// The context's sequence number.
        sequence_number: u16,
    },
    /// A context for a measurement that was already delivered without one (its flags did not
    /// announce a context, or it waited too long).
    #[error("context {sequence_number} arrived after its measurement was delivered")]
    ContextTooLate {
        /// The context's sequence number.
        sequence_number: u16,
    },
    /// A RACP response that answers no request in progress.
    #[error("unexpected RACP response {0:?}")]
    UnexpectedResponse(RacpResponse),
}

/// How a sync that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncEnd {
    /// The meter sent the requested records and said "success".
    Complete,
    /// The meter had nothing newer ("no records found"): the journal is up to date.
    UpToDate,
    /// The sync was aborted at the caller's request.
    Aborted,
}

/// Why a sync failed. Records delivered before the failure are valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GlucoseSyncError {
    /// The meter stayed silent longer than the timeout.
    #[error("the meter did not answer within {timeout:?} while {waiting_for}")]
    Timeout {
        /// The timeout in force.
        timeout: Duration,
        /// What the session was waiting for.
        waiting_for: &'static str,
    },
    /// The link went down before the sync ended.
    #[error("the meter disconnected before the sync ended")]
    Disconnected,
    /// A subscribe or write failed with an ATT error.
    #[error("{characteristic}: ATT error 0x{code:02X}")]
    Att {
        /// The characteristic of the failed operation.
        characteristic: Characteristic,
        /// The ATT error code.
        code: u8,
    },
    /// The meter answered a RACP request with an error response code.
    #[error("the meter refused {request:?}: {response:?}")]
    Refused {
        /// The request refused.
        request: RacpRequest,
        /// The response code.
        response: RacpResponseCode,
    },
}

/// What a glucose sync hands out, from [`Session::poll_output`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlucoseOutput {
    /// A record for the journal.
    Record(GlucoseRecord),
    /// The transfer advanced.
    Progress(Progress),
    /// A value that could not be used.
    Rejected(Rejection),
    /// The sync ended; the last output of the session.
    Finished(Result<SyncEnd, GlucoseSyncError>),
}

/// Counters of a sync and the sequence number to store for the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncSummary {
    /// Records delivered.
    pub delivered: u32,
    /// Of them, records delivered without the context their measurement announced.
    pub without_announced_context: u32,
    /// Values rejected.
    pub rejected: u32,
    /// Repeated measurements and contexts ignored.
    pub duplicates: u32,
    /// The record count the meter announced, if asked.
    pub expected: Option<u32>,
    /// Whether the meter's sequence numbers were found to have restarted.
    pub sequence_reset: bool,
    /// The sequence number to store as "last" for the next sync; see
    /// [`GlucoseSync::summary`].
    pub next_last_sequence: Option<u16>,
}

/// Which RACP procedure is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Procedure {
    Count(RecordFilter),
    Report(RecordFilter),
    /// "Report stored records: last record", to detect a factory reset.
    ProbeLast,
    /// "Report stored records within range n..n": one record asked again after it arrived
    /// malformed.
    Retry(u16),
    Abort,
}

impl Procedure {
    fn request(self) -> RacpRequest {
        match self {
            Procedure::Count(filter) => RacpRequest::ReportNumberOfStoredRecords(filter),
            Procedure::Report(filter) => RacpRequest::ReportStoredRecords(filter),
            Procedure::ProbeLast => RacpRequest::ReportStoredRecords(RecordFilter::Last),
            Procedure::Retry(sequence) => RacpRequest::ReportStoredRecords(
                RecordFilter::WithinRange(FilterRange::SequenceNumber {
                    from: sequence,
                    to: sequence,
                }),
            ),
            Procedure::Abort => RacpRequest::AbortOperation,
        }
    }

    fn waiting_for(self) -> &'static str {
        match self {
            Procedure::Count(_) => "counting records",
            Procedure::Report(_) => "reporting records",
            Procedure::ProbeLast => "reporting the last record",
            Procedure::Retry(_) => "reporting a malformed record again",
            Procedure::Abort => "aborting",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    AwaitingConnection,
    /// A CCCD write is out.
    Subscribing(Characteristic),
    /// A RACP write is out, its write response not yet received.
    Writing(Procedure),
    /// The meter said "procedure already in progress"; the write is retried at the timer.
    Backoff(Procedure),
    /// The RACP write was acknowledged; waiting for records and the RACP indication.
    Awaiting(Procedure),
    Finished,
}

/// Which sequence numbers the session is asking for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No sequence number stored: report all.
    First,
    /// Report from the stored sequence number + 1.
    Delta(u16),
    /// The meter was reset: report all, de-duplicate by content.
    AfterReset,
}

/// What the session knows of a sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// The measurement waits for its context.
    Waiting,
    /// Delivered, with or without a context.
    Delivered { with_context: bool },
    /// Seen while probing for a reset, not delivered (the journal has it).
    Probed,
}

/// A glucose record sync with one meter over one connection.
///
/// Built from the last stored sequence number, started by [`Event::Connected`], driven through
/// [`Session`]. See the module documentation for the rules.
#[derive(Debug)]
pub struct GlucoseSync {
    config: GlucoseSyncConfig,
    mode: Mode,
    phase: Phase,
    timer: Timer,
    actions: VecDeque<Action>,
    outputs: VecDeque<GlucoseOutput>,
    busy_retries: u8,
    abort_requested: bool,
    seen: BTreeMap<u16, Seen>,
    /// Measurements waiting for their context, with their applicable Time Offset.
    waiting: VecDeque<(GlucoseMeasurement, Option<i16>)>,
    /// The last Time Offset received, carried forward.
    time_offset: Option<i16>,
    early_contexts: BTreeMap<u16, GlucoseMeasurementContext>,
    probe_highest: Option<u16>,
    /// Sequence numbers of malformed measurements, to ask for once more after the report.
    to_retry: BTreeSet<u16>,
    /// Sequence numbers already asked for once more.
    retried: BTreeSet<u16>,
    received: u32,
    highest_delivered: Option<u16>,
    last_arrival: Option<u16>,
    out_of_order: bool,
    summary: SyncSummary,
    outcome: Option<Result<SyncEnd, GlucoseSyncError>>,
}

impl GlucoseSync {
    /// A sync that will start on [`Event::Connected`].
    pub fn new(config: GlucoseSyncConfig) -> Self {
        let time_offset = config.last_time_offset;
        let mode = match config.last_sequence {
            None => Mode::First,
            Some(last) => Mode::Delta(last),
        };
        GlucoseSync {
            config,
            mode,
            phase: Phase::AwaitingConnection,
            timer: Timer::default(),
            actions: VecDeque::new(),
            outputs: VecDeque::new(),
            busy_retries: 0,
            abort_requested: false,
            seen: BTreeMap::new(),
            waiting: VecDeque::new(),
            time_offset,
            early_contexts: BTreeMap::new(),
            probe_highest: None,
            to_retry: BTreeSet::new(),
            retried: BTreeSet::new(),
            received: 0,
            highest_delivered: None,
            last_arrival: None,
            out_of_order: false,
            summary: SyncSummary::default(),
            outcome: None,
        }
    }

    /// Asks the sync to stop (the user cancelled).
    ///
    /// While a report runs, the session writes "abort operation" (`03 00`) once the link is free
    /// and ends on the meter's response code (or the timeout); records arriving meanwhile are
    /// still delivered. Otherwise it ends at once. The outcome is [`SyncEnd::Aborted`] either
    /// way, even when the meter answers "abort unsuccessful": the session stops listening.
    pub fn abort(&mut self, now: Instant) {
        match self.phase {
            Phase::Finished => {}
            Phase::Awaiting(Procedure::Report(_) | Procedure::ProbeLast | Procedure::Retry(_)) => {
                self.write_request(Procedure::Abort, now);
            }
            Phase::Writing(Procedure::Report(_) | Procedure::ProbeLast | Procedure::Retry(_)) => {
                // One GATT operation at a time: the abort goes out after this write's response.
                self.abort_requested = true;
            }
            Phase::Writing(Procedure::Abort) | Phase::Awaiting(Procedure::Abort) => {}
            Phase::AwaitingConnection
            | Phase::Subscribing(_)
            | Phase::Writing(Procedure::Count(_))
            | Phase::Awaiting(Procedure::Count(_))
            | Phase::Backoff(_) => self.finish(Ok(SyncEnd::Aborted)),
        }
    }

    /// The outcome, once the session is finished.
    pub fn outcome(&self) -> Option<&Result<SyncEnd, GlucoseSyncError>> {
        self.outcome.as_ref()
    }

    /// The counters so far, and the sequence number to store for the next sync.
    ///
    /// `next_last_sequence` is the highest sequence number delivered (or the stored one when
    /// none is higher). After a reset it is the highest delivered in the fallback, which may be
    /// lower than the stored one. When the sync did not complete and records arrived out of
    /// order, a gap below the highest one may still be missing, so it stays at the stored
    /// value (after a reset: `None`, meaning "report all" next time).
    pub fn summary(&self) -> SyncSummary {
        let mut summary = self.summary;
        let stored = match self.mode {
            Mode::AfterReset => None,
            Mode::First => None,
            Mode::Delta(last) => Some(last),
        };
        let complete = matches!(
            self.outcome,
            Some(Ok(SyncEnd::Complete | SyncEnd::UpToDate))
        );
        summary.next_last_sequence = if complete || !self.out_of_order {
            stored.max(self.highest_delivered)
        } else {
            stored
        };
        summary.sequence_reset = self.mode == Mode::AfterReset;
        summary
    }

    fn report_filter(&self) -> RecordFilter {
        match self.mode {
            Mode::First | Mode::AfterReset => RecordFilter::All,
            // Sequence numbers do not roll over: after 0xFFFF nothing newer can exist, and
            // asking from 0xFFFF again only repeats a record the journal already holds.
            Mode::Delta(last) => {
                RecordFilter::GreaterOrEqual(FilterValue::SequenceNumber(last.saturating_add(1)))
            }
        }
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

    fn write_request(&mut self, procedure: Procedure, now: Instant) {
        self.phase = Phase::Writing(procedure);
        self.actions.push_back(Action::Write {
            characteristic: RACP,
            value: procedure.request().encode(),
        });
        self.arm_timeout(now);
    }

    fn start_transfer(&mut self, now: Instant) {
        let filter = self.report_filter();
        if self.config.count_first && self.mode != Mode::AfterReset {
            self.write_request(Procedure::Count(filter), now);
        } else {
            self.write_request(Procedure::Report(filter), now);
        }
    }

    fn arm_timeout(&mut self, now: Instant) {
        let deadline = now.checked_add(self.config.timeout).unwrap_or(now);
        self.timer.set(deadline, &mut self.actions);
    }

    fn finish(&mut self, result: Result<SyncEnd, GlucoseSyncError>) {
        if self.phase == Phase::Finished {
            return;
        }
        self.flush_waiting();
        self.reject_early_contexts();
        self.phase = Phase::Finished;
        self.timer.cancel(&mut self.actions);
        if matches!(result, Err(GlucoseSyncError::Timeout { .. })) {
            self.actions.push_back(Action::Disconnect);
        }
        self.outcome = Some(result.clone());
        self.outputs.push_back(GlucoseOutput::Finished(result));
    }

    fn on_subscribed(&mut self, characteristic: Characteristic, now: Instant) {
        if self.phase != Phase::Subscribing(characteristic) {
            return;
        }
        match characteristic {
            MEASUREMENT if self.config.has_context => {
                self.subscribe(CONTEXT, Subscription::Notify, now);
            }
            MEASUREMENT | CONTEXT => self.subscribe(RACP, Subscription::Indicate, now),
            _ => self.start_transfer(now),
        }
    }

    fn on_write_acknowledged(&mut self, characteristic: Characteristic, now: Instant) {
        let Phase::Writing(procedure) = self.phase else {
            return;
        };
        if characteristic != RACP {
            return;
        }
        if self.abort_requested
            && matches!(
                procedure,
                Procedure::Report(_) | Procedure::ProbeLast | Procedure::Retry(_)
            )
        {
            self.abort_requested = false;
            self.write_request(Procedure::Abort, now);
            return;
        }
        self.phase = Phase::Awaiting(procedure);
        self.arm_timeout(now);
    }

    fn on_att_error(&mut self, characteristic: Characteristic, code: u8, now: Instant) {
        match self.phase {
            Phase::Writing(procedure) if characteristic == RACP => {
                if code == ATT_PROCEDURE_ALREADY_IN_PROGRESS && self.busy_retries < BUSY_RETRIES {
                    self.busy_retries += 1;
                    self.phase = Phase::Backoff(procedure);
                    let deadline = now.checked_add(BUSY_RETRY_DELAY).unwrap_or(now);
                    self.timer.set(deadline, &mut self.actions);
                } else if procedure == Procedure::Abort {
                    self.finish(Ok(SyncEnd::Aborted));
                } else {
                    self.finish(Err(GlucoseSyncError::Att {
                        characteristic,
                        code,
                    }));
                }
            }
            Phase::Subscribing(expected) if expected == characteristic => {
                self.finish(Err(GlucoseSyncError::Att {
                    characteristic,
                    code,
                }));
            }
            _ => {}
        }
    }

    fn on_timer(&mut self, now: Instant) {
        if !self.timer.expired(now) {
            return;
        }
        match self.phase {
            Phase::Backoff(procedure) => {
                if self.abort_requested {
                    self.finish(Ok(SyncEnd::Aborted));
                } else {
                    self.write_request(procedure, now);
                }
            }
            Phase::Writing(Procedure::Abort) | Phase::Awaiting(Procedure::Abort) => {
                // The meter did not confirm the abort: stop listening all the same, and close
                // the link, which timed out.
                self.finish(Ok(SyncEnd::Aborted));
                self.actions.push_back(Action::Disconnect);
            }
            Phase::Subscribing(_) => self.finish(Err(GlucoseSyncError::Timeout {
                timeout: self.config.timeout,
                waiting_for: "subscribing",
            })),
            Phase::Writing(procedure) | Phase::Awaiting(procedure) => {
                self.finish(Err(GlucoseSyncError::Timeout {
                    timeout: self.config.timeout,
                    waiting_for: procedure.waiting_for(),
                }));
            }
            Phase::AwaitingConnection | Phase::Finished => {}
        }
    }

    fn on_disconnected(&mut self) {
        match self.phase {
            Phase::Finished => {}
            Phase::Writing(Procedure::Abort) | Phase::Awaiting(Procedure::Abort) => {
                self.finish(Ok(SyncEnd::Aborted));
            }
            _ => self.finish(Err(GlucoseSyncError::Disconnected)),
        }
    }

    /// Any notification while the session waits on the meter restarts the timeout.
    fn note_activity(&mut self, now: Instant) {
        if matches!(self.phase, Phase::Writing(_) | Phase::Awaiting(_)) {
            self.arm_timeout(now);
        }
    }

    fn reject(&mut self, rejection: Rejection) {
        self.summary.rejected += 1;
        self.outputs.push_back(GlucoseOutput::Rejected(rejection));
    }

    fn on_measurement(&mut self, value: &[u8]) {
        let measurement = match GlucoseMeasurement::decode(value) {
            Ok(measurement) => measurement,
            Err(error) => {
                // The sequence number follows the flags octet; when it is there, the record
                // is asked for once more, alone, after the report.
                if let [_, low, high, ..] = *value {
                    let sequence = u16::from_le_bytes([low, high]);
                    if !self.retried.contains(&sequence) {
                        self.to_retry.insert(sequence);
                    }
                }
                return self.reject(Rejection::Malformed(error));
            }
        };
        let sequence = measurement.sequence_number;
        if self.seen.contains_key(&sequence) {
            self.summary.duplicates += 1;
            return;
        }
        if let (Mode::Delta(last), Phase::Writing(Procedure::ProbeLast))
        | (Mode::Delta(last), Phase::Awaiting(Procedure::ProbeLast)) = (self.mode, self.phase)
            && sequence <= last
        {
            // The journal holds this one; it only tells whether the meter was reset.
            self.probe_highest = self.probe_highest.max(Some(sequence));
            self.seen.insert(sequence, Seen::Probed);
            return;
        }
        if self.last_arrival.is_some_and(|last| sequence < last) {
            self.out_of_order = true;
        }
        self.last_arrival = Some(sequence);
        if measurement.time_offset_min.is_some() {
            self.time_offset = measurement.time_offset_min;
        }
        let time_offset = self.time_offset;
        self.received += 1;
        self.outputs.push_back(GlucoseOutput::Progress(Progress {
            received: self.received,
            expected: self.summary.expected,
        }));
        if !(measurement.context_follows && self.config.has_context) {
            self.deliver(measurement, None, time_offset);
            return;
        }
        if let Some(context) = self.early_contexts.remove(&sequence) {
            self.deliver(measurement, Some(context), time_offset);
            return;
        }
        self.seen.insert(sequence, Seen::Waiting);
        self.waiting.push_back((measurement, time_offset));
        if self.waiting.len() > MAX_WAITING_FOR_CONTEXT
            && let Some((oldest, time_offset)) = self.waiting.pop_front()
        {
            self.deliver(oldest, None, time_offset);
        }
    }

    fn on_context(&mut self, value: &[u8]) {
        let context = match GlucoseMeasurementContext::decode(value) {
            Ok(context) => context,
            Err(error) => return self.reject(Rejection::Malformed(error)),
        };
        let sequence = context.sequence_number;
        match self.seen.get(&sequence) {
            Some(Seen::Waiting) => {
                let position = self
                    .waiting
                    .iter()
                    .position(|(measurement, _)| measurement.sequence_number == sequence);
                if let Some((measurement, time_offset)) =
                    position.and_then(|index| self.waiting.remove(index))
                {
                    self.deliver(measurement, Some(context), time_offset);
                }
            }
            Some(Seen::Delivered { with_context: true }) | Some(Seen::Probed) => {
                self.summary.duplicates += 1;
            }
            Some(Seen::Delivered {
                with_context: false,
            }) => self.reject(Rejection::ContextTooLate {
                sequence_number: sequence,
            }),
            None => {
                if self.early_contexts.contains_key(&sequence) {
                    self.summary.duplicates += 1;
                    return;
                }
                self.early_contexts.insert(sequence, context);
                if self.early_contexts.len() > MAX_WAITING_FOR_CONTEXT
                    && let Some((oldest, _)) = self.early_contexts.pop_first()
                {
                    self.reject(Rejection::ContextWithoutMeasurement {
                        sequence_number: oldest,
                    });
                }
            }
        }
    }

    fn deliver(
        &mut self,
        measurement: GlucoseMeasurement,
        context: Option<GlucoseMeasurementContext>,
        time_offset_min: Option<i16>,
    ) {
        let sequence = measurement.sequence_number;
        if measurement.context_follows && context.is_none() {
            self.summary.without_announced_context += 1;
        }
        self.seen.insert(
            sequence,
            Seen::Delivered {
                with_context: context.is_some(),
            },
        );
        self.highest_delivered = self.highest_delivered.max(Some(sequence));
        self.summary.delivered += 1;
        self.outputs.push_back(GlucoseOutput::Record(GlucoseRecord {
            measurement,
            context,
            time_offset_min,
            duplicate_rule: if self.mode == Mode::AfterReset {
                DuplicateRule::ByContent
            } else {
                DuplicateRule::BySequenceNumber
            },
        }));
    }

    fn flush_waiting(&mut self) {
        while let Some((measurement, time_offset)) = self.waiting.pop_front() {
            self.deliver(measurement, None, time_offset);
        }
    }

    fn reject_early_contexts(&mut self) {
        while let Some((sequence, _)) = self.early_contexts.pop_first() {
            self.reject(Rejection::ContextWithoutMeasurement {
                sequence_number: sequence,
            });
        }
    }

    fn on_racp(&mut self, value: &[u8], now: Instant) {
        let response = match RacpResponse::decode(value) {
            Ok(response) => response,
            Err(error) => return self.reject(Rejection::Malformed(error)),
        };
        let procedure = match self.phase {
            Phase::Writing(procedure) | Phase::Awaiting(procedure) => procedure,
            _ => return self.reject(Rejection::UnexpectedResponse(response)),
        };
        match (procedure, response) {
            (Procedure::Count(filter), RacpResponse::NumberOfStoredRecords(count)) => {
                self.summary.expected = Some(u32::from(count));
                self.outputs.push_back(GlucoseOutput::Progress(Progress {
                    received: self.received,
                    expected: self.summary.expected,
                }));
                self.write_request(Procedure::Report(filter), now);
            }
            (
                Procedure::Count(filter),
                RacpResponse::ResponseCode {
                    request_opcode: OPCODE_COUNT,
                    ..
                },
            ) => {
                // Counting is only for progress: a meter that cannot count still reports.
                self.write_request(Procedure::Report(filter), now);
            }
            (
                Procedure::Report(filter),
                RacpResponse::ResponseCode {
                    request_opcode: OPCODE_REPORT,
                    response,
                },
            ) => self.on_report_end(filter, response, now),
            (
                Procedure::ProbeLast,
                RacpResponse::ResponseCode {
                    request_opcode: OPCODE_REPORT,
                    response,
                },
            ) => self.on_probe_end(response, now),
            (
                Procedure::Retry(_),
                RacpResponse::ResponseCode {
                    request_opcode: OPCODE_REPORT,
                    ..
                },
            ) => {
                // Whatever the answer, the record had its second chance.
                self.retry_or_complete(now);
            }
            (
                Procedure::Abort,
                RacpResponse::ResponseCode {
                    request_opcode: OPCODE_ABORT,
                    ..
                },
            ) => self.finish(Ok(SyncEnd::Aborted)),
            (
                Procedure::Abort,
                RacpResponse::ResponseCode {
                    request_opcode: OPCODE_REPORT,
                    ..
                },
            ) => {
                // The report ended before the meter saw the abort; its response code follows.
            }
            (_, response) => self.reject(Rejection::UnexpectedResponse(response)),
        }
    }

    /// Asks for the next malformed record once more, or completes the sync.
    fn retry_or_complete(&mut self, now: Instant) {
        while let Some(sequence) = self.to_retry.pop_first() {
            if self.seen.contains_key(&sequence) {
                // A good copy arrived meanwhile.
                continue;
            }
            self.retried.insert(sequence);
            self.flush_waiting();
            return self.write_request(Procedure::Retry(sequence), now);
        }
        self.finish(Ok(SyncEnd::Complete));
    }

    fn on_report_end(&mut self, filter: RecordFilter, response: RacpResponseCode, now: Instant) {
        match response {
            RacpResponseCode::Success => self.retry_or_complete(now),
            RacpResponseCode::NoRecordsFound => {
                if let Mode::Delta(_) = self.mode {
                    self.flush_waiting();
                    self.write_request(Procedure::ProbeLast, now);
                } else {
                    self.finish(Ok(SyncEnd::UpToDate));
                }
            }
            response => self.finish(Err(GlucoseSyncError::Refused {
                request: RacpRequest::ReportStoredRecords(filter),
                response,
            })),
        }
    }

    fn on_probe_end(&mut self, response: RacpResponseCode, now: Instant) {
        let Mode::Delta(last) = self.mode else {
            return self.finish(Ok(SyncEnd::UpToDate));
        };
        match (response, self.probe_highest) {
            (RacpResponseCode::Success, Some(highest)) if highest < last => {
                // The meter's newest record is older than ours: its numbering restarted.
                self.flush_waiting();
                self.mode = Mode::AfterReset;
                // The count was of records above the old numbering; the fallback is not counted.
                self.summary.expected = None;
                self.seen.clear();
                self.last_arrival = None;
                self.out_of_order = false;
                self.write_request(Procedure::Report(RecordFilter::All), now);
            }
            // The newest record is the stored one, the meter is empty, or it cannot report its
            // last record: nothing to fetch.
            _ => self.finish(Ok(SyncEnd::UpToDate)),
        }
    }
}

impl Session for GlucoseSync {
    type Output = GlucoseOutput;

    fn handle_event(&mut self, event: Event<'_>, now: Instant) {
        if self.phase == Phase::Finished {
            return;
        }
        match event {
            Event::Connected => {
                if self.phase == Phase::AwaitingConnection {
                    self.subscribe(MEASUREMENT, Subscription::Notify, now);
                }
            }
            Event::Subscribed(characteristic) => self.on_subscribed(characteristic, now),
            Event::WriteAcknowledged(characteristic) => {
                self.on_write_acknowledged(characteristic, now);
            }
            Event::ReadCompleted { .. } => {}
            Event::Notification {
                characteristic,
                value,
            } => {
                if self.phase == Phase::AwaitingConnection {
                    return;
                }
                self.note_activity(now);
                match characteristic {
                    MEASUREMENT => self.on_measurement(value),
                    CONTEXT => self.on_context(value),
                    RACP => self.on_racp(value, now),
                    _ => {}
                }
            }
            Event::AttError {
                characteristic,
                code,
            } => self.on_att_error(characteristic, code, now),
            Event::Timer => self.on_timer(now),
            Event::Disconnected => self.on_disconnected(),
        }
    }

    fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    fn poll_output(&mut self) -> Option<GlucoseOutput> {
        self.outputs.pop_front()
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.timer.deadline
    }

    fn is_finished(&self) -> bool {
        self.phase == Phase::Finished
    }
}
