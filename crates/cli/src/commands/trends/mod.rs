//! The trends commands: `vitalog stats` (the statistics of a period, as text or as the JSON of
//! `STATS-JSON.md`).

pub mod stats;

use chrono_tz::Tz;

use crate::error::CliError;

/// The zone `--tz` names, else the system's: `TZ` when it holds an IANA name, else what the
/// operating system says, else UTC.
pub fn zone(asked: Option<&str>) -> Result<Tz, CliError> {
    let unknown = |name: &str| {
        CliError::InvalidInput(format!(
            "unknown time zone {name:?}: use an IANA name such as Europe/Berlin"
        ))
    };
    if let Some(name) = asked {
        return name.parse().map_err(|_| unknown(name));
    }
    let from_env = std::env::var("TZ")
        .ok()
        .map(|tz| tz.trim_start_matches(':').to_owned())
        .and_then(|tz| tz.parse::<Tz>().ok());
    Ok(from_env
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|name| name.parse().ok())
        })
        .unwrap_or(Tz::UTC))
}
