//! Readings and events: add (one or a batch), read, list, edit, delete and undo, history; and the people they belong to.

use super::prelude::*;

impl Journal {
    /// Adds an entry. Values outside the possible range are refused; implausible manual values
    /// need `confirm_implausible`. A device reading already stored is not added again.
    pub fn add(&mut self, entry: &NewEntry) -> Result<AddOutcome> {
        self.write_tx(|tx| entries::add(tx, entry, entries::News::Fresh))
    }

    /// Adds a batch (a device sync) in one transaction. An entry refused for what it says (an
    /// impossible value, an unknown unit) is answered with its error and left out, so one bad
    /// record never costs the patient the rest; a storage failure stores nothing.
    pub fn add_all(&mut self, new: &[NewEntry]) -> Result<Vec<Result<AddOutcome>>> {
        self.write_tx(|tx| {
            let mut outcomes = Vec::with_capacity(new.len());
            for entry in new {
                // Entries are checked before anything of theirs is written, so a refused one
                // leaves nothing behind; any error while storing is the journal's and stops all.
                let outcome = match entries::check(entry) {
                    Ok(vetted) => Ok(entries::store(tx, vetted, entries::News::Fresh)?),
                    Err(refused) => Err(refused),
                };
                outcomes.push(outcome);
            }
            Ok(outcomes)
        })
    }

    /// One entry, deleted or not.
    pub fn get(&self, id: EntryId) -> Result<Entry> {
        entries::get(&self.conn, id)
    }

    /// Entries matching `filter`, oldest first.
    pub fn list(&self, filter: &Filter) -> Result<Vec<Entry>> {
        entries::list(&self.conn, filter)
    }

    /// The newest reading of each reading kind the journal has, in [`Kind::ALL`] order (the
    /// Today screen). Deleted readings do not count.
    pub fn latest_readings(&self) -> Result<Vec<Entry>> {
        let mut latest = Vec::new();
        for kind in Kind::ALL.into_iter().filter(|kind| kind.is_reading()) {
            let filter = Filter {
                kinds: vec![kind],
                newest_first: true,
                limit: Some(1),
                ..Filter::default()
            };
            latest.extend(entries::list(&self.conn, &filter)?);
        }
        Ok(latest)
    }

    /// Edits an entry; the previous version stays in its history.
    pub fn edit(&mut self, id: EntryId, change: &EntryEdit) -> Result<Entry> {
        self.write_tx(|tx| entries::edit(tx, id, change))
    }

    /// Deletes an entry (a tombstone: history stays, [`Journal::undo_delete`] brings it back).
    pub fn delete(&mut self, id: EntryId) -> Result<()> {
        self.write_tx(|tx| entries::delete(tx, id))
    }

    /// Brings back the most recently deleted entry.
    pub fn undo_delete(&mut self) -> Result<EntryId> {
        self.write_tx(entries::undo_delete)
    }

    /// Every version of an entry, oldest first.
    pub fn history(&self, id: EntryId) -> Result<Vec<Version>> {
        entries::history(&self.conn, id)
    }

    /// Adds a person.
    pub fn add_person(&mut self, name: &str) -> Result<PersonId> {
        people::add(&self.conn, name)
    }

    /// The person called `name`.
    pub fn person_by_name(&self, name: &str) -> Result<Option<PersonId>> {
        people::find(&self.conn, name)
    }

    /// Everyone in the journal (id 1, "me", is the owner).
    pub fn people(&self) -> Result<Vec<Person>> {
        people::list(&self.conn)
    }
}
