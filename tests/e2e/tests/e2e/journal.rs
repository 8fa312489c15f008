//! The journal as a patient meets it: first run, lock and unlock (a wrong passphrase too),
//! then adding, editing, deleting and undoing entries.

use vitalog_e2e::App;

const PASSPHRASE: &str = "quartz lantern orbit marmalade";

/// The script that lists the journal's entry values, top to bottom.
const ENTRY_VALUES: &str =
    "[...document.querySelectorAll('li.entry .value')].map(e => e.textContent.trim())";

async fn entry_values(app: &App) -> Vec<String> {
    let values = app
        .eval(&format!("return {ENTRY_VALUES}"))
        .await
        .expect("entry values");
    serde_json::from_value(values).expect("a list of strings")
}

/// Waits until the journal lists exactly `expected`; the assertion shows what it lists if not.
async fn wait_until_values(app: &App, expected: &[&str]) {
    let expected_json = serde_json::to_string(expected).expect("strings serialise");
    // After a timeout the assertion shows what the journal lists instead.
    let _timed_out = app
        .wait_until(
            &format!("return JSON.stringify({ENTRY_VALUES}) === JSON.stringify({expected_json})"),
            "the journal lists the expected entries",
        )
        .await;
    assert_eq!(entry_values(app).await, expected);
}

#[tokio::test(flavor = "current_thread")]
async fn first_run_lock_and_unlock_with_a_wrong_passphrase_first() {
    let mut app = App::launch("first-run-and-unlock")
        .await
        .expect("app launches");
    app.wait_for("#new-passphrase")
        .await
        .expect("first run screen");
    app.screenshot("first-run").await.expect("screenshot");

    app.type_into("#new-passphrase", "password1")
        .await
        .expect("type");
    // The meter appears once the backend has scored what was typed; until then the hint says
    // "At least 8 characters".
    app.wait_for(".meter").await.expect("strength meter");
    let weak = app.text("#strength").await.expect("strength");
    assert!(weak.contains("Strength: very weak."), "{weak}");
    app.screenshot("weak-passphrase").await.expect("screenshot");

    app.type_into("#new-passphrase", PASSPHRASE)
        .await
        .expect("type");
    app.type_into("#confirm-passphrase", PASSPHRASE)
        .await
        .expect("type");
    app.screenshot("strong-passphrase")
        .await
        .expect("screenshot");
    app.click_button("Create journal").await.expect("create");
    let recovery_key = app.text(".recovery-key").await.expect("recovery key shown");

    // The key can be kept as a file (and printed) besides being written down.
    let key_file = app.data_home().join("recovery-key.txt");
    app.click_button("Save as a file…")
        .await
        .expect("save the key");
    vitalog_e2e::dialog::answer(
        vitalog_e2e::FileDialog::Save,
        "Save your recovery key",
        &key_file,
    )
    .await
    .expect("the save dialog takes the path");
    app.wait_until(
        "return [...document.querySelectorAll('[role=status]')].some(e => e.textContent.startsWith('Saved to'))",
        "the key is saved",
    )
    .await
    .expect("saved");
    let sheet = std::fs::read_to_string(&key_file).expect("the key file");
    assert!(sheet.contains(recovery_key.trim()), "{sheet}");
    assert!(sheet.contains("away from this computer"));
    app.click_button("Print…").await.expect("print");
    vitalog_e2e::dialog::dismiss("Print")
        .await
        .expect("the print dialog opens");
    assert!(recovery_key.len() >= 20, "{recovery_key}");
    app.screenshot("recovery-key").await.expect("screenshot");
    app.click("input[type='checkbox']")
        .await
        .expect("tick saved");
    app.click_button("Continue").await.expect("continue");
    app.wait_for("nav[aria-label='Main']")
        .await
        .expect("the app opens");

    // The journal exists on disk, encrypted: not a plain SQLite file.
    let db = app.data_home().join("data/vitalog/journal.db");
    let head = std::fs::read(&db).expect("journal.db written");
    assert!(
        !head.starts_with(b"SQLite format 3"),
        "the journal file is encrypted"
    );

    app.click_button("Lock").await.expect("lock");
    app.wait_for("#passphrase").await.expect("unlock screen");
    app.type_into("#passphrase", "not my passphrase")
        .await
        .expect("type");
    app.click_button("Unlock").await.expect("unlock");
    let alert = app.text("[role='alert']").await.expect("an error is shown");
    assert!(alert.contains("did not unlock"), "{alert}");
    app.screenshot("wrong-passphrase")
        .await
        .expect("screenshot");

    app.type_into("#passphrase", PASSPHRASE)
        .await
        .expect("type");
    app.click_button("Unlock").await.expect("unlock");
    app.wait_for("nav[aria-label='Main']")
        .await
        .expect("unlocked again");
    app.screenshot("unlocked").await.expect("screenshot");
    app.close().await.expect("close");
}

