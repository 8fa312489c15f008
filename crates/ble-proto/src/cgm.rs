//! Continuous Glucose Monitoring Service (CGMS 0x181F) values: CGM Measurement (0x2AA7),
//! CGM Feature (0x2AA8), CGM Status (0x2AA9), CGM Session Start Time (0x2AAA) and CGM Session
//! Run Time (0x2AAB).
//!
//! Structs keep an E2E-CRC as received; decoders check every CRC that is present, and a
//! mismatch is an error. Encoders compute the CRC afresh whenever one is present (`Some`), so
//! a decoded value re-encodes to a valid one even when its flags had reserved bits set; a
//! simulated sensor that wants to send a wrong CRC flips octets after encoding.
//! `with_e2e_crc` fills in the right value, for comparing with decoded values.
//!
//! Whether a value carries an E2E-CRC is read from its length (decoding policy 6): a CGM
//! record carries one exactly when its Size equals its flagged fields + 2, and CGM Status,
//! Session Start Time and Session Run Time when they are 2 octets longer than without. In a
//! live session the CGM Feature characteristic says whether the sensor sends CRCs; the session
//! layer checks that the two agree.

use crate::bits::bit_field;
use crate::characteristic::Characteristic;
use crate::crc::e2e_crc;
use crate::date_time::DateTime;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::medfloat::Sfloat;
use crate::wire::{Reader, expect_length, put_date_time, put_sfloat, put_u16, put_u24};

/// The Sensor Status Annunciation octets of a CGM record, each present only when flagged.
///
/// They are read in the order the CGMS specification lists them: status, cal/temp, warning.
/// Nordic's library reads the warning octet first; the on-air order is unverified on a real
/// sensor, which is why the CLI reports the octets in wire order rather than by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CgmAnnunciation {
    /// The status octet (annunciation bits 0–7), flag bit 7.
    pub status: Option<u8>,
    /// The cal/temp octet (bits 8–15), flag bit 6.
    pub cal_temp: Option<u8>,
    /// The warning octet (bits 16–23), flag bit 5.
    pub warning: Option<u8>,
}

impl CgmAnnunciation {
    /// The present octets in wire order.
    pub fn octets(&self) -> impl Iterator<Item = u8> + '_ {
        [self.status, self.cal_temp, self.warning]
            .into_iter()
            .flatten()
    }
}

/// One record of a CGM Measurement value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CgmMeasurementRecord {
    /// Glucose concentration in mg/dL.
    pub glucose_mg_dl: Sfloat,
    /// Minutes since the session started; the record's key.
    pub time_offset_min: u16,
    /// Sensor Status Annunciation octets.
    pub annunciation: CgmAnnunciation,
    /// Glucose trend in (mg/dL)/min.
    pub trend_mg_dl_per_min: Option<Sfloat>,
    /// Measurement quality in percent.
    pub quality_pct: Option<Sfloat>,
    /// The E2E-CRC, as received (always valid after decoding).
    pub e2e_crc: Option<u16>,
}

/// A CGM Measurement value: one or more records (0x2AA7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgmMeasurement {
    /// The records, in the order sent.
    pub records: Vec<CgmMeasurementRecord>,
}

const TREND: u8 = 1 << 0;
const QUALITY: u8 = 1 << 1;
const WARNING: u8 = 1 << 5;
const CAL_TEMP: u8 = 1 << 6;
const STATUS: u8 = 1 << 7;

/// The octets before the optional fields: size, flags, glucose, time offset.
const RECORD_HEADER_LEN: usize = 6;

impl CgmMeasurementRecord {
    /// This record with the E2E-CRC that matches its other fields.
    pub fn with_e2e_crc(mut self) -> Self {
        // Size counts the CRC, so mark it present before computing.
        self.e2e_crc = Some(0);
        let octets = self.encode_without_crc();
        self.e2e_crc = Some(e2e_crc(&octets));
        self
    }

    fn flags(&self) -> u8 {
        let mut flags = 0;
        let bits = [
            (self.trend_mg_dl_per_min.is_some(), TREND),
            (self.quality_pct.is_some(), QUALITY),
            (self.annunciation.warning.is_some(), WARNING),
            (self.annunciation.cal_temp.is_some(), CAL_TEMP),
            (self.annunciation.status.is_some(), STATUS),
        ];
        for (present, bit) in bits {
            if present {
                flags |= bit;
            }
        }
        flags
    }

