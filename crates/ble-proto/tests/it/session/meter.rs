//! A simulated blood glucose meter speaking GLS and RACP, with knobs for misbehaviour.

use std::collections::BTreeMap;

use ble_proto::characteristic::Characteristic;
use ble_proto::date_time::DateTime;
use ble_proto::glucose::{
    GlucoseConcentration, GlucoseMeasurement, GlucoseMeasurementContext, GlucoseUnit,
};
use ble_proto::medfloat::Sfloat;
use ble_proto::racp::{
    FilterRange, FilterValue, RacpRequest, RacpResponse, RacpResponseCode, RecordFilter,
};
use ble_proto::session::{Action, Subscription};

use super::sim::{Ev, Peer};

pub const GM: Characteristic = Characteristic::GlucoseMeasurement;
pub const GMC: Characteristic = Characteristic::GlucoseMeasurementContext;
pub const RACP: Characteristic = Characteristic::RecordAccessControlPoint;

/// A measurement with sequence number `sequence`, 5.6 mmol/L-ish in mg/dL, one minute apart.
pub fn measurement(sequence: u16, context_follows: bool) -> GlucoseMeasurement {
    let minute = u8::try_from(sequence % 60).unwrap_or(0);
    let hour = u8::try_from((sequence / 60) % 24).unwrap_or(0);
    GlucoseMeasurement {
        sequence_number: sequence,
        base_time: DateTime::new(2026, 11, 21, hour, minute, 0).expect("valid date"),
        time_offset_min: Some(60),
        concentration: Some(GlucoseConcentration {
            // 100 + sequence % 100 mg/dL as kg/L × 10⁻⁵.
            value: Sfloat::new(100 + i16::try_from(sequence % 100).unwrap_or(0), -5)
                .expect("in range"),
            unit: GlucoseUnit::KilogramPerLitre,
            sample_type: 1,
            sample_location: 1,
        }),
        sensor_status: None,
        context_follows,
    }
}

/// A context for `sequence` with a meal (preprandial).
pub fn context(sequence: u16) -> GlucoseMeasurementContext {
    GlucoseMeasurementContext {
        sequence_number: sequence,
        extended_flags: None,
        carbohydrate: None,
        meal: Some(1),
        tester_health: None,
        exercise: None,
        medication: None,
        hba1c_pct: None,
    }
}

pub fn notify_measurement(measurement: &GlucoseMeasurement) -> Ev {
    Ev::Notify(GM, measurement.encode())
}

pub fn notify_context(context: &GlucoseMeasurementContext) -> Ev {
    Ev::Notify(GMC, context.encode())
}

pub fn response(request_opcode: u8, response: RacpResponseCode) -> Ev {
    Ev::Notify(
        RACP,
        RacpResponse::ResponseCode {
            request_opcode,
            response,
        }
        .encode(),
    )
}

/// How a meter reorders, repeats or corrupts the notifications of one report.
pub type Mangle = Box<dyn FnMut(Vec<Ev>) -> Vec<Ev>>;

/// A meter holding records, answering the collector like a GLS server would.
pub struct SimMeter {
    pub records: BTreeMap<u16, (GlucoseMeasurement, Option<GlucoseMeasurementContext>)>,
    /// Every RACP request received, in order.
    pub requests: Vec<RacpRequest>,
    /// Applied to the notifications of each report before the response code.
    pub mangle: Option<Mangle>,
    /// Whether the meter answers "report stored records" at all (false: silent after the ack).
    pub answers_reports: bool,
    /// Whether it supports the "last record" operator.
    pub supports_last: bool,
    /// CCCD subscriptions received.
    pub subscriptions: Vec<(Characteristic, Subscription)>,
}

impl SimMeter {
    /// A meter with records `sequences`, each with a context when `with_context` says so.
    pub fn new(
        sequences: impl IntoIterator<Item = u16>,
        with_context: impl Fn(u16) -> bool,
    ) -> Self {
        let records = sequences
            .into_iter()
            .map(|sequence| {
                let has_context = with_context(sequence);
                (
                    sequence,
                    (
                        measurement(sequence, has_context),
                        has_context.then(|| context(sequence)),
                    ),
                )
            })
            .collect();
        SimMeter {
            records,
            requests: Vec::new(),
            mangle: None,
            answers_reports: true,
            supports_last: true,
            subscriptions: Vec::new(),
        }
    }

    fn matching(&self, filter: RecordFilter) -> Vec<u16> {
        let keys: Vec<u16> = self.records.keys().copied().collect();
        match filter {
            RecordFilter::All => keys,
            RecordFilter::GreaterOrEqual(FilterValue::SequenceNumber(from)) => {
                keys.into_iter().filter(|key| *key >= from).collect()
            }
            RecordFilter::LessOrEqual(FilterValue::SequenceNumber(to)) => {
                keys.into_iter().filter(|key| *key <= to).collect()
            }
            RecordFilter::WithinRange(FilterRange::SequenceNumber { from, to }) => keys
                .into_iter()
                .filter(|key| (from..=to).contains(key))
                .collect(),
            RecordFilter::First => keys.first().copied().into_iter().collect(),
            RecordFilter::Last => keys.last().copied().into_iter().collect(),
            _ => Vec::new(),
        }
    }

    fn report(&mut self, filter: RecordFilter) -> Vec<Ev> {
        if filter == RecordFilter::Last && !self.supports_last {
            return vec![response(1, RacpResponseCode::OperatorNotSupported)];
        }
        let matching = self.matching(filter);
        if matching.is_empty() {
            return vec![response(1, RacpResponseCode::NoRecordsFound)];
        }
        let mut notifications = Vec::new();
        for sequence in matching {
            let (measurement, context) = &self.records[&sequence];
            notifications.push(notify_measurement(measurement));
            if let Some(context) = context {
                notifications.push(notify_context(context));
            }
        }
        if let Some(mangle) = self.mangle.as_mut() {
            notifications = mangle(notifications);
        }
        notifications.push(response(1, RacpResponseCode::Success));
        notifications
    }
}

impl Peer for SimMeter {
    fn answer(&mut self, action: &Action) -> Vec<Ev> {
        match action {
            Action::Subscribe {
                characteristic,
                subscription,
            } => {
                self.subscriptions.push((*characteristic, *subscription));
                vec![Ev::Subscribed(*characteristic)]
            }
            Action::Write {
                characteristic: RACP,
                value,
            } => {
                let request = RacpRequest::decode(value).expect("the collector writes valid RACP");
                self.requests.push(request);
                let mut events = vec![Ev::Ack(RACP)];
                match request {
                    RacpRequest::ReportNumberOfStoredRecords(filter) => {
                        let count = u16::try_from(self.matching(filter).len()).unwrap_or(u16::MAX);
                        events.push(Ev::Notify(
                            RACP,
                            RacpResponse::NumberOfStoredRecords(count).encode(),
                        ));
                    }
                    RacpRequest::ReportStoredRecords(filter) => {
                        if self.answers_reports {
                            events.extend(self.report(filter));
                        }
                    }
                    RacpRequest::AbortOperation => {
                        events.push(response(3, RacpResponseCode::Success));
                    }
                }
                events
            }
            _ => Vec::new(),
        }
    }
}
