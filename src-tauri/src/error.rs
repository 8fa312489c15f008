//! The one error shape that crosses IPC: `{ kind, message }`.
//!
//! `kind` is a closed set the UI branches on; `message` is for people and is never parsed.
//! Domain errors are mapped here, once, with wording meant for the app (not the CLI).

use serde::Serialize;
use specta::Type;

/// What went wrong, as far as the UI needs to know to react.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The request itself was malformed or out of range.
    InvalidInput,
    /// A value is possible but unusual: the patient may confirm it.
    ImplausibleValue,
    /// The passphrase did not unlock the journal.
    WrongPassphrase,
    /// The recovery key did not unlock the journal.
    WrongRecoveryKey,
    /// The journal must be unlocked first.
    Locked,
    /// No journal exists yet: show first run.
    NotInitialised,
    /// A journal already exists where a new one was to be made.
    AlreadyExists,
    /// The journal's files are damaged or were altered.
    JournalDamaged,
    /// The OS keychain cannot be used; the passphrase still works.
    KeychainUnavailable,
    /// The entry does not exist.
    NotFound,
    /// There is nothing to undo.
    NothingToUndo,
    /// This computer's Bluetooth cannot be used (none, off, not allowed, no service).
    BluetoothUnavailable,
    /// The monitor is out of range, asleep or not known.
    DeviceUnreachable,
    /// Pairing failed, or a monitor that must be paired is not.
    PairingNeeded,
    /// A file could not be read or written, or is not a usable backup.
    FileProblem,
    /// Anything the UI cannot do better than show the message for.
    Internal,
}

/// An error as the UI receives it.
#[derive(Debug, Clone, Serialize, Type, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    /// The case the UI branches on.
    pub kind: ErrorKind,
    /// A sentence for the patient: what happened and what to do.
    pub message: String,
    /// The field of the entry form at fault, when one is (the form marks it and moves there).
    pub field: Option<readings::Field>,
}

impl IpcError {
    /// An error of `kind` with a message for the patient.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            field: None,
        }
    }

    /// A request the UI built wrongly or the patient typed wrongly.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput, message)
    }

    /// State shared between commands was left half-changed by a panic: it is not used again
    /// rather than guessed at, and the patient restarts the app.
    pub fn poisoned() -> Self {
        Self::new(
            ErrorKind::Internal,
            "Vitalog hit an internal error and stopped what it was doing. Restart the app; nothing saved was lost.",
        )
    }
}

impl From<journal::Error> for IpcError {
    fn from(error: journal::Error) -> Self {
        IpcError::from_journal_ref(&error)
    }
}

