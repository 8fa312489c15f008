//! Property tests: every characteristic's encoder and decoder agree for generated values, and
//! no octets make a decoder panic.

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
use ble_proto::{Characteristic, CharacteristicValue as V, DateTime, Float, Sfloat};
use proptest::option::of;
use proptest::prelude::*;

fn sfloat() -> impl Strategy<Value = Sfloat> {
    any::<u16>().prop_map(Sfloat::from_bits)
}

fn float() -> impl Strategy<Value = Float> {
    any::<u32>().prop_map(Float::from_bits)
}

fn date_time() -> impl Strategy<Value = DateTime> {
    (
        prop_oneof![Just(0u16), 1582..=9999u16],
        0..=12u8,
        0..=31u8,
        0..=23u8,
        0..=59u8,
        0..=59u8,
    )
        .prop_map(|(y, mo, d, h, mi, s)| DateTime::new(y, mo, d, h, mi, s).unwrap())
}

fn nibble() -> impl Strategy<Value = u8> {
    0..16u8
}

fn u24() -> impl Strategy<Value = u32> {
    0..(1u32 << 24)
}

fn glucose_measurement() -> impl Strategy<Value = V> {
    (
        any::<u16>(),
        date_time(),
        of(any::<i16>()),
        of((sfloat(), any::<bool>(), nibble(), nibble())),
        of(any::<u16>()),
        any::<bool>(),
    )
        .prop_map(
            |(
                sequence_number,
                base_time,
                time_offset_min,
                concentration,
                status,
                context_follows,
            )| {
                V::GlucoseMeasurement(GlucoseMeasurement {
                    sequence_number,
                    base_time,
                    time_offset_min,
                    concentration: concentration.map(
                        |(value, mol, sample_type, sample_location)| GlucoseConcentration {
                            value,
                            unit: if mol {
                                GlucoseUnit::MolePerLitre
                            } else {
                                GlucoseUnit::KilogramPerLitre
                            },
                            sample_type,
                            sample_location,
                        },
                    ),
                    sensor_status: status.map(GlucoseSensorStatus),
                    context_follows,
                })
            },
        )
}

fn glucose_context() -> impl Strategy<Value = V> {
    (
        any::<u16>(),
        of(any::<u8>()),
        of((any::<u8>(), sfloat())),
        of(any::<u8>()),
        of((nibble(), nibble())),
        of((any::<u16>(), any::<u8>())),
        of((any::<u8>(), sfloat(), any::<bool>())),
        of(sfloat()),
    )
        .prop_map(
            |(
                sequence_number,
                extended_flags,
                carbohydrate,
                meal,
                tester_health,
                exercise,
                medication,
                hba1c_pct,
            )| {
                V::GlucoseMeasurementContext(GlucoseMeasurementContext {
                    sequence_number,
                    extended_flags,
                    carbohydrate: carbohydrate.map(|(id, amount)| Carbohydrate { id, amount }),
                    meal,
                    tester_health: tester_health
                        .map(|(tester, health)| TesterHealth { tester, health }),
                    exercise: exercise.map(|(duration_s, intensity_pct)| Exercise {
                        duration_s,
                        intensity_pct,
                    }),
                    medication: medication.map(|(id, amount, litres)| Medication {
                        id,
                        amount,
                        unit: if litres {
                            MedicationUnit::Litre
                        } else {
                            MedicationUnit::Kilogram
                        },
                    }),
                    hba1c_pct,
                })
            },
        )
}

fn racp_response() -> impl Strategy<Value = V> {
    prop_oneof![
        any::<u16>().prop_map(RacpResponse::NumberOfStoredRecords),
        (any::<u8>(), any::<u8>()).prop_map(|(request_opcode, code)| RacpResponse::ResponseCode {
            request_opcode,
            response: RacpResponseCode::from_code(code),
        }),
    ]
    .prop_map(V::RacpResponse)
}

