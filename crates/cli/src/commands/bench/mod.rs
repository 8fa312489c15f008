//! `vitalog bench`: measurements printed as ratios against a baseline measured in the same run,
//! so the numbers mean the same on a fast laptop and a loaded CI machine. Targets are reported,
//! never asserted: a slow machine is not a failing test.

mod process_tree;
mod startup;

use clap::{Args, Subcommand};

use crate::error::CliError;

/// Arguments of `vitalog bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    which: Bench,
}

#[derive(Debug, Subcommand)]
enum Bench {
    /// Time to an interactive first screen and memory (PSS) of the app, against a bare Tauri window
    Startup(startup::StartupArgs),
}

/// Runs the chosen benchmark.
pub fn run(args: &BenchArgs) -> Result<(), CliError> {
    match &args.which {
        Bench::Startup(startup) => startup::run(startup),
    }
}
