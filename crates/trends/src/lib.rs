//! Vitalog's statistics, pure functions over readings: no I/O, no clock (the period is an
//! argument), no journal.
//!
//! [`stats`] takes the readings of a [`Period`] and gives one [`Stats`] in the shape of
//! `../shared/STATS-JSON.md`, the one vocabulary the CLI (`vitalog stats --json`), the app's
//! screens and the doctor's report read. Numbers are unrounded; what cannot be computed is
//! `None` (null in JSON); kinds without readings are left out.
//!
//! - [`glucose`]: the International Consensus metrics, CGM and meter apart (control-solution
//!   results never count): mean, SD, CV, GMI (sufficient CGM data only), time in ranges on the
//!   cut points of the unit each reading was recorded in, wear and days with data, the AGP.
//! - [`blood_pressure`]: home-monitoring protocol averages (first day discarded), morning and
//!   evening, ACC/AHA 2017 category and the 135/85 home threshold.
//! - [`body`]: weight (with its weekly trend), temperature, SpO2 (share below 90 %), heart rate.
//!
//! Local calendar days, mornings and AGP bins are counted in the period's time zone
//! ([`zone::system`] finds the patient's when they name none).

#![warn(missing_docs)]

pub mod blood_pressure;
pub mod body;
pub mod charts;
pub mod glucose;
mod period;
mod summary;
pub mod zone;

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};
use readings::{Content, Flag, Unit};
use serde::Serialize;

pub use blood_pressure::BloodPressureStats;
pub use body::BodyStats;
pub use glucose::GlucoseStats;
pub use period::{Period, PeriodError};

/// The kinds of entry the statistics and charts are made of (the rest are events).
pub const KINDS: [readings::Kind; 6] = [
    readings::Kind::Glucose,
    readings::Kind::BloodPressure,
    readings::Kind::Weight,
    readings::Kind::Temperature,
    readings::Kind::SpO2,
    readings::Kind::HeartRate,
];

/// One reading as the statistics see it: when, what, and its flags.
#[derive(Debug, Clone, Copy)]
pub struct Observation<'a> {
    /// When it was taken.
    pub at: DateTime<FixedOffset>,
    /// What it records.
    pub content: &'a Content,
    /// Its flags (control solution, unusual, device status).
    pub flags: &'a BTreeSet<Flag>,
}

/// Choices the patient makes about how the numbers are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The glucose unit to report in; the most common recorded unit when `None`.
    pub glucose_unit: Option<Unit>,
    /// The weight unit to report in (kg or lb); the most common recorded when `None`.
    pub weight_unit: Option<Unit>,
    /// The temperature unit to report in (°C or °F); the most common recorded when `None`.
    pub temperature_unit: Option<Unit>,
}

/// Every statistic of a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Stats {
    /// What the numbers cover.
    pub period: PeriodSummary,
    /// Glucose, CGM and meter apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub glucose: Option<GlucoseStats>,
    /// Home blood pressure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blood_pressure: Option<BloodPressureStats>,
    /// Body weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<BodyStats>,
    /// Body temperature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<BodyStats>,
    /// Oxygen saturation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spo2: Option<BodyStats>,
    /// Heart rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heart_rate: Option<BodyStats>,
}

/// The period as the statistics report it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PeriodSummary {
    /// The first instant, in the zone's offset then.
    pub from: String,
    /// The first instant after the period, in the zone's offset then.
    pub to: String,
    /// The IANA zone.
    pub time_zone: String,
    /// Local calendar days the period touches.
    pub calendar_days: u32,
}

/// The statistics of the `observations` inside `period` (others are ignored).
pub fn stats(period: &Period, observations: &[Observation<'_>], options: Options) -> Stats {
    let inside: Vec<Observation<'_>> = observations
        .iter()
        .filter(|o| period.contains(&o.at))
        .copied()
        .collect();
    let zone = period.zone();
    Stats {
        period: PeriodSummary {
            from: period.from().with_timezone(&zone).to_rfc3339(),
            to: period.to().with_timezone(&zone).to_rfc3339(),
            time_zone: zone.name().to_owned(),
            calendar_days: period.calendar_days(),
        },
        glucose: glucose::glucose(period, &inside, options.glucose_unit),
        blood_pressure: blood_pressure::blood_pressure(period, &inside),
        weight: body::body(body::Body::Weight, &inside, options.weight_unit),
        temperature: body::body(body::Body::Temperature, &inside, options.temperature_unit),
        spo2: body::body(body::Body::SpO2, &inside, None),
        heart_rate: body::body(body::Body::HeartRate, &inside, None),
    }
}

/// The unit most of `units` are in; `tie` when two are equally common or there are none.
pub(crate) fn most_common_unit(units: impl Iterator<Item = Unit>, tie: Unit) -> Unit {
    let mut counts: Vec<(Unit, usize)> = Vec::new();
    for unit in units {
        match counts.iter_mut().find(|(u, _)| *u == unit) {
            Some((_, n)) => *n += 1,
            None => counts.push((unit, 1)),
        }
    }
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let leaders: Vec<Unit> = counts
        .iter()
        .filter(|(_, n)| *n == most)
        .map(|(u, _)| *u)
        .collect();
    match leaders.as_slice() {
        [one] => *one,
        _ => tie,
    }
}
