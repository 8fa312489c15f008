//! Commands that move the journal to and from files the patient picks: an encrypted backup,
//! restoring one into an empty data folder (after setting a damaged journal aside), and the
//! unencrypted CSV / JSON Lines export and its import. Each opens the native dialog itself
//! (see [`crate::file_picker`]), so the page never names a path; a cancelled dialog answers
//! `null`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use journal::{Filter, Format, Journal, RecoveryKey, Unlock};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;
use zeroize::Zeroizing;

use super::{blocking, confirming};
use crate::error::{ErrorKind, IpcError};
use crate::file_picker::{FilePicker, FileRequest};
use crate::journal_access::JournalAccess;

const BACKUP_EXTENSION: &str = "vitalog-backup";
const BACKUP_FILTER: (&str, &[&str]) = ("Vitalog backup", &[BACKUP_EXTENSION]);
const EXPORT_FILTER: (&str, &[&str]) = ("Vitalog export (CSV or JSON Lines)", Format::EXTENSIONS);

/// A file the app wrote.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    /// Where it is, in full, to show the patient.
    pub path: String,
    /// Its size.
    pub bytes: u64,
    /// How many entries it holds, for exports.
    pub entries: Option<u32>,
}

/// The export formats.
#[derive(Debug, Clone, Copy, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Comma-separated values, for spreadsheets.
    Csv,
    /// JSON Lines, for programs.
    Jsonl,
}

impl From<ExportFormat> for Format {
    fn from(format: ExportFormat) -> Self {
        match format {
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Jsonl => Format::Jsonl,
        }
    }
}

/// A backup file chosen for restoring, before its secret is asked for.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChosenBackup {
    /// The file's name.
    pub name: String,
    /// Its size.
    pub bytes: u64,
}

/// What opens a journal or a backup: the passphrase or the recovery key (for a backup, those
/// current when it was made). (No `Debug`: it holds a secret.)
#[derive(Clone, Deserialize, Type)]
#[serde(tag = "with", rename_all = "camelCase")]
pub enum Secret {
    /// The journal's passphrase at backup time.
    Passphrase {
        /// The passphrase.
        passphrase: String,
    },
    /// The recovery key at backup time.
    #[serde(rename_all = "camelCase")]
    RecoveryKey {
        /// The recovery key as written down.
        recovery_key: String,
    },
}

/// What an import did.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportedFile {
    /// The file's name.
    pub name: String,
    /// Entries added.
    pub added: u32,
    /// Entries that were already in the journal.
    pub already_present: u32,
}

/// The backup file chosen on the first-run screen, kept here so the page never names a path.
#[derive(Debug, Default)]
pub struct ChosenBackupFile(Mutex<Option<PathBuf>>);

/// Writes an encrypted backup where the patient chooses.
#[tauri::command]
#[specta::specta]
pub async fn backup_journal(
    access: State<'_, Arc<JournalAccess>>,
    picker: State<'_, FilePicker>,
) -> Result<Option<SavedFile>, IpcError> {
    access.shared()?;
    let request = FileRequest::Save {
        title: "Save a backup of your journal",
        suggested_name: format!("vitalog-backup-{}.{BACKUP_EXTENSION}", today()),
        filter: BACKUP_FILTER,
    };
    let Some(path) = picker.choose(request).await else {
        return Ok(None);
    };
    let access = Arc::clone(&access);
    blocking(move || {
        access.with(|journal| journal.backup(&path))?;
        saved(&path, None).map(Some)
    })
    .await
}

