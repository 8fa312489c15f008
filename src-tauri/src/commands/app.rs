//! Commands about the app itself: its identity and its start-up.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::error::IpcError;

/// What the UI shows in its About section.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version, e.g. "0.1.0".
    pub version: String,
    /// The operating system family, e.g. "linux" or "android".
    pub platform: String,
}

/// When the process started and when the first screen became interactive.
#[derive(Debug)]
pub struct Startup {
    started: Instant,
    interactive_after: OnceLock<Duration>,
}

impl Startup {
    /// Start-up bookkeeping for a process that started at `started`.
    pub fn new(started: Instant) -> Self {
        Self {
            started,
            interactive_after: OnceLock::new(),
        }
    }
}

/// The app's version and platform.
#[tauri::command]
#[specta::specta]
pub fn app_info() -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        platform: std::env::consts::OS.to_owned(),
    }
}

/// Called once by the UI when its first screen can take input.
///
/// The time to interactive is printed once on stderr; `vitalog bench startup` reads it. It is
/// the only start-up figure the app reports, and it carries no personal data.
#[tauri::command]
#[specta::specta]
pub fn app_ready(startup: State<'_, Startup>) {
    let elapsed = startup.started.elapsed();
    if startup.interactive_after.set(elapsed).is_ok() {
        eprintln!("vitalog: interactive after {} ms", elapsed.as_millis());
    }
}

/// Opens the print dialog of the app's window (managed by Tauri, made at start-up where the
/// window is known, so the command itself needs no runtime type).
pub struct Printer(Box<dyn Fn() -> Result<(), String> + Send + Sync>);

impl Printer {
    /// A printer that runs `print`.
    pub fn new(print: impl Fn() -> Result<(), String> + Send + Sync + 'static) -> Self {
        Self(Box::new(print))
    }
}

/// Opens the system's print dialog for the page as it is now (the page's print styles decide
/// what is on paper: the recovery key sheet alone, say). The web view's own `window.print()`
/// does nothing in WebKitGTK unless the shell asks for it.
#[tauri::command]
#[specta::specta]
pub async fn print_page(printer: State<'_, Printer>) -> Result<(), IpcError> {
    (printer.0)().map_err(|error| {
        IpcError::new(
            crate::error::ErrorKind::Internal,
            format!("The print dialog could not be opened ({error})."),
        )
    })
}
