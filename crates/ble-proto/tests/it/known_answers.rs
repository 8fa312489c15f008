//! One hand-built value per characteristic, from the field layouts in the specifications.

use ble_proto::blood_pressure::*;
use ble_proto::cgm::*;
use ble_proto::current_time::*;
use ble_proto::device_information::SystemId;
use ble_proto::glucose::*;
use ble_proto::heart_rate::*;
use ble_proto::pulse_oximeter::*;
use ble_proto::racp::*;
use ble_proto::thermometer::*;
use ble_proto::weight::*;
use ble_proto::{Characteristic as C, CharacteristicValue as V, Float, Sfloat};

use crate::{check, date_time, octets};

fn sf(bits: u16) -> Sfloat {
    Sfloat::from_bits(bits)
}

const TIMESTAMP: &str = "E8 07 03 0F 0A 1E 00"; // 2024-03-15T10:30:00

#[test]
fn blood_pressure_measurement_with_every_field() {
    let hex = format!("1E 7A 00 50 00 5F 00 {TIMESTAMP} 48 00 01 05 00");
    check(
        C::BloodPressureMeasurement,
        &hex,
        V::BloodPressureMeasurement(BloodPressureMeasurement {
            unit: PressureUnit::MillimetreOfMercury,
            systolic: sf(122),
            diastolic: sf(80),
            mean_arterial: sf(95),
            timestamp: Some(date_time(2024, 3, 15, 10, 30, 0)),
            pulse_rate: Some(sf(72)),
            user_id: Some(1),
            status: Some(BloodPressureStatus(0x0005)),
        }),
    );
    let status = BloodPressureStatus(0x0005 | (2 << 3));
    assert!(status.contains(BloodPressureStatus::BODY_MOVEMENT));
    assert!(status.contains(BloodPressureStatus::IRREGULAR_PULSE));
    assert!(!status.contains(BloodPressureStatus::CUFF_TOO_LOOSE));
    assert_eq!(status.pulse_rate_range(), PulseRateRange::BelowLowerLimit);
}

#[test]
fn blood_pressure_in_kilopascal_without_options() {
    // 16.2 / 10.6 / 12.5 kPa.
    check(
        C::BloodPressureMeasurement,
        "01 A2 F0 6A F0 7D F0",
        V::BloodPressureMeasurement(BloodPressureMeasurement {
            unit: PressureUnit::Kilopascal,
            systolic: sf(0xF0A2),
            diastolic: sf(0xF06A),
            mean_arterial: sf(0xF07D),
            timestamp: None,
            pulse_rate: None,
            user_id: None,
            status: None,
        }),
    );
}

#[test]
fn intermediate_cuff_pressure_skips_the_unused_slots() {
    check(
        C::IntermediateCuffPressure,
        "08 8C 00 FF 07 FF 07 FF",
        V::IntermediateCuffPressure(IntermediateCuffPressure {
            unit: PressureUnit::MillimetreOfMercury,
            cuff_pressure: sf(140),
            timestamp: None,
            pulse_rate: None,
            user_id: Some(255),
            status: None,
        }),
    );
}

#[test]
fn blood_pressure_feature() {
    check(
        C::BloodPressureFeature,
        "27 00",
        V::BloodPressureFeature(BloodPressureFeatures(0x0027)),
    );
}

#[test]
fn glucose_measurement_of_120_mg_dl() {
    // 120 mg/dL = 0.0012 kg/L = 12 × 10⁻⁴; capillary whole blood from a finger.
    check(
        C::GlucoseMeasurement,
        "0B 2A 00 E4 07 01 02 0C 1E 2D F6 FF 0C C0 11 01 00",
        V::GlucoseMeasurement(GlucoseMeasurement {
            sequence_number: 42,
            base_time: date_time(2020, 1, 2, 12, 30, 45),
            time_offset_min: Some(-10),
            concentration: Some(GlucoseConcentration {
                value: sf(0xC00C),
                unit: GlucoseUnit::KilogramPerLitre,
                sample_type: 1,
                sample_location: 1,
            }),
            sensor_status: Some(GlucoseSensorStatus(GlucoseSensorStatus::BATTERY_LOW.bits())),
            context_follows: false,
        }),
    );
    // The same in mmol/L with context following: 6.7 mmol/L = 0.0067 mol/L.
    check(
        C::GlucoseMeasurement,
        "16 2B 00 E4 07 01 02 0C 1E 2D 43 C0 F2",
        V::GlucoseMeasurement(GlucoseMeasurement {
            sequence_number: 43,
            base_time: date_time(2020, 1, 2, 12, 30, 45),
            time_offset_min: None,
            concentration: Some(GlucoseConcentration {
                value: sf(0xC043),
                unit: GlucoseUnit::MolePerLitre,
                sample_type: 2,
                sample_location: 15,
            }),
            sensor_status: None,
            context_follows: true,
        }),
    );
}

