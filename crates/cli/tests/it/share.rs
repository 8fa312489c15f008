//! `vitalog share` against a real FHIR engine (Medplum in memory, `tests/fhir-server`): only
//! what a grant covers arrives, once, however often it is sent; an edit updates the same
//! Observation; a down server means waiting and then delivering; revoke stops everything;
//! the transmission log records each attempt and checks out.

use fhir_test_server::FhirServer;
use serde_json::{Value, json};

use crate::devices::{journal_dir, json_out, vitalog_in};

const TOKEN: &str = "clinic-issued-token";

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    vitalog_in(dir, args, &[])
}

fn ok(output: std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn set_up(dir: &std::path::Path, server: &FhirServer, token: &str) {
    let token_file = dir.join("token.txt");
    std::fs::write(&token_file, format!("{token}\n")).unwrap();
    ok(run(
        dir,
        &[
            "share",
            "add",
            "Clinic",
            "--fhir",
            &server.base(),
            "--patient",
            "Patient/p1",
            "--token-file",
            token_file.to_str().unwrap(),
        ],
    ));
}

/// A journal that shares `kinds` with "Clinic" on `server`, in real time, from now on.
fn sharing_in_real_time(server: &FhirServer, kinds: &str) -> tempfile::TempDir {
    let dir = journal_dir();
    set_up(dir.path(), server, TOKEN);
    ok(run(
        dir.path(),
        &["share", "grant", "Clinic", "--kinds", kinds, "--realtime"],
    ));
    dir
}

fn summary(output: &std::process::Output) -> Value {
    serde_json::from_slice::<Value>(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)))["recipients"]
        ["Clinic"]
        .clone()
}

#[test]
fn readings_a_grant_covers_arrive_once_and_edits_update_them() {
    let server = FhirServer::start(TOKEN);
    let dir = journal_dir();
    let dir = dir.path();
    ok(run(
        dir,
        &[
            "add",
            "glucose",
            "5.4",
            "mmol/L",
            "--at",
            "2026-03-01T07:30:00+01:00",
        ],
    ));
    set_up(dir, &server, TOKEN);
    ok(run(
        dir,
        &[
            "share",
            "grant",
            "Clinic",
            "--kinds",
            "glucose",
            "--since",
            "2026-01-01",
            "--realtime",
        ],
    ));
    ok(run(
        dir,
        &["add", "glucose", "6.2", "mmol/L", "--note", "after cycling"],
    ));
    ok(run(dir, &["add", "bp", "128/82", "--pulse", "64"]));

    let sent = run(dir, &["share", "send", "--json"]);
    assert_eq!(
        summary(&sent),
        json!({"delivered": 2, "refused": 0, "pending": 0})
    );
    assert_eq!(server.count("Observation"), 2, "glucose only");
    // The gateway Device (this Vitalog); typed-in readings have no monitor.
    assert_eq!(server.count("Device"), 1);
    let notes = server.fhir_get("Observation?_count=50");
    assert!(
        !notes.to_string().contains("after cycling"),
        "notes stay home unless granted"
    );

    // Sending again changes nothing on the server.
    assert_eq!(
        summary(&run(dir, &["share", "send", "--json"])),
        json!({"delivered": 0, "refused": 0, "pending": 0})
    );
    assert_eq!(server.count("Observation"), 2);

    // An edit updates the Observation the server holds.
    let listed = json_out(&run(dir, &["list", "--json", "--kind", "glucose"]));
    let first = listed[0]["id"].as_i64().unwrap().to_string();
    ok(run(dir, &["edit", &first, "--value", "5.9"]));
    assert_eq!(
        summary(&run(dir, &["share", "send", "--json"]))["delivered"],
        1
    );
    assert_eq!(server.count("Observation"), 2, "updated, not added");
    let uid = listed[0]["uid"].as_str().unwrap();
    let found = server.fhir_get(&format!(
        "Observation?identifier=urn:ietf:rfc:3986|urn:uuid:{uid}"
    ));
    assert_eq!(
        found["entry"][0]["resource"]["valueQuantity"]["value"],
        json!(5.9)
    );

    let identifiers = server.identifiers("Observation");
    let mut unique = identifiers.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), identifiers.len());

    let log = json_out(&run(dir, &["share", "log", "--json"]));
    let log = log.as_array().unwrap();
    assert!(
        log.iter()
            .all(|t| t["recipient"] == "Clinic" && t["result"] == "delivered")
    );
    assert!(log.iter().all(|t| t["kinds"] == json!(["glucose"])));
    ok(run(dir, &["share", "verify-log"]));
}

