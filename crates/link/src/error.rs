//! Errors of the link, worded so the patient knows what to do.

use crate::transport::GattError;

/// Why a Bluetooth operation could not be done.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// There is no Bluetooth adapter.
    #[error("no Bluetooth adapter was found: plug one in or use a computer with Bluetooth")]
    NoAdapter,
    /// The adapter is switched off.
    #[error("Bluetooth is switched off: turn it on in the system settings and try again")]
    BluetoothOff,
    /// The operating system refused access to Bluetooth.
    #[error(
        "Vitalog may not use Bluetooth: allow it in the system settings (on Linux, the user must be allowed to talk to BlueZ over D-Bus)"
    )]
    PermissionDenied,
    /// The Bluetooth service of the operating system is not reachable.
    #[error(
        "Bluetooth is off or not available on this computer: turn Bluetooth on (on Linux, the bluetooth service must be running) and try again"
    )]
    StackUnavailable {
        /// What the stack said, for the curious and for bug reports (see [`LinkError::detail`]).
        detail: String,
    },
    /// No monitor with this id is known to the system.
    #[error("no monitor {id} is in range or known to the system: wake it up and scan again")]
    NotFound {
        /// The id asked for.
        id: String,
    },
    /// The monitor does not offer a health service Vitalog knows.
    #[error("the device {id} offers no health service Vitalog can read")]
    NotAMonitor {
        /// The device's id.
        id: String,
    },
    /// Pairing failed or was refused.
    #[error(
        "pairing with {id} failed: put the monitor in pairing mode, enter the PIN shown on it when the system asks, and try again ({detail})"
    )]
    PairingFailed {
        /// The monitor's id.
        id: String,
        /// What the stack said.
        detail: String,
    },
    /// The link is not bonded and encrypted, but the profile requires it.
    #[error(
        "the {kind} monitor is not paired with this computer, so its readings were not accepted: pair it first (`vitalog devices pair {id}` or Devices → Pair in the app), entering the PIN it shows"
    )]
    NotBonded {
        /// The monitor's kind, as a stable name.
        kind: &'static str,
        /// The monitor's id.
        id: String,
    },
    /// Connecting or discovering services failed.
    #[error("could not connect to {id}: bring it closer, wake it up and try again ({detail})")]
    ConnectFailed {
        /// The monitor's id.
        id: String,
        /// What the stack said.
        detail: String,
    },
    /// A GATT operation failed.
    #[error(transparent)]
    Gatt(#[from] GattError),
    /// This kind of monitor cannot be synced yet.
    #[error("syncing a {0} monitor is not supported yet")]
    Unsupported(&'static str),
    /// The adapter task is gone (the app is shutting down).
    #[error("the Bluetooth task has stopped")]
    TaskGone,
    /// The Bluetooth stack failed otherwise.
    #[error("the Bluetooth stack failed: {0}")]
    Stack(String),
}

impl LinkError {
    /// The system's own words behind an error whose message leaves them out, to show behind
    /// a "Details" toggle or on a second line.
    pub fn detail(&self) -> Option<&str> {
        match self {
            LinkError::StackUnavailable { detail } => Some(detail),
            _ => None,
        }
    }
}
