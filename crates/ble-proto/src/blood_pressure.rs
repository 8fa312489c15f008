//! Blood Pressure Service (BLS 0x1810) values: Blood Pressure Measurement (0x2A35),
//! Intermediate Cuff Pressure (0x2A36) and Blood Pressure Feature (0x2A49).

use crate::bits::bit_field;
use crate::characteristic::Characteristic;
use crate::date_time::DateTime;
use crate::error::DecodeError;
use crate::medfloat::Sfloat;
use crate::wire::{Reader, expect_length, put_date_time, put_sfloat, put_u16};

/// The unit of the pressures (flag bit 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PressureUnit {
    /// Millimetres of mercury.
    MillimetreOfMercury,
    /// Kilopascals.
    Kilopascal,
}

/// A finished blood pressure reading (0x2A35).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BloodPressureMeasurement {
    /// The unit of the three pressures.
    pub unit: PressureUnit,
    /// Systolic pressure.
    pub systolic: Sfloat,
    /// Diastolic pressure.
    pub diastolic: Sfloat,
    /// Mean arterial pressure.
    pub mean_arterial: Sfloat,
    /// When the reading was taken, by the cuff's clock.
    pub timestamp: Option<DateTime>,
    /// Pulse rate in beats per minute.
    pub pulse_rate: Option<Sfloat>,
    /// The cuff's user (255 = unknown user).
    pub user_id: Option<u8>,
    /// What the cuff noticed during the reading.
    pub status: Option<BloodPressureStatus>,
}

/// The live cuff pressure while the cuff inflates (0x2A36): display only, never stored.
///
/// On the air it has the layout of [`BloodPressureMeasurement`] with the diastolic and mean
/// arterial slots unused (NaN); the decoder skips them and the encoder writes NaN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntermediateCuffPressure {
    /// The unit of the cuff pressure.
    pub unit: PressureUnit,
    /// The current cuff pressure.
    pub cuff_pressure: Sfloat,
    /// When the value was taken, by the cuff's clock.
    pub timestamp: Option<DateTime>,
    /// Pulse rate in beats per minute.
    pub pulse_rate: Option<Sfloat>,
    /// The cuff's user (255 = unknown user).
    pub user_id: Option<u8>,
    /// What the cuff noticed so far.
    pub status: Option<BloodPressureStatus>,
}

bit_field! {
    /// Blood pressure measurement status. Bits 3–4 are a two-bit field, read with
    /// [`BloodPressureStatus::pulse_rate_range`].
    BloodPressureStatus(u16) {
        /// The body moved during the measurement.
        BODY_MOVEMENT = 0;
        /// The cuff was too loose.
        CUFF_TOO_LOOSE = 1;
        /// An irregular pulse was detected.
        IRREGULAR_PULSE = 2;
        /// The measurement position was improper.
        IMPROPER_MEASUREMENT_POSITION = 5;
    }
}

/// The pulse-rate range in bits 3–4 of the measurement status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PulseRateRange {
    /// 0: the pulse rate is within range.
    WithinRange,
    /// 1: the pulse rate exceeds the upper limit.
    ExceedsUpperLimit,
    /// 2: the pulse rate is below the lower limit.
    BelowLowerLimit,
    /// 3: reserved.
    Reserved,
}

impl BloodPressureStatus {
    /// The pulse-rate range reported in bits 3–4.
    pub const fn pulse_rate_range(self) -> PulseRateRange {
        match (self.0 >> 3) & 0b11 {
            0 => PulseRateRange::WithinRange,
            1 => PulseRateRange::ExceedsUpperLimit,
            2 => PulseRateRange::BelowLowerLimit,
            _ => PulseRateRange::Reserved,
        }
    }
}

const UNIT_KPA: u8 = 1 << 0;
const TIMESTAMP: u8 = 1 << 1;
const PULSE_RATE: u8 = 1 << 2;
const USER_ID: u8 = 1 << 3;
const STATUS: u8 = 1 << 4;

/// The fields after the pressures, shared by both characteristics.
struct Trailer {
    timestamp: Option<DateTime>,
    pulse_rate: Option<Sfloat>,
    user_id: Option<u8>,
    status: Option<BloodPressureStatus>,
}

fn unit_of(flags: u8) -> PressureUnit {
    if flags & UNIT_KPA == 0 {
        PressureUnit::MillimetreOfMercury
    } else {
        PressureUnit::Kilopascal
    }
}

fn read_trailer(reader: &mut Reader<'_>, flags: u8) -> Result<Trailer, DecodeError> {
    Ok(Trailer {
        timestamp: match flags & TIMESTAMP {
            0 => None,
            _ => Some(reader.date_time("timestamp")?),
        },
        pulse_rate: match flags & PULSE_RATE {
            0 => None,
            _ => Some(reader.sfloat("pulse_rate")?),
        },
        user_id: match flags & USER_ID {
            0 => None,
            _ => Some(reader.u8("user_id")?),
        },
        status: match flags & STATUS {
            0 => None,
            _ => Some(BloodPressureStatus(reader.u16("measurement_status")?)),
        },
    })
}

