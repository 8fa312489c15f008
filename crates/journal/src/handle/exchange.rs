//! Export to and import from the journal's own CSV and JSON Lines files.

use chrono::{DateTime, Utc};

use super::prelude::*;

impl Journal {
    /// Writes the entries matching `filter` in the journal's own CSV or JSON Lines format.
    pub fn export(
        &mut self,
        format: Format,
        filter: &Filter,
        out: &mut dyn Write,
    ) -> Result<usize> {
        let entries = self.list(filter)?;
        let records = entries
            .iter()
            .map(|e| exchange::Record::from_entry(&self.conn, e))
            .collect::<Result<Vec<_>>>()?;
        exchange::write(&records, format, out)?;
        audit::record(&self.conn, "export", None)?;
        Ok(records.len())
    }

    /// Notes in the audit log that a report for the doctor was written (to a file the patient
    /// chose), so the next one can start from this visit.
    pub fn record_report(&mut self) -> Result<()> {
        audit::record(&self.conn, "report", None)
    }

    /// When the last report was written, if one was: the start of "since the last visit".
    pub fn last_report(&self) -> Result<Option<DateTime<Utc>>> {
        let at: Option<i64> = self.conn.query_row(
            "SELECT max(at_utc_ms) FROM audit_log WHERE action = 'report'",
            [],
            |row| row.get(0),
        )?;
        Ok(at.and_then(DateTime::from_timestamp_millis))
    }

    /// Exports to the file at `path`, readable by this user only, replacing it whole (a failed
    /// export leaves no half-written file). Returns how many entries it holds.
    pub fn export_file(&mut self, format: Format, filter: &Filter, path: &Path) -> Result<usize> {
        let mut bytes = zeroize::Zeroizing::new(Vec::new());
        let count = self.export(format, filter, &mut *bytes)?;
        disk::write_atomically(path, &bytes)?;
        Ok(count)
    }

    /// Imports the file at `path`, as [`Journal::import`] does.
    pub fn import_file(&mut self, format: Format, path: &Path) -> Result<ImportSummary> {
        let file = std::fs::File::open(path)
            .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
        self.import(format, &mut std::io::BufReader::new(file))
    }

    /// Imports a file written by [`Journal::export`], all or nothing; entries already present
    /// (same uid, or same device reading) are skipped.
    pub fn import(&mut self, format: Format, input: &mut dyn BufRead) -> Result<ImportSummary> {
        let records = exchange::read(format, input)?;
        self.write_tx(|tx| {
            let mut summary = ImportSummary::default();
            for (i, record) in records.iter().enumerate() {
                let line = i + 2;
                let new = record
                    .to_new_entry(tx)
                    .map_err(|e| Error::Invalid(format!("entry {line}: {e}")))?;
                match entries::add(tx, &new, entries::News::History).map_err(|e| match e {
                    Error::JournalDamaged => e,
                    other => Error::Invalid(format!("entry {line}: {other}")),
                })? {
                    AddOutcome::Added(_) => summary.added += 1,
                    AddOutcome::AlreadyPresent(_) => summary.already_present += 1,
                }
            }
            audit::record(tx, "import", None)?;
            Ok(summary)
        })
    }
}
