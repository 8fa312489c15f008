//! `vitalog sync`: sync the paired monitors (or one) into the journal.

use std::time::Duration;

use ::sync::SyncError;
use ::sync::monitor::{SyncOptions, SyncReport, sync_monitor};
use backon::{ExponentialBuilder, Retryable};
use clap::Args;
use link::LinkError;
use link::radio::BLE_IDENTITY;
use readings::Source;

use super::{SyncedJson, find_device, open_journal, print_sync, progress, runtime};
use crate::error::CliError;
use crate::options::GlobalOptions;

/// Arguments of `vitalog sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Sync only this monitor (an id from `vitalog devices list`)
    #[arg(long, value_name = "ID")]
    device: Option<String>,
    /// Set a monitor's clock when it is off (you agree to have it changed)
    #[arg(long)]
    set_clock: bool,
    /// Print the result as JSON
    #[arg(long)]
    json: bool,
}

/// Runs `vitalog sync`.
pub fn run(args: &SyncArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let mut journal = open_journal(global)?;
    let identities: Vec<String> = match &args.device {
        Some(id) => match find_device(&journal, id) {
            Ok(device) => vec![device.info.identity],
            // A monitor not yet in the journal can be synced by address; glucose meters are
            // refused until paired.
            Err(_) if is_address(id) => {
                vec![format!("{BLE_IDENTITY}{}", id.to_ascii_uppercase())]
            }
            Err(error) => return Err(error),
        },
        None => journal
            .devices()?
            .into_iter()
            .filter(|device| device.paired && device.info.identity.starts_with(BLE_IDENTITY))
            .map(|device| device.info.identity)
            .collect(),
    };
    if identities.is_empty() {
        eprintln!("no paired monitors: pair one with `vitalog devices pair ID`");
    }
    let results = runtime()?.block_on(async {
        let bluetooth = link::bluez::Bluetooth::open().await?;
        let mut results = Vec::new();
        for identity in &identities {
            let id = identity
                .strip_prefix(BLE_IDENTITY)
                .unwrap_or(identity)
                .to_owned();
            let result = sync_one(&bluetooth, &mut journal, &id, identity, args.set_clock).await;
            results.push(SyncedJson::from_result(id, result));
        }
        Ok::<_, LinkError>(results)
    })?;
    print_sync(results, args.json)
}

async fn sync_one(
    bluetooth: &link::bluez::Bluetooth,
    journal: &mut journal::Journal,
    id: &str,
    identity: &str,
    set_clock: bool,
) -> Result<SyncReport, SyncError> {
    eprintln!("{id}: connecting");
    // Monitors sleep between readings and drop out of range: retry the connection with
    // exponential backoff before giving up on this one.
    let connect = || bluetooth.connect(id);
    let mut transport = connect
        .retry(
            ExponentialBuilder::default()
                .with_min_delay(Duration::from_millis(200))
                .with_max_times(3),
        )
        .when(|error| matches!(error, LinkError::ConnectFailed { .. }))
        .await?;
    let kind = link::kind::of_characteristics(link::Transport::characteristics(&transport))
        .ok_or_else(|| LinkError::NotAMonitor { id: id.to_owned() })?;
    let options = SyncOptions {
        id: id.to_owned(),
        identity: identity.to_owned(),
        kind,
        source: Source::Device,
        set_clock,
    };
    sync_monitor(&mut transport, journal, &options, progress(id)).await
}

/// Whether `id` looks like a Bluetooth address (`AA:BB:CC:DD:EE:FF`).
fn is_address(id: &str) -> bool {
    let parts: Vec<&str> = id.split(':').collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|part| part.len() == 2 && part.chars().all(|c| c.is_ascii_hexdigit()))
}
