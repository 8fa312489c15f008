//! Why a sync could not be done: the link failed, or the journal did.

use link::LinkError;

/// Why a sync, scan, pairing or forget through the adapter failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The Bluetooth link failed (or refused an unbonded monitor).
    #[error(transparent)]
    Link(#[from] LinkError),
    /// The journal refused to store something.
    #[error("the journal could not store the readings: {0}")]
    Journal(#[from] journal::Error),
}
