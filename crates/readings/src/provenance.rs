//! Where an entry came from and how far its time can be trusted.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::ReadingError;

/// Where an entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Received from a monitor.
    Device,
    /// Typed in by a person.
    Manual,
    /// Imported from a file.
    Import,
    /// Demo data.
    Demo,
}

impl Source {
    /// Every source.
    pub const ALL: [Source; 4] = [Source::Device, Source::Manual, Source::Import, Source::Demo];

    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Device => "device",
            Source::Manual => "manual",
            Source::Import => "import",
            Source::Demo => "demo",
        }
    }
}

impl FromStr for Source {
    type Err = ReadingError;
    fn from_str(s: &str) -> Result<Self, ReadingError> {
        Source::ALL
            .into_iter()
            .find(|source| source.as_str() == s)
            .ok_or(ReadingError::UnknownName {
                what: "source",
                expected: "device, manual, import, demo",
            })
    }
}

/// How trustworthy an entry's time is (STANDARDS.md §1.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum TimeQuality {
    /// Entered by a person.
    Entered,
    /// The device's clock, checked against the collector's and mapped.
    DeviceSynced,
    /// The device's clock, not checked ("device clock unverified").
    DeviceUnverified,
    /// No device time: the collector's time of reception.
    Reception,
}

impl TimeQuality {
    /// Every time quality.
    pub const ALL: [TimeQuality; 4] = [
        TimeQuality::Entered,
        TimeQuality::DeviceSynced,
        TimeQuality::DeviceUnverified,
        TimeQuality::Reception,
    ];

    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeQuality::Entered => "entered",
            TimeQuality::DeviceSynced => "device-synced",
            TimeQuality::DeviceUnverified => "device-unverified",
            TimeQuality::Reception => "reception",
        }
    }
}

impl FromStr for TimeQuality {
    type Err = ReadingError;
    fn from_str(s: &str) -> Result<Self, ReadingError> {
        TimeQuality::ALL
            .into_iter()
            .find(|quality| quality.as_str() == s)
            .ok_or(ReadingError::UnknownName {
                what: "time quality",
                expected: "entered, device-synced, device-unverified, reception",
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_are_the_serde_forms() {
        for source in Source::ALL {
            assert_eq!(source.as_str().parse::<Source>().unwrap(), source);
            assert_eq!(
                serde_json::to_string(&source).unwrap(),
                format!("\"{}\"", source.as_str())
            );
        }
        for quality in TimeQuality::ALL {
            assert_eq!(quality.as_str().parse::<TimeQuality>().unwrap(), quality);
            assert_eq!(
                serde_json::to_string(&quality).unwrap(),
                format!("\"{}\"", quality.as_str())
            );
        }
    }
}
