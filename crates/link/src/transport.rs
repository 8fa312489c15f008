//! The seam between the protocol and the radio: a connected monitor as a small async trait.
//!
//! The btleplug link ([`crate::bluez::BluezTransport`]) and every simulated monitor implement
//! [`Transport`]; sessions, sync and the app above it never know which one they talk to.

use std::future::Future;

use ble_proto::session::{Characteristic, Subscription};

/// How well the link to a monitor is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LinkSecurity {
    /// The monitor is bonded with this host (keys stored on both sides).
    pub bonded: bool,
    /// The link is encrypted.
    pub encrypted: bool,
}

impl LinkSecurity {
    /// Bonded and encrypted: what the glucose profile requires before records are accepted.
    pub const BONDED: LinkSecurity = LinkSecurity {
        bonded: true,
        encrypted: true,
    };

    /// Whether the link is both bonded and encrypted.
    pub fn is_bonded_and_encrypted(self) -> bool {
        self.bonded && self.encrypted
    }
}

/// Something the monitor did on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkEvent {
    /// A notification or indication.
    Notification {
        /// The characteristic that notified or indicated.
        characteristic: Characteristic,
        /// The value carried.
        value: Vec<u8>,
    },
    /// The link is gone.
    Disconnected,
}

/// Why a GATT operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GattError {
    /// The monitor answered with this ATT error code.
    #[error("the monitor answered with ATT error 0x{0:02X}")]
    Att(u8),
    /// The monitor does not have this characteristic.
    #[error("the monitor has no {0} characteristic")]
    Missing(Characteristic),
    /// The link went down.
    #[error("the link to the monitor is down")]
    Disconnected,
    /// The Bluetooth stack failed otherwise.
    #[error("the Bluetooth stack failed: {0}")]
    Stack(String),
}

/// A connected, discovered monitor: one GATT operation at a time, events in between.
///
/// `next_event` must be cancel-safe: the driver races it against the session's timer.
pub trait Transport: Send {
    /// The characteristics discovered on the monitor that Vitalog knows.
    fn characteristics(&self) -> &[Characteristic];

    /// Whether the monitor has `characteristic`.
    fn has(&self, characteristic: Characteristic) -> bool {
        self.characteristics().contains(&characteristic)
    }

    /// The link's protection now.
    fn security(&self) -> LinkSecurity;

    /// Reads a characteristic.
    fn read(
        &mut self,
        characteristic: Characteristic,
    ) -> impl Future<Output = Result<Vec<u8>, GattError>> + Send;

    /// Writes a characteristic with response.
    fn write(
        &mut self,
        characteristic: Characteristic,
        value: &[u8],
    ) -> impl Future<Output = Result<(), GattError>> + Send;

    /// Enables notifications or indications of a characteristic.
    fn subscribe(
        &mut self,
        characteristic: Characteristic,
        subscription: Subscription,
    ) -> impl Future<Output = Result<(), GattError>> + Send;

    /// The next notification, or the disconnection. Cancel-safe.
    fn next_event(&mut self) -> impl Future<Output = LinkEvent> + Send;

    /// Closes the link.
    fn disconnect(&mut self) -> impl Future<Output = ()> + Send;
}