    /// The record up to (not including) the CRC, with Size counting the CRC if there is one.
    fn encode_without_crc(&self) -> Vec<u8> {
        let mut out = vec![0, self.flags()];
        put_sfloat(&mut out, self.glucose_mg_dl);
        put_u16(&mut out, self.time_offset_min);
        out.extend(self.annunciation.octets());
        if let Some(trend) = self.trend_mg_dl_per_min {
            put_sfloat(&mut out, trend);
        }
        if let Some(quality) = self.quality_pct {
            put_sfloat(&mut out, quality);
        }
        let size = out.len() + if self.e2e_crc.is_some() { 2 } else { 0 };
        // A record is at most 6 + 3 + 2 + 2 + 2 = 15 octets, so Size always fits.
        out[0] = u8::try_from(size).unwrap_or(u8::MAX);
        out
    }

    /// Appends this record to `out`, with a freshly computed E2E-CRC when `e2e_crc` is `Some`.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        let record = self.encode_without_crc();
        out.extend_from_slice(&record);
        if self.e2e_crc.is_some() {
            put_u16(out, e2e_crc(&record));
        }
    }

    fn decode(record: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::CgmMeasurement, record);
        let size = reader.u8("size")?;
        let flags = reader.u8("flags")?;
        let flagged = RECORD_HEADER_LEN
            + [WARNING, CAL_TEMP, STATUS]
                .iter()
                .filter(|&&bit| flags & bit != 0)
                .count()
            + [TREND, QUALITY]
                .iter()
                .filter(|&&bit| flags & bit != 0)
                .count()
                * 2;
        let has_crc = match usize::from(size) {
            length if length == flagged => false,
            length if length == flagged + 2 => true,
            _ => return Err(reader.error(DecodeErrorKind::RecordSize { size, flagged })),
        };
        let glucose_mg_dl = reader.sfloat("glucose")?;
        let time_offset_min = reader.u16("time_offset")?;
        let mut octet = |bit: u8, field| match flags & bit {
            0 => Ok(None),
            _ => reader.u8(field).map(Some),
        };
        let annunciation = CgmAnnunciation {
            status: octet(STATUS, "status_octet")?,
            cal_temp: octet(CAL_TEMP, "cal_temp_octet")?,
            warning: octet(WARNING, "warning_octet")?,
        };
        let trend_mg_dl_per_min = match flags & TREND {
            0 => None,
            _ => Some(reader.sfloat("trend")?),
        };
        let quality_pct = match flags & QUALITY {
            0 => None,
            _ => Some(reader.sfloat("quality")?),
        };
        let e2e_crc = match has_crc {
            false => None,
            true => {
                let protected = record.len().saturating_sub(2);
                let computed = e2e_crc(record.get(..protected).unwrap_or_default());
                let received = reader.u16("e2e_crc")?;
                if received != computed {
                    return Err(reader.error(DecodeErrorKind::CrcMismatch {
                        field: "e2e_crc",
                        received,
                        computed,
                    }));
                }
                Some(received)
            }
        };
        Ok(CgmMeasurementRecord {
            glucose_mg_dl,
            time_offset_min,
            annunciation,
            trend_mg_dl_per_min,
            quality_pct,
            e2e_crc,
        })
    }
}

impl CgmMeasurement {
    /// Decodes a CGM Measurement value: records back to back, each starting with its Size.
    /// An empty value, or octets after the last record that do not form a whole record, are
    /// errors.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::CgmMeasurement, bytes);
        let mut records = Vec::new();
        loop {
            let size = match reader.rest().first() {
                Some(&size) => usize::from(size),
                None if records.is_empty() => {
                    return Err(reader.error(DecodeErrorKind::Truncated {
                        field: "size",
                        needed: 1,
                        available: 0,
                    }));
                }
                None => break,
            };
            if size < RECORD_HEADER_LEN {
                return Err(reader.error(DecodeErrorKind::OutOfRange {
                    field: "size",
                    value: size as u32,
                }));
            }
            let record = reader.slice("record", size)?;
            records.push(CgmMeasurementRecord::decode(record)?);
        }
        Ok(CgmMeasurement { records })
    }

    /// Encodes the records back to back.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for record in &self.records {
            record.encode_into(&mut out);
        }
        out
    }
}

