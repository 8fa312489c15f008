//! Demo devices as a patient without Bluetooth meets them: the app says Bluetooth is not
//! available and offers demo monitors; a demo glucose meter is paired and synced with a
//! progress bar; a sync cut off half-way resumes without duplicates; a re-sync adds nothing;
//! the readings show on Today and in the Journal, and the journal on disk holds each record once.

use std::path::PathBuf;
use std::process::Command;

use vitalog_e2e::App;

const PASSPHRASE: &str = "quartz lantern orbit marmalade";
const RECORDS: usize = 200;

/// The sentence under the device card once the sync that was started last has finished.
async fn sync_result(app: &App) -> String {
    app.wait_until(
        "return document.querySelector('article.device progress') === null \
         && document.querySelector('article.device .result') !== null",
        "the sync finished",
    )
    .await
    .expect("sync finishes");
    app.text("article.device .result").await.expect("result")
}

/// The glucose entries in the journal on disk, read by the `vitalog` CLI (a second process,
/// as a script would), as their sequence numbers.
fn stored_sequence_numbers(app: &App) -> Vec<i64> {
    let cli = std::env::var_os("VITALOG_CLI")
        .map(PathBuf::from)
        .expect("VITALOG_CLI names the vitalog binary (make test-e2e sets it)");
    let output = Command::new(cli)
        .args(["list", "--kind", "glucose", "--json"])
        .env("VITALOG_DATA_DIR", app.data_home().join("data/vitalog"))
        .env("VITALOG_PASSPHRASE", PASSPHRASE)
        .output()
        .expect("the vitalog CLI runs");
    assert!(
        output.status.success(),
        "vitalog list failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let entries: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).expect("a JSON array");
    let mut sequence: Vec<i64> = entries
        .iter()
        .map(|e| {
            assert_eq!(e["source"], "demo", "demo readings are marked as demo data");
            e["sequence_number"].as_i64().expect("a sequence number")
        })
        .collect();
    sequence.sort_unstable();
    sequence
}

#[tokio::test(flavor = "current_thread")]
async fn a_demo_meter_is_paired_synced_resumed_and_its_readings_land_in_the_journal() {
    let mut app = App::launch("demo-devices").await.expect("app launches");
    app.create_journal(PASSPHRASE).await.expect("first run");
    app.screenshot("today-empty").await.expect("screenshot");

    app.click("a[href='#/devices']").await.expect("devices");
    let notice = app
        .text("#bluetooth-title")
        .await
        .expect("bluetooth notice");
    assert!(notice.contains("not available"), "{notice}");
    app.screenshot("devices-without-bluetooth")
        .await
        .expect("screenshot");

    // The first sync will be cut off half-way, as when the meter walks out of range.
    app.select("select", "link-drops").await.expect("problem");
    app.click_button("Save demo settings")
        .await
        .expect("save demo settings");
    app.wait_until(
        "return [...document.querySelectorAll('[role=status]')].some(e => e.textContent.includes('Saved'))",
        "the demo settings are saved",
    )
    .await
    .expect("saved");

    app.click_button("Add a device").await.expect("add");
    app.wait_for("ul.found li")
        .await
        .expect("demo monitors found");
    let found = app.text("ul.found").await.expect("found list");
    assert!(found.contains("Demo Glucose Meter"), "{found}");
    assert!(found.contains("Demo"), "{found}");
    app.screenshot("scan-results").await.expect("screenshot");

    app.click("button[aria-label='Pair Demo Glucose Meter']")
        .await
        .expect("pair");
    app.wait_for("article.device").await.expect("a device card");
    app.screenshot("paired").await.expect("screenshot");

    app.click_button("Sync now").await.expect("sync");
    // The meter announced how many records it holds, so the bar has a maximum.
    // Read in the same script as the check: the first sync is over in about a second.
    let progress = app
        .wait_for_value(
            "const p = document.querySelector('article.device progress'); \
             return p !== null && p.max === 200 && p.value > 0 \
               ? document.querySelector('article.device .progress p')?.textContent.trim() ?? null \
               : null",
            "the progress bar counts records",
        )
        .await
        .expect("progress");
    let progress = progress.as_str().unwrap_or_default();
    assert!(progress.ends_with("of 200 records"), "{progress}");
    app.screenshot("sync-progress").await.expect("screenshot");

    let first = sync_result(&app).await;
    assert_eq!(first, "100 new readings saved.");
    let warning = app
        .text("article.device .warning")
        .await
        .expect("a cut-off warning");
    assert!(warning.contains("stopped early"), "{warning}");
    app.screenshot("sync-cut-off").await.expect("screenshot");

    app.click_button("Sync now").await.expect("sync again");
    let second = sync_result(&app).await;
    assert_eq!(
        second, "100 new readings saved.",
        "the sync resumed after record 100"
    );
    app.screenshot("sync-resumed").await.expect("screenshot");

    app.click_button("Sync now")
        .await
        .expect("sync a third time");
    let third = sync_result(&app).await;
    assert_eq!(third, "No new readings.");
    let card = app.text("article.device").await.expect("card");
    assert!(card.contains("Battery"), "{card}");
    assert!(card.contains("DEMO-"), "the serial number is shown: {card}");
    app.screenshot("sync-nothing-new")
        .await
        .expect("screenshot");

    app.click("a[href='#/today']").await.expect("today");
    let glucose = app
        .text("li.reading[data-kind='glucose']")
        .await
        .expect("the latest glucose reading");
    assert!(glucose.contains("Demo data"), "{glucose}");
    app.screenshot("today-latest").await.expect("screenshot");

    app.click("a[href='#/journal']").await.expect("journal");
    app.wait_for("li.entry").await.expect("entries listed");
    app.screenshot("journal-demo-readings")
        .await
        .expect("screenshot");

    let expected: Vec<i64> = (1..=RECORDS as i64).collect();
    assert_eq!(
        stored_sequence_numbers(&app),
        expected,
        "every record once, none twice"
    );
    app.close().await.expect("close");
}
