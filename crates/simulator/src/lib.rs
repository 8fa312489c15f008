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
pub use faults::{DemoProblem, Faults, InvalidFaults};
pub use glucose_meter::GlucoseMeter;
pub use radio::{DemoLink, DemoRadio};
pub use reading_monitor::ReadingMonitor;

/// Where demo readings sit in time: on a grid of local times `spacing` apart from 1 January
/// 2000 07:30, up to the last slot before now. A slot's time and the values drawn from its
/// number never change, so a demo monitor synced again later holds the same earlier readings
/// (the journal recognises them) plus those of the slots passed since, and none is dated in
/// the future.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeline {
    spacing: chrono::TimeDelta,
    last: u32,
}

impl Timeline {
    /// The grid up to the current local time.
    pub(crate) fn until_now(spacing: chrono::TimeDelta) -> Timeline {
        Timeline::until(chrono::Local::now().naive_local(), spacing)
    }

    /// The grid up to `now`.
    pub(crate) fn until(now: chrono::NaiveDateTime, spacing: chrono::TimeDelta) -> Timeline {
        let elapsed = (now - epoch()).num_seconds().max(0);
        let step = spacing.num_seconds().max(1);
        let last = u32::try_from(elapsed / step).unwrap_or(u32::MAX);
        Timeline { spacing, last }
    }

    /// The numbers of the last `count` slots, oldest first.
    pub(crate) fn last_slots(&self, count: u16) -> impl Iterator<Item = u32> + use<> {
        let first = self.last.saturating_sub(u32::from(count).saturating_sub(1));
        let end = if count == 0 { first } else { self.last + 1 };
        first..end
    }

    /// When slot `slot` is.
    pub(crate) fn time_of(&self, slot: u32) -> chrono::NaiveDateTime {
        epoch() + self.spacing * i32::try_from(slot).unwrap_or(i32::MAX)
    }
}

fn epoch() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
        .and_then(|date| date.and_hms_opt(7, 30, 0))
        .unwrap_or_default()
}

/// A small deterministic generator for demo values (a linear congruential step).
pub(crate) fn spread(seed: u32, low: u32, high: u32) -> u32 {
    let mixed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345) >> 8;
    low + mixed % (high - low + 1)
}

#[cfg(test)]
mod tests {
    use super::Timeline;
    use chrono::{NaiveDate, TimeDelta};

    #[test]
    fn slots_keep_their_time_as_the_window_moves() {
        let at = |d, h, m| {
            NaiveDate::from_ymd_opt(2026, 12, d)
                .and_then(|date| date.and_hms_opt(h, m, 0))
                .unwrap_or_default()
        };
        let morning = Timeline::until(at(4, 7, 45), TimeDelta::hours(8));
        let evening = Timeline::until(at(4, 16, 0), TimeDelta::hours(8));
        let a: Vec<u32> = morning.last_slots(3).collect();
        let b: Vec<u32> = evening.last_slots(3).collect();
        assert_eq!((a.len(), b.len()), (3, 3));
        assert_eq!(&a[1..], &b[..2], "two slots are shared, one is new");
        assert_eq!(morning.time_of(a[2]), at(4, 7, 30));
        assert_eq!(evening.time_of(b[2]), at(4, 15, 30));
        assert!(morning.last_slots(0).next().is_none());
    }
}
