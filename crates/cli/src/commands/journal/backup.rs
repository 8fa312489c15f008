//! `vitalog backup`, `restore`, `set-aside` and `erase`.

use std::path::PathBuf;

use clap::Args;
use journal::Journal;

use super::keys::with_secret;
use crate::error::CliError;
use crate::options::GlobalOptions;

/// Arguments of `vitalog backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the encrypted backup
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
}

/// Writes an encrypted backup.
pub fn backup(args: &BackupArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let mut journal = super::unlock(global)?;
    journal.backup(&args.output)?;
    journal.lock();
    println!(
        "wrote an encrypted backup to {}; it opens with your current passphrase or your recovery key",
        args.output.display()
    );
    Ok(())
}

/// Arguments of `vitalog restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file
    file: PathBuf,

    /// Unlock with the recovery key in FILE instead of the passphrase
    #[arg(long, value_name = "FILE")]
    recovery_key_file: Option<PathBuf>,
}

/// Restores a backup into the (empty) data folder.
pub fn restore(args: &RestoreArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let dir = global.data_dir()?;
    if journal::JournalFiles::in_dir(&dir).any_exists() {
        return Err(journal::Error::AlreadyExists { dir }.into());
    }
    let journal = with_secret(
        global,
        args.recovery_key_file.as_ref(),
        "Passphrase of the backup: ",
        |secret| Ok(Journal::restore(&dir, &args.file, secret)?),
    )?;
    journal.lock();
    println!("restored the journal into {}", dir.display());
    Ok(())
}

/// Arguments of `vitalog erase`.
#[derive(Debug, Args)]
pub struct EraseArgs {
    /// Confirm that everything is to be destroyed
    #[arg(long)]
    yes: bool,
}

/// Erases the journal: database, its -wal/-shm, key file and keychain entry.
pub fn erase(args: &EraseArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let dir = global.data_dir()?;
    if !args.yes {
        return Err(CliError::NotConfirmed(format!(
            "this destroys the journal in {} for good; run again with --yes",
            dir.display()
        )));
    }
    Journal::erase(&dir, Some(&journal::OsKeychain::new()))?;
    println!("erased the journal in {}", dir.display());
    Ok(())
}

/// Arguments of `vitalog set-aside`.
#[derive(Debug, Args)]
pub struct SetAsideArgs {
    /// Prove it is you with the recovery key from FILE instead of the passphrase
    #[arg(long, value_name = "FILE")]
    recovery_key_file: Option<PathBuf>,
}

/// Moves a damaged journal into a folder of its own (nothing is deleted), so a backup can be
/// restored in its place.
pub fn set_aside(args: &SetAsideArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let dir = global.data_dir()?;
    if !Journal::exists(&dir) {
        return Err(journal::Error::NotInitialised { dir }.into());
    }
    let aside = with_secret(
        global,
        args.recovery_key_file.as_ref(),
        "Passphrase: ",
        |secret| Ok(Journal::set_aside_damaged(&dir, secret)?),
    )?;
    println!(
        "The damaged journal is kept in {}; restore a backup with: vitalog restore FILE",
        aside.display()
    );
    Ok(())
}
