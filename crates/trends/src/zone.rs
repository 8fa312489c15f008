//! The patient's time zone when they have not named one: `TZ` when it holds an IANA name,
//! else the operating system's setting, else UTC. The one place the crate asks the
//! environment anything; every statistic takes its zone as an argument.

use chrono_tz::Tz;

/// The system's IANA zone.
pub fn system() -> Tz {
    std::env::var("TZ")
        .ok()
        .and_then(|tz| tz.trim_start_matches(':').parse::<Tz>().ok())
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|name| name.parse().ok())
        })
        .unwrap_or(Tz::UTC)
}