fn racp_request() -> impl Strategy<Value = RacpRequest> {
    let value = prop_oneof![
        any::<u16>().prop_map(FilterValue::SequenceNumber),
        date_time().prop_map(FilterValue::UserFacingTime),
    ];
    let range = prop_oneof![
        (any::<u16>(), any::<u16>())
            .prop_map(|(from, to)| FilterRange::SequenceNumber { from, to }),
        (date_time(), date_time()).prop_map(|(from, to)| FilterRange::UserFacingTime { from, to }),
    ];
    let filter = prop_oneof![
        Just(RecordFilter::All),
        Just(RecordFilter::First),
        Just(RecordFilter::Last),
        value.clone().prop_map(RecordFilter::LessOrEqual),
        value.prop_map(RecordFilter::GreaterOrEqual),
        range.prop_map(RecordFilter::WithinRange),
    ];
    prop_oneof![
        filter.clone().prop_map(RacpRequest::ReportStoredRecords),
        filter.prop_map(RacpRequest::ReportNumberOfStoredRecords),
        Just(RacpRequest::AbortOperation),
    ]
}

type BpTrailer = (Option<DateTime>, Option<Sfloat>, Option<u8>, Option<u16>);

fn bp_trailer() -> impl Strategy<Value = BpTrailer> {
    (
        of(date_time()),
        of(sfloat()),
        of(any::<u8>()),
        of(any::<u16>()),
    )
}

fn pressure_unit() -> impl Strategy<Value = PressureUnit> {
    prop_oneof![
        Just(PressureUnit::MillimetreOfMercury),
        Just(PressureUnit::Kilopascal)
    ]
}

fn blood_pressure() -> impl Strategy<Value = V> {
    (pressure_unit(), sfloat(), sfloat(), sfloat(), bp_trailer()).prop_map(
        |(unit, systolic, diastolic, mean_arterial, (timestamp, pulse_rate, user_id, status))| {
            V::BloodPressureMeasurement(BloodPressureMeasurement {
                unit,
                systolic,
                diastolic,
                mean_arterial,
                timestamp,
                pulse_rate,
                user_id,
                status: status.map(BloodPressureStatus),
            })
        },
    )
}

fn cuff_pressure() -> impl Strategy<Value = V> {
    (pressure_unit(), sfloat(), bp_trailer()).prop_map(
        |(unit, cuff_pressure, (timestamp, pulse_rate, user_id, status))| {
            V::IntermediateCuffPressure(IntermediateCuffPressure {
                unit,
                cuff_pressure,
                timestamp,
                pulse_rate,
                user_id,
                status: status.map(BloodPressureStatus),
            })
        },
    )
}

fn heart_rate() -> impl Strategy<Value = V> {
    (
        any::<u16>(),
        prop_oneof![
            Just(SensorContact::NotSupported),
            Just(SensorContact::NotDetected),
            Just(SensorContact::Detected)
        ],
        of(any::<u16>()),
        proptest::collection::vec(any::<u16>(), 0..10),
    )
        .prop_map(
            |(heart_rate, sensor_contact, energy_expended_kj, rr_intervals_1024)| {
                V::HeartRateMeasurement(HeartRateMeasurement {
                    heart_rate,
                    sensor_contact,
                    energy_expended_kj,
                    rr_intervals_1024,
                })
            },
        )
}

fn temperature() -> impl Strategy<Value = TemperatureMeasurement> {
    (float(), any::<bool>(), of(date_time()), of(any::<u8>())).prop_map(
        |(value, fahrenheit, timestamp, temperature_type)| TemperatureMeasurement {
            value,
            unit: if fahrenheit {
                TemperatureUnit::Fahrenheit
            } else {
                TemperatureUnit::Celsius
            },
            timestamp,
            temperature_type,
        },
    )
}

fn unit_system() -> impl Strategy<Value = UnitSystem> {
    prop_oneof![Just(UnitSystem::Si), Just(UnitSystem::Imperial)]
}

fn weight() -> impl Strategy<Value = V> {
    (
        unit_system(),
        any::<u16>(),
        of(date_time()),
        of(any::<u8>()),
        of((any::<u16>(), any::<u16>())),
    )
        .prop_map(
            |(unit_system, weight, timestamp, user_id, bmi_and_height)| {
                V::WeightMeasurement(WeightMeasurement {
                    unit_system,
                    weight,
                    timestamp,
                    user_id,
                    bmi_and_height: bmi_and_height
                        .map(|(bmi, height)| BmiAndHeight { bmi, height }),
                })
            },
        )
}

