//! Commands for the journal's lifecycle: first run, unlock, lock.

use std::sync::Arc;

use journal::strength;
use journal::{CreateOptions, Journal, KdfParams, OsKeychain, RecoveryKey, Unlock};
use serde::Serialize;
use specta::Type;
use tauri::State;
use zeroize::Zeroizing;

use super::{blocking, confirming};
use crate::devices::DeviceLinks;
use crate::error::{ErrorKind, IpcError};
use crate::journal_access::JournalAccess;

/// How long erasing waits for commands still at work on the journal (they take well under a
/// second).
const ERASE_WAITS_FOR_COMMANDS: std::time::Duration = std::time::Duration::from_secs(10);

/// Where the app stands with the journal, for choosing the first screen.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct JournalStatus {
    /// A journal exists in the data folder.
    pub exists: bool,
    /// It is unlocked now.
    pub unlocked: bool,
    /// This device remembers the key ("remember on this device" was chosen).
    pub remembered: bool,
}

/// A passphrase's strength, for the meter on the first-run screen.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PassphraseStrength {
    /// 0 (guessed at once) to 4 (very hard to guess).
    pub score: u8,
    /// The score in words.
    pub label: String,
    /// What would make it stronger.
    pub advice: Option<String>,
    /// Whether the journal accepts it.
    pub acceptable: bool,
}

/// What creating a journal gives the patient to keep.
#[derive(Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CreatedJournal {
    /// The one-time recovery key, to be written down; never shown again.
    pub recovery_key: String,
    /// Why "remember on this device" could not be set up, when it was asked for and failed.
    pub keychain_problem: Option<String>,
}

impl std::fmt::Debug for CreatedJournal {
    /// Never the recovery key: a debug line may end up in a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedJournal")
            .field("recovery_key", &"[redacted]")
            .field("keychain_problem", &self.keychain_problem)
            .finish()
    }
}

/// Whether a journal exists and is unlocked.
#[tauri::command]
#[specta::specta]
pub async fn journal_status(
    access: State<'_, Arc<JournalAccess>>,
) -> Result<JournalStatus, IpcError> {
    let access = Arc::clone(&access);
    blocking(move || {
        let exists = Journal::exists(access.dir());
        let remembered = exists && Journal::is_remembered(access.dir()).unwrap_or(false);
        Ok(JournalStatus {
            exists,
            unlocked: access.is_unlocked(),
            remembered,
        })
    })
    .await
}

/// How hard `passphrase` would be to guess. The page asks a moment after typing pauses; the
/// estimate (tens of milliseconds for a long passphrase) runs off the main thread.
#[tauri::command]
#[specta::specta]
pub async fn passphrase_strength(passphrase: String) -> Result<PassphraseStrength, IpcError> {
    let passphrase = Zeroizing::new(passphrase);
    blocking(move || {
        let estimate = strength::estimate(&passphrase, &["vitalog", "journal", "health"]);
        Ok(PassphraseStrength {
            score: estimate.score,
            label: estimate.label.to_owned(),
            advice: estimate.advice,
            acceptable: estimate.acceptable,
        })
    })
    .await
}

/// Creates the journal, unlocks it, and returns the recovery key to show once.
#[tauri::command]
#[specta::specta]
pub async fn create_journal(
    access: State<'_, Arc<JournalAccess>>,
    passphrase: String,
    remember: bool,
) -> Result<CreatedJournal, IpcError> {
    let access = Arc::clone(&access);
    let passphrase = Zeroizing::new(passphrase);
    blocking(move || {
        let (mut journal, recovery) =
            Journal::create(access.dir(), &passphrase, &CreateOptions::default())?;
        let keychain_problem = if remember {
            journal.remember_on_device(&OsKeychain::new()).err().map(|error| {
                format!("This device cannot remember the journal ({error}). You will type your passphrase to unlock.")
            })
        } else {
            None
        };
        let recovery_key = recovery.display().to_string();
        access.hold(journal)?;
        Ok(CreatedJournal { recovery_key, keychain_problem })
    })
    .await
}

/// Unlocks the journal with the passphrase.
#[tauri::command]
#[specta::specta]
pub async fn unlock_journal(
    access: State<'_, Arc<JournalAccess>>,
    passphrase: String,
) -> Result<(), IpcError> {
    let access = Arc::clone(&access);
    let passphrase = Zeroizing::new(passphrase);
    blocking(move || {
        let journal = Journal::open_with(access.dir(), Unlock::Passphrase(&passphrase))?;
        access.hold(journal)
    })
    .await
}

/// Unlocks the journal with the recovery key written down at first run.
#[tauri::command]
#[specta::specta]
pub async fn unlock_with_recovery_key(
    access: State<'_, Arc<JournalAccess>>,
    recovery_key: String,
) -> Result<(), IpcError> {
    let access = Arc::clone(&access);
    let recovery_key = Zeroizing::new(recovery_key);
    blocking(move || {
        let key = RecoveryKey::parse(&recovery_key)?;
        let journal = Journal::open_with(access.dir(), Unlock::Recovery(&key))?;
        access.hold(journal)
    })
    .await
}

/// Unlocks with the key this device remembers; fails with `keychain-unavailable` when it
/// can't, and the UI then asks for the passphrase.
#[tauri::command]
#[specta::specta]
pub async fn unlock_remembered(access: State<'_, Arc<JournalAccess>>) -> Result<(), IpcError> {
    let access = Arc::clone(&access);
    blocking(move || {
        let journal = Journal::open_remembered(access.dir(), &OsKeychain::new())?;
        access.hold(journal)
    })
    .await
}

