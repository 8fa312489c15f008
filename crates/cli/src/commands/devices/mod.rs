//! `vitalog devices`, `vitalog sync` and `vitalog demo`: find, pair and sync Bluetooth health
//! monitors, or a simulated one, into the journal.
//!
//! Progress goes to stderr and never carries a health value; results go to stdout.

pub mod demo;
mod list;
pub mod sync;

use std::time::Duration;

use clap::{Args, Subcommand};
use journal::Journal;
use serde::Serialize;

use crate::commands::{print_json, runtime};
use crate::error::CliError;
use crate::options::GlobalOptions;

pub use demo::DemoArgs;
pub use sync::SyncArgs;

use ::sync::SyncError;
use ::sync::monitor::{SyncEvent, SyncReport};
use link::radio::BLE_IDENTITY;

/// Arguments of `vitalog devices`.
#[derive(Debug, Args)]
pub struct DevicesArgs {
    #[command(subcommand)]
    command: DevicesCommand,
}

#[derive(Debug, Subcommand)]
enum DevicesCommand {
    /// Look for health monitors nearby
    Scan {
        /// How long to listen for advertisements
        #[arg(long, default_value_t = 5, value_name = "N")]
        seconds: u64,
        /// Print a JSON array instead of text
        #[arg(long)]
        json: bool,
    },
    /// Pair a monitor found by `scan` (the system asks for the PIN it shows) and remember it
    Pair {
        /// The id `scan` printed
        id: String,
    },
    /// List the monitors the journal knows
    List {
        /// Print a JSON array instead of text
        #[arg(long)]
        json: bool,
    },
    /// Stop syncing a monitor automatically (its readings stay in the journal)
    Forget {
        /// The id `list` printed
        id: String,
    },
}

/// Runs `vitalog devices …`.
pub fn run(args: &DevicesArgs, global: &GlobalOptions) -> Result<(), CliError> {
    match &args.command {
        DevicesCommand::Scan { seconds, json } => scan(*seconds, *json),
        DevicesCommand::Pair { id } => pair(id, global),
        DevicesCommand::List { json } => list::run(*json, global),
        DevicesCommand::Forget { id } => forget(id, global),
    }
}

/// One monitor found by a scan, as `scan --json` prints it.
#[derive(Debug, Serialize)]
struct FoundJson {
    id: String,
    name: Option<String>,
    kind: &'static str,
    rssi: Option<i16>,
    paired: bool,
}

fn scan(seconds: u64, json: bool) -> Result<(), CliError> {
    let found = runtime()?.block_on(async {
        let bluetooth = link::bluez::Bluetooth::open().await?;
        bluetooth.scan(Duration::from_secs(seconds)).await
    })?;
    let found: Vec<FoundJson> = found
        .into_iter()
        .map(|monitor| FoundJson {
            id: monitor.id,
            name: monitor.name,
            kind: monitor.kind.as_str(),
            rssi: monitor.rssi,
            paired: monitor.paired,
        })
        .collect();
    if json {
        print_json(&found)?;
    } else if found.is_empty() {
        println!("no health monitors found: wake the monitor up (take a reading) and scan again");
    } else {
        for monitor in &found {
            println!(
                "{}  {:<16} {:<24} {:>5}  {}",
                monitor.id,
                monitor.kind,
                monitor.name.as_deref().unwrap_or("(no name)"),
                monitor.rssi.map(|r| format!("{r}dBm")).unwrap_or_default(),
                if monitor.paired {
                    "paired"
                } else {
                    "not paired"
                },
            );
        }
    }
    Ok(())
}

fn pair(id: &str, global: &GlobalOptions) -> Result<(), CliError> {
    let mut journal = open_journal(global)?;
    let identity = format!("{BLE_IDENTITY}{}", id.to_ascii_uppercase());
    runtime()?.block_on(async {
        let bluetooth = link::bluez::Bluetooth::open().await?;
        eprintln!("pairing with {id}: enter the PIN the monitor shows when the system asks");
        bluetooth.pair(id).await?;
        let mut transport = bluetooth.connect(id).await?;
        let kind = link::kind::of_characteristics(link::Transport::characteristics(&transport))
            .ok_or_else(|| link::LinkError::NotAMonitor { id: id.to_owned() })?;
        link::Transport::disconnect(&mut transport).await;
        eprintln!("paired with {id} ({})", kind.as_str());
        Ok::<(), link::LinkError>(())
    })?;
    let device = journal.register_device(&journal::DeviceInfo {
        identity,
        ..journal::DeviceInfo::default()
    })?;
    journal.set_device_paired(device, true)?;
    Ok(())
}

