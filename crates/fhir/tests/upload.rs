//! The transaction Bundle sharing sends: conditional creates by identifier (the PHD IG's for a
//! monitor's reading, built as STANDARDS.md §1.7 says), conditional updates for edits and
//! deletes (entered in error), the patient's own notes only when granted, and every reference
//! resolving inside the Bundle.

// A panic is the failure report in tests.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use chrono::DateTime;
use fhir::upload::{UploadInput, UploadItem, transaction};
use journal::{Device, DeviceId, DeviceInfo, Entry, EntryId, PersonId};
use readings::{Content, Decimal, GlucoseMethod, MonitorKind, Quantity, Source, TimeQuality, Unit};
use serde_json::Value;

fn meter() -> Device {
    Device {
        id: DeviceId(3),
        info: DeviceInfo {
            identity: "ble:aa:bb:cc:dd:ee:ff".into(),
            maker: Some("Acme".into()),
            model: Some("G1".into()),
            serial: Some("SN1".into()),
            firmware: None,
        },
        last_sequence: None,
        clock_drift_s: None,
        paired: true,
        kind: Some(MonitorKind::Glucose),
        battery_percent: None,
        last_sync: None,
    }
}

fn glucose(id: i64, device: Option<DeviceId>) -> Entry {
    Entry {
        id: EntryId(id),
        uid: format!("0190a5b2-0000-7000-8000-00000000000{id}"),
        person: PersonId(1),
        content: Content::Glucose {
            value: Quantity {
                value: Decimal::new(580, -2),
                unit: Unit::MmolPerL,
            },
            meal: None,
            method: GlucoseMethod::Meter,
        },
        at: DateTime::parse_from_rfc3339("2021-11-22T11:56:30+01:00").unwrap(),
        time_quality: TimeQuality::DeviceSynced,
        device_time: device.map(|_| "2021-11-22T11:56:30".into()),
        source: if device.is_some() {
            Source::Device
        } else {
            Source::Manual
        },
        device,
        sequence_number: device.map(|_| 17),
        note: Some("after the school run".into()),
        flags: BTreeSet::new(),
        version: 1,
        deleted: false,
        origin: None,
    }
}

