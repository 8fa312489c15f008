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

    /// The journal refused or failed an operation.
    #[error("{}", journal_message(.0))]
    Journal(#[from] journal::Error),

    /// A destructive command was run without its confirmation flag.
    #[error("{0}")]
    NotConfirmed(String),

    /// A Bluetooth operation failed.
    #[error("{0}")]
    Link(#[from] link::LinkError),

    /// A sync failed on the link or in the journal.
    #[error("{0}")]
    Sync(#[from] sync::SyncError),

    /// A reading given on the command line is missing a part, malformed or impossible.
    #[error("{0}")]
    Reading(#[from] readings::ReadingError),

    /// Sharing could not work at all (a refused address, no secure connections).
    #[error("{0}")]
    Sharing(#[from] sharing::SharingError),

    /// `share send` ended with readings still waiting or refused.
    #[error("{0} readings were not delivered: see vitalog share list for why")]
    NotAllDelivered(u64),

    /// The transmission log failed its check.
    #[error("{0}")]
    LogAltered(String),

    /// A file or terminal operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What the command was doing.
        context: String,
        /// The underlying failure.
        source: std::io::Error,
    },
}

/// The journal's message, with the CLI's way to act on it where the journal cannot know it.
fn journal_message(error: &journal::Error) -> String {
    match error {
        journal::Error::Implausible(_) => format!("{error} (add --confirm)"),
        journal::Error::KeychainUnavailable(_) | journal::Error::NotRemembered => {
            format!("{error} (--passphrase-file or VITALOG_PASSPHRASE)")
        }
        _ => error.to_string(),
    }
}

impl CliError {
    /// Exit codes scripts can branch on:
    ///
    /// | code | meaning |
    /// |---|---|
    /// | 0 | success |
    /// | 1 | any other failure (I/O, database) |
    /// | 2 | invalid input: arguments, values out of range, malformed files |
    /// | 3 | wrong passphrase or recovery key (nothing was changed) |
    /// | 4 | no journal in the data folder |
    /// | 5 | journal, key file or backup damaged |
    /// | 6 | a journal already exists there |
    /// | 7 | implausible value: repeat with `--confirm` to store it |
    /// | 8 | passphrase missing, too short or too long; or the keychain is unavailable |
    /// | 9 | destructive command without its confirmation flag |
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::InvalidInput(_) | CliError::Reading(_) => 2,
            CliError::Sync(sync::SyncError::Journal(e)) => CliError::exit_code_of(e),
            CliError::Journal(e) => CliError::exit_code_of(e),
            CliError::PassphraseUnavailable | CliError::PassphraseFile { .. } => 8,
            CliError::NotConfirmed(_) => 9,
            CliError::Sharing(
                sharing::SharingError::Address(_) | sharing::SharingError::Terms(_),
            ) => 2,
            CliError::LogAltered(_) => 5,
            _ => 1,
        }
    }

    fn exit_code_of(e: &journal::Error) -> u8 {
        use journal::Error as J;
        match e {
            J::WrongPassphrase | J::WrongRecoveryKey => 3,
            J::NotInitialised { .. } => 4,
            J::JournalDamaged
            | J::KeyFileDamaged { .. }
            | J::BackupDamaged
            | J::KdfTooWeak
            | J::UnsupportedFormat { .. } => 5,
            J::AlreadyExists { .. } => 6,
            J::Implausible(_) => 7,
            J::PassphraseTooShort { .. }
            | J::PassphraseTooLong { .. }
            | J::KeychainUnavailable(_)
            | J::NotRemembered => 8,
            J::Reading(_)
            | J::Invalid(_)
            | J::MalformedRecoveryKey(_)
            | J::NotFound { .. }
            | J::UnknownRecipient(_)
            | J::RecipientExists(_)
            | J::NoGrant(_)
            | J::NothingToUndo => 2,
            _ => 1,
        }
    }
}
