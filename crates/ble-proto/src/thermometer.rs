//! Health Thermometer Service (HTS 0x1809) values: Temperature Measurement (0x2A1C) and
//! Intermediate Temperature (0x2A1E), which share one layout.

use crate::characteristic::Characteristic;
use crate::date_time::DateTime;
use crate::error::DecodeError;
use crate::medfloat::Float;
use crate::wire::{Reader, put_date_time, put_float};

/// A body temperature reading, final (0x2A1C) or intermediate (0x2A1E).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemperatureMeasurement {
    /// The temperature in `unit`.
    pub value: Float,
    /// Celsius or Fahrenheit (flag bit 0).
    pub unit: TemperatureUnit,
    /// When the reading was taken, by the thermometer's clock.
    pub timestamp: Option<DateTime>,
    /// Where on the body: 1 armpit, 2 body (general), 3 ear, 4 finger, 5 GI tract, 6 mouth,
    /// 7 rectum, 8 toe, 9 tympanum.
    pub temperature_type: Option<u8>,
}

/// The unit of a temperature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemperatureUnit {
    /// Degrees Celsius (flag bit 0 = 0).
    Celsius,
    /// Degrees Fahrenheit (flag bit 0 = 1).
    Fahrenheit,
}

const FAHRENHEIT: u8 = 1 << 0;
const TIMESTAMP: u8 = 1 << 1;
const TEMPERATURE_TYPE: u8 = 1 << 2;

impl TemperatureMeasurement {
    /// Decodes a Temperature Measurement (0x2A1C) value.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        decode(Characteristic::TemperatureMeasurement, bytes)
    }

    /// Decodes an Intermediate Temperature (0x2A1E) value.
    pub fn decode_intermediate(bytes: &[u8]) -> Result<Self, DecodeError> {
        decode(Characteristic::IntermediateTemperature, bytes)
    }

    /// Encodes this reading (the same octets for both characteristics).
    pub fn encode(&self) -> Vec<u8> {
        let mut flags = match self.unit {
            TemperatureUnit::Celsius => 0,
            TemperatureUnit::Fahrenheit => FAHRENHEIT,
        };
        let mut out = vec![0];
        put_float(&mut out, self.value);
        if let Some(timestamp) = self.timestamp {
            flags |= TIMESTAMP;
            put_date_time(&mut out, timestamp);
        }
        if let Some(temperature_type) = self.temperature_type {
            flags |= TEMPERATURE_TYPE;
            out.push(temperature_type);
        }
        out[0] = flags;
        out
    }
}

fn decode(
    characteristic: Characteristic,
    bytes: &[u8],
) -> Result<TemperatureMeasurement, DecodeError> {
    let mut reader = Reader::new(characteristic, bytes);
    let flags = reader.u8("flags")?;
    let value = reader.float("temperature")?;
    let timestamp = match flags & TIMESTAMP {
        0 => None,
        _ => Some(reader.date_time("timestamp")?),
    };
    let temperature_type = match flags & TEMPERATURE_TYPE {
        0 => None,
        _ => Some(reader.u8("temperature_type")?),
    };
    Ok(TemperatureMeasurement {
        value,
        unit: if flags & FAHRENHEIT == 0 {
            TemperatureUnit::Celsius
        } else {
            TemperatureUnit::Fahrenheit
        },
        timestamp,
        temperature_type,
    })
}
