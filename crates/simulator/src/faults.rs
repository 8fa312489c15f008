//! Faults a simulated monitor can be asked to show.

use std::str::FromStr;

/// What a simulated monitor does wrong, on demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Faults {
    /// Drop the link after sending this many records (once: the next connection completes).
    pub drop_after: Option<u32>,
    /// Truncate every n-th record value.
    pub truncate_every: Option<u32>,
    /// Send every n-th record with an impossible date (month 13).
    pub malformed_every: Option<u32>,
    /// Store every n-th glucose reading with a value no blood can hold (3,000 mg/dL): it
    /// decodes, but the journal refuses it.
    pub impossible_every: Option<u32>,
    /// Send every record twice.
    pub duplicate: bool,
    /// The monitor's clock is off by this many seconds.
    pub clock_offset_s: i64,
    /// The link is neither bonded nor encrypted (the monitor was never paired).
    pub unbonded: bool,
}

/// A `--faults` list that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown fault {0:?}: use drop:N, truncate:N, malformed:N, impossible:N, duplicate, clock:SECONDS, unbonded (comma-separated)"
)]
pub struct InvalidFaults(pub String);

impl FromStr for Faults {
    type Err = InvalidFaults;

    /// Reads `drop:5,truncate:3,malformed:4,impossible:7,duplicate,clock:-3600,unbonded`.
    fn from_str(text: &str) -> Result<Faults, InvalidFaults> {
        let mut faults = Faults::default();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let invalid = || InvalidFaults(item.to_owned());
            let (name, value) = match item.split_once(':') {
                Some((name, value)) => (name, Some(value)),
                None => (item, None),
            };
            let count = || -> Result<u32, InvalidFaults> {
                value
                    .and_then(|v| v.parse::<u32>().ok())
                    .filter(|n| *n > 0 || name == "drop")
                    .ok_or_else(invalid)
            };
            match name {
                "drop" => faults.drop_after = Some(count()?),
                "truncate" => faults.truncate_every = Some(count()?),
                "malformed" => faults.malformed_every = Some(count()?),
                "impossible" => faults.impossible_every = Some(count()?),
                "duplicate" if value.is_none() => faults.duplicate = true,
                "unbonded" if value.is_none() => faults.unbonded = true,
                "clock" => {
                    faults.clock_offset_s = value
                        .and_then(|v| v.trim_start_matches('+').parse().ok())
                        .ok_or_else(invalid)?;
                }
                _ => return Err(invalid()),
            }
        }
        Ok(faults)
    }
}

impl Faults {
    /// Whether record number `index` (1-based, within this connection) is hit by `every`.
    pub(crate) fn hits(every: Option<u32>, index: u32) -> bool {
        every.is_some_and(|n| n > 0 && index.is_multiple_of(n))
    }
}

/// A problem the app's demo monitors can be asked to show, to see how Vitalog copes: each is a
/// set of [`Faults`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum DemoProblem {
    /// Everything works.
    #[default]
    None,
    /// The link drops half-way through the first sync.
    LinkDrops,
    /// Some values arrive truncated or with impossible dates.
    DamagedValues,
    /// Every value arrives twice.
    RepeatedValues,
    /// The meter stored some readings no blood can hold; the journal refuses them.
    ImpossibleValues,
    /// The monitor's clock is 47 minutes fast.
    WrongClock,
}

impl DemoProblem {
    /// The faults that show this problem on monitors holding `records` records.
    pub fn faults(self, records: u16) -> Faults {
        let records = u32::from(records);
        match self {
            DemoProblem::None => Faults::default(),
            DemoProblem::LinkDrops => Faults {
                drop_after: Some((records / 2).max(1)),
                ..Faults::default()
            },
            DemoProblem::DamagedValues => Faults {
                truncate_every: Some(7),
                malformed_every: Some(11),
                ..Faults::default()
            },
            DemoProblem::RepeatedValues => Faults {
                duplicate: true,
                ..Faults::default()
            },
            DemoProblem::ImpossibleValues => Faults {
                impossible_every: Some(13),
                ..Faults::default()
            },
            DemoProblem::WrongClock => Faults {
                clock_offset_s: 47 * 60,
                ..Faults::default()
            },
        }
    }
}
