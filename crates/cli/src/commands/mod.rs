//! The subcommands, one module per area of the product, and the single place they are listed.

mod bench;
mod decode;
mod devices;
mod info;
mod journal;
mod share;
mod trends;

use clap::Subcommand;

use crate::error::CliError;
use crate::options::GlobalOptions;

use self::journal::{add, backup, edit, exchange, keys, list};

/// Every `vitalog` subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the version and where Vitalog keeps its data
    Info(info::InfoArgs),
    /// Measure performance against a baseline taken in the same run
    Bench(bench::BenchArgs),
    /// Decode a Bluetooth characteristic value (or a stream of them) to JSON
    Decode(decode::DecodeArgs),
    /// Create an encrypted journal and show its recovery key once
    Init(keys::InitArgs),
    /// Check that the passphrase unlocks the journal and that it is intact
    UnlockCheck(keys::UnlockCheckArgs),
    /// Change the passphrase (with the current one or the recovery key)
    Passwd(keys::PasswdArgs),
    /// Re-encrypt the journal under a new key (in the current page layout) and issue a new
    /// recovery key
    Rekey(keys::RekeyArgs),
    /// Add a reading or an event
    Add(add::AddArgs),
    /// List entries (add --json for a JSON array)
    List(list::ListArgs),
    /// Change an entry; the previous version is kept
    Edit(edit::EditArgs),
    /// Delete an entry (it can be brought back with undelete)
    Delete(edit::DeleteArgs),
    /// Bring back the most recently deleted entry
    Undelete(edit::UndeleteArgs),
    /// Show every version of an entry
    History(edit::HistoryArgs),
    /// Add or list the people in the journal
    Person(edit::PersonArgs),
    /// Import a CSV or JSON Lines file written by export
    Import(exchange::ImportArgs),
    /// Export every entry as CSV or JSON Lines (not encrypted)
    Export(exchange::ExportArgs),
    /// Write an encrypted backup
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty data folder
    Restore(backup::RestoreArgs),
    /// Destroy the journal, its key file and its keychain entry
    Erase(backup::EraseArgs),
    /// Keep a damaged journal aside (nothing is deleted) so a backup can be restored
    SetAside(backup::SetAsideArgs),
    /// Find, pair, list and forget Bluetooth health monitors
    Devices(devices::DevicesArgs),
    /// Copy new readings from the paired monitors into the journal
    Sync(devices::SyncArgs),
    /// Sync from a simulated monitor into the journal (demo data)
    Demo(devices::DemoArgs),
    /// Statistics of a period: glucose (time in ranges, GMI, AGP), blood pressure, weight, …
    Stats(self::trends::stats::StatsArgs),
    /// Draw one of the app's charts of a period as an SVG file
    Chart(self::trends::chart::ChartArgs),
    /// Write the doctor-visit report of a period as a PDF
    Report(self::trends::report::ReportArgs),
    /// Share readings with a care team's FHIR server: add, grant, pause, resume, revoke,
    /// send, list, log
    Share(share::ShareArgs),
}

/// Runs one parsed subcommand.
pub fn run(command: Command, global: &GlobalOptions) -> Result<(), CliError> {
    match command {
        Command::Info(args) => info::run(&args, global),
        Command::Bench(args) => bench::run(&args),
        Command::Decode(args) => decode::run(&args),
        Command::Init(args) => keys::init(&args, global),
        Command::UnlockCheck(args) => keys::unlock_check(&args, global),
        Command::Passwd(args) => keys::passwd(&args, global),
        Command::Rekey(args) => keys::rekey(&args, global),
        Command::Add(args) => add::run(&args, global),
        Command::List(args) => list::run(&args, global),
        Command::Edit(args) => edit::edit(&args, global),
        Command::Delete(args) => edit::delete(&args, global),
        Command::Undelete(args) => edit::undelete(&args, global),
        Command::History(args) => edit::history(&args, global),
        Command::Person(args) => edit::person(&args, global),
        Command::Import(args) => exchange::import(&args, global),
        Command::Export(args) => exchange::export(&args, global),
        Command::SetAside(args) => backup::set_aside(&args, global),
        Command::Backup(args) => backup::backup(&args, global),
        Command::Restore(args) => backup::restore(&args, global),
        Command::Erase(args) => backup::erase(&args, global),
        Command::Devices(args) => devices::run(&args, global),
        Command::Sync(args) => devices::sync::run(&args, global),
        Command::Demo(args) => devices::demo::run(&args, global),
        Command::Stats(args) => self::trends::stats::run(&args, global),
        Command::Chart(args) => self::trends::chart::run(&args, global),
        Command::Report(args) => self::trends::report::run(&args, global),
        Command::Share(args) => share::run(&args, global),
    }
}

/// A runtime for the network or Bluetooth work of one command.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| CliError::Io {
            context: "cannot start the async runtime".into(),
            source,
        })
}

/// Prints one JSON document on a line.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text =
        serde_json::to_string(value).map_err(|error| CliError::InvalidInput(error.to_string()))?;
    println!("{text}");
    Ok(())
}
