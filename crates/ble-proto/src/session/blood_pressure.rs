//! Blood pressure cuff transfer (BLS 0x1810): stored readings arrive by indication once
//! indications are on.
//!
//! BLS 1.0 has no record access control point. A cuff that stores readings re-indicates its
//! buffer on Blood Pressure Measurement (0x2A35) after the collector enables indications; how
//! and when it stops is up to the vendor (STANDARDS §5.4, UNVERIFIED). So the transfer ends
//! when the cuff disconnects ([`TransferEnd::Disconnected`], the usual case) or after a quiet
//! period with no value from the cuff ([`TransferEnd::QuietPeriod`]).
//!
//! Rules this session keeps:
//!
//! - Intermediate Cuff Pressure (0x2A36) is live progress while the cuff inflates
//!   ([`BloodPressureOutput::CuffPressure`]); it is never a record. It keeps the transfer alive
//!   like any value from the cuff. A cuff without it, or one that refuses its subscription, is
//!   fine.
//! - Each record carries the cuff's user ([`CuffUser`]); 0xFF is "unknown user", which the app
//!   assigns by hand.
//! - Duplicates by (user, timestamp, unit, systolic, diastolic, mean arterial pressure, pulse
//!   rate) are delivered once per session; the journal de-duplicates across sessions by the
//!   same key. A reading without a timestamp is never treated as a duplicate: two equal
//!   readings without time cannot be told apart from one repeated.
//! - Malformed values are reported with the codec's typed error; the transfer goes on.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use crate::blood_pressure::{BloodPressureMeasurement, IntermediateCuffPressure, PressureUnit};
use crate::date_time::DateTime;
use crate::error::DecodeError;
use crate::medfloat::Sfloat;
use crate::time::{DeviceClock, MeasurementTime};

use super::{ATT_TIMEOUT, Action, Characteristic, Event, Session, Subscription, Timer};

const MEASUREMENT: Characteristic = Characteristic::BloodPressureMeasurement;
const CUFF_PRESSURE: Characteristic = Characteristic::IntermediateCuffPressure;

/// The default quiet period after which a transfer ends.
pub const DEFAULT_QUIET_PERIOD: Duration = Duration::from_secs(10);

/// The user id a cuff sends for an unknown user.
const UNKNOWN_USER: u8 = 0xFF;

/// What a cuff transfer needs to know before it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BloodPressureConfig {
    /// Whether the cuff has Intermediate Cuff Pressure (from service discovery).
    pub has_cuff_pressure: bool,
    /// How long the cuff may stay silent, once subscribed, before the transfer ends.
    pub quiet_period: Duration,
    /// How long a subscription may take.
    pub timeout: Duration,
}

impl Default for BloodPressureConfig {
    fn default() -> Self {
        BloodPressureConfig {
            has_cuff_pressure: true,
            quiet_period: DEFAULT_QUIET_PERIOD,
            timeout: ATT_TIMEOUT,
        }
    }
}

/// Whose reading it is, as the cuff says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CuffUser {
    /// One of the cuff's users (0–254).
    Id(u8),
    /// The cuff sent 0xFF, "unknown user": the app asks the patient.
    Unknown,
    /// The cuff sent no user id (a single-user cuff).
    NotSent,
}

impl CuffUser {
    /// The user of a measurement.
    pub fn of(measurement: &BloodPressureMeasurement) -> CuffUser {
        match measurement.user_id {
            None => CuffUser::NotSent,
            Some(UNKNOWN_USER) => CuffUser::Unknown,
            Some(id) => CuffUser::Id(id),
        }
    }
}

/// One blood pressure reading for the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BloodPressureRecord {
    /// The measurement as decoded.
    pub measurement: BloodPressureMeasurement,
    /// Whose reading it is.
    pub user: CuffUser,
}

