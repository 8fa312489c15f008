//! What the patient chooses, in days of their own calendar, turned into the journal's grant
//! terms (instants): "from 1 March" starts at local midnight, "until 31 March" ends at the
//! following midnight, and "only new readings" starts at the current minute.

use std::collections::BTreeSet;

use chrono::{DateTime, Days, Local, NaiveDate, TimeZone, Utc};
use journal::sharing::GrantTerms;
use readings::Kind;

/// Which readings a grant reaches back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// Only readings taken from now on.
    OnlyNew,
    /// Readings taken from this day on.
    Day(NaiveDate),
    /// The whole history.
    Everything,
}

/// What the patient chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The kinds of readings.
    pub kinds: BTreeSet<Kind>,
    /// Whether notes go with the readings.
    pub notes: bool,
    /// From when.
    pub since: Since,
    /// New readings as they arrive.
    pub realtime: bool,
    /// The last day of sharing.
    pub until: Option<NaiveDate>,
}

/// A day that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermsError {
    /// The day has no midnight on this computer's clock (a time-zone change at midnight).
    #[error("{0} cannot be used on this computer's calendar; choose the day before or after")]
    NoMidnight(NaiveDate),
    /// The last day of sharing is already over.
    #[error("the last day of sharing must be today or later")]
    EndInPast,
}

/// The first instant of `day` on this computer's calendar.
fn start_of(day: NaiveDate) -> Result<DateTime<Utc>, TermsError> {
    let midnight = day
        .and_hms_opt(0, 0, 0)
        .ok_or(TermsError::NoMidnight(day))?;
    Local
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or(TermsError::NoMidnight(day))
}

/// The grant terms for `choice` made at `now`.
pub fn terms(choice: &Choice, now: DateTime<Utc>) -> Result<GrantTerms, TermsError> {
    let since = match choice.since {
        Since::OnlyNew => Some(GrantTerms::from_now(now)),
        Since::Day(day) => Some(start_of(day)?),
        Since::Everything => None,
    };
    let until = match choice.until {
        Some(day) => {
            let end = start_of(
                day.checked_add_days(Days::new(1))
                    .ok_or(TermsError::NoMidnight(day))?,
            )?;
            if end <= now {
                return Err(TermsError::EndInPast);
            }
            Some(end)
        }
        None => None,
    };
    Ok(GrantTerms {
        kinds: choice.kinds.clone(),
        notes: choice.notes,
        since,
        realtime: choice.realtime,
        until,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_local_midnights_and_only_new_starts_this_minute() {
        let now = DateTime::parse_from_rfc3339("2026-03-10T12:34:56.789Z")
            .map(|t| t.to_utc())
            .unwrap_or_default();
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        let choice = Choice {
            kinds: BTreeSet::from([Kind::Glucose]),
            notes: false,
            since: Since::OnlyNew,
            realtime: true,
            until: Some(day("2026-03-31")),
        };
        let t = terms(&choice, now).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            t.since.map(|s| s.to_rfc3339()),
            Some("2026-03-10T12:34:00+00:00".into())
        );
        let until = t.until.unwrap_or_default().with_timezone(&Local);
        assert_eq!(until.date_naive(), day("2026-04-01"));
        assert_eq!(until.format("%H:%M").to_string(), "00:00");

        let everything = terms(
            &Choice {
                since: Since::Everything,
                ..choice.clone()
            },
            now,
        );
        assert_eq!(everything.map(|t| t.since), Ok(None));
        assert_eq!(
            terms(
                &Choice {
                    until: Some(day("2026-03-01")),
                    ..choice
                },
                now
            ),
            Err(TermsError::EndInPast)
        );
    }
}
