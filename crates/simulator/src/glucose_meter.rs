//! A blood glucose meter (GLS 0x1808): stored records with contexts and a sequence counter,
//! answering the Record Access Control Point. It never deletes a record.

use ble_proto::Sfloat;
use ble_proto::glucose::{
    GlucoseConcentration, GlucoseMeasurement, GlucoseMeasurementContext, GlucoseUnit,
};
use ble_proto::racp::{
    FilterRange, FilterValue, RacpRequest, RacpResponse, RacpResponseCode, RecordFilter,
};
use ble_proto::session::{Characteristic, Subscription};
use chrono::TimeDelta;
use link::{GattError, LinkEvent, LinkSecurity, Transport};

use crate::faults::Faults;
use crate::gatt::{Gatt, damage, date_time};

const MEASUREMENT: Characteristic = Characteristic::GlucoseMeasurement;
const CONTEXT: Characteristic = Characteristic::GlucoseMeasurementContext;
const RACP: Characteristic = Characteristic::RecordAccessControlPoint;

/// ATT error "Client Characteristic Configuration Descriptor Improperly Configured".
const CCCD_IMPROPERLY_CONFIGURED: u8 = 0xFD;

/// One stored record.
#[derive(Debug, Clone)]
struct Stored {
    measurement: GlucoseMeasurement,
    context: Option<GlucoseMeasurementContext>,
}

/// A simulated glucose meter; also the link to it while connected.
#[derive(Debug)]
pub struct GlucoseMeter {
    gatt: Gatt,
    records: Vec<Stored>,
    next_sequence: u16,
    /// When record 1 was taken.
    first_at: chrono::NaiveDateTime,
}

/// Hours between two readings (a patient testing three times a day).
const SPACING_H: i64 = 8;

impl GlucoseMeter {
    /// A meter holding `records` readings (sequence numbers 1…`records`, eight hours apart up
    /// to the last eight-hour slot before now, every third with a meal context), connected.
    /// Its readings are known by sequence number, so a meter made later with the same count
    /// (its times moved on) adds nothing twice.
    pub fn new(records: u16, faults: Faults) -> GlucoseMeter {
        let characteristics = vec![MEASUREMENT, CONTEXT, Characteristic::GlucoseFeature, RACP];
        let mut gatt = Gatt::new(characteristics, "Demo Glucose Meter", 0x00A1_B2C3, faults);
        gatt.values
            .insert(Characteristic::GlucoseFeature, vec![0x03, 0x04]);
        let mut meter = GlucoseMeter {
            gatt,
            records: Vec::new(),
            next_sequence: 1,
            first_at: {
                let timeline = crate::Timeline::until_now(TimeDelta::hours(SPACING_H));
                let first = timeline.last_slots(records).next().unwrap_or_default();
                timeline.time_of(first)
            },
        };
        for _ in 0..records {
            meter.take_reading();
        }
        meter
    }

    /// The meter takes a new reading (the patient tests again) and stores it.
    pub fn take_reading(&mut self) {
        let sequence_number = self.next_sequence;
        self.next_sequence = self.next_sequence.wrapping_add(1);
        let hours = i64::from(sequence_number.saturating_sub(1)) * SPACING_H;
        let local = self.first_at + TimeDelta::hours(hours);
        let mg_per_dl = crate::spread(u32::from(sequence_number), 72, 190);
        let value = i16::try_from(mg_per_dl).unwrap_or(100);
        // 3,000 mg/dL is 300 × 10⁻⁴ kg/L (an SFLOAT mantissa holds at most 2,047).
        let (value, exponent) = if Faults::hits(
            self.gatt.faults.impossible_every,
            u32::from(sequence_number),
        ) {
            (300, -4)
        } else {
            (value, -5)
        };
        let has_context = sequence_number.is_multiple_of(3);
        let measurement = GlucoseMeasurement {
            sequence_number,
            base_time: date_time(local),
            time_offset_min: Some(0),
            concentration: Some(GlucoseConcentration {
                // mg/dL × 10⁻⁵ = kg/L.
                value: Sfloat::new(value, exponent).unwrap_or(Sfloat::NAN),
                unit: GlucoseUnit::KilogramPerLitre,
                sample_type: 1,
                sample_location: 1,
            }),
            sensor_status: None,
            context_follows: has_context,
        };
        let context = has_context.then_some(GlucoseMeasurementContext {
            sequence_number,
            extended_flags: None,
            carbohydrate: None,
            meal: Some(if sequence_number.is_multiple_of(2) {
                1
            } else {
                2
            }),
            tester_health: None,
            exercise: None,
            medication: None,
            hba1c_pct: None,
        });
        self.records.push(Stored {
            measurement,
            context,
        });
    }

    /// How many records the meter holds.
    pub fn stored(&self) -> usize {
        self.records.len()
    }

    /// A new connection to the same meter: stored records and the clock stay.
    pub fn reconnect(&mut self) {
        self.gatt.reconnect();
    }

