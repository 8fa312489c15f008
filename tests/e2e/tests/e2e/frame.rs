//! The app frame: it starts, every screen opens, and it works with the keyboard alone.

use vitalog_e2e::App;

const PASSPHRASE: &str = "quartz lantern orbit marmalade";
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

const SCREENS: [(&str, &str); 7] = [
    ("today", "Today"),
    ("devices", "Devices"),
    ("journal", "Journal"),
    ("trends", "Trends"),
    ("report", "Report"),
    ("sharing", "Sharing"),
    ("settings", "Settings"),
];

async fn heading(app: &App) -> String {
    app.wait_for("main h1")
        .await
        .expect("a screen heading")
        .text()
        .await
        .expect("heading text")
}

async fn focused_text(app: &App) -> String {
    let value = app
        .eval("return document.activeElement?.textContent?.trim() ?? ''")
        .await;
    value
        .expect("active element")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "current_thread")]
async fn the_frame_starts_and_every_screen_opens() {
    let mut app = App::launch("frame-navigation").await.expect("app launches");
    app.create_journal(PASSPHRASE).await.expect("first run");
    assert_eq!(heading(&app).await, "Today");
    let title = app.eval("return document.title").await.expect("title");
    assert_eq!(title, "Vitalog");
    app.screenshot("today").await.expect("screenshot");

    for (id, label) in SCREENS.iter().skip(1) {
        let link = app
            .wait_for(&format!("nav a[data-screen='{id}']"))
            .await
            .expect("nav link");
        link.click().await.expect("click");
        app.wait_for(&format!("main[data-screen='{id}']"))
            .await
            .expect("screen shown");
        assert_eq!(heading(&app).await, *label);
        let current = link.attr("aria-current").await.expect("attr");
        assert_eq!(
            current.as_deref(),
            Some("page"),
            "{label} is marked as the current page"
        );
        app.screenshot(id).await.expect("screenshot");
    }
    app.close().await.expect("close");
}

#[tokio::test(flavor = "current_thread")]
async fn the_frame_works_with_the_keyboard_alone() {
    let mut app = App::launch("frame-keyboard").await.expect("app launches");
    app.create_journal(PASSPHRASE).await.expect("first run");

    // The first Tab reaches the skip link, which jumps past the navigation.
    app.eval("document.body.focus()").await.expect("focus body");
    app.press(TAB).await.expect("tab");
    assert_eq!(focused_text(&app).await, "Skip to content");
    app.screenshot("skip-link").await.expect("screenshot");
    app.press(ENTER).await.expect("enter");
    let focused_id = app
        .eval("return document.activeElement?.id")
        .await
        .expect("active");
    assert_eq!(focused_id, "main");

    // From the top again (the skip link; the body cannot take focus back from the screen,
    // and the screen may hold buttons): Tab past Today to Devices, and open it.
    app.eval("document.querySelector('.skip-link').focus()")
        .await
        .expect("focus the skip link");
    for _ in 0..2 {
        app.press(TAB).await.expect("tab");
    }
    assert_eq!(focused_text(&app).await, "Devices");
    app.screenshot("devices-link-focused")
        .await
        .expect("screenshot");
    app.press(ENTER).await.expect("enter");
    app.wait_for("main[data-screen='devices']")
        .await
        .expect("devices screen");
    // Focus lands on the new screen's heading, so a screen reader announces it.
    let focused = app
        .eval("return document.activeElement?.tagName")
        .await
        .expect("active");
    assert_eq!(focused, "H1");
    assert_eq!(focused_text(&app).await, "Devices");
    app.screenshot("devices-opened").await.expect("screenshot");
    app.close().await.expect("close");
}

#[tokio::test(flavor = "current_thread")]
async fn dark_mode_and_larger_text_apply_at_once() {
    let mut app = App::launch("frame-appearance").await.expect("app launches");
    app.create_journal(PASSPHRASE).await.expect("first run");
    app.wait_for("nav a[data-screen='settings']")
        .await
        .expect("nav")
        .click()
        .await
        .expect("click");
    app.wait_for("input[name='theme'][value='dark']")
        .await
        .expect("theme choice");
    app.eval("document.querySelector(\"input[name='theme'][value='dark']\").click()")
        .await
        .expect("choose dark");
    app.eval("document.querySelector(\"input[name='text-size'][value='larger']\").click()")
        .await
        .expect("choose larger text");
    let theme = app
        .eval("return document.documentElement.dataset.theme")
        .await
        .expect("theme");
    assert_eq!(theme, "dark");
    let size = app
        .eval("return document.documentElement.dataset.textSize")
        .await
        .expect("size");
    assert_eq!(size, "larger");
    // The About box shows the version the Rust side reports, through the real IPC bridge.
    // The box says "Loading…" until the backend answers.
    let about = app
        .wait_for_value(
            "const p = document.querySelector(\"section[aria-labelledby='about-title'] p\"); \
             return p && p.textContent !== 'Loading…' ? p.textContent : null",
            "the About box is filled in",
        )
        .await
        .expect("about");
    let about = about.as_str().unwrap_or_default();
    assert!(about.contains(env!("CARGO_PKG_VERSION")), "{about}");
    app.screenshot("settings-dark-larger")
        .await
        .expect("screenshot");
    app.close().await.expect("close");
}
