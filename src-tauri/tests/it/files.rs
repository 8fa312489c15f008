//! Backup, export, import and restore through the real IPC layer on the mock runtime, with a
//! scripted file picker standing in for the native dialogs; and the commands a passphrase
//! confirms.

use serde_json::{Value, json};

use crate::support::{Harness, PASSPHRASE};

#[test]
fn a_backup_restores_on_another_device_and_an_export_imports_once() {
    let first = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let app = Harness::new(&first.path().join("data"));
    let created = app
        .call(
            "create_journal",
            json!({"passphrase": PASSPHRASE, "remember": false}),
        )
        .expect("created");
    let recovery_key = created["recoveryKey"].as_str().unwrap().to_owned();
    let entry = json!({"entry": {
        "kind": "glucose", "value": "6.1", "unit": "mmol/L", "systolic": null, "diastolic": null,
        "pulse": null, "text": null, "meal": null, "at": "2026-11-30T07:45:00+01:00",
        "note": "before breakfast", "confirmImplausible": false
    }});
    app.call("add_entry", entry).expect("entry added");

    // A cancelled dialog writes nothing and is not an error.
    app.pick(None);
    assert_eq!(app.call("backup_journal", json!({})), Ok(Value::Null));

    let backup = files.path().join("journal.vitalog-backup");
    app.pick(Some(&backup));
    let saved = app.call("backup_journal", json!({})).expect("backed up");
    assert_eq!(saved["path"], backup.display().to_string());
    assert_eq!(saved["bytes"], std::fs::metadata(&backup).unwrap().len());

    // The export needs the passphrase before any dialog opens.
    let export = files.path().join("readings.csv");
    app.pick(Some(&export));
    let refused = app
        .call(
            "export_entries",
            json!({"format": "csv", "passphrase": "not it at all"}),
        )
        .unwrap_err();
    assert_eq!(refused["kind"], "wrong-passphrase");
    assert!(!export.exists());
    let exported = app
        .call(
            "export_entries",
            json!({"format": "csv", "passphrase": PASSPHRASE}),
        )
        .expect("exported");
    assert_eq!(exported["entries"], 1);
    let text = std::fs::read_to_string(&export).unwrap();
    assert!(text.contains("before breakfast"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&export).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "an export must be private to its owner: {mode:o}"
        );
    }

    // Importing the export into the same journal adds nothing.
    app.pick(Some(&export));
    let imported = app.call("import_entries", json!({})).expect("imported");
    assert_eq!(
        (
            imported["added"].clone(),
            imported["alreadyPresent"].clone()
        ),
        (json!(0), json!(1))
    );

    // Restoring where a journal exists is refused before any dialog.
    let asked_before = app.asked.lock().unwrap().len();
    let refused = app.call("choose_backup", json!({})).unwrap_err();
    assert_eq!(refused["kind"], "already-exists", "{refused}");
    assert_eq!(app.asked.lock().unwrap().len(), asked_before);

    // Another device: an empty data folder, the backup opened with the recovery key.
    let second = tempfile::tempdir().unwrap();
    let other = Harness::new(&second.path().join("data"));
    let not_a_backup = files.path().join("readings.csv");
    other.pick(Some(&not_a_backup));
    let refused = other.call("choose_backup", json!({})).unwrap_err();
    assert_eq!(refused["kind"], "file-problem");
    other.pick(Some(&backup));
    let chosen = other.call("choose_backup", json!({})).expect("chosen");
    assert_eq!(chosen["name"], "journal.vitalog-backup");
    // Choosing another file and cancelling keeps the backup chosen (the form still shows it);
    // a refused file replaces it, so a restore then asks for a file again.
    other.pick(None);
    assert_eq!(other.call("choose_backup", json!({})), Ok(Value::Null));
    let fails_on_purpose = json!({"secret": {"with": "passphrase", "passphrase": "wrong guess 0"}});
    let kept = other
        .call("restore_backup", fails_on_purpose.clone())
        .unwrap_err();
    assert_eq!(kept["kind"], "wrong-passphrase", "{kept}");
    other.pick(Some(&not_a_backup));
    other.call("choose_backup", json!({})).unwrap_err();
    let dropped = other.call("restore_backup", fails_on_purpose).unwrap_err();
    assert_eq!(dropped["kind"], "invalid-input", "{dropped}");
    assert_eq!(dropped["message"], "Choose the backup file first.");
    other.pick(Some(&backup));
    other
        .call("choose_backup", json!({}))
        .expect("chosen again");
    let wrong = other
        .call(
            "restore_backup",
            json!({"secret": {"with": "passphrase", "passphrase": "wrong guess 123"}}),
        )
        .unwrap_err();
    assert_eq!(wrong["kind"], "wrong-passphrase");
    other
        .call(
            "restore_backup",
            json!({"secret": {"with": "recoveryKey", "recoveryKey": recovery_key}}),
        )
        .expect("restored");
    let page = other
        .call(
            "list_entries",
            json!({"kinds": [], "after": null, "limit": 10}),
        )
        .expect("listed");
    assert_eq!(page["entries"].as_array().unwrap().len(), 1);
    assert_eq!(page["entries"][0]["note"], "before breakfast");

    let asked = app.asked.lock().unwrap().clone();
    assert!(
        asked
            .iter()
            .any(|a| a.starts_with("save vitalog-backup-") && a.ends_with(".vitalog-backup")),
        "{asked:?}"
    );
    assert!(
        asked
            .iter()
            .any(|a| a.starts_with("save vitalog-export-") && a.ends_with(".csv")),
        "{asked:?}"
    );
}

