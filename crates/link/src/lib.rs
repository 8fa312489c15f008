//! The Bluetooth LE link: the only crate that knows btleplug.
//!
//! It finds health monitors ([`bluez::Bluetooth::scan`]), pairs them through the operating
//! system, connects, and drives the sans-IO sessions of `ble-proto` over a [`Transport`]: it
//! feeds them what the monitor sends and carries out what they ask (subscribe, write, read,
//! timers, disconnect). [`sync::sync_monitor`] turns a session's records into journal entries.
//!
//! Simulated monitors (the `simulator` crate) implement the same [`Transport`], so everything
//! above the seam runs the same against a real monitor and a simulated one. Long-lived
//! Bluetooth work runs in one task that owns the radio ([`adapter::spawn`]); the app
//! talks to it over channels.
//!
//! Nothing here logs a health value, a key or a passphrase.

#![warn(missing_docs)]

pub mod adapter;
#[cfg(target_os = "linux")]
pub mod bluez;
pub mod drive;
pub mod error;
pub mod kind;
pub mod listen;
pub mod radio;
pub mod records;
pub mod sync;
pub mod transport;

pub use error::LinkError;
pub use kind::MonitorKind;
pub use radio::{FoundMonitor, Radio};
pub use transport::{GattError, LinkEvent, LinkSecurity, Transport};
