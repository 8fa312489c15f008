//! Weight Scale Service (WSS 0x181D) and Body Composition Service (BCS 0x181B) values: Weight
//! Measurement (0x2A9D), Weight Scale Feature (0x2A9E) and Body Composition Measurement
//! (0x2A9C).
//!
//! Masses and lengths travel as uint16 counts of a fixed resolution; the structs keep those raw
//! counts and [`UnitSystem`] turns them into exact [`Decimal`]s.

use crate::bits::bit_field;
use crate::characteristic::Characteristic;
use crate::date_time::DateTime;
use crate::decimal::Decimal;
use crate::error::DecodeError;
use crate::wire::{Reader, expect_length, put_date_time, put_u16, put_u32};

/// The raw mass value a scale sends when the measurement failed.
pub const MEASUREMENT_UNSUCCESSFUL: u16 = 0xFFFF;

/// SI (kilograms, metres) or imperial (pounds, inches), flag bit 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitSystem {
    /// Kilograms and metres.
    Si,
    /// Pounds and inches.
    Imperial,
}

impl UnitSystem {
    /// A raw mass: × 0.005 kg or × 0.01 lb.
    pub const fn mass(self, raw: u16) -> Decimal {
        match self {
            UnitSystem::Si => Decimal::new(raw as i32 * 5, -3),
            UnitSystem::Imperial => Decimal::new(raw as i32, -2),
        }
    }

    /// A raw height: × 0.001 m or × 0.1 in.
    pub const fn height(self, raw: u16) -> Decimal {
        match self {
            UnitSystem::Si => Decimal::new(raw as i32, -3),
            UnitSystem::Imperial => Decimal::new(raw as i32, -1),
        }
    }

    const fn from_flags(flags: u16) -> Self {
        if flags & 1 == 0 {
            UnitSystem::Si
        } else {
            UnitSystem::Imperial
        }
    }

    const fn flag(self) -> u16 {
        match self {
            UnitSystem::Si => 0,
            UnitSystem::Imperial => 1,
        }
    }
}

/// A raw count with resolution 0.1 (BMI in kg/m², percentages, impedance in Ω).
pub const fn tenths(raw: u16) -> Decimal {
    Decimal::new(raw as i32, -1)
}

/// A weighing (0x2A9D).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightMeasurement {
    /// The unit system of the weight and height.
    pub unit_system: UnitSystem,
    /// The raw weight (see [`UnitSystem::mass`]); [`MEASUREMENT_UNSUCCESSFUL`] when it failed.
    pub weight: u16,
    /// When the weighing happened, by the scale's clock.
    pub timestamp: Option<DateTime>,
    /// The scale's user (255 = unknown user).
    pub user_id: Option<u8>,
    /// BMI and height, sent together.
    pub bmi_and_height: Option<BmiAndHeight>,
}

/// BMI and height from a weight scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BmiAndHeight {
    /// Raw BMI (see [`tenths`]).
    pub bmi: u16,
    /// Raw height (see [`UnitSystem::height`]).
    pub height: u16,
}

impl WeightMeasurement {
    /// The weight as a number, or `None` when the measurement was unsuccessful.
    pub const fn weight_value(&self) -> Option<Decimal> {
        if self.weight == MEASUREMENT_UNSUCCESSFUL {
            None
        } else {
            Some(self.unit_system.mass(self.weight))
        }
    }

    /// Decodes a Weight Measurement value.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::WeightMeasurement, bytes);
        let flags = reader.u8("flags")?;
        let weight = reader.u16("weight")?;
        let timestamp = match flags & WM_TIMESTAMP {
            0 => None,
            _ => Some(reader.date_time("timestamp")?),
        };
        let user_id = match flags & WM_USER_ID {
            0 => None,
            _ => Some(reader.u8("user_id")?),
        };
        let bmi_and_height = match flags & WM_BMI_AND_HEIGHT {
            0 => None,
            _ => Some(BmiAndHeight {
                bmi: reader.u16("bmi")?,
                height: reader.u16("height")?,
            }),
        };
        Ok(WeightMeasurement {
            unit_system: UnitSystem::from_flags(u16::from(flags)),
            weight,
            timestamp,
            user_id,
            bmi_and_height,
        })
    }

    /// Encodes this weighing, setting the flags from the fields present.
    pub fn encode(&self) -> Vec<u8> {
        let mut flags = self.unit_system.flag() as u8;
        let mut out = vec![0];
        put_u16(&mut out, self.weight);
        if let Some(timestamp) = self.timestamp {
            flags |= WM_TIMESTAMP;
            put_date_time(&mut out, timestamp);
        }
        if let Some(user_id) = self.user_id {
            flags |= WM_USER_ID;
            out.push(user_id);
        }
        if let Some(bmi_and_height) = self.bmi_and_height {
            flags |= WM_BMI_AND_HEIGHT;
            put_u16(&mut out, bmi_and_height.bmi);
            put_u16(&mut out, bmi_and_height.height);
        }
        out[0] = flags;
        out
    }
}

