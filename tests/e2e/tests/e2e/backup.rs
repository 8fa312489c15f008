//! Your data, as a patient moving to a new computer meets it: a backup saved through the native
//! Save dialog, an export that asks for the passphrase first, and first run on "another device"
//! (a second app with an empty data folder) restoring the backup through the Open dialog, then
//! importing the export for what the backup did not have. Afterwards no file the first app left
//! behind holds the note in plaintext (SECURITY.md §8 goal 2).

use vitalog_e2e::{App, FileDialog, dialog};

const PASSPHRASE: &str = "copper meadow violin 1987";
const NOTE: &str = "after the long walk";

/// Adds a glucose reading (`value` mmol/L, with `note` if not empty) on the Journal screen.
async fn add_glucose(app: &App, value: &str, note: &str) {
    app.open_screen("journal").await.expect("journal screen");
    app.click_button("Add entry").await.expect("add");
    app.type_into("input[name='value']", value)
        .await
        .expect("value");
    if !note.is_empty() {
        app.type_into("textarea[name='note']", note)
            .await
            .expect("note");
    }
    app.click_button("Add").await.expect("save");
    // An earlier entry may already be listed, and the form is a modal that swallows clicks on
    // the navigation until it closes: wait for both the closed form and the new value.
    app.wait_until(
        &format!(
            "return !document.querySelector('dialog[open]') && [...document.querySelectorAll('li.entry .value')].some(e => e.textContent.startsWith('{value} '))"
        ),
        "the form closes and the entry is listed",
    )
    .await
    .expect("entry listed");
}

/// First run, one glucose reading (`value` mmol/L, with `note` if not empty), then a backup to
/// `backup` through the native Save dialog; ends on Settings.
async fn journal_with_a_backup(app: &App, value: &str, note: &str, backup: &std::path::Path) {
    app.wait_for("#new-passphrase").await.expect("first run");
    app.create_journal(PASSPHRASE)
        .await
        .expect("journal created");
    add_glucose(app, value, note).await;
    app.open_screen("settings").await.expect("settings");
    app.click_button("Back up now…").await.expect("back up");
    dialog::answer(FileDialog::Save, "Save a backup of your journal", backup)
        .await
        .expect("the save dialog takes the path");
    app.wait_for(".task:has(#backup-title) [role='status']")
        .await
        .expect("backup saved");
}

/// On the restore form: picks `backup` through the Open dialog, types the passphrase (the
/// screenshot `step` shows the filled form), restores, and waits for the journal to open.
async fn restore_through_the_form(app: &mut App, backup: &std::path::Path, step: &str) {
    app.click_button("Choose the backup file…")
        .await
        .expect("choose");
    dialog::answer(FileDialog::Open, "Choose a Vitalog backup", backup)
        .await
        .expect("the open dialog takes the path");
    let chosen = app.text(".file").await.expect("file chosen");
    let name = backup.file_name().and_then(|n| n.to_str()).expect("a name");
    assert!(chosen.contains(name), "{chosen}");
    app.type_into("#restore-passphrase", PASSPHRASE)
        .await
        .expect("passphrase");
    app.screenshot(step).await.expect("screenshot");
    app.click_button("Restore journal").await.expect("restore");
    app.wait_for("nav[aria-label='Main']")
        .await
        .expect("the restored journal opens");
}