#[test]
fn glucose_measurement_context() {
    // 50 g carbohydrate at breakfast, preprandial, 2 mg rapid-acting insulin, HbA1c 6.5 %.
    check(
        C::GlucoseMeasurementContext,
        "53 2A 00 01 32 D0 01 01 02 A0 41 F0",
        V::GlucoseMeasurementContext(GlucoseMeasurementContext {
            sequence_number: 42,
            extended_flags: None,
            carbohydrate: Some(Carbohydrate {
                id: 1,
                amount: sf(0xD032),
            }),
            meal: Some(1),
            tester_health: None,
            exercise: None,
            medication: Some(Medication {
                id: 1,
                amount: sf(0xA002),
                unit: MedicationUnit::Kilogram,
            }),
            hba1c_pct: Some(sf(0xF041)),
        }),
    );
    // Extended flags come right after the sequence number; tester is the low nibble.
    check(
        C::GlucoseMeasurementContext,
        "BC 07 00 00 51 84 03 32 04 01 00",
        V::GlucoseMeasurementContext(GlucoseMeasurementContext {
            sequence_number: 7,
            extended_flags: Some(0),
            carbohydrate: None,
            meal: None,
            tester_health: Some(TesterHealth {
                tester: 1,
                health: 5,
            }),
            exercise: Some(Exercise {
                duration_s: 900,
                intensity_pct: 50,
            }),
            medication: Some(Medication {
                id: 4,
                amount: sf(0x0001),
                unit: MedicationUnit::Litre,
            }),
            hba1c_pct: None,
        }),
    );
}

#[test]
fn glucose_feature() {
    check(
        C::GlucoseFeature,
        "FF 07",
        V::GlucoseFeature(GlucoseFeatures(0x07FF)),
    );
}

#[test]
fn racp_responses() {
    check(
        C::RecordAccessControlPoint,
        "05 00 0A 00",
        V::RacpResponse(RacpResponse::NumberOfStoredRecords(10)),
    );
    check(
        C::RecordAccessControlPoint,
        "06 00 01 06",
        V::RacpResponse(RacpResponse::ResponseCode {
            request_opcode: 1,
            response: RacpResponseCode::NoRecordsFound,
        }),
    );
    check(
        C::RecordAccessControlPoint,
        "06 00 04 2A",
        V::RacpResponse(RacpResponse::ResponseCode {
            request_opcode: 4,
            response: RacpResponseCode::Reserved(42),
        }),
    );
}

#[test]
fn racp_requests_match_the_byte_examples() {
    let cases = [
        (RacpRequest::ReportStoredRecords(RecordFilter::All), "01 01"),
        (
            RacpRequest::ReportStoredRecords(RecordFilter::GreaterOrEqual(
                FilterValue::SequenceNumber(0x1234),
            )),
            "01 03 01 34 12",
        ),
        (
            RacpRequest::ReportStoredRecords(RecordFilter::WithinRange(
                FilterRange::SequenceNumber { from: 5, to: 5 },
            )),
            "01 04 01 05 00 05 00",
        ),
        (
            RacpRequest::ReportNumberOfStoredRecords(RecordFilter::All),
            "04 01",
        ),
        (
            RacpRequest::ReportNumberOfStoredRecords(RecordFilter::GreaterOrEqual(
                FilterValue::SequenceNumber(7),
            )),
            "04 03 01 07 00",
        ),
        (RacpRequest::AbortOperation, "03 00"),
        (
            RacpRequest::ReportStoredRecords(RecordFilter::Last),
            "01 06",
        ),
        (
            RacpRequest::ReportStoredRecords(RecordFilter::LessOrEqual(
                FilterValue::UserFacingTime(date_time(2024, 3, 15, 10, 30, 0)),
            )),
            &format!("01 02 02 {TIMESTAMP}"),
        ),
    ];
    for (request, hex) in cases {
        assert_eq!(request.encode(), octets(hex), "{request:?}");
        assert_eq!(RacpRequest::decode(&octets(hex)), Ok(request), "{hex}");
    }
}

