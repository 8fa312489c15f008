//! IPC commands, one module per area, and the single list that registers them.

pub mod app;

use std::path::Path;

use tauri::Runtime;
use tauri_specta::{Builder, ErrorHandlingMode, collect_commands};

use crate::error::IpcError;

/// Where the generated TypeScript bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/lib/backend/bindings.ts";

/// Every command the UI may call. Adding a command here is the only registration step.
pub fn bindings<R: Runtime>() -> Builder<R> {
    Builder::<R>::new()
        .commands(collect_commands![app::app_info, app::app_ready])
        .typ::<IpcError>()
        // A failed command rejects its promise with an `IpcError`; the UI's backend module
        // turns that into one error class, so components never see raw invoke failures.
        .error_handling(ErrorHandlingMode::Throw)
}

/// Writes the TypeScript bindings for every registered command and type to `path`.
pub fn export_bindings(path: &Path) -> Result<(), specta_typescript::Error> {
    let header = "// Generated from src-tauri by `make bindings`; do not edit by hand.\n";
    bindings::<tauri::Wry>().export(
        specta_typescript::Typescript::default().header(header),
        path,
    )
}