fn forget(id: &str, global: &GlobalOptions) -> Result<(), CliError> {
    let mut journal = open_journal(global)?;
    let device = find_device(&journal, id)?;
    journal.set_device_paired(device.id, false)?;
    eprintln!("{id} will no longer be synced; its readings stay in the journal");
    Ok(())
}

/// The device a CLI id names: a Bluetooth address or a demo identity.
fn find_device(journal: &Journal, id: &str) -> Result<journal::Device, CliError> {
    let ble = format!("{BLE_IDENTITY}{}", id.to_ascii_uppercase());
    for identity in [ble.as_str(), id] {
        if let Some(device) = journal.device_by_identity(identity)? {
            return Ok(device);
        }
    }
    Err(CliError::InvalidInput(format!(
        "no device {id} in the journal: `vitalog devices list` shows the ids"
    )))
}

/// The CLI id of a journal device: the Bluetooth address, or the identity as is.
fn cli_id(device: &journal::Device) -> String {
    let identity = &device.info.identity;
    identity
        .strip_prefix(BLE_IDENTITY)
        .unwrap_or(identity)
        .to_owned()
}

/// Opens the journal in the data folder with the passphrase from the usual sources.
fn open_journal(global: &GlobalOptions) -> Result<Journal, CliError> {
    let dir = global.data_dir()?;
    if !Journal::exists(&dir) {
        return Err(CliError::InvalidInput(format!(
            "there is no journal in {}: create one in the app first, or pass --data-dir",
            dir.display()
        )));
    }
    let passphrase = crate::passphrase::obtain(global, "Journal passphrase: ")?;
    Ok(Journal::open(&dir, &passphrase)?)
}

/// One monitor's result in `sync --json` and `demo --json`.
#[derive(Debug, Serialize)]
struct SyncedJson {
    id: String,
    new: u32,
    already_present: u32,
    rejected: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The whole `sync --json` result.
#[derive(Debug, Serialize)]
struct SyncJson {
    devices: Vec<SyncedJson>,
}

impl SyncedJson {
    fn from_result(id: String, result: Result<SyncReport, SyncError>) -> Self {
        match result {
            Ok(report) => SyncedJson {
                id,
                new: report.new,
                already_present: report.already_present,
                rejected: report.rejected,
                error: report.interrupted,
            },
            Err(error) => SyncedJson {
                id,
                new: 0,
                already_present: 0,
                rejected: 0,
                error: Some(error.to_string()),
            },
        }
    }
}

/// Prints sync progress on stderr: counts and clock drift, never a reading.
fn progress(id: &str) -> impl FnMut(SyncEvent) + Send + '_ {
    move |event| match event {
        SyncEvent::DeviceInformation {
            maker,
            model,
            battery_percent,
        } => eprintln!(
            "{id}: {} {}{}",
            maker.unwrap_or_default(),
            model.unwrap_or_default(),
            battery_percent
                .map(|b| format!(", battery {b}%"))
                .unwrap_or_default()
        ),
        SyncEvent::Clock { drift_s, set } => match (drift_s, set) {
            (Some(drift), true) => eprintln!("{id}: clock was off by {drift} s; set it"),
            (Some(drift), false) => eprintln!("{id}: clock is off by {drift} s"),
            (None, _) => {}
        },
        SyncEvent::Progress { received, expected } => match expected {
            Some(expected) => eprintln!("{id}: {received} of {expected} records"),
            None => eprintln!("{id}: {received} records"),
        },
        SyncEvent::CuffPressure { .. } => {}
    }
}

fn print_sync(results: Vec<SyncedJson>, json: bool) -> Result<(), CliError> {
    if json {
        return print_json(&SyncJson { devices: results });
    }
    for result in &results {
        match &result.error {
            Some(error) if result.new == 0 && result.already_present == 0 => {
                println!("{}: {error}", result.id);
            }
            error => println!(
                "{}: {} new, {} already in the journal, {} rejected{}",
                result.id,
                result.new,
                result.already_present,
                result.rejected,
                error
                    .as_ref()
                    .map(|e| format!(" (stopped early: {e}; the next sync resumes)"))
                    .unwrap_or_default()
            ),
        }
    }
    Ok(())
}