impl IpcError {
    fn from_journal_ref(error: &journal::Error) -> Self {
        use journal::Error as E;
        let (kind, message) = match error {
            E::WrongPassphrase => (
                ErrorKind::WrongPassphrase,
                "That passphrase did not unlock the journal. Check Caps Lock and try again, or use your recovery key.".to_owned(),
            ),
            E::WrongRecoveryKey => (
                ErrorKind::WrongRecoveryKey,
                "That recovery key did not unlock the journal. Check it for typos and try again.".to_owned(),
            ),
            E::NotInitialised { .. } => (
                ErrorKind::NotInitialised,
                "There is no journal yet: create one to start.".to_owned(),
            ),
            E::AlreadyExists { .. } => (
                ErrorKind::AlreadyExists,
                "A journal already exists on this device: unlock it instead.".to_owned(),
            ),
            E::JournalDamaged | E::KeyFileDamaged { .. } | E::KdfTooWeak => (
                ErrorKind::JournalDamaged,
                "The journal is damaged or was altered, so Vitalog will not read it. You can restore a backup in its place; the damaged journal is kept, not deleted.".to_owned(),
            ),
            E::BackupDamaged => (
                ErrorKind::FileProblem,
                "That file is not a Vitalog backup, or it was damaged or altered, so nothing was restored. Try another copy of the backup.".to_owned(),
            ),
            E::UnsupportedFormat { .. } => (
                ErrorKind::FileProblem,
                "That file was made by a newer version of Vitalog. Update Vitalog, then try again.".to_owned(),
            ),
            E::Io { .. } => (ErrorKind::FileProblem, sentence(&error.to_string())),
            E::JournalInUse => (
                ErrorKind::InvalidInput,
                "Another program has the journal open, such as the vitalog command or a second Vitalog window. Close it and try again; nothing was changed.".to_owned(),
            ),
            E::Implausible(_) => (ErrorKind::ImplausibleValue, sentence(&error.to_string())),
            E::KeychainUnavailable(_) | E::NotRemembered => {
                (ErrorKind::KeychainUnavailable, sentence(&error.to_string()))
            }
            E::NotFound { .. } => (ErrorKind::NotFound, sentence(&error.to_string())),
            E::NothingToUndo => (ErrorKind::NothingToUndo, "There is nothing to undo.".to_owned()),
            E::UnknownRecipient(_) | E::RecipientExists(_) | E::NoGrant(_) => {
                (ErrorKind::InvalidInput, sentence(&error.to_string()))
            }
            E::MalformedRecoveryKey(_)
            | E::PassphraseTooShort { .. }
            | E::PassphraseTooLong { .. }
            | E::Invalid(_) => (ErrorKind::InvalidInput, sentence(&error.to_string())),
            E::Reading(reading) => return IpcError::from(reading.clone()),
            _ => (ErrorKind::Internal, sentence(&error.to_string())),
        };
        Self::new(kind, message)
    }
}

impl From<readings::ReadingError> for IpcError {
    /// What the entry form shows next to the field at fault.
    fn from(error: readings::ReadingError) -> Self {
        use readings::ReadingError as E;
        let message = match &error {
            E::Missing { what, .. } => format!("Enter the {what}."),
            E::MissingUnit { what } => format!("Choose a unit for the {what}."),
            E::NotANumber { what, .. } => format!("The {what} must be a number."),
            E::EmptyText { what } => format!("Describe the {what}."),
            _ => sentence(&error.to_string()),
        };
        IpcError {
            field: error.field(),
            ..IpcError::invalid(message)
        }
    }
}

impl From<sync::SyncError> for IpcError {
    fn from(error: sync::SyncError) -> Self {
        match error {
            sync::SyncError::Link(link) => link.into(),
            sync::SyncError::Journal(journal) => journal.into(),
        }
    }
}

impl From<link::LinkError> for IpcError {
    fn from(error: link::LinkError) -> Self {
        use link::LinkError as E;
        let kind = match &error {
            E::NoAdapter | E::BluetoothOff | E::PermissionDenied | E::StackUnavailable { .. } => {
                ErrorKind::BluetoothUnavailable
            }
            E::NotFound { .. } | E::ConnectFailed { .. } | E::Gatt(_) => {
                ErrorKind::DeviceUnreachable
            }
            E::PairingFailed { .. } | E::NotBonded { .. } => ErrorKind::PairingNeeded,
            E::NotAMonitor { .. } | E::Unsupported(_) => ErrorKind::InvalidInput,
            E::TaskGone | E::Stack(_) => ErrorKind::Internal,
        };
        IpcError::new(kind, sentence(&error.to_string()))
    }
}

/// A domain error message (worded for a CLI line) as a sentence for the app.
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut text = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_messages_reach_the_patient_as_sentences() {
        let refused = IpcError::from(journal::Error::Invalid(
            "the journal opens and is intact, so it was not moved".into(),
        ));
        assert_eq!(refused.kind, ErrorKind::InvalidInput);
        assert_eq!(
            refused.message,
            "The journal opens and is intact, so it was not moved."
        );
        let unusual = IpcError::from(journal::Error::Implausible("low glucose".into()));
        assert_eq!(
            unusual.message,
            "Low glucose: check the value and confirm it to store it anyway."
        );
    }
}
