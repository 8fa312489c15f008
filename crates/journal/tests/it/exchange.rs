//! Export → import round trips of the journal's own CSV and JSON Lines (SECURITY.md §8 goal 19
//! for the app's own formats).

use journal::{DeviceInfo, Entry, Filter, Format, ImportSummary, NewEntry};
use readings::{Content, Flag, TimeQuality};

use crate::support::*;

fn populate(j: &mut journal::Journal) {
    let sam = j.add_person("Sam, \"the\" partner").unwrap();
    let meter = j
        .register_device(&DeviceInfo {
            identity: "AA-BB".into(),
            maker: Some("Acme".into()),
            model: Some("G1".into()),
            serial: None,
            firmware: Some("2.1".into()),
        })
        .unwrap();
    j.add(&glucose("5.80", "2026-03-01T07:30:00+01:00"))
        .unwrap();
    let mut e = bp("128", "84", "71", "2026-03-01T08:00:00-05:00");
    e.person = Some(sam);
    e.note = Some("left arm,\nsitting; \"calm\"".into());
    j.add(&e).unwrap();
    let mut dev = NewEntry::from_device(
        glucose("101", "2026-03-02T07:00:00+00:00").content,
        at("2026-03-02T07:00:00+00:00"),
        meter,
        Some(42),
        Some("2026-03-02T07:00:00".into()),
        TimeQuality::DeviceSynced,
    );
    dev.content = Content::Glucose {
        value: readings::Quantity {
            value: "101".parse().unwrap(),
            unit: readings::Unit::MgPerDl,
        },
        meal: None,
        method: readings::GlucoseMethod::Meter,
    };
    dev.flags.insert(Flag::ControlSolution);
    j.add(&dev).unwrap();
    j.add(&NewEntry::manual(
        Content::Meal {
            carbs_g: Some("45".parse().unwrap()),
            description: Some("porridge".into()),
        },
        at("2026-03-02T08:00:00+01:00"),
    ))
    .unwrap();
    j.add(&NewEntry::manual(
        Content::Insulin {
            units: "4.5".parse().unwrap(),
            insulin: Some("rapid".into()),
        },
        at("2026-03-02T08:01:00+01:00"),
    ))
    .unwrap();
    j.add(&NewEntry::manual(
        Content::Medication("metformin 500 mg".into()),
        at("2026-03-02T09:00:00+01:00"),
    ))
    .unwrap();
    j.add(&NewEntry::manual(
        Content::Symptom("headache".into()),
        at("2026-03-02T10:00:00+01:00"),
    ))
    .unwrap();
    j.add(&NewEntry::manual(
        Content::Temperature(readings::Quantity {
            value: "99.10".parse().unwrap(),
            unit: readings::Unit::Fahrenheit,
        }),
        at("2026-03-02T11:00:00+01:00"),
    ))
    .unwrap();
    j.add(&NewEntry::manual(
        Content::SpO2("97".parse().unwrap()),
        at("2026-03-02T12:00:00+01:00"),
    ))
    .unwrap();
}

/// Entries without their local ids, for comparing journals.
fn comparable(j: &journal::Journal) -> Vec<(String, String, Entry)> {
    let people = j.people().unwrap();
    let name = |id| people.iter().find(|p| p.id == id).unwrap().name.clone();
    j.list(&Filter::default())
        .unwrap()
        .into_iter()
        .map(|mut e| {
            let device = e
                .device
                .map(|d| j.device(d).unwrap().info.identity)
                .unwrap_or_default();
            let person = name(e.person);
            e.id = journal::EntryId(0);
            e.person = journal::PersonId(0);
            e.device = None;
            (person, device, e)
        })
        .collect()
}

/// What an import keeps of an entry: everything but where it came from, which becomes
/// "imported" (a file never speaks for a monitor).
fn as_imported(rows: Vec<(String, String, Entry)>) -> Vec<(String, String, Entry)> {
    rows.into_iter()
        .map(|(person, _, mut e)| {
            e.source = readings::Source::Import;
            e.sequence_number = None;
            e.origin = None;
            (person, String::new(), e)
        })
        .collect()
}

