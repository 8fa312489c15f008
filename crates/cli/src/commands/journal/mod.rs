//! The journal commands: create and unlock, add/list/edit/delete entries, import/export,
//! backup/restore/erase. Each command unlocks the journal with the passphrase from
//! `--passphrase-file`, `VITALOG_PASSPHRASE` or a prompt, does one thing, and locks it again.

pub mod add;
pub mod backup;
pub mod edit;
pub mod exchange;
pub mod keys;
pub mod list;
pub mod wire;

use chrono::{DateTime, FixedOffset, Timelike};
use journal::{Journal, PersonId};

use crate::error::CliError;
use crate::options::GlobalOptions;
use crate::passphrase;

/// Unlocks the journal in the data folder with the passphrase.
pub fn unlock(global: &GlobalOptions) -> Result<Journal, CliError> {
    let dir = global.data_dir()?;
    if !Journal::exists(&dir) {
        return Err(journal::Error::NotInitialised { dir }.into());
    }
    let passphrase = passphrase::obtain(global, "Passphrase: ")?;
    Ok(Journal::open(&dir, &passphrase)?)
}

/// Parses `--at`: RFC 3339 with offset (`2026-03-01T07:30:00+01:00`), or `now`.
pub fn parse_time(text: &str) -> Result<DateTime<FixedOffset>, CliError> {
    if text == "now" {
        // Whole seconds: a typed-in entry is not more precise than that.
        let now = chrono::Local::now().fixed_offset();
        return Ok(now.with_nanosecond(0).unwrap_or(now));
    }
    DateTime::parse_from_rfc3339(text).map_err(|_| {
        CliError::InvalidInput(format!(
            "{text:?} is not a time like 2026-03-01T07:30:00+01:00 (with its UTC offset) or \"now\""
        ))
    })
}

/// Finds a person by name.
pub fn person(journal: &Journal, name: &str) -> Result<PersonId, CliError> {
    journal.person_by_name(name)?.ok_or_else(|| {
        CliError::InvalidInput(format!(
            "no person called {name:?} (add one with: vitalog person add NAME)"
        ))
    })
}
