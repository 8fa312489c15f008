//! The shapes journal entries take on the way to and from the UI, and their conversions.
//!
//! Numbers travel as decimal text ("5.8", "120"), so the precision the patient typed or the
//! device reported survives the trip; units travel as UCUM codes.

use chrono::{DateTime, FixedOffset};
use journal::{Content, Decimal, Entry, Kind, MealContext, Quantity, Source, Unit, Version};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::IpcError;

/// The kinds of entry, as the UI names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Blood glucose.
    Glucose,
    /// Blood pressure.
    Bp,
    /// Body weight.
    Weight,
    /// Body temperature.
    Temperature,
    /// Oxygen saturation.
    Spo2,
    /// Heart rate.
    HeartRate,
    /// Body fat percentage.
    BodyFat,
    /// Medication taken.
    Medication,
    /// Insulin dose.
    Insulin,
    /// A meal.
    Meal,
    /// A symptom.
    Symptom,
    /// A note.
    Note,
}

impl From<Kind> for EntryKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Glucose => Self::Glucose,
            Kind::BloodPressure => Self::Bp,
            Kind::Weight => Self::Weight,
            Kind::Temperature => Self::Temperature,
            Kind::SpO2 => Self::Spo2,
            Kind::HeartRate => Self::HeartRate,
            Kind::BodyFat => Self::BodyFat,
            Kind::Medication => Self::Medication,
            Kind::Insulin => Self::Insulin,
            Kind::Meal => Self::Meal,
            Kind::Symptom => Self::Symptom,
            Kind::Note => Self::Note,
        }
    }
}

impl From<EntryKind> for Kind {
    fn from(kind: EntryKind) -> Self {
        match kind {
            EntryKind::Glucose => Kind::Glucose,
            EntryKind::Bp => Kind::BloodPressure,
            EntryKind::Weight => Kind::Weight,
            EntryKind::Temperature => Kind::Temperature,
            EntryKind::Spo2 => Kind::SpO2,
            EntryKind::HeartRate => Kind::HeartRate,
            EntryKind::BodyFat => Kind::BodyFat,
            EntryKind::Medication => Kind::Medication,
            EntryKind::Insulin => Kind::Insulin,
            EntryKind::Meal => Kind::Meal,
            EntryKind::Symptom => Kind::Symptom,
            EntryKind::Note => Kind::Note,
        }
    }
}

/// Where an entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum EntrySource {
    /// A paired monitor.
    Device,
    /// Typed in.
    Manual,
    /// An imported file.
    Import,
    /// A demo device.
    Demo,
}

impl From<Source> for EntrySource {
    fn from(source: Source) -> Self {
        match source {
            Source::Device => Self::Device,
            Source::Manual => Self::Manual,
            Source::Import => Self::Import,
            Source::Demo => Self::Demo,
        }
    }
}

/// One journal entry as the UI shows it.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EntryView {
    /// The entry's id.
    pub id: i64,
    /// What kind of entry.
    pub kind: EntryKind,
    /// When, RFC 3339 with the UTC offset it was recorded in.
    pub at: String,
    /// The value of a single-value reading, as recorded.
    pub value: Option<String>,
    /// The unit of `value` or of the pressures (UCUM).
    pub unit: Option<String>,
    /// Systolic pressure.
    pub systolic: Option<String>,
    /// Diastolic pressure.
    pub diastolic: Option<String>,
    /// Mean arterial pressure.
    pub mean_arterial: Option<String>,
    /// Pulse with a blood-pressure reading, per minute.
    pub pulse: Option<String>,
    /// Medication, symptom or note text, meal description, insulin name.
    pub text: Option<String>,
    /// Glucose meal context: before, after, fasting, bedtime, casual.
    pub meal: Option<String>,
    /// Where it came from.
    pub source: EntrySource,
    /// The device's sequence number for the record.
    pub sequence_number: Option<i64>,
    /// The patient's note.
    pub note: Option<String>,
    /// Flags such as `implausible`, `control-solution`, `status:irregular-pulse`.
    pub flags: Vec<String>,
    /// Version number; more than 1 means it was edited.
    pub version: i64,
}

