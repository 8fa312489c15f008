//! The shapes journal entries take on the way to and from the UI.
//!
//! An entry's values travel as [`Fields`], the one flat form of content (decimal text, so the
//! precision the patient typed or the device reported survives the trip). Kinds, units, meal
//! contexts, sources and flags are the `readings` crate's enums, so the generated bindings give
//! the UI closed unions and a new kind fails the UI's type check until it is handled there.

use chrono::{DateTime, FixedOffset};
use journal::{Entry, Version};
use readings::{Content, Fields, Flag, Kind, Source};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::IpcError;

/// One journal entry as the UI shows it.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EntryView {
    /// The entry's id.
    pub id: i64,
    /// What kind of entry.
    pub kind: Kind,
    /// When, RFC 3339 with the UTC offset it was recorded in.
    pub at: String,
    /// Its values.
    #[serde(flatten)]
    pub fields: Fields,
    /// Where it came from.
    pub source: Source,
    /// The device's sequence number for the record.
    pub sequence_number: Option<i64>,
    /// The patient's note.
    pub note: Option<String>,
    /// Flags such as control solution, an unusual value, a monitor's status.
    pub flags: Vec<Flag>,
    /// Version number; more than 1 means it was edited.
    pub version: i64,
    /// For an imported entry, where its file said it came from.
    pub origin: Option<String>,
}

impl From<&Entry> for EntryView {
    fn from(entry: &Entry) -> Self {
        EntryView {
            id: entry.id.0,
            kind: entry.content.kind(),
            at: entry.at.to_rfc3339(),
            fields: Fields::from_content(&entry.content),
            source: entry.source,
            sequence_number: entry.sequence_number,
            note: entry.note.clone(),
            flags: entry.flags.iter().cloned().collect(),
            version: entry.version,
            origin: entry.origin.clone(),
        }
    }
}

/// An entry as the patient typed it in the add or edit form.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EntryInput {
    /// What kind of entry.
    pub kind: Kind,
    /// When, RFC 3339 with offset.
    pub at: String,
    /// Its values as typed (blank fields are left out, a decimal comma reads as a point).
    #[serde(flatten)]
    pub fields: Fields,
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
        Ok(self.fields.clone().tidied().to_content(self.kind)?)
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
    /// What the change did: create, edit, delete or restore.
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

/// What entries of one kind carry, for the entry form: the `readings` crate's table, exported
/// into the bindings as the constant `KINDS` so the UI does not restate it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KindSpecView {
    /// The kind.
    pub kind: Kind,
    /// Its value fields, in the order a form shows them.
    pub fields: &'static [readings::Field],
    /// The units it is recorded in, the first being the form's default.
    pub units: &'static [readings::Unit],
}

/// Every kind's table row, in the order the entry form offers them.
pub fn kind_table() -> Vec<KindSpecView> {
    Kind::ALL
        .into_iter()
        .map(|kind| {
            let spec = kind.spec();
            KindSpecView {
                kind,
                fields: spec.fields,
                units: spec.units,
            }
        })
        .collect()
}
