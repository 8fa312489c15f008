//! What the journal stores: people, devices, and entries (readings and events) with their time,
//! source and flags. Plain domain types; wire formats live at the boundaries.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, Utc};

use crate::decimal::Decimal;
use crate::error::Error;

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
    /// What it measures (the link's stable kind name, e.g. `glucose`), once it has synced.
    pub kind: Option<String>,
    /// Its battery level at the last sync that reported one, in percent.
    pub battery_percent: Option<u8>,
    /// When it last synced.
    pub last_sync: Option<DateTime<Utc>>,
}

/// What a finished sync tells about its monitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncMark {
    /// What the monitor measures (the link's stable kind name).
    pub kind: String,
    /// Its battery level, when it reported one.
    pub battery_percent: Option<u8>,
    /// When the sync finished.
    pub at: DateTime<Utc>,
}

/// Units the journal accepts, named by their UCUM codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// mg/dL
    MgPerDl,
    /// mmol/L
    MmolPerL,
    /// mm[Hg]
    MmHg,
    /// kPa
    KPa,
    /// kg
    Kg,
    /// [lb_av]
    Lb,
    /// Cel
    Celsius,
    /// [degF]
    Fahrenheit,
    /// %
    Percent,
    /// /min
    PerMin,
    /// [IU] (insulin units)
    InsulinUnits,
    /// g (carbohydrates)
    Grams,
}

impl Unit {
    /// The UCUM code.
    pub fn ucum(self) -> &'static str {
        match self {
            Unit::MgPerDl => "mg/dL",
            Unit::MmolPerL => "mmol/L",
            Unit::MmHg => "mm[Hg]",
            Unit::KPa => "kPa",
            Unit::Kg => "kg",
            Unit::Lb => "[lb_av]",
            Unit::Celsius => "Cel",
            Unit::Fahrenheit => "[degF]",
            Unit::Percent => "%",
            Unit::PerMin => "/min",
            Unit::InsulinUnits => "[IU]",
            Unit::Grams => "g",
        }
    }

    /// Parses a UCUM code or a common spelling (`mmHg`, `C`, `°F`, `lb`, `bpm`, `U`…).
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        Some(match t.to_ascii_lowercase().as_str() {
            "mg/dl" => Unit::MgPerDl,
            "mmol/l" => Unit::MmolPerL,
            "mm[hg]" | "mmhg" => Unit::MmHg,
            "kpa" => Unit::KPa,
            "kg" => Unit::Kg,
            "[lb_av]" | "lb" | "lbs" => Unit::Lb,
            "cel" | "c" | "°c" => Unit::Celsius,
            "[degf]" | "f" | "°f" => Unit::Fahrenheit,
            "%" => Unit::Percent,
            "/min" | "bpm" => Unit::PerMin,
            "[iu]" | "u" | "iu" => Unit::InsulinUnits,
            "g" => Unit::Grams,
            _ => return None,
        })
    }
}

/// A value with the unit it was recorded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    /// The value as recorded.
    pub value: Decimal,
    /// The unit as recorded.
    pub unit: Unit,
}

/// When a glucose reading was taken relative to a meal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Ok(match s {
            "before" => MealContext::Before,
            "after" => MealContext::After,
            "fasting" => MealContext::Fasting,
            "bedtime" => MealContext::Bedtime,
            "casual" => MealContext::Casual,
            _ => {
                return Err(Error::Invalid(format!(
                    "meal context {s:?} is not one of before, after, fasting, bedtime, casual"
                )));
            }
        })
    }
}

/// The kind of an entry; its text form is what lists and exports show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Blood glucose.
    Glucose,
    /// Blood pressure (systolic/diastolic, optional mean and pulse).
    BloodPressure,
    /// Body weight.
    Weight,
    /// Body temperature.
    Temperature,
    /// Oxygen saturation.
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

impl Kind {
    /// Every kind.
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

    /// Whether this kind is a measurement (as opposed to an event).
    pub fn is_reading(self) -> bool {
        matches!(
            self,
            Kind::Glucose
                | Kind::BloodPressure
                | Kind::Weight
                | Kind::Temperature
                | Kind::SpO2
                | Kind::HeartRate
                | Kind::BodyFat
        )
    }
}

impl FromStr for Kind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
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
            .ok_or_else(|| Error::Invalid(format!("unknown kind {s:?}")))
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

/// Where an entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Received from a monitor.
    Device,
    /// Typed in by a person.
    Manual,
    /// Imported from a file.
    Import,
    /// Demo data.
    Demo,
}

impl Source {
    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Device => "device",
            Source::Manual => "manual",
            Source::Import => "import",
            Source::Demo => "demo",
        }
    }
}

impl FromStr for Source {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Ok(match s {
            "device" => Source::Device,
            "manual" => Source::Manual,
            "import" => Source::Import,
            "demo" => Source::Demo,
            _ => return Err(Error::Invalid(format!("unknown source {s:?}"))),
        })
    }
}

/// How trustworthy an entry's time is (STANDARDS.md §1.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeQuality {
    /// Entered by a person.
    Entered,
    /// The device's clock, checked against the collector's and mapped.
    DeviceSynced,
    /// The device's clock, not checked ("device clock unverified").
    DeviceUnverified,
    /// No device time: the collector's time of reception.
    Reception,
}

impl TimeQuality {
    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeQuality::Entered => "entered",
            TimeQuality::DeviceSynced => "device-synced",
            TimeQuality::DeviceUnverified => "device-unverified",
            TimeQuality::Reception => "reception",
        }
    }
}

impl FromStr for TimeQuality {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Ok(match s {
            "entered" => TimeQuality::Entered,
            "device-synced" => TimeQuality::DeviceSynced,
            "device-unverified" => TimeQuality::DeviceUnverified,
            "reception" => TimeQuality::Reception,
            _ => return Err(Error::Invalid(format!("unknown time quality {s:?}"))),
        })
    }
}

/// A flag carried by an entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flag {
    /// A glucose result from control solution: never in statistics or uploads.
    ControlSolution,
    /// Outside the usual range; stored after confirmation (manual) or as received (device).
    Implausible,
    /// A device status bit or annunciation, e.g. `cuff-loose`, `irregular-pulse`.
    Status(String),
}

impl Flag {
    /// Stable text form: `control-solution`, `implausible`, `status:<name>`.
    pub fn to_text(&self) -> String {
        match self {
            Flag::ControlSolution => "control-solution".into(),
            Flag::Implausible => "implausible".into(),
            Flag::Status(s) => format!("status:{s}"),
        }
    }

    /// Parses the text form.
    pub fn from_text(s: &str) -> Result<Self, Error> {
        match s {
            "control-solution" => Ok(Flag::ControlSolution),
            "implausible" => Ok(Flag::Implausible),
            _ => match s.strip_prefix("status:") {
                Some(name)
                    if !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
                {
                    Ok(Flag::Status(name.into()))
                }
                _ => Err(Error::Invalid(format!("unknown flag {s:?}"))),
            },
        }
    }
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
