//! The kinds of entry and the table of what each carries: its value fields, the units it is
//! recorded in, and the words a message uses for each field. Everything that handles entries
//! kind by kind (the journal's columns, exports, the CLI's options, the app's form) reads this
//! table or matches on [`Kind`], so a new kind is a compile error until every place handles it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::ReadingError;
use crate::unit::Unit;

/// The kind of an entry; its text form is what lists, exports and the IPC show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Blood glucose.
    Glucose,
    /// Blood pressure (systolic/diastolic, optional mean and pulse).
    #[serde(rename = "bp")]
    BloodPressure,
    /// Body weight.
    Weight,
    /// Body temperature.
    Temperature,
    /// Oxygen saturation.
    #[serde(rename = "spo2")]
    SpO2,
    /// Heart / pulse rate on its own.
    HeartRate,
    /// Body fat percentage (from a body composition scale).
    BodyFat,
    /// A medication taken.
    Medication,
    /// An insulin dose.
    Insulin,
    /// A meal, optionally with carbohydrates.
    Meal,
    /// A symptom.
    Symptom,
    /// A free-text note.
    Note,
}

/// One value field of an entry, named as in exports and the CLI's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The single value of a one-value reading, an insulin dose or a meal's carbohydrates.
    Value,
    /// The unit of the value or of the pressures.
    Unit,
    /// Systolic pressure.
    Systolic,
    /// Diastolic pressure.
    Diastolic,
    /// Mean arterial pressure.
    MeanArterial,
    /// Pulse rate taken with a blood pressure.
    Pulse,
    /// Free text: a medication, symptom or note, an insulin's name, a meal's description.
    Text,
    /// When a glucose reading was taken relative to a meal.
    Meal,
    /// How a glucose value was measured (meter or CGM).
    Method,
}

impl Field {
    /// The field's name in exports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Field::Value => "value",
            Field::Unit => "unit",
            Field::Systolic => "systolic",
            Field::Diastolic => "diastolic",
            Field::MeanArterial => "mean_arterial",
            Field::Pulse => "pulse",
            Field::Text => "text",
            Field::Meal => "meal",
            Field::Method => "method",
        }
    }
}

/// What entries of one kind carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindSpec {
    /// The value fields, in the order a form shows them.
    pub fields: &'static [Field],
    /// The units its values may be recorded in; empty for kinds without a number.
    pub units: &'static [Unit],
    /// The unit assumed when none is given: only where that cannot be mistaken (one accepted
    /// unit, or mm[Hg] for pressures). Glucose, weight and temperature must say theirs.
    pub default_unit: Option<Unit>,
}

impl Kind {
    /// Every kind, readings first.
    pub const ALL: [Kind; 12] = [
        Kind::Glucose,
        Kind::BloodPressure,
        Kind::Weight,
        Kind::Temperature,
        Kind::SpO2,
        Kind::HeartRate,
        Kind::BodyFat,
        Kind::Medication,
        Kind::Insulin,
        Kind::Meal,
        Kind::Symptom,
        Kind::Note,
    ];