/// The Bundle parsed, its text (where decimals keep their recorded digits) and what each
/// entry carries.
fn bundle(items: &[UploadItem<'_>]) -> (Value, String, Vec<Option<usize>>) {
    let made = transaction(&UploadInput {
        items,
        patient: "Patient/p1",
        gateway: "g1",
        version: "0.1.0",
    });
    (
        serde_json::from_str(&made.json).unwrap(),
        made.json,
        made.carries,
    )
}

#[test]
fn a_monitors_reading_is_created_once_by_its_phd_identifier() {
    let device = meter();
    let entry = glucose(1, Some(device.id));
    let (bundle, text, carries) = bundle(&[UploadItem {
        entry: &entry,
        device: Some(&device),
        update: false,
        with_note: false,
    }]);
    assert_eq!(bundle["type"], "transaction");
    let entries = bundle["entry"].as_array().unwrap();
    assert_eq!(
        carries,
        vec![None, None, Some(0)],
        "gateway, meter, observation"
    );

    let gateway = &entries[0];
    assert_eq!(gateway["request"]["method"], "POST");
    assert_eq!(
        gateway["request"]["ifNoneExist"],
        "identifier=urn:ietf:rfc:3986|urn:vitalog:gateway:g1"
    );
    let sensor = &entries[1];
    assert_eq!(
        sensor["request"]["ifNoneExist"],
        "identifier=http://hl7.org/fhir/sid/eui-48/bluetooth|AA-BB-CC-DD-EE-FF"
    );

    let observation = &entries[2];
    // device-patient-type-timestamp: the meter's own time, 2021-11-22 11:56:30, is
    // 690897390 s after 2000-01-01 (STANDARDS.md §1.7 corrects the IG's example).
    let phd = "AABBCCDDEEFF-p1-160184-690897390";
    assert_eq!(
        observation["request"]["ifNoneExist"],
        format!(
            "identifier=http://hl7.org/fhir/uv/phd/StructureDefinition/PhdBaseObservation|{phd}"
        )
    );
    let identifiers: Vec<&str> = observation["resource"]["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        identifiers,
        vec!["urn:uuid:0190a5b2-0000-7000-8000-000000000001", phd]
    );
    assert_eq!(
        observation["resource"]["subject"]["reference"],
        "Patient/p1"
    );
    assert_eq!(
        observation["resource"]["device"]["reference"],
        sensor["fullUrl"]
    );
    assert_eq!(
        observation["resource"]["extension"][0]["valueReference"]["reference"],
        gateway["fullUrl"]
    );
    assert!(
        !bundle.to_string().contains("school run"),
        "notes stay home unless granted"
    );
    assert!(
        text.contains("\"value\":5.80"),
        "the recorded precision: {text}"
    );
}

#[test]
fn edits_and_deletes_update_what_the_server_holds() {
    let mut edited = glucose(2, None);
    edited.version = 2;
    let mut deleted = glucose(3, None);
    deleted.deleted = true;
    deleted.version = 2;
    let items = [
        UploadItem {
            entry: &edited,
            device: None,
            update: true,
            with_note: true,
        },
        UploadItem {
            entry: &deleted,
            device: None,
            update: true,
            with_note: true,
        },
    ];
    let (bundle, _, carries) = bundle(&items);
    assert_eq!(carries, vec![None, Some(0), Some(1)]);
    let entries = bundle["entry"].as_array().unwrap();
    for (entry, uid) in entries[1..].iter().zip(["2", "3"]) {
        assert_eq!(entry["request"]["method"], "PUT");
        assert_eq!(
            entry["request"]["url"],
            format!(
                "Observation?identifier=urn:ietf:rfc:3986|urn:uuid:0190a5b2-0000-7000-8000-00000000000{uid}"
            )
        );
        assert!(entry["request"]["ifNoneExist"].is_null());
    }
    assert_eq!(entries[1]["resource"]["status"], "final");
    assert_eq!(entries[2]["resource"]["status"], "entered-in-error");
    assert!(
        bundle.to_string().contains("school run"),
        "notes go when granted"
    );
}

fn event(id: i64, content: Content) -> Entry {
    Entry {
        content,
        device_time: None,
        source: Source::Manual,
        device: None,
        sequence_number: None,
        ..glucose(id, None)
    }
}

#[test]
fn medications_insulin_and_notes_go_as_statements_and_a_note() {
    let medication = event(4, Content::Medication("metformin 500 mg".into()));
    let insulin = event(
        5,
        Content::Insulin {
            units: Decimal::new(45, -1),
            insulin: Some("rapid".into()),
        },
    );
    let note = event(6, Content::Note("dizzy after lunch".into()));
    let items: Vec<UploadItem<'_>> = [&medication, &insulin, &note]
        .into_iter()
        .map(|entry| UploadItem {
            entry,
            device: None,
            update: false,
            with_note: false,
        })
        .collect();
    let (bundle, text, carries) = bundle(&items);
    assert_eq!(carries, vec![None, Some(0), Some(1), Some(2)]);
    let entries = bundle["entry"].as_array().unwrap();
    assert_eq!(
        entries[1]["resource"]["resourceType"],
        "MedicationStatement"
    );
    assert_eq!(entries[1]["request"]["url"], "MedicationStatement");
    assert_eq!(
        entries[1]["resource"]["medicationCodeableConcept"]["text"],
        "metformin 500 mg"
    );
    assert_eq!(entries[1]["resource"]["status"], "completed");
    assert_eq!(
        entries[2]["resource"]["dosage"][0]["doseAndRate"][0]["doseQuantity"]["code"],
        "[IU]"
    );
    assert!(text.contains("\"value\":4.5"), "{text}");
    assert_eq!(entries[3]["resource"]["resourceType"], "Observation");
    assert_eq!(
        entries[3]["resource"]["code"]["coding"][0]["code"],
        "51855-5"
    );
    assert_eq!(entries[3]["resource"]["valueString"], "dizzy after lunch");
    assert!(
        entries[3]["request"]["ifNoneExist"]
            .as_str()
            .unwrap()
            .ends_with("urn:uuid:0190a5b2-0000-7000-8000-000000000006")
    );
}

/// Every kind a grant may name has a resource to go as, so a grant never promises what the
/// upload would silently leave out.
#[test]
fn every_shareable_kind_makes_a_resource() {
    for kind in journal::sharing::SHAREABLE {
        let content = match kind {
            readings::Kind::Glucose => glucose(1, None).content,
            readings::Kind::BloodPressure => Content::BloodPressure {
                systolic: Decimal::new(120, 0),
                diastolic: Decimal::new(80, 0),
                mean_arterial: None,
                unit: Unit::MmHg,
                pulse: None,
            },
            readings::Kind::Weight => Content::Weight(Quantity {
                value: Decimal::new(70, 0),
                unit: Unit::Kg,
            }),
            readings::Kind::Temperature => Content::Temperature(Quantity {
                value: Decimal::new(368, -1),
                unit: Unit::Celsius,
            }),
            readings::Kind::SpO2 => Content::SpO2(Decimal::new(97, 0)),
            readings::Kind::HeartRate => Content::HeartRate(Decimal::new(60, 0)),
            readings::Kind::BodyFat => Content::BodyFat(Decimal::new(25, 0)),
            readings::Kind::Medication => Content::Medication("x".into()),
            readings::Kind::Insulin => Content::Insulin {
                units: Decimal::new(2, 0),
                insulin: None,
            },
            readings::Kind::Note => Content::Note("x".into()),
            other => panic!("{other:?} is shareable but this test does not know it"),
        };
        let entry = event(9, content);
        let (_, _, carries) = bundle(&[UploadItem {
            entry: &entry,
            device: None,
            update: false,
            with_note: false,
        }]);
        assert!(carries.contains(&Some(0)), "{kind:?} made no resource");
    }
}
