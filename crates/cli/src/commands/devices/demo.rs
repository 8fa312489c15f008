//! `vitalog demo`: sync from a simulated monitor into the journal, as demo data.

use ::sync::monitor::{SyncOptions, sync_monitor};
use clap::Args;
use readings::{MonitorId, MonitorKind, Source};
use simulator::{
    BloodPressureCuff, ContinuousGlucoseMonitor, Faults, GlucoseMeter, ReadingMonitor,
};

use super::{SyncedJson, open_journal, print_sync, progress, runtime};
use crate::error::CliError;
use crate::options::GlobalOptions;

/// Arguments of `vitalog demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The simulated monitor: glucose, blood-pressure, cgm, thermometer, weight, body-composition,
    /// pulse-oximeter or heart-rate
    kind: String,
    /// How many stored records it holds (per user for a cuff)
    #[arg(long, default_value_t = 10, value_name = "N")]
    records: u16,
    /// Faults to show: drop:N, truncate:N, malformed:N, duplicate, clock:SECONDS, unbonded
    #[arg(long, default_value = "", value_name = "LIST")]
    faults: String,
    /// Set the monitor's clock when it is off
    #[arg(long)]
    set_clock: bool,
    /// Print the result as JSON
    #[arg(long)]
    json: bool,
}

/// Runs `vitalog demo`.
pub fn run(args: &DemoArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let kind = MonitorKind::parse(&args.kind).ok_or_else(|| {
            CliError::InvalidInput(format!(
                "unknown demo monitor {:?}: use glucose, blood-pressure, cgm, thermometer, weight, body-composition, pulse-oximeter or heart-rate",
                args.kind
            ))
        })?;
    let faults: Faults = args
        .faults
        .parse()
        .map_err(|error: simulator::InvalidFaults| CliError::InvalidInput(error.to_string()))?;
    let mut journal = open_journal(global)?;
    let id = MonitorId::demo(kind).to_string();
    let options = SyncOptions {
        id: id.clone(),
        identity: id.clone(),
        kind,
        source: Source::Demo,
        set_clock: args.set_clock,
    };
    let result = runtime()?.block_on(async {
        match kind {
            MonitorKind::Glucose => {
                let mut meter = GlucoseMeter::new(args.records, faults);
                sync_monitor(&mut meter, &mut journal, &options, progress(&id)).await
            }
            MonitorKind::BloodPressure => {
                let mut cuff = BloodPressureCuff::new(args.records, faults);
                sync_monitor(&mut cuff, &mut journal, &options, progress(&id)).await
            }
            MonitorKind::ContinuousGlucose => {
                let mut cgm = ContinuousGlucoseMonitor::new(args.records, faults);
                sync_monitor(&mut cgm, &mut journal, &options, progress(&id)).await
            }
            other => match ReadingMonitor::new(other, args.records, faults) {
                Some(mut monitor) => {
                    sync_monitor(&mut monitor, &mut journal, &options, progress(&id)).await
                }
                None => Err(link::LinkError::Unsupported(other.as_str()).into()),
            },
        }
    });
    print_sync(vec![SyncedJson::from_result(id, result)], args.json)
}
