//! `vitalog add KIND …`: typing in a reading or an event.

use clap::{Args, Subcommand};
use journal::NewEntry;
use readings::{Content, Decimal, MealContext, Quantity, Unit};

use crate::error::CliError;
use crate::options::GlobalOptions;

/// Arguments of `vitalog add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(subcommand)]
    what: What,

    #[command(flatten)]
    common: Common,
}

/// Options every `add` accepts.
#[derive(Debug, Args)]
pub struct Common {
    /// When it happened: RFC 3339 with offset (2026-03-01T07:30:00+01:00) or "now"
    #[arg(long, global = true, default_value = "now", value_name = "TIME")]
    at: String,

    /// A note to keep with the entry
    #[arg(long, global = true, value_name = "TEXT")]
    note: Option<String>,

    /// Whose entry this is (default: the journal's owner)
    #[arg(long, global = true, value_name = "NAME")]
    person: Option<String>,

    /// Store a value outside the usual range after checking it
    #[arg(long, global = true)]
    confirm: bool,
}

#[derive(Debug, Subcommand)]
enum What {
    /// Blood glucose, e.g. `add glucose 5.8 mmol/L --meal before`
    Glucose {
        /// The value as shown by the meter
        value: String,
        /// mmol/L or mg/dL
        unit: String,
        /// before, after, fasting, bedtime or casual
        #[arg(long)]
        meal: Option<String>,
    },
    /// Blood pressure, e.g. `add bp 128/84 --pulse 71`
    Bp {
        /// SYSTOLIC/DIASTOLIC
        pressures: String,
        /// Pulse in beats per minute
        #[arg(long)]
        pulse: Option<String>,
        /// Mean arterial pressure, if the cuff shows it
        #[arg(long)]
        mean: Option<String>,
        /// mmHg (default) or kPa
        #[arg(long, default_value = "mmHg")]
        unit: String,
    },
    /// Body weight, e.g. `add weight 81.2 kg`
    Weight {
        /// The value
        value: String,
        /// kg or lb
        unit: String,
    },
    /// Body temperature, e.g. `add temp 37.8 C`
    #[command(alias = "temperature")]
    Temp {
        /// The value
        value: String,
        /// C or F
        unit: String,
    },
    /// Oxygen saturation in %, e.g. `add spo2 97`
    Spo2 {
        /// The value in %
        value: String,
    },
    /// Body fat in % of body mass, e.g. `add body-fat 23.4`
    #[command(name = "body-fat", alias = "body_fat")]
    BodyFat {
        /// The value in %
        value: String,
    },
    /// Heart rate in beats per minute
    #[command(alias = "heart-rate")]
    Pulse {
        /// The value
        value: String,
    },
    /// A medication taken, e.g. `add med "metformin 500 mg"`
    #[command(alias = "medication")]
    Med {
        /// Name and dose
        text: String,
    },
    /// An insulin dose in units
    Insulin {
        /// Units
        units: String,
        /// The insulin's name or type
        #[arg(long)]
        name: Option<String>,
    },
    /// A meal, optionally with its carbohydrates
    Meal {
        /// What was eaten
        text: Option<String>,
        /// Carbohydrates in grams
        #[arg(long)]
        carbs: Option<String>,
    },
    /// A symptom
    Symptom {
        /// The symptom, described
        text: String,
    },
    /// A free-text note
    Note {
        /// The note
        text: String,
    },
}

fn number(text: &str) -> Result<Decimal, CliError> {
    text.parse()
        .map_err(|_| CliError::InvalidInput(format!("{text:?} is not a number like 5.8")))
}

fn unit(text: &str) -> Result<Unit, CliError> {
    Unit::parse(text).ok_or_else(|| CliError::InvalidInput(format!("unknown unit {text:?}")))
}

fn content(what: &What) -> Result<Content, CliError> {
    Ok(match what {
        What::Glucose {
            value,
            unit: u,
            meal,
        } => Content::Glucose {
            value: Quantity {
                value: number(value)?,
                unit: unit(u)?,
            },
            meal: meal.as_deref().map(str::parse::<MealContext>).transpose()?,
        },
        What::Bp {
            pressures,
            pulse,
            mean,
            unit: u,
        } => {
            let (sys, dia) = pressures.split_once('/').ok_or_else(|| {
                CliError::InvalidInput(format!(
                    "{pressures:?} is not SYSTOLIC/DIASTOLIC, e.g. 128/84"
                ))
            })?;
            Content::BloodPressure {
                systolic: number(sys)?,
                diastolic: number(dia)?,
                mean_arterial: mean.as_deref().map(number).transpose()?,
                unit: unit(u)?,
                pulse: pulse.as_deref().map(number).transpose()?,
            }
        }
        What::Weight { value, unit: u } => Content::Weight(Quantity {
            value: number(value)?,
            unit: unit(u)?,
        }),
        What::Temp { value, unit: u } => Content::Temperature(Quantity {
            value: number(value)?,
            unit: unit(u)?,
        }),
        What::Spo2 { value } => Content::SpO2(number(value)?),
        What::BodyFat { value } => Content::BodyFat(number(value)?),
        What::Pulse { value } => Content::HeartRate(number(value)?),
        What::Med { text } => Content::Medication(text.clone()),
        What::Insulin { units, name } => Content::Insulin {
            units: number(units)?,
            insulin: name.clone(),
        },
        What::Meal { text, carbs } => Content::Meal {
            carbs_g: carbs.as_deref().map(number).transpose()?,
            description: text.clone(),
        },
        What::Symptom { text } => Content::Symptom(text.clone()),
        What::Note { text } => Content::Note(text.clone()),
    })
}

/// Adds the entry and prints its id (never its value).
pub fn run(args: &AddArgs, global: &GlobalOptions) -> Result<(), CliError> {
    // Parse everything before asking for the passphrase.
    let content = content(&args.what)?;
    let at = super::parse_time(&args.common.at)?;
    let mut journal = super::unlock(global)?;
    let mut entry = NewEntry::manual(content, at);
    entry.note = args.common.note.clone();
    entry.confirm_implausible = args.common.confirm;
    if let Some(name) = &args.common.person {
        entry.person = Some(super::person(&journal, name)?);
    }
    let kind = entry.content.kind().as_str();
    let id = journal.add(&entry)?.id();
    journal.lock();
    println!("added {kind} entry {id}");
    Ok(())
}