    /// Stable text form (`glucose`, `bp`, `weight`, `temperature`, `spo2`, `heart_rate`,
    /// `body_fat`, `medication`, `insulin`, `meal`, `symptom`, `note`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Glucose => "glucose",
            Kind::BloodPressure => "bp",
            Kind::Weight => "weight",
            Kind::Temperature => "temperature",
            Kind::SpO2 => "spo2",
            Kind::HeartRate => "heart_rate",
            Kind::BodyFat => "body_fat",
            Kind::Medication => "medication",
            Kind::Insulin => "insulin",
            Kind::Meal => "meal",
            Kind::Symptom => "symptom",
            Kind::Note => "note",
        }
    }

    /// The kind in words, for messages ("blood pressure", "oxygen saturation").
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Glucose => "glucose",
            Kind::BloodPressure => "blood pressure",
            Kind::Weight => "weight",
            Kind::Temperature => "temperature",
            Kind::SpO2 => "oxygen saturation",
            Kind::HeartRate => "heart rate",
            Kind::BodyFat => "body fat",
            Kind::Medication => "medication",
            Kind::Insulin => "insulin dose",
            Kind::Meal => "meal",
            Kind::Symptom => "symptom",
            Kind::Note => "note",
        }
    }

    /// Whether this kind is a measurement (as opposed to an event).
    pub fn is_reading(self) -> bool {
        match self {
            Kind::Glucose
            | Kind::BloodPressure
            | Kind::Weight
            | Kind::Temperature
            | Kind::SpO2
            | Kind::HeartRate
            | Kind::BodyFat => true,
            Kind::Medication | Kind::Insulin | Kind::Meal | Kind::Symptom | Kind::Note => false,
        }
    }

    /// What entries of this kind carry.
    pub fn spec(self) -> KindSpec {
        use Field::*;
        let spec = |fields, units, default_unit| KindSpec {
            fields,
            units,
            default_unit,
        };
        match self {
            Kind::Glucose => spec(
                &[Value, Unit, Meal, Method],
                &[crate::Unit::MmolPerL, crate::Unit::MgPerDl],
                None,
            ),
            Kind::BloodPressure => spec(
                &[Systolic, Diastolic, MeanArterial, Unit, Pulse],
                &[crate::Unit::MmHg, crate::Unit::KPa],
                Some(crate::Unit::MmHg),
            ),
            Kind::Weight => spec(&[Value, Unit], &[crate::Unit::Kg, crate::Unit::Lb], None),
            Kind::Temperature => spec(
                &[Value, Unit],
                &[crate::Unit::Celsius, crate::Unit::Fahrenheit],
                None,
            ),
            Kind::SpO2 | Kind::BodyFat => spec(
                &[Value],
                &[crate::Unit::Percent],
                Some(crate::Unit::Percent),
            ),
            Kind::HeartRate => spec(&[Value], &[crate::Unit::PerMin], Some(crate::Unit::PerMin)),
            Kind::Insulin => spec(
                &[Value, Text],
                &[crate::Unit::InsulinUnits],
                Some(crate::Unit::InsulinUnits),
            ),
            Kind::Meal => spec(
                &[Value, Text],
                &[crate::Unit::Grams],
                Some(crate::Unit::Grams),
            ),
            Kind::Medication | Kind::Symptom | Kind::Note => spec(&[Text], &[], None),
        }
    }

    /// Whether entries of this kind carry `field`.
    pub fn has(self, field: Field) -> bool {
        self.spec().fields.contains(&field)
    }

    /// The words a message uses for one of this kind's fields ("glucose value", "insulin
    /// units", "medication and dose").
    pub fn field_words(self, field: Field) -> &'static str {
        match (self, field) {
            (Kind::Glucose, Field::Value) => "glucose value",
            (Kind::Weight, Field::Value) => "weight",
            (Kind::Temperature, Field::Value) => "temperature",
            (Kind::SpO2, Field::Value) => "oxygen saturation",
            (Kind::HeartRate, Field::Value) => "heart rate",
            (Kind::BodyFat, Field::Value) => "body fat",
            (Kind::Insulin, Field::Value) => "insulin units",
            (Kind::Meal, Field::Value) => "carbohydrates",
            (_, Field::Value) => "value",
            (Kind::BloodPressure, Field::Unit) => "pressure",
            (_, Field::Unit) => self.field_words(Field::Value),
            (_, Field::Systolic) => "systolic pressure",
            (_, Field::Diastolic) => "diastolic pressure",
            (_, Field::MeanArterial) => "mean arterial pressure",
            (_, Field::Pulse) => "pulse",
            (Kind::Medication, Field::Text) => "medication and dose",
            (Kind::Insulin, Field::Text) => "insulin name",
            (Kind::Meal, Field::Text) => "meal description",
            (_, Field::Text) => self.noun(),
            (_, Field::Meal) => "meal context",
            (_, Field::Method) => "measuring method",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = ReadingError;

    /// The stable text form, or a common spelling (`temp`, `blood_pressure`, `pulse`, `hr`,
    /// `med`).
    fn from_str(s: &str) -> Result<Self, ReadingError> {
        let s = match s {
            "temp" => "temperature",
            "blood_pressure" => "bp",
            "pulse" | "hr" => "heart_rate",
            "med" => "medication",
            other => other,
        };
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(ReadingError::UnknownName {
                what: "kind",
                expected: "glucose, bp, weight, temperature, spo2, heart_rate, body_fat, medication, insulin, meal, symptom, note",
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_is_the_serde_form_and_parses_back() {
        for kind in Kind::ALL {
            assert_eq!(kind.as_str().parse::<Kind>().unwrap(), kind);
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.as_str())
            );
        }
        assert!("glucoze".parse::<Kind>().is_err());
    }

    #[test]
    fn every_kind_with_a_unit_field_or_default_lists_its_units() {
        for kind in Kind::ALL {
            let spec = kind.spec();
            if kind.has(Field::Value) || kind.has(Field::Systolic) {
                assert!(!spec.units.is_empty(), "{kind}");
            }
            if let Some(unit) = spec.default_unit {
                assert!(spec.units.contains(&unit), "{kind}");
            }
            for field in spec.fields {
                assert!(!kind.field_words(*field).is_empty());
            }
        }
    }
}
