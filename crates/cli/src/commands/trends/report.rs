//! `vitalog report`: the doctor-visit PDF of a period.

use std::path::PathBuf;

use clap::Args;
use readings::Kind;

use super::{Loaded, PeriodArgs};
use crate::error::CliError;
use crate::options::GlobalOptions;

/// Arguments of `vitalog report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    period: PeriodArgs,

    /// The patient's name, printed on the report (left out when not given)
    #[arg(long, value_name = "NAME")]
    name: Option<String>,

    /// Where to write the PDF
    #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
    output: PathBuf,
}

/// Writes the report.
pub fn run(args: &ReportArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let mut loaded = Loaded::read(&args.period, &Kind::ALL, global)?;
    let input = report::ReportInput {
        period: &loaded.period,
        entries: &loaded.entries,
        devices: &loaded.devices,
        patient_name: args
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty()),
        options: loaded.options,
        generated_at: chrono::Utc::now(),
        version: env!("CARGO_PKG_VERSION"),
    };
    let made = report::pdf(&input).map_err(|e| CliError::InvalidInput(e.to_string()))?;
    journal::save_private(&args.output, &made.bytes)?;
    // The next report can start from this visit.
    loaded.journal.record_report()?;
    println!(
        "wrote {} ({} pages, {} KB, {} entries; it is not encrypted, keep it safe)",
        args.output.display(),
        made.pages,
        made.bytes.len().div_ceil(1024),
        loaded.entries.len()
    );
    Ok(())
}
