//! `vitalog`: the command-line adapter over Vitalog's domain crates.
//!
//! Each area of the product has one module under `commands/` with its own clap subcommand
//! type; this file only parses, dispatches and turns an error into one line and an exit code.

mod commands;
mod error;
mod options;
mod passphrase;

use clap::Parser;

use crate::commands::Command;
use crate::error::CliError;
use crate::options::GlobalOptions;

/// Vitalog keeps an encrypted journal of the readings from your home health monitors.
#[derive(Debug, Parser)]
#[command(name = "vitalog", version, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    global: GlobalOptions,

    #[command(subcommand)]
    command: Command,
}

fn main() -> std::process::ExitCode {
    // Before anything can hold a passphrase or a key.
    journal::process::forbid_core_dumps();
    let cli = Cli::parse();
    match commands::run(cli.command, &cli.global) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => report(&error),
    }
}

/// Prints an error as one line on stderr (and the system's own words on a second, when the
/// message leaves them out) and picks the exit code scripts can branch on.
fn report(error: &CliError) -> std::process::ExitCode {
    eprintln!("vitalog: {error}");
    if let CliError::Link(link) = error
        && let Some(detail) = link.detail()
    {
        eprintln!("vitalog: (the system said: {detail})");
    }
    std::process::ExitCode::from(error.exit_code())
}
