//! The real BlueZ path without hardware: `vitalog devices scan/pair` and `vitalog sync` run the
//! btleplug/bluez-async link against python-dbusmock's BlueZ template on a private bus
//! (`tests/bluez-mock`), and the test checks what lands in the journal.

use std::collections::BTreeSet;

use ble_proto::blood_pressure::{BloodPressureMeasurement, PressureUnit};
use ble_proto::glucose::{
    GlucoseConcentration, GlucoseMeasurement, GlucoseMeasurementContext, GlucoseUnit,
};
use ble_proto::{DateTime, Sfloat};
use bluez_mock::BluezMock;
use journal::{Filter, Journal};
use readings::{Content, Source};
use serde_json::{Value, json};

use super::devices::{PASSPHRASE, journal_dir, json_out, vitalog_in};

const METER: &str = "AA:BB:CC:DD:EE:01";
const CUFF: &str = "AA:BB:CC:DD:EE:02";
const STRANGER: &str = "AA:BB:CC:DD:EE:03";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn glucose(sequence_number: u16, mg_per_dl: i16) -> GlucoseMeasurement {
    GlucoseMeasurement {
        sequence_number,
        base_time: DateTime::new(2026, 11, u8::try_from(sequence_number).unwrap(), 7, 30, 0)
            .unwrap(),
        time_offset_min: Some(0),
        concentration: Some(GlucoseConcentration {
            value: Sfloat::new(mg_per_dl, -5).unwrap(),
            unit: GlucoseUnit::KilogramPerLitre,
            sample_type: 1,
            sample_location: 1,
        }),
        sensor_status: None,
        context_follows: sequence_number == 3,
    }
}

fn reading(user: u8, systolic: i16, diastolic: i16) -> BloodPressureMeasurement {
    BloodPressureMeasurement {
        unit: PressureUnit::MillimetreOfMercury,
        systolic: Sfloat::new(systolic, 0).unwrap(),
        diastolic: Sfloat::new(diastolic, 0).unwrap(),
        mean_arterial: Sfloat::new((systolic + 2 * diastolic) / 3, 0).unwrap(),
        timestamp: Some(DateTime::new(2026, 11, 20, 8, user, 0).unwrap()),
        pulse_rate: Some(Sfloat::new(64, 0).unwrap()),
        user_id: Some(user),
        status: None,
    }
}

fn monitors() -> Value {
    let records: Vec<String> = [(1, 95), (2, 142), (3, 110), (4, 87), (5, 163)]
        .into_iter()
        .map(|(seq, value)| hex(&glucose(seq, value).encode()))
        .collect();
    let context = GlucoseMeasurementContext {
        sequence_number: 3,
        extended_flags: None,
        carbohydrate: None,
        meal: Some(1),
        tester_health: None,
        exercise: None,
        medication: None,
        hba1c_pct: None,
    };
    let cuff: Vec<String> = [reading(1, 128, 82), reading(2, 141, 88)]
        .iter()
        .map(|r| hex(&r.encode()))
        .collect();
    json!({"adapter": "hci0", "devices": [
        {"address": METER, "name": "Mock Glucose Meter", "kind": "glucose", "rssi": -48,
         "records": records, "contexts": [hex(&context.encode())]},
        {"address": CUFF, "name": "Mock BP Cuff", "kind": "blood-pressure", "rssi": -70,
         "records": cuff},
        {"address": STRANGER, "name": "Unpaired Meter", "kind": "glucose", "rssi": -80,
         "records": [hex(&glucose(1, 120).encode())]},
    ]})
}