/// Checks and returns the trailing E2E-CRC of a value whose length says it has one.
fn check_trailing_crc(
    characteristic: Characteristic,
    bytes: &[u8],
    protected_len: usize,
) -> Result<Option<u16>, DecodeError> {
    let Some((protected, crc)) = bytes.split_at_checked(protected_len) else {
        return Ok(None);
    };
    let Ok(crc) = <[u8; 2]>::try_from(crc) else {
        return Ok(None);
    };
    let received = u16::from_le_bytes(crc);
    let computed = e2e_crc(protected);
    if received == computed {
        Ok(Some(received))
    } else {
        Err(DecodeError {
            characteristic,
            kind: DecodeErrorKind::CrcMismatch {
                field: "e2e_crc",
                received,
                computed,
            },
        })
    }
}

bit_field! {
    /// The 24-bit CGM Feature field.
    CgmFeatures(u32) {
        /// Calibration supported.
        CALIBRATION_SUPPORTED = 0;
        /// Patient high/low alerts supported.
        PATIENT_HIGH_LOW_ALERTS_SUPPORTED = 1;
        /// Hypo alerts supported.
        HYPO_ALERTS_SUPPORTED = 2;
        /// Hyper alerts supported.
        HYPER_ALERTS_SUPPORTED = 3;
        /// Rate of increase/decrease alerts supported.
        RATE_OF_INCREASE_DECREASE_ALERTS_SUPPORTED = 4;
        /// Device specific alert supported.
        DEVICE_SPECIFIC_ALERT_SUPPORTED = 5;
        /// Sensor malfunction detection supported.
        SENSOR_MALFUNCTION_DETECTION_SUPPORTED = 6;
        /// Sensor temperature high-low detection supported.
        SENSOR_TEMPERATURE_HIGH_LOW_DETECTION_SUPPORTED = 7;
        /// Sensor result high-low detection supported.
        SENSOR_RESULT_HIGH_LOW_DETECTION_SUPPORTED = 8;
        /// Low battery detection supported.
        LOW_BATTERY_DETECTION_SUPPORTED = 9;
        /// Sensor type error detection supported.
        SENSOR_TYPE_ERROR_DETECTION_SUPPORTED = 10;
        /// General device fault supported.
        GENERAL_DEVICE_FAULT_SUPPORTED = 11;
        /// E2E-CRC supported.
        E2E_CRC_SUPPORTED = 12;
        /// Multiple bond supported.
        MULTIPLE_BOND_SUPPORTED = 13;
        /// Multiple sessions supported.
        MULTIPLE_SESSIONS_SUPPORTED = 14;
        /// CGM trend information supported.
        CGM_TREND_INFORMATION_SUPPORTED = 15;
        /// CGM quality supported.
        CGM_QUALITY_SUPPORTED = 16;
    }
}

/// What a CGM sensor supports (0x2AA8, 6 octets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CgmFeature {
    /// The 24-bit feature field.
    pub features: CgmFeatures,
    /// Sample type (low nibble): the GLS types, 9 = interstitial fluid.
    pub sample_type: u8,
    /// Sample location (high nibble): 5 subcutaneous tissue, 15 not available …
    pub sample_location: u8,
    /// The E2E-CRC (0xFFFF when E2E-CRC is not supported), as received.
    pub e2e_crc: u16,
}

