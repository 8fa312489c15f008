//! The shapes devices, scans, syncs and live readings take on the way to the UI.

use journal::Device;
use link::FoundMonitor;
use readings::{MonitorId, MonitorKind};
use serde::{Deserialize, Serialize};
use simulator::DemoProblem;
use specta::Type;
use sync::monitor::{SyncEvent, SyncReport};

use crate::commands::journal::dto::EntryView;

/// A monitor found by a scan.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FoundMonitorView {
    /// The id `pair_device` and `sync_device` take (a Bluetooth address or a demo id).
    pub id: String,
    /// Its advertised name.
    pub name: Option<String>,
    /// What it measures.
    pub kind: MonitorKind,
    /// Signal strength in dBm.
    pub rssi: Option<i16>,
    /// Whether it is paired with this computer.
    pub paired: bool,
    /// A simulated monitor whose readings are marked as demo data.
    pub demo: bool,
}

impl From<FoundMonitor> for FoundMonitorView {
    fn from(found: FoundMonitor) -> Self {
        FoundMonitorView {
            demo: MonitorId::new(found.id.as_str()).is_demo(),
            id: found.id,
            name: found.name,
            kind: found.kind,
            rssi: found.rssi,
            paired: found.paired,
        }
    }
}

/// A monitor the patient paired, as its card shows it.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DeviceView {
    /// The id the device commands take.
    pub id: String,
    /// What it measures, once it has synced or a scan has said.
    pub kind: Option<MonitorKind>,
    /// Manufacturer name.
    pub maker: Option<String>,
    /// Model number.
    pub model: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
    /// Firmware revision.
    pub firmware: Option<String>,
    /// Battery level at the last sync, in percent.
    pub battery_percent: Option<u8>,
    /// When it last synced, RFC 3339 UTC.
    pub last_sync: Option<String>,
    /// Its clock minus this computer's at the last sync, in seconds.
    pub clock_drift_s: Option<i64>,
    /// A simulated monitor.
    pub demo: bool,
}

impl From<&Device> for DeviceView {
    fn from(device: &Device) -> Self {
        let identity = &device.info.identity;
        DeviceView {
            id: identity
                .strip_prefix(link::radio::BLE_IDENTITY)
                .unwrap_or(identity)
                .to_owned(),
            kind: device.kind,
            maker: device.info.maker.clone(),
            model: device.info.model.clone(),
            serial: device.info.serial.clone(),
            firmware: device.info.firmware.clone(),
            battery_percent: device.battery_percent,
            last_sync: device.last_sync.map(|at| at.to_rfc3339()),
            clock_drift_s: device.clock_drift_s,
            demo: MonitorId::new(identity.as_str()).is_demo(),
        }
    }
}

/// What the Devices screen knows about Bluetooth and the demo monitors.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RadioView {
    /// Why this computer's Bluetooth cannot be used, as a sentence; none when it can.
    pub bluetooth_problem: Option<String>,
    /// What the system said about it, when the sentence leaves that out (shown behind
    /// "Details").
    pub bluetooth_detail: Option<String>,
    /// Whether demo monitors are offered (asked for, or no Bluetooth).
    pub demo_shown: bool,
    /// Whether the patient asked for them (they are offered anyway without Bluetooth).
    pub demo_chosen: bool,
    /// How the demo monitors behave.
    pub demo: DemoSettings,
}

/// How the demo monitors behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DemoSettings {
    /// Records each demo monitor holds (per user for the cuff).
    pub records: u16,
    /// A problem to show, to see how Vitalog copes.
    pub problem: DemoProblem,
}

impl Default for DemoSettings {
    fn default() -> Self {
        DemoSettings {
            records: 200,
            problem: DemoProblem::None,
        }
    }
}

/// Something that happened during a sync, for the progress display.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum SyncProgress {
    /// The monitor said what it is.
    #[serde(rename_all = "camelCase")]
    Identified {
        /// Manufacturer name.
        maker: Option<String>,
        /// Model number.
        model: Option<String>,
        /// Battery level in percent.
        battery_percent: Option<u8>,
    },
    /// The monitor's clock was compared with this computer's.
    #[serde(rename_all = "camelCase")]
    Clock {
        /// Device minus computer, in seconds.
        drift_s: Option<i64>,
        /// Whether the clock was set.
        set: bool,
    },
    /// Records are arriving.
    #[serde(rename_all = "camelCase")]
    Records {
        /// Received so far.
        received: u32,
        /// How many the monitor announced, when it did.
        expected: Option<u32>,
    },
    /// The live cuff pressure while a cuff inflates (shown, never stored).
    #[serde(rename_all = "camelCase")]
    CuffPressure {
        /// In the cuff's unit.
        value: f64,
    },
}

impl From<SyncEvent> for SyncProgress {
    fn from(event: SyncEvent) -> Self {
        match event {
            SyncEvent::DeviceInformation {
                maker,
                model,
                battery_percent,
            } => SyncProgress::Identified {
                maker,
                model,
                battery_percent,
            },
            SyncEvent::Clock { drift_s, set } => SyncProgress::Clock { drift_s, set },
            SyncEvent::Progress { received, expected } => {
                SyncProgress::Records { received, expected }
            }
            SyncEvent::CuffPressure { value } => SyncProgress::CuffPressure { value },
        }
    }
}

/// What a sync stored.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncSummary {
    /// Readings stored for the first time.
    pub new: u32,
    /// Readings the journal already had.
    pub already_present: u32,
    /// Values the monitor sent that could not be used.
    pub rejected: u32,
    /// Why the transfer stopped early, as a sentence; what arrived is stored and the next
    /// sync resumes after it.
    pub interrupted: Option<String>,
}

impl From<SyncReport> for SyncSummary {
    fn from(report: SyncReport) -> Self {
        SyncSummary {
            new: report.new,
            already_present: report.already_present,
            rejected: report.rejected,
            interrupted: report.interrupted.as_deref().map(crate::error::sentence),
        }
    }
}

/// The latest reading of each kind, sent to the Today screen whenever a sync stores something.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LiveUpdate {
    /// The newest reading of each kind the journal has (glucose, blood pressure, weight,
    /// temperature, oxygen saturation, heart rate).
    pub readings: Vec<EntryView>,
    /// The alerts of the last 24 hours, newest first.
    pub alerts: Vec<crate::commands::alerts::AlertView>,
    /// What just happened, when a background sync caused the update.
    pub message: Option<String>,
}
