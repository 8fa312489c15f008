//! Syncing monitors into the journal.
//!
//! [`monitor::sync_monitor`] runs one sync with one connected monitor over the link's
//! [`link::Transport`]: it checks the link's protection, reads Device Information, checks the
//! clock, drives the monitor's `ble-proto` session ([`drive`]) or listens for what it sends
//! ([`listen`]), maps the records to journal entries ([`entries`]) and stores them, each once.
//! [`adapter::spawn`] is the one long-lived task that owns a [`link::Radio`] and the app talks
//! to over channels (scan, pair, forget, sync, and the background watch of paired monitors).
//!
//! Generic over the seam: the same code syncs a real monitor and a simulated one. Nothing here
//! logs a health value.

#![warn(missing_docs)]

pub mod adapter;
pub mod drive;
pub mod entries;
pub mod error;
pub mod listen;
pub mod monitor;

pub use error::SyncError;
