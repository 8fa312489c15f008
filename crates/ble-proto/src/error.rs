//! Why a value could not be decoded: which characteristic, which field, and what was wrong.

use std::fmt;

use crate::characteristic::Characteristic;

/// A characteristic value that does not follow its layout.
///
/// Every error names the characteristic and, through [`DecodeErrorKind`], the field at fault,
/// so a log line is enough to find the offending octets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{characteristic}: {kind}")]
pub struct DecodeError {
    /// The characteristic whose value was being decoded.
    pub characteristic: Characteristic,
    /// What was wrong, and in which field.
    pub kind: DecodeErrorKind,
}

/// What was wrong with a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeErrorKind {
    /// The value ended before a field its flags (or its layout) announce.
    #[error("{field} needs {needed} octets but only {available} remain")]
    Truncated {
        /// The field that did not fit.
        field: &'static str,
        /// Octets the field needs.
        needed: usize,
        /// Octets that were left.
        available: usize,
    },

    /// A fixed-size value has the wrong length.
    #[error("the value must be {} octets long, not {actual}", Lengths(.allowed))]
    WrongLength {
        /// The lengths the layout allows.
        allowed: &'static [usize],
        /// The length received.
        actual: usize,
    },

    /// A part of a date or time is outside the range Date Time allows.
    #[error("{field}: {part} {value} is out of range")]
    InvalidDateTime {
        /// The date-time field, such as `timestamp` or `base_time`.
        field: &'static str,
        /// The part that is out of range: `year`, `month`, `day`, `hours`, `minutes`, `seconds`.
        part: &'static str,
        /// The value received.
        value: u16,
    },

    /// A field holds a value outside its defined range.
    #[error("{field} {value} is out of range")]
    OutOfRange {
        /// The field.
        field: &'static str,
        /// The value received.
        value: u32,
    },

    /// An E2E-CRC does not match the octets it protects.
    #[error("{field}: E2E-CRC 0x{received:04X} does not match the computed 0x{computed:04X}")]
    CrcMismatch {
        /// The field holding the CRC (with its record, for CGM measurements).
        field: &'static str,
        /// The CRC in the value.
        received: u16,
        /// The CRC computed over the preceding octets.
        computed: u16,
    },

    /// A CGM record's Size field agrees neither with its flagged fields nor with them plus an
    /// E2E-CRC.
    #[error(
        "record size {size} fits neither its flagged fields ({flagged} octets) nor them with an E2E-CRC ({} octets)",
        .flagged + 2
    )]
    RecordSize {
        /// The Size field.
        size: u8,
        /// The length of the size, flags and flagged fields.
        flagged: usize,
    },

    /// A control point op code that this side of the procedure does not accept.
    #[error("op code {opcode} is not accepted here")]
    UnexpectedOpCode {
        /// The op code received.
        opcode: u8,
    },

    /// A control point operator that is not valid with its op code.
    #[error("operator {operator} is not valid with op code {opcode}")]
    UnexpectedOperator {
        /// The op code.
        opcode: u8,
        /// The operator received.
        operator: u8,
    },

    /// A control point operand of the wrong size.
    #[error("the operand of op code {opcode} must be {expected} octets, not {actual}")]
    OperandSize {
        /// The op code.
        opcode: u8,
        /// The size the op code and operator require.
        expected: usize,
        /// The size received.
        actual: usize,
    },

    /// A RACP filter type that is not defined.
    #[error("filter type {filter_type} is not defined")]
    UnknownFilterType {
        /// The filter type received.
        filter_type: u8,
    },
}

/// Formats a list of allowed lengths as "7" or "5 or 7".
struct Lengths(&'static [usize]);

impl fmt::Display for Lengths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, length) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(" or ")?;
            }
            write!(f, "{length}")?;
        }
        Ok(())
    }
}
