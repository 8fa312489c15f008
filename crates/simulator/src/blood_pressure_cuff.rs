//! A blood pressure cuff (BLS 0x1810) with stored readings for two users: once indications
//! are on it shows the live cuff pressure, indicates its stored readings and disconnects, as
//! most cuffs do.

use ble_proto::Sfloat;
use ble_proto::blood_pressure::{BloodPressureMeasurement, IntermediateCuffPressure, PressureUnit};
use ble_proto::session::{Characteristic, Subscription};
use chrono::TimeDelta;
use link::{GattError, LinkEvent, LinkSecurity, Transport};

use crate::faults::Faults;
use crate::gatt::{Gatt, damage, date_time};

const MEASUREMENT: Characteristic = Characteristic::BloodPressureMeasurement;
const CUFF_PRESSURE: Characteristic = Characteristic::IntermediateCuffPressure;

/// A simulated two-user blood pressure cuff; also the link to it while connected.
#[derive(Debug)]
pub struct BloodPressureCuff {
    gatt: Gatt,
    readings: Vec<BloodPressureMeasurement>,
    sent: bool,
}

impl BloodPressureCuff {
    /// A cuff holding `per_user` readings for each of users 1 and 2, twelve hours apart up to
    /// the last twelve-hour slot before now ([`crate::Timeline`]), connected.
    pub fn new(per_user: u16, faults: Faults) -> BloodPressureCuff {
        let gatt = Gatt::new(
            vec![
                MEASUREMENT,
                CUFF_PRESSURE,
                Characteristic::BloodPressureFeature,
            ],
            "Demo BP Cuff",
            0x00B1_C2D3,
            faults,
        );
        let mut readings = Vec::new();
        let timeline = crate::Timeline::until_now(TimeDelta::hours(12));
        for slot in timeline.last_slots(per_user) {
            for user in [1u8, 2] {
                let seed = slot.wrapping_mul(2).wrapping_add(u32::from(user));
                // Each user a few minutes before the slot, so no reading is in the future.
                let local = timeline.time_of(slot) - TimeDelta::minutes(i64::from(user) * 10);
                let systolic = crate::spread(seed, 112, 148);
                let diastolic = crate::spread(seed + 7, 68, 92);
                let pulse = crate::spread(seed + 3, 58, 84);
                readings.push(BloodPressureMeasurement {
                    unit: PressureUnit::MillimetreOfMercury,
                    systolic: sfloat(systolic),
                    diastolic: sfloat(diastolic),
                    mean_arterial: sfloat((systolic + 2 * diastolic) / 3),
                    timestamp: Some(date_time(local)),
                    pulse_rate: Some(sfloat(pulse)),
                    user_id: Some(user),
                    status: None,
                });
            }
        }
        BloodPressureCuff {
            gatt,
            readings,
            sent: false,
        }
    }

    /// A new connection to the same cuff.
    pub fn reconnect(&mut self) {
        self.gatt.reconnect();
        self.sent = false;
    }

    /// Once indications (and the live pressure) are on, the cuff sends everything and leaves.
    fn maybe_send(&mut self) {
        let ready = self.gatt.subscribed.contains(&MEASUREMENT)
            && self.gatt.subscribed.contains(&CUFF_PRESSURE);
        if self.sent || !ready {
            return;
        }
        self.sent = true;
        for pressure in [40, 90, 140] {
            let live = IntermediateCuffPressure {
                unit: PressureUnit::MillimetreOfMercury,
                cuff_pressure: sfloat(pressure),
                timestamp: None,
                pulse_rate: None,
                user_id: None,
                status: None,
            };
            self.gatt.notify(CUFF_PRESSURE, live.encode());
        }
        let faults = self.gatt.faults;
        for (sent, reading) in (1u32..).zip(self.readings.clone()) {
            if faults.drop_after.is_some_and(|n| sent > n) {
                self.gatt.faults.drop_after = None;
                break;
            }
            // Flags (1) and three SFLOATs (6) precede the time stamp.
            let value = damage(&faults, sent, reading.encode(), 7);
            let times = if faults.duplicate { 2 } else { 1 };
            for _ in 0..times {
                self.gatt.notify(MEASUREMENT, value.clone());
            }
        }
        self.gatt.drop_link();
    }
}

fn sfloat(value: u32) -> Sfloat {
    Sfloat::new(i16::try_from(value).unwrap_or(i16::MAX), 0).unwrap_or(Sfloat::NAN)
}

impl Transport for BloodPressureCuff {
    fn characteristics(&self) -> &[Characteristic] {
        &self.gatt.characteristics
    }

    fn security(&self) -> LinkSecurity {
        self.gatt.security()
    }

    async fn read(&mut self, characteristic: Characteristic) -> Result<Vec<u8>, GattError> {
        if characteristic == Characteristic::BloodPressureFeature {
            self.gatt.check(characteristic)?;
            return Ok(vec![0x20, 0x00]);
        }
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
