//! The decoding policies of the `vitalog decode` contract, one test per rule.

use ble_proto::racp::{RacpRequest, RacpResponse};
use ble_proto::{Characteristic as C, DecodeErrorKind as K};

use crate::{check_error, octets};

const TIMESTAMP: &str = "E8 07 03 0F 0A 1E 00";

#[test]
fn policy_1_truncation_names_the_missing_field() {
    check_error(
        C::BloodPressureMeasurement,
        "",
        K::Truncated {
            field: "flags",
            needed: 1,
            available: 0,
        },
    );
    check_error(
        C::BloodPressureMeasurement,
        "02 7A 00 50 00 5F 00 E8 07 03",
        K::Truncated {
            field: "timestamp",
            needed: 7,
            available: 3,
        },
    );
    check_error(
        C::GlucoseMeasurement,
        &format!("02 01 00 {TIMESTAMP} 0C"),
        K::Truncated {
            field: "concentration",
            needed: 2,
            available: 1,
        },
    );
    check_error(
        C::HeartRateMeasurement,
        "10 48 05",
        K::Truncated {
            field: "rr_interval",
            needed: 2,
            available: 1,
        },
    );
    check_error(
        C::PlxSpotCheckMeasurement,
        "04 62 00 48 00 20 00",
        K::Truncated {
            field: "device_sensor_status",
            needed: 3,
            available: 2,
        },
    );
    check_error(
        C::BodyCompositionMeasurement,
        "00 04 D7 00",
        K::Truncated {
            field: "weight",
            needed: 2,
            available: 0,
        },
    );
    check_error(
        C::CgmMeasurement,
        "",
        K::Truncated {
            field: "size",
            needed: 1,
            available: 0,
        },
    );
    check_error(
        C::CgmMeasurement,
        "08 00 64 00",
        K::Truncated {
            field: "record",
            needed: 8,
            available: 4,
        },
    );
}

#[test]
fn policy_2_trailing_octets_ignored_with_flags_but_not_for_fixed_sizes() {
    let with_extra = ble_proto::decode(
        C::BloodPressureMeasurement,
        &octets("00 7A 00 50 00 5F 00 AA BB"),
    );
    assert!(with_extra.is_ok(), "{with_extra:?}");
    check_error(
        C::DateTime,
        &format!("{TIMESTAMP} 00"),
        K::WrongLength {
            allowed: &[7],
            actual: 8,
        },
    );
    check_error(
        C::DateTime,
        "E8 07 03",
        K::WrongLength {
            allowed: &[7],
            actual: 3,
        },
    );
    check_error(
        C::CurrentTime,
        TIMESTAMP,
        K::WrongLength {
            allowed: &[10],
            actual: 7,
        },
    );
    check_error(
        C::GlucoseFeature,
        "FF 07 00",
        K::WrongLength {
            allowed: &[2],
            actual: 3,
        },
    );
    check_error(
        C::CgmStatus,
        "2C 01 01 00",
        K::WrongLength {
            allowed: &[5, 7],
            actual: 4,
        },
    );
    check_error(
        C::BatteryLevel,
        "",
        K::WrongLength {
            allowed: &[1],
            actual: 0,
        },
    );
    check_error(
        C::SystemId,
        "00",
        K::WrongLength {
            allowed: &[8],
            actual: 1,
        },
    );
}

#[test]
fn policy_3_rfu_flag_bits_are_ignored() {
    let plain = ble_proto::decode(C::TemperatureMeasurement, &octets("00 6E 01 00 FF")).unwrap();
    let with_rfu = ble_proto::decode(C::TemperatureMeasurement, &octets("F8 6E 01 00 FF")).unwrap();
    assert_eq!(plain, with_rfu);
}

#[test]
fn policy_4_dates_must_keep_every_part_in_range() {
    check_error(
        C::DateTime,
        "E8 07 0D 01 00 00 00",
        K::InvalidDateTime {
            field: "timestamp",
            part: "month",
            value: 13,
        },
    );
    check_error(
        C::DateTime,
        "E8 07 01 20 00 00 00",
        K::InvalidDateTime {
            field: "timestamp",
            part: "day",
            value: 32,
        },
    );
    check_error(
        C::DateTime,
        "E8 07 01 01 18 00 00",
        K::InvalidDateTime {
            field: "timestamp",
            part: "hours",
            value: 24,
        },
    );
    check_error(
        C::DateTime,
        "E8 07 01 01 00 3C 00",
        K::InvalidDateTime {
            field: "timestamp",
            part: "minutes",
            value: 60,
        },
    );
    check_error(
        C::DateTime,
        "E8 07 01 01 00 00 3C",
        K::InvalidDateTime {
            field: "timestamp",
            part: "seconds",
            value: 60,
        },
    );
    check_error(
        C::DateTime,
        "2D 06 01 01 00 00 00",
        K::InvalidDateTime {
            field: "timestamp",
            part: "year",
            value: 1581,
        },
    );
    check_error(
        C::DateTime,
        "10 27 01 01 00 00 00",
        K::InvalidDateTime {
            field: "timestamp",
            part: "year",
            value: 10000,
        },
    );
    check_error(
        C::GlucoseMeasurement,
        "00 01 00 E8 07 0D 01 00 00 00",
        K::InvalidDateTime {
            field: "base_time",
            part: "month",
            value: 13,
        },
    );
    check_error(
        C::CurrentTime,
        &format!("{TIMESTAMP} 08 00 00"),
        K::OutOfRange {
            field: "day_of_week",
            value: 8,
        },
    );

    // February 31 and unknown parts are accepted as sent.
    let february_31 =
        ble_proto::current_time::decode_date_time(&octets("E8 07 02 1F 00 00 00")).unwrap();
    assert_eq!(february_31.to_string(), "2024-02-31T00:00:00");
    assert!(!february_31.is_calendar_date());
    let unknown =
        ble_proto::current_time::decode_date_time(&octets("00 00 00 00 12 1A 20")).unwrap();
    assert_eq!(unknown.to_string(), "0000-00-00T18:26:32");
    let leap_day =
        ble_proto::current_time::decode_date_time(&octets("E8 07 02 1D 00 00 00")).unwrap();
    assert!(leap_day.is_calendar_date());
}

