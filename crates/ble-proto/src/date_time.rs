//! The Date Time field (7 octets) shared by timestamps, base times and clock settings, kept
//! exactly as the device sent it.
//!
//! A year, month or day of 0 means "not known" and is kept as 0. Each part is checked against
//! its own range only: a calendar-impossible date such as February 31 is accepted as sent, and
//! the journal flags it when it derives an instant (decoding policy 4).

use std::fmt;

/// A date and time as sent by a device: no time zone, no offset applied, 0 meaning unknown
/// for the year, month and day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    year: u16,
    month: u8,
    day: u8,
    hours: u8,
    minutes: u8,
    seconds: u8,
}

/// The part of a [`DateTime`] that is out of range, and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{part} {value} is out of range")]
pub struct InvalidDateTime {
    /// `year`, `month`, `day`, `hours`, `minutes` or `seconds`.
    pub part: &'static str,
    /// The value given.
    pub value: u16,
}

impl DateTime {
    /// The encoded length of a Date Time field.
    pub const LEN: usize = 7;

    /// A date and time whose every part is in range: year 0 or 1582–9999, month 0–12,
    /// day 0–31, hours 0–23, minutes and seconds 0–59.
    pub const fn new(
        year: u16,
        month: u8,
        day: u8,
        hours: u8,
        minutes: u8,
        seconds: u8,
    ) -> Result<Self, InvalidDateTime> {
        let (part, value) = if year != 0 && (year < 1582 || year > 9999) {
            ("year", year)
        } else if month > 12 {
            ("month", month as u16)
        } else if day > 31 {
            ("day", day as u16)
        } else if hours > 23 {
            ("hours", hours as u16)
        } else if minutes > 59 {
            ("minutes", minutes as u16)
        } else if seconds > 59 {
            ("seconds", seconds as u16)
        } else {
            return Ok(DateTime {
                year,
                month,
                day,
                hours,
                minutes,
                seconds,
            });
        };
        Err(InvalidDateTime { part, value })
    }

    /// Reads the 7 octets of a Date Time field.
    pub const fn from_octets(octets: [u8; 7]) -> Result<Self, InvalidDateTime> {
        DateTime::new(
            u16::from_le_bytes([octets[0], octets[1]]),
            octets[2],
            octets[3],
            octets[4],
            octets[5],
            octets[6],
        )
    }

    /// The 7 octets of this Date Time field.
    pub const fn to_octets(self) -> [u8; 7] {
        let year = self.year.to_le_bytes();
        [
            year[0],
            year[1],
            self.month,
            self.day,
            self.hours,
            self.minutes,
            self.seconds,
        ]
    }

    /// The year (1582–9999), or 0 when not known.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month (1–12), or 0 when not known.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month (1–31), or 0 when not known.
    pub const fn day(self) -> u8 {
        self.day
    }

    /// The hours (0–23).
    pub const fn hours(self) -> u8 {
        self.hours
    }

    /// The minutes (0–59).
    pub const fn minutes(self) -> u8 {
        self.minutes
    }

    /// The seconds (0–59).
    pub const fn seconds(self) -> u8 {
        self.seconds
    }

    /// Whether the year, month and day are all known and name a day of the Gregorian
    /// calendar (so not February 30).
    pub const fn is_calendar_date(self) -> bool {
        if self.year == 0 || self.month == 0 || self.day == 0 {
            return false;
        }
        let leap = (self.year.is_multiple_of(4) && !self.year.is_multiple_of(100))
            || self.year.is_multiple_of(400);
        let days = match self.month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        self.day <= days
    }
}

impl fmt::Display for DateTime {
    /// `YYYY-MM-DDTHH:MM:SS`, unknown parts printed as zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hours, self.minutes, self.seconds
        )
    }
}