#[test]
fn heart_rate_with_rr_intervals_ignores_an_odd_trailing_octet() {
    check(
        C::HeartRateMeasurement,
        "16 48 00 04 05 05 07",
        V::HeartRateMeasurement(HeartRateMeasurement {
            heart_rate: 72,
            sensor_contact: SensorContact::Detected,
            energy_expended_kj: None,
            rr_intervals_1024: vec![1024, 0x0505],
        }),
    );
    check(
        C::HeartRateMeasurement,
        "0D 2C 01 10 27",
        V::HeartRateMeasurement(HeartRateMeasurement {
            heart_rate: 300,
            sensor_contact: SensorContact::NotDetected,
            energy_expended_kj: Some(10_000),
            rr_intervals_1024: vec![],
        }),
    );
}

#[test]
fn temperature_measurement_and_intermediate_temperature() {
    let reading = TemperatureMeasurement {
        value: Float::from_bits(0xFF00_016E),
        unit: TemperatureUnit::Celsius,
        timestamp: Some(date_time(2024, 3, 15, 10, 30, 0)),
        temperature_type: Some(6),
    };
    let hex = format!("06 6E 01 00 FF {TIMESTAMP} 06");
    check(
        C::TemperatureMeasurement,
        &hex,
        V::TemperatureMeasurement(reading.clone()),
    );
    check(
        C::IntermediateTemperature,
        &hex,
        V::IntermediateTemperature(reading),
    );
    check(
        C::TemperatureMeasurement,
        "01 FF FF 7F 00",
        V::TemperatureMeasurement(TemperatureMeasurement {
            value: Float::NAN,
            unit: TemperatureUnit::Fahrenheit,
            timestamp: None,
            temperature_type: None,
        }),
    );
}

#[test]
fn weight_measurement_with_bmi_and_height() {
    let hex = format!("0E B0 36 {TIMESTAMP} 01 E5 00 D6 06");
    let weighing = WeightMeasurement {
        unit_system: UnitSystem::Si,
        weight: 14_000,
        timestamp: Some(date_time(2024, 3, 15, 10, 30, 0)),
        user_id: Some(1),
        bmi_and_height: Some(BmiAndHeight {
            bmi: 229,
            height: 1750,
        }),
    };
    check(
        C::WeightMeasurement,
        &hex,
        V::WeightMeasurement(weighing.clone()),
    );
    assert_eq!(weighing.weight_value().unwrap().to_string(), "70.000");
    assert_eq!(UnitSystem::Si.height(1750).to_string(), "1.750");
    assert_eq!(tenths(229).to_string(), "22.9");
    assert_eq!(UnitSystem::Imperial.mass(15_432).to_f64(), 154.32);
    let failed = WeightMeasurement::decode(&octets("01 FF FF")).unwrap();
    assert_eq!(failed.weight_value(), None);
}

#[test]
fn weight_scale_feature() {
    let features = WeightScaleFeatures(0x01FF);
    check(
        C::WeightScaleFeature,
        "FF 01 00 00",
        V::WeightScaleFeature(features),
    );
    assert_eq!(features.weight_resolution(), 0x0F);
    assert_eq!(features.height_resolution(), 3);
}

#[test]
fn body_composition_measurement() {
    check(
        C::BodyCompositionMeasurement,
        "14 16 D7 00 02 90 01 88 13 B0 36",
        V::BodyCompositionMeasurement(BodyCompositionMeasurement {
            unit_system: UnitSystem::Si,
            body_fat: 215,
            timestamp: None,
            user_id: Some(2),
            basal_metabolism_kj: None,
            muscle_percentage: Some(400),
            muscle_mass: None,
            fat_free_mass: None,
            soft_lean_mass: None,
            body_water_mass: None,
            impedance: Some(5000),
            weight: Some(14_000),
            height: None,
            multiple_packet: true,
        }),
    );
    let analysed = BodyCompositionMeasurement::decode(&octets("00 00 D7 00")).unwrap();
    assert_eq!(analysed.body_fat_value().unwrap().to_string(), "21.5");
    let failed = BodyCompositionMeasurement::decode(&octets("00 00 FF FF")).unwrap();
    assert_eq!(failed.body_fat_value(), None);
}