#[test]
fn policy_5_racp_operands_and_op_codes_are_exact() {
    check_error(
        C::RecordAccessControlPoint,
        "05 00 0A",
        K::OperandSize {
            opcode: 5,
            expected: 2,
            actual: 1,
        },
    );
    check_error(
        C::RecordAccessControlPoint,
        "05 00 0A 00 00",
        K::OperandSize {
            opcode: 5,
            expected: 2,
            actual: 3,
        },
    );
    check_error(
        C::RecordAccessControlPoint,
        "05 01 0A 00",
        K::UnexpectedOperator {
            opcode: 5,
            operator: 1,
        },
    );
    check_error(
        C::RecordAccessControlPoint,
        "06 00 01",
        K::OperandSize {
            opcode: 6,
            expected: 2,
            actual: 1,
        },
    );
    check_error(
        C::RecordAccessControlPoint,
        "01 01",
        K::UnexpectedOpCode { opcode: 1 },
    );
    check_error(
        C::RecordAccessControlPoint,
        "04 01",
        K::UnexpectedOpCode { opcode: 4 },
    );
    check_error(
        C::RecordAccessControlPoint,
        "05",
        K::Truncated {
            field: "operator",
            needed: 1,
            available: 0,
        },
    );
    assert!(RacpResponse::decode(&octets("05 00 00 00")).is_ok());

    // Requests, as a simulated device decodes them.
    let bad = |hex: &str| RacpRequest::decode(&octets(hex)).unwrap_err().kind;
    assert_eq!(bad("02 01"), K::UnexpectedOpCode { opcode: 2 });
    assert_eq!(
        bad("01 07"),
        K::UnexpectedOperator {
            opcode: 1,
            operator: 7
        }
    );
    assert_eq!(
        bad("03 01"),
        K::UnexpectedOperator {
            opcode: 3,
            operator: 1
        }
    );
    assert_eq!(
        bad("01 03 03 00 00"),
        K::UnknownFilterType { filter_type: 3 }
    );
    assert_eq!(
        bad("01 03 01 00"),
        K::OperandSize {
            opcode: 1,
            expected: 3,
            actual: 2
        }
    );
    assert_eq!(
        bad("01 01 00"),
        K::OperandSize {
            opcode: 1,
            expected: 0,
            actual: 1
        }
    );
}

#[test]
fn policy_6_cgm_size_decides_the_crc_and_a_wrong_crc_is_an_error() {
    check_error(
        C::CgmMeasurement,
        "07 00 64 00 05 00 00",
        K::RecordSize {
            size: 7,
            flagged: 6,
        },
    );
    check_error(
        C::CgmMeasurement,
        "05 00 64 00 05",
        K::OutOfRange {
            field: "size",
            value: 5,
        },
    );
    check_error(
        C::CgmMeasurement,
        "0A 01 6E 00 0A 00 F1 FF 9F CE",
        K::CrcMismatch {
            field: "e2e_crc",
            received: 0xCE9F,
            computed: 0xCD9F,
        },
    );
    // A whole first record followed by a partial one.
    check_error(
        C::CgmMeasurement,
        "06 00 64 00 05 00 06 00",
        K::Truncated {
            field: "record",
            needed: 6,
            available: 2,
        },
    );
    check_error(
        C::CgmSessionRunTime,
        "50 01 00 00",
        K::CrcMismatch {
            field: "e2e_crc",
            received: 0,
            computed: ble_proto::crc::e2e_crc(&[0x50, 0x01]),
        },
    );
    // CGM Feature: the CRC is checked only when E2E-CRC is supported.
    check_error(
        C::CgmFeature,
        "00 10 00 59 FF FF",
        K::CrcMismatch {
            field: "e2e_crc",
            received: 0xFFFF,
            computed: ble_proto::crc::e2e_crc(&octets("00 10 00 59")),
        },
    );
}

#[test]
fn errors_name_the_characteristic_and_field_in_their_message() {
    let error = ble_proto::decode(
        C::BloodPressureMeasurement,
        &octets("02 7A 00 50 00 5F 00 E8 07 03"),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Blood Pressure Measurement (0x2A35): timestamp needs 7 octets but only 3 remain"
    );
    let error = ble_proto::decode(C::CgmStatus, &octets("00")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "CGM Status (0x2AA9): the value must be 5 or 7 octets long, not 1"
    );
}
