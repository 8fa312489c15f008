//! Vitalog's app shell: a thin Tauri adapter over the domain crates.
//!
//! It registers the IPC commands (grouped by area under [`commands`]), owns the window, and
//! turns domain errors into the one serialisable [`error::IpcError`] the UI branches on. It holds
//! no domain logic: a command takes a DTO, calls a domain function and maps the result.

#![warn(missing_docs)]

pub mod commands;
pub mod devices;
pub mod error;
pub mod file_picker;
pub mod journal_access;
pub mod sharing_task;

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{Manager, Runtime, Wry};

use crate::devices::DeviceLinks;
use crate::file_picker::FilePicker;
use crate::journal_access::JournalAccess;
use crate::sharing_task::SharingSender;

/// Where the journal lives: `VITALOG_DATA_DIR` if set, else the folder the `vitalog` CLI also
/// uses, else (on mobile) the app's own data folder.
fn data_dir<R: Runtime>(app: &tauri::App<R>) -> Result<PathBuf, tauri::Error> {
    if let Some(dir) = std::env::var_os("VITALOG_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    match journal::default_data_dir() {
        Some(dir) => Ok(dir),
        None => app.path().app_data_dir(),
    }
}

/// Adds Vitalog's plugins, commands and state to `builder`, on any Tauri runtime, so tests can
/// boot the app on the mock runtime (whose builder carries the test invoke key).
pub fn configure<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    let bindings = commands::bindings::<R>();
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(DeviceLinks::default())
        .manage(commands::files::ChosenBackupFile::default())
        .invoke_handler(bindings.invoke_handler())
        .setup(|app| {
            // `manage` keeps what is already managed: tests on the mock runtime bring their own
            // data folder and a scripted file picker.
            if app.try_state::<Arc<JournalAccess>>().is_none() {
                app.manage(Arc::new(JournalAccess::new(data_dir(app)?)));
            }
            app.manage(FilePicker::dialogs(app.handle().clone()));
            let window = app.handle().clone();
            app.manage(commands::app::Printer::new(move || {
                let webview = window
                    .webview_windows()
                    .into_values()
                    .next()
                    .ok_or_else(|| "no window is open".to_owned())?;
                webview.print().map_err(|e| e.to_string())
            }));
            let sender = Arc::new(SharingSender::default());
            sender.start(Arc::clone(&app.state::<Arc<JournalAccess>>()));
            // A reading typed in or synced goes to a real-time care team at once, not at
            // the sender's next tick.
            let nudged = Arc::clone(&sender);
            app.state::<DeviceLinks>()
                .live()
                .set_on_change(Box::new(move || nudged.nudge()));
            app.manage(sender);
            let handle = app.handle().clone();
            app.state::<DeviceLinks>()
                .live()
                .set_notifier(Box::new(move |title, body| {
                    use tauri_plugin_notification::NotificationExt;
                    // Without a notification service the alert still shows on Today.
                    let _ = handle
                        .notification()
                        .builder()
                        .title(title)
                        .body(body)
                        .show();
                }));
            Ok(())
        })
}

/// Starts the app. Called by `main.rs` on desktop and by the mobile entry point.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let started = std::time::Instant::now();
    // Before anything can hold a passphrase or a key.
    journal::process::forbid_core_dumps();
    let app = configure(tauri::Builder::<Wry>::new())
        .manage(commands::app::Startup::new(started))
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(error) => {
            eprintln!("vitalog: the window could not be opened: {error}");
            std::process::exit(1);
        }
    }
}