#[tokio::test(flavor = "current_thread")]
async fn add_edit_delete_and_undo_entries() {
    let mut app = App::launch("journal-entries").await.expect("app launches");
    app.create_journal(PASSPHRASE).await.expect("first run");
    app.open_screen("journal").await.expect("open journal");
    app.wait_for("main[data-screen='journal']")
        .await
        .expect("journal screen");
    app.screenshot("opened").await.expect("screenshot");
    app.wait_for(".empty").await.expect("empty journal");
    app.screenshot("empty").await.expect("screenshot");

    // A glucose reading, the form's default kind.
    app.click_button("Add entry").await.expect("add");
    app.type_into("input[name='value']", "5.8")
        .await
        .expect("value");
    app.eval("const m = document.querySelector(\"select[name='meal']\"); m.value = 'before'; m.dispatchEvent(new Event('change'))")
        .await
        .expect("meal");
    app.screenshot("add-glucose-form")
        .await
        .expect("screenshot");
    app.click_button("Add").await.expect("save");
    wait_until_values(&app, &["5.8 mmol/L · before a meal"]).await;

    // A blood pressure in the crisis range: the app asks before storing it.
    app.click_button("Add entry").await.expect("add");
    app.click("label.chip:has(input[value='bp'])")
        .await
        .expect("choose bp");
    app.type_into("input[name='systolic']", "190")
        .await
        .expect("systolic");
    app.type_into("input[name='diastolic']", "100")
        .await
        .expect("diastolic");
    app.type_into("input[name='pulse']", "71")
        .await
        .expect("pulse");
    app.click_button("Add").await.expect("save");
    let warning = app.text(".unusual").await.expect("unusual value warning");
    assert!(warning.contains("crisis"), "{warning}");
    app.screenshot("unusual-value").await.expect("screenshot");
    app.click_button("Save anyway").await.expect("confirm");
    wait_until_values(
        &app,
        &["190/100 mmHg · pulse 71", "5.8 mmol/L · before a meal"],
    )
    .await;
    app.screenshot("two-entries").await.expect("screenshot");

    // Edit the glucose value; its history keeps both versions.
    app.click("button[aria-label^='Edit Glucose']")
        .await
        .expect("edit");
    app.type_into("input[name='value']", "6.1")
        .await
        .expect("value");
    app.click_button("Save changes").await.expect("save");
    wait_until_values(
        &app,
        &["190/100 mmHg · pulse 71", "6.1 mmol/L · before a meal"],
    )
    .await;
    app.click("button[aria-label^='History of Glucose']")
        .await
        .expect("history");
    let history = app.text(".versions").await.expect("history list");
    assert!(
        history.contains("Added") && history.contains("Edited"),
        "{history}"
    );
    assert!(
        history.contains("5.8") && history.contains("6.1"),
        "{history}"
    );
    app.screenshot("history").await.expect("screenshot");
    app.click_button("Close").await.expect("close history");

    // Delete the blood pressure, then undo.
    app.click("button[aria-label^='Delete Blood pressure']")
        .await
        .expect("delete");
    wait_until_values(&app, &["6.1 mmol/L · before a meal"]).await;
    app.screenshot("deleted").await.expect("screenshot");
    app.click_button("Undo").await.expect("undo");
    wait_until_values(
        &app,
        &["190/100 mmHg · pulse 71", "6.1 mmol/L · before a meal"],
    )
    .await;
    app.screenshot("undone").await.expect("screenshot");
    app.close().await.expect("close");
}

