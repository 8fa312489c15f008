//! `vitalog list`: entries, oldest first, as text or JSON (see [`super::wire`]).

use clap::Args;
use journal::Filter;
use readings::Kind;

use super::wire::{EntryJson, summary};
use crate::error::CliError;
use crate::options::GlobalOptions;

/// Arguments of `vitalog list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this kind (repeatable): glucose, bp, weight, temperature, spo2, heart_rate, body_fat,
    /// medication, insulin, meal, symptom, note
    #[arg(long = "kind", value_name = "KIND")]
    kinds: Vec<String>,

    /// At or after this time (RFC 3339 with offset)
    #[arg(long, value_name = "TIME")]
    from: Option<String>,

    /// Before this time (RFC 3339 with offset)
    #[arg(long, value_name = "TIME")]
    to: Option<String>,

    /// Only this person's entries
    #[arg(long, value_name = "NAME")]
    person: Option<String>,

    /// Include deleted entries
    #[arg(long)]
    deleted: bool,

    /// Print a JSON array
    #[arg(long)]
    json: bool,
}

/// Prints the entries.
pub fn run(args: &ListArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let kinds = args
        .kinds
        .iter()
        .map(|k| k.parse::<Kind>())
        .collect::<Result<Vec<_>, _>>()?;
    let from = args.from.as_deref().map(super::parse_time).transpose()?;
    let to = args.to.as_deref().map(super::parse_time).transpose()?;
    let journal = super::unlock(global)?;
    let person = args
        .person
        .as_deref()
        .map(|name| super::person(&journal, name))
        .transpose()?;
    let entries = journal.list(&Filter {
        kinds,
        from,
        to,
        person,
        include_deleted: args.deleted,
        ..Filter::default()
    })?;
    let people = journal.people()?;
    journal.lock();
    if args.json {
        let json: Vec<EntryJson> = entries.iter().map(|e| EntryJson::new(e, &people)).collect();
        let text = serde_json::to_string_pretty(&json)
            .map_err(|e| CliError::InvalidInput(e.to_string()))?;
        println!("{text}");
        return Ok(());
    }
    for e in &entries {
        let person = people
            .iter()
            .find(|p| p.id == e.person)
            .map(|p| p.name.as_str())
            .unwrap_or("?");
        println!(
            "{:>6}  {}  {:<11} {:<6} {}{}",
            e.id,
            e.at.to_rfc3339(),
            e.content.kind().as_str(),
            person,
            summary(e),
            if e.deleted { " (deleted)" } else { "" }
        );
    }
    Ok(())
}