impl BloodPressureRecord {
    /// The reading's time from its timestamp, read through what is known of the cuff's clock;
    /// `None` when the cuff sent no timestamp (the journal then uses the time of reception).
    pub fn time(&self, clock: DeviceClock) -> Option<MeasurementTime> {
        self.measurement
            .timestamp
            .map(|timestamp| MeasurementTime::from_device(timestamp, None, clock))
    }
}

/// How a transfer ended normally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransferEnd {
    /// The cuff closed the link.
    Disconnected,
    /// The cuff stayed silent for the quiet period.
    QuietPeriod,
}

/// Why a transfer failed. Records delivered before are valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BloodPressureError {
    /// Indications on Blood Pressure Measurement could not be enabled.
    #[error("{characteristic}: ATT error 0x{code:02X}")]
    Att {
        /// The characteristic of the failed subscription.
        characteristic: Characteristic,
        /// The ATT error code.
        code: u8,
    },
    /// The cuff did not confirm the subscription in time.
    #[error("the cuff did not confirm the subscription within {0:?}")]
    Timeout(Duration),
}

/// What a cuff transfer hands out, from [`Session::poll_output`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BloodPressureOutput {
    /// A reading for the journal.
    Record(BloodPressureRecord),
    /// The live cuff pressure while inflating: show it, never store it.
    CuffPressure(IntermediateCuffPressure),
    /// A value that could not be decoded.
    Rejected(DecodeError),
    /// The transfer ended; the last output of the session.
    Finished(Result<TransferEnd, BloodPressureError>),
}

/// The identity of a reading within a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ReadingKey {
    user: CuffUser,
    timestamp: DateTime,
    unit: PressureUnit,
    systolic: Sfloat,
    diastolic: Sfloat,
    mean_arterial: Sfloat,
    pulse_rate: Option<Sfloat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    AwaitingConnection,
    Subscribing(Characteristic),
    Listening,
    Finished,
}

/// Counters of a cuff transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TransferSummary {
    /// Readings delivered.
    pub delivered: u32,
    /// Repeated readings ignored.
    pub duplicates: u32,
    /// Values that could not be decoded.
    pub rejected: u32,
}

/// A transfer of stored readings from a blood pressure cuff over one connection.
#[derive(Debug)]
pub struct BloodPressureTransfer {
    config: BloodPressureConfig,
    phase: Phase,
    timer: Timer,
    actions: VecDeque<Action>,
    outputs: VecDeque<BloodPressureOutput>,
    seen: HashSet<ReadingKey>,
    summary: TransferSummary,
    outcome: Option<Result<TransferEnd, BloodPressureError>>,
}

impl BloodPressureTransfer {
    /// A transfer that will start on [`Event::Connected`].
    pub fn new(config: BloodPressureConfig) -> Self {
        BloodPressureTransfer {
            config,
            phase: Phase::AwaitingConnection,
            timer: Timer::default(),
            actions: VecDeque::new(),
            outputs: VecDeque::new(),
            seen: HashSet::new(),
            summary: TransferSummary::default(),
            outcome: None,
        }
    }

    /// The outcome, once the transfer is finished.
    pub fn outcome(&self) -> Option<&Result<TransferEnd, BloodPressureError>> {
        self.outcome.as_ref()
    }

    /// The counters so far.
    pub fn summary(&self) -> TransferSummary {
        self.summary
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
        let deadline = now.checked_add(self.config.timeout).unwrap_or(now);
        self.timer.set(deadline, &mut self.actions);
    }

    fn listen(&mut self, now: Instant) {
        self.phase = Phase::Listening;
        self.rearm_quiet(now);
    }

    fn rearm_quiet(&mut self, now: Instant) {
        if self.phase == Phase::Listening {
            let deadline = now.checked_add(self.config.quiet_period).unwrap_or(now);
            self.timer.set(deadline, &mut self.actions);
        }
    }

