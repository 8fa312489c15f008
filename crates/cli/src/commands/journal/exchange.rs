//! `vitalog export` and `vitalog import`: the journal's own CSV and JSON Lines (lossless; see
//! `journal::Format`). An export is plaintext by nature, so it is written only where asked.

use std::io::{BufReader, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use journal::{Filter, Format};

use crate::error::CliError;
use crate::options::GlobalOptions;

/// File formats on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Comma-separated values with a header row
    Csv,
    /// JSON Lines
    Jsonl,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Jsonl => Format::Jsonl,
        }
    }
}

/// Arguments of `vitalog export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// csv or jsonl
    #[arg(long, value_enum)]
    format: FormatArg,

    /// Only entries at or after this time (RFC 3339 with offset)
    #[arg(long, value_name = "TIME")]
    from: Option<String>,

    /// Only entries before this time (RFC 3339 with offset)
    #[arg(long, value_name = "TIME")]
    to: Option<String>,

    /// Only this kind (repeatable): glucose, bp, weight, …
    #[arg(long = "kind", value_name = "KIND")]
    kinds: Vec<String>,

    /// Write to FILE instead of standard output (the file is NOT encrypted)
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Writes the entries asked for (every one by default).
pub fn export(args: &ExportArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let filter = Filter {
        kinds: args
            .kinds
            .iter()
            .map(|k| k.parse::<readings::Kind>())
            .collect::<Result<_, _>>()?,
        from: args.from.as_deref().map(super::parse_time).transpose()?,
        to: args.to.as_deref().map(super::parse_time).transpose()?,
        ..Filter::default()
    };
    let mut journal = super::unlock(global)?;
    let count = match &args.output {
        Some(path) => journal.export_file(args.format.into(), &filter, path)?,
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let n = journal.export(args.format.into(), &filter, &mut out)?;
            out.flush().map_err(|source| CliError::Io {
                context: "cannot write the export".into(),
                source,
            })?;
            n
        }
    };
    journal.lock();
    eprintln!("exported {count} entries (this export is not encrypted; keep it safe)");
    Ok(())
}

/// Arguments of `vitalog import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A file written by `vitalog export`
    file: PathBuf,

    /// csv or jsonl [default: from the file name, .csv or .jsonl]
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
}

/// Imports a file, all or nothing; entries already present are skipped.
pub fn import(args: &ImportArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let format = match args.format {
        Some(f) => f.into(),
        None => Format::from_file_name(&args.file).ok_or_else(|| {
            CliError::InvalidInput(
                "cannot tell the format from the file name: pass --format csv or --format jsonl"
                    .into(),
            )
        })?,
    };
    let file = std::fs::File::open(&args.file).map_err(|source| CliError::Io {
        context: format!("cannot open {}", args.file.display()),
        source,
    })?;
    let mut journal = super::unlock(global)?;
    let summary = journal.import(format, &mut BufReader::new(file))?;
    journal.lock();
    println!(
        "imported {} entries ({} were already present)",
        summary.added, summary.already_present
    );
    Ok(())
}