const WM_TIMESTAMP: u8 = 1 << 1;
const WM_USER_ID: u8 = 1 << 2;
const WM_BMI_AND_HEIGHT: u8 = 1 << 3;

bit_field! {
    /// What a weight scale supports (0x2A9E, 4 octets). Bits 3–6 and 7–9 are resolution
    /// fields, read with [`WeightScaleFeatures::weight_resolution`] and
    /// [`WeightScaleFeatures::height_resolution`].
    WeightScaleFeatures(u32) {
        /// Time stamps are supported.
        TIMESTAMP_SUPPORTED = 0;
        /// Multiple users are supported.
        MULTIPLE_USERS_SUPPORTED = 1;
        /// BMI is supported.
        BMI_SUPPORTED = 2;
    }
}

impl WeightScaleFeatures {
    /// The weight resolution code (bits 3–6): 0 not specified, 1 = 0.5 kg / 1 lb …
    /// 7 = 0.005 kg / 0.01 lb.
    pub const fn weight_resolution(self) -> u8 {
        ((self.0 >> 3) & 0x0F) as u8
    }

    /// The height resolution code (bits 7–9): 0 not specified, 1 = 0.01 m / 1 in,
    /// 2 = 0.005 m / 0.5 in, 3 = 0.001 m / 0.1 in.
    pub const fn height_resolution(self) -> u8 {
        ((self.0 >> 7) & 0x07) as u8
    }

    /// Decodes a Weight Scale Feature value (exactly 4 octets).
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        expect_length(Characteristic::WeightScaleFeature, bytes, &[4])?;
        Reader::new(Characteristic::WeightScaleFeature, bytes)
            .u32("features")
            .map(WeightScaleFeatures)
    }

    /// Encodes this Weight Scale Feature value.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4);
        put_u32(&mut out, self.0);
        out
    }
}

/// A body composition analysis (0x2A9C).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyCompositionMeasurement {
    /// The unit system of masses and height.
    pub unit_system: UnitSystem,
    /// Raw body fat percentage (see [`tenths`]); [`MEASUREMENT_UNSUCCESSFUL`] when it failed.
    pub body_fat: u16,
    /// When the analysis happened, by the scale's clock.
    pub timestamp: Option<DateTime>,
    /// The scale's user (255 = unknown user).
    pub user_id: Option<u8>,
    /// Basal metabolism in kilojoules.
    pub basal_metabolism_kj: Option<u16>,
    /// Raw muscle percentage (see [`tenths`]).
    pub muscle_percentage: Option<u16>,
    /// Raw muscle mass (see [`UnitSystem::mass`]).
    pub muscle_mass: Option<u16>,
    /// Raw fat free mass.
    pub fat_free_mass: Option<u16>,
    /// Raw soft lean mass.
    pub soft_lean_mass: Option<u16>,
    /// Raw body water mass.
    pub body_water_mass: Option<u16>,
    /// Raw impedance (see [`tenths`], ohms).
    pub impedance: Option<u16>,
    /// Raw weight (see [`UnitSystem::mass`]).
    pub weight: Option<u16>,
    /// Raw height (see [`UnitSystem::height`]).
    pub height: Option<u16>,
    /// The measurement is split over several indications (flag bit 12).
    pub multiple_packet: bool,
}

