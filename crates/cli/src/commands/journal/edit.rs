//! `vitalog edit`, `delete`, `undelete`, `history` and `person`: changing entries, with every
//! previous version kept.

use clap::{Args, Subcommand};
use journal::{EntryEdit, EntryId};
use readings::{Content, Field, Fields, Unit};

use super::wire::{VersionJson, summary};
use crate::error::CliError;
use crate::options::GlobalOptions;

/// Arguments of `vitalog edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The entry's id (from `vitalog list`)
    id: i64,

    /// New value (glucose, weight, temperature, spo2, pulse, body fat, insulin units, meal carbs)
    #[arg(long)]
    value: Option<String>,

    /// New unit for the value or the pressures
    #[arg(long)]
    unit: Option<String>,

    /// New pressures SYSTOLIC/DIASTOLIC (bp)
    #[arg(long, value_name = "SYS/DIA")]
    bp: Option<String>,

    /// New pulse (bp)
    #[arg(long)]
    pulse: Option<String>,

    /// New meal context (glucose)
    #[arg(long)]
    meal: Option<String>,

    /// New text (medication, symptom, note, insulin name, meal description)
    #[arg(long)]
    text: Option<String>,

    /// New time (RFC 3339 with offset)
    #[arg(long, value_name = "TIME")]
    at: Option<String>,

    /// New note
    #[arg(long, conflicts_with = "clear_note")]
    note: Option<String>,

    /// Remove the note
    #[arg(long)]
    clear_note: bool,

    /// Move the entry to this person
    #[arg(long, value_name = "NAME")]
    person: Option<String>,

    /// Store a value outside the usual range after checking it
    #[arg(long)]
    confirm: bool,
}

/// The content after applying the options, or `None` if none of them touch the content.
/// Which options apply is the kind's field table in `readings`.
fn new_content(args: &EditArgs, current: &Content) -> Result<Option<Content>, CliError> {
    let kind = current.kind();
    let given = [
        ("value", Field::Value, args.value.is_some()),
        ("unit", Field::Unit, args.unit.is_some()),
        ("bp", Field::Systolic, args.bp.is_some()),
        ("pulse", Field::Pulse, args.pulse.is_some()),
        ("meal", Field::Meal, args.meal.is_some()),
        ("text", Field::Text, args.text.is_some()),
    ];
    if given.iter().all(|(_, _, set)| !set) {
        return Ok(None);
    }
    if let Some((option, _, _)) = given
        .iter()
        .find(|(_, field, set)| *set && !kind.has(*field))
    {
        return Err(CliError::InvalidInput(format!(
            "--{option} does not apply to a {kind} entry"
        )));
    }
    let mut fields = Fields::from_content(current);
    if let Some(value) = &args.value {
        fields.value = Some(value.clone());
    }
    if let Some(unit) = &args.unit {
        fields.unit = Some(unit.parse::<Unit>()?);
    }
    if let Some(bp) = &args.bp {
        let (systolic, diastolic) = bp.split_once('/').ok_or_else(|| {
            CliError::InvalidInput("give the pressures as SYSTOLIC/DIASTOLIC, e.g. 128/84".into())
        })?;
        fields.systolic = Some(systolic.to_owned());
        fields.diastolic = Some(diastolic.to_owned());
    }
    if let Some(pulse) = &args.pulse {
        fields.pulse = Some(pulse.clone());
    }
    if let Some(meal) = &args.meal {
        fields.meal = Some(meal.parse()?);
    }
    if let Some(text) = &args.text {
        fields.text = Some(text.clone());
    }
    Ok(Some(fields.to_content(kind)?))
}

/// Edits an entry.
pub fn edit(args: &EditArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let at = args.at.as_deref().map(super::parse_time).transpose()?;
    let mut journal = super::unlock(global)?;
    let id = EntryId(args.id);
    let current = journal.get(id)?;
    let person = args
        .person
        .as_deref()
        .map(|p| super::person(&journal, p))
        .transpose()?;
    let change = EntryEdit {
        content: new_content(args, &current.content)?,
        at,
        note: if args.clear_note {
            Some(None)
        } else {
            args.note.clone().map(Some)
        },
        person,
        confirm_implausible: args.confirm,
    };
    if change == EntryEdit::default()
        || change
            == (EntryEdit {
                confirm_implausible: true,
                ..EntryEdit::default()
            })
    {
        return Err(CliError::InvalidInput(
            "nothing to change: give at least one option".into(),
        ));
    }
    let edited = journal.edit(id, &change)?;
    journal.lock();
    println!("edited entry {id} (now version {})", edited.version);
    Ok(())
}

/// Arguments of `vitalog delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The entry's id
    id: i64,
}

/// Deletes an entry (undo with `vitalog undelete`).
pub fn delete(args: &DeleteArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let mut journal = super::unlock(global)?;
    journal.delete(EntryId(args.id))?;
    journal.lock();
    println!("deleted entry {} (undo with: vitalog undelete)", args.id);
    Ok(())
}

/// Arguments of `vitalog undelete`.
#[derive(Debug, Args)]
pub struct UndeleteArgs {}

/// Brings back the most recently deleted entry.
pub fn undelete(_: &UndeleteArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let mut journal = super::unlock(global)?;
    let id = journal.undo_delete()?;
    journal.lock();
    println!("restored entry {id}");
    Ok(())
}

/// Arguments of `vitalog history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The entry's id
    id: i64,

    /// Print a JSON array
    #[arg(long)]
    json: bool,
}

/// Prints every version of an entry.
pub fn history(args: &HistoryArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let journal = super::unlock(global)?;
    let versions = journal.history(EntryId(args.id))?;
    let people = journal.people()?;
    journal.lock();
    if args.json {
        let json: Vec<_> = versions
            .iter()
            .map(|v| VersionJson::new(v, &people))
            .collect();
        let text = serde_json::to_string_pretty(&json)
            .map_err(|e| CliError::InvalidInput(e.to_string()))?;
        println!("{text}");
        return Ok(());
    }
    for v in &versions {
        println!(
            "v{}  {}  {:<7}  {}  {}",
            v.version,
            v.changed_at.to_rfc3339(),
            v.change.as_str(),
            v.entry.at.to_rfc3339(),
            summary(&v.entry)
        );
    }
    Ok(())
}

/// Arguments of `vitalog person`.
#[derive(Debug, Args)]
pub struct PersonArgs {
    #[command(subcommand)]
    action: PersonAction,
}

#[derive(Debug, Subcommand)]
enum PersonAction {
    /// Add a person (e.g. the second user of a shared blood-pressure cuff)
    Add {
        /// Their name
        name: String,
    },
    /// List the people in the journal
    List,
}

/// Adds or lists people.
pub fn person(args: &PersonArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let mut journal = super::unlock(global)?;
    match &args.action {
        PersonAction::Add { name } => {
            let id = journal.add_person(name)?;
            println!("added person {}", id.0);
        }
        PersonAction::List => {
            for p in journal.people()? {
                println!("{:>4}  {}", p.id.0, p.name);
            }
        }
    }
    journal.lock();
    Ok(())
}
