//! The transmission log as the patient takes it away (`vitalog share log --json`, the Sharing
//! screen's "Save the log"): one record per send attempt, with the care team's name, and
//! whether the journal's hash chain over the log checks out.

use chrono::{DateTime, Utc};
use journal::Journal;
use serde::Serialize;

/// One send attempt.
#[derive(Debug, Clone, Serialize)]
pub struct LogRecord {
    /// Its place in the log, from 1.
    pub id: i64,
    /// The care team's name.
    pub recipient: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The kinds of readings it carried.
    pub kinds: Vec<&'static str>,
    /// The resources the server named, or the identifiers sent when it named none.
    pub resources: Vec<String>,
    /// `delivered`, `retry` or `refused`.
    pub result: String,
    /// What the server said.
    pub detail: String,
}

/// Every record, oldest first.
pub fn records(journal: &Journal) -> journal::Result<Vec<LogRecord>> {
    let recipients = journal.recipients()?;
    Ok(journal
        .transmissions(None)?
        .into_iter()
        .map(|t| LogRecord {
            id: t.id,
            recipient: recipients
                .iter()
                .find(|r| r.id == t.recipient)
                .map_or_else(String::new, |r| r.name.clone()),
            at: t.at,
            kinds: t.kinds.iter().map(|k| k.as_str()).collect(),
            resources: t.resources,
            result: t.result,
            detail: t.detail,
        })
        .collect())
}

/// The log as a file: the records and whether the chain is intact.
#[derive(Debug, Clone, Serialize)]
pub struct LogFile {
    /// `true` when no record was altered, moved or removed.
    pub intact: bool,
    /// What the check found, when it is not intact.
    pub problem: Option<String>,
    /// Every record, oldest first.
    pub records: Vec<LogRecord>,
}

/// The whole log as pretty JSON, checked.
pub fn file(journal: &Journal) -> journal::Result<String> {
    let problem = journal.verify_transmissions()?;
    let file = LogFile {
        intact: problem.is_none(),
        problem: problem.map(|p| p.to_string()),
        records: records(journal)?,
    };
    Ok(serde_json::to_string_pretty(&file).unwrap_or_default())
}
