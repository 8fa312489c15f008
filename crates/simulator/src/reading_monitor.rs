//! Monitors that send their readings as soon as the collector subscribes, then leave: a
//! thermometer, a scale with body composition, a pulse oximeter, and a heart-rate strap
//! (which streams, and here stops after a few beats).

use ble_proto::heart_rate::{HeartRateMeasurement, SensorContact};
use ble_proto::pulse_oximeter::PlxSpotCheckMeasurement;
use ble_proto::session::{Characteristic, Subscription};
use ble_proto::thermometer::{TemperatureMeasurement, TemperatureUnit};
use ble_proto::weight::{BodyCompositionMeasurement, UnitSystem, WeightMeasurement};
use ble_proto::{Float, Sfloat};
use chrono::TimeDelta;
use link::{GattError, LinkEvent, LinkSecurity, Transport};
use readings::MonitorKind;

use crate::faults::Faults;
use crate::gatt::{Gatt, damage, date_time};

/// Values to send, with the characteristic each goes on.
type Values = Vec<(Characteristic, Vec<u8>)>;

/// A simulated monitor without stored-record access; also the link to it while connected.
#[derive(Debug)]
pub struct ReadingMonitor {
    gatt: Gatt,
    /// What it sends once every measurement characteristic is subscribed.
    values: Values,
    /// Where the time stamp starts in each value (for the malformed fault).
    date_at: usize,
    sent: bool,
}

impl ReadingMonitor {
    /// A monitor of `kind` holding `readings` readings (a strap: that many beats). `None` for
    /// kinds with their own simulator (glucose, blood pressure) or none yet (CGM).
    pub fn new(kind: MonitorKind, readings: u16, faults: Faults) -> Option<ReadingMonitor> {
        // A reading a day, at the daily slot ([`crate::Timeline`]); a slot's number seeds its
        // values.
        let timeline = crate::Timeline::until_now(TimeDelta::hours(24));
        let slots: Vec<u32> = timeline.last_slots(readings).collect();
        let at = |i: u16| {
            let slot = slots.get(usize::from(i)).copied().unwrap_or_default();
            Some(date_time(timeline.time_of(slot)))
        };
        let seeds = slots.clone().into_iter();
        let (model, serial, values, date_at): (&str, u64, Values, usize) = match kind {
            MonitorKind::Thermometer => {
                let values = seeds
                    .zip(0..)
                    .map(|(seed, i)| {
                        let tenths = crate::spread(seed, 362, 378);
                        let value = TemperatureMeasurement {
                            value: Float::new(i32::try_from(tenths).unwrap_or(370), -1)
                                .unwrap_or(Float::from_bits(0x007F_FFFF)),
                            unit: TemperatureUnit::Celsius,
                            timestamp: at(i),
                            temperature_type: Some(6),
                        };
                        (Characteristic::TemperatureMeasurement, value.encode())
                    })
                    .collect();
                ("Demo Thermometer", 0x00C1, values, 5)
            }
            MonitorKind::WeightScale | MonitorKind::BodyComposition => {
                let mut values = Vec::new();
                for (seed, i) in seeds.zip(0..) {
                    // 0.005 kg steps: 70.0–74.0 kg.
                    let raw = u16::try_from(crate::spread(seed, 14_000, 14_800)).unwrap_or(14_000);
                    let weight = WeightMeasurement {
                        unit_system: UnitSystem::Si,
                        weight: raw,
                        timestamp: at(i),
                        user_id: Some(1),
                        bmi_and_height: None,
                    };
                    values.push((Characteristic::WeightMeasurement, weight.encode()));
                    let body = BodyCompositionMeasurement {
                        unit_system: UnitSystem::Si,
                        body_fat: u16::try_from(crate::spread(seed, 180, 260)).unwrap_or(200),
                        timestamp: at(i),
                        user_id: Some(1),
                        basal_metabolism_kj: None,
                        muscle_percentage: None,
                        muscle_mass: None,
                        fat_free_mass: None,
                        soft_lean_mass: None,
                        body_water_mass: None,
                        impedance: None,
                        weight: Some(raw),
                        height: None,
                        multiple_packet: false,
                    };
                    values.push((Characteristic::BodyCompositionMeasurement, body.encode()));
                }
                ("Demo Scale", 0x00C2, values, 3)
            }
            MonitorKind::PulseOximeter => {
                let values = seeds
                    .zip(0..)
                    .map(|(seed, i)| {
                        let spo2 = i16::try_from(crate::spread(seed, 94, 99)).unwrap_or(97);
                        let pulse = i16::try_from(crate::spread(seed, 58, 80)).unwrap_or(64);
                        let value = PlxSpotCheckMeasurement {
                            spo2_pct: Sfloat::new(spo2, 0).unwrap_or(Sfloat::NAN),
                            pulse_rate_bpm: Sfloat::new(pulse, 0).unwrap_or(Sfloat::NAN),
                            timestamp: at(i),
                            measurement_status: None,
                            device_sensor_status: None,
                            pulse_amplitude_index_pct: None,
                            device_clock_not_set: false,
                        };
                        (Characteristic::PlxSpotCheckMeasurement, value.encode())
                    })
                    .collect();
                ("Demo Pulse Oximeter", 0x00C3, values, 5)
            }
            MonitorKind::HeartRate => {
                let values = seeds
                    .map(|seed| {
                        let value = HeartRateMeasurement {
                            heart_rate: u16::try_from(crate::spread(seed, 60, 90)).unwrap_or(70),
                            sensor_contact: SensorContact::Detected,
                            energy_expended_kj: None,
                            rr_intervals_1024: Vec::new(),
                        };
                        (Characteristic::HeartRateMeasurement, value.encode())
                    })
                    .collect();
                ("Demo HR Strap", 0x00C4, values, usize::MAX)
            }
            MonitorKind::Glucose | MonitorKind::BloodPressure | MonitorKind::ContinuousGlucose => {
                return None;
            }
        };
        let mut characteristics: Vec<Characteristic> = Vec::new();
        for (characteristic, _) in &values {
            if !characteristics.contains(characteristic) {
                characteristics.push(*characteristic);
            }
        }
        Some(ReadingMonitor {
            gatt: Gatt::new(characteristics, model, serial, faults),
            values,
            date_at,
            sent: false,
        })
    }

    /// A new connection to the same monitor.
    pub fn reconnect(&mut self) {
        self.gatt.reconnect();
        self.sent = false;
    }

    fn maybe_send(&mut self) {
        let measurement_characteristics: Vec<Characteristic> = self
            .gatt
            .characteristics
            .iter()
            .copied()
            .filter(|c| self.values.iter().any(|(v, _)| v == c))
            .collect();
        let ready = measurement_characteristics
            .iter()
            .all(|c| self.gatt.subscribed.contains(c));
        if self.sent || !ready {
            return;
        }
        self.sent = true;
        let faults = self.gatt.faults;
        for (sent, (characteristic, value)) in (1u32..).zip(self.values.clone()) {
            if faults.drop_after.is_some_and(|n| sent > n) {
                self.gatt.faults.drop_after = None;
                break;
            }
            let value = damage(&faults, sent, value, self.date_at);
            let times = if faults.duplicate { 2 } else { 1 };
            for _ in 0..times {
                self.gatt.notify(characteristic, value.clone());
            }
        }
        self.gatt.drop_link();
    }
}

impl Transport for ReadingMonitor {
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
        self.maybe_send();
        Ok(())
    }

    async fn next_event(&mut self) -> LinkEvent {
        self.gatt.next_event().await
    }

    async fn disconnect(&mut self) {
        self.gatt.disconnect();
    }
}
