//! Sharing as a patient meets it: a care team is set up on a real FHIR server (Medplum's
//! engine, started by the test) with glucose only, from the whole history, in real time; a
//! demo meter's readings arrive on the server and in the transmission log; a glucose reading
//! added later follows within seconds, a blood pressure does not; after a revoke, nothing more
//! arrives.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use fhir_test_server::FhirServer;
use vitalog_e2e::App;
use vitalog_e2e::dialog::{self, FileDialog};

const PASSPHRASE: &str = "quartz lantern orbit marmalade";
const TOKEN: &str = "clinic-token-4711";

/// Adds an entry with the `vitalog` CLI (a second program on the same journal, as a script
/// or a second device would).
fn cli_add(app: &App, args: &[&str]) {
    let cli = std::env::var_os("VITALOG_CLI")
        .map(PathBuf::from)
        .expect("VITALOG_CLI names the vitalog binary (make test-e2e sets it)");
    let output = Command::new(cli)
        .arg("add")
        .args(args)
        .env("VITALOG_DATA_DIR", app.data_home().join("data/vitalog"))
        .env("VITALOG_PASSPHRASE", PASSPHRASE)
        .output()
        .expect("the vitalog CLI runs");
    assert!(
        output.status.success(),
        "vitalog add failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Waits until the server holds `n` Observations.
fn wait_for_observations(server: &FhirServer, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let count = server.count("Observation");
        if count == n {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the server holds {count} Observations, not {n}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[tokio::test(flavor = "current_thread")]
async fn readings_reach_the_care_team_until_the_patient_revokes() {
    let server = FhirServer::start(TOKEN);
    let mut app = App::launch("sharing").await.expect("app launches");
    app.create_journal(PASSPHRASE).await.expect("first run");

    app.open_screen("sharing").await.expect("sharing");
    app.wait_for("[data-testid='add-care-team']")
        .await
        .expect("the form to add a care team");
    app.screenshot("sharing-empty").await.expect("screenshot");

    app.type_into("#care-team-name", "Dr Okafor's clinic")
        .await
        .expect("name");
    app.type_into("#care-team-fhir", &server.base())
        .await
        .expect("address");
    app.type_into("#care-team-patient", "Patient/p1")
        .await
        .expect("patient");
    app.type_into("#care-team-token", TOKEN)
        .await
        .expect("token");
    app.click("input[name='share-kind'][value='glucose']")
        .await
        .expect("glucose");
    app.click("input[name='share-since'][value='everything']")
        .await
        .expect("the whole history");
    app.type_into("#care-team-passphrase", PASSPHRASE)
        .await
        .expect("passphrase");
    app.screenshot("sharing-form-filled")
        .await
        .expect("screenshot");
    app.click_button("Start sharing").await.expect("start");
    app.wait_for("[data-testid='care-team'][data-name=\"Dr Okafor's clinic\"]")
        .await
        .expect("the care team's card");
    let state = app
        .text("[data-testid='care-team-state']")
        .await
        .expect("state");
    assert!(state.contains("Sharing"), "{state}");
    app.screenshot("sharing-set-up").await.expect("screenshot");

    // A demo meter's stored readings: glucose, so they go.
    app.open_screen("devices").await.expect("devices");
    app.click_button("Add a device").await.expect("add");
    app.wait_for("ul.found li")
        .await
        .expect("demo monitors found");
    app.click("button[aria-label='Pair Demo Glucose Meter']")
        .await
        .expect("pair");
    app.wait_for("article.device").await.expect("a device card");
    app.click_button("Sync now").await.expect("sync");
    app.wait_until(
        "return document.querySelector('article.device .result') !== null",
        "the sync finished",
    )
    .await
    .expect("synced");
    let synced = app.text("article.device .result").await.expect("result");
    let stored: u64 = synced
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("how many were saved: {synced}"));
    assert!(stored > 0, "{synced}");
    wait_for_observations(&server, stored);

    app.open_screen("sharing").await.expect("sharing");
    app.wait_for("[data-testid='transmission-log'] tr[data-result='delivered']")
        .await
        .expect("delivered sends in the log");
    app.screenshot("sharing-delivered")
        .await
        .expect("screenshot");

    // A glucose reading typed in elsewhere follows; a blood pressure is not shared.
    cli_add(&app, &["glucose", "6.4", "mmol/L"]);
    wait_for_observations(&server, stored + 1);
    cli_add(&app, &["bp", "128/82", "--pulse", "64"]);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(server.count("Observation"), stored + 1, "glucose only");

    // Revoke, with a confirmation that says what stops.
    app.click_button("Revoke…").await.expect("revoke");
    let confirmation = app.text("dialog[open]").await.expect("confirmation");
    assert!(
        confirmation.contains("Nothing more will be sent"),
        "{confirmation}"
    );
    app.screenshot("sharing-revoke-confirm")
        .await
        .expect("screenshot");
    app.click_button("Revoke sharing").await.expect("confirm");
    app.wait_until(
        "return document.querySelector(\"[data-testid='care-team-state']\")?.textContent.includes('Revoked')",
        "the care team shows as revoked",
    )
    .await
    .expect("revoked");
    app.screenshot("sharing-revoked").await.expect("screenshot");

    let requests = server.requests().len();
    cli_add(&app, &["glucose", "7.1", "mmol/L"]);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        server.count("Observation"),
        stored + 1,
        "nothing after a revoke"
    );
    assert_eq!(server.requests().len(), requests, "not even a request");

    let mut identifiers = server.identifiers("Observation");
    let all = identifiers.len();
    identifiers.sort();
    identifiers.dedup();
    assert_eq!(identifiers.len(), all, "each reading once");

    // The log goes home with the patient, checked.
    let saved = app.data_home().join("transmissions.json");
    app.click_button("Save the whole log…")
        .await
        .expect("save the log");
    dialog::answer(FileDialog::Save, "Save the transmission log", &saved)
        .await
        .expect("the save dialog takes the path");
    app.wait_until(
        "return [...document.querySelectorAll('[role=status]')].some(e => e.textContent.includes('Saved the transmission log'))",
        "the log is saved",
    )
    .await
    .expect("saved");
    let log: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&saved).expect("the saved log")).expect("JSON");
    assert_eq!(log["intact"], true);
    let records = log["records"].as_array().expect("records");
    assert!(!records.is_empty());
    assert!(
        records
            .iter()
            .all(|r| r["recipient"] == "Dr Okafor's clinic")
    );
    app.close().await.expect("close");
}

