//! Commands called through Tauri's real IPC layer on the mock runtime, on the app as
//! `configure` builds it (no window needed): what the page sends and gets back, typed by the
//! reading vocabulary.

use serde_json::{Value, json};

use crate::support::{Harness, PASSPHRASE};

fn unlocked(dir: &std::path::Path) -> Harness {
    let app = Harness::new(&dir.join("data"));
    app.call(
        "create_journal",
        json!({"passphrase": PASSPHRASE, "remember": false}),
    )
    .expect("created");
    app
}

#[test]
fn app_info_reports_the_crate_version() {
    let dir = tempfile::tempdir().expect("dir");
    let app = Harness::new(dir.path());
    let info = app.call("app_info", json!({})).expect("app_info answers");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["platform"], std::env::consts::OS);
}

#[test]
fn app_ready_answers_more_than_once() {
    let dir = tempfile::tempdir().expect("dir");
    let app = Harness::new(dir.path());
    for _ in 0..2 {
        app.call("app_ready", json!({})).expect("app_ready answers");
    }
}

#[test]
fn entries_travel_with_the_vocabulary_names() {
    let dir = tempfile::tempdir().expect("dir");
    let app = unlocked(dir.path());
    let added = app
        .call(
            "add_entry",
            json!({"entry": {
                "kind": "bp", "at": "2026-11-30T07:45:00+01:00", "systolic": "128",
                "diastolic": " 82 ", "pulse": "71", "unit": "mm[Hg]", "note": null,
                "confirmImplausible": false
            }}),
        )
        .expect("added");
    assert_eq!(added["kind"], "bp");
    assert_eq!(added["unit"], "mm[Hg]");
    assert_eq!(added["diastolic"], "82", "typed blanks are trimmed");
    assert_eq!(added["source"], "manual");
    assert_eq!(added["flags"], json!([]));

    let page = app
        .call(
            "list_entries",
            json!({"kinds": ["bp"], "after": null, "limit": 10}),
        )
        .expect("listed");
    assert_eq!(page["entries"].as_array().map(Vec::len), Some(1));
    let none = app
        .call(
            "list_entries",
            json!({"kinds": ["glucose"], "after": null, "limit": 10}),
        )
        .expect("listed");
    assert_eq!(none["entries"], json!([]));
}

#[test]
fn a_missing_or_malformed_field_is_named_for_the_form() {
    let dir = tempfile::tempdir().expect("dir");
    let app = unlocked(dir.path());
    let add = |fields: Value| {
        let mut entry = json!({"kind": "glucose", "at": "2026-11-30T07:45:00+01:00",
            "note": null, "confirmImplausible": false});
        if let (Some(entry), Some(fields)) = (entry.as_object_mut(), fields.as_object()) {
            entry.extend(fields.clone());
        }
        app.call("add_entry", json!({ "entry": entry }))
    };
    let message = |result: Result<Value, Value>| result.expect_err("refused")["message"].clone();
    let field = |result: Result<Value, Value>| result.expect_err("refused")["field"].clone();
    assert_eq!(
        message(add(json!({"unit": "mmol/L"}))),
        "Enter the glucose value."
    );
    assert_eq!(field(add(json!({"unit": "mmol/L"}))), "value");
    assert_eq!(field(add(json!({"value": "5.8"}))), "unit");
    assert_eq!(
        field(add(json!({"value": "0", "unit": "mmol/L"}))),
        "value",
        "an impossible value names its field"
    );
    let pressures = app.call(
        "add_entry",
        json!({"entry": {"kind": "bp", "at": "2026-11-30T07:45:00+01:00", "systolic": "80",
            "diastolic": "120", "unit": "mm[Hg]", "note": null, "confirmImplausible": false}}),
    );
    assert_eq!(field(pressures), "diastolic");
    assert_eq!(
        message(add(json!({"value": "5,8x", "unit": "mmol/L"}))),
        "The glucose value must be a number."
    );
    assert_eq!(
        message(add(json!({"value": "5.8"}))),
        "Choose a unit for the glucose value."
    );
    // A kind or unit outside the vocabulary never reaches a command.
    assert!(add(json!({"value": "5.8", "unit": "stone"})).is_err());
    let unknown_kind = app.call(
        "add_entry",
        json!({"entry": {"kind": "mood", "at": "2026-11-30T07:45:00+01:00", "note": null,
            "confirmImplausible": false}}),
    );
    assert!(unknown_kind.is_err());
    let page = app
        .call(
            "list_entries",
            json!({"kinds": [], "after": null, "limit": 10}),
        )
        .expect("listed");
    assert_eq!(page["entries"], json!([]), "nothing refused was stored");
}

/// The page gets no permission beyond calling Vitalog's own commands (which need none): none
/// of Tauri's core plugins (windows, events, paths, menus, tray…), no files, shell or network.
/// A new permission is a decision to write here, not a default that comes along.
#[test]
fn the_page_is_granted_nothing_but_the_apps_own_commands() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let files: Vec<_> = std::fs::read_dir(&path)
        .expect("capabilities folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1, "one capability file: {files:?}");
    let capability: Value =
        serde_json::from_slice(&std::fs::read(&files[0]).expect("read")).expect("JSON");
    assert_eq!(capability["windows"], json!(["main"]));
    assert_eq!(capability["permissions"], json!([]), "{capability}");
    assert!(
        capability.get("remote").is_none(),
        "no remote page is granted anything"
    );
}
