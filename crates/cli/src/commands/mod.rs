//! The subcommands, one module per area of the product, and the single place they are listed.

mod decode;
mod info;

use clap::Subcommand;

use crate::error::CliError;
use crate::options::GlobalOptions;

/// Every `vitalog` subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the version and where Vitalog keeps its data
    Info(info::InfoArgs),
    /// Decode a Bluetooth characteristic value (or a stream of them) to JSON
    Decode(decode::DecodeArgs),
}

/// Runs one parsed subcommand.
pub fn run(command: Command, global: &GlobalOptions) -> Result<(), CliError> {
    match command {
        Command::Info(args) => info::run(&args, global),
        Command::Decode(args) => decode::run(&args),
    }
}
