//! Alerts: which the patient turned on, and the ones new readings raised.

use std::collections::BTreeSet;

use readings::alerts::AlertKind;

use super::prelude::*;
use crate::RaisedAlert;

impl Journal {
    /// The alerts the patient turned on.
    pub fn enabled_alerts(&self) -> Result<BTreeSet<AlertKind>> {
        crate::alerts::enabled(&self.conn)
    }

    /// Turns an alert on or off (recorded in the audit log).
    pub fn set_alert(&mut self, kind: AlertKind, on: bool) -> Result<()> {
        self.write_tx(|tx| {
            crate::alerts::set_enabled(tx, kind, on)?;
            audit::record(tx, if on { "alert on" } else { "alert off" }, None)
        })
    }

    /// The alerts raised at or after `since`, newest first (the Today screen's last day).
    pub fn alerts_since(&self, since: chrono::DateTime<chrono::Utc>) -> Result<Vec<RaisedAlert>> {
        crate::alerts::since(&self.conn, since)
    }

    /// The newest alert's id (none before the first alert).
    pub fn newest_alert(&self) -> Result<Option<i64>> {
        crate::alerts::newest(&self.conn)
    }

    /// The alerts raised after alert `after` (every alert with `None`), oldest first.
    pub fn alerts_after(&self, after: Option<i64>, limit: u32) -> Result<Vec<RaisedAlert>> {
        crate::alerts::after(&self.conn, after, limit)
    }
}