impl CgmFeature {
    /// Decodes a CGM Feature value (exactly 6 octets). The CRC is checked only when the
    /// features say E2E-CRC is supported; otherwise it should be 0xFFFF and is kept as sent.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        expect_length(Characteristic::CgmFeature, bytes, &[6])?;
        let mut reader = Reader::new(Characteristic::CgmFeature, bytes);
        let features = CgmFeatures(reader.u24("features")?);
        let type_location = reader.u8("type_sample_location")?;
        let e2e_crc = if features.contains(CgmFeatures::E2E_CRC_SUPPORTED) {
            check_trailing_crc(Characteristic::CgmFeature, bytes, 4)?.unwrap_or_default()
        } else {
            reader.u16("e2e_crc")?
        };
        Ok(CgmFeature {
            features,
            sample_type: type_location & 0x0F,
            sample_location: type_location >> 4,
            e2e_crc,
        })
    }

    /// This value with the right E2E-CRC: computed when E2E-CRC is supported, 0xFFFF otherwise.
    pub fn with_e2e_crc(mut self) -> Self {
        self.e2e_crc = self.computed_crc().unwrap_or(0xFFFF);
        self
    }

    fn protected_octets(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(6);
        put_u24(&mut out, self.features.bits());
        out.push((self.sample_type & 0x0F) | (self.sample_location << 4));
        out
    }

    fn computed_crc(&self) -> Option<u16> {
        self.features
            .contains(CgmFeatures::E2E_CRC_SUPPORTED)
            .then(|| e2e_crc(&self.protected_octets()))
    }

    /// Encodes this value: with a computed CRC when E2E-CRC is supported, with the stored
    /// `e2e_crc` (normally 0xFFFF) otherwise.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = self.protected_octets();
        put_u16(&mut out, self.computed_crc().unwrap_or(self.e2e_crc));
        out
    }
}

bit_field! {
    /// The 24-bit CGM sensor status annunciation of CGM Status (octet 0 status, octet 1
    /// cal/temp, octet 2 warning).
    CgmSensorStatus(u32) {
        /// Session stopped.
        SESSION_STOPPED = 0;
        /// Device battery low.
        DEVICE_BATTERY_LOW = 1;
        /// Sensor type incorrect for device.
        SENSOR_TYPE_INCORRECT = 2;
        /// Sensor malfunction.
        SENSOR_MALFUNCTION = 3;
        /// Device specific alert.
        DEVICE_SPECIFIC_ALERT = 4;
        /// General device fault has occurred in the sensor.
        GENERAL_DEVICE_FAULT = 5;
        /// Time synchronization between sensor and collector required.
        TIME_SYNCHRONIZATION_REQUIRED = 8;
        /// Calibration not allowed.
        CALIBRATION_NOT_ALLOWED = 9;
        /// Calibration recommended.
        CALIBRATION_RECOMMENDED = 10;
        /// Calibration required.
        CALIBRATION_REQUIRED = 11;
        /// Sensor temperature too high for valid test/result at time of measurement.
        SENSOR_TEMPERATURE_TOO_HIGH = 12;
        /// Sensor temperature too low for valid test/result at time of measurement.
        SENSOR_TEMPERATURE_TOO_LOW = 13;
        /// Sensor result lower than the patient low level.
        RESULT_LOWER_THAN_PATIENT_LOW = 16;
        /// Sensor result higher than the patient high level.
        RESULT_HIGHER_THAN_PATIENT_HIGH = 17;
        /// Sensor result lower than the hypo level.
        RESULT_LOWER_THAN_HYPO = 18;
        /// Sensor result higher than the hyper level.
        RESULT_HIGHER_THAN_HYPER = 19;
        /// Sensor rate of decrease exceeded.
        RATE_OF_DECREASE_EXCEEDED = 20;
        /// Sensor rate of increase exceeded.
        RATE_OF_INCREASE_EXCEEDED = 21;
        /// Sensor result lower than the device can process.
        RESULT_LOWER_THAN_DEVICE_CAN_PROCESS = 22;
        /// Sensor result higher than the device can process.
        RESULT_HIGHER_THAN_DEVICE_CAN_PROCESS = 23;
    }
}

/// The sensor's current state (0x2AA9): 5 octets, or 7 with an E2E-CRC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CgmStatus {
    /// The current Time Offset in minutes.
    pub time_offset_min: u16,
    /// The current status annunciation.
    pub status: CgmSensorStatus,
    /// The E2E-CRC, as received (always valid after decoding).
    pub e2e_crc: Option<u16>,
}

