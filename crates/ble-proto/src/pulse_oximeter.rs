//! Pulse Oximeter Service (PLXS 0x1822) values: PLX Spot-Check Measurement (0x2A5E), PLX
//! Continuous Measurement (0x2A5F) and PLX Features (0x2A60).

use crate::bits::bit_field;
use crate::characteristic::Characteristic;
use crate::date_time::DateTime;
use crate::error::DecodeError;
use crate::medfloat::Sfloat;
use crate::wire::{Reader, put_date_time, put_sfloat, put_u16, put_u24};

bit_field! {
    /// PLX measurement status (bits 5–15 defined).
    PlxMeasurementStatus(u16) {
        /// The measurement is ongoing.
        MEASUREMENT_ONGOING = 5;
        /// Early estimated data.
        EARLY_ESTIMATED_DATA = 6;
        /// Validated data.
        VALIDATED_DATA = 7;
        /// Fully qualified data.
        FULLY_QUALIFIED_DATA = 8;
        /// Data from measurement storage.
        DATA_FROM_MEASUREMENT_STORAGE = 9;
        /// Data for demonstration.
        DATA_FOR_DEMONSTRATION = 10;
        /// Data for testing.
        DATA_FOR_TESTING = 11;
        /// Calibration ongoing.
        CALIBRATION_ONGOING = 12;
        /// Measurement unavailable.
        MEASUREMENT_UNAVAILABLE = 13;
        /// Questionable measurement detected.
        QUESTIONABLE_MEASUREMENT_DETECTED = 14;
        /// Invalid measurement detected.
        INVALID_MEASUREMENT_DETECTED = 15;
    }
}

bit_field! {
    /// PLX device and sensor status (a uint24 on the air; bits 0–15 defined).
    PlxDeviceSensorStatus(u32) {
        /// Extended display update ongoing.
        EXTENDED_DISPLAY_UPDATE_ONGOING = 0;
        /// Equipment malfunction detected.
        EQUIPMENT_MALFUNCTION_DETECTED = 1;
        /// Signal processing irregularity detected.
        SIGNAL_PROCESSING_IRREGULARITY_DETECTED = 2;
        /// Inadequate signal detected.
        INADEQUATE_SIGNAL_DETECTED = 3;
        /// Poor signal detected.
        POOR_SIGNAL_DETECTED = 4;
        /// Low perfusion detected.
        LOW_PERFUSION_DETECTED = 5;
        /// Erratic signal detected.
        ERRATIC_SIGNAL_DETECTED = 6;
        /// Non-pulsatile signal detected.
        NONPULSATILE_SIGNAL_DETECTED = 7;
        /// Questionable pulse detected.
        QUESTIONABLE_PULSE_DETECTED = 8;
        /// Signal analysis ongoing.
        SIGNAL_ANALYSIS_ONGOING = 9;
        /// Sensor interference detected.
        SENSOR_INTERFERENCE_DETECTED = 10;
        /// Sensor unconnected to user.
        SENSOR_UNCONNECTED_TO_USER = 11;
        /// Unknown sensor connected.
        UNKNOWN_SENSOR_CONNECTED = 12;
        /// Sensor displaced.
        SENSOR_DISPLACED = 13;
        /// Sensor malfunctioning.
        SENSOR_MALFUNCTIONING = 14;
        /// Sensor disconnected.
        SENSOR_DISCONNECTED = 15;
    }
}

/// A spot-check SpO2 reading (0x2A5E).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlxSpotCheckMeasurement {
    /// Oxygen saturation in percent.
    pub spo2_pct: Sfloat,
    /// Pulse rate in beats per minute.
    pub pulse_rate_bpm: Sfloat,
    /// When the reading was taken, by the oximeter's clock.
    pub timestamp: Option<DateTime>,
    /// Measurement status.
    pub measurement_status: Option<PlxMeasurementStatus>,
    /// Device and sensor status (24 bits).
    pub device_sensor_status: Option<PlxDeviceSensorStatus>,
    /// Pulse amplitude index in percent.
    pub pulse_amplitude_index_pct: Option<Sfloat>,
    /// The oximeter's clock was not set, so the timestamp is not usable (flag bit 4).
    pub device_clock_not_set: bool,
}

/// An SpO2 and pulse rate pair of a continuous measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spo2PulseRate {
    /// Oxygen saturation in percent.
    pub spo2_pct: Sfloat,
    /// Pulse rate in beats per minute.
    pub pulse_rate_bpm: Sfloat,
}

/// A continuous SpO2 reading (0x2A5F).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlxContinuousMeasurement {
    /// The normal (default averaging) pair.
    pub normal: Spo2PulseRate,
    /// The fast-responding pair.
    pub fast: Option<Spo2PulseRate>,
    /// The slow-responding pair.
    pub slow: Option<Spo2PulseRate>,
    /// Measurement status.
    pub measurement_status: Option<PlxMeasurementStatus>,
    /// Device and sensor status (24 bits).
    pub device_sensor_status: Option<PlxDeviceSensorStatus>,
    /// Pulse amplitude index in percent.
    pub pulse_amplitude_index_pct: Option<Sfloat>,
}