#[test]
fn a_down_server_means_waiting_then_delivering_and_revoke_stops_everything() {
    let server = FhirServer::start(TOKEN);
    let dir = sharing_in_real_time(&server, "glucose,bp");
    let dir = dir.path();
    server.faults(&json!({"seed": 7, "server_error": 1.0, "retry_after_s": 1}));
    ok(run(dir, &["add", "glucose", "6.1", "mmol/L"]));

    let failed = run(dir, &["share", "send", "--json"]);
    assert_eq!(failed.status.code(), Some(1), "not delivered: exit 1");
    assert_eq!(
        summary(&failed),
        json!({"delivered": 0, "refused": 0, "pending": 1})
    );
    let listed = json_out(&run(dir, &["share", "list", "--json"]));
    assert!(
        listed[0]["problem"].as_str().unwrap().contains("503"),
        "{listed}"
    );
    assert_eq!(server.count("Observation"), 0);

    // The server comes back while `send --wait` waits out the backoff.
    server.faults(&json!({}));
    let waited = run(dir, &["share", "send", "--wait", "--json"]);
    assert_eq!(
        waited.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&waited.stderr)
    );
    assert_eq!(summary(&waited)["pending"], 0);
    assert_eq!(server.count("Observation"), 1);

    ok(run(dir, &["share", "revoke", "Clinic"]));
    ok(run(dir, &["add", "glucose", "6.3", "mmol/L"]));
    let before = server.requests().len();
    ok(run(dir, &["share", "send"]));
    assert_eq!(
        server.requests().len(),
        before,
        "nothing is sent after a revoke"
    );
    assert_eq!(server.count("Observation"), 1);

    let log = json_out(&run(dir, &["share", "log", "--json"]));
    let results: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["retry", "delivered"]);
    ok(run(dir, &["share", "verify-log"]));
}

#[test]
fn plain_http_to_another_computer_and_a_wrong_token_are_refused() {
    let server = FhirServer::start(TOKEN);
    let dir = journal_dir();
    let dir = dir.path();
    let token_file = dir.join("token.txt");
    std::fs::write(&token_file, TOKEN).unwrap();
    let refused = run(
        dir,
        &[
            "share",
            "add",
            "Far",
            "--fhir",
            "http://fhir.example.org/r4",
            "--patient",
            "Patient/p1",
            "--token-file",
            token_file.to_str().unwrap(),
        ],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("https://"));

    set_up(dir, &server, "not-the-token");
    ok(run(
        dir,
        &[
            "share",
            "grant",
            "Clinic",
            "--kinds",
            "glucose",
            "--realtime",
        ],
    ));
    ok(run(dir, &["add", "glucose", "6.1", "mmol/L"]));
    let failed = run(dir, &["share", "send", "--json"]);
    assert_eq!(failed.status.code(), Some(1));
    let listed = json_out(&run(dir, &["share", "list", "--json"]));
    let problem = listed[0]["problem"].as_str().unwrap();
    assert!(
        problem.contains("401") && problem.contains("ask the clinic for a new one"),
        "{problem}"
    );
    assert_eq!(server.count("Observation"), 0);
}

/// A small deterministic generator for the kill timings (the seed is printed, and
/// `VITALOG_SHARE_SEED=<n>` replays a run).
fn next(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state >> 33
}

