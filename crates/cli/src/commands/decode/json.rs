//! Typed characteristic values → JSON in the `vitalog decode` vocabulary (`DECODE-JSON.md`).
//!
//! The protocol types carry no serde attributes; this module is the only place that knows the
//! JSON names. Only fields that are present on the air are emitted (never `null`).
//!
//! * Numbers are exact decimals rendered shortest: an integer when the value is a whole number
//!   that fits an `i64`, otherwise the `f64` parsed from the exact decimal text, which
//!   serde_json prints in its shortest round-trip form (18.9, 1.2e-6, 1e129).
//! * SFLOAT/FLOAT special values are the strings `"NaN"`, `"NRes"`, `"+INF"`, `"-INF"`, `"RFU"`.
//! * Bit-field names are the lowercase names of the protocol crate's constants, each list
//!   beside its `_raw` integer.
//!
//! Characteristics the contract does not list use the same conventions: features as
//! `features` + `features_raw`; CGM Status `time_offset_min`, `status`, `status_raw`; CGM
//! Session Start Time `session_start_time`, `time_zone` (15-minute units), `dst_offset` (raw
//! code); CGM Session Run Time `run_time_hours`; Battery Level `battery_level_pct`; Device
//! Information strings `text`; System ID `system_id` (EUI-64, `XX-XX-…`). Every E2E-CRC is
//! `e2e_crc` with `crc_valid` (always true: a wrong CRC is an error).

use ble_proto::blood_pressure::{BloodPressureStatus, PressureUnit, PulseRateRange};
use ble_proto::cgm::CgmMeasurementRecord;
use ble_proto::glucose::{GlucoseUnit, MedicationUnit};
use ble_proto::heart_rate::SensorContact;
use ble_proto::pulse_oximeter::{PlxDeviceSensorStatus, PlxMeasurementStatus};
use ble_proto::racp::RacpResponse;
use ble_proto::thermometer::{TemperatureMeasurement, TemperatureUnit};
use ble_proto::weight::{MEASUREMENT_UNSUCCESSFUL, UnitSystem, tenths};
use ble_proto::{CharacteristicValue as V, DateTime, Decimal, MedfloatValue};
use serde_json::{Map, Value, json};

/// An object under construction: insertion of present fields only.
#[derive(Default)]
struct Object(Map<String, Value>);

impl Object {
    fn put(&mut self, key: &str, value: impl Into<Value>) -> &mut Self {
        self.0.insert(key.to_owned(), value.into());
        self
    }

    fn put_some<T: Into<Value>>(&mut self, key: &str, value: Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.put(key, value);
        }
        self
    }

    fn done(&mut self) -> Value {
        Value::Object(std::mem::take(&mut self.0))
    }
}

/// An exact decimal as a JSON number, shortest form.
pub fn decimal(value: Decimal) -> Value {
    let shortest = value.normalized();
    if shortest.exponent() >= 0 {
        let whole = (0..shortest.exponent())
            .try_fold(i64::from(shortest.mantissa()), |acc, _| acc.checked_mul(10));
        if let Some(whole) = whole {
            return Value::from(whole);
        }
    }
    serde_json::Number::from_f64(value.to_f64())
        .map_or_else(|| Value::String(value.to_scientific()), Value::Number)
}

/// An SFLOAT or FLOAT: a number, or the name of its special value.
pub fn medfloat(value: MedfloatValue) -> Value {
    match value {
        MedfloatValue::Number(number) => decimal(number),
        MedfloatValue::NaN => "NaN".into(),
        MedfloatValue::NRes => "NRes".into(),
        MedfloatValue::PositiveInfinity => "+INF".into(),
        MedfloatValue::NegativeInfinity => "-INF".into(),
        MedfloatValue::Reserved => "RFU".into(),
    }
}

/// A standalone SFLOAT/FLOAT: `value`, `mantissa`, `exponent`, or only `value` when special.
pub fn standalone(value: MedfloatValue) -> Value {
    let mut object = Object::default();
    object.put("value", medfloat(value));
    if let MedfloatValue::Number(number) = value {
        object
            .put("mantissa", number.mantissa())
            .put("exponent", number.exponent());
    }
    object.done()
}

