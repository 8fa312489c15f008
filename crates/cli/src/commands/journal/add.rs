//! `vitalog add KIND …`: typing in a reading or an event.

use clap::{Args, Subcommand};
use journal::NewEntry;
use readings::{Content, Fields, Kind, MealContext, Unit};

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

impl What {
    /// The kind and the fields as typed; the `readings` vocabulary checks them.
    fn fields(&self) -> Result<(Kind, Fields), CliError> {
        let text = |t: &str| Some(t.to_owned());
        let unit = |t: &str| t.parse::<Unit>();
        Ok(match self {
            What::Glucose {
                value,
                unit: u,
                meal,
            } => (
                Kind::Glucose,
                Fields {
                    value: text(value),
                    unit: Some(unit(u)?),
                    meal: meal.as_deref().map(str::parse::<MealContext>).transpose()?,
                    ..Fields::default()
                },
            ),
            What::Bp {
                pressures,
                pulse,
                mean,
                unit: u,
            } => {
                let (systolic, diastolic) = pressures.split_once('/').ok_or_else(|| {
                    CliError::InvalidInput(
                        "give the pressures as SYSTOLIC/DIASTOLIC, e.g. 128/84".into(),
                    )
                })?;
                (
                    Kind::BloodPressure,
                    Fields {
                        systolic: text(systolic),
                        diastolic: text(diastolic),
                        mean_arterial: mean.clone(),
                        pulse: pulse.clone(),
                        unit: Some(unit(u)?),
                        ..Fields::default()
                    },
                )
            }
            What::Weight { value, unit: u } => (
                Kind::Weight,
                Fields {
                    value: text(value),
                    unit: Some(unit(u)?),
                    ..Fields::default()
                },
            ),
            What::Temp { value, unit: u } => (
                Kind::Temperature,
                Fields {
                    value: text(value),
                    unit: Some(unit(u)?),
                    ..Fields::default()
                },
            ),
            What::Spo2 { value } => (Kind::SpO2, value_only(value)),
            What::BodyFat { value } => (Kind::BodyFat, value_only(value)),
            What::Pulse { value } => (Kind::HeartRate, value_only(value)),
            What::Med { text: t } => (Kind::Medication, text_only(t)),
            What::Insulin { units, name } => (
                Kind::Insulin,
                Fields {
                    value: text(units),
                    text: name.clone(),
                    ..Fields::default()
                },
            ),
            What::Meal { text: t, carbs } => (
                Kind::Meal,
                Fields {
                    value: carbs.clone(),
                    text: t.clone(),
                    ..Fields::default()
                },
            ),
            What::Symptom { text: t } => (Kind::Symptom, text_only(t)),
            What::Note { text: t } => (Kind::Note, text_only(t)),
        })
    }
}

fn value_only(value: &str) -> Fields {
    Fields {
        value: Some(value.to_owned()),
        ..Fields::default()
    }
}

fn text_only(text: &str) -> Fields {
    Fields {
        text: Some(text.to_owned()),
        ..Fields::default()
    }
}

fn content(what: &What) -> Result<Content, CliError> {
    let (kind, fields) = what.fields()?;
    Ok(fields.to_content(kind)?)
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

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        add: AddArgs,
    }

    /// A command line that adds an entry of `kind`: the compiler asks for one per kind, so a
    /// new kind in the vocabulary cannot be forgotten here.
    fn example(kind: Kind) -> &'static [&'static str] {
        match kind {
            Kind::Glucose => &["glucose", "5.8", "mmol/L", "--meal", "before"],
            Kind::BloodPressure => &["bp", "128/84", "--pulse", "71"],
            Kind::Weight => &["weight", "81.2", "kg"],
            Kind::Temperature => &["temp", "37.8", "C"],
            Kind::SpO2 => &["spo2", "97"],
            Kind::HeartRate => &["pulse", "64"],
            Kind::BodyFat => &["body-fat", "23.4"],
            Kind::Medication => &["med", "metformin 500 mg"],
            Kind::Insulin => &["insulin", "4", "--name", "rapid"],
            Kind::Meal => &["meal", "soup", "--carbs", "45"],
            Kind::Symptom => &["symptom", "headache"],
            Kind::Note => &["note", "felt fine"],
        }
    }

    #[test]
    fn every_kind_can_be_added() {
        for kind in Kind::ALL {
            let line = std::iter::once("add").chain(example(kind).iter().copied());
            let cli = Cli::try_parse_from(line).unwrap_or_else(|e| panic!("{kind}: {e}"));
            let content = content(&cli.add.what).unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert_eq!(content.kind(), kind);
        }
    }

    #[test]
    fn a_malformed_value_is_named_not_echoed() {
        let cli = Cli::try_parse_from(["add", "glucose", "5,8x", "mmol/L"]).unwrap();
        let message = content(&cli.add.what).unwrap_err().to_string();
        assert_eq!(message, "the glucose value is not a number like 5.8");
    }
}