#[test]
fn plx_spot_check_with_every_field() {
    let hex = format!("1F 62 00 48 00 {TIMESTAMP} 80 00 20 00 00 19 F0");
    check(
        C::PlxSpotCheckMeasurement,
        &hex,
        V::PlxSpotCheckMeasurement(PlxSpotCheckMeasurement {
            spo2_pct: sf(98),
            pulse_rate_bpm: sf(72),
            timestamp: Some(date_time(2024, 3, 15, 10, 30, 0)),
            measurement_status: Some(PlxMeasurementStatus::VALIDATED_DATA),
            device_sensor_status: Some(PlxDeviceSensorStatus::LOW_PERFUSION_DETECTED),
            pulse_amplitude_index_pct: Some(sf(0xF019)),
            device_clock_not_set: true,
        }),
    );
}

#[test]
fn plx_continuous_with_fast_and_slow() {
    check(
        C::PlxContinuousMeasurement,
        "03 62 00 48 00 61 00 49 00 60 00 47 00",
        V::PlxContinuousMeasurement(PlxContinuousMeasurement {
            normal: Spo2PulseRate {
                spo2_pct: sf(98),
                pulse_rate_bpm: sf(72),
            },
            fast: Some(Spo2PulseRate {
                spo2_pct: sf(97),
                pulse_rate_bpm: sf(73),
            }),
            slow: Some(Spo2PulseRate {
                spo2_pct: sf(96),
                pulse_rate_bpm: sf(71),
            }),
            measurement_status: None,
            device_sensor_status: None,
            pulse_amplitude_index_pct: None,
        }),
    );
}

#[test]
fn plx_features_with_both_support_fields() {
    check(
        C::PlxFeatures,
        "0B 00 E0 FF 01 80 00",
        V::PlxFeatures(PlxFeatures {
            supported: PlxSupportedFeatures(0x000B),
            measurement_status_support: Some(PlxMeasurementStatus(0xFFE0)),
            device_sensor_status_support: Some(PlxDeviceSensorStatus(0x8001)),
        }),
    );
}

#[test]
fn crc_16_mcrf4xx_check_value() {
    assert_eq!(ble_proto::crc::e2e_crc(b"123456789"), 0x6F91);
}

#[test]
fn cgm_measurement_with_two_records_one_protected() {
    let first = CgmMeasurementRecord {
        glucose_mg_dl: sf(100),
        time_offset_min: 5,
        annunciation: CgmAnnunciation::default(),
        trend_mg_dl_per_min: None,
        quality_pct: None,
        e2e_crc: None,
    };
    let second = CgmMeasurementRecord {
        glucose_mg_dl: sf(110),
        time_offset_min: 10,
        annunciation: CgmAnnunciation::default(),
        trend_mg_dl_per_min: Some(sf(0xFFF1)),
        quality_pct: None,
        e2e_crc: Some(0xCD9F),
    };
    assert_eq!(second.with_e2e_crc(), second);
    check(
        C::CgmMeasurement,
        "06 00 64 00 05 00 0A 01 6E 00 0A 00 F1 FF 9F CD",
        V::CgmMeasurement(CgmMeasurement {
            records: vec![first, second],
        }),
    );
}

