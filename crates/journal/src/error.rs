//! The journal's error type. Every message says what happened and what the user can do, and
//! none of them carries a health value, a key or a passphrase.

use std::path::PathBuf;

/// Everything the journal can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The passphrase (or recovery key) did not unlock the journal's key.
    #[error("wrong passphrase: the journal was not unlocked (nothing was changed)")]
    WrongPassphrase,

    /// The recovery key did not unlock the journal's key.
    #[error("wrong recovery key: the journal was not unlocked (nothing was changed)")]
    WrongRecoveryKey,

    /// The recovery key text is malformed; the problem says how.
    #[error("{0}")]
    MalformedRecoveryKey(RecoveryKeyProblem),

    /// A new passphrase is too short.
    #[error("the passphrase is too short: use at least {minimum} characters")]
    PassphraseTooShort {
        /// The minimum number of characters.
        minimum: usize,
    },

    /// A passphrase is longer than the journal accepts (this bounds the unlock time).
    #[error("the passphrase is too long: at most {maximum} bytes are accepted")]
    PassphraseTooLong {
        /// The maximum length in bytes.
        maximum: usize,
    },

    /// No journal exists in the data folder.
    #[error("no journal in {dir}: create one first (vitalog init)")]
    NotInitialised {
        /// The data folder that was searched.
        dir: PathBuf,
    },

    /// A journal (or part of one) already exists where a new one was to be created.
    #[error("a journal already exists in {dir}: restore and init only work on an empty folder")]
    AlreadyExists {
        /// The data folder.
        dir: PathBuf,
    },

    /// Another program (the app, or the `vitalog` command) has the journal open.
    #[error(
        "another program has the journal open (the Vitalog app, or a vitalog command still running): lock or close it, then try again"
    )]
    JournalInUse,

    /// The encrypted database failed its integrity checks (a page was altered or lost).
    #[error(
        "the journal is damaged and cannot be read safely: restore a backup in its place (vitalog set-aside keeps the damaged journal, then vitalog restore FILE)"
    )]
    JournalDamaged,

    /// The key file is unreadable, truncated or altered.
    #[error(
        "the key file {path} is damaged or was altered: unlock from a backup or with your recovery key from a backup"
    )]
    KeyFileDamaged {
        /// The key file.
        path: PathBuf,
    },

    /// The key file asks for key-derivation parameters below the accepted floor (a downgrade).
    #[error(
        "the key file asks for a key derivation weaker than allowed; it may have been tampered with"
    )]
    KdfTooWeak,

    /// The key file or backup was written by a newer Vitalog.
    #[error("this file was written by a newer version of Vitalog (format {found}); update Vitalog")]
    UnsupportedFormat {
        /// The format version found.
        found: u16,
    },

    /// The file is not a Vitalog backup, or it was altered.
    #[error("this is not a Vitalog backup, or the backup is damaged")]
    BackupDamaged,

    /// A reading that is missing a part, malformed, or impossible; nothing was stored.
    #[error(transparent)]
    Reading(#[from] readings::ReadingError),

    /// A manual value is possible but unusual; it is stored only once the user confirms it.
    #[error("{0}: check the value and confirm it to store it anyway")]
    Implausible(String),

    /// Something given to the journal is malformed (a number, a time, an import line…).
    #[error("{0}")]
    Invalid(String),

    /// No entry, person or device has this id.
    #[error("no {what} with id {id}")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// The id.
        id: i64,
    },

    /// No care team has this name.
    #[error("no care team called “{0}”: see the names with vitalog share list")]
    UnknownRecipient(String),

    /// A care team with this name is already set up.
    #[error("a care team called “{0}” is already set up: choose another name")]
    RecipientExists(String),

    /// The care team has no sharing grant yet, so there is nothing to pause, resume or revoke.
    #[error("nothing is shared with “{0}” yet: grant it some kinds of readings first")]
    NoGrant(String),

    /// There is no deleted entry to bring back.
    #[error("there is no deletion to undo")]
    NothingToUndo,

    /// The OS keychain cannot be used; unlock with the passphrase instead.
    #[error("the system keychain is not available ({0}); unlock with your passphrase instead")]
    KeychainUnavailable(String),

    /// The OS keychain holds no key for this journal on this device.
    #[error("this device does not remember the journal's key; unlock with your passphrase")]
    NotRemembered,

    /// A file operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What the journal was doing.
        context: String,
        /// The underlying failure.
        #[source]
        source: std::io::Error,
    },

    /// The database engine failed for a reason other than damage.
    #[error("database error: {0}")]
    Database(String),

    /// The operating system's random generator failed.
    #[error("the system random generator failed")]
    Random,
}

/// Results of journal operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match error.sqlite_error_code() {
            // With a key that verifiably unwrapped, "not a database" and "corrupt" both mean the
            // file was altered or damaged (SQLCipher's page HMAC failed).
            Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => {
                Error::JournalDamaged
            }
            // rusqlite's messages name SQL and columns, never bound values.
            _ => Error::Database(error.to_string()),
        }
    }
}

/// What is wrong with a typed recovery key, so the message can say what to check. None of
/// them repeats what was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RecoveryKeyProblem {
    /// Fewer letters and digits than a key has.
    #[error(
        "this recovery key is too short: it has {typed} of its {expected} letters and digits; check that no group is missing"
    )]
    TooShort {
        /// How many were typed (dashes and spaces not counted).
        typed: usize,
        /// How many a key has.
        expected: usize,
    },
    /// More letters and digits than a key has.
    #[error(
        "this recovery key is too long: it has {typed} letters and digits, a key has {expected}"
    )]
    TooLong {
        /// How many were typed.
        typed: usize,
        /// How many a key has.
        expected: usize,
    },
    /// A character no key contains.
    #[error(
        "this is not a recovery key: keys use only the letters A–Z and the digits 2–7, in groups of four"
    )]
    NotInAlphabet,
    /// The right length, but the checksum does not match.
    #[error("this recovery key has a typo: compare each group of four with your copy")]
    Typo,
}
