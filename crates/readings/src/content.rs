//! What an entry records: a reading's values in the unit they were recorded in, or an event's
//! text, one variant per [`Kind`].

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::decimal::Decimal;
use crate::error::ReadingError;
use crate::kind::Kind;
use crate::unit::Unit;

/// A value with the unit it was recorded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    /// The value as recorded.
    pub value: Decimal,
    /// The unit as recorded.
    pub unit: Unit,
}

/// When a glucose reading was taken relative to a meal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum MealContext {
    /// Before a meal (preprandial).
    Before,
    /// After a meal (postprandial).
    After,
    /// Fasting.
    Fasting,
    /// Bedtime.
    Bedtime,
    /// Casual / unrelated to meals.
    Casual,
}

impl MealContext {
    /// Every meal context.
    pub const ALL: [MealContext; 5] = [
        MealContext::Before,
        MealContext::After,
        MealContext::Fasting,
        MealContext::Bedtime,
        MealContext::Casual,
    ];

    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            MealContext::Before => "before",
            MealContext::After => "after",
            MealContext::Fasting => "fasting",
            MealContext::Bedtime => "bedtime",
            MealContext::Casual => "casual",
        }
    }
}

impl FromStr for MealContext {
    type Err = ReadingError;
    fn from_str(s: &str) -> Result<Self, ReadingError> {
        MealContext::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or(ReadingError::UnknownName {
                what: "meal context",
                expected: "before, after, fasting, bedtime, casual",
            })
    }
}

/// How a glucose value was measured: a CGM sensor (interstitial fluid, every few minutes) or a
/// meter (a capillary drop of blood). The consensus statistics differ between the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum GlucoseMethod {
    /// A blood glucose meter, or a value typed in.
    #[default]
    Meter,
    /// A continuous glucose monitor.
    Cgm,
}

impl GlucoseMethod {
    /// Stable text form (`meter`, `cgm`).
    pub fn as_str(self) -> &'static str {
        match self {
            GlucoseMethod::Meter => "meter",
            GlucoseMethod::Cgm => "cgm",
        }
    }
}

impl FromStr for GlucoseMethod {
    type Err = ReadingError;
    fn from_str(s: &str) -> Result<Self, ReadingError> {
        match s {
            "meter" => Ok(GlucoseMethod::Meter),
            "cgm" => Ok(GlucoseMethod::Cgm),
            _ => Err(ReadingError::UnknownName {
                what: "glucose method",
                expected: "meter, cgm",
            }),
        }
    }
}

/// What an entry records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Blood glucose, optionally with its meal context.
    Glucose {
        /// Value and unit.
        value: Quantity,
        /// Before/after a meal etc.
        meal: Option<MealContext>,
        /// Measured by a meter or a CGM.
        method: GlucoseMethod,
    },
    /// Blood pressure.
    BloodPressure {
        /// Systolic.
        systolic: Decimal,
        /// Diastolic.
        diastolic: Decimal,
        /// Mean arterial pressure, when the cuff reports it.
        mean_arterial: Option<Decimal>,
        /// mm[Hg] or kPa, for all three pressures.
        unit: Unit,
        /// Pulse rate in /min, when measured with it.
        pulse: Option<Decimal>,
    },
    /// Body weight.
    Weight(Quantity),
    /// Body temperature.
    Temperature(Quantity),
    /// Oxygen saturation in %.
    SpO2(Decimal),
    /// Heart rate in /min.
    HeartRate(Decimal),
    /// Body fat in % of body mass.
    BodyFat(Decimal),
    /// A medication taken (name and dose as written).
    Medication(String),
    /// An insulin dose in units, optionally naming the insulin.
    Insulin {
        /// Units.
        units: Decimal,
        /// Insulin name or type.
        insulin: Option<String>,
    },
    /// A meal.
    Meal {
        /// Carbohydrates in grams.
        carbs_g: Option<Decimal>,
        /// What was eaten.
        description: Option<String>,
    },
    /// A symptom, described.
    Symptom(String),
    /// A note.
    Note(String),
}

impl Content {
    /// The kind of this content.
    pub fn kind(&self) -> Kind {
        match self {
            Content::Glucose { .. } => Kind::Glucose,
            Content::BloodPressure { .. } => Kind::BloodPressure,
            Content::Weight(_) => Kind::Weight,
            Content::Temperature(_) => Kind::Temperature,
            Content::SpO2(_) => Kind::SpO2,
            Content::HeartRate(_) => Kind::HeartRate,
            Content::BodyFat(_) => Kind::BodyFat,
            Content::Medication(_) => Kind::Medication,
            Content::Insulin { .. } => Kind::Insulin,
            Content::Meal { .. } => Kind::Meal,
            Content::Symptom(_) => Kind::Symptom,
            Content::Note(_) => Kind::Note,
        }
    }
}
