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
    /// An HL7 FHIR R4 Bundle (type collection) of the readings, for a care team's system
    Fhir,
}

impl FormatArg {
    /// The journal's own format, when it is one (FHIR is written from the readings instead).
    fn journal_format(self) -> Option<Format> {
        match self {
            FormatArg::Csv => Some(Format::Csv),
            FormatArg::Jsonl => Some(Format::Jsonl),
            FormatArg::Fhir => None,
        }
    }
}

/// Arguments of `vitalog export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// csv, jsonl or fhir
    #[arg(long, value_enum)]
    format: FormatArg,

    /// The patient's name in a FHIR export (left out when not given)
    #[arg(long, value_name = "NAME")]
    name: Option<String>,

    /// Whose readings a FHIR export holds (default: the journal's owner); CSV and JSON Lines
    /// hold everyone's, each entry with its person
    #[arg(long, value_name = "PERSON")]
    person: Option<String>,

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
    let Some(format) = args.format.journal_format() else {
        return export_fhir(args, journal, &filter);
    };
    let count = match &args.output {
        Some(path) => journal.export_file(format, &filter, path)?,
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let n = journal.export(format, &filter, &mut out)?;
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

/// Writes the readings as a FHIR collection Bundle.
fn export_fhir(
    args: &ExportArgs,
    journal: journal::Journal,
    filter: &Filter,
) -> Result<(), CliError> {
    // One Patient per FHIR file: only that person's readings go in it.
    let person = match &args.person {
        Some(name) => super::person(&journal, name)?,
        None => journal::PersonId(1),
    };
    let entries = journal.list(&Filter {
        person: Some(person),
        ..filter.clone()
    })?;
    let devices = journal.devices()?;
    journal.lock();
    let (bundle, observations) = fhir::collection(&fhir::BundleInput {
        entries: &entries,
        devices: &devices,
        patient_name: args
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty()),
        generated_at: chrono::Utc::now(),
        version: env!("CARGO_PKG_VERSION"),
    });
    match &args.output {
        Some(path) => journal::save_private(path, bundle.as_bytes())?,
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            writeln!(out, "{bundle}").map_err(|source| CliError::Io {
                context: "cannot write the export".into(),
                source,
            })?;
        }
    }
    eprintln!(
        "exported {observations} observations as a FHIR Bundle (this export is not encrypted; keep it safe)"
    );
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
        Some(f) => f.journal_format().ok_or_else(|| {
            CliError::InvalidInput("a FHIR file cannot be imported: use csv or jsonl".into())
        })?,
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
