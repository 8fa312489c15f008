//! The Bluetooth LE seam: the only crate that knows btleplug.
//!
//! [`Transport`] is one connected monitor (read, write, subscribe, the events it sends) and
//! [`Radio`] finds, pairs and connects monitors. The real radio implements them with btleplug
//! ([`bluez::Bluetooth`], Linux, behind the default `bluetooth` feature, with bluez-async for
//! pairing and bond state); the `simulator` crate implements them with simulated monitors, so
//! everything above the seam (the `sync` crate, the app, the CLI) runs the same against both.
//! [`kind`] says which Bluetooth SIG service each [`readings::MonitorKind`] advertises.
//!
//! What the monitors' bytes mean is `ble-proto`'s; what becomes of them is `sync`'s.
//! Nothing here logs a health value, a key or a passphrase.

#![warn(missing_docs)]

#[cfg(all(target_os = "linux", feature = "bluetooth"))]
pub mod bluez;
pub mod error;
pub mod kind;
pub mod radio;
pub mod transport;

pub use error::LinkError;
pub use radio::{FoundMonitor, Radio};
pub use transport::{GattError, LinkEvent, LinkSecurity, Transport};
