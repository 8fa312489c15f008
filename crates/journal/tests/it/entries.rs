//! Adding, listing, de-duplication, plausibility, edits, tombstones and history.

use std::collections::BTreeSet;

use journal::{AddOutcome, Change, DeviceInfo, EntryEdit, Error, Filter, NewEntry};
use proptest::prelude::*;
use readings::{Content, Flag, Kind, ReadingError, Source, TimeQuality};

use crate::support::*;

#[test]
fn newest_first_pages_backwards_without_losing_entries_that_share_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    for (value, at) in [
        ("5.1", "2026-03-01T07:30:00+01:00"),
        ("5.2", "2026-03-02T07:30:00+01:00"),
        ("5.3", "2026-03-02T07:30:00+01:00"),
        ("5.4", "2026-03-02T07:30:00+01:00"),
        ("5.5", "2026-03-03T07:30:00+01:00"),
    ] {
        j.add(&glucose(value, at)).unwrap();
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = j
            .list(&Filter {
                newest_first: true,
                limit: Some(2),
                after,
                ..Filter::default()
            })
            .unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        seen.extend(page.iter().map(|e| match &e.content {
            Content::Glucose { value, .. } => value.value.to_string(),
            other => panic!("unexpected {other:?}"),
        }));
    }
    assert_eq!(seen, ["5.5", "5.4", "5.3", "5.2", "5.1"]);
}

#[test]
fn latest_readings_are_the_newest_of_each_reading_kind_and_skip_deleted_ones_and_events() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    assert!(j.latest_readings().unwrap().is_empty());
    j.add(&glucose("5.1", "2026-03-02T07:30:00+01:00")).unwrap();
    // Added later but measured earlier: not the latest.
    j.add(&glucose("6.0", "2026-03-01T07:30:00+01:00")).unwrap();
    let newest = j.add(&glucose("7.2", "2026-03-03T07:30:00+01:00")).unwrap();
    j.add(&bp("128", "84", "71", "2026-03-01T08:00:00+01:00"))
        .unwrap();
    j.add(&note("walked", "2026-03-04T08:00:00+01:00")).unwrap();

    let summary = |j: &journal::Journal| -> Vec<(Kind, String)> {
        j.latest_readings()
            .unwrap()
            .iter()
            .map(|e| {
                let value = match &e.content {
                    Content::Glucose { value, .. } => value.value.to_string(),
                    Content::BloodPressure { systolic, .. } => systolic.to_string(),
                    other => panic!("not a reading: {other:?}"),
                };
                (e.content.kind(), value)
            })
            .collect()
    };
    assert_eq!(
        summary(&j),
        [
            (Kind::Glucose, "7.2".to_owned()),
            (Kind::BloodPressure, "128".to_owned())
        ]
    );
    j.delete(newest.id()).unwrap();
    assert_eq!(summary(&j)[0], (Kind::Glucose, "5.1".to_owned()));
}

#[test]
fn list_filters_by_kind_time_and_person() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    let partner = j.add_person("Sam").unwrap();
    j.add(&glucose("5.8", "2026-03-01T07:30:00+01:00")).unwrap();
    j.add(&bp("128", "84", "71", "2026-03-01T08:00:00+01:00"))
        .unwrap();
    let mut theirs = bp("135", "88", "65", "2026-03-02T08:00:00+01:00");
    theirs.person = Some(partner);
    j.add(&theirs).unwrap();
    j.add(&note("walked", "2026-03-03T08:00:00+01:00")).unwrap();

    let kinds = |f: &Filter| -> Vec<Kind> {
        j.list(f)
            .unwrap()
            .iter()
            .map(|e| e.content.kind())
            .collect()
    };
    assert_eq!(kinds(&Filter::default()).len(), 4);
    assert_eq!(
        kinds(&Filter {
            kinds: vec![Kind::BloodPressure],
            ..Filter::default()
        }),
        [Kind::BloodPressure, Kind::BloodPressure]
    );
    assert_eq!(
        kinds(&Filter {
            from: Some(at("2026-03-01T07:45:00+01:00")),
            to: Some(at("2026-03-03T00:00:00+01:00")),
            ..Filter::default()
        })
        .len(),
        2
    );
    let only_sam = j
        .list(&Filter {
            person: Some(partner),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(only_sam.len(), 1);
    assert_eq!(only_sam[0].person, partner);
}

#[test]
fn impossible_values_are_refused_and_implausible_need_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    assert!(matches!(
        j.add(&glucose("70", "2026-03-01T07:30:00+01:00")),
        Err(Error::Reading(ReadingError::Impossible { .. }))
    ));
    assert!(matches!(
        j.add(&bp("80", "120", "70", "2026-03-01T07:30:00+01:00")),
        Err(Error::Reading(ReadingError::DiastolicNotBelowSystolic))
    ));
    let low = glucose("2.4", "2026-03-01T07:30:00+01:00");
    assert!(matches!(j.add(&low), Err(Error::Implausible(_))));
    assert!(j.list(&Filter::default()).unwrap().is_empty());
    let confirmed = NewEntry {
        confirm_implausible: true,
        ..low
    };
    let id = j.add(&confirmed).unwrap().id();
    assert!(j.get(id).unwrap().flags.contains(&Flag::Implausible));
}