/// Every command the passphrase confirms on the open journal tells a wrong one as such, with
/// what was not done, and does nothing; the right one then works.
#[test]
fn a_wrong_passphrase_confirms_nothing_and_says_what_was_not_done() {
    let home = tempfile::tempdir().unwrap();
    let app = Harness::new(&home.path().join("data"));
    app.call(
        "create_journal",
        json!({"passphrase": PASSPHRASE, "remember": false}),
    )
    .expect("created");
    let wrong = "not the passphrase at all";
    let refusals = [
        (
            "change_passphrase",
            json!({"current": wrong, "replacement": "a brand new passphrase"}),
            "so it was not changed",
        ),
        (
            "replace_data_key",
            json!({"passphrase": wrong}),
            "so no new recovery key was made",
        ),
        (
            "erase_journal",
            json!({"passphrase": wrong}),
            "so nothing was erased",
        ),
    ];
    for (command, body, not_done) in refusals {
        let refused = app.call(command, body).unwrap_err();
        assert_eq!(refused["kind"], "wrong-passphrase", "{command}: {refused}");
        let message = refused["message"].as_str().unwrap();
        assert!(
            message.starts_with("That is not your passphrase") && message.contains(not_done),
            "{command}: {message}"
        );
    }
    // Nothing changed: the journal is still there, open, under the same passphrase.
    app.call("lock_journal", json!({})).expect("locked");
    app.call("unlock_journal", json!({"passphrase": PASSPHRASE}))
        .expect("the passphrase still unlocks it");
    app.call("erase_journal", json!({"passphrase": PASSPHRASE}))
        .expect("erased");
    assert_eq!(
        app.call("journal_status", json!({})).expect("status")["exists"],
        false
    );
}

/// The Report screen's start: a week for blood pressure alone, 14 days once there is glucose,
/// and after a saved report, the day it was saved on.
#[test]
fn a_saved_report_is_a_pdf_and_the_next_one_starts_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let app = Harness::new(&dir.path().join("data"));
    app.call(
        "create_journal",
        json!({"passphrase": PASSPHRASE, "remember": false}),
    )
    .expect("created");
    let hour_ago = (chrono::Local::now() - chrono::Duration::hours(1))
        .fixed_offset()
        .to_rfc3339();
    let entry = |kind: &str, value: Value, unit: &str, systolic: Value, diastolic: Value| {
        json!({"entry": {
            "kind": kind, "value": value, "unit": unit, "systolic": systolic,
            "diastolic": diastolic, "pulse": null, "text": null, "meal": null,
            "at": hour_ago, "note": null, "confirmImplausible": false
        }})
    };
    app.call(
        "add_entry",
        entry("bp", Value::Null, "mmHg", json!("128"), json!("82")),
    )
    .expect("blood pressure added");
    let start = app.call("report_start", json!({})).expect("start");
    assert_eq!(start, json!({"lastReport": null, "days": 7}));

    app.call(
        "add_entry",
        entry("glucose", json!("6.1"), "mmol/L", Value::Null, Value::Null),
    )
    .expect("glucose added");
    let start = app.call("report_start", json!({})).expect("start");
    assert_eq!(start["days"], 14);

    let request = json!({"request": {
        "days": 14, "from": null, "to": null, "name": null,
        "glucoseUnit": null, "weightUnit": null, "temperatureUnit": null
    }});
    app.pick(None);
    assert_eq!(app.call("save_report", request.clone()), Ok(Value::Null));
    assert_eq!(
        app.call("report_start", json!({})).expect("start")["lastReport"],
        Value::Null
    );

    let file = files.path().join("visit.pdf");
    app.pick(Some(&file));
    let saved = app.call("save_report", request).expect("saved");
    assert_eq!(saved["bytes"], std::fs::metadata(&file).unwrap().len());
    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF-"));
    let last = app.call("report_start", json!({})).expect("start")["lastReport"].clone();
    let day = last.as_str().expect("the day of the last report");
    let today = chrono::Utc::now().date_naive();
    let near = [today.pred_opt(), Some(today), today.succ_opt()]
        .map(|d| d.map(|d| d.format("%Y-%m-%d").to_string()));
    assert!(near.contains(&Some(day.to_owned())), "{day}");
}
