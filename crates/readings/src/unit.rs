//! The units readings are recorded in, named by their UCUM codes, and the conversions between
//! the units of one quantity. Values are stored in the unit they were recorded in; conversion is
//! for display, statistics and range checks.

use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::ReadingError;

/// Milligrams per decilitre in one millimole per litre of glucose (molar mass 180.16 g/mol).
/// Not 18 or 18.2: the consensus metrics and their cut points are defined with this factor.
pub const GLUCOSE_MG_DL_PER_MMOL_L: f64 = 18.016;
/// Kilopascals in one millimetre of mercury.
pub const KPA_PER_MMHG: f64 = 0.133_322_387_415;
/// Kilograms in one avoirdupois pound.
pub const KG_PER_LB: f64 = 0.453_592_37;

/// Units the journal accepts. On the wire each is its UCUM code (`mm[Hg]`, `[lb_av]`, `Cel`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Unit {
    /// mg/dL
    #[serde(rename = "mg/dL")]
    MgPerDl,
    /// mmol/L
    #[serde(rename = "mmol/L")]
    MmolPerL,
    /// mm[Hg]
    #[serde(rename = "mm[Hg]")]
    MmHg,
    /// kPa
    #[serde(rename = "kPa")]
    KPa,
    /// kg
    #[serde(rename = "kg")]
    Kg,
    /// [lb_av]
    #[serde(rename = "[lb_av]")]
    Lb,
    /// Cel
    #[serde(rename = "Cel")]
    Celsius,
    /// [degF]
    #[serde(rename = "[degF]")]
    Fahrenheit,
    /// %
    #[serde(rename = "%")]
    Percent,
    /// /min
    #[serde(rename = "/min")]
    PerMin,
    /// [IU] (insulin units)
    #[serde(rename = "[IU]")]
    InsulinUnits,
    /// g (carbohydrates)
    #[serde(rename = "g")]
    Grams,
}

impl Unit {
    /// Every unit.
    pub const ALL: [Unit; 12] = [
        Unit::MgPerDl,
        Unit::MmolPerL,
        Unit::MmHg,
        Unit::KPa,
        Unit::Kg,
        Unit::Lb,
        Unit::Celsius,
        Unit::Fahrenheit,
        Unit::Percent,
        Unit::PerMin,
        Unit::InsulinUnits,
        Unit::Grams,
    ];

