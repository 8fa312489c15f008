//! Alerts: off until turned on; a new reading past a threshold raises one, once; imports and
//! control-solution results never do.

use journal::{Filter, Format, NewEntry};
use readings::Flag;
use readings::alerts::AlertKind;

use crate::support::*;

fn confirmed(entry: NewEntry) -> NewEntry {
    NewEntry {
        confirm_implausible: true,
        ..entry
    }
}

#[test]
fn a_reading_past_a_threshold_raises_an_alert_only_when_turned_on() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(&dir.path().join("a"));
    j.add(&confirmed(glucose("2.5", "2026-03-01T07:30:00+01:00")))
        .unwrap();
    assert!(
        j.alerts_after(None, 10).unwrap().is_empty(),
        "off by default"
    );

    j.set_alert(AlertKind::GlucoseVeryLow, true).unwrap();
    assert_eq!(
        j.enabled_alerts().unwrap().into_iter().collect::<Vec<_>>(),
        vec![AlertKind::GlucoseVeryLow]
    );
    let low = j
        .add(&confirmed(glucose("2.6", "2026-03-01T08:30:00+01:00")))
        .unwrap()
        .id();
    j.add(&glucose("5.5", "2026-03-01T09:30:00+01:00")).unwrap();
    // A very high glucose is not what was turned on.
    j.add(&confirmed(glucose("20.1", "2026-03-01T10:30:00+01:00")))
        .unwrap();
    let mut control = confirmed(glucose("2.2", "2026-03-01T11:30:00+01:00"));
    control.flags.insert(Flag::ControlSolution);
    j.add(&control).unwrap();
    let raised = j.alerts_after(None, 10).unwrap();
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert_eq!(
        (raised[0].entry, raised[0].kind),
        (low, AlertKind::GlucoseVeryLow)
    );
    assert!(j.alerts_after(Some(raised[0].id), 10).unwrap().is_empty());

    // Importing the same readings elsewhere brings their history, not new alerts.
    let mut file = Vec::new();
    j.export(Format::Jsonl, &Filter::default(), &mut file)
        .unwrap();
    let (mut other, _) = create(&dir.path().join("b"));
    other.set_alert(AlertKind::GlucoseVeryLow, true).unwrap();
    other.import(Format::Jsonl, &mut file.as_slice()).unwrap();
    assert!(other.alerts_after(None, 10).unwrap().is_empty());

    j.set_alert(AlertKind::GlucoseVeryLow, false).unwrap();
    j.add(&confirmed(glucose("2.7", "2026-03-01T12:30:00+01:00")))
        .unwrap();
    assert_eq!(j.alerts_after(None, 10).unwrap().len(), 1, "off again");
}
