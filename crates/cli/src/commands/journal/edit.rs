//! `vitalog edit`, `delete`, `undelete`, `history` and `person`: changing entries, with every
//! previous version kept.

use clap::{Args, Subcommand};
use journal::{EntryEdit, EntryId};
use readings::{Content, Quantity, Unit};

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

fn number(text: &str) -> Result<readings::Decimal, CliError> {
    text.parse()
        .map_err(|_| CliError::InvalidInput(format!("{text:?} is not a number like 5.8")))
}

fn unit_or(text: Option<&str>, current: Unit) -> Result<Unit, CliError> {
    match text {
        Some(t) => {
            Unit::parse(t).ok_or_else(|| CliError::InvalidInput(format!("unknown unit {t:?}")))
        }
        None => Ok(current),
    }
}

fn not_for(kind: &str, option: &str) -> CliError {
    CliError::InvalidInput(format!("--{option} does not apply to a {kind} entry"))
}

/// The content after applying the options, or `None` if none of them touch the content.
fn new_content(args: &EditArgs, current: &Content) -> Result<Option<Content>, CliError> {
    if args.value.is_none()
        && args.unit.is_none()
        && args.bp.is_none()
        && args.pulse.is_none()
        && args.meal.is_none()
        && args.text.is_none()
    {
        return Ok(None);
    }
    let kind = current.kind().as_str();
    let value = |d: readings::Decimal| -> Result<readings::Decimal, CliError> {
        args.value
            .as_deref()
            .map(number)
            .transpose()
            .map(|v| v.unwrap_or(d))
    };
    let check = |ok: &[&str]| -> Result<(), CliError> {
        for (name, set) in [
            ("value", args.value.is_some()),
            ("unit", args.unit.is_some()),
            ("bp", args.bp.is_some()),
            ("pulse", args.pulse.is_some()),
            ("meal", args.meal.is_some()),
            ("text", args.text.is_some()),
        ] {
            if set && !ok.contains(&name) {
                return Err(not_for(kind, name));
            }
        }
        Ok(())
    };
    let text = |t: &String| args.text.clone().unwrap_or_else(|| t.clone());
    Ok(Some(match current {
        Content::Glucose { value: q, meal } => {
            check(&["value", "unit", "meal"])?;
            Content::Glucose {
                value: Quantity {
                    value: value(q.value)?,
                    unit: unit_or(args.unit.as_deref(), q.unit)?,
                },
                meal: match &args.meal {
                    Some(m) => Some(m.parse()?),
                    None => *meal,
                },
            }
        }
        Content::BloodPressure {
            systolic,
            diastolic,
            mean_arterial,
            unit,
            pulse,
        } => {
            check(&["bp", "pulse", "unit"])?;
            let (s, d) = match &args.bp {
                Some(bp) => {
                    let (s, d) = bp.split_once('/').ok_or_else(|| {
                        CliError::InvalidInput(format!("{bp:?} is not SYSTOLIC/DIASTOLIC"))
                    })?;
                    (number(s)?, number(d)?)
                }
                None => (*systolic, *diastolic),
            };
            Content::BloodPressure {
                systolic: s,
                diastolic: d,
                mean_arterial: *mean_arterial,
                unit: unit_or(args.unit.as_deref(), *unit)?,
                pulse: match &args.pulse {
                    Some(p) => Some(number(p)?),
                    None => *pulse,
                },
            }
        }
        Content::Weight(q) => {
            check(&["value", "unit"])?;
            Content::Weight(Quantity {
                value: value(q.value)?,
                unit: unit_or(args.unit.as_deref(), q.unit)?,
            })
        }
        Content::Temperature(q) => {
            check(&["value", "unit"])?;
            Content::Temperature(Quantity {
                value: value(q.value)?,
                unit: unit_or(args.unit.as_deref(), q.unit)?,
            })
        }
        Content::SpO2(v) => {
            check(&["value"])?;
            Content::SpO2(value(*v)?)
        }
        Content::BodyFat(v) => {
            check(&["value"])?;
            Content::BodyFat(value(*v)?)
        }
        Content::HeartRate(v) => {
            check(&["value"])?;
            Content::HeartRate(value(*v)?)
        }
        Content::Medication(t) => {
            check(&["text"])?;
            Content::Medication(text(t))
        }
        Content::Symptom(t) => {
            check(&["text"])?;
            Content::Symptom(text(t))
        }
        Content::Note(t) => {
            check(&["text"])?;
            Content::Note(text(t))
        }
        Content::Insulin { units, insulin } => {
            check(&["value", "text"])?;
            Content::Insulin {
                units: value(*units)?,
                insulin: args.text.clone().or_else(|| insulin.clone()),
            }
        }
        Content::Meal {
            carbs_g,
            description,
        } => {
            check(&["value", "text"])?;
            Content::Meal {
                carbs_g: match &args.value {
                    Some(v) => Some(number(v)?),
                    None => *carbs_g,
                },
                description: args.text.clone().or_else(|| description.clone()),
            }
        }
    }))
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