#[test]
fn a_thousand_readings_arrive_exactly_once_through_faults_and_kills() {
    let server = FhirServer::start(TOKEN);
    let dir = journal_dir();
    let dir = dir.path();
    set_up(dir, &server, TOKEN);
    ok(run(
        dir,
        &[
            "share",
            "grant",
            "Clinic",
            "--kinds",
            "glucose",
            "--since",
            "all",
            "--realtime",
        ],
    ));
    ok(run(dir, &["demo", "glucose", "--records", "1000"]));
    let queued = json_out(&run(dir, &["share", "list", "--json"]));
    assert_eq!(queued[0]["pending"], 1000);

    let mut seed: u64 = std::env::var("VITALOG_SHARE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::process::id().into());
    eprintln!("exactly-once run with VITALOG_SHARE_SEED={seed}");
    server.faults(&json!({
        "seed": seed % 1000,
        "drop_after_commit": 0.25, "server_error": 0.1, "too_many": 0.1, "reset": 0.1,
        "retry_after_s": 1
    }));
    let mut kills = 0;
    for _ in 0..60 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vitalog"))
            .args(["share", "send", "--wait"])
            .env("VITALOG_DATA_DIR", dir)
            .env("VITALOG_PASSPHRASE", crate::devices::PASSPHRASE)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(
            150 + next(&mut seed) % 1200,
        ));
        match child.try_wait().unwrap() {
            Some(status) => {
                assert!(status.success(), "send --wait ended with {status}");
                break;
            }
            None => {
                child.kill().unwrap();
                child.wait().unwrap();
                kills += 1;
            }
        }
    }
    assert!(kills > 0, "the sender was never killed mid-drain");
    let faults = server
        .requests()
        .iter()
        .filter(|r| !r["fault"].is_null())
        .count();
    eprintln!("{kills} kills, {faults} injected faults");
    assert!(faults > 0, "no fault was injected");
    server.faults(&json!({}));
    let last = run(dir, &["share", "send", "--wait", "--json"]);
    assert_eq!(
        summary(&last)["pending"],
        0,
        "{}",
        String::from_utf8_lossy(&last.stderr)
    );
    assert_eq!(summary(&last)["refused"], 0);

    assert_eq!(server.count("Observation"), 1000);
    let mut identifiers = server.identifiers("Observation");
    assert_eq!(identifiers.len(), 1000, "one identifier per Observation");
    identifiers.sort();
    identifiers.dedup();
    assert_eq!(identifiers.len(), 1000, "no reading twice");
    assert_eq!(
        server.count("Device"),
        2,
        "the gateway and the demo meter, once each"
    );
    ok(run(dir, &["share", "verify-log"]));
}

