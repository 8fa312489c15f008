//! How an entry's content maps onto the value columns shared by every kind (and by the export
//! formats): `value`, `unit`, `systolic`, `diastolic`, `mean_arterial`, `pulse`, `text`, `meal`.
//! Numbers are kept as the decimal text they were recorded with.

use crate::decimal::Decimal;
use crate::error::{Error, Result};
use crate::model::{Content, Kind, Quantity, Unit};

/// The value columns of one entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Columns {
    pub value: Option<String>,
    pub unit: Option<String>,
    pub systolic: Option<String>,
    pub diastolic: Option<String>,
    pub mean_arterial: Option<String>,
    pub pulse: Option<String>,
    pub text: Option<String>,
    pub meal: Option<String>,
}

fn s(d: Decimal) -> Option<String> {
    Some(d.to_string())
}

impl Columns {
    pub(crate) fn from_content(content: &Content) -> Self {
        let quantity = |q: &Quantity| Columns {
            value: s(q.value),
            unit: Some(q.unit.ucum().into()),
            ..Columns::default()
        };
        match content {
            Content::Glucose { value, meal } => Columns {
                meal: meal.map(|m| m.as_str().into()),
                ..quantity(value)
            },
            Content::BloodPressure {
                systolic,
                diastolic,
                mean_arterial,
                unit,
                pulse,
            } => Columns {
                unit: Some(unit.ucum().into()),
                systolic: s(*systolic),
                diastolic: s(*diastolic),
                mean_arterial: mean_arterial.and_then(s),
                pulse: pulse.and_then(s),
                ..Columns::default()
            },
            Content::Weight(q) | Content::Temperature(q) => quantity(q),
            Content::SpO2(v) | Content::BodyFat(v) => quantity(&Quantity {
                value: *v,
                unit: Unit::Percent,
            }),
            Content::HeartRate(v) => quantity(&Quantity {
                value: *v,
                unit: Unit::PerMin,
            }),
            Content::Medication(t) | Content::Symptom(t) | Content::Note(t) => Columns {
                text: Some(t.clone()),
                ..Columns::default()
            },
            Content::Insulin { units, insulin } => Columns {
                value: s(*units),
                unit: Some(Unit::InsulinUnits.ucum().into()),
                text: insulin.clone(),
                ..Columns::default()
            },
            Content::Meal {
                carbs_g,
                description,
            } => Columns {
                value: carbs_g.and_then(s),
                unit: carbs_g.map(|_| Unit::Grams.ucum().into()),
                text: description.clone(),
                ..Columns::default()
            },
        }
    }

    pub(crate) fn to_content(&self, kind: Kind) -> Result<Content> {
        let dec = |field: &Option<String>, name: &str| -> Result<Decimal> {
            field
                .as_deref()
                .ok_or_else(|| Error::Invalid(format!("{} needs a {name}", kind.as_str())))?
                .parse()
        };
        let opt_dec = |field: &Option<String>| -> Result<Option<Decimal>> {
            field
                .as_deref()
                .filter(|t| !t.is_empty())
                .map(str::parse)
                .transpose()
        };
        let unit = || -> Result<Unit> {
            let text = self
                .unit
                .as_deref()
                .ok_or_else(|| Error::Invalid(format!("{} needs a unit", kind.as_str())))?;
            Unit::parse(text).ok_or_else(|| Error::Invalid(format!("unknown unit {text:?}")))
        };
        let quantity = || -> Result<Quantity> {
            Ok(Quantity {
                value: dec(&self.value, "value")?,
                unit: unit()?,
            })
        };
        let text = |name: &str| -> Result<String> {
            self.text
                .clone()
                .ok_or_else(|| Error::Invalid(format!("{} needs a {name}", kind.as_str())))
        };
        Ok(match kind {
            Kind::Glucose => Content::Glucose {
                value: quantity()?,
                meal: self.meal.as_deref().map(str::parse).transpose()?,
            },
            Kind::BloodPressure => Content::BloodPressure {
                systolic: dec(&self.systolic, "systolic value")?,
                diastolic: dec(&self.diastolic, "diastolic value")?,
                mean_arterial: opt_dec(&self.mean_arterial)?,
                unit: unit()?,
                pulse: opt_dec(&self.pulse)?,
            },
            Kind::Weight => Content::Weight(quantity()?),
            Kind::Temperature => Content::Temperature(quantity()?),
            Kind::SpO2 => Content::SpO2(dec(&self.value, "value")?),
            Kind::BodyFat => Content::BodyFat(dec(&self.value, "value")?),
            Kind::HeartRate => Content::HeartRate(dec(&self.value, "value")?),
            Kind::Medication => Content::Medication(text("medication")?),
            Kind::Insulin => Content::Insulin {
                units: dec(&self.value, "dose")?,
                insulin: self.text.clone(),
            },
            Kind::Meal => Content::Meal {
                carbs_g: opt_dec(&self.value)?,
                description: self.text.clone(),
            },
            Kind::Symptom => Content::Symptom(text("description")?),
            Kind::Note => Content::Note(text("text")?),
        })
    }
}
