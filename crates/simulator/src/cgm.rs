//! A continuous glucose monitor (CGMS 0x181F): one sensor session whose readings, every five
//! minutes, end at the last five-minute slot before now ([`crate::Timeline`]), answering the
//! Record Access Control Point by Time Offset. It never starts or stops a session (that would
//! clear its records).

use ble_proto::Sfloat;
use ble_proto::cgm::{
    CgmAnnunciation, CgmMeasurement, CgmMeasurementRecord, CgmSensorStatus, CgmSessionStartTime,
    CgmStatus,
};
use ble_proto::racp::{FilterValue, RacpRequest, RacpResponse, RacpResponseCode, RecordFilter};
use ble_proto::session::{Characteristic, Subscription};
use chrono::TimeDelta;
use link::{GattError, LinkEvent, LinkSecurity, Transport};

use crate::faults::Faults;
use crate::gatt::{Gatt, date_time};

const MEASUREMENT: Characteristic = Characteristic::CgmMeasurement;
const RACP: Characteristic = Characteristic::RecordAccessControlPoint;

/// Minutes between two readings.
const INTERVAL_MIN: u16 = 5;

/// A simulated CGM; also the link to it while connected.
#[derive(Debug)]
pub struct ContinuousGlucoseMonitor {
    gatt: Gatt,
    records: Vec<CgmMeasurementRecord>,
}

impl ContinuousGlucoseMonitor {
    /// A sensor session with `readings` readings, connected.
    pub fn new(readings: u16, faults: Faults) -> ContinuousGlucoseMonitor {
        let mut gatt = Gatt::new(
            vec![
                MEASUREMENT,
                Characteristic::CgmFeature,
                Characteristic::CgmStatus,
                Characteristic::CgmSessionStartTime,
                Characteristic::CgmSessionRunTime,
                RACP,
            ],
            "Demo CGM",
            0x00C5,
            faults,
        );
        let zone_quarters = chrono::Local::now().offset().local_minus_utc() / (15 * 60);
        let timeline = crate::Timeline::until_now(TimeDelta::minutes(i64::from(INTERVAL_MIN)));
        let slots: Vec<u32> = timeline.last_slots(readings).collect();
        let start = CgmSessionStartTime {
            start: date_time(timeline.time_of(slots.first().copied().unwrap_or_default())),
            time_zone: i8::try_from(zone_quarters).unwrap_or(0),
            dst_offset: 0,
            e2e_crc: None,
        };
        gatt.values
            .insert(Characteristic::CgmSessionStartTime, start.encode());
        let records: Vec<CgmMeasurementRecord> = slots
            .iter()
            .zip(0u16..)
            .map(|(&slot, i)| CgmMeasurementRecord {
                glucose_mg_dl: Sfloat::new(
                    i16::try_from(crate::spread(slot, 80, 180)).unwrap_or(100),
                    0,
                )
                .unwrap_or(Sfloat::NAN),
                time_offset_min: i.saturating_mul(INTERVAL_MIN),
                annunciation: CgmAnnunciation::default(),
                trend_mg_dl_per_min: None,
                quality_pct: None,
                e2e_crc: None,
            })
            .collect();
        let last_offset = records.last().map_or(0, |r| r.time_offset_min);
        let status = CgmStatus {
            time_offset_min: last_offset,
            status: CgmSensorStatus::default(),
            e2e_crc: None,
        };
        gatt.values
            .insert(Characteristic::CgmStatus, status.encode());
        ContinuousGlucoseMonitor { gatt, records }
    }

    fn on_racp(&mut self, value: &[u8]) {
        let respond = |gatt: &mut Gatt, opcode: u8, response| {
            let value = RacpResponse::ResponseCode {
                request_opcode: opcode,
                response,
            }
            .encode();
            gatt.notify(RACP, value);
        };
        let Ok(request) = RacpRequest::decode(value) else {
            let opcode = value.first().copied().unwrap_or(0);
            respond(&mut self.gatt, opcode, RacpResponseCode::OpCodeNotSupported);
            return;
        };
        let opcode = request.opcode();
        let chosen: Option<Vec<&CgmMeasurementRecord>> = match request {
            RacpRequest::ReportStoredRecords(filter)
            | RacpRequest::ReportNumberOfStoredRecords(filter) => match filter {
                RecordFilter::All => Some(self.records.iter().collect()),
                // CGMS reads filter type 1 as Time Offset.
                RecordFilter::GreaterOrEqual(FilterValue::SequenceNumber(from)) => Some(
                    self.records
                        .iter()
                        .filter(|r| r.time_offset_min >= from)
                        .collect(),
                ),
                RecordFilter::Last => Some(self.records.last().into_iter().collect()),
                _ => None,
            },
            RacpRequest::AbortOperation => {
                respond(&mut self.gatt, opcode, RacpResponseCode::Success);
                return;
            }
        };
        let Some(chosen) = chosen else {
            respond(
                &mut self.gatt,
                opcode,
                RacpResponseCode::OperandNotSupported,
            );
            return;
        };
        if let RacpRequest::ReportNumberOfStoredRecords(_) = request {
            let count = u16::try_from(chosen.len()).unwrap_or(u16::MAX);
            self.gatt
                .notify(RACP, RacpResponse::NumberOfStoredRecords(count).encode());
            return;
        }
        if chosen.is_empty() {
            respond(&mut self.gatt, opcode, RacpResponseCode::NoRecordsFound);
            return;
        }
        // Two records per notification, as CGMs pack them.
        let values: Vec<Vec<u8>> = chosen
            .chunks(2)
            .map(|pair| {
                CgmMeasurement {
                    records: pair.iter().map(|r| **r).collect(),
                }
                .encode()
            })
            .collect();
        for value in values {
            self.gatt.notify(MEASUREMENT, value);
        }
        respond(&mut self.gatt, opcode, RacpResponseCode::Success);
    }
}

impl Transport for ContinuousGlucoseMonitor {
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
            RACP if self.gatt.subscribed.contains(&RACP) => {
                self.on_racp(value);
                Ok(())
            }
            RACP => Err(GattError::Att(0xFD)),
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
