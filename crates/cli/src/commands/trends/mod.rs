//! The trends commands: `vitalog stats` (the statistics of a period, as text or as the JSON of
//! `STATS-JSON.md`), `vitalog chart` (the same SVG charts the app shows) and `vitalog report`
//! (the doctor-visit PDF).

pub mod chart;
pub mod report;
pub mod stats;

use chrono_tz::Tz;
use clap::Args;
use journal::{Entry, Filter};
use readings::{Kind, Unit};
use trends::{Observation, Options, Period};

use crate::error::CliError;
use crate::options::GlobalOptions;

/// The period and whose readings, as every trends command takes them.
#[derive(Debug, Args)]
pub struct PeriodArgs {
    /// First day or instant: a local date (2026-03-24) or RFC 3339
    #[arg(long, value_name = "T")]
    from: String,

    /// The day or instant after the period (half-open: [from, to))
    #[arg(long, value_name = "T")]
    to: String,

    /// The IANA time zone whose days and times of day count (default: the system's, as TZ sets it)
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,

    /// Report glucose in mg/dL or mmol/L (default: the unit most readings were recorded in)
    #[arg(long, value_name = "UNIT")]
    unit: Option<String>,

    /// Whose readings (default: the journal's owner)
    #[arg(long, value_name = "NAME")]
    person: Option<String>,
}

/// A period's entries, read from the journal.
pub struct Loaded {
    /// The journal, still unlocked for a command that notes what it made; dropping it (at the
    /// end of the command) locks it.
    pub journal: journal::Journal,
    /// The period.
    pub period: Period,
    /// Its entries of the kinds asked for.
    pub entries: Vec<Entry>,
    /// The devices the journal knows.
    pub devices: Vec<journal::Device>,
    /// The patient's choices.
    pub options: Options,
}

impl Loaded {
    /// Checks the arguments, then unlocks the journal and reads the period's `kinds`.
    pub fn read(
        args: &PeriodArgs,
        kinds: &[Kind],
        global: &GlobalOptions,
    ) -> Result<Loaded, CliError> {
        let zone = zone(args.tz.as_deref())?;
        let period = Period::parse(&args.from, &args.to, zone.name())
            .map_err(|e| CliError::InvalidInput(e.to_string()))?;
        let glucose_unit = match args.unit.as_deref() {
            None => None,
            Some(text) => match text.parse::<Unit>()? {
                unit @ (Unit::MgPerDl | Unit::MmolPerL) => Some(unit),
                _ => {
                    return Err(CliError::InvalidInput(
                        "--unit is the glucose unit: mg/dL or mmol/L".into(),
                    ));
                }
            },
        };
        let journal = crate::commands::journal::unlock(global)?;
        let person = match &args.person {
            Some(name) => crate::commands::journal::person(&journal, name)?,
            None => journal::PersonId(1),
        };
        let entries = journal.list(&Filter {
            kinds: kinds.to_vec(),
            from: Some(period.from().fixed_offset()),
            to: Some(period.to().fixed_offset()),
            person: Some(person),
            ..Filter::default()
        })?;
        let devices = journal.devices()?;
        Ok(Loaded {
            journal,
            period,
            entries,
            devices,
            options: Options {
                glucose_unit,
                ..Options::default()
            },
        })
    }

    /// The entries as the statistics see them.
    pub fn observations(&self) -> Vec<Observation<'_>> {
        self.entries
            .iter()
            .map(|entry| Observation {
                at: entry.at,
                content: &entry.content,
                flags: &entry.flags,
            })
            .collect()
    }
}

/// The zone `--tz` names, else the system's.
pub fn zone(asked: Option<&str>) -> Result<Tz, CliError> {
    match asked {
        Some(name) => name.parse().map_err(|_| {
            CliError::InvalidInput(format!(
                "unknown time zone {name:?}: use an IANA name such as Europe/Berlin"
            ))
        }),
        None => Ok(trends::zone::system()),
    }
}
