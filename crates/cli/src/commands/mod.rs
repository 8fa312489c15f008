//! The subcommands, one module per area of the product, and the single place they are listed.

mod bench;
mod decode;
mod devices;
mod info;

use clap::Subcommand;

use crate::error::CliError;
use crate::options::GlobalOptions;

/// Every `vitalog` subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the version and where Vitalog keeps its data
    Info(info::InfoArgs),
    /// Measure performance against a baseline taken in the same run
    Bench(bench::BenchArgs),
    /// Decode a Bluetooth characteristic value (or a stream of them) to JSON
    Decode(decode::DecodeArgs),
    /// Find, pair, list and forget Bluetooth health monitors
    Devices(devices::DevicesArgs),
    /// Copy new readings from the paired monitors into the journal
    Sync(devices::SyncArgs),
    /// Sync from a simulated monitor into the journal (demo data)
    Demo(devices::DemoArgs),
}

/// Runs one parsed subcommand.
pub fn run(command: Command, global: &GlobalOptions) -> Result<(), CliError> {
    match command {
        Command::Info(args) => info::run(&args, global),
        Command::Bench(args) => bench::run(&args),
        Command::Decode(args) => decode::run(&args),
        Command::Devices(args) => devices::run(&args, global),
        Command::Sync(args) => devices::sync::run(&args, global),
        Command::Demo(args) => devices::demo::run(&args, global),
    }
}
