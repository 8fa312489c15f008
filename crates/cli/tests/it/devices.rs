//! `vitalog demo`, `vitalog devices list/forget` against a journal made for the test.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

pub const PASSPHRASE: &str = "correct horse battery staple";

/// A fresh journal in a temp folder, with the cheapest key derivation allowed.
pub fn journal_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let options = journal::CreateOptions {
        kdf: journal::KdfParams::OWASP_FLOOR,
    };
    journal::Journal::create(dir.path(), PASSPHRASE, &options).unwrap();
    dir
}

/// Runs `vitalog` on the journal in `dir` with extra environment.
pub fn vitalog_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitalog"))
        .args(args)
        .env("VITALOG_DATA_DIR", dir)
        .env("VITALOG_PASSPHRASE", PASSPHRASE)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

pub fn json_out(output: &Output) -> Value {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "failed: {stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn demo_glucose_syncs_once_and_then_finds_nothing_new() {
    let dir = journal_dir();
    let args = ["demo", "glucose", "--records", "25", "--json"];
    let first = json_out(&vitalog_in(dir.path(), &args, &[]));
    assert_eq!(
        first,
        json!({"devices": [{"id": "demo:glucose", "new": 25, "already_present": 0, "rejected": 0}]})
    );
    let again = json_out(&vitalog_in(dir.path(), &args, &[]));
    assert_eq!(again["devices"][0]["new"], 0);
    let listed = json_out(&vitalog_in(dir.path(), &["devices", "list", "--json"], &[]));
    assert_eq!(listed[0]["id"], "demo:glucose");
    assert_eq!(listed[0]["last_sequence"], 25);
}

#[test]
fn demo_with_a_dropped_link_reports_the_error_and_the_next_run_resumes() {
    let dir = journal_dir();
    let args = [
        "demo",
        "glucose",
        "--records",
        "10",
        "--faults",
        "drop:4",
        "--json",
    ];
    let first = json_out(&vitalog_in(dir.path(), &args, &[]));
    assert_eq!(first["devices"][0]["new"], 4);
    assert!(first["devices"][0]["error"].is_string());
    // A new simulator: the fault is shown again, but only records after 4 are asked for.
    let second = json_out(&vitalog_in(dir.path(), &args, &[]));
    assert_eq!(second["devices"][0]["new"], 4);
    let clean = ["demo", "glucose", "--records", "10", "--json"];
    let third = json_out(&vitalog_in(dir.path(), &clean, &[]));
    assert_eq!(third["devices"][0]["new"], 2);
}

#[test]
fn demo_cuff_and_unbonded_meter_and_forget() {
    let dir = journal_dir();
    let cuff = json_out(&vitalog_in(
        dir.path(),
        &["demo", "blood-pressure", "--records", "3", "--json"],
        &[],
    ));
    assert_eq!(cuff["devices"][0]["new"], 6);
    let refused = json_out(&vitalog_in(
        dir.path(),
        &["demo", "glucose", "--faults", "unbonded", "--json"],
        &[],
    ));
    let error = refused["devices"][0]["error"].as_str().unwrap();
    assert!(error.contains("not paired"), "{error}");
    let forget = vitalog_in(
        dir.path(),
        &["devices", "forget", "demo:blood-pressure"],
        &[],
    );
    assert!(forget.status.success());
    let unknown = vitalog_in(dir.path(), &["devices", "forget", "AA:00:00:00:00:00"], &[]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn every_demo_monitor_kind_syncs() {
    let dir = journal_dir();
    // Three readings each; the oximeter's give SpO2 and pulse entries, the scale's a weight
    // and a body fat percentage.
    for (kind, expected) in [
        ("cgm", 3),
        ("thermometer", 3),
        ("weight", 6),
        ("pulse-oximeter", 6),
        ("heart-rate", 3),
    ] {
        let out = json_out(&vitalog_in(
            dir.path(),
            &["demo", kind, "--records", "3", "--json"],
            &[],
        ));
        assert_eq!(out["devices"][0]["new"], expected, "{kind}");
    }
}