#[test]
fn scan_pair_and_sync_over_bluez_land_in_the_journal() {
    if !BluezMock::available() {
        assert!(
            std::env::var_os("VITALOG_SKIP_BLUEZ_MOCK").is_some(),
            "dbus-daemon and python3-dbusmock are needed (apt-get install -y dbus python3-dbusmock); set VITALOG_SKIP_BLUEZ_MOCK=1 to skip"
        );
        return;
    }
    let mock = BluezMock::start(&monitors()).unwrap();
    let bus = [("DBUS_SYSTEM_BUS_ADDRESS", mock.address())];
    let dir = journal_dir();
    let run = |args: &[&str]| vitalog_in(dir.path(), args, &bus);
    let checked = |args: &[&str]| {
        let output = run(args);
        assert!(
            output.status.success(),
            "vitalog {args:?} failed: {}\nmock log:\n{}",
            String::from_utf8_lossy(&output.stderr),
            mock.log()
        );
        output
    };

    let found = json_out(&checked(&["devices", "scan", "--seconds", "1", "--json"]));
    assert_eq!(
        found,
        json!([
            {"id": METER, "name": "Mock Glucose Meter", "kind": "glucose", "rssi": -48, "paired": false},
            {"id": CUFF, "name": "Mock BP Cuff", "kind": "blood-pressure", "rssi": -70, "paired": false},
            {"id": STRANGER, "name": "Unpaired Meter", "kind": "glucose", "rssi": -80, "paired": false},
        ])
    );

    checked(&["devices", "pair", METER]);
    checked(&["devices", "pair", CUFF]);
    let found = json_out(&checked(&["devices", "scan", "--seconds", "1", "--json"]));
    assert_eq!(found[0]["paired"], true);

    let synced = json_out(&checked(&["sync", "--json"]));
    assert_eq!(
        synced,
        json!({"devices": [
            {"id": METER, "new": 5, "already_present": 0, "rejected": 0},
            {"id": CUFF, "new": 2, "already_present": 0, "rejected": 0},
        ]})
    );
    // The meter is asked only for records after the last stored one: nothing new.
    let again = json_out(&checked(&["sync", "--device", METER, "--json"]));
    assert_eq!(
        again,
        json!({"devices": [{"id": METER, "new": 0, "already_present": 0, "rejected": 0}]}),
        "mock log:\n{}",
        mock.log()
    );

    // A meter that was never paired: its records are refused, with what to do.
    let refused = json_out(&checked(&["sync", "--device", STRANGER, "--json"]));
    let error = refused["devices"][0]["error"].as_str().unwrap();
    assert!(
        error.contains("not paired") && error.contains("vitalog devices pair"),
        "{error}"
    );
    assert_eq!(refused["devices"][0]["new"], 0);

    let journal = Journal::open(dir.path(), PASSPHRASE).unwrap();
    let entries = journal.list(&Filter::default()).unwrap();
    assert_eq!(entries.len(), 7);
    assert!(entries.iter().all(|entry| entry.source == Source::Device));
    let glucose: BTreeSet<String> = entries
        .iter()
        .filter_map(|entry| match &entry.content {
            Content::Glucose { value, .. } => Some(value.value.to_string()),
            _ => None,
        })
        .collect();
    let expected: BTreeSet<String> = ["95", "142", "110", "87", "163"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(glucose, expected);
    let meter = journal
        .device_by_identity(&format!("ble:{METER}"))
        .unwrap()
        .unwrap();
    assert!(meter.paired);
    assert_eq!(meter.last_sequence, Some(5));
    assert_eq!(meter.info.maker.as_deref(), Some("Vitalog Mock"));
}

#[test]
fn no_adapter_bluetooth_off_and_no_bluez_are_typed_errors_with_what_to_do() {
    if !BluezMock::available() {
        return;
    }
    let dir = journal_dir();
    let scan = |address: &str| {
        let output = vitalog_in(
            dir.path(),
            &["devices", "scan", "--seconds", "0"],
            &[("DBUS_SYSTEM_BUS_ADDRESS", address)],
        );
        assert!(!output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let none = BluezMock::start(&json!({"adapter": null, "devices": []})).unwrap();
    let error = scan(none.address());
    assert!(error.contains("no Bluetooth adapter"), "{error}");

    let off =
        BluezMock::start(&json!({"adapter": "hci0", "powered": false, "devices": []})).unwrap();
    let error = scan(off.address());
    assert!(error.contains("switched off"), "{error}");

    // Plain words first; the system's own on a second line.
    let error = scan("unix:path=/nonexistent/vitalog-test-bus");
    let mut lines = error.lines();
    let first = lines.next().unwrap_or_default();
    assert!(
        first.contains("Bluetooth is off or not available on this computer"),
        "{error}"
    );
    assert!(!first.contains("socket"), "{error}");
    assert!(
        lines.any(|l| l.starts_with("vitalog: (the system said:")),
        "{error}"
    );
}