#[tokio::test(flavor = "current_thread")]
async fn a_backup_restores_on_another_device_and_an_export_holds_the_entries() {
    let files = tempfile::tempdir().expect("temp dir");
    let backup = files.path().join("moving-day.vitalog-backup");
    let export = files.path().join("for-my-doctor.csv");

    let mut app = App::launch("backup-and-restore")
        .await
        .expect("app launches");
    journal_with_a_backup(&app, "7.2", NOTE, &backup).await;
    app.wait_for("#data-title").await.expect("your data");
    let saved = app
        .text(".task:has(#backup-title) [role='status']")
        .await
        .expect("backup saved");
    assert!(saved.contains("moving-day.vitalog-backup"), "{saved}");
    app.eval("document.querySelector('#data-title').scrollIntoView()")
        .await
        .expect("scroll");
    app.screenshot("backup-saved").await.expect("screenshot");
    let bytes = std::fs::read(&backup).expect("the backup file exists");
    assert!(bytes.starts_with(b"VTLGBKUP"), "a Vitalog backup");
    assert!(
        !bytes.windows(NOTE.len()).any(|w| w == NOTE.as_bytes()),
        "the backup is encrypted"
    );

    // A reading taken after the backup: the export has it, the backup does not.
    add_glucose(&app, "5.4", "").await;
    app.open_screen("settings").await.expect("settings");

    // The export asks for the passphrase before any dialog opens; a wrong one writes nothing.
    app.click_button("Export…").await.expect("export");
    app.type_into("#export-passphrase", "not the passphrase")
        .await
        .expect("passphrase");
    app.click_button("Choose where to save…")
        .await
        .expect("export");
    let refused = app
        .text(".task:has(#export-title) [role='alert']")
        .await
        .expect("refused");
    assert!(refused.contains("not your passphrase"), "{refused}");
    app.type_into("#export-passphrase", PASSPHRASE)
        .await
        .expect("passphrase");
    app.screenshot("export-form").await.expect("screenshot");
    app.click_button("Choose where to save…")
        .await
        .expect("export");
    dialog::answer(
        FileDialog::Save,
        "Export your journal (not encrypted)",
        &export,
    )
    .await
    .expect("the save dialog takes the path");
    let exported = app
        .text(".task:has(#export-title) [role='status']")
        .await
        .expect("exported");
    assert!(exported.contains("Exported 2 entries"), "{exported}");
    app.screenshot("exported").await.expect("screenshot");
    let csv = std::fs::read_to_string(&export).expect("the export exists");
    assert!(
        csv.contains(NOTE) && csv.contains("7.2") && csv.contains("5.4"),
        "{csv}"
    );

    // Nothing the app (or its WebView: local storage, caches) left in its data folder holds
    // the note in any encoding, nor does anything it printed (app-output.log there, SECURITY.md
    // goal 12); only the export the patient asked for does.
    let data = app.close_keeping_data().await.expect("close");
    assert!(data.path().join("app-output.log").exists());
    for secret in [NOTE, PASSPHRASE] {
        let leaks = vitalog_e2e::files_containing(data.path(), secret);
        assert!(leaks.is_empty(), "{secret:?} is readable in {leaks:?}");
    }
    assert_eq!(
        vitalog_e2e::files_containing(files.path(), NOTE),
        vec![export.clone()]
    );

    // Another device: first run offers to restore instead of creating a journal.
    let mut other = App::launch("restore-on-another-device")
        .await
        .expect("second app launches");
    other.wait_for("#new-passphrase").await.expect("first run");
    other
        .click_button("Restore from a backup")
        .await
        .expect("restore");
    restore_through_the_form(&mut other, &backup, "restore-form").await;
    other.open_screen("journal").await.expect("journal screen");
    other
        .wait_for("li.entry")
        .await
        .expect("the entry came back");
    other
        .screenshot("restored-journal")
        .await
        .expect("screenshot");
    let value = other
        .eval("return document.querySelector('li.entry .value').textContent.trim()")
        .await
        .expect("the entry's value");
    assert_eq!(value, "7.2 mmol/L");
    let entry = other.text("li.entry").await.expect("the entry");
    assert!(entry.contains(NOTE), "{entry}");
    let listed = "return document.querySelectorAll('li.entry').length";
    assert_eq!(other.eval(listed).await.expect("entries"), 1);

    // The export brings what the backup missed; the entry both hold is not doubled.
    other.open_screen("settings").await.expect("settings");
    other
        .click_button("Import an export…")
        .await
        .expect("import");
    dialog::answer(FileDialog::Open, "Import a Vitalog export", &export)
        .await
        .expect("the open dialog takes the path");
    let imported = other
        .text(".task:has(#import-title) [role='status']")
        .await
        .expect("imported");
    assert_eq!(
        imported,
        "Added 1 entry from for-my-doctor.csv; 1 entry was already in your journal."
    );
    other
        .eval("document.querySelector('#import-title').scrollIntoView()")
        .await
        .expect("scroll");
    other.screenshot("imported").await.expect("screenshot");
    other.open_screen("journal").await.expect("journal screen");
    other
        .wait_until(
            "return document.querySelectorAll('li.entry').length === 2",
            "both entries listed",
        )
        .await
        .expect("the imported entry is listed");
    other
        .screenshot("journal-after-import")
        .await
        .expect("screenshot");
    other.close().await.expect("close");
}

/// A journal damaged on disk (one flipped byte): unlocking says so and offers to restore a
/// backup in its place; the damaged journal is kept, unchanged, and the backup's entry is back.
#[tokio::test(flavor = "current_thread")]
async fn a_damaged_journal_is_kept_aside_and_a_backup_takes_its_place() {
    let files = tempfile::tempdir().expect("temp dir");
    let backup = files.path().join("before-the-crash.vitalog-backup");
    let app = App::launch("damaged-journal").await.expect("app launches");
    journal_with_a_backup(&app, "6.6", "", &backup).await;

    // Locking writes everything into journal.db; then, with the app closed, the disk damages
    // a byte of its second page.
    app.click_button("Lock").await.expect("lock");
    app.wait_for("#passphrase").await.expect("locked");
    let mut damaged_bytes = Vec::new();
    let mut app = app
        .restart_after(|home| {
            let db = home.join("data/vitalog/journal.db");
            let mut bytes = std::fs::read(&db).expect("journal.db");
            // Pages are 16 KiB (the key file's page layout).
            bytes[16384 + 300] ^= 0x40;
            std::fs::write(&db, &bytes).expect("damage");
            damaged_bytes = bytes;
        })
        .await
        .expect("app restarts");
    app.type_into("#passphrase", PASSPHRASE)
        .await
        .expect("passphrase");
    app.click_button("Unlock").await.expect("unlock");
    let alert = app.text("[role='alert']").await.expect("damage reported");
    assert!(alert.contains("damaged"), "{alert}");
    app.screenshot("damage-reported").await.expect("screenshot");
    app.click_button("Restore from a backup…")
        .await
        .expect("restore instead");
    let kept = app.text(".notice .path").await.expect("where it was kept");
    let kept = std::path::PathBuf::from(kept);
    assert_eq!(
        std::fs::read(kept.join("journal.db")).expect("kept"),
        damaged_bytes,
        "the damaged journal is kept byte for byte"
    );

    restore_through_the_form(&mut app, &backup, "restore-in-its-place").await;
    app.open_screen("journal").await.expect("journal screen");
    // The journal screen lists its first page only after the backend answers.
    let value = app
        .wait_for_value(
            "return document.querySelector('li.entry .value')?.textContent.trim() ?? null",
            "the journal lists the restored entry",
        )
        .await
        .expect("value");
    assert_eq!(value, "6.6 mmol/L");
    app.screenshot("journal-after-restore")
        .await
        .expect("screenshot");
    app.close().await.expect("close");
}
