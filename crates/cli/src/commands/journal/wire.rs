//! The JSON the CLI prints (`list --json`, `history --json`): wire types built from the
//! journal's domain types at this boundary.
//!
//! `vitalog list --json` prints one JSON array; each element is an object with:
//!
//! | field | presence | meaning |
//! |---|---|---|
//! | `id` | always | the entry's id in this journal (use it with `edit`, `delete`, `history`) |
//! | `uid` | always | a UUIDv7 that stays the same across export and import |
//! | `kind` | always | `glucose`, `bp`, `weight`, `temperature`, `spo2`, `heart_rate`, `body_fat`, `medication`, `insulin`, `meal`, `symptom`, `note` |
//! | `time` | always | RFC 3339 with the UTC offset it was recorded in, e.g. `2026-03-01T07:30:00+01:00` |
//! | `time_quality` | always | `entered`, `device-synced`, `device-unverified`, `reception` |
//! | `source` | always | `device`, `manual`, `import`, `demo` |
//! | `person` | always | the person's name (`me` is the journal's owner) |
//! | `value` | glucose, weight, temperature, spo2, heart_rate, body_fat, insulin, meal (carbs) | decimal **string** exactly as recorded (`"5.80"` keeps its precision) |
//! | `unit` | with `value`, and for `bp` | UCUM code as recorded: `mmol/L`, `mg/dL`, `mm[Hg]`, `kPa`, `kg`, `[lb_av]`, `Cel`, `[degF]`, `%`, `/min`, `[IU]`, `g` |
//! | `systolic`, `diastolic` | bp | decimal strings in `unit` |
//! | `mean_arterial` | bp, when measured | decimal string in `unit` |
//! | `pulse` | bp, when measured | decimal string, /min |
//! | `meal` | glucose, when known | `before`, `after`, `fasting`, `bedtime`, `casual` |
//! | `method` | glucose | `meter` or `cgm`: how it was measured |
//! | `text` | medication, symptom, note, insulin (name), meal (description) | free text |
//! | `note` | when given | a note attached to the entry |
//! | `device_id` | device readings | the device's id in this journal |
//! | `sequence_number` | device readings that have one | the device's record number |
//! | `device_time` | device readings | the device's timestamp as sent |
//! | `flags` | always (may be empty) | `control-solution`, `implausible`, `status:<device status>` |
//! | `version` | always | 1 for a new entry, raised by every edit/delete/restore |
//! | `deleted` | only with `--deleted` | `true` for tombstones |
//! | `origin` | imported entries, when their file said | where the file said the entry came from (information only: an import never speaks for a monitor) |
//!
//! `vitalog history ID --json` prints an array of `{ "version", "change", "changed_at",
//! "entry" }` where `change` is `create`, `edit`, `delete` or `restore` and `entry` is an object
//! as above.

use journal::{Entry, Person, Version};
use readings::{Content, Fields, Flag, Kind, Source, TimeQuality, Unit};
use serde::Serialize;

/// One entry as printed by `list --json`.
#[derive(Debug, Serialize)]
pub struct EntryJson {
    id: i64,
    uid: String,
    kind: Kind,
    time: String,
    time_quality: TimeQuality,
    source: Source,
    person: String,
    #[serde(flatten)]
    fields: Fields,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sequence_number: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_time: Option<String>,
    flags: Vec<String>,
    version: i64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    deleted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<String>,
}

impl EntryJson {
    /// Builds the wire form; `people` names the entry's person.
    pub fn new(entry: &Entry, people: &[Person]) -> Self {
        let person = people
            .iter()
            .find(|p| p.id == entry.person)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        EntryJson {
            id: entry.id.0,
            uid: entry.uid.clone(),
            kind: entry.content.kind(),
            time: entry.at.to_rfc3339(),
            time_quality: entry.time_quality,
            source: entry.source,
            person,
            fields: Fields::from_content(&entry.content),
            note: entry.note.clone(),
            device_id: entry.device.map(|d| d.0),
            sequence_number: entry.sequence_number,
            device_time: entry.device_time.clone(),
            flags: entry.flags.iter().map(Flag::to_text).collect(),
            version: entry.version,
            deleted: entry.deleted,
            origin: entry.origin.clone(),
        }
    }
}

/// One version as printed by `history --json`.
#[derive(Debug, Serialize)]
pub struct VersionJson {
    version: i64,
    change: &'static str,
    changed_at: String,
    entry: EntryJson,
}

impl VersionJson {
    /// Builds the wire form.
    pub fn new(version: &Version, people: &[Person]) -> Self {
        Self {
            version: version.version,
            change: version.change.as_str(),
            changed_at: version.changed_at.to_rfc3339(),
            entry: EntryJson::new(&version.entry, people),
        }
    }
}

/// A one-line human summary of an entry (for the text output of `list` and `history`).
pub fn summary(entry: &Entry) -> String {
    let unit = Unit::symbol;
    let mut text = match &entry.content {
        Content::Glucose {
            value,
            meal,
            method,
        } => format!(
            "{} {}{}{}",
            value.value,
            unit(value.unit),
            meal.map(|m| format!(" ({} meal)", m.as_str()))
                .unwrap_or_default(),
            match method {
                readings::GlucoseMethod::Cgm => " (CGM)",
                readings::GlucoseMethod::Meter => "",
            }
        ),
        Content::BloodPressure {
            systolic,
            diastolic,
            unit: u,
            pulse,
            ..
        } => format!(
            "{systolic}/{diastolic} {}{}",
            unit(*u),
            pulse.map(|p| format!(", pulse {p}")).unwrap_or_default()
        ),
        Content::Weight(q) | Content::Temperature(q) => format!("{} {}", q.value, unit(q.unit)),
        Content::SpO2(v) | Content::BodyFat(v) => format!("{v} %"),
        Content::HeartRate(v) => format!("{v} /min"),
        Content::Medication(t) | Content::Symptom(t) | Content::Note(t) => t.clone(),
        Content::Insulin { units, insulin } => format!(
            "{units} U{}",
            insulin
                .as_ref()
                .map(|i| format!(" {i}"))
                .unwrap_or_default()
        ),
        Content::Meal {
            carbs_g,
            description,
        } => [carbs_g.map(|c| format!("{c} g carbs")), description.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
    };
    if let Some(note) = &entry.note {
        text.push_str(&format!(" — {note}"));
    }
    if !entry.flags.is_empty() {
        let flags: Vec<_> = entry.flags.iter().map(Flag::to_text).collect();
        text.push_str(&format!(" [{}]", flags.join(", ")));
    }
    text
}
