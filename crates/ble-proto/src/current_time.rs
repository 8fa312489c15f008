//! Clock values: Date Time (0x2A08, 7 octets) and Current Time (0x2A2B, 10 octets) of the
//! Current Time Service (CTS 0x1805). The app reads Current Time to learn a device's clock
//! offset and writes it to set the clock, so both directions are supported.

use crate::bits::bit_field;
use crate::characteristic::Characteristic;
use crate::date_time::DateTime;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::wire::{Reader, expect_length, put_date_time};

/// Decodes a Date Time value (exactly 7 octets).
pub fn decode_date_time(bytes: &[u8]) -> Result<DateTime, DecodeError> {
    expect_length(Characteristic::DateTime, bytes, &[DateTime::LEN])?;
    Reader::new(Characteristic::DateTime, bytes).date_time("timestamp")
}

/// Encodes a Date Time value.
pub fn encode_date_time(date_time: DateTime) -> Vec<u8> {
    date_time.to_octets().to_vec()
}

/// The day of the week of a Current Time value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayOfWeek {
    /// 0: not known.
    Unknown,
    /// 1.
    Monday,
    /// 2.
    Tuesday,
    /// 3.
    Wednesday,
    /// 4.
    Thursday,
    /// 5.
    Friday,
    /// 6.
    Saturday,
    /// 7.
    Sunday,
}

impl DayOfWeek {
    /// The day for its number (0 unknown, 1 Monday … 7 Sunday); `None` above 7.
    pub const fn from_number(number: u8) -> Option<Self> {
        Some(match number {
            0 => DayOfWeek::Unknown,
            1 => DayOfWeek::Monday,
            2 => DayOfWeek::Tuesday,
            3 => DayOfWeek::Wednesday,
            4 => DayOfWeek::Thursday,
            5 => DayOfWeek::Friday,
            6 => DayOfWeek::Saturday,
            7 => DayOfWeek::Sunday,
            _ => return None,
        })
    }

    /// The number on the wire.
    pub const fn number(self) -> u8 {
        self as u8
    }
}

bit_field! {
    /// Why the device's clock was last adjusted.
    AdjustReason(u8) {
        /// The user set the time by hand.
        MANUAL_TIME_UPDATE = 0;
        /// An external reference (such as this app) set the time.
        EXTERNAL_REFERENCE_TIME_UPDATE = 1;
        /// The time zone changed.
        CHANGE_OF_TIME_ZONE = 2;
        /// Daylight saving time began or ended.
        CHANGE_OF_DST = 3;
    }
}

/// A device's clock (0x2A2B), read to learn its offset and written to set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentTime {
    /// Date and time, as the device keeps them.
    pub date_time: DateTime,
    /// The day of the week, as sent (not checked against the date).
    pub day_of_week: DayOfWeek,
    /// Fractions of a second in 1/256 s.
    pub fractions256: u8,
    /// Why the clock was last adjusted (or, when writing, why it is being adjusted).
    pub adjust_reason: AdjustReason,
}

impl CurrentTime {
    /// Decodes a Current Time value (exactly 10 octets).
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        expect_length(Characteristic::CurrentTime, bytes, &[10])?;
        let mut reader = Reader::new(Characteristic::CurrentTime, bytes);
        let date_time = reader.date_time("timestamp")?;
        let day = reader.u8("day_of_week")?;
        let Some(day_of_week) = DayOfWeek::from_number(day) else {
            return Err(reader.error(DecodeErrorKind::OutOfRange {
                field: "day_of_week",
                value: u32::from(day),
            }));
        };
        Ok(CurrentTime {
            date_time,
            day_of_week,
            fractions256: reader.u8("fractions256")?,
            adjust_reason: AdjustReason(reader.u8("adjust_reason")?),
        })
    }

    /// Encodes this value, for writing a device's clock.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(10);
        put_date_time(&mut out, self.date_time);
        out.push(self.day_of_week.number());
        out.push(self.fractions256);
        out.push(self.adjust_reason.bits());
        out
    }
}
