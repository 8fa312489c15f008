//! Vitalog's reading vocabulary, shared by every crate that handles readings: the journal,
//! the sync from monitors, the simulator, trends, the report, sharing, the CLI and the app.
//!
//! - [`Decimal`]: a value with the precision it was recorded with (`5.80` stays `5.80`).
//! - [`Kind`] and its table ([`Kind::spec`]): which value fields each kind of entry has and
//!   which [`Unit`]s it is recorded in; [`Unit`] converts between units of one quantity
//!   (glucose with [`unit::GLUCOSE_MG_DL_PER_MMOL_L`]).
//! - [`Content`]: what an entry records; [`Fields`] is its one flat form, which every record,
//!   row and DTO that carries content embeds.
//! - [`plausibility`]: impossible values (refused) and unusual ones (flagged).
//! - [`Flag`], [`Source`], [`TimeQuality`], [`MealContext`], [`GlucoseMethod`].
//! - [`MonitorKind`] and [`MonitorId`], which knows the demo monitors' ids.
//! - [`alerts`]: the thresholds a patient can be alerted at, with what to do.
//!
//! Pure: no I/O, no SQL, no Bluetooth, no async runtime. The text forms (`as_str`, `FromStr`)
//! are the serde forms too, so files, the CLI and the app's IPC spell every name the same way;
//! with the `specta` feature the app's TypeScript bindings get each enum as a union.

#![warn(missing_docs)]

pub mod alerts;
mod content;
mod decimal;
mod error;
mod fields;
mod flag;
mod kind;
mod monitor;
pub mod plausibility;
mod provenance;
pub mod unit;

pub use content::{Content, GlucoseMethod, MealContext, Quantity};
pub use decimal::{Decimal, NotADecimal};
pub use error::ReadingError;
pub use fields::Fields;
pub use flag::Flag;
pub use kind::{Field, Kind, KindSpec};
pub use monitor::{MonitorId, MonitorKind};
pub use provenance::{Source, TimeQuality};
pub use unit::Unit;
