//! Codecs for the Bluetooth LE health characteristics Vitalog reads: pure functions from
//! octets to typed values and back.
//!
//! # Design
//!
//! This crate is the codec half of Vitalog's sans-IO protocol layer. It performs no I/O, reads
//! no clock, spawns nothing and knows nothing of async runtimes or Bluetooth stacks: the one
//! crate that talks to the radio hands it the octets of a characteristic value, and device
//! session state machines build on its types.
//!
//! * Every characteristic has a type with `decode(&[u8]) -> Result<Self, DecodeError>` and
//!   `encode(&self) -> Vec<u8>`; encoders exist for all of them so that simulated monitors and
//!   round-trip tests speak the same layouts. [`decode`] dispatches on a [`Characteristic`].
//! * Decoders never panic and never allocate in proportion to a length field: they walk the
//!   value with a bounds-checked reader, and the only allocations are proportional to the input
//!   itself (CGM records, RR intervals, strings).
//! * Values are kept as the device sent them. SFLOAT and FLOAT keep their raw word
//!   ([`Sfloat`], [`Float`]), read as a [`MedfloatValue`]: an exact [`Decimal`] that keeps the
//!   reported precision (2.00 is not 2.0) or one of five distinct special values. An `f64`
//!   appears only at the edge ([`Decimal::to_f64`]). Scaled integers (0.005 kg, 0.1 %) are kept
//!   raw with helpers that give exact decimals. Dates keep every part as sent ([`DateTime`]).
//!   Status and feature bit fields keep all bits, reserved ones included.
//! * Errors name the characteristic and the field ([`DecodeError`]).
//! * Presentation (JSON, UI text) lives in the adapters; these types carry no serde attributes.
//!
//! # Decoding policies
//!
//! These follow the `vitalog decode` contract so the CLI, the app and the tests agree.
//!
//! 1. **Truncation.** A value shorter than the fields its flags announce is an error
//!    ([`DecodeErrorKind::Truncated`], naming the field). A Heart Rate Measurement that
//!    flags RR intervals must carry at least one.
//! 2. **Trailing octets.** For characteristics with flags (measurements, PLX Features) extra
//!    octets after the announced fields are ignored, as later revisions of a specification may
//!    append fields. Fixed-size values must have exactly their length
//!    ([`DecodeErrorKind::WrongLength`]): Date Time 7, Current Time 10, the Glucose, Blood
//!    Pressure and Weight Scale Features 2, 2 and 4, CGM Feature 6, CGM Status 5 or 7, CGM
//!    Session Start Time 9 or 11, CGM Session Run Time 2 or 4, Battery Level 1, System ID 8.
//! 3. **RFU flag bits** are ignored when decoding, and encoders never set them. Reserved bits
//!    of status and feature fields are kept as sent.
//! 4. **Dates and times.** A month above 12, a day above 31, hours above 23, minutes or seconds
//!    above 59, or a year other than 0 or 1582–9999 is an error; so is a day of the week above
//!    7 in Current Time. A date such as February 31 whose parts are each in range is accepted
//!    as sent ([`DateTime::is_calendar_date`] tells). The Glucose Base Time is held to the
//!    same rule, although GLS forbids the "unknown" zeros there.
//! 5. **RACP.** Responses must have operator Null and an operand of exactly 2 octets (the
//!    uint16 of Number of Stored Records, or request op code and response code); request op
//!    codes are errors when decoding a response. Requests are checked the same way when a
//!    simulated device decodes them.
//! 6. **CGM E2E-CRC.** A CGM record carries an E2E-CRC exactly when its Size equals the length
//!    of its flagged fields + 2; any other Size that disagrees with the flags is an error. A
//!    CRC (CRC-16/MCRF4XX over every preceding octet of the record) that does not match is an
//!    error. CGM Status, Session Start Time and Session Run Time carry one when their length
//!    says so; CGM Feature's CRC is checked when its E2E-CRC-supported bit is set.
//! 7. **Strings.** Device Information strings are decoded lossily: trailing NULs are dropped,
//!    invalid UTF-8 and control characters become U+FFFD.
//! 8. **Values kept as sent.** Special SFLOAT/FLOAT values, a weight of 0xFFFF (measurement
//!    unsuccessful), a battery level above 100, sample types, CGM time zones and the Current
//!    Time day of week (not checked against the date) are all kept, for the layers above to
//!    judge.
//!
//! # Tests, fuzzing and benchmarks
//!
//! * `tests/it/` (one binary): known answers from the specifications, one test per decoding
//!   policy, every flag combination of every characteristic with flags, and property tests
//!   (encode → decode round trips; arbitrary octets never panic and re-encode stably).
//! * `fuzz/` (cargo-fuzz, its own workspace): a `decode` target that reaches every decoder
//!   through its first octet, and targets of their own for the sync-critical decoders. Run
//!   with `cargo +nightly fuzz run decode` (or `RUSTC_BOOTSTRAP=1 cargo fuzz run decode` on
//!   stable). The committed corpus is replayed by `cargo test`, so CI needs no nightly.
//! * `benches/decode.rs`: decode throughput in records per second (`cargo bench -p ble-proto`).
//!
//! # Sessions and the time model
//!
//! [`session`] holds the sans-IO device sessions built on these codecs — glucose record sync
//! over RACP, the blood pressure cuff transfer, CGM sync and the Current Time check — fed link
//! events and the time, asked for actions and outputs. [`time`] keeps what a device sent as
//! its time apart from the UTC instant derived from it, with a stated quality. Their fuzz
//! targets are the `session_*` ones; `tests/it/session/` drives them with a simulated clock.

#![warn(missing_docs)]

mod bits;
mod wire;

pub mod blood_pressure;
pub mod cgm;
pub mod characteristic;
pub mod crc;
pub mod current_time;
pub mod date_time;
pub mod decimal;
pub mod device_information;
pub mod error;
pub mod glucose;
pub mod heart_rate;
pub mod medfloat;
pub mod pulse_oximeter;
pub mod racp;
pub mod session;
pub mod thermometer;
pub mod time;
pub mod value;
pub mod weight;

pub use characteristic::{BLUETOOTH_BASE_UUID, Characteristic, service, uuid128};
pub use date_time::{DateTime, InvalidDateTime};
pub use decimal::Decimal;
pub use error::{DecodeError, DecodeErrorKind};
pub use medfloat::{Float, MedfloatValue, Sfloat};
pub use value::{CharacteristicValue, decode};