const BC_TIMESTAMP: u16 = 1 << 1;
const BC_USER_ID: u16 = 1 << 2;
const BC_BASAL_METABOLISM: u16 = 1 << 3;
const BC_MUSCLE_PERCENTAGE: u16 = 1 << 4;
const BC_MUSCLE_MASS: u16 = 1 << 5;
const BC_FAT_FREE_MASS: u16 = 1 << 6;
const BC_SOFT_LEAN_MASS: u16 = 1 << 7;
const BC_BODY_WATER_MASS: u16 = 1 << 8;
const BC_IMPEDANCE: u16 = 1 << 9;
const BC_WEIGHT: u16 = 1 << 10;
const BC_HEIGHT: u16 = 1 << 11;
const BC_MULTIPLE_PACKET: u16 = 1 << 12;

impl BodyCompositionMeasurement {
    /// The body fat percentage as a number, or `None` when the analysis was unsuccessful.
    pub const fn body_fat_value(&self) -> Option<Decimal> {
        if self.body_fat == MEASUREMENT_UNSUCCESSFUL {
            None
        } else {
            Some(tenths(self.body_fat))
        }
    }

    /// Decodes a Body Composition Measurement value.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::BodyCompositionMeasurement, bytes);
        let flags = reader.u16("flags")?;
        let body_fat = reader.u16("body_fat_percentage")?;
        let timestamp = match flags & BC_TIMESTAMP {
            0 => None,
            _ => Some(reader.date_time("timestamp")?),
        };
        let user_id = match flags & BC_USER_ID {
            0 => None,
            _ => Some(reader.u8("user_id")?),
        };
        let mut optional = |bit: u16, field: &'static str| -> Result<Option<u16>, DecodeError> {
            match flags & bit {
                0 => Ok(None),
                _ => reader.u16(field).map(Some),
            }
        };
        Ok(BodyCompositionMeasurement {
            unit_system: UnitSystem::from_flags(flags),
            body_fat,
            timestamp,
            user_id,
            basal_metabolism_kj: optional(BC_BASAL_METABOLISM, "basal_metabolism")?,
            muscle_percentage: optional(BC_MUSCLE_PERCENTAGE, "muscle_percentage")?,
            muscle_mass: optional(BC_MUSCLE_MASS, "muscle_mass")?,
            fat_free_mass: optional(BC_FAT_FREE_MASS, "fat_free_mass")?,
            soft_lean_mass: optional(BC_SOFT_LEAN_MASS, "soft_lean_mass")?,
            body_water_mass: optional(BC_BODY_WATER_MASS, "body_water_mass")?,
            impedance: optional(BC_IMPEDANCE, "impedance")?,
            weight: optional(BC_WEIGHT, "weight")?,
            height: optional(BC_HEIGHT, "height")?,
            multiple_packet: flags & BC_MULTIPLE_PACKET != 0,
        })
    }

    /// Encodes this analysis, setting the flags from the fields present.
    pub fn encode(&self) -> Vec<u8> {
        let mut flags = self.unit_system.flag();
        let mut out = vec![0, 0];
        put_u16(&mut out, self.body_fat);
        if let Some(timestamp) = self.timestamp {
            flags |= BC_TIMESTAMP;
            put_date_time(&mut out, timestamp);
        }
        if let Some(user_id) = self.user_id {
            flags |= BC_USER_ID;
            out.push(user_id);
        }
        let optional = [
            (BC_BASAL_METABOLISM, self.basal_metabolism_kj),
            (BC_MUSCLE_PERCENTAGE, self.muscle_percentage),
            (BC_MUSCLE_MASS, self.muscle_mass),
            (BC_FAT_FREE_MASS, self.fat_free_mass),
            (BC_SOFT_LEAN_MASS, self.soft_lean_mass),
            (BC_BODY_WATER_MASS, self.body_water_mass),
            (BC_IMPEDANCE, self.impedance),
            (BC_WEIGHT, self.weight),
            (BC_HEIGHT, self.height),
        ];
        for (bit, value) in optional {
            if let Some(value) = value {
                flags |= bit;
                put_u16(&mut out, value);
            }
        }
        if self.multiple_packet {
            flags |= BC_MULTIPLE_PACKET;
        }
        out[..2].copy_from_slice(&flags.to_le_bytes());
        out
    }
}
