//! `vitalog devices list`: the monitors the journal knows and their sync state.

use serde::Serialize;

use crate::error::CliError;
use crate::options::GlobalOptions;

#[derive(Debug, Serialize)]
struct DeviceJson {
    id: String,
    maker: Option<String>,
    model: Option<String>,
    serial: Option<String>,
    paired: bool,
    kind: Option<readings::MonitorKind>,
    battery_percent: Option<u8>,
    /// RFC 3339 UTC.
    last_sync: Option<String>,
    last_sequence: Option<i64>,
    clock_drift_s: Option<i64>,
}

/// Prints the journal's devices.
pub fn run(json: bool, global: &GlobalOptions) -> Result<(), CliError> {
    let journal = super::open_journal(global)?;
    let devices: Vec<DeviceJson> = journal
        .devices()?
        .into_iter()
        .map(|device| DeviceJson {
            id: super::cli_id(&device),
            maker: device.info.maker,
            model: device.info.model,
            serial: device.info.serial,
            paired: device.paired,
            kind: device.kind,
            battery_percent: device.battery_percent,
            last_sync: device.last_sync.map(|at| at.to_rfc3339()),
            last_sequence: device.last_sequence,
            clock_drift_s: device.clock_drift_s,
        })
        .collect();
    if json {
        return super::print_json(&devices);
    }
    for device in &devices {
        println!(
            "{}  {} {}  {}",
            device.id,
            device.maker.as_deref().unwrap_or(""),
            device.model.as_deref().unwrap_or(""),
            if device.paired {
                "paired"
            } else {
                "not paired"
            }
        );
    }
    Ok(())
}