const SC_TIMESTAMP: u8 = 1 << 0;
const SC_MEASUREMENT_STATUS: u8 = 1 << 1;
const SC_DEVICE_SENSOR_STATUS: u8 = 1 << 2;
const SC_PULSE_AMPLITUDE_INDEX: u8 = 1 << 3;
const SC_DEVICE_CLOCK_NOT_SET: u8 = 1 << 4;

const CM_FAST: u8 = 1 << 0;
const CM_SLOW: u8 = 1 << 1;
const CM_MEASUREMENT_STATUS: u8 = 1 << 2;
const CM_DEVICE_SENSOR_STATUS: u8 = 1 << 3;
const CM_PULSE_AMPLITUDE_INDEX: u8 = 1 << 4;

/// The status fields both measurements end with.
struct Trailer {
    measurement_status: Option<PlxMeasurementStatus>,
    device_sensor_status: Option<PlxDeviceSensorStatus>,
    pulse_amplitude_index_pct: Option<Sfloat>,
}

fn read_trailer(reader: &mut Reader<'_>, present: [bool; 3]) -> Result<Trailer, DecodeError> {
    let [status, device, index] = present;
    Ok(Trailer {
        measurement_status: match status {
            true => Some(PlxMeasurementStatus(reader.u16("measurement_status")?)),
            false => None,
        },
        device_sensor_status: match device {
            true => Some(PlxDeviceSensorStatus(reader.u24("device_sensor_status")?)),
            false => None,
        },
        pulse_amplitude_index_pct: match index {
            true => Some(reader.sfloat("pulse_amplitude_index")?),
            false => None,
        },
    })
}

/// Appends the trailer and returns which of its fields were present.
fn put_trailer(out: &mut Vec<u8>, trailer: &Trailer) -> [bool; 3] {
    if let Some(status) = trailer.measurement_status {
        put_u16(out, status.bits());
    }
    if let Some(status) = trailer.device_sensor_status {
        put_u24(out, status.bits());
    }
    if let Some(index) = trailer.pulse_amplitude_index_pct {
        put_sfloat(out, index);
    }
    [
        trailer.measurement_status.is_some(),
        trailer.device_sensor_status.is_some(),
        trailer.pulse_amplitude_index_pct.is_some(),
    ]
}

fn read_pair(
    reader: &mut Reader<'_>,
    spo2: &'static str,
    pulse: &'static str,
) -> Result<Spo2PulseRate, DecodeError> {
    Ok(Spo2PulseRate {
        spo2_pct: reader.sfloat(spo2)?,
        pulse_rate_bpm: reader.sfloat(pulse)?,
    })
}

fn put_pair(out: &mut Vec<u8>, pair: Spo2PulseRate) {
    put_sfloat(out, pair.spo2_pct);
    put_sfloat(out, pair.pulse_rate_bpm);
}

fn flag(present: bool, bit: u8) -> u8 {
    if present { bit } else { 0 }
}

impl PlxSpotCheckMeasurement {
    /// Decodes a PLX Spot-Check Measurement value.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::PlxSpotCheckMeasurement, bytes);
        let flags = reader.u8("flags")?;
        let pair = read_pair(&mut reader, "spo2", "pulse_rate")?;
        let timestamp = match flags & SC_TIMESTAMP {
            0 => None,
            _ => Some(reader.date_time("timestamp")?),
        };
        let trailer = read_trailer(
            &mut reader,
            [
                flags & SC_MEASUREMENT_STATUS != 0,
                flags & SC_DEVICE_SENSOR_STATUS != 0,
                flags & SC_PULSE_AMPLITUDE_INDEX != 0,
            ],
        )?;
        Ok(PlxSpotCheckMeasurement {
            spo2_pct: pair.spo2_pct,
            pulse_rate_bpm: pair.pulse_rate_bpm,
            timestamp,
            measurement_status: trailer.measurement_status,
            device_sensor_status: trailer.device_sensor_status,
            pulse_amplitude_index_pct: trailer.pulse_amplitude_index_pct,
            device_clock_not_set: flags & SC_DEVICE_CLOCK_NOT_SET != 0,
        })
    }

    /// Encodes this reading, setting the flags from the fields present.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![0];
        put_pair(
            &mut out,
            Spo2PulseRate {
                spo2_pct: self.spo2_pct,
                pulse_rate_bpm: self.pulse_rate_bpm,
            },
        );
        if let Some(timestamp) = self.timestamp {
            put_date_time(&mut out, timestamp);
        }
        let [status, device, index] = put_trailer(
            &mut out,
            &Trailer {
                measurement_status: self.measurement_status,
                device_sensor_status: self.device_sensor_status,
                pulse_amplitude_index_pct: self.pulse_amplitude_index_pct,
            },
        );
        out[0] = flag(self.timestamp.is_some(), SC_TIMESTAMP)
            | flag(status, SC_MEASUREMENT_STATUS)
            | flag(device, SC_DEVICE_SENSOR_STATUS)
            | flag(index, SC_PULSE_AMPLITUDE_INDEX)
            | flag(self.device_clock_not_set, SC_DEVICE_CLOCK_NOT_SET);
        out
    }
}

