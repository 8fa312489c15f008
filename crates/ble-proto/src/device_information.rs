//! Device Information Service (DIS 0x180A) strings and System ID (0x2A23), and the Battery
//! Level (0x2A19) of the Battery Service.

use std::fmt;

use crate::characteristic::Characteristic;
use crate::error::DecodeError;
use crate::wire::{Reader, expect_length};

/// Decodes a DIS string (manufacturer, model, serial number, revisions).
///
/// Devices send UTF-8 of any length, often padded with NULs and sometimes with invalid
/// sequences. Trailing NULs are dropped, invalid UTF-8 becomes U+FFFD, and so do control
/// characters, so the text is safe to print or log. This never fails.
pub fn decode_string(bytes: &[u8]) -> String {
    let end = bytes
        .iter()
        .rposition(|&octet| octet != 0)
        .map_or(0, |last| last + 1);
    let text = String::from_utf8_lossy(bytes.get(..end).unwrap_or_default());
    text.chars()
        .map(|c| {
            if c.is_control() {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            }
        })
        .collect()
}

/// Encodes a DIS string.
pub fn encode_string(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

/// A device's System ID (0x2A23): an EUI-64, the stable identity of a device across hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SystemId {
    /// The EUI-64, most significant octet first (the reverse of the wire order).
    pub eui64: [u8; 8],
}

impl SystemId {
    /// Decodes a System ID value (exactly 8 octets, least significant first).
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        expect_length(Characteristic::SystemId, bytes, &[8])?;
        let mut eui64: [u8; 8] = Reader::new(Characteristic::SystemId, bytes).array("system_id")?;
        eui64.reverse();
        Ok(SystemId { eui64 })
    }

    /// Encodes this System ID, least significant octet first.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = self.eui64;
        out.reverse();
        out.to_vec()
    }

    /// The organizationally unique identifier (the first 3 octets of the EUI-64).
    pub const fn oui(&self) -> u32 {
        u32::from_be_bytes([0, self.eui64[0], self.eui64[1], self.eui64[2]])
    }
}

impl fmt::Display for SystemId {
    /// `XX-XX-XX-XX-XX-XX-XX-XX`, most significant octet first.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, octet) in self.eui64.iter().enumerate() {
            if index > 0 {
                f.write_str("-")?;
            }
            write!(f, "{octet:02X}")?;
        }
        Ok(())
    }
}

/// Decodes a Battery Level value (exactly 1 octet, percent). Values above 100 are kept as
/// sent.
pub fn decode_battery_level(bytes: &[u8]) -> Result<u8, DecodeError> {
    expect_length(Characteristic::BatteryLevel, bytes, &[1])?;
    Reader::new(Characteristic::BatteryLevel, bytes).u8("battery_level")
}

/// Encodes a Battery Level value.
pub fn encode_battery_level(percent: u8) -> Vec<u8> {
    vec![percent]
}
