//! How an entry's [`Fields`] sit in the `entries` table's value columns (`value`, `unit`,
//! `systolic`, `diastolic`, `mean_arterial`, `pulse`, `text`, `meal`, `method`): numbers as the decimal
//! text they were recorded with, units as UCUM codes, meal contexts by name; the CSV export
//! writes the same text. How content flattens into fields is the `readings` crate's; this is
//! only its text encoding.

use readings::{Content, Fields, Kind, ReadingError, Unit};

use crate::error::Result;

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
    pub method: Option<String>,
}

impl Columns {
    pub(crate) fn from_content(content: &Content) -> Self {
        Self::from_fields(&Fields::from_content(content))
    }

    pub(crate) fn to_content(&self, kind: Kind) -> Result<Content> {
        Ok(self.to_fields()?.to_content(kind)?)
    }

    /// Fields as text columns (the CSV export uses the same encoding).
    pub(crate) fn from_fields(fields: &Fields) -> Self {
        let fields = fields.clone();
        Columns {
            value: fields.value,
            unit: fields.unit.map(|u| u.ucum().to_owned()),
            systolic: fields.systolic,
            diastolic: fields.diastolic,
            mean_arterial: fields.mean_arterial,
            pulse: fields.pulse,
            text: fields.text,
            meal: fields.meal.map(|m| m.as_str().to_owned()),
            method: fields.method.map(|m| m.as_str().to_owned()),
        }
    }

    /// Text columns as fields; a unit or meal context it does not know is an error.
    pub(crate) fn to_fields(&self) -> Result<Fields, ReadingError> {
        let unit = self.unit.as_deref().map(str::parse::<Unit>).transpose()?;
        Ok(Fields {
            value: self.value.clone(),
            unit,
            systolic: self.systolic.clone(),
            diastolic: self.diastolic.clone(),
            mean_arterial: self.mean_arterial.clone(),
            pulse: self.pulse.clone(),
            text: self.text.clone(),
            meal: self.meal.as_deref().map(str::parse).transpose()?,
            method: self.method.as_deref().map(str::parse).transpose()?,
        })
    }
}
