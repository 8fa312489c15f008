//! The adapter seam: what the one adapter task needs from a radio — scan, pair, connect.
//!
//! [`crate::bluez::Bluetooth`] is the real one; the simulator crate has a demo radio whose
//! monitors are simulated, so the app's demo mode and the tests of the adapter task use the
//! same code path.

use std::future::Future;
use std::time::Duration;

use crate::error::LinkError;
use crate::transport::Transport;
use readings::MonitorKind;

/// The journal identity of a real monitor is its Bluetooth address behind this prefix.
pub const BLE_IDENTITY: &str = "ble:";

/// A health monitor seen while scanning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundMonitor {
    /// Its Bluetooth address (stable across runs: the id `pair` and `sync` take), or a demo id.
    pub id: String,
    /// Its advertised name.
    pub name: Option<String>,
    /// What it measures.
    pub kind: MonitorKind,
    /// Signal strength in dBm, when known.
    pub rssi: Option<i16>,
    /// Whether the system has paired it.
    pub paired: bool,
}

/// A source of monitors: the host's Bluetooth, or simulated ones.
pub trait Radio: Send + Sync + 'static {
    /// The link to a connected monitor.
    type Link: Transport;

    /// Listens for `duration` for monitors advertising a health service.
    fn scan(
        &self,
        duration: Duration,
    ) -> impl Future<Output = Result<Vec<FoundMonitor>, LinkError>> + Send;

    /// Pairs and bonds with a monitor through the system's pairing flow.
    fn pair(&self, id: &str) -> impl Future<Output = Result<(), LinkError>> + Send;

    /// Connects to a monitor and discovers its services.
    fn connect(&self, id: &str) -> impl Future<Output = Result<Self::Link, LinkError>> + Send;

    /// The identity the journal knows the monitor `id` by.
    fn identity(&self, id: &str) -> String;

    /// The journal source of readings from this radio (`demo` for simulated monitors).
    fn source(&self) -> readings::Source;
}
