//! IEEE 11073-20601 SFLOAT (16-bit) and FLOAT (32-bit), called `medfloat16` and `medfloat32`
//! in the GATT Specification Supplement.
//!
//! Both are `mantissa × 10^exponent` with a two's-complement mantissa and exponent (SFLOAT:
//! 4-bit exponent, 12-bit mantissa; FLOAT: 8-bit exponent, 24-bit mantissa). Five raw words
//! are special values and are checked before any arithmetic: NaN, NRes (not at this
//! resolution), +INFINITY, −INFINITY and a Reserved word. They stay distinct here because
//! each tells the journal a different reason for "no value".
//!
//! [`Sfloat`] and [`Float`] keep the raw word, so encoding is exact and a value read from a
//! device can be written back bit for bit.

use crate::decimal::Decimal;

/// What an SFLOAT or FLOAT stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MedfloatValue {
    /// A number, with the precision the device reported.
    Number(Decimal),
    /// Not a Number: the device has no value.
    NaN,
    /// Not at this Resolution: the value cannot be represented with the available precision.
    NRes,
    /// Positive infinity.
    PositiveInfinity,
    /// Negative infinity.
    NegativeInfinity,
    /// The word reserved for future use (0x0801 / 0x00800001).
    Reserved,
}

impl MedfloatValue {
    /// The number, or `None` for a special value.
    pub const fn number(self) -> Option<Decimal> {
        match self {
            MedfloatValue::Number(decimal) => Some(decimal),
            _ => None,
        }
    }
}

/// A 16-bit IEEE 11073 SFLOAT, kept as the raw word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sfloat(u16);

impl Sfloat {
    /// Not a Number (0x07FF).
    pub const NAN: Sfloat = Sfloat(0x07FF);
    /// Not at this Resolution (0x0800).
    pub const NRES: Sfloat = Sfloat(0x0800);
    /// +INFINITY (0x07FE).
    pub const POSITIVE_INFINITY: Sfloat = Sfloat(0x07FE);
    /// −INFINITY (0x0802).
    pub const NEGATIVE_INFINITY: Sfloat = Sfloat(0x0802);
    /// The reserved word (0x0801).
    pub const RESERVED: Sfloat = Sfloat(0x0801);

    /// The SFLOAT with this raw word (every word is a valid SFLOAT).
    pub const fn from_bits(bits: u16) -> Self {
        Sfloat(bits)
    }

    /// The raw word, as sent on the air (little-endian).
    pub const fn to_bits(self) -> u16 {
        self.0
    }

    /// The SFLOAT for `mantissa × 10^exponent`, or `None` when the mantissa does not fit 12 bits
    /// (−2048..=2047), the exponent does not fit 4 bits (−8..=7), or the pair would spell a
    /// special value (exponent 0 with mantissa 2046, 2047, −2048, −2047 or −2046).
    pub const fn new(mantissa: i16, exponent: i8) -> Option<Self> {
        if mantissa < -2048 || mantissa > 2047 || exponent < -8 || exponent > 7 {
            return None;
        }
        let bits = (((exponent as u16) & 0x0F) << 12) | ((mantissa as u16) & 0x0FFF);
        let sfloat = Sfloat(bits);
        if sfloat.is_special() {
            return None;
        }
        Some(sfloat)
    }

    const fn is_special(self) -> bool {
        matches!(self.0, 0x07FE..=0x0802)
    }

    /// What this SFLOAT stands for.
    pub const fn value(self) -> MedfloatValue {
        match self.0 {
            0x07FF => MedfloatValue::NaN,
            0x0800 => MedfloatValue::NRes,
            0x07FE => MedfloatValue::PositiveInfinity,
            0x0802 => MedfloatValue::NegativeInfinity,
            0x0801 => MedfloatValue::Reserved,
            bits => {
                // Shift the field to the top of the word, then arithmetic-shift back down to
                // sign-extend it.
                let mantissa = (((bits << 4) as i16) >> 4) as i32;
                let exponent = ((bits as i16) >> 12) as i8;
                MedfloatValue::Number(Decimal::new(mantissa, exponent))
            }
        }
    }
}

/// A 32-bit IEEE 11073 FLOAT, kept as the raw word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Float(u32);

impl Float {
    /// Not a Number (0x007FFFFF).
    pub const NAN: Float = Float(0x007F_FFFF);
    /// Not at this Resolution (0x00800000).
    pub const NRES: Float = Float(0x0080_0000);
    /// +INFINITY (0x007FFFFE).
    pub const POSITIVE_INFINITY: Float = Float(0x007F_FFFE);
    /// −INFINITY (0x00800002).
    pub const NEGATIVE_INFINITY: Float = Float(0x0080_0002);
    /// The reserved word (0x00800001).
    pub const RESERVED: Float = Float(0x0080_0001);

    /// The FLOAT with this raw word (every word is a valid FLOAT).
    pub const fn from_bits(bits: u32) -> Self {
        Float(bits)
    }

    /// The raw word, as sent on the air (little-endian).
    pub const fn to_bits(self) -> u32 {
        self.0
    }

    /// The FLOAT for `mantissa × 10^exponent`, or `None` when the mantissa does not fit 24 bits
    /// or the pair would spell a special value (exponent 0 with mantissa 2²³−2, 2²³−1, −2²³,
    /// −2²³+1 or −2²³+2).
    pub const fn new(mantissa: i32, exponent: i8) -> Option<Self> {
        if mantissa < -0x0080_0000 || mantissa > 0x007F_FFFF {
            return None;
        }
        let bits = ((exponent as u8 as u32) << 24) | ((mantissa as u32) & 0x00FF_FFFF);
        let float = Float(bits);
        if float.is_special() {
            return None;
        }
        Some(float)
    }

    const fn is_special(self) -> bool {
        matches!(self.0, 0x007F_FFFE..=0x0080_0002)
    }

    /// What this FLOAT stands for.
    pub const fn value(self) -> MedfloatValue {
        match self.0 {
            0x007F_FFFF => MedfloatValue::NaN,
            0x0080_0000 => MedfloatValue::NRes,
            0x007F_FFFE => MedfloatValue::PositiveInfinity,
            0x0080_0002 => MedfloatValue::NegativeInfinity,
            0x0080_0001 => MedfloatValue::Reserved,
            bits => {
                let mantissa = ((bits << 8) as i32) >> 8;
                let exponent = (bits >> 24) as u8 as i8;
                MedfloatValue::Number(Decimal::new(mantissa, exponent))
            }
        }
    }
}
