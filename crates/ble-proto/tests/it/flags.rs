//! Every flag combination of every characteristic with flags: a value of that flags word
//! followed by enough zero octets decodes, and encoding the result gives back the same flags
//! (without the RFU bits, and without bits that mean nothing when their field is absent).

use ble_proto::Characteristic as C;

/// Zero octets are valid for every field: SFLOAT 0, uint 0, Date Time "all unknown".
const ZEROS: [u8; 64] = [0; 64];

#[track_caller]
fn flags_survive(characteristic: C, flags: &[u8], expected: &[u8]) {
    let mut value = flags.to_vec();
    value.extend_from_slice(&ZEROS);
    let decoded = ble_proto::decode(characteristic, &value)
        .unwrap_or_else(|error| panic!("flags {flags:02X?}: {error}"));
    let encoded = decoded.encode();
    assert_eq!(
        &encoded[..expected.len()],
        expected,
        "{characteristic} flags {flags:02X?}"
    );
    assert_eq!(
        ble_proto::decode(characteristic, &encoded),
        Ok(decoded),
        "{characteristic} flags {flags:02X?}"
    );
}

#[test]
fn one_octet_flags() {
    for flags in 0..=u8::MAX {
        let glucose = flags & 0x1F & if flags & 0x02 == 0 { !0x04 } else { 0xFF };
        flags_survive(C::GlucoseMeasurement, &[flags], &[glucose]);
        let context = flags & if flags & 0x10 == 0 { !0x20 } else { 0xFF };
        flags_survive(C::GlucoseMeasurementContext, &[flags], &[context]);
        flags_survive(C::BloodPressureMeasurement, &[flags], &[flags & 0x1F]);
        flags_survive(C::IntermediateCuffPressure, &[flags], &[flags & 0x1F]);
        // A heart rate of 0 is sent as uint8, and contact status 1 is written as 0.
        let contact = if flags & 0x06 == 0x02 {
            0
        } else {
            flags & 0x06
        };
        flags_survive(
            C::HeartRateMeasurement,
            &[flags],
            &[(flags & 0x18) | contact],
        );
        flags_survive(C::TemperatureMeasurement, &[flags], &[flags & 0x07]);
        flags_survive(C::IntermediateTemperature, &[flags], &[flags & 0x07]);
        flags_survive(C::WeightMeasurement, &[flags], &[flags & 0x0F]);
        flags_survive(C::PlxSpotCheckMeasurement, &[flags], &[flags & 0x1F]);
        flags_survive(C::PlxContinuousMeasurement, &[flags], &[flags & 0x1F]);
    }
}

#[test]
fn two_octet_flags() {
    for flags in 0..=0x3FFF_u16 {
        let octets = flags.to_le_bytes();
        let expected = (flags & 0x1FFF).to_le_bytes();
        flags_survive(C::BodyCompositionMeasurement, &octets, &expected);
    }
    for supported in 0..=0xFF_u16 {
        flags_survive(
            C::PlxFeatures,
            &supported.to_le_bytes(),
            &supported.to_le_bytes(),
        );
    }
}

#[test]
fn cgm_record_flags_with_and_without_crc() {
    for flags in 0..=u8::MAX {
        let flagged =
            6 + (flags & 0xE0).count_ones() as usize + 2 * (flags & 0x03).count_ones() as usize;
        let defined = flags & 0xE3;
        let mut record = vec![flagged as u8, flags];
        record.resize(flagged, 0);
        let decoded = ble_proto::decode(C::CgmMeasurement, &record)
            .unwrap_or_else(|error| panic!("flags {flags:02X}: {error}"));
        let encoded = decoded.encode();
        assert_eq!(encoded[1], defined, "flags {flags:02X}");
        assert_eq!(ble_proto::decode(C::CgmMeasurement, &encoded), Ok(decoded));

        let mut protected = record.clone();
        protected[0] += 2;
        let crc = ble_proto::crc::e2e_crc(&protected);
        protected.extend_from_slice(&crc.to_le_bytes());
        let decoded = ble_proto::decode(C::CgmMeasurement, &protected)
            .unwrap_or_else(|error| panic!("flags {flags:02X} with CRC: {error}"));
        // Dropping RFU flag bits changes the CRC, so compare the re-encodings.
        let encoded = decoded.encode();
        assert_eq!(encoded[1], defined, "flags {flags:02X} with CRC");
        let again = ble_proto::decode(C::CgmMeasurement, &encoded).unwrap();
        assert_eq!(again.encode(), encoded, "flags {flags:02X} with CRC");
    }
}