fn body_composition() -> impl Strategy<Value = V> {
    let head = (
        unit_system(),
        any::<u16>(),
        of(date_time()),
        of(any::<u8>()),
        any::<bool>(),
    );
    let masses = proptest::collection::vec(of(any::<u16>()), 9);
    (head, masses).prop_map(
        |((unit_system, body_fat, timestamp, user_id, multiple_packet), masses)| {
            V::BodyCompositionMeasurement(BodyCompositionMeasurement {
                unit_system,
                body_fat,
                timestamp,
                user_id,
                basal_metabolism_kj: masses[0],
                muscle_percentage: masses[1],
                muscle_mass: masses[2],
                fat_free_mass: masses[3],
                soft_lean_mass: masses[4],
                body_water_mass: masses[5],
                impedance: masses[6],
                weight: masses[7],
                height: masses[8],
                multiple_packet,
            })
        },
    )
}

fn pair() -> impl Strategy<Value = Spo2PulseRate> {
    (sfloat(), sfloat()).prop_map(|(spo2_pct, pulse_rate_bpm)| Spo2PulseRate {
        spo2_pct,
        pulse_rate_bpm,
    })
}

fn plx_spot_check() -> impl Strategy<Value = V> {
    (
        pair(),
        of(date_time()),
        of(any::<u16>()),
        of(u24()),
        of(sfloat()),
        any::<bool>(),
    )
        .prop_map(|(pair, timestamp, status, device, index, clock)| {
            V::PlxSpotCheckMeasurement(PlxSpotCheckMeasurement {
                spo2_pct: pair.spo2_pct,
                pulse_rate_bpm: pair.pulse_rate_bpm,
                timestamp,
                measurement_status: status.map(PlxMeasurementStatus),
                device_sensor_status: device.map(PlxDeviceSensorStatus),
                pulse_amplitude_index_pct: index,
                device_clock_not_set: clock,
            })
        })
}

fn plx_continuous() -> impl Strategy<Value = V> {
    (
        pair(),
        of(pair()),
        of(pair()),
        of(any::<u16>()),
        of(u24()),
        of(sfloat()),
    )
        .prop_map(|(normal, fast, slow, status, device, index)| {
            V::PlxContinuousMeasurement(PlxContinuousMeasurement {
                normal,
                fast,
                slow,
                measurement_status: status.map(PlxMeasurementStatus),
                device_sensor_status: device.map(PlxDeviceSensorStatus),
                pulse_amplitude_index_pct: index,
            })
        })
}

fn plx_features() -> impl Strategy<Value = V> {
    (any::<u16>(), of(any::<u16>()), of(u24())).prop_map(|(supported, status, device)| {
        let presence = u16::from(status.is_some()) | (u16::from(device.is_some()) << 1);
        V::PlxFeatures(PlxFeatures {
            supported: PlxSupportedFeatures((supported & !0b11) | presence),
            measurement_status_support: status.map(PlxMeasurementStatus),
            device_sensor_status_support: device.map(PlxDeviceSensorStatus),
        })
    })
}

fn cgm_record() -> impl Strategy<Value = CgmMeasurementRecord> {
    (
        sfloat(),
        any::<u16>(),
        of(any::<u8>()),
        of(any::<u8>()),
        of(any::<u8>()),
        of(sfloat()),
        of(sfloat()),
        any::<bool>(),
    )
        .prop_map(
            |(glucose_mg_dl, time_offset_min, status, cal_temp, warning, trend, quality, crc)| {
                let record = CgmMeasurementRecord {
                    glucose_mg_dl,
                    time_offset_min,
                    annunciation: CgmAnnunciation {
                        status,
                        cal_temp,
                        warning,
                    },
                    trend_mg_dl_per_min: trend,
                    quality_pct: quality,
                    e2e_crc: None,
                };
                if crc { record.with_e2e_crc() } else { record }
            },
        )
}

fn cgm() -> impl Strategy<Value = V> {
    prop_oneof![
        proptest::collection::vec(cgm_record(), 1..5)
            .prop_map(|records| V::CgmMeasurement(CgmMeasurement { records })),
        (u24(), nibble(), nibble()).prop_map(|(features, sample_type, sample_location)| {
            V::CgmFeature(
                CgmFeature {
                    features: CgmFeatures(features),
                    sample_type,
                    sample_location,
                    e2e_crc: 0,
                }
                .with_e2e_crc(),
            )
        }),
        (any::<u16>(), u24(), any::<bool>()).prop_map(|(time_offset_min, status, crc)| {
            let status = CgmStatus {
                time_offset_min,
                status: CgmSensorStatus(status),
                e2e_crc: None,
            };
            V::CgmStatus(if crc { status.with_e2e_crc() } else { status })
        }),
        (date_time(), any::<i8>(), any::<u8>(), any::<bool>()).prop_map(
            |(start, time_zone, dst_offset, crc)| {
                let start = CgmSessionStartTime {
                    start,
                    time_zone,
                    dst_offset,
                    e2e_crc: None,
                };
                V::CgmSessionStartTime(if crc { start.with_e2e_crc() } else { start })
            }
        ),
        (any::<u16>(), any::<bool>()).prop_map(|(run_time_hours, crc)| {
            let run_time = CgmSessionRunTime {
                run_time_hours,
                e2e_crc: None,
            };
            V::CgmSessionRunTime(if crc {
                run_time.with_e2e_crc()
            } else {
                run_time
            })
        }),
    ]
}