fn round_trip(format: Format) {
    let a_dir = tempfile::tempdir().unwrap();
    let b_dir = tempfile::tempdir().unwrap();
    let (mut a, _) = create(a_dir.path());
    populate(&mut a);
    let mut out = Vec::new();
    let n = a.export(format, &Filter::default(), &mut out).unwrap();
    assert_eq!(n, 9);
    let (mut b, _) = create(b_dir.path());
    let summary = b.import(format, &mut out.as_slice()).unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            added: 9,
            already_present: 0
        }
    );
    assert_eq!(as_imported(comparable(&a)), as_imported(comparable(&b)));
    let imported = comparable(&b);
    assert!(
        imported
            .iter()
            .all(|(_, device, e)| e.source == readings::Source::Import && device.is_empty())
    );
    let claimed: Vec<&str> = imported
        .iter()
        .filter_map(|(_, _, e)| e.origin.as_deref())
        .collect();
    assert!(
        claimed.contains(&"the file said: a monitor: Acme G1 (AA-BB, record 42)"),
        "{claimed:?}"
    );
    // Importing again adds nothing, and so does importing into the source journal.
    assert_eq!(
        b.import(format, &mut out.as_slice())
            .unwrap()
            .already_present,
        9
    );
    assert_eq!(a.import(format, &mut out.as_slice()).unwrap().added, 0);
    // The copy exports and imports again with nothing lost, its origins included.
    let mut again = Vec::new();
    b.export(format, &Filter::default(), &mut again).unwrap();
    let c_dir = tempfile::tempdir().unwrap();
    let (mut c, _) = create(c_dir.path());
    assert_eq!(c.import(format, &mut again.as_slice()).unwrap().added, 9);
    assert_eq!(comparable(&b), comparable(&c));
}

#[test]
fn jsonl_round_trip_is_lossless() {
    round_trip(Format::Jsonl);
}

#[test]
fn csv_round_trip_is_lossless() {
    round_trip(Format::Csv);
}

#[test]
fn a_bad_line_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    let text = "{\"vitalog_export\":1}\n\
        {\"uid\":\"a\",\"kind\":\"note\",\"person\":\"me\",\"time\":\"2026-03-01T07:30:00+01:00\",\"time_quality\":\"entered\",\"source\":\"manual\",\"text\":\"ok\"}\n\
        {\"uid\":\"b\",\"kind\":\"glucose\",\"person\":\"me\",\"time\":\"2026-03-01T07:30:00+01:00\",\"time_quality\":\"entered\",\"source\":\"manual\",\"value\":\"900\",\"unit\":\"mmol/L\"}\n";
    let error = j.import(Format::Jsonl, &mut text.as_bytes()).unwrap_err();
    assert!(error.to_string().contains("entry 3"), "{error}");
    assert!(j.list(&Filter::default()).unwrap().is_empty());
    assert!(j.import(Format::Csv, &mut "a,b\n1,2\n".as_bytes()).is_err());
}

/// The file forms the app uses: an export written to a file imports from it, and a file that
/// is not there is a typed I/O error that changes nothing.
#[test]
fn an_exported_file_imports_and_a_missing_one_is_an_io_error() {
    let a_dir = tempfile::tempdir().unwrap();
    let b_dir = tempfile::tempdir().unwrap();
    let (mut a, _) = create(a_dir.path());
    populate(&mut a);
    let file = a_dir.path().join("export.jsonl");
    assert_eq!(
        a.export_file(Format::Jsonl, &Filter::default(), &file)
            .unwrap(),
        9
    );
    let (mut b, _) = create(b_dir.path());
    let missing = b.import_file(Format::Jsonl, &a_dir.path().join("not-there.jsonl"));
    assert!(
        matches!(missing, Err(journal::Error::Io { .. })),
        "{missing:?}"
    );
    assert_eq!(b.import_file(Format::Jsonl, &file).unwrap().added, 9);
    assert_eq!(as_imported(comparable(&a)), as_imported(comparable(&b)));
}

#[test]
fn every_listed_extension_names_a_format_in_any_case() {
    for extension in Format::EXTENSIONS {
        for name in [
            format!("a.{extension}"),
            format!("A.{}", extension.to_uppercase()),
        ] {
            assert!(
                Format::from_file_name(std::path::Path::new(&name)).is_some(),
                "{name}"
            );
        }
    }
    assert_eq!(
        Format::from_file_name(std::path::Path::new("notes.txt")),
        None
    );
}

