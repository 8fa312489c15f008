//! The end-to-end harness: starts `tauri-driver` (which starts WebKitWebDriver, which starts
//! the real Vitalog binary), opens a WebDriver session on it, and saves a screenshot per step.
//!
//! Every process it starts is owned by a guard that kills it on drop, so a failing test
//! leaves nothing behind. It needs a display: `make test` runs it under `xvfb-run`.

#![warn(missing_docs)]

pub mod dialog;
mod driver;
mod session;

pub use dialog::FileDialog;
pub use driver::{Driver, HarnessError};
pub use session::App;
