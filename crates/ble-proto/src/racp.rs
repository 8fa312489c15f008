//! Record Access Control Point (RACP, 0x2A52): the requests a collector writes to fetch stored
//! records and the responses the device indicates back.
//!
//! The collector encodes [`RacpRequest`]s and decodes [`RacpResponse`]s; the other two
//! directions exist for simulated devices. Delete Stored Records is deliberately absent:
//! Vitalog copies records and never deletes them from a device, so it cannot even encode that
//! request. The CGM service reuses this control point, where filter type 1 means Time Offset
//! instead of sequence number; [`FilterValue::SequenceNumber`] carries either.
//!
//! Operands are checked exactly (decoding policy 5): a Number of Stored Records response
//! carries exactly a uint16 and a Response Code exactly two octets.

use crate::characteristic::Characteristic;
use crate::date_time::DateTime;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::wire::{Reader, put_date_time, put_u16};

const REPORT_STORED_RECORDS: u8 = 1;
const ABORT_OPERATION: u8 = 3;
const REPORT_NUMBER_OF_STORED_RECORDS: u8 = 4;
const NUMBER_OF_STORED_RECORDS_RESPONSE: u8 = 5;
const RESPONSE_CODE: u8 = 6;

const OPERATOR_NULL: u8 = 0;
const OPERATOR_ALL: u8 = 1;
const OPERATOR_LESS_OR_EQUAL: u8 = 2;
const OPERATOR_GREATER_OR_EQUAL: u8 = 3;
const OPERATOR_WITHIN_RANGE: u8 = 4;
const OPERATOR_FIRST: u8 = 5;
const OPERATOR_LAST: u8 = 6;

const FILTER_SEQUENCE_NUMBER: u8 = 1;
const FILTER_USER_FACING_TIME: u8 = 2;

/// A request the collector writes to the control point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RacpRequest {
    /// Op code 1: send the matching records as notifications, then a Response Code.
    ReportStoredRecords(RecordFilter),
    /// Op code 4: answer with the number of matching records.
    ReportNumberOfStoredRecords(RecordFilter),
    /// Op code 3 (operator Null): stop the procedure in progress.
    AbortOperation,
}

/// Which records a request is about (the RACP operator and its operand).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFilter {
    /// Operator 1: all records.
    All,
    /// Operator 2: records at or below the value.
    LessOrEqual(FilterValue),
    /// Operator 3: records at or above the value.
    GreaterOrEqual(FilterValue),
    /// Operator 4: records within the inclusive range.
    WithinRange(FilterRange),
    /// Operator 5: the first record.
    First,
    /// Operator 6: the last record.
    Last,
}

/// The operand of a one-sided filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterValue {
    /// Filter type 1: sequence number (GLS, PLXS) or Time Offset in minutes (CGMS).
    SequenceNumber(u16),
    /// Filter type 2: user-facing time.
    UserFacingTime(DateTime),
}

/// The operand of a Within Range filter: both ends of one filter type, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterRange {
    /// Filter type 1: sequence numbers (or CGM Time Offsets).
    SequenceNumber {
        /// The lowest matching value.
        from: u16,
        /// The highest matching value.
        to: u16,
    },
    /// Filter type 2: user-facing times.
    UserFacingTime {
        /// The earliest matching time.
        from: DateTime,
        /// The latest matching time.
        to: DateTime,
    },
}

/// A response the device indicates on the control point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RacpResponse {
    /// Op code 5: the answer to Report Number of Stored Records.
    NumberOfStoredRecords(u16),
    /// Op code 6: how a request ended.
    ResponseCode {
        /// The op code of the request this answers.
        request_opcode: u8,
        /// The outcome.
        response: RacpResponseCode,
    },
}

/// The outcome in a Response Code response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RacpResponseCode {
    /// 1: the procedure completed.
    Success,
    /// 2: the op code is not supported.
    OpCodeNotSupported,
    /// 3: the operator is not valid.
    InvalidOperator,
    /// 4: the operator is not supported.
    OperatorNotSupported,
    /// 5: the operand is not valid.
    InvalidOperand,
    /// 6: no record matched; for an incremental sync this means "up to date".
    NoRecordsFound,
    /// 7: the abort could not be carried out.
    AbortUnsuccessful,
    /// 8: the procedure could not be completed.
    ProcedureNotCompleted,
    /// 9: the operand (filter type) is not supported.
    OperandNotSupported,
    /// Any other code, kept as sent.
    Reserved(u8),
}

