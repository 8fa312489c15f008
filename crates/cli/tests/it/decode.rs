//! `vitalog decode` against the JSON contract: one representative value per characteristic,
//! special values, exit codes and the `--jsonl` stream.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn vitalog(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vitalog"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Decodes one value and compares the JSON object printed on stdout.
#[track_caller]
fn check(characteristic: &str, hex: &str, expected: Value) {
    let output = vitalog(&["decode", characteristic, hex], "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{characteristic} {hex}: {stderr}"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "one line: {stdout}");
    let actual: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(actual, expected, "{characteristic} {hex}");
}

/// Expects exit code 2 and one line on stderr containing `needle`.
#[track_caller]
fn check_rejected(characteristic: &str, hex: &str, needle: &str) {
    let output = vitalog(&["decode", characteristic, hex], "");
    assert_eq!(output.status.code(), Some(2), "{characteristic} {hex}");
    assert!(output.stdout.is_empty(), "{characteristic} {hex}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(needle), "{characteristic} {hex}: {stderr}");
}

const TS: &str = "E8 07 03 0F 0A 1E 00";

#[test]
fn sfloat_and_float_test_vectors() {
    check(
        "SFLOAT",
        "14 F0",
        json!({"value": 2, "mantissa": 20, "exponent": -1}),
    );
    check(
        "SFLOAT",
        "C8E0",
        json!({"value": 2, "mantissa": 200, "exponent": -2}),
    );
    check(
        "sfloat",
        "0x0B2E",
        json!({"value": -1234, "mantissa": -1234, "exponent": 0}),
    );
    check(
        "SFLOAT",
        "0xF0BD",
        json!({"value": 18.9, "mantissa": 189, "exponent": -1}),
    );
    check(
        "FLOAT",
        "0xF900000C",
        json!({"value": 1.2e-6, "mantissa": 12, "exponent": -7}),
    );
    check(
        "FLOAT",
        "0x7E0F4240",
        json!({"value": 1e132, "mantissa": 1_000_000, "exponent": 126}),
    );
    check(
        "FLOAT",
        "6E 01 00 FF",
        json!({"value": 36.6, "mantissa": 366, "exponent": -1}),
    );
}

#[test]
fn numbers_are_printed_as_the_exact_shortest_decimal() {
    let output = vitalog(&["decode", "FLOAT", "0xF900000C"], "");
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("\"value\":1.2e-6")
    );
    // 3 × 10⁻¹ must not become 0.30000000000000004.
    let output = vitalog(&["decode", "SFLOAT", "0xF003"], "");
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("\"value\":0.3}")
    );
}

#[test]
fn special_values_are_named() {
    for (word, name) in [
        ("0x07FF", "NaN"),
        ("0x0800", "NRes"),
        ("0x07FE", "+INF"),
        ("0x0802", "-INF"),
        ("0x0801", "RFU"),
    ] {
        check("SFLOAT", word, json!({ "value": name }));
    }
    for (word, name) in [
        ("0x007FFFFF", "NaN"),
        ("0x00800000", "NRes"),
        ("0x007FFFFE", "+INF"),
        ("0x00800002", "-INF"),
        ("0x00800001", "RFU"),
    ] {
        check("FLOAT", word, json!({ "value": name }));
    }
    check(
        "2A35",
        "00 FF 07 00 08 FE 07",
        json!({"unit": "mmHg", "systolic": "NaN", "diastolic": "NRes", "mean_arterial": "+INF"}),
    );
}

#[test]
fn blood_pressure_measurement() {
    check(
        "2A35",
        &format!("1E 7A 00 50 00 5F 00 {TS} 48 00 01 35 00"),
        json!({
            "unit": "mmHg", "systolic": 122, "diastolic": 80, "mean_arterial": 95,
            "timestamp": "2024-03-15T10:30:00", "pulse_rate": 72, "user_id": 1,
            "status": ["body_movement", "irregular_pulse", "pulse_rate_below_lower_limit", "improper_measurement_position"],
            "status_raw": 0x35,
        }),
    );
    check(
        "0x2a35",
        "01 A2 F0 6A F0 7D F0",
        json!({"unit": "kPa", "systolic": 16.2, "diastolic": 10.6, "mean_arterial": 12.5}),
    );
}