fn only_entry(j: &journal::Journal) -> Entry {
    let entries = j.list(&Filter::default()).unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries.into_iter().next().unwrap()
}

fn method_of(entry: &Entry) -> readings::GlucoseMethod {
    match entry.content {
        Content::Glucose { method, .. } => method,
        _ => panic!("not glucose: {entry:?}"),
    }
}

#[test]
fn a_cgm_reading_keeps_its_method_through_export_and_import() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(&dir.path().join("a"));
    let mut cgm = glucose("7.9", "2026-03-01T07:30:00+01:00");
    if let Content::Glucose { method, .. } = &mut cgm.content {
        *method = readings::GlucoseMethod::Cgm;
    }
    j.add(&cgm).unwrap();
    for format in [Format::Csv, Format::Jsonl] {
        let mut file = Vec::new();
        j.export(format, &Filter::default(), &mut file).unwrap();
        let text = String::from_utf8(file.clone()).unwrap();
        assert!(text.contains("cgm"), "{format:?}: {text}");
        let (mut other, _) = create(&dir.path().join(format.extension()));
        other.import(format, &mut file.as_slice()).unwrap();
        assert_eq!(method_of(&only_entry(&other)), readings::GlucoseMethod::Cgm);
    }
}

#[test]
fn files_from_before_the_method_column_and_from_other_tools_import() {
    let dir = tempfile::tempdir().unwrap();
    // The 23 columns exports had before glucose said how it was measured.
    let old_csv = "uid,kind,person,time,time_quality,source,device_time,device_identity,device_maker,\
device_model,device_serial,device_firmware,sequence_number,value,unit,systolic,diastolic,\
mean_arterial,pulse,text,meal,note,flags\n\
0190f1b2-0000-7000-8000-000000000001,glucose,me,2026-03-01T07:30:00+01:00,entered,manual,,,,,,,,\
5.80,mmol/L,,,,,,before,,\n";
    let (mut j, _) = create(&dir.path().join("old"));
    j.import(Format::Csv, &mut old_csv.as_bytes()).unwrap();
    let entry = only_entry(&j);
    assert_eq!(method_of(&entry), readings::GlucoseMethod::Meter);

    // A script's CSV: its own column order, only the columns it needs.
    let script_csv = "time,kind,value,unit,uid,person,source,time_quality\n\
2026-03-01T07:30:00+01:00,glucose,101,mg/dL,script-1,me,import,entered\n";
    let (mut j, _) = create(&dir.path().join("script-csv"));
    j.import(Format::Csv, &mut script_csv.as_bytes()).unwrap();
    assert_eq!(only_entry(&j).uid, "script-1");

    // Python's json.dumps spaces the header.
    let script_jsonl = "{\"vitalog_export\": 1}\n\
{\"uid\": \"script-2\", \"kind\": \"glucose\", \"person\": \"me\", \"time\": \"2026-03-01T07:30:00+01:00\", \
\"time_quality\": \"entered\", \"source\": \"import\", \"value\": \"5.8\", \"unit\": \"mmol/L\", \"method\": \"cgm\"}\n";
    let (mut j, _) = create(&dir.path().join("script-jsonl"));
    j.import(Format::Jsonl, &mut script_jsonl.as_bytes())
        .unwrap();
    assert_eq!(method_of(&only_entry(&j)), readings::GlucoseMethod::Cgm);

    // A field Vitalog does not know is refused by name, not dropped.
    let (mut j, _) = create(&dir.path().join("unknown-field"));
    let misspelled = "{\"vitalog_export\":1}\n{\"uid\":\"x\",\"kind\":\"bp\",\"person\":\"me\",\"time\":\"2026-03-01T07:30:00+01:00\",\"time_quality\":\"entered\",\"source\":\"manual\",\"systolic\":\"128\",\"diastolic\":\"84\",\"mean_arterial_pressure\":\"99\"}\n";
    let error = j
        .import(Format::Jsonl, &mut misspelled.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(error.contains("mean_arterial_pressure"), "{error}");
    assert!(j.list(&Filter::default()).unwrap().is_empty());

    // What is not a Vitalog file is still refused by name.
    let (mut j, _) = create(&dir.path().join("refused"));
    let unknown_column = "uid,kind,person,time,time_quality,source,colour\n";
    let error = j
        .import(Format::Csv, &mut unknown_column.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(error.contains("unknown name"), "{error}");
    let missing = "uid,kind,time,time_quality,source\n";
    let error = j
        .import(Format::Csv, &mut missing.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(error.contains("person is missing"), "{error}");
    let error = j
        .import(Format::Jsonl, &mut "{\"vitalog_export\": 2}\n".as_bytes())
        .unwrap_err()
        .to_string();
    assert!(error.contains("header missing"), "{error}");
}

/// The report's "since the last visit": none before the first report, then the newest one,
/// and the audit log says a report was made without saying what it held.
#[test]
fn the_last_report_is_remembered_in_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    assert_eq!(j.last_report().unwrap(), None);
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    j.record_report().unwrap();
    let first = j.last_report().unwrap().expect("remembered");
    assert!(first >= before && first <= chrono::Utc::now(), "{first}");
    std::thread::sleep(std::time::Duration::from_millis(5));
    j.record_report().unwrap();
    assert!(j.last_report().unwrap().expect("remembered") > first);
    let reports = j
        .audit_log()
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "report")
        .count();
    assert_eq!(reports, 2);
    assert!(j.audit_log_intact().unwrap());
}

/// SECURITY issue 11, finding 1: a file naming the patient's own meter, with its record
/// numbers, is stored as imported: the meter's identity and sync position stay as they were,
/// and the meter's real record 1 is still stored at the next sync.
#[test]
fn an_import_cannot_pose_as_a_monitor() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    let meter = j
        .register_device(&DeviceInfo {
            identity: "ble:aa:bb:cc:dd:ee:ff".into(),
            maker: Some("Acme".into()),
            model: Some("G1".into()),
            serial: Some("SN-REAL".into()),
            firmware: None,
        })
        .unwrap();
    let forged = (1..=5)
        .map(|n| {
            format!(
                "{{\"uid\":\"f{n}\",\"kind\":\"glucose\",\"person\":\"me\",\"time\":\"2026-03-0{n}T07:00:00+01:00\",\"time_quality\":\"device-synced\",\"source\":\"device\",\"device_identity\":\"ble:aa:bb:cc:dd:ee:ff\",\"device_maker\":\"Evil\",\"device_serial\":\"SN-FAKE\",\"sequence_number\":{n},\"value\":\"2.0\",\"unit\":\"mmol/L\",\"method\":\"meter\"}}"
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let file = format!("{{\"vitalog_export\":1}}\n{forged}\n");
    assert_eq!(
        j.import(Format::Jsonl, &mut file.as_bytes()).unwrap().added,
        5
    );

    let device = j.device(meter).unwrap();
    assert_eq!(
        device.info.maker.as_deref(),
        Some("Acme"),
        "identity untouched"
    );
    assert_eq!(device.info.serial.as_deref(), Some("SN-REAL"));
    assert_eq!(device.last_sequence, None, "the sync position did not move");
    let stored = j.list(&Filter::default()).unwrap();
    assert!(stored.iter().all(|e| e.source == readings::Source::Import
        && e.device.is_none()
        && e.sequence_number.is_none()));
    assert!(
        stored[0].origin.as_deref().unwrap().contains("SN-FAKE"),
        "the claim is kept as information"
    );
    // 2.0 mmol/L is unusual but possible: stored and flagged, never dropped.
    assert!(stored.iter().all(|e| e.flags.contains(&Flag::Implausible)));

    // The meter's own record 1 is new, not "already present".
    let real = NewEntry::from_device(
        glucose("6.1", "2026-03-01T07:00:00+01:00").content,
        at("2026-03-01T07:00:00+01:00"),
        meter,
        Some(1),
        Some("2026-03-01T07:00:00".into()),
        TimeQuality::DeviceSynced,
    );
    assert!(matches!(
        j.add(&real).unwrap(),
        journal::AddOutcome::Added(_)
    ));
}
