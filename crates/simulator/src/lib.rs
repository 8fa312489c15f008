//! Simulated Bluetooth LE health monitors for demo mode and tests.
//!
//! Each monitor answers with the same GATT behaviour as the real device, byte for byte, built
//! with `ble-proto`'s encoders, and implements the link's [`link::Transport`], so everything
//! above the seam (sessions, sync, the journal, the app) runs against it unchanged. Faults are
//! available on demand ([`Faults`]): a link dropped mid-sync, truncated or malformed values,
//! repeated indications, a wrong clock, an unbonded link.
//!
//! Readings from a simulated monitor are demo data: the sync stores them with source `demo`.

#![warn(missing_docs)]

mod blood_pressure_cuff;
mod cgm;
mod faults;
mod gatt;
mod glucose_meter;
pub mod radio;
mod reading_monitor;

pub use blood_pressure_cuff::BloodPressureCuff;
pub use cgm::ContinuousGlucoseMonitor;
pub use faults::{Faults, InvalidFaults};
pub use glucose_meter::GlucoseMeter;
pub use radio::{DEMO_CUFF, DEMO_GLUCOSE, DemoLink, DemoRadio, demo_id};
pub use reading_monitor::ReadingMonitor;

/// When the demo monitors took their last stored reading: fixed and in the past, so the same
/// demo yields the same readings on every run (a second run stores nothing twice) and none is
/// dated in the future.
pub fn demo_last() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
        .and_then(|date| date.and_hms_opt(7, 30, 0))
        .unwrap_or_default()
}

/// When the first of `count` readings taken `spacing` apart was taken, the last being
/// [`demo_last`].
pub fn demo_first(count: u16, spacing: chrono::TimeDelta) -> chrono::NaiveDateTime {
    demo_last() - spacing * i32::from(count.saturating_sub(1))
}

/// A small deterministic generator for demo values (a linear congruential step).
pub(crate) fn spread(seed: u32, low: u32, high: u32) -> u32 {
    let mixed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345) >> 8;
    low + mixed % (high - low + 1)
}
