//! One launched app under WebDriver, with a private data folder and numbered screenshots.

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::driver::{Driver, HarnessError};

/// How long to wait for the app to show something before failing.
const WAIT: Duration = Duration::from_secs(30);

/// Where screenshots go: `target/e2e-shots/<scenario>/NN-step.png` (or `$VITALOG_E2E_SHOTS`).
fn shots_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("VITALOG_E2E_SHOTS") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-shots")
}

/// The real Vitalog app, started fresh with an empty data folder of its own.
pub struct App {
    client: Client,
    shots: PathBuf,
    step: u32,
    // Field order matters: the session closes before the driver and the data folder go.
    _driver: Driver,
    data_home: tempfile::TempDir,
}

impl App {
    /// Starts the app binary named by `VITALOG_APP` for the scenario `name`.
    pub async fn launch(name: &str) -> Result<Self, HarnessError> {
        Self::launch_with(name, &[]).await
    }

    /// Starts the app with `env` on top of its isolated environment (for instance a system
    /// bus with a mock BlueZ on it).
    pub async fn launch_with(
        name: &str,
        env: &[(&'static str, PathBuf)],
    ) -> Result<Self, HarnessError> {
        let data_home = tempfile::tempdir().map_err(|source| HarnessError::Io {
            context: "cannot create a temporary data folder".into(),
            source,
        })?;
        let shots = shots_root().join(name);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).map_err(|source| HarnessError::Io {
            context: format!("cannot create {}", shots.display()),
            source,
        })?;
        let (driver, client) = start_session(data_home.path(), env).await?;
        Ok(Self {
            client,
            shots,
            step: 0,
            _driver: driver,
            data_home,
        })
    }

    /// Closes the app and starts it again on the same data folder, as a patient does the
    /// next day; screenshots go on in the same numbering.
    pub async fn restart(self) -> Result<Self, HarnessError> {
        self.restart_after(|_| {}).await
    }

    /// Like [`App::restart`], with `meanwhile` run on the data folder while the app is closed
    /// (to damage a file, say).
    pub async fn restart_after(self, meanwhile: impl FnOnce(&Path)) -> Result<Self, HarnessError> {
        let App {
            client,
            shots,
            step,
            _driver,
            data_home,
        } = self;
        client
            .close()
            .await
            .map_err(|e| HarnessError::WebDriver(e.to_string()))?;
        drop(_driver);
        meanwhile(data_home.path());
        let (driver, client) = start_session(data_home.path(), &[]).await?;
        Ok(Self {
            client,
            shots,
            step,
            _driver: driver,
            data_home,
        })
    }

    /// The folder the app keeps its data in for this run.
    pub fn data_home(&self) -> &Path {
        self.data_home.path()
    }

    /// The WebDriver client, for anything the helpers below don't cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Waits up to 30 s for an element matching the CSS selector (creating a journal runs
    /// Argon2id, which takes seconds on a loaded machine).
    pub async fn wait_for(&self, css: &str) -> Result<Element, HarnessError> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| HarnessError::WebDriver(format!("waiting for {css}: {e}")))
    }

    /// Runs a script in the page and returns its result.
    pub async fn eval(&self, script: &str) -> Result<serde_json::Value, HarnessError> {
        self.client
            .execute(script, vec![])
            .await
            .map_err(|e| HarnessError::WebDriver(format!("script failed: {e}")))
    }

    /// Checks the page as it is now with axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) and
    /// fails with every violation found, naming the rule and the elements. `what` names the
    /// state for the message. axe-core comes from the UI's npm packages (`make test` installs
    /// them).
    pub async fn check_accessibility(&self, what: &str) -> Result<(), HarnessError> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../ui/node_modules/axe-core/axe.min.js");
        let axe = std::fs::read_to_string(&path).map_err(|source| HarnessError::Io {
            context: format!("cannot read axe-core at {} (npm ci in ui/)", path.display()),
            source,
        })?;
        // The library and the call go as one script: the page's content security policy
        // allows no eval.
        let script = format!(
            "{axe}\n;const done = arguments[arguments.length - 1];\n\
             axe.run(document, {{ runOnly: {{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }} }})\n\
               .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + \
                 v.nodes.map(n => n.target.join(' ')).join(', '))))\n\
               .catch(e => done(['axe failed: ' + e]));"
        );
        let found = self
            .client
            .execute_async(&script, vec![])
            .await
            .map_err(|e| HarnessError::WebDriver(format!("axe-core could not run: {e}")))?;
        let violations: Vec<String> = found
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(HarnessError::WebDriver(format!(
                "accessibility violations on {what}:\n{}",
                violations.join("\n")
            )))
        }
    }

    /// Presses keys on whatever element has focus (WebDriver key codes, e.g. "\u{E004}" = Tab).
    pub async fn press(&self, keys: &str) -> Result<(), HarnessError> {
        let focused = self
            .client
            .active_element()
            .await
            .map_err(|e| HarnessError::WebDriver(e.to_string()))?;
        focused
            .send_keys(keys)
            .await
            .map_err(|e| HarnessError::WebDriver(e.to_string()))
    }

    /// Saves a PNG of the window as the next numbered step of this scenario, then checks the
    /// same state with axe-core ([`App::check_accessibility`]): every state a scenario looks at
    /// is held to WCAG A and AA.
    ///
    /// WebKit may not have repainted yet when WebDriver grabs the frame, so wait two
    /// animation frames first; otherwise screenshots show the previous state.
    pub async fn screenshot(&mut self, step: &str) -> Result<PathBuf, HarnessError> {
        let settle = "const done = arguments[arguments.length - 1]; \
                      requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        self.client
            .execute_async(settle, vec![])
            .await
            .map_err(|e| HarnessError::WebDriver(format!("waiting for paint: {e}")))?;
        let png = self
            .client
            .screenshot()
            .await
            .map_err(|e| HarnessError::WebDriver(e.to_string()))?;
        self.step += 1;
        let path = self.shots.join(format!("{:02}-{step}.png", self.step));
        std::fs::write(&path, png).map_err(|source| HarnessError::Io {
            context: format!("cannot write {}", path.display()),
            source,
        })?;
        self.check_accessibility(&format!("step {:02}-{step}", self.step))
            .await?;
        Ok(path)
    }

    /// Waits up to 30 s until the script `condition` returns true; `what` names it in the
    /// failure.
    pub async fn wait_until(&self, condition: &str, what: &str) -> Result<(), HarnessError> {
        match self.wait_for_value(condition, what).await? {
            serde_json::Value::Bool(true) => Ok(()),
            other => Err(HarnessError::WebDriver(format!(
                "the condition for {what} returned {other}, not true or false"
            ))),
        }
    }

    /// Runs `script` every 50 ms for up to 30 s and returns its first result that is neither
    /// `null` nor `false`; `what` names it in the failure. One script both checks and reads, so
    /// a state that lasts only a moment (a sync's progress) is read while it holds.
    pub async fn wait_for_value(
        &self,
        script: &str,
        what: &str,
    ) -> Result<serde_json::Value, HarnessError> {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let value = self.eval(script).await?;
            if !matches!(
                value,
                serde_json::Value::Null | serde_json::Value::Bool(false)
            ) {
                return Ok(value);
            }
            if std::time::Instant::now() > deadline {
                return Err(HarnessError::WebDriver(format!("waiting until {what}")));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Chooses the option with `value` in the select matching the CSS selector.
    pub async fn select(&self, css: &str, value: &str) -> Result<(), HarnessError> {
        self.wait_for(css)
            .await?
            .select_by_value(value)
            .await
            .map_err(|e| HarnessError::WebDriver(format!("choosing {value:?} in {css}: {e}")))
    }

    /// Types `text` into the element matching the CSS selector, after clearing it.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<(), HarnessError> {
        let field = self.wait_for(css).await?;
        field
            .clear()
            .await
            .map_err(|e| HarnessError::WebDriver(format!("clearing {css}: {e}")))?;
        field
            .send_keys(text)
            .await
            .map_err(|e| HarnessError::WebDriver(format!("typing into {css}: {e}")))
    }

    /// Clicks the element matching the CSS selector.
    pub async fn click(&self, css: &str) -> Result<(), HarnessError> {
        let element = self.wait_for(css).await?;
        element
            .click()
            .await
            .map_err(|e| HarnessError::WebDriver(format!("clicking {css}: {e}")))
    }

    /// Opens a screen from the main navigation (`today`, `journal`, `settings`…), once no modal
    /// dialog covers it (a person cannot reach the navigation past one either).
    pub async fn open_screen(&self, screen: &str) -> Result<(), HarnessError> {
        self.wait_until(
            "return !document.querySelector('dialog[open]')",
            &format!("no open dialog covers the navigation to {screen}"),
        )
        .await?;
        self.click(&format!("nav a[data-screen='{screen}']")).await
    }

    /// Clicks the button whose text is exactly `label`, once it is enabled (a click on a
    /// disabled button does nothing, and the app enables some only after a check returns).
    pub async fn click_button(&self, label: &str) -> Result<(), HarnessError> {
        let xpath = format!("//button[normalize-space(.)='{label}' and not(@disabled)]");
        let button = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .map_err(|e| {
                HarnessError::WebDriver(format!("waiting for an enabled button {label:?}: {e}"))
            })?;
        button
            .click()
            .await
            .map_err(|e| HarnessError::WebDriver(format!("clicking {label:?}: {e}")))
    }

    /// The text of the element matching the CSS selector, once it exists.
    pub async fn text(&self, css: &str) -> Result<String, HarnessError> {
        let element = self.wait_for(css).await?;
        element
            .text()
            .await
            .map_err(|e| HarnessError::WebDriver(format!("reading {css}: {e}")))
    }

    /// Goes through first run with `passphrase` (screenshots of each step are the caller's
    /// choice) and returns the recovery key the app showed.
    pub async fn create_journal(&self, passphrase: &str) -> Result<String, HarnessError> {
        self.type_into("#new-passphrase", passphrase).await?;
        self.type_into("#confirm-passphrase", passphrase).await?;
        self.click_button("Create journal").await?;
        // Fail with the app's own message when it shows one instead of the recovery key.
        self.wait_until(
            "return document.querySelector('.recovery-key, [role=alert]') !== null",
            "the recovery key or an error is shown",
        )
        .await?;
        let alert = self
            .eval("return document.querySelector('[role=alert]')?.textContent?.trim() ?? null")
            .await?;
        if let Some(message) = alert.as_str() {
            return Err(HarnessError::WebDriver(format!(
                "creating the journal failed: {message}"
            )));
        }
        let recovery_key = self.text(".recovery-key").await?;
        self.click("input[type='checkbox']").await?;
        self.click_button("Continue").await?;
        self.wait_for("nav[aria-label='Main']").await?;
        Ok(recovery_key)
    }

    /// Closes the app like [`App::close`] but hands back its data folder, to inspect what the
    /// app left on disk.
    pub async fn close_keeping_data(self) -> Result<tempfile::TempDir, HarnessError> {
        let App {
            client,
            _driver,
            data_home,
            ..
        } = self;
        let closed = client
            .close()
            .await
            .map_err(|e| HarnessError::WebDriver(e.to_string()));
        drop(_driver);
        closed.map(|()| data_home)
    }

    /// Ends the WebDriver session (the app closes), stops the driver and removes the data
    /// folder.
    pub async fn close(self) -> Result<(), HarnessError> {
        self.close_keeping_data().await.map(drop)
    }
}