fn encode(unit: PressureUnit, pressures: [Sfloat; 3], trailer: &Trailer) -> Vec<u8> {
    let mut flags = match unit {
        PressureUnit::MillimetreOfMercury => 0,
        PressureUnit::Kilopascal => UNIT_KPA,
    };
    let mut out = vec![0];
    for pressure in pressures {
        put_sfloat(&mut out, pressure);
    }
    if let Some(timestamp) = trailer.timestamp {
        flags |= TIMESTAMP;
        put_date_time(&mut out, timestamp);
    }
    if let Some(pulse_rate) = trailer.pulse_rate {
        flags |= PULSE_RATE;
        put_sfloat(&mut out, pulse_rate);
    }
    if let Some(user_id) = trailer.user_id {
        flags |= USER_ID;
        out.push(user_id);
    }
    if let Some(status) = trailer.status {
        flags |= STATUS;
        put_u16(&mut out, status.bits());
    }
    out[0] = flags;
    out
}

impl BloodPressureMeasurement {
    /// Decodes a Blood Pressure Measurement value.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::BloodPressureMeasurement, bytes);
        let flags = reader.u8("flags")?;
        let systolic = reader.sfloat("systolic")?;
        let diastolic = reader.sfloat("diastolic")?;
        let mean_arterial = reader.sfloat("mean_arterial")?;
        let trailer = read_trailer(&mut reader, flags)?;
        Ok(BloodPressureMeasurement {
            unit: unit_of(flags),
            systolic,
            diastolic,
            mean_arterial,
            timestamp: trailer.timestamp,
            pulse_rate: trailer.pulse_rate,
            user_id: trailer.user_id,
            status: trailer.status,
        })
    }

    /// Encodes this measurement, setting the flags from the fields present.
    pub fn encode(&self) -> Vec<u8> {
        let trailer = Trailer {
            timestamp: self.timestamp,
            pulse_rate: self.pulse_rate,
            user_id: self.user_id,
            status: self.status,
        };
        encode(
            self.unit,
            [self.systolic, self.diastolic, self.mean_arterial],
            &trailer,
        )
    }
}

impl IntermediateCuffPressure {
    /// Decodes an Intermediate Cuff Pressure value; the unused slots are read and ignored.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::IntermediateCuffPressure, bytes);
        let flags = reader.u8("flags")?;
        let cuff_pressure = reader.sfloat("cuff_pressure")?;
        reader.sfloat("diastolic")?;
        reader.sfloat("mean_arterial")?;
        let trailer = read_trailer(&mut reader, flags)?;
        Ok(IntermediateCuffPressure {
            unit: unit_of(flags),
            cuff_pressure,
            timestamp: trailer.timestamp,
            pulse_rate: trailer.pulse_rate,
            user_id: trailer.user_id,
            status: trailer.status,
        })
    }

    /// Encodes this value with NaN in the unused diastolic and mean arterial slots.
    pub fn encode(&self) -> Vec<u8> {
        let trailer = Trailer {
            timestamp: self.timestamp,
            pulse_rate: self.pulse_rate,
            user_id: self.user_id,
            status: self.status,
        };
        encode(
            self.unit,
            [self.cuff_pressure, Sfloat::NAN, Sfloat::NAN],
            &trailer,
        )
    }
}

bit_field! {
    /// What a blood pressure monitor supports (0x2A49, 2 octets).
    BloodPressureFeatures(u16) {
        /// Body movement detection.
        BODY_MOVEMENT_DETECTION = 0;
        /// Cuff fit detection.
        CUFF_FIT_DETECTION = 1;
        /// Irregular pulse detection.
        IRREGULAR_PULSE_DETECTION = 2;
        /// Pulse rate range detection.
        PULSE_RATE_RANGE_DETECTION = 3;
        /// Measurement position detection.
        MEASUREMENT_POSITION_DETECTION = 4;
        /// Multiple bonds.
        MULTIPLE_BOND = 5;
    }
}

impl BloodPressureFeatures {
    /// Decodes a Blood Pressure Feature value (exactly 2 octets).
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        expect_length(Characteristic::BloodPressureFeature, bytes, &[2])?;
        Reader::new(Characteristic::BloodPressureFeature, bytes)
            .u16("features")
            .map(BloodPressureFeatures)
    }

    /// Encodes this Blood Pressure Feature value.
    pub fn encode(&self) -> Vec<u8> {
        self.0.to_le_bytes().to_vec()
    }
}