#[tokio::test(flavor = "current_thread")]
async fn change_the_passphrase_make_a_new_recovery_key_then_erase_everything() {
    let mut app = App::launch("settings-security")
        .await
        .expect("app launches");
    let recovery_key = app.create_journal(PASSPHRASE).await.expect("first run");
    app.open_screen("settings").await.expect("open settings");

    let replacement = "velvet harbour compass thistle";
    app.type_into("#current-passphrase", PASSPHRASE)
        .await
        .expect("current");
    app.type_into("#next-passphrase", replacement)
        .await
        .expect("new");
    app.type_into("#confirm-next-passphrase", replacement)
        .await
        .expect("again");
    app.click_button("Change passphrase").await.expect("change");
    let done = app.text("p.ok").await.expect("confirmation");
    assert!(done.contains("Passphrase changed"), "{done}");
    app.screenshot("passphrase-changed")
        .await
        .expect("screenshot");

    // A new recovery key, confirmed with the passphrase just set (the open journal knows it
    // without a lock in between): the journal is encrypted again; the old key stops working.
    let old_recovery_key = recovery_key;
    app.click_button("Make a new recovery key…")
        .await
        .expect("open new key");
    app.type_into("#new-key-passphrase", replacement)
        .await
        .expect("passphrase");
    app.click_button("Make a new recovery key")
        .await
        .expect("new key");
    let new_recovery_key = app
        .text(".recovery-key")
        .await
        .expect("the new key is shown");
    assert_ne!(new_recovery_key, old_recovery_key);
    app.eval("document.querySelector('#new-key-title').scrollIntoView()")
        .await
        .expect("scroll");
    app.screenshot("new-recovery-key")
        .await
        .expect("screenshot");
    app.click("#new-key-title ~ .check input")
        .await
        .expect("tick written down");
    app.click_button("Done").await.expect("done");
    app.click_button("Lock").await.expect("lock");
    app.click_button("Forgot your passphrase? Use your recovery key")
        .await
        .expect("use recovery key");
    app.type_into("#recovery-key", &old_recovery_key)
        .await
        .expect("old key");
    app.click_button("Unlock").await.expect("unlock");
    let refused = app.text("[role='alert']").await.expect("refused");
    assert!(refused.contains("did not unlock"), "{refused}");
    app.type_into("#recovery-key", &new_recovery_key)
        .await
        .expect("new key");
    app.click_button("Unlock").await.expect("unlock");
    app.wait_for("nav[aria-label='Main']")
        .await
        .expect("unlocked with the new recovery key");

    // The old passphrase no longer opens the journal; the new one does.
    app.click_button("Lock").await.expect("lock");
    app.type_into("#passphrase", PASSPHRASE).await.expect("old");
    app.click_button("Unlock").await.expect("unlock");
    let refused = app.text("[role='alert']").await.expect("refused");
    assert!(refused.contains("did not unlock"), "{refused}");
    app.type_into("#passphrase", replacement)
        .await
        .expect("new");
    app.click_button("Unlock").await.expect("unlock");
    app.wait_for("nav[aria-label='Main']")
        .await
        .expect("unlocked with the new passphrase");

    // Erasing asks for the passphrase, then leaves no journal behind.
    app.open_screen("settings").await.expect("open settings");
    app.click_button("Erase everything…")
        .await
        .expect("open erase");
    app.type_into("#erase-passphrase", replacement)
        .await
        .expect("passphrase");
    app.screenshot("erase-confirm").await.expect("screenshot");
    app.click_button("Erase everything now")
        .await
        .expect("erase");
    app.wait_for("#new-passphrase")
        .await
        .expect("back at first run");
    let folder = app.data_home().join("data/vitalog");
    let left: Vec<_> = std::fs::read_dir(&folder)
        .map(|dir| dir.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "files left after erase: {left:?}");
    app.screenshot("erased").await.expect("screenshot");
    app.close().await.expect("close");
}