impl RacpResponseCode {
    /// The response for this code.
    pub const fn from_code(code: u8) -> Self {
        match code {
            1 => RacpResponseCode::Success,
            2 => RacpResponseCode::OpCodeNotSupported,
            3 => RacpResponseCode::InvalidOperator,
            4 => RacpResponseCode::OperatorNotSupported,
            5 => RacpResponseCode::InvalidOperand,
            6 => RacpResponseCode::NoRecordsFound,
            7 => RacpResponseCode::AbortUnsuccessful,
            8 => RacpResponseCode::ProcedureNotCompleted,
            9 => RacpResponseCode::OperandNotSupported,
            other => RacpResponseCode::Reserved(other),
        }
    }

    /// The code on the wire.
    pub const fn code(self) -> u8 {
        match self {
            RacpResponseCode::Success => 1,
            RacpResponseCode::OpCodeNotSupported => 2,
            RacpResponseCode::InvalidOperator => 3,
            RacpResponseCode::OperatorNotSupported => 4,
            RacpResponseCode::InvalidOperand => 5,
            RacpResponseCode::NoRecordsFound => 6,
            RacpResponseCode::AbortUnsuccessful => 7,
            RacpResponseCode::ProcedureNotCompleted => 8,
            RacpResponseCode::OperandNotSupported => 9,
            RacpResponseCode::Reserved(other) => other,
        }
    }
}

impl RacpRequest {
    /// The op code of this request.
    pub const fn opcode(self) -> u8 {
        match self {
            RacpRequest::ReportStoredRecords(_) => REPORT_STORED_RECORDS,
            RacpRequest::ReportNumberOfStoredRecords(_) => REPORT_NUMBER_OF_STORED_RECORDS,
            RacpRequest::AbortOperation => ABORT_OPERATION,
        }
    }

    /// Encodes this request for writing to the control point.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![self.opcode()];
        match self {
            RacpRequest::AbortOperation => out.push(OPERATOR_NULL),
            RacpRequest::ReportStoredRecords(filter)
            | RacpRequest::ReportNumberOfStoredRecords(filter) => encode_filter(&mut out, filter),
        }
        out
    }

    /// Decodes a request, as a simulated device receives it.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::RecordAccessControlPoint, bytes);
        let opcode = reader.u8("op_code")?;
        let operator = reader.u8("operator")?;
        match opcode {
            ABORT_OPERATION => {
                if operator != OPERATOR_NULL {
                    return Err(
                        reader.error(DecodeErrorKind::UnexpectedOperator { opcode, operator })
                    );
                }
                expect_operand(&reader, opcode, 0)?;
                Ok(RacpRequest::AbortOperation)
            }
            REPORT_STORED_RECORDS | REPORT_NUMBER_OF_STORED_RECORDS => {
                let filter = decode_filter(reader, opcode, operator)?;
                Ok(if opcode == REPORT_STORED_RECORDS {
                    RacpRequest::ReportStoredRecords(filter)
                } else {
                    RacpRequest::ReportNumberOfStoredRecords(filter)
                })
            }
            _ => Err(reader.error(DecodeErrorKind::UnexpectedOpCode { opcode })),
        }
    }
}

fn encode_filter(out: &mut Vec<u8>, filter: &RecordFilter) {
    match filter {
        RecordFilter::All => out.push(OPERATOR_ALL),
        RecordFilter::First => out.push(OPERATOR_FIRST),
        RecordFilter::Last => out.push(OPERATOR_LAST),
        RecordFilter::LessOrEqual(value) | RecordFilter::GreaterOrEqual(value) => {
            out.push(if matches!(filter, RecordFilter::LessOrEqual(_)) {
                OPERATOR_LESS_OR_EQUAL
            } else {
                OPERATOR_GREATER_OR_EQUAL
            });
            match value {
                FilterValue::SequenceNumber(number) => {
                    out.push(FILTER_SEQUENCE_NUMBER);
                    put_u16(out, *number);
                }
                FilterValue::UserFacingTime(time) => {
                    out.push(FILTER_USER_FACING_TIME);
                    put_date_time(out, *time);
                }
            }
        }
        RecordFilter::WithinRange(range) => {
            out.push(OPERATOR_WITHIN_RANGE);
            match range {
                FilterRange::SequenceNumber { from, to } => {
                    out.push(FILTER_SEQUENCE_NUMBER);
                    put_u16(out, *from);
                    put_u16(out, *to);
                }
                FilterRange::UserFacingTime { from, to } => {
                    out.push(FILTER_USER_FACING_TIME);
                    put_date_time(out, *from);
                    put_date_time(out, *to);
                }
            }
        }
    }
}