#[test]
fn a_typed_time_in_the_future_or_before_1900_needs_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    let in_a_week = (chrono::Utc::now() + chrono::Duration::days(7))
        .fixed_offset()
        .to_rfc3339();
    for time in [in_a_week.as_str(), "1899-12-31T08:00:00+00:00"] {
        let typed = glucose("5.8", time);
        let refused = j.add(&typed).unwrap_err().to_string();
        assert!(
            refused.contains("future") || refused.contains("before 1900"),
            "{refused}"
        );
        let id = j
            .add(&NewEntry {
                confirm_implausible: true,
                ..typed
            })
            .unwrap()
            .id();
        assert!(j.get(id).unwrap().flags.contains(&Flag::Implausible));
    }
    // A minute ahead is a clock that runs a little fast, not a slip of the year.
    let soon = (chrono::Utc::now() + chrono::Duration::minutes(1))
        .fixed_offset()
        .to_rfc3339();
    let id = j.add(&glucose("5.8", &soon)).unwrap().id();
    // Moving an entry into the future asks too.
    let moved = EntryEdit {
        at: Some(at(&in_a_week)),
        ..EntryEdit::default()
    };
    assert!(matches!(j.edit(id, &moved), Err(Error::Implausible(_))));
    // The two confirmed slips and the entry a minute ahead are stored; nothing else.
    assert_eq!(j.list(&Filter::default()).unwrap().len(), 3);
}

#[test]
fn device_readings_are_unique_per_sequence_number_or_time_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    let meter = j
        .register_device(&DeviceInfo {
            identity: "FE-ED-AB-EE-DE-AD-77-C3".into(),
            maker: Some("Acme".into()),
            model: Some("G1".into()),
            serial: Some("123".into()),
            firmware: Some("1.0".into()),
        })
        .unwrap();
    let reading = |seq: Option<i64>, value: &str| {
        let mut e = NewEntry::from_device(
            glucose(value, "2026-03-01T07:30:00+01:00").content,
            at("2026-03-01T07:30:00+01:00"),
            meter,
            seq,
            Some("2026-03-01T07:30:00".into()),
            TimeQuality::DeviceUnverified,
        );
        e.flags
            .insert(Flag::Status("sample-size-insufficient".into()));
        e
    };
    let first = j.add(&reading(Some(7), "5.8")).unwrap();
    assert!(matches!(first, AddOutcome::Added(_)));
    assert_eq!(
        j.add(&reading(Some(7), "5.8")).unwrap(),
        AddOutcome::AlreadyPresent(first.id())
    );
    // Without sequence numbers, device time plus value identify the reading.
    let a = j.add(&reading(None, "6.1")).unwrap();
    assert_eq!(
        j.add(&reading(None, "6.1")).unwrap(),
        AddOutcome::AlreadyPresent(a.id())
    );
    assert!(matches!(
        j.add(&reading(None, "6.2")).unwrap(),
        AddOutcome::Added(_)
    ));
    assert_eq!(j.device(meter).unwrap().last_sequence, Some(7));
    let stored = j.get(first.id()).unwrap();
    assert_eq!(stored.source, Source::Device);
    assert_eq!(stored.sequence_number, Some(7));
    assert_eq!(stored.device_time.as_deref(), Some("2026-03-01T07:30:00"));
    // Device values outside the usual range are stored, flagged, without confirmation.
    let low = j.add(&reading(Some(8), "2.1")).unwrap();
    assert!(j.get(low.id()).unwrap().flags.contains(&Flag::Implausible));
}

