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
    assert_eq!(comparable(&a), comparable(&b));
    // Importing again adds nothing, and so does importing into the source journal.
    assert_eq!(
        b.import(format, &mut out.as_slice())
            .unwrap()
            .already_present,
        9
    );
    assert_eq!(a.import(format, &mut out.as_slice()).unwrap().added, 0);
    // Exporting the copy gives the same file.
    let mut again = Vec::new();
    b.export(format, &Filter::default(), &mut again).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        String::from_utf8(again).unwrap()
    );
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
    assert_eq!(comparable(&a), comparable(&b));
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
