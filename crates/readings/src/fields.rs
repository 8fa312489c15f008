//! The one flat form of an entry's content: the value fields every kind shares (`value`,
//! `unit`, `systolic`, `diastolic`, `mean_arterial`, `pulse`, `text`, `meal`). The journal's
//! columns, the export record, the CLI's JSON and the app's IPC all carry content in this form
//! (serde-flattened into their own records), so how content flattens is written once, here.
//!
//! Numbers are decimal text as recorded (`"5.80"`), so forms and files can carry what a person
//! typed and get a message naming the field when it is not a number.

use serde::{Deserialize, Serialize};

use crate::content::{Content, GlucoseMethod, MealContext, Quantity};
use crate::decimal::Decimal;
use crate::error::ReadingError;
use crate::kind::{Field, Kind};
use crate::unit::Unit;

/// An entry's content, flattened.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Fields {
    /// The value of a one-value reading, an insulin dose or a meal's carbohydrates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The unit of `value` or of the pressures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// Systolic pressure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub systolic: Option<String>,
    /// Diastolic pressure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diastolic: Option<String>,
    /// Mean arterial pressure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_arterial: Option<String>,
    /// Pulse with a blood pressure, per minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pulse: Option<String>,
    /// Medication, symptom or note text, insulin name, meal description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Glucose meal context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meal: Option<MealContext>,
    /// How a glucose value was measured; absent means a meter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<GlucoseMethod>,
}

fn text(d: Decimal) -> Option<String> {
    Some(d.to_string())
}

impl Fields {
    /// Flattens content.
    pub fn from_content(content: &Content) -> Self {
        let quantity = |q: &Quantity| Fields {
            value: text(q.value),
            unit: Some(q.unit),
            ..Fields::default()
        };
        let fixed = |value: Decimal, unit: Unit| quantity(&Quantity { value, unit });
        match content {
            Content::Glucose {
                value,
                meal,
                method,
            } => Fields {
                meal: *meal,
                method: Some(*method),
                ..quantity(value)
            },
            Content::BloodPressure {
                systolic,
                diastolic,
                mean_arterial,
                unit,
                pulse,
            } => Fields {
                unit: Some(*unit),
                systolic: text(*systolic),
                diastolic: text(*diastolic),
                mean_arterial: mean_arterial.and_then(text),
                pulse: pulse.and_then(text),
                ..Fields::default()
            },
            Content::Weight(q) | Content::Temperature(q) => quantity(q),
            Content::SpO2(v) | Content::BodyFat(v) => fixed(*v, Unit::Percent),
            Content::HeartRate(v) => fixed(*v, Unit::PerMin),
            Content::Medication(t) | Content::Symptom(t) | Content::Note(t) => Fields {
                text: Some(t.clone()),
                ..Fields::default()
            },
            Content::Insulin { units, insulin } => Fields {
                text: insulin.clone(),
                ..fixed(*units, Unit::InsulinUnits)
            },
            Content::Meal {
                carbs_g,
                description,
            } => Fields {
                value: carbs_g.and_then(text),
                unit: carbs_g.map(|_| Unit::Grams),
                text: description.clone(),
                ..Fields::default()
            },
        }
    }

    /// The fields as a person typed them, tidied: surrounding blanks trimmed, blank fields
    /// left out, and a decimal comma read as a point.
    pub fn tidied(self) -> Self {
        let blank_to_none =
            |t: Option<String>| t.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        let number = |t: Option<String>| blank_to_none(t).map(|t| t.replace(',', "."));
        Fields {
            value: number(self.value),
            unit: self.unit,
            systolic: number(self.systolic),
            diastolic: number(self.diastolic),
            mean_arterial: number(self.mean_arterial),
            pulse: number(self.pulse),
            text: blank_to_none(self.text),
            meal: self.meal,
            method: self.method,
        }
    }

    /// Whether `field` is set.
    pub fn is_set(&self, field: Field) -> bool {
        match field {
            Field::Value => self.value.is_some(),
            Field::Unit => self.unit.is_some(),
            Field::Systolic => self.systolic.is_some(),
            Field::Diastolic => self.diastolic.is_some(),
            Field::MeanArterial => self.mean_arterial.is_some(),
            Field::Pulse => self.pulse.is_some(),
            Field::Text => self.text.is_some(),
            Field::Meal => self.meal.is_some(),
            Field::Method => self.method.is_some(),
        }
    }

