//! Heart Rate Service (HRS 0x180D) values: Heart Rate Measurement (0x2A37).

use crate::characteristic::Characteristic;
use crate::error::DecodeError;
use crate::wire::{Reader, put_u16};

/// One heart rate notification (0x2A37).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeartRateMeasurement {
    /// Beats per minute (sent as uint8 when it fits, as uint16 otherwise).
    pub heart_rate: u16,
    /// Whether the sensor touches the skin.
    pub sensor_contact: SensorContact,
    /// Energy expended since the last reset, in kilojoules.
    pub energy_expended_kj: Option<u16>,
    /// RR intervals in units of 1/1024 s, oldest first (empty when not sent).
    pub rr_intervals_1024: Vec<u16>,
}

/// The sensor contact status (flag bits 1–2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SensorContact {
    /// 0 or 1: the sensor does not report contact.
    NotSupported,
    /// 2: supported, but no contact.
    NotDetected,
    /// 3: supported and in contact.
    Detected,
}

const VALUE_UINT16: u8 = 1 << 0;
const CONTACT_SHIFT: u8 = 1;
const ENERGY_EXPENDED: u8 = 1 << 3;
const RR_INTERVALS: u8 = 1 << 4;

impl HeartRateMeasurement {
    /// Decodes a Heart Rate Measurement value. When RR intervals are flagged at least one must
    /// be present; an odd trailing octet after them is ignored.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::HeartRateMeasurement, bytes);
        let flags = reader.u8("flags")?;
        let heart_rate = match flags & VALUE_UINT16 {
            0 => u16::from(reader.u8("heart_rate")?),
            _ => reader.u16("heart_rate")?,
        };
        let sensor_contact = match (flags >> CONTACT_SHIFT) & 0b11 {
            2 => SensorContact::NotDetected,
            3 => SensorContact::Detected,
            _ => SensorContact::NotSupported,
        };
        let energy_expended_kj = match flags & ENERGY_EXPENDED {
            0 => None,
            _ => Some(reader.u16("energy_expended")?),
        };
        let mut rr_intervals_1024 = Vec::new();
        if flags & RR_INTERVALS != 0 {
            rr_intervals_1024.push(reader.u16("rr_interval")?);
            let rest = reader.rest();
            rr_intervals_1024.extend(
                rest.chunks_exact(2)
                    .map(|pair| u16::from_le_bytes([pair[0], pair[1]])),
            );
        }
        Ok(HeartRateMeasurement {
            heart_rate,
            sensor_contact,
            energy_expended_kj,
            rr_intervals_1024,
        })
    }

    /// Encodes this measurement, setting the flags from the fields present.
    pub fn encode(&self) -> Vec<u8> {
        let mut flags = match self.sensor_contact {
            SensorContact::NotSupported => 0,
            SensorContact::NotDetected => 2 << CONTACT_SHIFT,
            SensorContact::Detected => 3 << CONTACT_SHIFT,
        };
        let mut out = vec![0];
        match u8::try_from(self.heart_rate) {
            Ok(small) => out.push(small),
            Err(_) => {
                flags |= VALUE_UINT16;
                put_u16(&mut out, self.heart_rate);
            }
        }
        if let Some(energy) = self.energy_expended_kj {
            flags |= ENERGY_EXPENDED;
            put_u16(&mut out, energy);
        }
        if !self.rr_intervals_1024.is_empty() {
            flags |= RR_INTERVALS;
            for interval in &self.rr_intervals_1024 {
                put_u16(&mut out, *interval);
            }
        }
        out[0] = flags;
        out
    }
}