/// Exports every entry, unencrypted, after the passphrase confirms the patient asked.
#[tauri::command]
#[specta::specta]
pub async fn export_entries(
    access: State<'_, Arc<JournalAccess>>,
    picker: State<'_, FilePicker>,
    format: ExportFormat,
    passphrase: String,
) -> Result<Option<SavedFile>, IpcError> {
    let passphrase = Zeroizing::new(passphrase);
    let checked = Arc::clone(&access);
    blocking(move || checked.with(|journal| journal.check_passphrase(&passphrase)))
        .await
        .map_err(confirming("nothing was exported"))?;
    let format = Format::from(format);
    let request = FileRequest::Save {
        title: "Export your journal (not encrypted)",
        suggested_name: format!("vitalog-export-{}.{}", today(), format.extension()),
        filter: EXPORT_FILTER,
    };
    let Some(path) = picker.choose(request).await else {
        return Ok(None);
    };
    let access = Arc::clone(&access);
    blocking(move || {
        let count =
            access.with(|journal| journal.export_file(format, &Filter::default(), &path))?;
        saved(&path, Some(count)).map(Some)
    })
    .await
}

/// Imports a Vitalog CSV or JSON Lines export, all or nothing; entries already present are
/// skipped.
#[tauri::command]
#[specta::specta]
pub async fn import_entries(
    access: State<'_, Arc<JournalAccess>>,
    picker: State<'_, FilePicker>,
) -> Result<Option<ImportedFile>, IpcError> {
    access.shared()?;
    let request = FileRequest::Open {
        title: "Import a Vitalog export",
        filter: EXPORT_FILTER,
    };
    let Some(path) = picker.choose(request).await else {
        return Ok(None);
    };
    let access = Arc::clone(&access);
    blocking(move || {
        let format = Format::from_file_name(&path).ok_or_else(|| {
            IpcError::invalid("Vitalog imports its own exports: a .csv or .jsonl file.")
        })?;
        let summary = access.with(|journal| journal.import_file(format, &path))?;
        Ok(Some(ImportedFile {
            name: file_name(&path),
            added: count(summary.added),
            already_present: count(summary.already_present),
        }))
    })
    .await
}

/// Asks for a backup to restore and checks it is one, before its secret is asked for.
#[tauri::command]
#[specta::specta]
pub async fn choose_backup(
    access: State<'_, Arc<JournalAccess>>,
    picker: State<'_, FilePicker>,
    chosen: State<'_, ChosenBackupFile>,
) -> Result<Option<ChosenBackup>, IpcError> {
    refuse_if_journal_exists(&access)?;
    let request = FileRequest::Open {
        title: "Choose a Vitalog backup",
        filter: BACKUP_FILTER,
    };
    // Cancelling keeps the earlier choice, as the form still shows it; a new file replaces it
    // at once, so one that is refused leaves no earlier one behind to restore by mistake.
    let Some(path) = picker.choose(request).await else {
        return Ok(None);
    };
    *chosen.0.lock().map_err(|_| IpcError::poisoned())? = None;
    let inspected = path.clone();
    let info = blocking(move || Ok(Journal::inspect_backup(&inspected)?)).await?;
    let answer = ChosenBackup {
        name: file_name(&path),
        bytes: info.file_bytes,
    };
    *chosen.0.lock().map_err(|_| IpcError::poisoned())? = Some(path);
    Ok(Some(answer))
}

/// Restores the chosen backup into this device's (empty) data folder and unlocks it.
#[tauri::command]
#[specta::specta]
pub async fn restore_backup(
    access: State<'_, Arc<JournalAccess>>,
    chosen: State<'_, ChosenBackupFile>,
    secret: Secret,
) -> Result<(), IpcError> {
    refuse_if_journal_exists(&access)?;
    let path = chosen
        .0
        .lock()
        .map_err(|_| IpcError::poisoned())?
        .clone()
        .ok_or_else(|| IpcError::invalid("Choose the backup file first."))?;
    let access = Arc::clone(&access);
    blocking(move || {
        let journal = with_unlock(secret, |unlock| {
            Journal::restore(access.dir(), &path, unlock)
        })?;
        access.hold(journal)
    })
    .await?;
    if let Ok(mut chosen) = chosen.0.lock() {
        *chosen = None;
    }
    Ok(())
}