    /// The UCUM code.
    pub fn ucum(self) -> &'static str {
        match self {
            Unit::MgPerDl => "mg/dL",
            Unit::MmolPerL => "mmol/L",
            Unit::MmHg => "mm[Hg]",
            Unit::KPa => "kPa",
            Unit::Kg => "kg",
            Unit::Lb => "[lb_av]",
            Unit::Celsius => "Cel",
            Unit::Fahrenheit => "[degF]",
            Unit::Percent => "%",
            Unit::PerMin => "/min",
            Unit::InsulinUnits => "[IU]",
            Unit::Grams => "g",
        }
    }

    /// How a person writes it (`mmHg`, `°C`, `lb`, `U`); the UCUM code where that is already
    /// how people write it.
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::MmHg => "mmHg",
            Unit::Lb => "lb",
            Unit::Celsius => "°C",
            Unit::Fahrenheit => "°F",
            Unit::InsulinUnits => "U",
            other => other.ucum(),
        }
    }

    /// Parses a UCUM code or a common spelling (`mmHg`, `C`, `°F`, `lb`, `bpm`, `U`…), in any
    /// letter case.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "mg/dl" => Unit::MgPerDl,
            "mmol/l" => Unit::MmolPerL,
            "mm[hg]" | "mmhg" => Unit::MmHg,
            "kpa" => Unit::KPa,
            "kg" => Unit::Kg,
            "[lb_av]" | "lb" | "lbs" => Unit::Lb,
            "cel" | "c" | "°c" => Unit::Celsius,
            "[degf]" | "f" | "°f" => Unit::Fahrenheit,
            "%" => Unit::Percent,
            "/min" | "bpm" => Unit::PerMin,
            "[iu]" | "u" | "iu" => Unit::InsulinUnits,
            "g" => Unit::Grams,
            _ => return None,
        })
    }

    /// The factor and offset that take a value in this unit to `to` (`to = x × factor + offset`),
    /// when both measure the same quantity.
    fn linear_to(self, to: Unit) -> Option<(f64, f64)> {
        use Unit::*;
        Some(match (self, to) {
            (a, b) if a == b => (1.0, 0.0),
            (MmolPerL, MgPerDl) => (GLUCOSE_MG_DL_PER_MMOL_L, 0.0),
            (MgPerDl, MmolPerL) => (1.0 / GLUCOSE_MG_DL_PER_MMOL_L, 0.0),
            (KPa, MmHg) => (1.0 / KPA_PER_MMHG, 0.0),
            (MmHg, KPa) => (KPA_PER_MMHG, 0.0),
            (Lb, Kg) => (KG_PER_LB, 0.0),
            (Kg, Lb) => (1.0 / KG_PER_LB, 0.0),
            (Fahrenheit, Celsius) => (5.0 / 9.0, -32.0 * 5.0 / 9.0),
            (Celsius, Fahrenheit) => (9.0 / 5.0, 32.0),
            _ => return None,
        })
    }

    /// `value` (in this unit) in `to`, or `None` when the two units measure different things.
    pub fn convert(self, value: f64, to: Unit) -> Option<f64> {
        self.linear_to(to)
            .map(|(factor, offset)| value * factor + offset)
    }
}

impl FromStr for Unit {
    type Err = ReadingError;

    /// What [`Unit::parse`] reads, with an error that names what was expected.
    fn from_str(text: &str) -> Result<Self, ReadingError> {
        Unit::parse(text).ok_or(ReadingError::UnknownName {
            what: "unit",
            expected: "a UCUM code or mmol/L, mg/dL, mmHg, kPa, kg, lb, C, F, %, bpm, U, g",
        })
    }
}

impl<'de> Deserialize<'de> for Unit {
    /// Accepts what [`Unit::parse`] accepts, so files written by people and other tools read.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Unit::parse(&text).ok_or_else(|| {
            serde::de::Error::custom("not a unit Vitalog knows (use a UCUM code such as mg/dL)")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ucum_codes_parse_back_and_travel_as_codes() {
        for unit in Unit::ALL {
            assert_eq!(Unit::parse(unit.ucum()), Some(unit));
            let json = serde_json::to_string(&unit).unwrap();
            assert_eq!(json, format!("\"{}\"", unit.ucum()));
            assert_eq!(serde_json::from_str::<Unit>(&json).unwrap(), unit);
        }
        assert_eq!(Unit::parse("MMHG"), Some(Unit::MmHg));
        assert_eq!(Unit::parse("furlong"), None);
    }

    #[test]
    fn conversions_use_the_stated_factors() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(
            Unit::MmolPerL.convert(10.0, Unit::MgPerDl).unwrap(),
            180.16
        ));
        assert!(close(
            Unit::MgPerDl.convert(180.16, Unit::MmolPerL).unwrap(),
            10.0
        ));
        assert!(close(
            Unit::Fahrenheit.convert(98.6, Unit::Celsius).unwrap(),
            37.0
        ));
        assert!(close(
            Unit::Celsius.convert(37.0, Unit::Fahrenheit).unwrap(),
            98.6
        ));
        assert!(close(
            Unit::Lb.convert(1.0, Unit::Kg).unwrap(),
            0.453_592_37
        ));
        assert!(close(
            Unit::KPa.convert(KPA_PER_MMHG, Unit::MmHg).unwrap(),
            1.0
        ));
        assert_eq!(Unit::Kg.convert(1.0, Unit::MmHg), None);
    }
}