#[test]
fn shared_cuff_users_map_to_people() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    let cuff = j
        .register_device(&DeviceInfo {
            identity: "cuff".into(),
            ..DeviceInfo::default()
        })
        .unwrap();
    let sam = j.add_person("Sam").unwrap();
    j.map_device_user(cuff, 1, journal::PersonId(1)).unwrap();
    j.map_device_user(cuff, 2, sam).unwrap();
    assert_eq!(j.person_for_device_user(cuff, 2).unwrap(), Some(sam));
    assert_eq!(j.person_for_device_user(cuff, 3).unwrap(), None);
    j.set_clock_drift(cuff, -360).unwrap();
    assert_eq!(j.device(cuff).unwrap().clock_drift_s, Some(-360));
}

#[test]
fn edits_keep_history_and_deletes_are_undoable_tombstones() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    let id = j
        .add(&glucose("5.8", "2026-03-01T07:30:00+01:00"))
        .unwrap()
        .id();
    let edited = j
        .edit(
            id,
            &EntryEdit {
                content: Some(glucose("6.4", "2026-03-01T07:30:00+01:00").content),
                note: Some(Some("re-measured".into())),
                ..EntryEdit::default()
            },
        )
        .unwrap();
    assert_eq!(edited.version, 2);
    assert!(matches!(
        j.edit(
            id,
            &EntryEdit {
                content: Some(Content::Note("x".into())),
                ..EntryEdit::default()
            }
        ),
        Err(Error::Invalid(_))
    ));
    j.delete(id).unwrap();
    assert!(j.list(&Filter::default()).unwrap().is_empty());
    assert_eq!(
        j.list(&Filter {
            include_deleted: true,
            ..Filter::default()
        })
        .unwrap()
        .len(),
        1
    );
    assert_eq!(j.undo_delete().unwrap(), id);
    assert!(matches!(j.undo_delete(), Err(Error::NothingToUndo)));
    let history = j.history(id).unwrap();
    let changes: Vec<Change> = history.iter().map(|v| v.change).collect();
    assert_eq!(
        changes,
        [
            Change::Create,
            Change::Edit,
            Change::Delete,
            Change::Restore
        ]
    );
    let value = |v: &journal::Version| match &v.entry.content {
        Content::Glucose { value, .. } => value.value.to_string(),
        _ => unreachable!(),
    };
    assert_eq!(value(&history[0]), "5.8");
    assert_eq!(value(&history[1]), "6.4");
    assert_eq!(history[1].entry.note.as_deref(), Some("re-measured"));
    assert!(history[2].entry.deleted);
    assert_eq!(j.list(&Filter::default()).unwrap().len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// SECURITY.md §8 goal 15: shuffled, repeated, overlapping streams from several devices
    /// store each (device, sequence number) once.
    #[test]
    fn repeated_device_streams_never_double_count(
        stream in proptest::collection::vec((0usize..3, 0i64..40), 1..120)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (mut j, _) = create(dir.path());
        let devices: Vec<_> = (0..3)
            .map(|i| j.register_device(&DeviceInfo { identity: format!("dev-{i}"), ..DeviceInfo::default() }).unwrap())
            .collect();
        let batch: Vec<NewEntry> = stream.iter().map(|&(d, seq)| {
            NewEntry::from_device(
                glucose(&format!("5.{}", seq % 10), "2026-03-01T07:30:00+01:00").content,
                at("2026-03-01T07:30:00+01:00"),
                devices[d],
                Some(seq),
                None,
                TimeQuality::Reception,
            )
        }).collect();
        // Half in one transaction, then everything again one by one.
        prop_assert!(j.add_all(&batch[..batch.len() / 2]).unwrap().iter().all(Result::is_ok));
        for e in &batch {
            j.add(e).unwrap();
        }
        let distinct: BTreeSet<_> = stream.iter().collect();
        prop_assert_eq!(j.list(&Filter::default()).unwrap().len(), distinct.len());
    }
}
