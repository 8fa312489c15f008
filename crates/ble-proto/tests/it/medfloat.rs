//! SFLOAT and FLOAT known answers, special values and exact decimal rendering.

use ble_proto::{Decimal, Float, MedfloatValue, Sfloat};

#[track_caller]
fn check_sfloat(bits: u16, mantissa: i32, exponent: i8, text: &str) {
    let value = Sfloat::from_bits(bits).value();
    assert_eq!(
        value,
        MedfloatValue::Number(Decimal::new(mantissa, exponent)),
        "0x{bits:04X}"
    );
    assert_eq!(value.number().unwrap().to_string(), text, "0x{bits:04X}");
}

#[test]
fn sfloat_test_vectors_from_the_phd_ig() {
    check_sfloat(0xF014, 20, -1, "2.0");
    check_sfloat(0xE0C8, 200, -2, "2.00");
    check_sfloat(0x0B2E, -1234, 0, "-1234");
    check_sfloat(0x0000, 0, 0, "0");
    check_sfloat(0x8001, 1, -8, "0.00000001");
    check_sfloat(0x77FD, 2045, 7, "20450000000");
    check_sfloat(0x0801 + 0x1000, -2047, 1, "-20470");
}

#[test]
fn precision_is_kept_but_values_compare_after_normalizing() {
    let two_point_zero = Sfloat::from_bits(0xF014).value().number().unwrap();
    let two_point_zero_zero = Sfloat::from_bits(0xE0C8).value().number().unwrap();
    assert_ne!(two_point_zero, two_point_zero_zero);
    assert_eq!(
        two_point_zero.normalized(),
        two_point_zero_zero.normalized()
    );
    assert_eq!(two_point_zero_zero.normalized(), Decimal::new(2, 0));
    assert_eq!(two_point_zero_zero.to_f64(), 2.0);
}

#[test]
fn special_values_stay_distinct() {
    let cases = [
        (0x07FF, MedfloatValue::NaN),
        (0x0800, MedfloatValue::NRes),
        (0x07FE, MedfloatValue::PositiveInfinity),
        (0x0802, MedfloatValue::NegativeInfinity),
        (0x0801, MedfloatValue::Reserved),
    ];
    for (bits, expected) in cases {
        assert_eq!(Sfloat::from_bits(bits).value(), expected, "0x{bits:04X}");
    }
    let cases = [
        (0x007F_FFFF, MedfloatValue::NaN),
        (0x0080_0000, MedfloatValue::NRes),
        (0x007F_FFFE, MedfloatValue::PositiveInfinity),
        (0x0080_0002, MedfloatValue::NegativeInfinity),
        (0x0080_0001, MedfloatValue::Reserved),
    ];
    for (bits, expected) in cases {
        assert_eq!(Float::from_bits(bits).value(), expected, "0x{bits:08X}");
    }
    // The special mantissas are numbers with any other exponent.
    assert_eq!(
        Sfloat::from_bits(0x17FF).value(),
        MedfloatValue::Number(Decimal::new(2047, 1))
    );
}

#[test]
fn float_decodes_two_s_complement_fields() {
    // 36.6 °C: mantissa 366, exponent −1.
    assert_eq!(
        Float::from_bits(0xFF00_016E).value(),
        MedfloatValue::Number(Decimal::new(366, -1))
    );
    // The extremes of the exponent keep f64 range.
    let huge = Float::from_bits(0x7F7F_FFFD).value().number().unwrap();
    assert_eq!(huge, Decimal::new(8_388_605, 127));
    assert_eq!(huge.to_f64(), 8.388605e133);
    let tiny = Float::from_bits(0x8000_0001).value().number().unwrap();
    assert_eq!(tiny.to_f64(), 1e-128);
    let negative = Float::from_bits(0x00FF_FFFF).value().number().unwrap();
    assert_eq!(negative, Decimal::new(-1, 0));
}

#[test]
fn f64_comes_from_the_exact_decimal() {
    assert_eq!(Decimal::new(189, -1).to_f64(), 18.9);
    assert_eq!(Decimal::new(12, -7).to_f64(), 1.2e-6);
    assert_eq!(Decimal::new(3, -1).to_f64(), 0.3);
    assert_eq!(Decimal::new(12, -4).to_f64(), 0.0012);
    assert_eq!(Decimal::new(1000, 126).to_f64(), 1e129);
    assert_eq!(Decimal::new(12, -7).to_string(), "0.0000012");
    assert_eq!(Decimal::new(12, 2).to_string(), "1200");
    assert_eq!(Decimal::new(-5, -3).to_string(), "-0.005");
}

#[test]
fn constructors_refuse_special_and_out_of_range_pairs() {
    assert_eq!(Sfloat::new(20, -1), Some(Sfloat::from_bits(0xF014)));
    assert_eq!(Sfloat::new(-1234, 0), Some(Sfloat::from_bits(0x0B2E)));
    assert_eq!(Sfloat::new(2047, 0), None);
    assert_eq!(Sfloat::new(-2048, 0), None);
    assert_eq!(Sfloat::new(2048, 1), None);
    assert_eq!(Sfloat::new(1, 8), None);
    assert_eq!(Sfloat::new(2047, 1), Some(Sfloat::from_bits(0x17FF)));
    assert_eq!(Float::new(366, -1), Some(Float::from_bits(0xFF00_016E)));
    assert_eq!(Float::new(0x007F_FFFF, 0), None);
    assert_eq!(Float::new(0x0080_0000, 0), None);
}

#[test]
fn every_sfloat_word_round_trips_through_its_decimal() {
    for bits in 0..=u16::MAX {
        let sfloat = Sfloat::from_bits(bits);
        if let MedfloatValue::Number(decimal) = sfloat.value() {
            let mantissa = i16::try_from(decimal.mantissa()).unwrap();
            assert_eq!(
                Sfloat::new(mantissa, decimal.exponent()),
                Some(sfloat),
                "0x{bits:04X}"
            );
        }
    }
}
