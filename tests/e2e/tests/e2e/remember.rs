//! "Remember on this device" with a real Secret Service (gnome-keyring on the private session
//! bus `make test` runs the suite in): chosen at first run, the app unlocks by itself when it
//! starts, waits to be asked after a lock, and asks for the passphrase again once it is off.

use vitalog_e2e::App;

const PASSPHRASE: &str = "amber tortoise lighthouse 73";

#[tokio::test(flavor = "current_thread")]
async fn this_device_unlocks_by_itself_until_the_patient_turns_it_off() {
    // Never against a developer's own keyring.
    assert!(
        std::env::var_os("VITALOG_IN_SECRET_SERVICE").is_some(),
        "run under tests/keyring/with-secret-service.sh (make test does)"
    );
    let mut app = App::launch("remember-on-this-device")
        .await
        .expect("app launches");
    app.wait_for("#new-passphrase").await.expect("first run");
    app.type_into("#new-passphrase", PASSPHRASE)
        .await
        .expect("passphrase");
    app.type_into("#confirm-passphrase", PASSPHRASE)
        .await
        .expect("again");
    app.click("label.check:has(input) input")
        .await
        .expect("tick remember");
    app.click_button("Create journal").await.expect("create");
    app.wait_for(".recovery-key").await.expect("recovery key");
    let problem = app
        .eval("return document.querySelector('.notice')?.textContent ?? null")
        .await
        .expect("notice");
    assert_eq!(
        problem,
        serde_json::Value::Null,
        "the keychain took the key"
    );
    app.click("input[type='checkbox']")
        .await
        .expect("written down");
    app.click_button("Continue").await.expect("continue");
    app.wait_for("nav[aria-label='Main']").await.expect("app");

    // After a lock the device key waits to be asked for; one click unlocks.
    app.click_button("Lock").await.expect("lock");
    app.wait_for("#passphrase").await.expect("unlock screen");
    app.screenshot("locked-remembered")
        .await
        .expect("screenshot");
    app.click_button("Unlock with this device")
        .await
        .expect("device unlock");
    app.wait_for("nav[aria-label='Main']")
        .await
        .expect("unlocked without the passphrase");

    // Turned off in Settings, the passphrase is needed again.
    app.open_screen("settings").await.expect("settings");
    app.click_button("Ask for the passphrase again")
        .await
        .expect("turn off");
    let done = app
        .text("#device-title ~ p.ok")
        .await
        .expect("confirmation");
    assert!(done.contains("passphrase is needed again"), "{done}");
    app.eval("document.querySelector('#device-title').scrollIntoView()")
        .await
        .expect("scroll");
    app.screenshot("turned-off").await.expect("screenshot");
    app.click_button("Lock").await.expect("lock");
    app.wait_for("#passphrase").await.expect("unlock screen");
    let device_button = app
        .eval("return [...document.querySelectorAll('button')].some(b => b.textContent.includes('Unlock with this device'))")
        .await
        .expect("buttons");
    assert_eq!(device_button, serde_json::Value::Bool(false));

    // On again (with the passphrase) from Settings.
    app.type_into("#passphrase", PASSPHRASE)
        .await
        .expect("type");
    app.click_button("Unlock").await.expect("unlock");
    app.open_screen("settings").await.expect("settings");
    app.click_button("Unlock without the passphrase…")
        .await
        .expect("turn on");
    app.type_into("#remember-passphrase", PASSPHRASE)
        .await
        .expect("type");
    app.click_button("Turn on").await.expect("on");
    let done = app
        .text("#device-title ~ p.ok")
        .await
        .expect("confirmation");
    assert!(done.contains("without the passphrase"), "{done}");

    // The next start opens the journal with no passphrase typed.
    let mut app = app.restart().await.expect("app restarts");
    app.wait_for("nav[aria-label='Main']")
        .await
        .expect("unlocked by this device at start");
    app.screenshot("unlocked-at-start")
        .await
        .expect("screenshot");
    app.close().await.expect("close");
}
