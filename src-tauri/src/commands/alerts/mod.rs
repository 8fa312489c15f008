//! Alerts the patient turns on (Settings) and the ones readings raised (Today, notifications).

use std::sync::Arc;

use readings::alerts::AlertKind;
use serde::Serialize;
use specta::Type;
use tauri::State;

use super::blocking;
use crate::commands::journal::dto::EntryView;
use crate::error::IpcError;
use crate::journal_access::JournalAccess;

/// One alert as Settings offers it.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AlertSetting {
    /// Which alert.
    pub kind: AlertKind,
    /// Its name.
    pub title: String,
    /// What it does when a reading crosses it.
    pub guidance: String,
    /// Whether it is on.
    pub enabled: bool,
}

/// An alert a reading raised.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AlertView {
    /// Its id (increasing).
    pub id: i64,
    /// Which alert.
    pub kind: AlertKind,
    /// Its name.
    pub title: String,
    /// What to do.
    pub guidance: String,
    /// When it was raised (RFC 3339, UTC).
    pub raised_at: String,
    /// The reading that raised it.
    pub reading: EntryView,
}

impl AlertView {
    /// The view of `alert`; `None` when its reading cannot be read, was deleted, or was
    /// corrected to a value that no longer raises it (then it is not shown).
    pub fn new(alert: &journal::RaisedAlert, journal: &journal::Journal) -> Option<AlertView> {
        let entry = journal.get(alert.entry).ok()?;
        if entry.deleted || AlertKind::of(&entry.content) != Some(alert.kind) {
            return None;
        }
        Some(AlertView {
            id: alert.id,
            kind: alert.kind,
            title: alert.kind.title().to_owned(),
            guidance: alert.kind.guidance().to_owned(),
            raised_at: alert.raised_at.to_rfc3339(),
            reading: EntryView::from(&entry),
        })
    }
}

/// Every alert, on or off.
#[tauri::command]
#[specta::specta]
pub async fn alert_settings(
    access: State<'_, Arc<JournalAccess>>,
) -> Result<Vec<AlertSetting>, IpcError> {
    let access = Arc::clone(&access);
    blocking(move || {
        let enabled = access.with(|journal| journal.enabled_alerts())?;
        Ok(AlertKind::ALL
            .into_iter()
            .map(|kind| AlertSetting {
                kind,
                title: kind.title().to_owned(),
                guidance: kind.guidance().to_owned(),
                enabled: enabled.contains(&kind),
            })
            .collect())
    })
    .await
}

/// Turns an alert on or off.
#[tauri::command]
#[specta::specta]
pub async fn set_alert(
    access: State<'_, Arc<JournalAccess>>,
    kind: AlertKind,
    enabled: bool,
) -> Result<(), IpcError> {
    let access = Arc::clone(&access);
    blocking(move || access.with(|journal| journal.set_alert(kind, enabled))).await
}
