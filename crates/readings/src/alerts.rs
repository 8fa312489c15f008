//! Alerts the patient can turn on: a reading past a threshold the consensus and guidelines
//! name (STANDARDS.md §3–4: glucose below 54 or above 250 mg/dL, blood pressure at 180/120 or
//! above, SpO2 below 90 %), with what to do in plain words. Never a diagnosis.

use serde::{Deserialize, Serialize};

use crate::content::Content;
use crate::unit::Unit;

/// The alerts there are; each is off until the patient turns it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Glucose below 54 mg/dL (3.0 mmol/L).
    GlucoseVeryLow,
    /// Glucose above 250 mg/dL (13.9 mmol/L).
    GlucoseVeryHigh,
    /// Systolic 180 or more, or diastolic 120 or more.
    BloodPressureVeryHigh,
    /// Oxygen saturation below 90 %.
    OxygenLow,
}

impl AlertKind {
    /// Every alert.
    pub const ALL: [AlertKind; 4] = [
        AlertKind::GlucoseVeryLow,
        AlertKind::GlucoseVeryHigh,
        AlertKind::BloodPressureVeryHigh,
        AlertKind::OxygenLow,
    ];

    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::GlucoseVeryLow => "glucose_very_low",
            AlertKind::GlucoseVeryHigh => "glucose_very_high",
            AlertKind::BloodPressureVeryHigh => "blood_pressure_very_high",
            AlertKind::OxygenLow => "oxygen_low",
        }
    }

    /// The kind with this text form.
    pub fn parse(text: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The alert a reading raises, if any (control-solution results are the caller's to skip).
    pub fn of(content: &Content) -> Option<AlertKind> {
        match content {
            Content::Glucose { value, .. } => {
                // The consensus pairs in each unit, on the value as recorded.
                let (very_low, very_high) = match value.unit {
                    Unit::MmolPerL => (3.0, 13.9),
                    _ => (54.0, 250.0),
                };
                let v = value.value.to_f64();
                if v < very_low {
                    Some(AlertKind::GlucoseVeryLow)
                } else if v > very_high {
                    Some(AlertKind::GlucoseVeryHigh)
                } else {
                    None
                }
            }
            Content::BloodPressure {
                systolic,
                diastolic,
                unit,
                ..
            } => {
                let mmhg = |d: &crate::Decimal| unit.convert(d.to_f64(), Unit::MmHg);
                let (Some(s), Some(d)) = (mmhg(systolic), mmhg(diastolic)) else {
                    return None;
                };
                (s >= 180.0 || d >= 120.0).then_some(AlertKind::BloodPressureVeryHigh)
            }
            Content::SpO2(v) => (v.to_f64() < 90.0).then_some(AlertKind::OxygenLow),
            _ => None,
        }
    }

    /// What the alert is, in a few words (a notification's title).
    pub fn title(self) -> &'static str {
        match self {
            AlertKind::GlucoseVeryLow => "Very low glucose",
            AlertKind::GlucoseVeryHigh => "Very high glucose",
            AlertKind::BloodPressureVeryHigh => "Very high blood pressure",
            AlertKind::OxygenLow => "Low oxygen saturation",
        }
    }

    /// What the patient can do, in plain words; it names no diagnosis.
    pub fn guidance(self) -> &'static str {
        match self {
            AlertKind::GlucoseVeryLow => {
                "A reading is below 54 mg/dL (3.0 mmol/L). Treat it as your care team showed you, for example with fast-acting sugar, and measure again in 15 minutes. If you feel unwell or cannot treat it, get help now."
            }
            AlertKind::GlucoseVeryHigh => {
                "A reading is above 250 mg/dL (13.9 mmol/L). Follow the plan your care team gave you for high readings and measure again. If you feel unwell, contact your care team."
            }
            AlertKind::BloodPressureVeryHigh => {
                "A reading is 180/120 mmHg or higher. Sit quietly for 5 minutes and measure again. If it stays this high and you have chest pain, shortness of breath, back pain, numbness or weakness, a change in vision or difficulty speaking, call emergency services; otherwise contact your care team."
            }
            AlertKind::OxygenLow => {
                "A reading is below 90 %. Check that the sensor sits well, rest and measure again. If it stays low or you are short of breath, contact your care team."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{GlucoseMethod, Quantity};

    fn glucose(value: &str, unit: Unit) -> Content {
        Content::Glucose {
            value: Quantity {
                value: value.parse().unwrap(),
                unit,
            },
            meal: None,
            method: GlucoseMethod::Meter,
        }
    }

    fn bp(s: &str, d: &str) -> Content {
        Content::BloodPressure {
            systolic: s.parse().unwrap(),
            diastolic: d.parse().unwrap(),
            mean_arterial: None,
            unit: Unit::MmHg,
            pulse: None,
        }
    }

    #[test]
    fn thresholds_at_their_edges() {
        assert_eq!(
            AlertKind::of(&glucose("53", Unit::MgPerDl)),
            Some(AlertKind::GlucoseVeryLow)
        );
        assert_eq!(AlertKind::of(&glucose("54", Unit::MgPerDl)), None);
        assert_eq!(AlertKind::of(&glucose("250", Unit::MgPerDl)), None);
        assert_eq!(
            AlertKind::of(&glucose("251", Unit::MgPerDl)),
            Some(AlertKind::GlucoseVeryHigh)
        );
        assert_eq!(
            AlertKind::of(&glucose("2.9", Unit::MmolPerL)),
            Some(AlertKind::GlucoseVeryLow)
        );
        assert_eq!(AlertKind::of(&glucose("3.0", Unit::MmolPerL)), None);
        assert_eq!(AlertKind::of(&glucose("13.9", Unit::MmolPerL)), None);
        assert_eq!(
            AlertKind::of(&glucose("14.0", Unit::MmolPerL)),
            Some(AlertKind::GlucoseVeryHigh)
        );
        assert_eq!(AlertKind::of(&bp("179", "119")), None);
        assert_eq!(
            AlertKind::of(&bp("180", "90")),
            Some(AlertKind::BloodPressureVeryHigh)
        );
        assert_eq!(
            AlertKind::of(&bp("150", "120")),
            Some(AlertKind::BloodPressureVeryHigh)
        );
        assert_eq!(
            AlertKind::of(&Content::SpO2("89".parse().unwrap())),
            Some(AlertKind::OxygenLow)
        );
        assert_eq!(AlertKind::of(&Content::SpO2("90".parse().unwrap())), None);
        for kind in AlertKind::ALL {
            assert_eq!(AlertKind::parse(kind.as_str()), Some(kind));
            assert!(!kind.guidance().contains("diagnos"));
        }
    }
}