/// Moves a damaged journal aside (kept, not deleted) so a backup can be restored in its place;
/// `secret` shows it is the patient asking. Answers the folder it was moved to.
#[tauri::command]
#[specta::specta]
pub async fn set_aside_damaged_journal(
    access: State<'_, Arc<JournalAccess>>,
    secret: Secret,
) -> Result<String, IpcError> {
    // Only from the unlock screen: an open journal is not damaged, and nothing here may lock
    // it or stop its syncs.
    if access.is_unlocked() {
        return Err(IpcError::invalid(
            "The journal is open, so it is not damaged: nothing was moved.",
        ));
    }
    let access = Arc::clone(&access);
    blocking(move || {
        let aside = with_unlock(secret, |unlock| {
            Journal::set_aside_damaged(access.dir(), unlock)
        })?;
        Ok(aside.display().to_string())
    })
    .await
}

/// Runs `work` with `secret` as the journal's [`Unlock`], wiping the typed text afterwards.
fn with_unlock<T>(
    secret: Secret,
    work: impl FnOnce(Unlock<'_>) -> journal::Result<T>,
) -> Result<T, IpcError> {
    match secret {
        Secret::Passphrase { passphrase } => {
            let passphrase = Zeroizing::new(passphrase);
            Ok(work(Unlock::Passphrase(&passphrase))?)
        }
        Secret::RecoveryKey { recovery_key } => {
            let text = Zeroizing::new(recovery_key);
            let key = RecoveryKey::parse(&text)?;
            Ok(work(Unlock::Recovery(&key))?)
        }
    }
}

fn refuse_if_journal_exists(access: &JournalAccess) -> Result<(), IpcError> {
    if Journal::exists(access.dir()) {
        return Err(IpcError::new(
            ErrorKind::AlreadyExists,
            "This device already has a journal. A backup restores only where there is none: erase this journal in Settings first (back it up before you do).",
        ));
    }
    Ok(())
}

/// A file the app just wrote, as the UI shows it.
pub(crate) fn saved_file(path: &Path) -> Result<SavedFile, IpcError> {
    saved(path, None)
}

fn saved(path: &Path, entries: Option<usize>) -> Result<SavedFile, IpcError> {
    let bytes = std::fs::metadata(path)
        .map_err(|error| file_error(path, &error))?
        .len();
    Ok(SavedFile {
        path: path.display().to_string(),
        bytes,
        entries: entries.map(count),
    })
}

fn file_error(path: &Path, error: &std::io::Error) -> IpcError {
    IpcError::new(
        ErrorKind::FileProblem,
        format!("Vitalog could not use {}: {error}.", path.display()),
    )
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

/// Saves the recovery key just shown as a small text file where the patient picks (a USB
/// stick, say), with what it is for; `None` when they cancelled. The key is checked first, so
/// only a real key is ever written.
#[tauri::command]
#[specta::specta]
pub async fn save_recovery_key(
    picker: State<'_, FilePicker>,
    key: String,
) -> Result<Option<SavedFile>, IpcError> {
    let key = Zeroizing::new(key);
    let parsed = RecoveryKey::parse(&key)?;
    let request = FileRequest::Save {
        title: "Save your recovery key",
        suggested_name: format!("vitalog-recovery-key-{}.txt", today()),
        filter: ("Text file", &["txt"]),
    };
    let Some(path) = picker.choose(request).await else {
        return Ok(None);
    };
    blocking(move || {
        let sheet = Zeroizing::new(format!(
            "Vitalog recovery key\n\n    {}\n\nMade on {}. This key opens your Vitalog journal if you forget your passphrase.\n\
             Keep it somewhere safe and away from this computer: on paper, or on a USB stick in a drawer.\n\
             Anyone who has this key and your journal's files can read your journal.\n",
            parsed.display().as_str(),
            today()
        ));
        journal::save_private(&path, sheet.as_bytes())?;
        saved(&path, None)
    })
    .await
    .map(Some)
}