impl From<&Entry> for EntryView {
    fn from(entry: &Entry) -> Self {
        let mut view = EntryView {
            id: entry.id.0,
            kind: entry.content.kind().into(),
            at: entry.at.to_rfc3339(),
            value: None,
            unit: None,
            systolic: None,
            diastolic: None,
            mean_arterial: None,
            pulse: None,
            text: None,
            meal: None,
            source: entry.source.into(),
            sequence_number: entry.sequence_number,
            note: entry.note.clone(),
            flags: entry.flags.iter().map(|f| f.to_text()).collect(),
            version: entry.version,
        };
        let quantity = |view: &mut EntryView, q: &Quantity| {
            view.value = Some(q.value.to_string());
            view.unit = Some(q.unit.ucum().to_owned());
        };
        match &entry.content {
            Content::Glucose { value, meal } => {
                quantity(&mut view, value);
                view.meal = meal.map(|m| m.as_str().to_owned());
            }
            Content::BloodPressure {
                systolic,
                diastolic,
                mean_arterial,
                unit,
                pulse,
            } => {
                view.systolic = Some(systolic.to_string());
                view.diastolic = Some(diastolic.to_string());
                view.mean_arterial = mean_arterial.map(|d| d.to_string());
                view.unit = Some(unit.ucum().to_owned());
                view.pulse = pulse.map(|d| d.to_string());
            }
            Content::Weight(q) | Content::Temperature(q) => quantity(&mut view, q),
            Content::SpO2(value) | Content::BodyFat(value) => {
                view.value = Some(value.to_string());
                view.unit = Some(Unit::Percent.ucum().to_owned());
            }
            Content::HeartRate(value) => {
                view.value = Some(value.to_string());
                view.unit = Some(Unit::PerMin.ucum().to_owned());
            }
            Content::Medication(text) | Content::Symptom(text) | Content::Note(text) => {
                view.text = Some(text.clone());
            }
            Content::Insulin { units, insulin } => {
                view.value = Some(units.to_string());
                view.unit = Some(Unit::InsulinUnits.ucum().to_owned());
                view.text = insulin.clone();
            }
            Content::Meal {
                carbs_g,
                description,
            } => {
                view.value = carbs_g.map(|d| d.to_string());
                view.unit = carbs_g.map(|_| Unit::Grams.ucum().to_owned());
                view.text = description.clone();
            }
        }
        view
    }
}

/// An entry as the patient typed it in the add or edit form.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EntryInput {
    /// What kind of entry.
    pub kind: EntryKind,
    /// When, RFC 3339 with offset.
    pub at: String,
    /// The value (glucose, weight, temperature, SpO2, heart rate, body fat, insulin units, carbs).
    pub value: Option<String>,
    /// Its unit (UCUM).
    pub unit: Option<String>,
    /// Systolic pressure.
    pub systolic: Option<String>,
    /// Diastolic pressure.
    pub diastolic: Option<String>,
    /// Pulse with a blood-pressure reading.
    pub pulse: Option<String>,
    /// Medication, symptom or note text, meal description, insulin name.
    pub text: Option<String>,
    /// Glucose meal context.
    pub meal: Option<String>,
    /// The patient's note.
    pub note: Option<String>,
    /// The patient confirmed an unusual value.
    pub confirm_implausible: bool,
}

impl EntryInput {
    /// The entry's time.
    pub fn time(&self) -> Result<DateTime<FixedOffset>, IpcError> {
        DateTime::parse_from_rfc3339(&self.at)
            .map_err(|_| IpcError::invalid("The date and time are not valid."))
    }

    /// The note, with blank notes treated as none.
    pub fn note(&self) -> Option<String> {
        self.note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
    }