impl CgmStatus {
    /// Decodes a CGM Status value.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        expect_length(Characteristic::CgmStatus, bytes, &[5, 7])?;
        let mut reader = Reader::new(Characteristic::CgmStatus, bytes);
        Ok(CgmStatus {
            time_offset_min: reader.u16("time_offset")?,
            status: CgmSensorStatus(reader.u24("status")?),
            e2e_crc: check_trailing_crc(Characteristic::CgmStatus, bytes, 5)?,
        })
    }

    /// This value with the E2E-CRC that matches its fields.
    pub fn with_e2e_crc(mut self) -> Self {
        self.e2e_crc = None;
        let octets = self.encode();
        self.e2e_crc = Some(e2e_crc(&octets));
        self
    }

    /// Encodes this value, with a freshly computed E2E-CRC when `e2e_crc` is `Some`.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(7);
        put_u16(&mut out, self.time_offset_min);
        put_u24(&mut out, self.status.bits());
        if self.e2e_crc.is_some() {
            let crc = e2e_crc(&out);
            put_u16(&mut out, crc);
        }
        out
    }
}

/// When the sensor session started, in user-facing local time (0x2AAA): 9 octets, or 11 with
/// an E2E-CRC. The collector writes it after a session starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CgmSessionStartTime {
    /// The session start, as the collector's local time.
    pub start: DateTime,
    /// Time zone offset from UTC in 15-minute steps (−48…+56; −128 unknown).
    pub time_zone: i8,
    /// Daylight saving offset: 0 standard, 2 +0.5 h, 4 +1 h, 8 +2 h, 255 unknown.
    pub dst_offset: u8,
    /// The E2E-CRC, as received (always valid after decoding).
    pub e2e_crc: Option<u16>,
}

impl CgmSessionStartTime {
    /// Decodes a CGM Session Start Time value. Time zone and DST offset are kept as sent.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        expect_length(Characteristic::CgmSessionStartTime, bytes, &[9, 11])?;
        let mut reader = Reader::new(Characteristic::CgmSessionStartTime, bytes);
        Ok(CgmSessionStartTime {
            start: reader.date_time("session_start_time")?,
            time_zone: reader.i8("time_zone")?,
            dst_offset: reader.u8("dst_offset")?,
            e2e_crc: check_trailing_crc(Characteristic::CgmSessionStartTime, bytes, 9)?,
        })
    }

    /// This value with the E2E-CRC that matches its fields.
    pub fn with_e2e_crc(mut self) -> Self {
        self.e2e_crc = None;
        let octets = self.encode();
        self.e2e_crc = Some(e2e_crc(&octets));
        self
    }

    /// Encodes this value, with a freshly computed E2E-CRC when `e2e_crc` is `Some`.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(11);
        put_date_time(&mut out, self.start);
        out.extend_from_slice(&self.time_zone.to_le_bytes());
        out.push(self.dst_offset);
        if self.e2e_crc.is_some() {
            let crc = e2e_crc(&out);
            put_u16(&mut out, crc);
        }
        out
    }
}

/// How long the sensor session is expected to run (0x2AAB): 2 octets, or 4 with an E2E-CRC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CgmSessionRunTime {
    /// Expected run time in hours.
    pub run_time_hours: u16,
    /// The E2E-CRC, as received (always valid after decoding).
    pub e2e_crc: Option<u16>,
}

impl CgmSessionRunTime {
    /// Decodes a CGM Session Run Time value.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        expect_length(Characteristic::CgmSessionRunTime, bytes, &[2, 4])?;
        let mut reader = Reader::new(Characteristic::CgmSessionRunTime, bytes);
        Ok(CgmSessionRunTime {
            run_time_hours: reader.u16("run_time")?,
            e2e_crc: check_trailing_crc(Characteristic::CgmSessionRunTime, bytes, 2)?,
        })
    }

    /// This value with the E2E-CRC that matches its fields.
    pub fn with_e2e_crc(mut self) -> Self {
        self.e2e_crc = None;
        let octets = self.encode();
        self.e2e_crc = Some(e2e_crc(&octets));
        self
    }

    /// Encodes this value, with a freshly computed E2E-CRC when `e2e_crc` is `Some`.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4);
        put_u16(&mut out, self.run_time_hours);
        if self.e2e_crc.is_some() {
            let crc = e2e_crc(&out);
            put_u16(&mut out, crc);
        }
        out
    }
}
