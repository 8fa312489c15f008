//! Trends as a patient meets them: two weeks of CGM, meter, blood-pressure and body readings
//! (the statistics check's generated journal, dated up to today) show as numbers and charts,
//! each chart with its text alternative and its numbers as a table; a longer period, dark
//! ink, an alert turned on and raised by a reading typed in, and a 720-pixel window that
//! nothing scrolls sideways in and that can still be locked.

use std::path::Path;
use std::process::Command;

use vitalog_e2e::App;
use vitalog_e2e::dialog::{self, FileDialog};

const PASSPHRASE: &str = "quartz lantern orbit marmalade";

/// Fills the closed app's journal with the generated readings of the last 20 days, through
/// the `vitalog` CLI as a script would.
fn import_recent_readings(home: &Path) {
    let today = Command::new("date").arg("+%F").output().expect("date runs");
    let today = String::from_utf8_lossy(&today.stdout).trim().to_owned();
    let from = Command::new("date")
        .args(["-d", &format!("{today} -20 days"), "+%F"])
        .output()
        .expect("date runs");
    let from = String::from_utf8_lossy(&from.stdout).trim().to_owned();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../stats/make_fixture.py");
    let fixture = Command::new("python3")
        .arg(script)
        .args(["--from", &from, "--to", &today])
        .output()
        .expect("the fixture generator runs");
    assert!(
        fixture.status.success(),
        "{}",
        String::from_utf8_lossy(&fixture.stderr)
    );
    let file = home.join("recent.jsonl");
    std::fs::write(&file, &fixture.stdout).expect("fixture written");
    let cli = std::env::var_os("VITALOG_CLI").expect("VITALOG_CLI names the vitalog binary");
    let imported = Command::new(cli)
        .arg("import")
        .arg(&file)
        .env("VITALOG_DATA_DIR", home.join("data/vitalog"))
        .env("VITALOG_PASSPHRASE", PASSPHRASE)
        .output()
        .expect("the vitalog CLI runs");
    assert!(
        imported.status.success(),
        "vitalog import failed: {}",
        String::from_utf8_lossy(&imported.stderr)
    );
    std::fs::remove_file(&file).expect("fixture removed");
}