impl PlxContinuousMeasurement {
    /// Decodes a PLX Continuous Measurement value.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::PlxContinuousMeasurement, bytes);
        let flags = reader.u8("flags")?;
        let normal = read_pair(&mut reader, "spo2", "pulse_rate")?;
        let fast = match flags & CM_FAST {
            0 => None,
            _ => Some(read_pair(&mut reader, "spo2_fast", "pulse_rate_fast")?),
        };
        let slow = match flags & CM_SLOW {
            0 => None,
            _ => Some(read_pair(&mut reader, "spo2_slow", "pulse_rate_slow")?),
        };
        let trailer = read_trailer(
            &mut reader,
            [
                flags & CM_MEASUREMENT_STATUS != 0,
                flags & CM_DEVICE_SENSOR_STATUS != 0,
                flags & CM_PULSE_AMPLITUDE_INDEX != 0,
            ],
        )?;
        Ok(PlxContinuousMeasurement {
            normal,
            fast,
            slow,
            measurement_status: trailer.measurement_status,
            device_sensor_status: trailer.device_sensor_status,
            pulse_amplitude_index_pct: trailer.pulse_amplitude_index_pct,
        })
    }

    /// Encodes this reading, setting the flags from the fields present.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![0];
        put_pair(&mut out, self.normal);
        if let Some(fast) = self.fast {
            put_pair(&mut out, fast);
        }
        if let Some(slow) = self.slow {
            put_pair(&mut out, slow);
        }
        let [status, device, index] = put_trailer(
            &mut out,
            &Trailer {
                measurement_status: self.measurement_status,
                device_sensor_status: self.device_sensor_status,
                pulse_amplitude_index_pct: self.pulse_amplitude_index_pct,
            },
        );
        out[0] = flag(self.fast.is_some(), CM_FAST)
            | flag(self.slow.is_some(), CM_SLOW)
            | flag(status, CM_MEASUREMENT_STATUS)
            | flag(device, CM_DEVICE_SENSOR_STATUS)
            | flag(index, CM_PULSE_AMPLITUDE_INDEX);
        out
    }
}

bit_field! {
    /// The Supported Features field of PLX Features.
    PlxSupportedFeatures(u16) {
        /// Measurement Status support is present (and so is its field).
        MEASUREMENT_STATUS_SUPPORT_PRESENT = 0;
        /// Device and Sensor Status support is present (and so is its field).
        DEVICE_SENSOR_STATUS_SUPPORT_PRESENT = 1;
        /// Measurement storage for spot-check measurements is supported.
        MEASUREMENT_STORAGE_SUPPORTED = 2;
        /// Timestamp for spot-check measurements is supported.
        TIMESTAMP_SUPPORTED = 3;
        /// SpO2PR-Fast is supported.
        SPO2PR_FAST_SUPPORTED = 4;
        /// SpO2PR-Slow is supported.
        SPO2PR_SLOW_SUPPORTED = 5;
        /// Pulse amplitude index is supported.
        PULSE_AMPLITUDE_INDEX_SUPPORTED = 6;
        /// Multiple bonds are supported.
        MULTIPLE_BONDS_SUPPORTED = 7;
    }
}

/// What a pulse oximeter supports (0x2A60).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlxFeatures {
    /// The supported features; bits 0 and 1 say whether the two fields below are present.
    pub supported: PlxSupportedFeatures,
    /// Which measurement status bits the oximeter can set.
    pub measurement_status_support: Option<PlxMeasurementStatus>,
    /// Which device and sensor status bits the oximeter can set.
    pub device_sensor_status_support: Option<PlxDeviceSensorStatus>,
}

impl PlxFeatures {
    /// Decodes a PLX Features value.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::PlxFeatures, bytes);
        let supported = PlxSupportedFeatures(reader.u16("supported_features")?);
        let measurement_status_support =
            match supported.contains(PlxSupportedFeatures::MEASUREMENT_STATUS_SUPPORT_PRESENT) {
                true => Some(PlxMeasurementStatus(
                    reader.u16("measurement_status_support")?,
                )),
                false => None,
            };
        let device_sensor_status_support =
            match supported.contains(PlxSupportedFeatures::DEVICE_SENSOR_STATUS_SUPPORT_PRESENT) {
                true => Some(PlxDeviceSensorStatus(
                    reader.u24("device_sensor_status_support")?,
                )),
                false => None,
            };
        Ok(PlxFeatures {
            supported,
            measurement_status_support,
            device_sensor_status_support,
        })
    }

    /// Encodes these features; bits 0 and 1 are set from the fields present.
    pub fn encode(&self) -> Vec<u8> {
        let presence = flag(self.measurement_status_support.is_some(), 1)
            | flag(self.device_sensor_status_support.is_some(), 2);
        let mut out = Vec::new();
        put_u16(
            &mut out,
            (self.supported.bits() & !0b11) | u16::from(presence),
        );
        if let Some(support) = self.measurement_status_support {
            put_u16(&mut out, support.bits());
        }
        if let Some(support) = self.device_sensor_status_support {
            put_u24(&mut out, support.bits());
        }
        out
    }
}