    fn finish(&mut self, result: Result<TransferEnd, BloodPressureError>) {
        self.phase = Phase::Finished;
        self.timer.cancel(&mut self.actions);
        self.outcome = Some(result.clone());
        self.outputs
            .push_back(BloodPressureOutput::Finished(result));
    }

    fn after_subscribed(&mut self, characteristic: Characteristic, now: Instant) {
        if characteristic == MEASUREMENT && self.config.has_cuff_pressure {
            self.subscribe(CUFF_PRESSURE, Subscription::Notify, now);
        } else {
            self.listen(now);
        }
    }

    fn on_measurement(&mut self, value: &[u8]) {
        let measurement = match BloodPressureMeasurement::decode(value) {
            Ok(measurement) => measurement,
            Err(error) => {
                self.summary.rejected += 1;
                self.outputs.push_back(BloodPressureOutput::Rejected(error));
                return;
            }
        };
        let user = CuffUser::of(&measurement);
        if let Some(timestamp) = measurement.timestamp {
            let key = ReadingKey {
                user,
                timestamp,
                unit: measurement.unit,
                systolic: measurement.systolic,
                diastolic: measurement.diastolic,
                mean_arterial: measurement.mean_arterial,
                pulse_rate: measurement.pulse_rate,
            };
            if !self.seen.insert(key) {
                self.summary.duplicates += 1;
                return;
            }
        }
        self.summary.delivered += 1;
        self.outputs
            .push_back(BloodPressureOutput::Record(BloodPressureRecord {
                measurement,
                user,
            }));
    }

    fn on_cuff_pressure(&mut self, value: &[u8]) {
        match IntermediateCuffPressure::decode(value) {
            Ok(pressure) => self
                .outputs
                .push_back(BloodPressureOutput::CuffPressure(pressure)),
            Err(error) => {
                self.summary.rejected += 1;
                self.outputs.push_back(BloodPressureOutput::Rejected(error));
            }
        }
    }
}

impl Session for BloodPressureTransfer {
    type Output = BloodPressureOutput;

    fn handle_event(&mut self, event: Event<'_>, now: Instant) {
        match (self.phase, event) {
            (Phase::Finished, _) => {}
            (Phase::AwaitingConnection, Event::Connected) => {
                self.subscribe(MEASUREMENT, Subscription::Indicate, now);
            }
            (Phase::AwaitingConnection, Event::Disconnected) => {
                self.finish(Ok(TransferEnd::Disconnected));
            }
            (Phase::AwaitingConnection, _) => {}
            (Phase::Subscribing(expected), Event::Subscribed(characteristic))
                if expected == characteristic =>
            {
                self.after_subscribed(characteristic, now);
            }
            (
                Phase::Subscribing(expected),
                Event::AttError {
                    characteristic,
                    code,
                },
            ) if expected == characteristic => {
                if characteristic == CUFF_PRESSURE {
                    // Live cuff pressure is a nicety; stored readings still come.
                    self.listen(now);
                } else {
                    self.finish(Err(BloodPressureError::Att {
                        characteristic,
                        code,
                    }));
                }
            }
            (
                _,
                Event::Notification {
                    characteristic,
                    value,
                },
            ) => {
                match characteristic {
                    MEASUREMENT => self.on_measurement(value),
                    CUFF_PRESSURE => self.on_cuff_pressure(value),
                    _ => return,
                }
                self.rearm_quiet(now);
            }
            (phase, Event::Timer) if self.timer.expired(now) => {
                if phase == Phase::Listening {
                    self.finish(Ok(TransferEnd::QuietPeriod));
                } else {
                    self.finish(Err(BloodPressureError::Timeout(self.config.timeout)));
                }
            }
            (_, Event::Disconnected) => self.finish(Ok(TransferEnd::Disconnected)),
            _ => {}
        }
    }

    fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    fn poll_output(&mut self) -> Option<BloodPressureOutput> {
        self.outputs.pop_front()
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.timer.deadline
    }

    fn is_finished(&self) -> bool {
        self.phase == Phase::Finished
    }
}