    /// The content of a `kind` entry with these fields. Fields the kind does not carry are
    /// ignored; a missing, malformed or wrongly united one is an error naming it.
    pub fn to_content(&self, kind: Kind) -> Result<Content, ReadingError> {
        let words = |field| kind.field_words(field);
        let optional = |value: &Option<String>, field: Field| -> Result<_, ReadingError> {
            value
                .as_deref()
                .filter(|t| !t.trim().is_empty())
                .map(|t| {
                    t.trim()
                        .parse::<Decimal>()
                        .map_err(|_| ReadingError::NotANumber {
                            what: words(field),
                            field,
                        })
                })
                .transpose()
        };
        let number = |value: &Option<String>, field: Field| -> Result<Decimal, ReadingError> {
            optional(value, field)?.ok_or(ReadingError::Missing {
                what: words(field),
                field,
            })
        };
        let unit = || -> Result<Unit, ReadingError> {
            let spec = kind.spec();
            match self.unit.or(spec.default_unit) {
                None => Err(ReadingError::MissingUnit {
                    what: words(Field::Unit),
                }),
                Some(unit) if spec.units.contains(&unit) => Ok(unit),
                Some(unit) => Err(ReadingError::UnsupportedUnit {
                    what: kind.noun(),
                    unit,
                    accepted: spec.units,
                }),
            }
        };
        let quantity = || -> Result<Quantity, ReadingError> {
            Ok(Quantity {
                value: number(&self.value, Field::Value)?,
                unit: unit()?,
            })
        };
        let required_text = || -> Result<String, ReadingError> {
            match &self.text {
                Some(t) if !t.trim().is_empty() => Ok(t.clone()),
                _ => Err(ReadingError::EmptyText {
                    what: words(Field::Text),
                }),
            }
        };
        let optional_text = || self.text.clone().filter(|t| !t.trim().is_empty());
        Ok(match kind {
            Kind::Glucose => Content::Glucose {
                value: quantity()?,
                meal: self.meal,
                method: self.method.unwrap_or_default(),
            },
            Kind::BloodPressure => Content::BloodPressure {
                systolic: number(&self.systolic, Field::Systolic)?,
                diastolic: number(&self.diastolic, Field::Diastolic)?,
                mean_arterial: optional(&self.mean_arterial, Field::MeanArterial)?,
                unit: unit()?,
                pulse: optional(&self.pulse, Field::Pulse)?,
            },
            Kind::Weight => Content::Weight(quantity()?),
            Kind::Temperature => Content::Temperature(quantity()?),
            Kind::SpO2 => Content::SpO2(quantity()?.value),
            Kind::HeartRate => Content::HeartRate(quantity()?.value),
            Kind::BodyFat => Content::BodyFat(quantity()?.value),
            Kind::Medication => Content::Medication(required_text()?),
            Kind::Insulin => Content::Insulin {
                units: quantity()?.value,
                insulin: optional_text(),
            },
            Kind::Meal => Content::Meal {
                carbs_g: match optional(&self.value, Field::Value)? {
                    Some(carbs) => {
                        unit()?;
                        Some(carbs)
                    }
                    None => None,
                },
                description: optional_text(),
            },
            Kind::Symptom => Content::Symptom(required_text()?),
            Kind::Note => Content::Note(required_text()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn samples() -> Vec<Content> {
        let q = |v: &str, unit| Quantity { value: d(v), unit };
        vec![
            Content::Glucose {
                value: q("5.80", Unit::MmolPerL),
                meal: Some(MealContext::Before),
                method: GlucoseMethod::Meter,
            },
            Content::Glucose {
                value: q("142", Unit::MgPerDl),
                meal: None,
                method: GlucoseMethod::Cgm,
            },
            Content::BloodPressure {
                systolic: d("128"),
                diastolic: d("82"),
                mean_arterial: Some(d("97")),
                unit: Unit::MmHg,
                pulse: Some(d("71")),
            },
            Content::Weight(q("81.20", Unit::Kg)),
            Content::Temperature(q("98.6", Unit::Fahrenheit)),
            Content::SpO2(d("97")),
            Content::HeartRate(d("64")),
            Content::BodyFat(d("23.4")),
            Content::Medication("Metformin 500 mg".into()),
            Content::Insulin {
                units: d("4.5"),
                insulin: Some("rapid".into()),
            },
            Content::Meal {
                carbs_g: Some(d("45")),
                description: None,
            },
            Content::Meal {
                carbs_g: None,
                description: Some("soup".into()),
            },
            Content::Symptom("headache".into()),
            Content::Note("felt fine".into()),
        ]
    }

    #[test]
    fn every_kind_round_trips_through_its_fields() {
        let samples = samples();
        for kind in Kind::ALL {
            assert!(
                samples.iter().any(|c| c.kind() == kind),
                "no sample for {kind}"
            );
        }
        for content in samples {
            let fields = Fields::from_content(&content);
            for field in [
                Field::Value,
                Field::Systolic,
                Field::Diastolic,
                Field::MeanArterial,
                Field::Pulse,
                Field::Text,
                Field::Meal,
                Field::Method,
            ] {
                if fields.is_set(field) {
                    assert!(content.kind().has(field), "{:?} {field:?}", content.kind());
                }
            }
            assert_eq!(fields.to_content(content.kind()).unwrap(), content);
            let json = serde_json::to_string(&fields).unwrap();
            let back: Fields = serde_json::from_str(&json).unwrap();
            assert_eq!(back, fields);
        }
    }

    #[test]
    fn missing_and_malformed_fields_are_named() {
        let fields = Fields {
            value: Some("five".into()),
            unit: Some(Unit::MmolPerL),
            ..Fields::default()
        };
        assert_eq!(
            fields.to_content(Kind::Glucose),
            Err(ReadingError::NotANumber {
                what: "glucose value",
                field: Field::Value,
            })
        );
        assert_eq!(
            Fields::default().to_content(Kind::Weight),
            Err(ReadingError::Missing {
                what: "weight",
                field: Field::Value,
            })
        );
        let no_unit = Fields {
            value: Some("5.8".into()),
            ..Fields::default()
        };
        assert_eq!(
            no_unit.to_content(Kind::Glucose),
            Err(ReadingError::MissingUnit {
                what: "glucose value"
            })
        );
        let wrong_unit = Fields {
            unit: Some(Unit::Kg),
            ..no_unit.clone()
        };
        assert!(matches!(
            wrong_unit.to_content(Kind::Glucose),
            Err(ReadingError::UnsupportedUnit { .. })
        ));
        assert_eq!(
            Fields::default().to_content(Kind::Note),
            Err(ReadingError::EmptyText { what: "note" })
        );
    }

    #[test]
    fn tidying_reads_what_a_person_typed() {
        let typed = Fields {
            value: Some(" 5,8 ".into()),
            unit: Some(Unit::MmolPerL),
            text: Some("   ".into()),
            ..Fields::default()
        }
        .tidied();
        assert_eq!(typed.value.as_deref(), Some("5.8"));
        assert_eq!(typed.text, None);
    }
}
