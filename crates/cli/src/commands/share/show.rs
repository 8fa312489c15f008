//! `vitalog share list`, `log` and `verify-log`.

use chrono::{DateTime, Utc};
use clap::Args;
use journal::sharing::{Grant, Recipient, SignIn};
use serde::Serialize;

use crate::commands::journal::unlock;
use crate::error::CliError;
use crate::options::GlobalOptions;

/// Arguments of `vitalog share list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON
    #[arg(long)]
    json: bool,
}

/// Arguments of `vitalog share log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// Print JSON
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct GrantJson {
    kinds: Vec<&'static str>,
    notes: bool,
    since: Option<DateTime<Utc>>,
    realtime: bool,
    until: Option<DateTime<Utc>>,
    state: &'static str,
    changed: DateTime<Utc>,
}

impl From<&Grant> for GrantJson {
    fn from(g: &Grant) -> Self {
        Self {
            kinds: g.kinds.iter().map(|k| k.as_str()).collect(),
            notes: g.notes,
            since: g.since,
            realtime: g.realtime,
            until: g.until,
            state: if g.expired(Utc::now()) {
                "ended"
            } else {
                g.state.as_str()
            },
            changed: g.changed,
        }
    }
}

#[derive(Serialize)]
struct RecipientJson {
    name: String,
    fhir: String,
    patient: Option<String>,
    sign_in: &'static str,
    grant: Option<GrantJson>,
    pending: u64,
    refused: u64,
    next_attempt: Option<DateTime<Utc>>,
    problem: Option<String>,
    last_delivered: Option<DateTime<Utc>>,
}

/// Lists the care teams.
pub fn list(args: &ListArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let journal = unlock(global)?;
    let status = journal.sharing_status()?;
    let rows: Vec<RecipientJson> = journal
        .recipients()?
        .into_iter()
        .map(|r: Recipient| {
            let s = status.iter().find(|s| s.recipient == r.id);
            RecipientJson {
                sign_in: match r.sign_in {
                    SignIn::Token => "token",
                    SignIn::Smart => "smart",
                },
                grant: r.grant.as_ref().map(GrantJson::from),
                pending: s.map_or(0, |s| s.pending),
                refused: s.map_or(0, |s| s.refused),
                next_attempt: s.and_then(|s| s.next_attempt),
                problem: s.and_then(|s| s.problem.clone()),
                last_delivered: s.and_then(|s| s.last_delivered),
                name: r.name,
                fhir: r.fhir_base,
                patient: r.patient,
            }
        })
        .collect();
    if args.json {
        return crate::commands::print_json(&rows);
    }
    if rows.is_empty() {
        println!(
            "No care teams yet: add one with vitalog share add NAME --fhir URL --patient Patient/ID --token-file FILE"
        );
    }
    for r in rows {
        let shares = match &r.grant {
            Some(g) => format!(
                "{} {}{}",
                g.state,
                g.kinds.join(", "),
                if g.realtime { ", real time" } else { "" }
            ),
            None => "nothing granted yet".into(),
        };
        println!(
            "{} ({}): {shares}; {} waiting, {} refused",
            r.name, r.fhir, r.pending, r.refused
        );
    }
    Ok(())
}

/// Prints the transmission log.
pub fn log(args: &LogArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let journal = unlock(global)?;
    let rows = sharing::log::records(&journal)?;
    if args.json {
        return crate::commands::print_json(&rows);
    }
    for t in rows {
        println!(
            "{} {} {} [{}] {} resources{}",
            t.at.format("%Y-%m-%d %H:%M:%S UTC"),
            t.recipient,
            t.result,
            t.kinds.join(","),
            t.resources.len(),
            if t.detail.is_empty() {
                String::new()
            } else {
                format!(": {}", t.detail)
            }
        );
    }
    Ok(())
}

/// Checks the transmission log.
pub fn verify(global: &GlobalOptions) -> Result<(), CliError> {
    let journal = unlock(global)?;
    match journal.verify_transmissions()? {
        None => {
            println!(
                "The transmission log is intact ({} records).",
                journal.transmissions(None)?.len()
            );
            Ok(())
        }
        Some(problem) => Err(CliError::LogAltered(problem.to_string())),
    }
}