/// A stand-in for the patient's browser: follows the sign-in's redirects (the test server
/// signs patient p1 in and approves at once), ending at Vitalog's loopback address.
fn fake_browser(dir: &std::path::Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("browser.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nexec curl --silent --location --max-redirs 20 --output /dev/null \"$1\"\n",
    )
    .expect("write the browser script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
        .expect("make it executable");
    script
}

#[tokio::test(flavor = "current_thread")]
async fn a_care_team_that_signs_in_with_smart_names_the_patient_and_receives_readings() {
    let server = FhirServer::start_smart(TOKEN, 3600);
    let scratch = tempfile::tempdir().expect("scratch folder");
    let browser = fake_browser(scratch.path());
    let mut app = App::launch_with("sharing-smart", &[("BROWSER", browser)])
        .await
        .expect("app launches");
    app.create_journal(PASSPHRASE).await.expect("first run");
    app.open_screen("sharing").await.expect("sharing");
    app.wait_for("[data-testid='add-care-team']")
        .await
        .expect("the form");
    app.type_into("#care-team-name", "Endocrinology")
        .await
        .expect("name");
    app.type_into("#care-team-fhir", &server.base())
        .await
        .expect("address");
    app.click("input[name='care-team-sign-in'][value='smart']")
        .await
        .expect("SMART");
    let client_id = app
        .eval("return document.querySelector('#care-team-client-id').value")
        .await
        .expect("client id");
    assert_eq!(client_id, "vitalog", "the usual client id is filled in");
    app.click("input[name='share-kind'][value='glucose']")
        .await
        .expect("glucose");
    app.type_into("#care-team-passphrase", PASSPHRASE)
        .await
        .expect("passphrase");
    app.screenshot("smart-form").await.expect("screenshot");
    app.click_button("Start sharing").await.expect("start");
    app.wait_for("[data-testid='care-team'][data-name='Endocrinology']")
        .await
        .expect("the care team's card after the sign-in");
    let card = app.text("[data-testid='care-team']").await.expect("card");
    assert!(
        card.contains("Patient/p1"),
        "the sign-in named the patient: {card}"
    );
    assert!(card.contains("Sign in again"), "{card}");
    assert_eq!(server.smart_stats()["token_requests"], 1);
    app.screenshot("smart-signed-in").await.expect("screenshot");

    cli_add(&app, &["glucose", "5.9", "mmol/L"]);
    wait_for_observations(&server, 1);
    app.close().await.expect("close");
}
