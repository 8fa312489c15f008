//! Options every subcommand shares: where the journal lives and where the passphrase comes from.

use std::path::PathBuf;

use clap::Args;

use crate::error::CliError;

/// Global options, accepted before or after the subcommand.
#[derive(Debug, Args)]
pub struct GlobalOptions {
    /// Folder that holds the encrypted journal [default: the OS data folder for Vitalog]
    #[arg(long, global = true, env = "VITALOG_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Read the passphrase from the first line of FILE instead of asking (for scripts)
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
}

impl GlobalOptions {
    /// The data folder to use: the one given, else the platform's per-user data folder.
    pub fn data_dir(&self) -> Result<PathBuf, CliError> {
        match &self.data_dir {
            Some(dir) => Ok(dir.clone()),
            None => journal::default_data_dir().ok_or(CliError::NoDataDir),
        }
    }
}