#[test]
fn intermediate_cuff_pressure() {
    check(
        "2A36",
        "18 8C 00 FF 07 FF 07 FF 08 00",
        json!({"unit": "mmHg", "cuff_pressure": 140, "user_id": 255, "status": ["pulse_rate_exceeds_upper_limit"], "status_raw": 8}),
    );
}

#[test]
fn heart_rate_measurement() {
    check(
        "2A37",
        "1E 48 10 27 00 04 05 05",
        json!({"heart_rate": 72, "sensor_contact": "detected", "energy_expended_kj": 10000, "rr_intervals_1024": [1024, 1285]}),
    );
    check(
        "2A37",
        "03 2C 01",
        json!({"heart_rate": 300, "sensor_contact": "not_supported"}),
    );
    check(
        "2A37",
        "04 3C",
        json!({"heart_rate": 60, "sensor_contact": "not_detected"}),
    );
}

#[test]
fn temperature_measurement() {
    check(
        "2A1C",
        &format!("06 6E 01 00 FF {TS} 06"),
        json!({"value": 36.6, "unit": "C", "timestamp": "2024-03-15T10:30:00", "type": 6}),
    );
    check(
        "2A1E",
        "01 FF FF 7F 00",
        json!({"value": "NaN", "unit": "F"}),
    );
}

#[test]
fn weight_measurement() {
    check(
        "2A9D",
        &format!("0E B0 36 {TS} 01 E5 00 D6 06"),
        json!({"weight_kg": 70, "timestamp": "2024-03-15T10:30:00", "user_id": 1, "bmi": 22.9, "height_m": 1.75}),
    );
    check(
        "2A9D",
        "09 48 3C E5 00 BC 02",
        json!({"weight_lb": 154.32, "bmi": 22.9, "height_in": 70}),
    );
    check(
        "2A9D",
        "00 FF FF",
        json!({"measurement_unsuccessful": true}),
    );
    check("2A9D", "00 01 00", json!({"weight_kg": 0.005}));
}

#[test]
fn body_composition_measurement() {
    check(
        "2A9C",
        "F8 1F D7 00 A0 1B 90 01 D0 07 10 27 88 13 E8 03 88 13 B0 36 D6 06",
        json!({
            "unit_system": "SI", "body_fat_pct": 21.5, "basal_metabolism_kj": 7072, "muscle_pct": 40,
            "muscle_mass_kg": 10, "fat_free_mass_kg": 50, "soft_lean_mass_kg": 25, "body_water_mass_kg": 5,
            "impedance_ohm": 500, "weight_kg": 70, "height_m": 1.75, "multiple_packet": true,
        }),
    );
    check(
        "2A9C",
        "05 00 FF FF 03",
        json!({"unit_system": "imperial", "measurement_unsuccessful": true, "user_id": 3}),
    );
}

#[test]
fn glucose_measurement() {
    check(
        "2A18",
        "1B 2A 00 E4 07 01 02 0C 1E 2D F6 FF 0C C0 11 61 00",
        json!({
            "sequence_number": 42, "base_time": "2020-01-02T12:30:45", "time_offset_min": -10,
            "concentration": 0.0012, "concentration_unit": "kg/L", "type": 1, "sample_location": 1,
            "sensor_status": ["battery_low", "result_too_high", "result_too_low"], "sensor_status_raw": 0x61,
            "context_follows": true,
        }),
    );
    check(
        "2A18",
        "06 01 00 00 00 04 11 14 29 3B 43 C0 F2",
        json!({
            "sequence_number": 1, "base_time": "0000-04-17T20:41:59", "concentration": 0.0067,
            "concentration_unit": "mol/L", "type": 2, "sample_location": 15, "context_follows": false,
        }),
    );
}

#[test]
fn glucose_measurement_context() {
    check(
        "2A34",
        "FF 2A 00 00 01 32 D0 01 51 84 03 32 01 02 A0 41 F0",
        json!({
            "sequence_number": 42, "extended_flags": 0, "carbohydrate_id": 1, "carbohydrate": 0.05,
            "meal": 1, "tester": 1, "health": 5, "exercise_duration_s": 900, "exercise_intensity_pct": 50,
            "medication_id": 1, "medication": 2e-6, "medication_unit": "L", "hba1c_pct": 6.5,
        }),
    );
    check(
        "2A34",
        "02 07 00 03",
        json!({"sequence_number": 7, "meal": 3}),
    );
}

