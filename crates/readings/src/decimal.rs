//! Decimal numbers as recorded: a mantissa and a power-of-ten exponent, so `5.80` keeps its two
//! decimals (the precision the device or the person reported) and round-trips exactly.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A decimal `mantissa × 10^exponent`, with the exponent fixing the reported precision.
///
/// On the wire (JSON, IPC) it is the decimal text (`"5.80"`), never a float, so no precision is
/// lost or invented on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "specta", derive(specta::Type), specta(type = String))]
pub struct Decimal {
    mantissa: i64,
    exponent: i8,
}

/// Decimal text that is not a plain decimal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a decimal number like 5.8")]
pub struct NotADecimal;

impl Decimal {
    /// Builds a decimal from its parts (e.g. an IEEE-11073 SFLOAT's mantissa and exponent).
    pub fn new(mantissa: i64, exponent: i8) -> Self {
        Self { mantissa, exponent }
    }

    /// The mantissa.
    pub fn mantissa(self) -> i64 {
        self.mantissa
    }

    /// The power-of-ten exponent.
    pub fn exponent(self) -> i8 {
        self.exponent
    }

    /// The value as a float, for range checks and statistics only.
    pub fn to_f64(self) -> f64 {
        // Going through the text gives the correctly rounded nearest float (5.8, not 5.800…01).
        self.to_string().parse().unwrap_or(f64::NAN)
    }
}

impl FromStr for Decimal {
    type Err = NotADecimal;

    /// Parses plain decimal text (`-12`, `5.8`, `81.20`); no exponents, NaN or infinities.
    fn from_str(text: &str) -> Result<Self, NotADecimal> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || int.len() + frac.len() > 18
            || frac.len() > 9
        {
            return Err(NotADecimal);
        }
        let mut mantissa: i64 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mantissa = mantissa * 10 + i64::from(b - b'0');
        }
        if negative {
            mantissa = -mantissa;
        }
        Ok(Self {
            mantissa,
            // At most 9 fraction digits, checked above.
            exponent: -(frac.len() as i8),
        })
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.exponent >= 0 {
            write!(f, "{}", self.mantissa)?;
            for _ in 0..self.exponent {
                f.write_str("0")?;
            }
            return Ok(());
        }
        let places = usize::from(self.exponent.unsigned_abs());
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let digits = self.mantissa.unsigned_abs().to_string();
        let digits = format!("{digits:0>width$}", width = places + 1);
        let (int, frac) = digits.split_at(digits.len() - places);
        write!(f, "{sign}{int}.{frac}")
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_precision_and_round_trips() {
        for text in [
            "5.8",
            "5.80",
            "81.2",
            "0.05",
            "-1.5",
            "128",
            "0",
            "37.80",
            "0.000000001",
        ] {
            let d: Decimal = text.parse().unwrap();
            assert_eq!(d.to_string(), text);
        }
        assert_eq!("+4".parse::<Decimal>().unwrap().to_string(), "4");
        assert_eq!(Decimal::new(58, -1).to_f64(), 5.8);
        assert_eq!(Decimal::new(12, 2).to_string(), "1200");
    }

    #[test]
    fn rejects_non_numbers() {
        for text in [
            "",
            ".",
            "NaN",
            "inf",
            "1e3",
            "1.2.3",
            "--1",
            "12a",
            "1234567890123456789",
        ] {
            assert!(text.parse::<Decimal>().is_err(), "{text}");
        }
    }

    #[test]
    fn travels_as_text() {
        let d: Decimal = "5.80".parse().unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"5.80\"");
        assert_eq!(serde_json::from_str::<Decimal>("\"5.80\"").unwrap(), d);
        assert!(serde_json::from_str::<Decimal>("5.8").is_err());
    }
}