fn decode_filter(
    mut reader: Reader<'_>,
    opcode: u8,
    operator: u8,
) -> Result<RecordFilter, DecodeError> {
    let simple = match operator {
        OPERATOR_ALL => Some(RecordFilter::All),
        OPERATOR_FIRST => Some(RecordFilter::First),
        OPERATOR_LAST => Some(RecordFilter::Last),
        OPERATOR_LESS_OR_EQUAL | OPERATOR_GREATER_OR_EQUAL | OPERATOR_WITHIN_RANGE => None,
        _ => return Err(reader.error(DecodeErrorKind::UnexpectedOperator { opcode, operator })),
    };
    if let Some(filter) = simple {
        expect_operand(&reader, opcode, 0)?;
        return Ok(filter);
    }
    let filter_type = reader.u8("filter_type")?;
    let value_len = match filter_type {
        FILTER_SEQUENCE_NUMBER => 2,
        FILTER_USER_FACING_TIME => DateTime::LEN,
        _ => return Err(reader.error(DecodeErrorKind::UnknownFilterType { filter_type })),
    };
    let values = if operator == OPERATOR_WITHIN_RANGE {
        2
    } else {
        1
    };
    // The operand size is the filter type octet plus the values.
    if reader.rest().len() != value_len * values {
        return Err(reader.error(DecodeErrorKind::OperandSize {
            opcode,
            expected: 1 + value_len * values,
            actual: 1 + reader.rest().len(),
        }));
    }
    let filter = match (filter_type, operator) {
        (FILTER_SEQUENCE_NUMBER, OPERATOR_WITHIN_RANGE) => {
            RecordFilter::WithinRange(FilterRange::SequenceNumber {
                from: reader.u16("operand")?,
                to: reader.u16("operand")?,
            })
        }
        (_, OPERATOR_WITHIN_RANGE) => RecordFilter::WithinRange(FilterRange::UserFacingTime {
            from: reader.date_time("operand")?,
            to: reader.date_time("operand")?,
        }),
        _ => {
            let value = if filter_type == FILTER_SEQUENCE_NUMBER {
                FilterValue::SequenceNumber(reader.u16("operand")?)
            } else {
                FilterValue::UserFacingTime(reader.date_time("operand")?)
            };
            if operator == OPERATOR_LESS_OR_EQUAL {
                RecordFilter::LessOrEqual(value)
            } else {
                RecordFilter::GreaterOrEqual(value)
            }
        }
    };
    Ok(filter)
}

fn expect_operand(reader: &Reader<'_>, opcode: u8, expected: usize) -> Result<(), DecodeError> {
    let actual = reader.rest().len();
    if actual == expected {
        Ok(())
    } else {
        Err(reader.error(DecodeErrorKind::OperandSize {
            opcode,
            expected,
            actual,
        }))
    }
}

impl RacpResponse {
    /// Decodes a response indicated by the device. Request op codes, a non-Null operator and
    /// an operand of the wrong size are errors.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::RecordAccessControlPoint, bytes);
        let opcode = reader.u8("op_code")?;
        if opcode != NUMBER_OF_STORED_RECORDS_RESPONSE && opcode != RESPONSE_CODE {
            return Err(reader.error(DecodeErrorKind::UnexpectedOpCode { opcode }));
        }
        let operator = reader.u8("operator")?;
        if operator != OPERATOR_NULL {
            return Err(reader.error(DecodeErrorKind::UnexpectedOperator { opcode, operator }));
        }
        expect_operand(&reader, opcode, 2)?;
        if opcode == NUMBER_OF_STORED_RECORDS_RESPONSE {
            Ok(RacpResponse::NumberOfStoredRecords(reader.u16("operand")?))
        } else {
            Ok(RacpResponse::ResponseCode {
                request_opcode: reader.u8("request_op_code")?,
                response: RacpResponseCode::from_code(reader.u8("response_code")?),
            })
        }
    }

    /// Encodes this response, as a simulated device indicates it.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            RacpResponse::NumberOfStoredRecords(count) => {
                let mut out = vec![NUMBER_OF_STORED_RECORDS_RESPONSE, OPERATOR_NULL];
                put_u16(&mut out, *count);
                out
            }
            RacpResponse::ResponseCode {
                request_opcode,
                response,
            } => vec![
                RESPONSE_CODE,
                OPERATOR_NULL,
                *request_opcode,
                response.code(),
            ],
        }
    }
}
