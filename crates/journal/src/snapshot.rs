//! The stored form of one version of an entry (the `entry_versions.snapshot` column): a JSON
//! object with a format number of its own, kept apart from the export record so that the export
//! can gain or rename a column without turning stored history into "journal damaged".
//!
//! Format 1 is what history has always held: the fields below, written without a `v` by
//! journals before the format had a number (their objects also carried the device's identity
//! fields, which a snapshot no longer needs: the entry's device is the current one's).

use chrono::{DateTime, FixedOffset};
use readings::{Fields, Flag, Kind, Source, TimeQuality};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Entry, PersonId};

/// The snapshot format this version writes and the newest it reads.
const FORMAT: u32 = 1;

fn format_1() -> u32 {
    1
}

/// One version of an entry, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    #[serde(default = "format_1")]
    v: u32,
    uid: String,
    kind: Kind,
    person: String,
    time: DateTime<FixedOffset>,
    time_quality: TimeQuality,
    source: Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sequence_number: Option<i64>,
    #[serde(flatten)]
    fields: Fields,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    flags: String,
}

impl Snapshot {
    /// The stored text of `entry` as it is now.
    pub(crate) fn encode(conn: &Connection, entry: &Entry) -> Result<String> {
        let person: String = conn
            .prepare_cached("SELECT name FROM people WHERE id = ?1")?
            .query_row([entry.person.0], |r| r.get(0))?;
        let snapshot = Snapshot {
            v: FORMAT,
            uid: entry.uid.clone(),
            kind: entry.content.kind(),
            person,
            time: entry.at,
            time_quality: entry.time_quality,
            source: entry.source,
            device_time: entry.device_time.clone(),
            sequence_number: entry.sequence_number,
            fields: Fields::from_content(&entry.content),
            note: entry.note.clone(),
            flags: Flag::join(&entry.flags),
        };
        serde_json::to_string(&snapshot)
            .map_err(|_| Error::Invalid("cannot encode a version of an entry".into()))
    }

    /// Reads stored text; anything this version cannot read is damage (or a newer Vitalog).
    pub(crate) fn decode(text: &str) -> Result<Self> {
        let snapshot: Snapshot = serde_json::from_str(text).map_err(|_| Error::JournalDamaged)?;
        if snapshot.v > FORMAT {
            return Err(Error::UnsupportedFormat {
                found: u16::try_from(snapshot.v).unwrap_or(u16::MAX),
            });
        }
        Ok(snapshot)
    }

    /// The entry this version describes, with ids taken from the current entry.
    pub(crate) fn to_entry(&self, conn: &Connection, current: &Entry) -> Result<Entry> {
        let person = conn
            .query_row(
                "SELECT id FROM people WHERE name = ?1",
                [&self.person],
                |r| r.get(0),
            )
            .optional()?
            .map(PersonId)
            .unwrap_or(current.person);
        let damaged = |_| Error::JournalDamaged;
        Ok(Entry {
            id: current.id,
            uid: self.uid.clone(),
            person,
            content: self.fields.to_content(self.kind).map_err(damaged)?,
            at: self.time,
            time_quality: self.time_quality,
            device_time: self.device_time.clone(),
            source: self.source,
            device: current.device,
            sequence_number: self.sequence_number,
            note: self.note.clone(),
            flags: Flag::split(&self.flags).map_err(damaged)?,
            version: current.version,
            deleted: current.deleted,
            origin: current.origin.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A snapshot exactly as journals before the format number wrote it (the export record of
    /// that time, device fields and all).
    const WRITTEN_BEFORE_FORMAT_NUMBERS: &str = r#"{"uid":"0190f1b2-0000-7000-8000-000000000001","kind":"bp","person":"me","time":"2026-03-01T07:30:00+01:00","time_quality":"device-synced","source":"device","device_time":"2026-03-01T07:30:00","device_identity":"C0:26:DA:01:02:03","device_maker":"Acme","device_model":"BP-1","device_serial":"123","device_firmware":"1.0","sequence_number":17,"systolic":"128","diastolic":"82","mean_arterial":"97","pulse":"71","unit":"mm[Hg]","note":"after a walk","flags":"status:irregular-pulse"}"#;

    #[test]
    fn a_snapshot_from_before_format_numbers_still_reads() {
        let snapshot = Snapshot::decode(WRITTEN_BEFORE_FORMAT_NUMBERS).unwrap();
        assert_eq!(snapshot.v, 1);
        assert_eq!(snapshot.kind, Kind::BloodPressure);
        assert_eq!(snapshot.sequence_number, Some(17));
        assert_eq!(snapshot.fields.systolic.as_deref(), Some("128"));
        assert_eq!(snapshot.fields.unit, Some(readings::Unit::MmHg));
        assert_eq!(snapshot.note.as_deref(), Some("after a walk"));
        assert!(snapshot.fields.to_content(snapshot.kind).is_ok());
        assert_eq!(
            Flag::split::<Vec<_>>(&snapshot.flags).unwrap(),
            vec![Flag::Status("irregular-pulse".into())]
        );
    }

    #[test]
    fn a_snapshot_from_a_newer_format_is_refused_by_name() {
        let newer = WRITTEN_BEFORE_FORMAT_NUMBERS.replacen('{', r#"{"v":2,"#, 1);
        assert!(matches!(
            Snapshot::decode(&newer),
            Err(Error::UnsupportedFormat { found: 2 })
        ));
        assert!(matches!(
            Snapshot::decode("{\"uid\":"),
            Err(Error::JournalDamaged)
        ));
    }
}