fn timestamp(value: DateTime) -> Value {
    value.to_string().into()
}

/// The lowercase names of the set bits that have names.
fn names<'a>(set: impl Iterator<Item = &'a str>) -> Value {
    set.map(|name| Value::from(name.to_lowercase())).collect()
}

fn pressure_unit(unit: PressureUnit) -> &'static str {
    match unit {
        PressureUnit::MillimetreOfMercury => "mmHg",
        PressureUnit::Kilopascal => "kPa",
    }
}

/// Blood pressure status names: the single bits, and the pulse-rate range of bits 3–4.
fn blood_pressure_status(status: BloodPressureStatus) -> Value {
    let mut list = Vec::new();
    for (flag, name) in BloodPressureStatus::NAMED {
        if flag.bits() > 1 << 2 {
            // Bits 3–4 come before bit 5.
            push_pulse_range(&mut list, status);
        }
        if status.contains(*flag) {
            list.push(Value::from(name.to_lowercase()));
        }
    }
    list.into()
}

fn push_pulse_range(list: &mut Vec<Value>, status: BloodPressureStatus) {
    let name = match status.pulse_rate_range() {
        PulseRateRange::WithinRange => return,
        PulseRateRange::ExceedsUpperLimit => "pulse_rate_exceeds_upper_limit",
        PulseRateRange::BelowLowerLimit => "pulse_rate_below_lower_limit",
        PulseRateRange::Reserved => "pulse_rate_range_reserved",
    };
    list.push(name.into());
}

fn blood_pressure_trailer(
    object: &mut Object,
    timestamp_value: Option<DateTime>,
    pulse_rate: Option<ble_proto::Sfloat>,
    user_id: Option<u8>,
    status: Option<BloodPressureStatus>,
) {
    object
        .put_some("timestamp", timestamp_value.map(timestamp))
        .put_some("pulse_rate", pulse_rate.map(|rate| medfloat(rate.value())))
        .put_some("user_id", user_id);
    if let Some(status) = status {
        object
            .put("status", blood_pressure_status(status))
            .put("status_raw", status.bits());
    }
}

fn temperature(value: &TemperatureMeasurement) -> Value {
    Object::default()
        .put("value", medfloat(value.value.value()))
        .put(
            "unit",
            match value.unit {
                TemperatureUnit::Celsius => "C",
                TemperatureUnit::Fahrenheit => "F",
            },
        )
        .put_some("timestamp", value.timestamp.map(timestamp))
        .put_some("type", value.temperature_type)
        .done()
}

fn mass_key(unit: UnitSystem, stem: &str) -> String {
    match unit {
        UnitSystem::Si => format!("{stem}_kg"),
        UnitSystem::Imperial => format!("{stem}_lb"),
    }
}

fn height_key(unit: UnitSystem) -> &'static str {
    match unit {
        UnitSystem::Si => "height_m",
        UnitSystem::Imperial => "height_in",
    }
}

fn plx_status(
    object: &mut Object,
    status: Option<PlxMeasurementStatus>,
    device: Option<PlxDeviceSensorStatus>,
) {
    if let Some(status) = status {
        object
            .put("measurement_status", names(status.names()))
            .put("measurement_status_raw", status.bits());
    }
    if let Some(device) = device {
        object
            .put("device_sensor_status", names(device.names()))
            .put("device_sensor_status_raw", device.bits());
    }
}

fn crc(object: &mut Object, crc: Option<u16>) {
    if let Some(crc) = crc {
        // A CRC that does not match fails decoding, so a present one is valid.
        object.put("e2e_crc", crc).put("crc_valid", true);
    }
}

fn cgm_record(record: &CgmMeasurementRecord) -> Value {
    let mut encoded = Vec::new();
    record.encode_into(&mut encoded);
    let annunciation: Vec<u8> = record.annunciation.octets().collect();
    let mut object = Object::default();
    object
        .put("size", encoded.len())
        .put("glucose_mg_dl", medfloat(record.glucose_mg_dl.value()))
        .put("time_offset_min", record.time_offset_min);
    if !annunciation.is_empty() {
        object.put("annunciation_octets", annunciation);
    }
    object
        .put_some(
            "trend_mg_dl_per_min",
            record
                .trend_mg_dl_per_min
                .map(|trend| medfloat(trend.value())),
        )
        .put_some(
            "quality_pct",
            record.quality_pct.map(|quality| medfloat(quality.value())),
        );
    crc(&mut object, record.e2e_crc);
    object.done()
}

