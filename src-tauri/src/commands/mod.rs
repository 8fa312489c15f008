//! IPC commands, one module per area, and the single list that registers them.

pub mod alerts;
pub mod app;
pub mod devices;
pub mod files;
pub mod journal;
pub mod session;
pub mod sharing;
pub mod trends;

use std::path::Path;

use tauri::Runtime;
use tauri_specta::{Builder, ErrorHandlingMode, collect_commands};

use crate::error::IpcError;

/// Where the generated TypeScript bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/lib/backend/bindings.ts";

/// Every command the UI may call. Adding a command here is the only registration step.
pub fn bindings<R: Runtime>() -> Builder<R> {
    Builder::<R>::new()
        .commands(collect_commands![
            app::app_info,
            app::app_ready,
            app::print_page,
            session::journal_status,
            session::passphrase_strength,
            session::create_journal,
            session::unlock_journal,
            session::unlock_with_recovery_key,
            session::unlock_remembered,
            session::lock_journal,
            session::change_passphrase,
            session::replace_data_key,
            session::remember_on_device,
            session::forget_on_device,
            session::erase_journal,
            journal::list_entries,
            journal::add_entry,
            journal::edit_entry,
            journal::delete_entry,
            journal::undo_delete,
            journal::entry_history,
            devices::radio_state,
            devices::set_demo_devices,
            devices::scan_devices,
            devices::pair_device,
            devices::forget_device,
            devices::list_devices,
            devices::sync_device,
            devices::watch_live,
            files::backup_journal,
            files::export_entries,
            files::import_entries,
            files::choose_backup,
            files::restore_backup,
            files::set_aside_damaged_journal,
            files::save_recovery_key,
            trends::trends_view,
            trends::report_start,
            trends::report_preview,
            trends::save_report,
            alerts::alert_settings,
            alerts::set_alert,
            sharing::sharing_view,
            sharing::add_care_team,
            sharing::change_grant,
            sharing::pause_care_team,
            sharing::resume_care_team,
            sharing::revoke_care_team,
            sharing::send_now,
            sharing::add_smart_care_team,
            sharing::sign_in_again,
            sharing::cancel_sign_in,
            sharing::save_transmission_log,
        ])
        .typ::<IpcError>()
        // The reading vocabulary's table of kinds, so the entry form does not restate it.
        .constant("KINDS", self::journal::dto::kind_table())
        .typ::<readings::Field>()
        // Entry ids and versions are SQLite integers, far below 2^53: exact as JS numbers.
        .dangerously_cast_bigints_to_number()
        // Every type here goes one way only, so one TypeScript name per type is enough.
        .disable_serde_phases()
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

/// For a command the passphrase confirms on the open journal: a wrong one is told as such,
/// with what was not done (`not_done`, such as "nothing was exported"), not as a failed unlock.
pub(crate) fn confirming(not_done: &'static str) -> impl Fn(IpcError) -> IpcError {
    move |error| match error.kind {
        crate::error::ErrorKind::WrongPassphrase => IpcError::new(
            crate::error::ErrorKind::WrongPassphrase,
            format!("That is not your passphrase, so {not_done}. Check Caps Lock and try again."),
        ),
        _ => error,
    }
}

/// Runs journal work (Argon2id, SQLCipher) off the async runtime's threads, so the window
/// stays responsive while a passphrase is checked.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(work).await.map_err(|_| {
        IpcError::new(
            crate::error::ErrorKind::Internal,
            "Vitalog hit an internal error while working on the journal. Nothing saved was lost; try again.",
        )
    })?
}
