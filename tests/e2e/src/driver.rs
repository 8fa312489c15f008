//! `tauri-driver` as a child process on a free local port, killed when dropped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Why the harness could not start; each says what to install or set.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// No X display: WebKitGTK would hang instead of failing.
    #[error("DISPLAY is not set: run the e2e tests under xvfb-run (make test does)")]
    NoDisplay,
    /// The app binary to test was not named or does not exist.
    #[error("VITALOG_APP must name the built app binary (make test sets it); got {0:?}")]
    NoApp(Option<PathBuf>),
    /// A helper program could not be started.
    #[error("cannot start {program}: {source} (make test installs it)")]
    Spawn {
        /// The program that failed to start.
        program: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// tauri-driver did not open its port in time.
    #[error("tauri-driver did not listen on port {0} within 20 s")]
    DriverTimeout(u16),
    /// A local port could not be reserved.
    #[error("cannot find a free local port: {0}")]
    Port(std::io::Error),
    /// The WebDriver session could not be created or a command failed.
    #[error("WebDriver: {0}")]
    WebDriver(String),
    /// A file (screenshot, temp dir) could not be written.
    #[error("{context}: {source}")]
    Io {
        /// What the harness was doing.
        context: String,
        /// The underlying failure.
        source: std::io::Error,
    },
}

/// A running `tauri-driver`, killed (with its WebKitWebDriver child) when dropped.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    /// Starts `tauri-driver` on free ports (the machine may run other drivers), with `env`
    /// added to the environment it passes on to the app. Everything the driver, WebKit and
    /// the app print goes to `output` (appended), so a test can check it holds no health data.
    pub fn start(env: &[(&str, PathBuf)], output: &std::path::Path) -> Result<Self, HarnessError> {
        if std::env::var_os("DISPLAY").is_none() {
            return Err(HarnessError::NoDisplay);
        }
        let port = free_port()?;
        let native_port = free_port()?;
        let child = Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::from(log_file(output)?))
            .stderr(Stdio::from(log_file(output)?))
            .spawn()
            .map_err(|source| HarnessError::Spawn {
                program: "tauri-driver",
                source,
            })?;
        let driver = Self { child, port };
        driver.wait_until_listening()?;
        Ok(driver)
    }

    /// The WebDriver URL clients connect to.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_until_listening(&self) -> Result<(), HarnessError> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(HarnessError::DriverTimeout(self.port))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGKILL gives tauri-driver no chance to stop WebKitWebDriver, which would keep the
        // app alive after a failed test; so end its descendants first.
        kill_children_of(self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Kills every process whose parent is `pid`, depth first (WebKitWebDriver and the app).
fn kill_children_of(pid: u32) {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let Some(child) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else {
            continue;
        };
        // The parent pid is the second field after the parenthesised command name.
        let parent = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if parent == Some(pid) {
            kill_children_of(child);
            let _ = Command::new("kill")
                .arg("-9")
                .arg(child.to_string())
                .stderr(Stdio::null())
                .status();
        }
    }
}

fn free_port() -> Result<u16, HarnessError> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(HarnessError::Port)?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(HarnessError::Port)
}

/// `path` opened for appending (created when missing).
fn log_file(path: &std::path::Path) -> Result<std::fs::File, HarnessError> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|source| HarnessError::Io {
            context: format!("cannot open {}", path.display()),
            source,
        })
}