#[test]
fn record_access_control_point_responses() {
    check(
        "2A52",
        "05 00 0A 00",
        json!({"opcode": 5, "operator": 0, "number_of_records": 10}),
    );
    let names = [
        "success",
        "op_code_not_supported",
        "invalid_operator",
        "operator_not_supported",
        "invalid_operand",
        "no_records_found",
        "abort_unsuccessful",
        "procedure_not_completed",
        "operand_not_supported",
    ];
    for (code, name) in (1..).zip(names) {
        check(
            "2A52",
            &format!("06 00 01 {code:02X}"),
            json!({"opcode": 6, "operator": 0, "request_opcode": 1, "response_code": code, "response": name}),
        );
    }
    check(
        "2A52",
        "06 00 04 00",
        json!({"opcode": 6, "operator": 0, "request_opcode": 4, "response_code": 0, "response": "reserved"}),
    );
    check_rejected("2A52", "01 01", "op code 1");
    check_rejected("2A52", "05 01 0A 00", "operator 1");
    check_rejected("2A52", "05 00 0A", "operand");
    check_rejected("2A52", "05 00 0A 00 00", "operand");
}

#[test]
fn plx_spot_check_and_continuous() {
    check(
        "2A5E",
        &format!("1F 62 00 48 00 {TS} 80 20 20 80 00 19 F0"),
        json!({
            "spo2_pct": 98, "pulse_rate_bpm": 72, "timestamp": "2024-03-15T10:30:00",
            "measurement_status": ["validated_data", "measurement_unavailable"], "measurement_status_raw": 0x2080,
            "device_sensor_status": ["low_perfusion_detected", "sensor_disconnected"], "device_sensor_status_raw": 0x8020,
            "pulse_amplitude_index_pct": 2.5, "device_clock_not_set": true,
        }),
    );
    check(
        "2A5E",
        "00 62 00 48 00",
        json!({"spo2_pct": 98, "pulse_rate_bpm": 72, "device_clock_not_set": false}),
    );
    check(
        "2A5F",
        "03 62 00 48 00 61 00 49 00 60 00 47 00",
        json!({
            "spo2_pct": 98, "pulse_rate_bpm": 72, "spo2_fast_pct": 97, "pulse_rate_fast_bpm": 73,
            "spo2_slow_pct": 96, "pulse_rate_slow_bpm": 71,
        }),
    );
}

#[test]
fn cgm_measurement_with_several_records() {
    check(
        "2AA7",
        "06 00 64 00 05 00 0A 01 6E 00 0A 00 F1 FF 9F CD 0D E3 78 00 0F 00 01 02 03 5A 00 FF 07",
        json!({"records": [
            {"size": 6, "glucose_mg_dl": 100, "time_offset_min": 5},
            {"size": 10, "glucose_mg_dl": 110, "time_offset_min": 10, "trend_mg_dl_per_min": -1.5,
             "e2e_crc": 0xCD9F, "crc_valid": true},
            {"size": 13, "glucose_mg_dl": 120, "time_offset_min": 15, "annunciation_octets": [1, 2, 3],
             "trend_mg_dl_per_min": 90, "quality_pct": "NaN"},
        ]}),
    );
    check_rejected("2AA7", "0A 01 6E 00 0A 00 F1 FF 9F CE", "E2E-CRC");
    check_rejected("2AA7", "07 00 64 00 05 00 00", "record size 7");
}

#[test]
fn clocks() {
    check("2A08", TS, json!({"timestamp": "2024-03-15T10:30:00"}));
    check(
        "2A08",
        "E8 07 02 1F 00 00 00",
        json!({"timestamp": "2024-02-31T00:00:00"}),
    );
    check(
        "2A08",
        "00 00 00 00 12 1A 20",
        json!({"timestamp": "0000-00-00T18:26:32"}),
    );
    check(
        "2A2B",
        &format!("{TS} 05 80 03"),
        json!({
            "timestamp": "2024-03-15T10:30:00", "day_of_week": 5, "fractions256": 128,
            "adjust_reason": ["manual_time_update", "external_reference_time_update"], "adjust_reason_raw": 3,
        }),
    );
    check_rejected("2A08", "E8 07 0D 01 00 00 00", "month 13");
    check_rejected("2A08", &format!("{TS} 00"), "7 octets");
    check_rejected("2A2B", TS, "10 octets");
    check_rejected("2A2B", &format!("{TS} 08 00 00"), "day_of_week 8");
}