fn racp(response: &RacpResponse) -> Value {
    match response {
        RacpResponse::NumberOfStoredRecords(count) => {
            json!({ "opcode": 5, "operator": 0, "number_of_records": count })
        }
        RacpResponse::ResponseCode {
            request_opcode,
            response,
        } => {
            use ble_proto::racp::RacpResponseCode as R;
            let name = match response {
                R::Success => "success",
                R::OpCodeNotSupported => "op_code_not_supported",
                R::InvalidOperator => "invalid_operator",
                R::OperatorNotSupported => "operator_not_supported",
                R::InvalidOperand => "invalid_operand",
                R::NoRecordsFound => "no_records_found",
                R::AbortUnsuccessful => "abort_unsuccessful",
                R::ProcedureNotCompleted => "procedure_not_completed",
                R::OperandNotSupported => "operand_not_supported",
                R::Reserved(_) => "reserved",
            };
            json!({
                "opcode": 6,
                "operator": 0,
                "request_opcode": request_opcode,
                "response_code": response.code(),
                "response": name,
            })
        }
    }
}

/// A decoded characteristic value as one JSON object.
pub fn value(value: &V) -> Value {
    let mut object = Object::default();
    match value {
        V::BloodPressureMeasurement(bp) => {
            object
                .put("unit", pressure_unit(bp.unit))
                .put("systolic", medfloat(bp.systolic.value()))
                .put("diastolic", medfloat(bp.diastolic.value()))
                .put("mean_arterial", medfloat(bp.mean_arterial.value()));
            blood_pressure_trailer(
                &mut object,
                bp.timestamp,
                bp.pulse_rate,
                bp.user_id,
                bp.status,
            );
        }
        V::IntermediateCuffPressure(icp) => {
            object
                .put("unit", pressure_unit(icp.unit))
                .put("cuff_pressure", medfloat(icp.cuff_pressure.value()));
            blood_pressure_trailer(
                &mut object,
                icp.timestamp,
                icp.pulse_rate,
                icp.user_id,
                icp.status,
            );
        }
        V::BloodPressureFeature(features) => {
            object
                .put("features", names(features.names()))
                .put("features_raw", features.bits());
        }
        V::HeartRateMeasurement(hr) => {
            object
                .put("heart_rate", hr.heart_rate)
                .put(
                    "sensor_contact",
                    match hr.sensor_contact {
                        SensorContact::NotSupported => "not_supported",
                        SensorContact::NotDetected => "not_detected",
                        SensorContact::Detected => "detected",
                    },
                )
                .put_some("energy_expended_kj", hr.energy_expended_kj);
            if !hr.rr_intervals_1024.is_empty() {
                object.put("rr_intervals_1024", hr.rr_intervals_1024.clone());
            }
        }
        V::TemperatureMeasurement(reading) | V::IntermediateTemperature(reading) => {
            return temperature(reading);
        }
        V::WeightMeasurement(weighing) => {
            match weighing.weight_value() {
                Some(weight) => {
                    object.put(&mass_key(weighing.unit_system, "weight"), decimal(weight))
                }
                None => object.put("measurement_unsuccessful", true),
            };
            object
                .put_some("timestamp", weighing.timestamp.map(timestamp))
                .put_some("user_id", weighing.user_id);
            if let Some(bmi_and_height) = weighing.bmi_and_height {
                object.put("bmi", decimal(tenths(bmi_and_height.bmi))).put(
                    height_key(weighing.unit_system),
                    decimal(weighing.unit_system.height(bmi_and_height.height)),
                );
            }
        }
        V::WeightScaleFeature(features) => {
            object
                .put("features", names(features.names()))
                .put("features_raw", features.bits())
                .put("weight_resolution", features.weight_resolution())
                .put("height_resolution", features.height_resolution());
        }
        V::BodyCompositionMeasurement(bc) => {
            let unit = bc.unit_system;
            object.put(
                "unit_system",
                match unit {
                    UnitSystem::Si => "SI",
                    UnitSystem::Imperial => "imperial",
                },
            );
            if bc.body_fat == MEASUREMENT_UNSUCCESSFUL {
                object.put("measurement_unsuccessful", true);
            } else {
                object.put("body_fat_pct", decimal(tenths(bc.body_fat)));
            }
            object
                .put_some("timestamp", bc.timestamp.map(timestamp))
                .put_some("user_id", bc.user_id)
                .put_some("basal_metabolism_kj", bc.basal_metabolism_kj)
                .put_some(
                    "muscle_pct",
                    bc.muscle_percentage.map(|raw| decimal(tenths(raw))),
                );
            let masses = [
                ("muscle_mass", bc.muscle_mass),
                ("fat_free_mass", bc.fat_free_mass),
                ("soft_lean_mass", bc.soft_lean_mass),
                ("body_water_mass", bc.body_water_mass),
            ];
            for (stem, raw) in masses {
                object.put_some(
                    &mass_key(unit, stem),
                    raw.map(|raw| decimal(unit.mass(raw))),
                );
            }
            object
                .put_some(
                    "impedance_ohm",
                    bc.impedance.map(|raw| decimal(tenths(raw))),
                )
                .put_some(
                    &mass_key(unit, "weight"),
                    bc.weight.map(|raw| decimal(unit.mass(raw))),
                )
                .put_some(
                    height_key(unit),
                    bc.height.map(|raw| decimal(unit.height(raw))),
                );
            if bc.multiple_packet {
                object.put("multiple_packet", true);
            }
        }
        V::GlucoseMeasurement(glucose) => {
            object
                .put("sequence_number", glucose.sequence_number)
                .put("base_time", timestamp(glucose.base_time))
                .put_some("time_offset_min", glucose.time_offset_min);
            if let Some(concentration) = glucose.concentration {
                object
                    .put("concentration", medfloat(concentration.value.value()))
                    .put(
                        "concentration_unit",
                        match concentration.unit {
                            GlucoseUnit::KilogramPerLitre => "kg/L",
                            GlucoseUnit::MolePerLitre => "mol/L",
                        },
                    )
                    .put("type", concentration.sample_type)
                    .put("sample_location", concentration.sample_location);
            }
            if let Some(status) = glucose.sensor_status {
                object
                    .put("sensor_status", names(status.names()))
                    .put("sensor_status_raw", status.bits());
            }
            object.put("context_follows", glucose.context_follows);
        }
        V::GlucoseMeasurementContext(context) => {
            object
                .put("sequence_number", context.sequence_number)
                .put_some("extended_flags", context.extended_flags);
            if let Some(carbohydrate) = context.carbohydrate {
                object
                    .put("carbohydrate_id", carbohydrate.id)
                    .put("carbohydrate", medfloat(carbohydrate.amount.value()));
            }
            object.put_some("meal", context.meal);
            if let Some(tester_health) = context.tester_health {
                object
                    .put("tester", tester_health.tester)
                    .put("health", tester_health.health);
            }
            if let Some(exercise) = context.exercise {
                object
                    .put("exercise_duration_s", exercise.duration_s)
                    .put("exercise_intensity_pct", exercise.intensity_pct);
            }
            if let Some(medication) = context.medication {
                object
                    .put("medication_id", medication.id)
                    .put("medication", medfloat(medication.amount.value()))
                    .put(
                        "medication_unit",
                        match medication.unit {
                            MedicationUnit::Kilogram => "kg",
                            MedicationUnit::Litre => "L",
                        },
                    );
            }
            object.put_some(
                "hba1c_pct",
                context.hba1c_pct.map(|hba1c| medfloat(hba1c.value())),
            );
        }
        V::GlucoseFeature(features) => {
            object
                .put("features", names(features.names()))
                .put("features_raw", features.bits());
        }
        V::RacpResponse(response) => return racp(response),
        V::PlxSpotCheckMeasurement(spot) => {
            object
                .put("spo2_pct", medfloat(spot.spo2_pct.value()))
                .put("pulse_rate_bpm", medfloat(spot.pulse_rate_bpm.value()))
                .put_some("timestamp", spot.timestamp.map(timestamp));
            plx_status(
                &mut object,
                spot.measurement_status,
                spot.device_sensor_status,
            );
            object
                .put_some(
                    "pulse_amplitude_index_pct",
                    spot.pulse_amplitude_index_pct
                        .map(|index| medfloat(index.value())),
                )
                .put("device_clock_not_set", spot.device_clock_not_set);
        }
        V::PlxContinuousMeasurement(continuous) => {
            object
                .put("spo2_pct", medfloat(continuous.normal.spo2_pct.value()))
                .put(
                    "pulse_rate_bpm",
                    medfloat(continuous.normal.pulse_rate_bpm.value()),
                );
            if let Some(fast) = continuous.fast {
                object
                    .put("spo2_fast_pct", medfloat(fast.spo2_pct.value()))
                    .put("pulse_rate_fast_bpm", medfloat(fast.pulse_rate_bpm.value()));
            }
            if let Some(slow) = continuous.slow {
                object
                    .put("spo2_slow_pct", medfloat(slow.spo2_pct.value()))
                    .put("pulse_rate_slow_bpm", medfloat(slow.pulse_rate_bpm.value()));
            }
            plx_status(
                &mut object,
                continuous.measurement_status,
                continuous.device_sensor_status,
            );
            object.put_some(
                "pulse_amplitude_index_pct",
                continuous
                    .pulse_amplitude_index_pct
                    .map(|index| medfloat(index.value())),
            );
        }
        V::PlxFeatures(features) => {
            object
                .put("supported_features", names(features.supported.names()))
                .put("supported_features_raw", features.supported.bits());
            if let Some(support) = features.measurement_status_support {
                object
                    .put("measurement_status_support", names(support.names()))
                    .put("measurement_status_support_raw", support.bits());
            }
            if let Some(support) = features.device_sensor_status_support {
                object
                    .put("device_sensor_status_support", names(support.names()))
                    .put("device_sensor_status_support_raw", support.bits());
            }
        }
        V::CgmMeasurement(measurement) => {
            object.put(
                "records",
                measurement
                    .records
                    .iter()
                    .map(cgm_record)
                    .collect::<Vec<_>>(),
            );
        }
        V::CgmFeature(feature) => {
            object
                .put("features", names(feature.features.names()))
                .put("features_raw", feature.features.bits())
                .put("type", feature.sample_type)
                .put("sample_location", feature.sample_location)
                .put("e2e_crc", feature.e2e_crc);
            if feature
                .features
                .contains(ble_proto::cgm::CgmFeatures::E2E_CRC_SUPPORTED)
            {
                object.put("crc_valid", true);
            }
        }
        V::CgmStatus(status) => {
            object
                .put("time_offset_min", status.time_offset_min)
                .put("status", names(status.status.names()))
                .put("status_raw", status.status.bits());
            crc(&mut object, status.e2e_crc);
        }
        V::CgmSessionStartTime(start) => {
            object
                .put("session_start_time", timestamp(start.start))
                .put("time_zone", start.time_zone)
                .put("dst_offset", start.dst_offset);
            crc(&mut object, start.e2e_crc);
        }
        V::CgmSessionRunTime(run_time) => {
            object.put("run_time_hours", run_time.run_time_hours);
            crc(&mut object, run_time.e2e_crc);
        }
        V::DateTime(date_time) => {
            object.put("timestamp", timestamp(*date_time));
        }
        V::CurrentTime(current) => {
            object
                .put("timestamp", timestamp(current.date_time))
                .put("day_of_week", current.day_of_week.number())
                .put("fractions256", current.fractions256)
                .put("adjust_reason", names(current.adjust_reason.names()))
                .put("adjust_reason_raw", current.adjust_reason.bits());
        }
        V::BatteryLevel(percent) => {
            object.put("battery_level_pct", *percent);
        }
        V::DeviceInformationString(_, text) => {
            object.put("text", text.as_str());
        }
        V::SystemId(system_id) => {
            object.put("system_id", system_id.to_string());
        }
    }
    object.done()
}