fn clocks_and_device_information() -> impl Strategy<Value = V> {
    let dis = prop_oneof![
        Just(Characteristic::ManufacturerName),
        Just(Characteristic::ModelNumber),
        Just(Characteristic::SerialNumber),
        Just(Characteristic::HardwareRevision),
        Just(Characteristic::FirmwareRevision),
        Just(Characteristic::SoftwareRevision),
    ];
    prop_oneof![
        date_time().prop_map(V::DateTime),
        (date_time(), 0..=7u8, any::<u8>(), any::<u8>()).prop_map(
            |(date_time, day, fractions256, reason)| {
                V::CurrentTime(CurrentTime {
                    date_time,
                    day_of_week: DayOfWeek::from_number(day).unwrap(),
                    fractions256,
                    adjust_reason: AdjustReason(reason),
                })
            }
        ),
        any::<u8>().prop_map(V::BatteryLevel),
        (dis, "[^\\p{Cc}]{0,20}")
            .prop_map(|(characteristic, text)| V::DeviceInformationString(characteristic, text)),
        any::<[u8; 8]>().prop_map(|eui64| V::SystemId(SystemId { eui64 })),
        any::<u16>().prop_map(|bits| V::GlucoseFeature(GlucoseFeatures(bits))),
        any::<u16>().prop_map(|bits| V::BloodPressureFeature(BloodPressureFeatures(bits))),
        any::<u32>().prop_map(|bits| V::WeightScaleFeature(WeightScaleFeatures(bits))),
    ]
}

fn any_value() -> impl Strategy<Value = V> {
    prop_oneof![
        glucose_measurement(),
        glucose_context(),
        racp_response(),
        blood_pressure(),
        cuff_pressure(),
        heart_rate(),
        temperature().prop_map(V::TemperatureMeasurement),
        temperature().prop_map(V::IntermediateTemperature),
        weight(),
        body_composition(),
        plx_spot_check(),
        plx_continuous(),
        plx_features(),
        cgm(),
        clocks_and_device_information(),
    ]
}

fn characteristic() -> impl Strategy<Value = Characteristic> {
    proptest::sample::select(Characteristic::ALL)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn encode_then_decode_gives_the_value_back(value in any_value()) {
        let encoded = value.encode();
        prop_assert_eq!(ble_proto::decode(value.characteristic(), &encoded), Ok(value));
    }

    #[test]
    fn racp_requests_round_trip(request in racp_request()) {
        prop_assert_eq!(RacpRequest::decode(&request.encode()), Ok(request));
    }

    #[test]
    fn decoding_never_panics_and_what_decodes_re_encodes(
        characteristic in characteristic(),
        octets in proptest::collection::vec(any::<u8>(), 0..48),
    ) {
        if let Ok(value) = ble_proto::decode(characteristic, &octets) {
            prop_assert_eq!(value.characteristic(), characteristic);
            // Re-encoding drops RFU bits (and so may change a CGM CRC); after that it is stable.
            let encoded = value.encode();
            let again = ble_proto::decode(characteristic, &encoded);
            prop_assert!(again.is_ok(), "{:?} re-encoded as {:02X?}: {:?}", value, encoded, again);
            prop_assert_eq!(again.map(|value| value.encode()), Ok(encoded));
        }
        let _ = RacpRequest::decode(&octets);
    }

    #[test]
    fn sfloat_and_float_decimals_match_their_f64(bits in any::<u32>()) {
        if let Some(decimal) = Float::from_bits(bits).value().number() {
            let text = format!("{}e{}", decimal.mantissa(), decimal.exponent());
            prop_assert_eq!(decimal.to_f64(), text.parse::<f64>().unwrap());
            prop_assert_eq!(decimal.to_string().parse::<f64>().unwrap(), decimal.to_f64());
        }
    }
}
