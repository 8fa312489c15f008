//! Vitalog's app shell: a thin Tauri adapter over the domain crates.
//!
//! It registers the IPC commands (grouped by area under [`commands`]), owns the window, and
//! turns domain errors into the one serialisable [`error::IpcError`] the UI branches on. It holds
//! no domain logic: a command takes a DTO, calls a domain function and maps the result.

#![warn(missing_docs)]

pub mod commands;
pub mod error;

use tauri::{Runtime, Wry};

/// Builds the app on any Tauri runtime, so tests can boot it on the mock runtime.
pub fn builder<R: Runtime>() -> tauri::Builder<R> {
    let bindings = commands::bindings::<R>();
    tauri::Builder::<R>::new().invoke_handler(bindings.invoke_handler())
}

/// Starts the app. Called by `main.rs` on desktop and by the mobile entry point.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let started = std::time::Instant::now();
    let app = builder::<Wry>()
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