/// Locks the journal: the key leaves memory until the next unlock.
#[tauri::command]
#[specta::specta]
pub async fn lock_journal(
    access: State<'_, Arc<JournalAccess>>,
    links: State<'_, DeviceLinks>,
) -> Result<(), IpcError> {
    // Taken from every command first, so none can start the Bluetooth tasks on it again
    // while they stop.
    let access = Arc::clone(&access);
    let _released = blocking(move || access.lock()).await?;
    links.stop().await;
    Ok(())
}

/// Changes the passphrase. Only the wrapped key is rewritten; the journal stays unlocked.
#[tauri::command]
#[specta::specta]
pub async fn change_passphrase(
    access: State<'_, Arc<JournalAccess>>,
    current: String,
    replacement: String,
) -> Result<(), IpcError> {
    let access = Arc::clone(&access);
    let (current, replacement) = (Zeroizing::new(current), Zeroizing::new(replacement));
    blocking(move || {
        // On the open journal, so what it holds in memory (and later writes back) is the new
        // key file.
        access
            .with(|journal| journal.replace_passphrase(&current, &replacement, KdfParams::DEFAULT))
    })
    .await
    .map_err(confirming("it was not changed"))
}

/// Lets this device unlock the journal without the passphrase (a key in the OS keychain), after
/// the passphrase confirms the request; fails with `keychain-unavailable` when the keychain
/// cannot be used, and nothing changes.
#[tauri::command]
#[specta::specta]
pub async fn remember_on_device(
    access: State<'_, Arc<JournalAccess>>,
    passphrase: String,
) -> Result<(), IpcError> {
    let access = Arc::clone(&access);
    let passphrase = Zeroizing::new(passphrase);
    blocking(move || {
        access.with(|journal| {
            journal.check_passphrase(&passphrase)?;
            journal.remember_on_device(&OsKeychain::new())
        })
    })
    .await
    .map_err(confirming("nothing was changed"))
}

/// Stops this device from unlocking the journal by itself: the passphrase is needed again.
#[tauri::command]
#[specta::specta]
pub async fn forget_on_device(access: State<'_, Arc<JournalAccess>>) -> Result<(), IpcError> {
    let access = Arc::clone(&access);
    blocking(move || {
        access.with(
            |journal| match journal.forget_on_device(&OsKeychain::new()) {
                // The wrap is gone from the key file either way; an entry the keychain cannot
                // delete now opens nothing.
                Err(journal::Error::KeychainUnavailable(_)) => Ok(()),
                other => other,
            },
        )
    })
    .await
}

/// What replacing the data key gives the patient to keep. (No `Debug`: it holds a secret.)
#[derive(Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReplacedKeyView {
    /// The new recovery key, to write down; the old one no longer opens the journal.
    pub recovery_key: String,
    /// Whether this device still unlocks the journal without the passphrase.
    pub still_remembered: bool,
}

/// Re-encrypts the journal under a new data key and issues a new recovery key, after the
/// passphrase proves the request comes from the patient. The journal stays unlocked.
#[tauri::command]
#[specta::specta]
pub async fn replace_data_key(
    access: State<'_, Arc<JournalAccess>>,
    passphrase: String,
) -> Result<ReplacedKeyView, IpcError> {
    let access = Arc::clone(&access);
    let passphrase = Zeroizing::new(passphrase);
    blocking(move || {
        let replaced = access
            .with(|journal| journal.replace_data_key(&passphrase, Some(&OsKeychain::new())))
            .map_err(confirming("no new recovery key was made"))?;
        Ok(ReplacedKeyView {
            recovery_key: replaced.recovery.display().to_string(),
            still_remembered: replaced.still_remembered,
        })
    })
    .await
}

/// Erases the journal, its key file and the keychain entry, after the passphrase proves
/// the request comes from the patient. Afterwards the app is back at first run.
#[tauri::command]
#[specta::specta]
pub async fn erase_journal(
    access: State<'_, Arc<JournalAccess>>,
    links: State<'_, DeviceLinks>,
    passphrase: String,
) -> Result<(), IpcError> {
    let passphrase = Zeroizing::new(passphrase);
    // A wrong passphrase changes nothing: checked before anything stops.
    let checked = Arc::clone(&access);
    blocking(move || checked.with(|journal| journal.check_passphrase(&passphrase)))
        .await
        .map_err(confirming("nothing was erased"))?;
    // Locked for every command first, so none can start the Bluetooth tasks on it again while
    // they stop.
    let access = Arc::clone(&access);
    let locking = Arc::clone(&access);
    let released = blocking(move || locking.lock()).await?;
    // A sync in progress finishes storing before its task lets go of the journal.
    links.stop_and_wait().await;
    blocking(move || {
        // A command still at work on the journal finishes before the files go; should one
        // hold on longer, erase reports the journal in use and nothing is removed.
        released.wait(ERASE_WAITS_FOR_COMMANDS);
        Journal::erase(access.dir(), Some(&OsKeychain::new()))?;
        Ok(())
    })
    .await
}

impl From<tauri::Error> for IpcError {
    fn from(error: tauri::Error) -> Self {
        IpcError::new(ErrorKind::Internal, error.to_string())
    }
}
