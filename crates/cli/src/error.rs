//! The CLI's error type: one line for the user, one exit code for scripts.

use std::path::PathBuf;

/// Everything a `vitalog` command can fail with, worded for the person at the terminal.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input given on the command line or on stdin could not be understood.
    #[error("{0}")]
    InvalidInput(String),

    /// No passphrase was supplied and there is no terminal to ask for one.
    #[error(
        "a passphrase is needed: pass --passphrase-file FILE, set VITALOG_PASSPHRASE, or run in a terminal"
    )]
    PassphraseUnavailable,

    /// The passphrase file could not be read.
    #[error("cannot read the passphrase file {path}: {source}")]
    PassphraseFile {
        /// The file named by `--passphrase-file`.
        path: PathBuf,
        /// Why reading it failed.
        source: std::io::Error,
    },

    /// No data directory could be determined for this user.
    #[error("cannot find a data directory for this user: pass --data-dir or set VITALOG_DATA_DIR")]
    NoDataDir,

    /// The journal could not be opened or written.
    #[error("{0}")]
    Journal(#[from] journal::Error),

    /// A Bluetooth operation failed.
    #[error("{0}")]
    Link(#[from] link::LinkError),

    /// A file or terminal operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What the command was doing.
        context: String,
        /// The underlying failure.
        source: std::io::Error,
    },
}

impl CliError {
    /// Exit code 2 means "your input was wrong"; 1 means "something else failed".
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::InvalidInput(_) => 2,
            _ => 1,
        }
    }
}