#[test]
fn features_and_device_information() {
    check(
        "2A51",
        "03 04",
        json!({"features": ["low_battery_detection", "sensor_malfunction_detection", "multiple_bond"], "features_raw": 0x0403}),
    );
    check(
        "2A49",
        "04 00",
        json!({"features": ["irregular_pulse_detection"], "features_raw": 4}),
    );
    check(
        "2A9E",
        "BE 01 00 00",
        json!({"features": ["multiple_users_supported", "bmi_supported"], "features_raw": 0x1BE, "weight_resolution": 7, "height_resolution": 3}),
    );
    check(
        "2A60",
        "01 00 80 00",
        json!({"supported_features": ["measurement_status_support_present"], "supported_features_raw": 1,
               "measurement_status_support": ["validated_data"], "measurement_status_support_raw": 0x80}),
    );
    check(
        "2AA8",
        "00 00 00 59 FF FF",
        json!({"features": [], "features_raw": 0, "type": 9, "sample_location": 5, "e2e_crc": 0xFFFF}),
    );
    check(
        "2AA9",
        "2C 01 01 00 40",
        json!({"time_offset_min": 300, "status": ["session_stopped", "result_lower_than_device_can_process"], "status_raw": 0x40_0001}),
    );
    check(
        "2AAA",
        &format!("{TS} 04 04"),
        json!({"session_start_time": "2024-03-15T10:30:00", "time_zone": 4, "dst_offset": 4}),
    );
    check("2AAB", "50 01", json!({"run_time_hours": 336}));
    check("2A19", "5A", json!({"battery_level_pct": 90}));
    check("2A29", "41 63 6D 65 00", json!({"text": "Acme"}));
    check("2A24", "4D 2D 31", json!({"text": "M-1"}));
    check("2A25", "53 4E FF", json!({"text": "SN\u{FFFD}"}));
    check(
        "2A23",
        "00 1C 05 FF FE FF E8 74",
        json!({"system_id": "74-E8-FF-FE-FF-05-1C-00"}),
    );
}

#[test]
fn malformed_input_exits_with_2() {
    check_rejected("2A35", "02 7A 00 50 00 5F 00 E8 07 03", "timestamp");
    check_rejected("2A35", "1E7", "odd number");
    check_rejected("2A35", "1E 7X", "not a hex digit");
    check_rejected("2A35", "1 E", "splits an octet");
    check_rejected("2A00", "00", "not one that vitalog decodes");
    check_rejected("BPM", "00", "unknown characteristic");
    check_rejected("SFLOAT", "14", "2 octets");
    check_rejected("FLOAT", "0x12", "8-digit");
    check_rejected("2A35", "", "flags");
}

#[test]
fn hex_separators_are_accepted() {
    let expected = json!({"unit": "mmHg", "systolic": 122, "diastolic": 80, "mean_arterial": 95});
    check("2A35", "00:7A:00:50:00:5F:00", expected.clone());
    check("2A35", "00-7a-00-50-00-5f-00", expected.clone());
    check("2A35", "007A0050005F00", expected);
}

#[test]
fn jsonl_mixes_ok_and_error_lines_and_never_aborts() {
    let input = [
        r#"{"char": "2A19", "hex": "64"}"#,
        "not json",
        "",
        r#"{"char": "2A08", "hex": "E8 07 0D 01 00 00 00"}"#,
        r#"{"char": "SFLOAT", "hex": "0x07FF"}"#,
        r#"{"hex": "00"}"#,
        r#"{"char": "2A52", "hex": "06 00 01 06"}"#,
        r#"{"char": "2A37", "hex": "0"}"#,
    ]
    .join("\n");
    let output = vitalog(&["decode", "--jsonl"], &input);
    assert_eq!(output.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 7, "{lines:#?}");
    assert_eq!(lines[0], json!({"ok": {"battery_level_pct": 100}}));
    assert!(lines[1]["error"].is_string());
    assert!(lines[2]["error"].as_str().unwrap().contains("month 13"));
    assert_eq!(lines[3], json!({"ok": {"value": "NaN"}}));
    assert!(lines[4]["error"].is_string());
    assert_eq!(
        lines[5],
        json!({"ok": {"opcode": 6, "operator": 0, "request_opcode": 1, "response_code": 6, "response": "no_records_found"}})
    );
    assert!(lines[6]["error"].as_str().unwrap().contains("odd"));
    for line in &lines {
        let object = line.as_object().unwrap();
        assert_eq!(object.len(), 1, "{line}");
    }
}
