//! Commands on journal entries: list a page, add, edit, delete, undo, history.

pub mod dto;

use std::sync::Arc;

use journal::{EntryEdit, EntryId, Filter, NewEntry};
use tauri::State;

use self::dto::{EntryInput, EntryPage, EntryVersionView, EntryView};
use super::blocking;
use crate::devices::DeviceLinks;
use crate::error::IpcError;
use crate::journal_access::JournalAccess;

/// The most entries one page may ask for.
const MAX_PAGE: u32 = 1000;

/// A page of entries, newest first, older than `after` (an entry id) when given.
#[tauri::command]
#[specta::specta]
pub async fn list_entries(
    access: State<'_, Arc<JournalAccess>>,
    kinds: Vec<readings::Kind>,
    after: Option<i64>,
    limit: u32,
) -> Result<EntryPage, IpcError> {
    let access = Arc::clone(&access);
    let limit = limit.clamp(1, MAX_PAGE);
    blocking(move || {
        // One extra row tells whether another page exists without a second query.
        let filter = Filter {
            kinds,
            newest_first: true,
            after: after.map(EntryId),
            limit: Some(limit + 1),
            ..Filter::default()
        };
        let mut entries = access.with(|journal| journal.list(&filter))?;
        let more = entries.len() > limit as usize;
        entries.truncate(limit as usize);
        Ok(EntryPage {
            entries: entries.iter().map(EntryView::from).collect(),
            more,
        })
    })
    .await
}

/// Adds an entry typed by the patient; an unusual value needs `confirmImplausible`.
#[tauri::command]
#[specta::specta]
pub async fn add_entry(
    access: State<'_, Arc<JournalAccess>>,
    links: State<'_, DeviceLinks>,
    entry: EntryInput,
) -> Result<EntryView, IpcError> {
    let access = Arc::clone(&access);
    let shared = access.shared()?;
    let stored = blocking(move || {
        let mut new = NewEntry::manual(entry.content()?, entry.time()?);
        new.note = entry.note();
        new.confirm_implausible = entry.confirm_implausible;
        access
            .with(|journal| {
                let id = journal.add(&new)?.id();
                journal.get(id)
            })
            .map(|stored| EntryView::from(&stored))
    })
    .await?;
    // Today's latest readings and any alert the reading raised.
    links.live().publish(shared, None).await;
    Ok(stored)
}

/// Changes an entry; the previous version stays in its history.
#[tauri::command]
#[specta::specta]
pub async fn edit_entry(
    access: State<'_, Arc<JournalAccess>>,
    id: i64,
    entry: EntryInput,
) -> Result<EntryView, IpcError> {
    let access = Arc::clone(&access);
    blocking(move || {
        let change = EntryEdit {
            content: Some(entry.content()?),
            at: Some(entry.time()?),
            note: Some(entry.note()),
            person: None,
            confirm_implausible: entry.confirm_implausible,
        };
        access
            .with(|journal| journal.edit(EntryId(id), &change))
            .map(|e| EntryView::from(&e))
    })
    .await
}

/// Deletes an entry (a tombstone: its history stays and it can be brought back).
#[tauri::command]
#[specta::specta]
pub async fn delete_entry(access: State<'_, Arc<JournalAccess>>, id: i64) -> Result<(), IpcError> {
    let access = Arc::clone(&access);
    blocking(move || access.with(|journal| journal.delete(EntryId(id)))).await
}

/// Brings back the most recently deleted entry.
#[tauri::command]
#[specta::specta]
pub async fn undo_delete(access: State<'_, Arc<JournalAccess>>) -> Result<EntryView, IpcError> {
    let access = Arc::clone(&access);
    blocking(move || {
        access
            .with(|journal| {
                let id = journal.undo_delete()?;
                journal.get(id)
            })
            .map(|e| EntryView::from(&e))
    })
    .await
}

/// Every version of an entry, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn entry_history(
    access: State<'_, Arc<JournalAccess>>,
    id: i64,
) -> Result<Vec<EntryVersionView>, IpcError> {
    let access = Arc::clone(&access);
    blocking(move || {
        access
            .with(|journal| journal.history(EntryId(id)))
            .map(|versions| versions.iter().map(EntryVersionView::from).collect())
    })
    .await
}
