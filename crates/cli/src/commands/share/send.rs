//! `vitalog share send`: deliver what is queued, as the app's background sender does.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Utc;
use clap::Args;
use serde::Serialize;
use sharing::sender::{SharedJournal, Tally};
use sharing::{FhirClient, send_due};

use crate::commands::journal::unlock;
use crate::error::CliError;
use crate::options::GlobalOptions;

/// Arguments of `vitalog share send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// Keep trying (with backoff, honouring Retry-After) until everything is delivered or
    /// refused by the server
    #[arg(long)]
    wait: bool,

    /// Put the readings a server refused back in the queue first (once the cause is fixed)
    #[arg(long)]
    retry_refused: bool,

    /// Print the summary as JSON
    #[arg(long)]
    json: bool,
}

/// One care team's summary.
#[derive(Debug, Default, Serialize)]
struct Summary {
    /// Readings delivered by this command.
    delivered: u64,
    /// Readings the server refused for good (still kept, for the patient to look at).
    refused: u64,
    /// Readings still waiting.
    pending: u64,
}

/// Sends, then prints a summary; exits 1 unless everything queued was delivered.
pub fn run(args: &SendArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let mut journal = unlock(global)?;
    if args.retry_refused {
        for recipient in journal.recipients()? {
            journal.retry_refused(recipient.id)?;
        }
    }
    journal.queue_all_covered()?;
    let journal: SharedJournal = Arc::new(tokio::sync::Mutex::new(journal));
    let client = FhirClient::new()?;
    let runtime = crate::commands::runtime()?;
    let mut delivered: BTreeMap<String, Tally> = BTreeMap::new();
    loop {
        let round = runtime.block_on(send_due(
            &Arc::downgrade(&journal),
            &client,
            env!("CARGO_PKG_VERSION"),
        ))?;
        let sent_any = !round.is_empty();
        for (name, tally) in round.recipients {
            let total = delivered.entry(name).or_default();
            total.delivered += tally.delivered;
        }
        if sent_any {
            continue;
        }
        // Nothing is due now: either all is sent, or the rest waits on a backoff.
        let (pending, next) = runtime.block_on(async {
            let journal = journal.lock().await;
            let status = journal.sharing_status()?;
            Ok::<_, CliError>((
                status.iter().map(|s| s.pending).sum::<u64>(),
                sharing::sender::next_due(&journal)?,
            ))
        })?;
        if !args.wait || pending == 0 {
            break;
        }
        let wait = next
            .map(|at| (at - Utc::now()).to_std().unwrap_or_default())
            .unwrap_or(std::time::Duration::from_millis(200))
            .max(std::time::Duration::from_millis(50));
        eprintln!(
            "{pending} readings wait for a server; trying again in {} s (Ctrl-C stops; they stay queued)",
            wait.as_secs().max(1)
        );
        std::thread::sleep(wait);
    }
    let journal = runtime.block_on(journal.lock());
    let mut summary: BTreeMap<String, Summary> = BTreeMap::new();
    let recipients = journal.recipients()?;
    for status in journal.sharing_status()? {
        let Some(recipient) = recipients.iter().find(|r| r.id == status.recipient) else {
            continue;
        };
        let entry = summary.entry(recipient.name.clone()).or_default();
        entry.delivered = delivered.get(&recipient.name).map_or(0, |t| t.delivered);
        entry.refused = status.refused;
        entry.pending = status.pending;
        if !args.json {
            let mut line = format!(
                "{}: {} delivered, {} refused, {} waiting",
                recipient.name, entry.delivered, entry.refused, entry.pending
            );
            if let Some(problem) = &status.problem {
                line.push_str(&format!(" — {problem}"));
            }
            println!("{line}");
        }
    }
    if args.json {
        crate::commands::print_json(&serde_json::json!({ "recipients": summary }))?;
    }
    let left: u64 = summary.values().map(|s| s.refused + s.pending).sum();
    if left > 0 {
        return Err(CliError::NotAllDelivered(left));
    }
    Ok(())
}
