//! No plaintext at rest (SECURITY.md §8 goals 1, 2, 3): marker values and notes written through
//! every write path are searched for in every file the journal writes — raw, UTF-16, hex and
//! base64 — before and after a checkpoint, and the data key is searched for too.

use journal::{EntryEdit, Filter, Format, Journal, NewEntry};
use readings::{Content, Quantity, Unit};

use crate::support::*;

#[test]
fn no_marker_value_note_or_key_in_any_file() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("journal");
    let (mut j, _) = create(&dir);
    let mut needles: Vec<Vec<u8>> = Vec::new();
    let mut batch = Vec::new();
    for i in 0..1000 {
        let marker = format!("MARKER-7f3a-{i:04}");
        // Values with an unusual precision are markers themselves.
        let value = format!("5.{:06}", 100_000 + i);
        let mut e = NewEntry::manual(
            Content::Glucose {
                value: Quantity {
                    value: value.parse().unwrap(),
                    unit: Unit::MmolPerL,
                },
                meal: None,
                method: readings::GlucoseMethod::Meter,
            },
            at("2026-03-01T07:30:00+01:00"),
        );
        e.note = Some(marker.clone());
        batch.push(e);
        if i % 100 == 0 {
            needles.push(marker.into_bytes());
            needles.push(value.into_bytes());
        }
    }
    assert!(j.add_all(&batch).unwrap().iter().all(Result::is_ok));
    // Built at run time so no source file (which may itself sit under the temp folder, as in
    // a CI clone) contains the marker that the temp-folder scan below looks for.
    let symptom = format!("MARKER-symptom-dizzy-{}", std::process::id());
    let symptom = symptom.as_str();
    let id = j
        .add(&NewEntry::manual(
            Content::Symptom(symptom.into()),
            at("2026-03-01T08:00:00+01:00"),
        ))
        .unwrap()
        .id();
    j.edit(
        id,
        &EntryEdit {
            note: Some(Some("MARKER-edit-note-b16b00b5".into())),
            ..EntryEdit::default()
        },
    )
    .unwrap();
    j.add_person("MARKER-person-name").unwrap();
    needles.push(symptom.as_bytes().to_vec());
    needles.push(b"MARKER-edit-note-b16b00b5".to_vec());
    needles.push(b"MARKER-person-name".to_vec());
    needles.push(j.data_key_for_tests().to_vec());
    needles.push(PASSPHRASE.as_bytes().to_vec());

    // Backups are written through the journal too.
    let backup = data.path().join("backup.vitalog");
    j.backup(&backup).unwrap();

    // Before checkpoint: the data sits in the WAL.
    assert!(j.files().wal.exists());
    let hits = scan(data.path(), &needles);
    assert!(
        hits.is_empty(),
        "plaintext found before checkpoint: {hits:?}"
    );
    j.checkpoint().unwrap();
    let hits = scan(data.path(), &needles);
    assert!(
        hits.is_empty(),
        "plaintext found after checkpoint: {hits:?}"
    );

    // Export is the one deliberate plaintext; it is not written unless asked for.
    let mut out = Vec::new();
    j.export(Format::Jsonl, &Filter::default(), &mut out)
        .unwrap();
    assert!(
        contains(&out, symptom.as_bytes()),
        "the scan can find markers"
    );

    let db = j.files().db.clone();
    j.lock();
    let hits = scan(data.path(), &needles);
    assert!(hits.is_empty(), "plaintext found after close: {hits:?}");
    let head = std::fs::read(db).unwrap();
    assert_ne!(&head[..16], b"SQLite format 3\0");

    // The temp folder holds nothing of ours either.
    let tmp_hits: Vec<_> = files_under(&std::env::temp_dir())
        .into_iter()
        .filter(|p| !p.starts_with(data.path()))
        .filter(|p| {
            std::fs::metadata(p)
                .map(|m| m.len() < 64 << 20)
                .unwrap_or(false)
        })
        .filter(|p| {
            std::fs::read(p)
                .map(|b| contains(&b, symptom.as_bytes()))
                .unwrap_or(false)
        })
        .collect();
    assert!(tmp_hits.is_empty(), "{tmp_hits:?}");
    let j = Journal::open(&dir, PASSPHRASE).unwrap();
    assert_eq!(j.list(&Filter::default()).unwrap().len(), 1001);
}
