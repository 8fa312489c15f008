//! `vitalog decode`: decode one Bluetooth characteristic value, or a stream of them, to JSON.
//!
//! This is the command-line face of the `ble-proto` codecs, for checking a device's octets
//! by hand and for scripted conformance tests. The JSON vocabulary and the decoding policies
//! are the contract in `DECODE-JSON.md`.
//!
//! Input conventions:
//! * `CHAR` is a 16-bit characteristic UUID in hex (`2A35`, `2a35`, `0x2A35`), or `SFLOAT` /
//!   `FLOAT` (any case) for a standalone IEEE 11073 number.
//! * `HEX` is the value's octets in the order they travel on the air (multi-byte fields are
//!   little-endian, so the SFLOAT 0xF014 is `14F0`). Octets may be separated by spaces, colons
//!   or dashes, but a separator may not split an octet. An empty `HEX` is zero octets.
//! * For `SFLOAT`/`FLOAT` only, a `0x` prefix writes the word as a number instead,
//!   most significant digit first: `0xF014` is the same SFLOAT as `14F0`.
//! * Malformed input prints one line on stderr and exits with 2.
//!
//! With `--jsonl`, each stdin line `{"char": "2A35", "hex": "…"}` gives one stdout line,
//! `{"ok": {…}}` or `{"error": "…"}`; a bad line never stops the stream, blank lines are
//! skipped, and the exit code is 0 unless reading stdin or writing stdout fails.

mod json;

use std::io::{BufRead, Write};

use ble_proto::{Characteristic, Float, Sfloat};
use clap::Args;
use serde_json::Value;

use crate::error::CliError;

/// Arguments of `vitalog decode`.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The characteristic: its 16-bit UUID in hex (2A35 or 0x2A35), or SFLOAT or FLOAT
    #[arg(
        value_name = "CHAR",
        required_unless_present = "jsonl",
        conflicts_with = "jsonl"
    )]
    characteristic: Option<String>,

    /// The value's octets in hex, in air order (spaces, colons or dashes may separate octets);
    /// for SFLOAT/FLOAT a 0x prefix gives the word instead (0xF014 = 14F0)
    #[arg(
        value_name = "HEX",
        required_unless_present = "jsonl",
        conflicts_with = "jsonl"
    )]
    hex: Option<String>,

    /// Read one {"char": ..., "hex": ...} object per stdin line and print one result line each
    #[arg(long)]
    jsonl: bool,
}

/// Runs `vitalog decode`.
pub fn run(args: &DecodeArgs) -> Result<(), CliError> {
    match (&args.characteristic, &args.hex) {
        (Some(characteristic), Some(hex)) if !args.jsonl => {
            let decoded = decode(characteristic, hex).map_err(CliError::InvalidInput)?;
            println!("{decoded}");
            Ok(())
        }
        _ => run_jsonl(std::io::stdin().lock(), std::io::stdout().lock()),
    }
}

/// What to decode: a characteristic, or a standalone SFLOAT/FLOAT.
#[derive(Debug, Clone, Copy)]
enum Target {
    Characteristic(Characteristic),
    Sfloat,
    Float,
}

fn parse_target(text: &str) -> Result<Target, String> {
    let trimmed = text.trim();
    if trimmed.eq_ignore_ascii_case("SFLOAT") {
        return Ok(Target::Sfloat);
    }
    if trimmed.eq_ignore_ascii_case("FLOAT") {
        return Ok(Target::Float);
    }
    let digits = strip_hex_prefix(trimmed).unwrap_or(trimmed);
    let uuid = if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        u16::from_str_radix(digits, 16).ok()
    } else {
        None
    };
    let Some(uuid) = uuid else {
        return Err(format!(
            "unknown characteristic {text:?}: give a 16-bit UUID in hex such as 2A35, or SFLOAT or FLOAT"
        ));
    };
    Characteristic::from_uuid16(uuid)
        .map(Target::Characteristic)
        .ok_or_else(|| format!("characteristic 0x{uuid:04X} is not one that vitalog decodes"))
}

fn strip_hex_prefix(text: &str) -> Option<&str> {
    text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))
}