#[test]
fn cgm_annunciation_octets_in_specification_order() {
    let record = CgmMeasurementRecord::decode_for_test("09 E0 64 00 05 00 01 02 03");
    assert_eq!(
        record.annunciation,
        CgmAnnunciation {
            status: Some(1),
            cal_temp: Some(2),
            warning: Some(3)
        }
    );
    assert_eq!(
        record.annunciation.octets().collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
}

trait DecodeForTest {
    fn decode_for_test(hex: &str) -> Self;
}

impl DecodeForTest for CgmMeasurementRecord {
    fn decode_for_test(hex: &str) -> Self {
        let mut measurement = CgmMeasurement::decode(&octets(hex)).unwrap();
        assert_eq!(measurement.records.len(), 1);
        measurement.records.remove(0)
    }
}

#[test]
fn cgm_feature_status_and_session_times() {
    let feature = CgmFeature {
        features: CgmFeatures(0x01_F000),
        sample_type: 9,
        sample_location: 5,
        e2e_crc: 0,
    }
    .with_e2e_crc();
    let encoded = feature.encode();
    check(C::CgmFeature, &hex(&encoded), V::CgmFeature(feature));
    check(
        C::CgmFeature,
        "00 00 00 59 FF FF",
        V::CgmFeature(CgmFeature {
            features: CgmFeatures(0),
            sample_type: 9,
            sample_location: 5,
            e2e_crc: 0xFFFF,
        }),
    );
    check(
        C::CgmStatus,
        "2C 01 01 00 00",
        V::CgmStatus(CgmStatus {
            time_offset_min: 300,
            status: CgmSensorStatus::SESSION_STOPPED,
            e2e_crc: None,
        }),
    );
    let status = CgmStatus {
        time_offset_min: 300,
        status: CgmSensorStatus(0x40_0000),
        e2e_crc: None,
    }
    .with_e2e_crc();
    check(C::CgmStatus, &hex(&status.encode()), V::CgmStatus(status));
    check(
        C::CgmSessionStartTime,
        &format!("{TIMESTAMP} 04 04"),
        V::CgmSessionStartTime(CgmSessionStartTime {
            start: date_time(2024, 3, 15, 10, 30, 0),
            time_zone: 4,
            dst_offset: 4,
            e2e_crc: None,
        }),
    );
    let start = CgmSessionStartTime {
        start: date_time(2024, 3, 15, 10, 30, 0),
        time_zone: -128,
        dst_offset: 255,
        e2e_crc: None,
    }
    .with_e2e_crc();
    check(
        C::CgmSessionStartTime,
        &hex(&start.encode()),
        V::CgmSessionStartTime(start),
    );
    check(
        C::CgmSessionRunTime,
        "50 01",
        V::CgmSessionRunTime(CgmSessionRunTime {
            run_time_hours: 336,
            e2e_crc: None,
        }),
    );
}

fn hex(octets: &[u8]) -> String {
    octets.iter().map(|octet| format!("{octet:02X}")).collect()
}

#[test]
fn date_time_and_current_time() {
    check(
        C::DateTime,
        TIMESTAMP,
        V::DateTime(date_time(2024, 3, 15, 10, 30, 0)),
    );
    check(
        C::CurrentTime,
        &format!("{TIMESTAMP} 05 80 02"),
        V::CurrentTime(CurrentTime {
            date_time: date_time(2024, 3, 15, 10, 30, 0),
            day_of_week: DayOfWeek::Friday,
            fractions256: 128,
            adjust_reason: AdjustReason::EXTERNAL_REFERENCE_TIME_UPDATE,
        }),
    );
    assert_eq!(
        date_time(0, 4, 17, 20, 41, 59).to_string(),
        "0000-04-17T20:41:59"
    );
}

#[test]
fn battery_level_and_device_information() {
    check(C::BatteryLevel, "64", V::BatteryLevel(100));
    check(
        C::ManufacturerName,
        "41 63 6D 65 20 4D 65 64 00 00",
        V::DeviceInformationString(C::ManufacturerName, "Acme Med".into()),
    );
    check(
        C::SerialNumber,
        "53 4E FF 0A 31",
        V::DeviceInformationString(C::SerialNumber, "SN\u{FFFD}\u{FFFD}1".into()),
    );
    let system_id = SystemId::decode(&octets("00 1C 05 FF FE FF E8 74")).unwrap();
    assert_eq!(system_id.to_string(), "74-E8-FF-FE-FF-05-1C-00");
    assert_eq!(system_id.oui(), 0x74E8FF);
    check(
        C::SystemId,
        "00 1C 05 FF FE FF E8 74",
        V::SystemId(system_id),
    );
}

#[test]
fn uuids_expand_over_the_base_uuid() {
    assert_eq!(
        C::BloodPressureMeasurement.uuid128(),
        0x00002A35_0000_1000_8000_00805F9B34FB
    );
    assert_eq!(
        ble_proto::uuid128(ble_proto::service::GLUCOSE),
        0x00001808_0000_1000_8000_00805F9B34FB
    );
    for &characteristic in C::ALL {
        assert_eq!(
            C::from_uuid16(characteristic.uuid16()),
            Some(characteristic)
        );
    }
    assert_eq!(C::from_uuid16(0x2A00), None);
    assert_eq!(C::ALL.len(), 31);
    assert_eq!(C::CgmMeasurement.to_string(), "CGM Measurement (0x2AA7)");
}
