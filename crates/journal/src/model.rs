//! What the journal stores: people, devices, and entries (readings and events) with their time,
//! source and flags. The reading vocabulary itself (content, kinds, units, flags) is the
//! `readings` crate's; these types add what storing it needs (ids, versions, sync state).

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, FixedOffset, Utc};
use readings::{Content, Flag, Kind, MonitorKind, Source, TimeQuality};

/// The id of an entry in this journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntryId(pub i64);

/// The id of a person in this journal (1 is the journal's owner, "me").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersonId(pub i64);

/// The id of a device in this journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeviceId(pub i64);

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A person whose readings the journal holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Id.
    pub id: PersonId,
    /// Display name, unique within the journal.
    pub name: String,
}

/// A monitor the journal has received readings from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeviceInfo {
    /// How the collector identifies the device (system id or bonded address); unique.
    pub identity: String,
    /// Manufacturer name.
    pub maker: Option<String>,
    /// Model number.
    pub model: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
    /// Firmware revision.
    pub firmware: Option<String>,
}

/// A device with its sync state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Id.
    pub id: DeviceId,
    /// Identity and descriptive fields.
    pub info: DeviceInfo,
    /// The highest sequence number received (for "records greater than N" requests).
    pub last_sequence: Option<i64>,
    /// Device clock minus collector clock at the last sync, in seconds.
    pub clock_drift_s: Option<i64>,
    /// Whether the patient paired this monitor (and has not forgotten it since).
    pub paired: bool,
    /// What it measures, once it has synced.
    pub kind: Option<MonitorKind>,
    /// Its battery level at the last sync that reported one, in percent.
    pub battery_percent: Option<u8>,
    /// When it last synced.
    pub last_sync: Option<DateTime<Utc>>,
}

/// What a finished sync tells about its monitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncMark {
    /// What the monitor measures.
    pub kind: MonitorKind,
    /// Its battery level, when it reported one.
    pub battery_percent: Option<u8>,
    /// When the sync finished.
    pub at: DateTime<Utc>,
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Id in this journal.
    pub id: EntryId,
    /// Globally unique id (UUIDv7), stable across export and import.
    pub uid: String,
    /// Whose entry this is.
    pub person: PersonId,
    /// What was recorded.
    pub content: Content,
    /// When, with the UTC offset it was recorded in.
    pub at: DateTime<FixedOffset>,
    /// How the time was obtained.
    pub time_quality: TimeQuality,
    /// The device's own timestamp, as sent.
    pub device_time: Option<String>,
    /// Origin.
    pub source: Source,
    /// The device that sent it.
    pub device: Option<DeviceId>,
    /// The device's record sequence number.
    pub sequence_number: Option<i64>,
    /// A free-text note.
    pub note: Option<String>,
    /// Flags.
    pub flags: BTreeSet<Flag>,
    /// Version, starting at 1 and raised by every change.
    pub version: i64,
    /// Whether the entry is deleted (a tombstone; its history stays).
    pub deleted: bool,
    /// For an imported entry, where the file said it came from (a monitor, typed in…), kept
    /// as information only: an import never speaks for a monitor.
    pub origin: Option<String>,
}

/// An entry to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    /// Whose entry (default: the owner).
    pub person: Option<PersonId>,
    /// What was recorded.
    pub content: Content,
    /// When.
    pub at: DateTime<FixedOffset>,
    /// How the time was obtained.
    pub time_quality: TimeQuality,
    /// The device's own timestamp, as sent.
    pub device_time: Option<String>,
    /// Origin.
    pub source: Source,
    /// The device that sent it.
    pub device: Option<DeviceId>,
    /// The device's record sequence number.
    pub sequence_number: Option<i64>,
    /// A note.
    pub note: Option<String>,
    /// Flags.
    pub flags: BTreeSet<Flag>,
    /// For manual entries: the person confirmed an implausible value.
    pub confirm_implausible: bool,
    /// Keep this uid (imports); a new UUIDv7 otherwise.
    pub uid: Option<String>,
    /// For an import, where the file said the entry came from.
    pub origin: Option<String>,
}

impl NewEntry {
    /// A manual entry for the owner.
    pub fn manual(content: Content, at: DateTime<FixedOffset>) -> Self {
        Self {
            person: None,
            content,
            at,
            time_quality: TimeQuality::Entered,
            device_time: None,
            source: Source::Manual,
            device: None,
            sequence_number: None,
            note: None,
            flags: BTreeSet::new(),
            confirm_implausible: false,
            uid: None,
            origin: None,
        }
    }

    /// A reading received from `device`.
    pub fn from_device(
        content: Content,
        at: DateTime<FixedOffset>,
        device: DeviceId,
        sequence_number: Option<i64>,
        device_time: Option<String>,
        time_quality: TimeQuality,
    ) -> Self {
        Self {
            source: Source::Device,
            device: Some(device),
            sequence_number,
            device_time,
            time_quality,
            ..Self::manual(content, at)
        }
    }
}

/// Whether an add stored something new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddOutcome {
    /// Stored under this id.
    Added(EntryId),
    /// The same reading (device + sequence number, or device + time + value, or uid) was
    /// already stored under this id; nothing changed.
    AlreadyPresent(EntryId),
}

impl AddOutcome {
    /// The id either way.
    pub fn id(self) -> EntryId {
        match self {
            AddOutcome::Added(id) | AddOutcome::AlreadyPresent(id) => id,
        }
    }
}

/// A change to an entry; `None` fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryEdit {
    /// New content (must be of the same kind).
    pub content: Option<Content>,
    /// New time.
    pub at: Option<DateTime<FixedOffset>>,
    /// New note (`Some(None)` removes it).
    pub note: Option<Option<String>>,
    /// New person.
    pub person: Option<PersonId>,
    /// The person confirmed an implausible value.
    pub confirm_implausible: bool,
}

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only these kinds (all when empty).
    pub kinds: Vec<Kind>,
    /// At or after this instant.
    pub from: Option<DateTime<FixedOffset>>,
    /// Before this instant.
    pub to: Option<DateTime<FixedOffset>>,
    /// Only this person.
    pub person: Option<PersonId>,
    /// Include deleted entries.
    pub include_deleted: bool,
    /// At most this many, counted in the listing order.
    pub limit: Option<u32>,
    /// List the newest entries first.
    pub newest_first: bool,
    /// Only entries that come after this one in the listing order: the cursor for the next
    /// page. With `newest_first`, "after" means older.
    pub after: Option<EntryId>,
}

/// What a change did to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// First version.
    Create,
    /// An edit.
    Edit,
    /// Deleted (tombstone).
    Delete,
    /// Brought back by an undo.
    Restore,
}

impl Change {
    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Create => "create",
            Change::Edit => "edit",
            Change::Delete => "delete",
            Change::Restore => "restore",
        }
    }

    pub(crate) fn from_text(s: &str) -> Option<Self> {
        Some(match s {
            "create" => Change::Create,
            "edit" => Change::Edit,
            "delete" => Change::Delete,
            "restore" => Change::Restore,
            _ => return None,
        })
    }
}

/// One version in an entry's history: the entry as it was after `change`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Version number.
    pub version: i64,
    /// The change that produced it.
    pub change: Change,
    /// When the change was made.
    pub changed_at: DateTime<chrono::Utc>,
    /// The entry at this version.
    pub entry: Entry,
}