/// Octets from hex text: pairs of hex digits, optionally separated by spaces, colons or dashes.
fn parse_octets(text: &str) -> Result<Vec<u8>, String> {
    let mut octets = Vec::with_capacity(text.len() / 2);
    let mut high: Option<u8> = None;
    for (position, c) in text.trim().chars().enumerate() {
        if let Some(digit) = c.to_digit(16) {
            // A hex digit is below 16, so it fits an octet.
            let digit = digit as u8;
            match high.take() {
                Some(high) => octets.push(high << 4 | digit),
                None => high = Some(digit),
            }
        } else if c.is_whitespace() || c == ':' || c == '-' {
            if high.is_some() {
                return Err(format!(
                    "a separator at position {position} splits an octet of the hex value"
                ));
            }
        } else {
            return Err(format!("{c:?} at position {position} is not a hex digit"));
        }
    }
    if high.is_some() {
        return Err("the hex value has an odd number of digits".to_owned());
    }
    Ok(octets)
}

/// Decodes one value to its JSON object, or says why it cannot.
fn decode(characteristic: &str, hex: &str) -> Result<Value, String> {
    let target = parse_target(characteristic)?;
    let word = strip_hex_prefix(hex.trim());
    match target {
        Target::Sfloat => {
            let bits = match word {
                Some(digits) => parse_word::<2>(digits)?,
                None => fixed::<2>(&parse_octets(hex)?, "an SFLOAT")?,
            };
            Ok(json::standalone(
                Sfloat::from_bits(u16::from_le_bytes(bits)).value(),
            ))
        }
        Target::Float => {
            let bits = match word {
                Some(digits) => parse_word::<4>(digits)?,
                None => fixed::<4>(&parse_octets(hex)?, "a FLOAT")?,
            };
            Ok(json::standalone(
                Float::from_bits(u32::from_le_bytes(bits)).value(),
            ))
        }
        Target::Characteristic(characteristic) => {
            if word.is_some() {
                return Err("write the hex value as octets in air order, without 0x".to_owned());
            }
            let octets = parse_octets(hex)?;
            let decoded =
                ble_proto::decode(characteristic, &octets).map_err(|error| error.to_string())?;
            Ok(json::value(&decoded))
        }
    }
}

/// A standalone number's octets, which must be exactly `N`.
fn fixed<const N: usize>(octets: &[u8], what: &str) -> Result<[u8; N], String> {
    <[u8; N]>::try_from(octets).map_err(|_| format!("{what} is {N} octets, not {}", octets.len()))
}

/// A word written as a hex number (most significant digit first), as little-endian octets.
fn parse_word<const N: usize>(digits: &str) -> Result<[u8; N], String> {
    let mut octets = parse_octets(digits)?;
    if octets.len() != N {
        return Err(format!("0x{digits} is not a {}-digit hex word", N * 2));
    }
    octets.reverse();
    fixed::<N>(&octets, "the word")
}

/// One `--jsonl` input line.
#[derive(serde::Deserialize)]
struct Request {
    char: String,
    hex: String,
}

/// Decodes every line of `input`, writing one result line per non-blank input line.
fn run_jsonl(input: impl BufRead, mut output: impl Write) -> Result<(), CliError> {
    let io_error = |context: &str| {
        let context = context.to_owned();
        move |source| CliError::Io { context, source }
    };
    for line in input.lines() {
        let line = line.map_err(io_error("cannot read stdin"))?;
        if line.trim().is_empty() {
            continue;
        }
        let result = match serde_json::from_str::<Request>(&line) {
            Ok(request) => decode(&request.char, &request.hex),
            Err(error) => Err(format!("not a {{\"char\", \"hex\"}} object: {error}")),
        };
        let out = match result {
            Ok(value) => serde_json::json!({ "ok": value }),
            Err(message) => serde_json::json!({ "error": message }),
        };
        writeln!(output, "{out}").map_err(io_error("cannot write stdout"))?;
    }
    output.flush().map_err(io_error("cannot write stdout"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_accepts_separators_between_octets_only() {
        assert_eq!(
            parse_octets("1e 7A:00-50").unwrap(),
            vec![0x1E, 0x7A, 0x00, 0x50]
        );
        assert_eq!(parse_octets("").unwrap(), Vec::<u8>::new());
        assert!(parse_octets("1 E").is_err());
        assert!(parse_octets("1E7").is_err());
        assert!(parse_octets("1G").is_err());
    }

    #[test]
    fn characteristic_names() {
        assert!(matches!(
            parse_target("0x2a35"),
            Ok(Target::Characteristic(
                Characteristic::BloodPressureMeasurement
            ))
        ));
        assert!(matches!(parse_target("sfloat"), Ok(Target::Sfloat)));
        assert!(parse_target("2A00").is_err());
        assert!(parse_target("2A3").is_err());
    }
}