async fn charts_shown(app: &App) -> Vec<String> {
    app.wait_until(
        "return document.querySelectorAll('figure.chart img').length > 0 \
         && !document.querySelector('[role=status]')?.textContent.includes('Working')",
        "the charts are drawn",
    )
    .await
    .expect("charts");
    let kinds = app
        .eval("return [...document.querySelectorAll('figure.chart')].map(f => f.dataset.chart)")
        .await
        .expect("chart kinds");
    kinds
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "current_thread")]
async fn two_weeks_of_readings_show_as_numbers_charts_and_tables() {
    let app = App::launch("trends").await.expect("app launches");
    app.create_journal(PASSPHRASE).await.expect("first run");
    let mut app = app
        .restart_after(import_recent_readings)
        .await
        .expect("restarted");
    app.type_into("#passphrase", PASSPHRASE)
        .await
        .expect("type");
    app.click_button("Unlock").await.expect("unlock");
    app.wait_for("nav[aria-label='Main']")
        .await
        .expect("unlocked");

    app.open_screen("trends").await.expect("trends");
    let kinds = charts_shown(&app).await;
    for kind in [
        "tir",
        "agp",
        "glucose",
        "daily",
        "bp",
        "weight",
        "spo2",
        "temperature",
        "heart_rate",
    ] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "no {kind} chart in {kinds:?}"
        );
    }
    let numbers = app
        .text("#glucose-title + dl")
        .await
        .expect("glucose numbers");
    assert!(numbers.contains("Time in range"), "{numbers}");
    let caption = app
        .text("figure[data-chart='agp'] figcaption p")
        .await
        .expect("agp text alternative");
    assert!(
        caption.starts_with("Median glucose by time of day"),
        "{caption}"
    );
    let alt = app
        .eval("return document.querySelector(\"figure[data-chart='tir'] img\").alt")
        .await
        .expect("alt");
    assert!(
        alt.as_str().is_some_and(|a| a.contains("Time in ranges")),
        "{alt}"
    );
    app.screenshot("two-weeks").await.expect("screenshot");
    app.eval("document.querySelector(\"figure[data-chart='agp']\").scrollIntoView()")
        .await
        .expect("scroll");
    app.screenshot("ambulatory-glucose-profile")
        .await
        .expect("screenshot");

    // The numbers behind the time-in-ranges bar, as a table.
    app.click("figure[data-chart='tir'] summary")
        .await
        .expect("open table");
    let table = app
        .text("figure[data-chart='tir'] table")
        .await
        .expect("table");
    assert!(
        table.contains("In range") && table.contains("Very low"),
        "{table}"
    );
    app.eval("document.querySelector(\"figure[data-chart='tir']\").scrollIntoView()")
        .await
        .expect("scroll");
    app.screenshot("time-in-ranges-table")
        .await
        .expect("screenshot");

    app.eval("document.querySelector(\"figure[data-chart='bp']\").scrollIntoView()")
        .await
        .expect("scroll");
    app.screenshot("blood-pressure").await.expect("screenshot");

    // Ninety days: the same readings, a period that says so.
    app.eval("window.scrollTo(0, 0)").await.expect("scroll");
    app.click("input[name='period'][value='90']")
        .await
        .expect("90 days");
    app.wait_until(
        "return document.querySelector('.period')?.textContent.includes('90 days')",
        "the 90-day period is shown",
    )
    .await
    .expect("90 days");
    charts_shown(&app).await;
    app.screenshot("ninety-days").await.expect("screenshot");

    // Dark ink for a dark page, drawn anew.
    app.eval("document.documentElement.dataset.theme = 'dark'")
        .await
        .expect("dark");
    app.click("input[name='period'][value='14']")
        .await
        .expect("14 days");
    app.wait_until(
        "return document.querySelector('.period')?.textContent.includes('14 days')",
        "back to 14 days",
    )
    .await
    .expect("14 days");
    charts_shown(&app).await;
    app.screenshot("two-weeks-dark").await.expect("screenshot");

    // An alert the patient turns on: a very low glucose typed in shows on Today with what to
    // do (and as a notification where the desktop shows them).
    app.eval("document.documentElement.dataset.theme = 'light'")
        .await
        .expect("light");
    app.open_screen("settings").await.expect("settings");
    app.click("input[name='alert-glucose_very_low']")
        .await
        .expect("turn the alert on");
    app.wait_until(
        "return [...document.querySelectorAll('[role=status]')].some(e => e.textContent.includes('Very low glucose: on'))",
        "the alert is on",
    )
    .await
    .expect("alert on");
    app.eval("document.querySelector('#alerts-title').scrollIntoView()")
        .await
        .expect("scroll");
    app.screenshot("alert-settings").await.expect("screenshot");
    app.open_screen("journal").await.expect("journal");
    app.click_button("Add entry").await.expect("add");
    app.type_into("input[name='value']", "2.5")
        .await
        .expect("value");
    app.click_button("Add").await.expect("save");
    app.wait_for(".unusual").await.expect("asked to confirm");
    app.click_button("Save anyway").await.expect("confirm");
    app.wait_until(
        "return !document.querySelector('dialog[open]')",
        "the form closes",
    )
    .await
    .expect("saved");
    app.open_screen("today").await.expect("today");
    let alert = app
        .text("li.alert[data-alert='glucose_very_low']")
        .await
        .expect("the alert shows on Today");
    assert!(alert.contains("Very low glucose: 2.5 mmol/L"), "{alert}");
    assert!(alert.contains("measure again in 15 minutes"), "{alert}");
    app.screenshot("today-with-alert")
        .await
        .expect("screenshot");

    // The doctor's report: a preview of its first page, then the PDF where the patient picks.
    app.open_screen("report").await.expect("report");
    app.type_into("input[name='patient-name']", "Anna Example")
        .await
        .expect("name");
    let preview = app
        .wait_for_value(
            "const p = document.querySelector('.preview [role=status]'); return p && p.textContent.includes('pages') ? p.textContent : null",
            "the report preview",
        )
        .await
        .expect("preview");
    let preview = preview.as_str().unwrap_or_default().to_owned();
    assert!(preview.contains("the PDF has"), "{preview}");
    app.screenshot("report-preview").await.expect("screenshot");
    let pdf = app.data_home().join("visit.pdf");
    app.click_button("Save PDF…").await.expect("save");
    dialog::answer(
        FileDialog::Save,
        "Save the report for your doctor (not encrypted)",
        &pdf,
    )
    .await
    .expect("the save dialog takes the path");
    app.wait_for(".saved").await.expect("saved");
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Health report") && text.contains("Anna Example"),
        "{text}"
    );
    assert!(text.contains("time in range"), "{text}");
    app.eval("document.querySelector('.saved').scrollIntoView()")
        .await
        .expect("scroll");
    app.screenshot("report-saved").await.expect("screenshot");

    // A narrow window: everything reflows, nothing scrolls sideways.
    app.open_screen("trends").await.expect("trends");
    charts_shown(&app).await;
    app.client()
        .set_window_size(720, 900)
        .await
        .expect("narrow window");
    app.wait_until("return window.innerWidth <= 720", "the window is narrow")
        .await
        .expect("narrow");
    let sideways = app
        .eval("return document.documentElement.scrollWidth > window.innerWidth")
        .await
        .expect("scroll width");
    assert_eq!(
        sideways,
        serde_json::Value::Bool(false),
        "the page scrolls sideways at 720 px"
    );
    app.screenshot("two-weeks-720px").await.expect("screenshot");
    // The bottom bar keeps a way to lock (the sidebar's button is not there at this width).
    app.click_button("Lock")
        .await
        .expect("Lock is reachable at 720 px");
    app.wait_for("#passphrase").await.expect("unlock screen");
    app.close().await.expect("closed");
}
