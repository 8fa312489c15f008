//! The one error shape that crosses IPC: `{ kind, message }`.
//!
//! `kind` is a closed set the UI branches on; `message` is for people and is never parsed.

use serde::Serialize;
use specta::Type;

/// What went wrong, as far as the UI needs to know to react.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The request itself was malformed or out of range.
    InvalidInput,
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
}

impl IpcError {
    /// An error of `kind` with a message for the patient.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
}
