//! Alerts: off until turned on; a new reading past a threshold raises one, once; imports and
//! control-solution results never do.

use journal::{Filter, Format, NewEntry};
use readings::alerts::AlertKind;
use readings::{Flag, Source};

use crate::support::*;

/// An RFC 3339 time `hours` before now.
fn ago(hours: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::hours(hours))
        .fixed_offset()
        .to_rfc3339()
}

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
    j.add(&confirmed(glucose("2.5", &ago(9)))).unwrap();
    assert!(
        j.alerts_after(None, 10).unwrap().is_empty(),
        "off by default"
    );

    j.set_alert(AlertKind::GlucoseVeryLow, true).unwrap();
    assert_eq!(
        j.enabled_alerts().unwrap().into_iter().collect::<Vec<_>>(),
        vec![AlertKind::GlucoseVeryLow]
    );
    let low = j.add(&confirmed(glucose("2.6", &ago(8)))).unwrap().id();
    j.add(&glucose("5.5", &ago(7))).unwrap();
    // A very high glucose is not what was turned on.
    j.add(&confirmed(glucose("20.1", &ago(6)))).unwrap();
    let mut control = confirmed(glucose("2.2", &ago(5)));
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
    j.add(&confirmed(glucose("2.7", &ago(4)))).unwrap();
    assert_eq!(j.alerts_after(None, 10).unwrap().len(), 1, "off again");
}

#[test]
fn only_the_owners_recent_measurements_raise_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    j.set_alert(AlertKind::GlucoseVeryLow, true).unwrap();
    // A meter's first sync brings readings from days ago: history, not news.
    j.add(&confirmed(glucose("2.5", &ago(72)))).unwrap();
    // A demo monitor's value is simulated.
    let mut demo = confirmed(glucose("2.5", &ago(1)));
    demo.source = Source::Demo;
    j.add(&demo).unwrap();
    // Someone else's reading is theirs.
    let partner = j.add_person("Sam").unwrap();
    let mut theirs = confirmed(glucose("2.5", &ago(1)));
    theirs.person = Some(partner);
    j.add(&theirs).unwrap();
    assert!(j.alerts_after(None, 10).unwrap().is_empty());
    assert_eq!(j.newest_alert().unwrap(), None);
    let mine = j.add(&confirmed(glucose("2.5", &ago(1)))).unwrap().id();
    let raised = j.alerts_after(None, 10).unwrap();
    assert_eq!(
        raised.iter().map(|a| a.entry).collect::<Vec<_>>(),
        vec![mine]
    );
    assert_eq!(j.newest_alert().unwrap(), Some(raised[0].id));
}
