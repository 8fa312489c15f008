//! The GATT side every simulated monitor shares: characteristics, static values, the link
//! state, subscriptions, and the queue of notifications the link will deliver.

use std::collections::{HashMap, HashSet, VecDeque};

use ble_proto::current_time::CurrentTime;
use ble_proto::device_information::{SystemId, encode_battery_level, encode_string};
use ble_proto::session::Characteristic;
use ble_proto::session::clock::current_time_for;
use chrono::{NaiveDateTime, TimeDelta};
use link::{GattError, LinkEvent, LinkSecurity};

use crate::faults::Faults;

/// The shared GATT state of a simulated monitor.
#[derive(Debug)]
pub(crate) struct Gatt {
    pub characteristics: Vec<Characteristic>,
    pub values: HashMap<Characteristic, Vec<u8>>,
    pub subscribed: HashSet<Characteristic>,
    pub pending: VecDeque<LinkEvent>,
    pub connected: bool,
    pub faults: Faults,
    /// Device clock minus host clock.
    pub clock_offset: TimeDelta,
}

impl Gatt {
    pub fn new(
        mut characteristics: Vec<Characteristic>,
        model: &str,
        serial: u64,
        faults: Faults,
    ) -> Gatt {
        characteristics.extend([
            Characteristic::ManufacturerName,
            Characteristic::ModelNumber,
            Characteristic::SerialNumber,
            Characteristic::FirmwareRevision,
            Characteristic::SystemId,
            Characteristic::BatteryLevel,
            Characteristic::CurrentTime,
        ]);
        let mut values = HashMap::new();
        values.insert(Characteristic::ManufacturerName, encode_string("Vitalog"));
        values.insert(Characteristic::ModelNumber, encode_string(model));
        values.insert(
            Characteristic::SerialNumber,
            encode_string(&format!("DEMO-{serial:06}")),
        );
        values.insert(Characteristic::FirmwareRevision, encode_string("1.0.0"));
        values.insert(
            Characteristic::SystemId,
            SystemId {
                eui64: serial.to_be_bytes(),
            }
            .encode(),
        );
        values.insert(Characteristic::BatteryLevel, encode_battery_level(87));
        Gatt {
            characteristics,
            values,
            subscribed: HashSet::new(),
            pending: VecDeque::new(),
            connected: true,
            clock_offset: TimeDelta::seconds(faults.clock_offset_s),
            faults,
        }
    }

    /// Starts a new connection: subscriptions are per connection, stored data stays.
    pub fn reconnect(&mut self) {
        self.connected = true;
        self.subscribed.clear();
        self.pending.clear();
    }

    pub fn security(&self) -> LinkSecurity {
        if self.faults.unbonded {
            LinkSecurity::default()
        } else {
            LinkSecurity::BONDED
        }
    }

    pub fn check(&self, characteristic: Characteristic) -> Result<(), GattError> {
        if !self.connected {
            return Err(GattError::Disconnected);
        }
        if !self.characteristics.contains(&characteristic) {
            return Err(GattError::Missing(characteristic));
        }
        Ok(())
    }

    /// The device's local time now.
    pub fn device_now(&self) -> NaiveDateTime {
        chrono::Local::now().naive_local() + self.clock_offset
    }

    pub fn read(&self, characteristic: Characteristic) -> Result<Vec<u8>, GattError> {
        self.check(characteristic)?;
        if characteristic == Characteristic::CurrentTime {
            return current_time_for(self.device_now())
                .map(|time| time.encode())
                .ok_or(GattError::Att(0x80));
        }
        self.values
            .get(&characteristic)
            .cloned()
            .ok_or(GattError::Att(0x02))
    }

    /// Writes Current Time: the device's clock takes the written time.
    pub fn write_current_time(&mut self, value: &[u8]) -> Result<(), GattError> {
        let time = CurrentTime::decode(value).map_err(|_| GattError::Att(0x80))?;
        let sent = time.date_time;
        let written = chrono::NaiveDate::from_ymd_opt(
            i32::from(sent.year()),
            u32::from(sent.month()),
            u32::from(sent.day()),
        )
        .and_then(|date| {
            date.and_hms_opt(
                u32::from(sent.hours()),
                u32::from(sent.minutes()),
                u32::from(sent.seconds()),
            )
        })
        .ok_or(GattError::Att(0x80))?;
        self.clock_offset = written - chrono::Local::now().naive_local();
        Ok(())
    }

    pub fn notify(&mut self, characteristic: Characteristic, value: Vec<u8>) {
        if self.subscribed.contains(&characteristic) {
            self.pending.push_back(LinkEvent::Notification {
                characteristic,
                value,
            });
        }
    }

    /// Drops the link: the driver sees the disconnection after what is already queued.
    pub fn drop_link(&mut self) {
        self.pending.push_back(LinkEvent::Disconnected);
    }

    /// The next queued event; waits forever when there is none (the session's timer ends it).
    pub async fn next_event(&mut self) -> LinkEvent {
        match self.pending.pop_front() {
            Some(LinkEvent::Disconnected) => {
                self.connected = false;
                self.pending.clear();
                LinkEvent::Disconnected
            }
            Some(event) => event,
            None => std::future::pending().await,
        }
    }

    pub fn disconnect(&mut self) {
        self.connected = false;
        self.pending.clear();
    }
}

/// Truncates or corrupts a record value as the faults ask.
pub(crate) fn damage(faults: &Faults, index: u32, mut value: Vec<u8>, date_at: usize) -> Vec<u8> {
    if Faults::hits(faults.truncate_every, index) {
        value.truncate(value.len() / 2);
    } else if Faults::hits(faults.malformed_every, index)
        && let Some(month) = date_at.checked_add(2).and_then(|at| value.get_mut(at))
    {
        *month = 13;
    }
    value
}

/// A Date Time for a local time; the "unknown" zeros when the year cannot be carried.
pub(crate) fn date_time(local: NaiveDateTime) -> ble_proto::DateTime {
    match current_time_for(local) {
        Some(time) => time.date_time,
        None => match ble_proto::DateTime::from_octets([0; 7]) {
            Ok(zero) => zero,
            // The all-zero Date Time is in range by definition.
            Err(_) => unreachable!("the zero Date Time is valid"),
        },
    }
}