/// Starts a driver and a WebDriver session on the app binary named by `VITALOG_APP`, with its
/// data in `home`. The driver occasionally drops the very first request while WebKitWebDriver
/// starts, or leaves it unanswered with no app started; a fresh driver then works, so a session
/// start that fails or takes longer than `WAIT` is retried twice (rather than hang the suite).
async fn start_session(
    home: &Path,
    env: &[(&'static str, PathBuf)],
) -> Result<(Driver, Client), HarnessError> {
    let app = std::env::var_os("VITALOG_APP").map(PathBuf::from);
    let app = match app {
        Some(path) if path.is_file() => path,
        other => return Err(HarnessError::NoApp(other)),
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut app_env = isolated_env(home);
        app_env.extend(env.iter().cloned());
        let driver = Driver::start(&app_env, &home.join("app-output.log"))?;
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app.display().to_string() }),
        );
        let url = driver.url();
        let mut builder = ClientBuilder::new(HttpConnector::new());
        let connect = builder.capabilities(capabilities).connect(&url);
        let outcome = match tokio::time::timeout(WAIT, connect).await {
            Ok(result) => result.map_err(|error| error.to_string()),
            Err(_) => Err(format!("no session within {} s", WAIT.as_secs())),
        };
        match outcome {
            Ok(client) => return Ok((driver, client)),
            Err(error) if attempt >= 3 => return Err(HarnessError::WebDriver(error)),
            Err(_) => {
                drop(driver);
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}

/// Environment for the app (inherited through tauri-driver and WebKitWebDriver): its data,
/// config and cache folders all inside `home`, so tests never touch a real journal.
/// The system D-Bus points at a socket that does not exist (unless the scenario passes its own),
/// so the app finds no Bluetooth on any machine and offers its demo monitors, as it does for a
/// patient without Bluetooth.
/// (`WEBKIT_DISABLE_DMABUF_RENDERER=1` is deliberately absent: with it, WebDriver screenshots
/// hang under Xvfb.)
fn isolated_env(home: &Path) -> Vec<(&'static str, PathBuf)> {
    let no_bus = format!("unix:path={}", home.join("no-system-bus").display());
    vec![
        ("XDG_DATA_HOME", home.join("data")),
        ("XDG_CONFIG_HOME", home.join("config")),
        ("XDG_CACHE_HOME", home.join("cache")),
        ("DBUS_SYSTEM_BUS_ADDRESS", PathBuf::from(no_bus)),
        // Whatever logs, logs everything: its output is checked for health data.
        ("RUST_LOG", PathBuf::from("trace")),
    ]
}