    /// What the entry records, checked field by field with messages for the form.
    pub fn content(&self) -> Result<Content, IpcError> {
        let number = |field: &Option<String>, what: &str| -> Result<Decimal, IpcError> {
            let text = field.as_deref().map(str::trim).filter(|t| !t.is_empty());
            let text = text.ok_or_else(|| IpcError::invalid(format!("Enter the {what}.")))?;
            text.replace(',', ".")
                .parse()
                .map_err(|_| IpcError::invalid(format!("The {what} must be a number.")))
        };
        let optional = |field: &Option<String>, what: &str| -> Result<Option<Decimal>, IpcError> {
            match field.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(_) => number(field, what).map(Some),
            }
        };
        let unit = |what: &str| -> Result<Unit, IpcError> {
            let code = self.unit.as_deref().unwrap_or_default();
            Unit::parse(code)
                .ok_or_else(|| IpcError::invalid(format!("Choose a unit for the {what}.")))
        };
        let text = |what: &str| -> Result<String, IpcError> {
            let text = self.text.as_deref().map(str::trim).unwrap_or_default();
            if text.is_empty() {
                Err(IpcError::invalid(format!("Describe the {what}.")))
            } else {
                Ok(text.to_owned())
            }
        };
        let optional_text = || {
            self.text
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
        };
        Ok(match self.kind {
            EntryKind::Glucose => Content::Glucose {
                value: Quantity {
                    value: number(&self.value, "glucose value")?,
                    unit: unit("glucose value")?,
                },
                meal: match self.meal.as_deref() {
                    None | Some("") => None,
                    Some(meal) => Some(meal.parse::<MealContext>().map_err(IpcError::from)?),
                },
            },
            EntryKind::Bp => Content::BloodPressure {
                systolic: number(&self.systolic, "systolic pressure")?,
                diastolic: number(&self.diastolic, "diastolic pressure")?,
                mean_arterial: None,
                unit: if self.unit.is_some() {
                    unit("pressure")?
                } else {
                    Unit::MmHg
                },
                pulse: optional(&self.pulse, "pulse")?,
            },
            EntryKind::Weight => Content::Weight(Quantity {
                value: number(&self.value, "weight")?,
                unit: unit("weight")?,
            }),
            EntryKind::Temperature => Content::Temperature(Quantity {
                value: number(&self.value, "temperature")?,
                unit: unit("temperature")?,
            }),
            EntryKind::Spo2 => Content::SpO2(number(&self.value, "oxygen saturation")?),
            EntryKind::HeartRate => Content::HeartRate(number(&self.value, "heart rate")?),
            EntryKind::BodyFat => Content::BodyFat(number(&self.value, "body fat")?),
            EntryKind::Medication => Content::Medication(text("medication and dose")?),
            EntryKind::Insulin => Content::Insulin {
                units: number(&self.value, "insulin units")?,
                insulin: optional_text(),
            },
            EntryKind::Meal => Content::Meal {
                carbs_g: optional(&self.value, "carbohydrates")?,
                description: optional_text(),
            },
            EntryKind::Symptom => Content::Symptom(text("symptom")?),
            EntryKind::Note => Content::Note(text("note")?),
        })
    }
}

/// A page of entries, newest first.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EntryPage {
    /// The entries.
    pub entries: Vec<EntryView>,
    /// Whether older entries remain.
    pub more: bool,
}

/// One version of an entry, for its history.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EntryVersionView {
    /// Version number.
    pub version: i64,
    /// create, edit, delete or restore.
    pub change: String,
    /// When the change was made (RFC 3339, UTC).
    pub changed_at: String,
    /// The entry as it was after the change.
    pub entry: EntryView,
}

impl From<&Version> for EntryVersionView {
    fn from(version: &Version) -> Self {
        Self {
            version: version.version,
            change: version.change.as_str().to_owned(),
            changed_at: version.changed_at.to_rfc3339(),
            entry: EntryView::from(&version.entry),
        }
    }
}