/// A stand-in for the patient's browser: follows every redirect (keeping cookies), as a
/// browser does once the patient has signed in and approved, ending at Vitalog's loopback
/// address with the code.
fn fake_browser(dir: &std::path::Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("browser.sh");
    let jar = dir.join("cookies.txt");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n[ -n \"$VITALOG_PASSPHRASE\" ] && touch '{1}'\nexec curl --silent --location --max-redirs 20 --cookie-jar '{0}' --cookie '{0}' --output /dev/null \"$1\"\n",
            jar.display(),
            dir.join("passphrase-leaked").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

#[test]
fn a_smart_sign_in_shares_refreshes_its_token_and_asks_to_sign_in_again_when_refused() {
    let server = FhirServer::start_smart(TOKEN, 2);
    let dir = journal_dir();
    let dir = dir.path();
    let browser = fake_browser(dir);
    let with_browser = [("BROWSER", browser.to_str().unwrap())];
    let added = vitalog_in(
        dir,
        &[
            "share",
            "add",
            "Clinic",
            "--fhir",
            &server.base(),
            "--smart",
        ],
        &with_browser,
    );
    let said = ok(added);
    assert!(
        !dir.join("passphrase-leaked").exists(),
        "the browser never sees VITALOG_PASSPHRASE"
    );
    assert!(
        said.contains("Patient/p1"),
        "the patient comes from the sign-in: {said}"
    );
    let listed = json_out(&run(dir, &["share", "list", "--json"]));
    assert_eq!(listed[0]["sign_in"], "smart");
    assert_eq!(listed[0]["patient"], "Patient/p1");

    ok(run(
        dir,
        &[
            "share",
            "grant",
            "Clinic",
            "--kinds",
            "glucose,medication",
            "--realtime",
        ],
    ));
    ok(run(dir, &["add", "glucose", "6.1", "mmol/L"]));
    ok(run(dir, &["add", "med", "metformin 500 mg"]));
    assert_eq!(
        summary(&run(dir, &["share", "send", "--json"]))["delivered"],
        2
    );
    assert_eq!(
        server.count("MedicationStatement"),
        1,
        "the sign-in's scope covers medications"
    );

    // The access token lives 2 s: the next send refreshes it first.
    std::thread::sleep(std::time::Duration::from_secs(3));
    ok(run(dir, &["add", "glucose", "6.2", "mmol/L"]));
    assert_eq!(
        summary(&run(dir, &["share", "send", "--json"]))["delivered"],
        1
    );
    assert!(server.smart_stats()["refreshes"].as_u64().unwrap() >= 1);
    assert_eq!(server.count("Observation"), 2);

    // The server ends the sign-in: sending waits and says to sign in again.
    server.revoke_refresh_tokens();
    std::thread::sleep(std::time::Duration::from_secs(3));
    ok(run(dir, &["add", "glucose", "6.3", "mmol/L"]));
    let failed = run(dir, &["share", "send", "--json"]);
    assert_eq!(failed.status.code(), Some(1));
    let listed = json_out(&run(dir, &["share", "list", "--json"]));
    assert!(
        listed[0]["problem"]
            .as_str()
            .unwrap()
            .contains("sign in again"),
        "{listed}"
    );

    ok(vitalog_in(
        dir,
        &["share", "sign-in", "Clinic"],
        &with_browser,
    ));
    let sent = run(dir, &["share", "send", "--wait", "--json"]);
    assert_eq!(
        summary(&sent)["pending"],
        0,
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    assert_eq!(server.count("Observation"), 3);
    ok(run(dir, &["share", "verify-log"]));
}

#[test]
fn a_reading_the_server_refuses_is_set_aside_and_the_rest_go() {
    let server = FhirServer::start(TOKEN);
    let dir = sharing_in_real_time(&server, "glucose");
    let dir = dir.path();
    server.faults(&json!({"refuse_text": "19.9"}));
    for value in ["5.1", "5.2", "19.9", "5.4", "5.5"] {
        ok(run(dir, &["add", "glucose", value, "mmol/L", "--confirm"]));
    }
    let sent = run(dir, &["share", "send", "--json"]);
    assert_eq!(sent.status.code(), Some(1), "one reading was not delivered");
    assert_eq!(
        summary(&sent),
        json!({"delivered": 4, "refused": 1, "pending": 0})
    );
    assert_eq!(server.count("Observation"), 4, "the others went");
    let listed = json_out(&run(dir, &["share", "list", "--json"]));
    let problem = listed[0]["problem"].as_str().unwrap();
    assert!(
        problem.contains("422") && problem.contains("refuses this value"),
        "{problem}"
    );

    // The clinic fixes its server; the patient sends the refused reading again.
    server.faults(&json!({}));
    assert_eq!(
        summary(&run(dir, &["share", "send", "--json"]))["refused"],
        1,
        "refused readings wait for the patient"
    );
    let again = run(dir, &["share", "send", "--retry-refused", "--json"]);
    assert_eq!(
        summary(&again),
        json!({"delivered": 1, "refused": 0, "pending": 0})
    );
    assert_eq!(server.count("Observation"), 5);
}
