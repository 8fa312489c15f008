//! The one integration-test binary of `ble-proto`: known answers from the specifications,
//! decoding policies, exhaustive flag round trips, property tests and the fuzz corpus;
//! and the device sessions and time model, under a simulated clock.

// In tests a panic is the failure report, helpers included.
#![allow(clippy::unwrap_used)]

mod corpus;
mod flags;
mod known_answers;
mod medfloat;
mod policies;
mod round_trip;
mod session;
mod time_model;

use ble_proto::{Characteristic, CharacteristicValue, DateTime, DecodeErrorKind};

/// Octets from hex text; spaces are ignored.
pub fn octets(hex: &str) -> Vec<u8> {
    let digits: Vec<u8> = hex.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    assert!(digits.len().is_multiple_of(2), "odd hex: {hex}");
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

/// Decodes `hex` as `characteristic`, compares with `expected`, and checks that encoding the
/// expected value decodes to it again.
#[track_caller]
pub fn check(characteristic: Characteristic, hex: &str, expected: CharacteristicValue) {
    let decoded = ble_proto::decode(characteristic, &octets(hex));
    assert_eq!(decoded, Ok(expected.clone()), "decoding {hex}");
    let again = ble_proto::decode(characteristic, &expected.encode());
    assert_eq!(again, Ok(expected), "re-decoding the encoding of {hex}");
}

/// Decodes `hex` as `characteristic` and expects this error.
#[track_caller]
pub fn check_error(characteristic: Characteristic, hex: &str, expected: DecodeErrorKind) {
    let error = ble_proto::decode(characteristic, &octets(hex)).expect_err(hex);
    assert_eq!(error.characteristic, characteristic, "{hex}");
    assert_eq!(error.kind, expected, "{hex}");
}

/// A date and time that is known to be valid.
pub fn date_time(year: u16, month: u8, day: u8, hours: u8, minutes: u8, seconds: u8) -> DateTime {
    DateTime::new(year, month, day, hours, minutes, seconds).unwrap()
}
