//! The period statistics cover: a half-open interval of instants `[from, to)` and the time zone
//! whose calendar days and times of day the statistics count in.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A period could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// A bound is neither RFC 3339 nor a date.
    #[error("{what} must be a date (2026-03-24) or an RFC 3339 time (2026-03-24T07:30:00+01:00)")]
    BadBound {
        /// `--from` or `--to`.
        what: &'static str,
    },
    /// The zone is not an IANA name.
    #[error("unknown time zone {0:?}: use an IANA name such as Europe/Berlin")]
    UnknownZone(String),
    /// The period is empty or reversed.
    #[error("the period must end after it starts")]
    Empty,
}

/// `[from, to)` in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    zone: Tz,
    /// Where readings can have been taken up to: `to`, or now when the period runs on (the
    /// last days up to the end of today), so wear and readings per day count what could be.
    until: DateTime<Utc>,
}

impl Period {
    /// The period from `from` up to (not including) `to`, counted in `zone`.
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>, zone: Tz) -> Result<Period, PeriodError> {
        if to <= from {
            return Err(PeriodError::Empty);
        }
        Ok(Period {
            from,
            to,
            zone,
            until: to,
        })
    }

    /// Reads bounds as the CLI takes them: RFC 3339, or a local date meaning its first instant
    /// in `zone`.
    pub fn parse(from: &str, to: &str, zone: &str) -> Result<Period, PeriodError> {
        let zone: Tz = zone
            .parse()
            .map_err(|_| PeriodError::UnknownZone(zone.to_owned()))?;
        let from = parse_bound(from, zone, "--from")?;
        let to = parse_bound(to, zone, "--to")?;
        Period::new(from, to, zone)
    }

    /// The last `days` local calendar days up to and including the day `now` falls on.
    pub fn last_days(now: DateTime<Utc>, days: u32, zone: Tz) -> Period {
        let today = now.with_timezone(&zone).date_naive();
        let from_day = today - Duration::days(i64::from(days.max(1)) - 1);
        let tomorrow = today + Duration::days(1);
        let to = start_of(tomorrow, zone);
        Period {
            from: start_of(from_day, zone),
            to,
            zone,
            until: now.min(to),
        }
    }

    /// The first instant.
    pub fn from(&self) -> DateTime<Utc> {
        self.from
    }

    /// The first instant after the period.
    pub fn to(&self) -> DateTime<Utc> {
        self.to
    }

    /// The zone.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Whether `at` is in the period.
    pub fn contains(&self, at: &DateTime<FixedOffset>) -> bool {
        let at = at.with_timezone(&Utc);
        self.from <= at && at < self.to
    }

    /// `at` in the period's zone.
    pub fn local(&self, at: &DateTime<FixedOffset>) -> DateTime<Tz> {
        at.with_timezone(&self.zone)
    }

    /// How many local calendar days the period touches (a 14-day period across a change to
    /// or from summer time is 14 days, not 13.96 or 14.04).
    pub fn calendar_days(&self) -> u32 {
        let first = self.from.with_timezone(&self.zone).date_naive();
        let last = (self.to - Duration::nanoseconds(1))
            .with_timezone(&self.zone)
            .date_naive();
        u32::try_from((last - first).num_days() + 1).unwrap_or(u32::MAX)
    }

    /// Its length in minutes, as elapsed (a 23-hour day counts 1,380).
    pub fn minutes(&self) -> f64 {
        (self.to - self.from).num_seconds() as f64 / 60.0
    }

    /// The minutes in which readings can have been taken: all of them, or up to now for a
    /// period that runs on.
    pub fn measured_minutes(&self) -> f64 {
        (self.until - self.from).num_seconds().max(60) as f64 / 60.0
    }
}

/// The first instant of `day` in `zone` (midnight, or the first time after a gap at midnight).
fn start_of(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let mut time = NaiveTime::MIN;
    for _ in 0..=24 * 4 {
        if let Some(start) = zone.from_local_datetime(&day.and_time(time)).earliest() {
            return start.with_timezone(&Utc);
        }
        time += Duration::minutes(15);
    }
    Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN))
}

fn parse_bound(text: &str, zone: Tz, what: &'static str) -> Result<DateTime<Utc>, PeriodError> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|day| start_of(day, zone))
        .map_err(|_| PeriodError::BadBound { what })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fourteen_days_across_a_change_to_summer_time_are_fourteen() {
        let period = Period::parse("2026-03-22", "2026-04-05", "Europe/Berlin").unwrap();
        assert_eq!(period.calendar_days(), 14);
        assert_eq!(period.minutes(), (14.0 * 24.0 - 1.0) * 60.0);
        let autumn = Period::parse("2026-10-18", "2026-11-01", "Europe/Berlin").unwrap();
        assert_eq!(autumn.calendar_days(), 14);
        assert_eq!(autumn.minutes(), (14.0 * 24.0 + 1.0) * 60.0);
    }

    #[test]
    fn bounds_are_half_open_and_read_in_the_zone() {
        let period = Period::parse("2026-03-01", "2026-03-02", "Europe/Berlin").unwrap();
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap();
        assert!(period.contains(&at("2026-03-01T00:00:00+01:00")));
        assert!(period.contains(&at("2026-03-01T23:59:59+01:00")));
        assert!(!period.contains(&at("2026-03-02T00:00:00+01:00")));
        assert!(!period.contains(&at("2026-02-28T23:59:59+01:00")));
        assert_eq!(period.calendar_days(), 1);
        assert!(Period::parse("2026-03-02", "2026-03-01", "Europe/Berlin").is_err());
        assert!(Period::parse("2026-03-01", "2026-03-02", "Mars/Olympus").is_err());
        assert!(Period::parse("yesterday", "2026-03-02", "UTC").is_err());
    }

    #[test]
    fn the_last_days_end_at_the_end_of_today() {
        let now = DateTime::parse_from_rfc3339("2026-03-10T15:00:00+01:00")
            .unwrap()
            .with_timezone(&Utc);
        let zone: Tz = "Europe/Berlin".parse().unwrap();
        let week = Period::last_days(now, 7, zone);
        assert_eq!(week.calendar_days(), 7);
        assert_eq!(
            week.to().with_timezone(&zone).to_rfc3339(),
            "2026-03-11T00:00:00+01:00"
        );
        // Readings can have been taken for six days and fifteen hours so far.
        assert_eq!(week.measured_minutes(), (6.0 * 24.0 + 15.0) * 60.0);
    }
}
