//! `vitalog init`, `unlock-check`, `passwd` and `rekey`: creating the journal and managing its
//! secrets.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use journal::{CreateOptions, Journal, KdfParams, RecoveryKey, Unlock};
use zeroize::Zeroizing;

use crate::error::CliError;
use crate::options::GlobalOptions;
use crate::passphrase::{self, Passphrase};

/// Arguments of `vitalog init`.
#[derive(Debug, Args)]
pub struct InitArgs {}

/// Creates the journal and prints the recovery key once.
pub fn init(_: &InitArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let dir = global.data_dir()?;
    if journal::JournalFiles::in_dir(&dir).any_exists() {
        return Err(journal::Error::AlreadyExists { dir }.into());
    }
    let passphrase = new_passphrase(global)?;
    let (journal, recovery) = Journal::create(&dir, &passphrase, &CreateOptions::default())?;
    journal.lock();
    println!("Created an encrypted journal in {}.", dir.display());
    println!();
    println!(
        "Your recovery key (shown only now; write it down and keep it apart from this device):"
    );
    println!();
    println!("    {}", recovery.display().as_str());
    println!();
    println!("It unlocks the journal and its backups if you forget your passphrase.");
    Ok(())
}

/// The passphrase for a new journal, from the usual sources; typed twice on a terminal.
fn new_passphrase(global: &GlobalOptions) -> Result<Passphrase, CliError> {
    if global.passphrase_file.is_none()
        && std::env::var_os(passphrase::PASSPHRASE_ENV).is_none()
        && std::io::stdin().is_terminal()
    {
        return typed_twice();
    }
    passphrase::obtain(global, "New passphrase: ")
}

fn typed_twice() -> Result<Passphrase, CliError> {
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|source| CliError::Io {
                context: "cannot read the passphrase".into(),
                source,
            })
    };
    let first = ask("New passphrase: ")?;
    let again = ask("Repeat the new passphrase: ")?;
    if *again != *first {
        return Err(CliError::InvalidInput("the passphrases differ".into()));
    }
    Ok(first)
}

/// The environment variable scripts can use for the new passphrase of `vitalog passwd`.
pub const NEW_PASSPHRASE_ENV: &str = "VITALOG_NEW_PASSPHRASE";

/// The new passphrase for `passwd`: `--new-passphrase-file`, `VITALOG_NEW_PASSPHRASE`, or typed
/// twice on a terminal.
fn replacement_passphrase(file: Option<&PathBuf>) -> Result<Passphrase, CliError> {
    if let Some(path) = file {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|source| {
            CliError::PassphraseFile {
                path: path.clone(),
                source,
            }
        })?);
        return Ok(Zeroizing::new(
            text.lines().next().unwrap_or_default().to_owned(),
        ));
    }
    if let Ok(value) = std::env::var(NEW_PASSPHRASE_ENV) {
        return Ok(Zeroizing::new(value));
    }
    if std::io::stdin().is_terminal() {
        return typed_twice();
    }
    Err(CliError::InvalidInput(
        "a new passphrase is needed: pass --new-passphrase-file FILE or set VITALOG_NEW_PASSPHRASE"
            .into(),
    ))
}

/// Arguments of `vitalog unlock-check`.
#[derive(Debug, Args)]
pub struct UnlockCheckArgs {}

/// Unlocks the journal, checks every page and locks it again.
pub fn unlock_check(_: &UnlockCheckArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let journal = super::unlock(global)?;
    journal.integrity_check()?;
    let layout = journal.page_layout();
    journal.lock();
    println!("ok: the journal unlocks and passed its integrity check");
    if layout != journal::PageLayout::CURRENT {
        println!(
            "note: it keeps the page layout of earlier Vitalog versions; `vitalog rekey` moves it \
             to the current one, which reads faster"
        );
    }
    Ok(())
}

/// Arguments of `vitalog passwd`.
#[derive(Debug, Args)]
pub struct PasswdArgs {
    /// Read the new passphrase from the first line of FILE
    #[arg(long, value_name = "FILE")]
    new_passphrase_file: Option<PathBuf>,

    /// Prove it is you with the recovery key from FILE instead of the current passphrase
    #[arg(long, value_name = "FILE")]
    recovery_key_file: Option<PathBuf>,
}

/// Runs `with` on the secret the patient gives: the recovery key read from
/// `recovery_key_file` when one is named, else the passphrase asked for with `prompt`.
pub fn with_secret<T>(
    global: &GlobalOptions,
    recovery_key_file: Option<&PathBuf>,
    prompt: &str,
    with: impl FnOnce(Unlock<'_>) -> Result<T, CliError>,
) -> Result<T, CliError> {
    match recovery_key_file {
        Some(path) => with(Unlock::Recovery(&read_recovery_key(path)?)),
        None => with(Unlock::Passphrase(&passphrase::obtain(global, prompt)?)),
    }
}

/// Reads a recovery key from the first non-empty line of a file.
fn read_recovery_key(path: &PathBuf) -> Result<RecoveryKey, CliError> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path).map_err(|source| CliError::Io {
            context: format!("cannot read the recovery key file {}", path.display()),
            source,
        })?,
    );
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    Ok(RecoveryKey::parse(line)?)
}

/// Changes the passphrase; only the key file is rewritten.
pub fn passwd(args: &PasswdArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let dir = global.data_dir()?;
    if !Journal::exists(&dir) {
        return Err(journal::Error::NotInitialised { dir }.into());
    }
    with_secret(
        global,
        args.recovery_key_file.as_ref(),
        "Current passphrase: ",
        |current| {
            let new = replacement_passphrase(args.new_passphrase_file.as_ref())?;
            Journal::change_passphrase(&dir, current, &new, KdfParams::DEFAULT)?;
            Ok(())
        },
    )?;
    println!("The passphrase was changed.");
    Ok(())
}

/// Arguments of `vitalog rekey`.
#[derive(Debug, Args)]
pub struct RekeyArgs {}

/// Replaces the data key and the recovery key; prints the new recovery key once.
pub fn rekey(_: &RekeyArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let dir = global.data_dir()?;
    if !Journal::exists(&dir) {
        return Err(journal::Error::NotInitialised { dir }.into());
    }
    let passphrase = passphrase::obtain(global, "Passphrase: ")?;
    let mut journal = Journal::open(&dir, &passphrase)?;
    let replaced = journal.replace_data_key(&passphrase, Some(&journal::OsKeychain::new()))?;
    journal.lock();
    println!("The journal is now encrypted under a new key. Your passphrase is unchanged.");
    println!();
    println!("Your new recovery key (shown only now; the old one no longer opens this journal):");
    println!();
    println!("    {}", replaced.recovery.display().as_str());
    println!();
    println!(
        "Backups made before now still open with the passphrase or recovery key of their time."
    );
    if replaced.was_remembered && !replaced.still_remembered {
        println!(
            "This device no longer unlocks the journal by itself; turn that on again in the app."
        );
    }
    Ok(())
}