    fn matching(&self, filter: RecordFilter) -> Result<Vec<usize>, RacpResponseCode> {
        let seq = |i: usize| self.records[i].measurement.sequence_number;
        let all = 0..self.records.len();
        Ok(match filter {
            RecordFilter::All => all.collect(),
            RecordFilter::GreaterOrEqual(FilterValue::SequenceNumber(n)) => {
                all.filter(|&i| seq(i) >= n).collect()
            }
            RecordFilter::LessOrEqual(FilterValue::SequenceNumber(n)) => {
                all.filter(|&i| seq(i) <= n).collect()
            }
            RecordFilter::WithinRange(FilterRange::SequenceNumber { from, to }) => {
                all.filter(|&i| (from..=to).contains(&seq(i))).collect()
            }
            RecordFilter::First => all.take(1).collect(),
            RecordFilter::Last => self.records.len().checked_sub(1).into_iter().collect(),
            _ => return Err(RacpResponseCode::OperandNotSupported),
        })
    }

    fn respond(&mut self, request_opcode: u8, response: RacpResponseCode) {
        let value = RacpResponse::ResponseCode {
            request_opcode,
            response,
        }
        .encode();
        self.gatt.notify(RACP, value);
    }

    /// Answers a RACP request as a GLS meter does: records as notifications, then the
    /// response code as an indication.
    fn on_racp(&mut self, value: &[u8]) {
        let Ok(request) = RacpRequest::decode(value) else {
            // Delete and any other request this meter does not carry out.
            let opcode = value.first().copied().unwrap_or(0);
            self.respond(opcode, RacpResponseCode::OpCodeNotSupported);
            return;
        };
        let opcode = request.opcode();
        match request {
            RacpRequest::AbortOperation => self.respond(opcode, RacpResponseCode::Success),
            RacpRequest::ReportNumberOfStoredRecords(filter) => match self.matching(filter) {
                Ok(found) => {
                    let count = u16::try_from(found.len()).unwrap_or(u16::MAX);
                    let value = RacpResponse::NumberOfStoredRecords(count).encode();
                    self.gatt.notify(RACP, value);
                }
                Err(code) => self.respond(opcode, code),
            },
            RacpRequest::ReportStoredRecords(filter) => match self.matching(filter) {
                Ok(found) if found.is_empty() => {
                    self.respond(opcode, RacpResponseCode::NoRecordsFound);
                }
                Ok(found) => {
                    if self.send_records(&found) {
                        self.respond(opcode, RacpResponseCode::Success);
                    }
                }
                Err(code) => self.respond(opcode, code),
            },
        }
    }

    /// Queues the records' notifications; false when the link dropped on the way.
    fn send_records(&mut self, found: &[usize]) -> bool {
        let faults = self.gatt.faults;
        for (sent, &index) in (1u32..).zip(found) {
            if faults.drop_after.is_some_and(|n| sent > n) {
                // Drop once: the next connection completes.
                self.gatt.faults.drop_after = None;
                self.gatt.drop_link();
                return false;
            }
            let stored = &self.records[index];
            // Flags (1) and sequence number (2) precede the Base Time.
            let measurement = damage(&faults, sent, stored.measurement.encode(), 3);
            let context = stored
                .context
                .as_ref()
                .map(GlucoseMeasurementContext::encode);
            let times = if faults.duplicate { 2 } else { 1 };
            for _ in 0..times {
                self.gatt.notify(MEASUREMENT, measurement.clone());
                if let Some(context) = &context {
                    self.gatt.notify(CONTEXT, context.clone());
                }
            }
        }
        true
    }
}

impl Transport for GlucoseMeter {
    fn characteristics(&self) -> &[Characteristic] {
        &self.gatt.characteristics
    }

    fn security(&self) -> LinkSecurity {
        self.gatt.security()
    }

    async fn read(&mut self, characteristic: Characteristic) -> Result<Vec<u8>, GattError> {
        self.gatt.read(characteristic)
    }

    async fn write(
        &mut self,
        characteristic: Characteristic,
        value: &[u8],
    ) -> Result<(), GattError> {
        self.gatt.check(characteristic)?;
        match characteristic {
            RACP => {
                if !self.gatt.subscribed.contains(&RACP) {
                    return Err(GattError::Att(CCCD_IMPROPERLY_CONFIGURED));
                }
                self.on_racp(value);
                Ok(())
            }
            Characteristic::CurrentTime => self.gatt.write_current_time(value),
            _ => Err(GattError::Att(0x03)),
        }
    }

    async fn subscribe(
        &mut self,
        characteristic: Characteristic,
        _subscription: Subscription,
    ) -> Result<(), GattError> {
        self.gatt.check(characteristic)?;
        self.gatt.subscribed.insert(characteristic);
        Ok(())
    }

    async fn next_event(&mut self) -> LinkEvent {
        self.gatt.next_event().await
    }

    async fn disconnect(&mut self) {
        self.gatt.disconnect();
    }
}
