//! Home blood pressure per the home-monitoring protocol (STANDARDS.md §4): the first day
//! discarded, morning and evening means, the ACC/AHA 2017 category of the mean and the ESH home
//! threshold of 135/85 beside it.

use chrono::{NaiveDate, Timelike};
use readings::{Content, Unit};
use serde::Serialize;

use crate::Observation;
use crate::period::Period;
use crate::summary::mean;

/// The home threshold (ESH): a mean at or above 135 systolic or 85 diastolic is high.
pub const HOME_HIGH: (f64, f64) = (135.0, 85.0);

/// The local hours of the protocol's morning measurement (before medication and breakfast).
pub const MORNING_HOURS: std::ops::Range<u32> = 4..12;
/// The local hours of its evening measurement (before the evening meal, into the night).
pub const EVENING_HOURS: std::ops::Range<u32> = 16..24;

/// A blood-pressure category per ACC/AHA 2017.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Below 120 and below 80.
    Normal,
    /// 120–129 and below 80.
    Elevated,
    /// 130–139 or 80–89.
    #[serde(rename = "stage_1")]
    Stage1,
    /// 140 or more, or 90 or more.
    #[serde(rename = "stage_2")]
    Stage2,
}

impl Category {
    /// The category of a pressure in mmHg: the higher of what the systolic and the diastolic
    /// say.
    pub fn of(systolic: f64, diastolic: f64) -> Category {
        let by_systolic = if systolic >= 140.0 {
            Category::Stage2
        } else if systolic >= 130.0 {
            Category::Stage1
        } else if systolic >= 120.0 {
            Category::Elevated
        } else {
            Category::Normal
        };
        let by_diastolic = if diastolic >= 90.0 {
            Category::Stage2
        } else if diastolic >= 80.0 {
            Category::Stage1
        } else {
            Category::Normal
        };
        by_systolic.max(by_diastolic)
    }
}

/// Blood-pressure statistics of a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BloodPressureStats {
    /// Always mmHg (kPa readings are converted).
    pub unit: String,
    /// Readings averaged (after the first day is discarded).
    pub n_readings: usize,
    /// Local days those readings fall on.
    pub days: usize,
    /// The first day with readings, discarded as the protocol says; null when the readings
    /// fall on one day only (then they all count).
    pub first_day_discarded: Option<String>,
    /// The mean of every reading kept.
    pub mean: Pressure,
    /// Readings taken 04:00–11:59 local time.
    pub morning: Session,
    /// Readings taken 16:00–23:59 local time.
    pub evening: Session,
    /// The ACC/AHA category of the mean.
    pub category: Category,
    /// The mean is at or above 135/85.
    pub home_high: bool,
    /// Readings at or above 135/85.
    pub n_at_or_above_135_85: usize,
    /// How many readings kept fall in each ACC/AHA category (each reading on its own).
    pub readings_by_category: CategoryCounts,
}

/// Readings per ACC/AHA category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CategoryCounts {
    /// Normal.
    pub normal: usize,
    /// Elevated.
    pub elevated: usize,
    /// Stage 1.
    pub stage_1: usize,
    /// Stage 2.
    pub stage_2: usize,
}

/// A mean pressure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Pressure {
    /// Systolic, mmHg.
    pub systolic: f64,
    /// Diastolic, mmHg.
    pub diastolic: f64,
    /// Pulse, per minute; null when no reading had one.
    pub pulse: Option<f64>,
}

/// The mean of one measuring session of the day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Session {
    /// Systolic, mmHg; null without readings.
    pub systolic: Option<f64>,
    /// Diastolic, mmHg; null without readings.
    pub diastolic: Option<f64>,
    /// Readings.
    pub n: usize,
}

#[derive(Debug, Clone, Copy)]
struct Sample {
    day: NaiveDate,
    hour: u32,
    systolic: f64,
    diastolic: f64,
    pulse: Option<f64>,
}

/// Blood-pressure statistics; `None` without readings.
pub(crate) fn blood_pressure(
    period: &Period,
    observations: &[Observation<'_>],
) -> Option<BloodPressureStats> {
    let mut samples: Vec<Sample> = observations
        .iter()
        .filter_map(|observation| {
            let Content::BloodPressure {
                systolic,
                diastolic,
                unit,
                pulse,
                ..
            } = observation.content
            else {
                return None;
            };
            let mmhg = |d: readings::Decimal| unit.convert(d.to_f64(), Unit::MmHg);
            let local = period.local(&observation.at);
            Some(Sample {
                day: local.date_naive(),
                hour: local.hour(),
                systolic: mmhg(*systolic)?,
                diastolic: mmhg(*diastolic)?,
                pulse: pulse.map(|p| p.to_f64()),
            })
        })
        .collect();
    let first_day = samples.iter().map(|s| s.day).min()?;
    let several_days = samples.iter().any(|s| s.day != first_day);
    let first_day_discarded = several_days.then(|| first_day.to_string());
    if several_days {
        samples.retain(|s| s.day != first_day);
    }
    let column = |pick: fn(&Sample) -> f64, chosen: &[&Sample]| {
        mean(&chosen.iter().map(|s| pick(s)).collect::<Vec<_>>())
    };
    let all: Vec<&Sample> = samples.iter().collect();
    let session = |hours: std::ops::Range<u32>| {
        let chosen: Vec<&Sample> = samples.iter().filter(|s| hours.contains(&s.hour)).collect();
        Session {
            systolic: column(|s| s.systolic, &chosen),
            diastolic: column(|s| s.diastolic, &chosen),
            n: chosen.len(),
        }
    };
    let systolic = column(|s| s.systolic, &all)?;
    let diastolic = column(|s| s.diastolic, &all)?;
    let pulses: Vec<f64> = samples.iter().filter_map(|s| s.pulse).collect();
    let mut days: Vec<NaiveDate> = samples.iter().map(|s| s.day).collect();
    days.sort();
    days.dedup();
    Some(BloodPressureStats {
        unit: "mmHg".to_owned(),
        n_readings: samples.len(),
        days: days.len(),
        first_day_discarded,
        mean: Pressure {
            systolic,
            diastolic,
            pulse: mean(&pulses),
        },
        morning: session(MORNING_HOURS),
        evening: session(EVENING_HOURS),
        category: Category::of(systolic, diastolic),
        home_high: systolic >= HOME_HIGH.0 || diastolic >= HOME_HIGH.1,
        n_at_or_above_135_85: samples
            .iter()
            .filter(|s| s.systolic >= HOME_HIGH.0 || s.diastolic >= HOME_HIGH.1)
            .count(),
        readings_by_category: samples.iter().fold(CategoryCounts::default(), |mut c, s| {
            match Category::of(s.systolic, s.diastolic) {
                Category::Normal => c.normal += 1,
                Category::Elevated => c.elevated += 1,
                Category::Stage1 => c.stage_1 += 1,
                Category::Stage2 => c.stage_2 += 1,
            }
            c
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_at_their_edges() {
        assert_eq!(Category::of(119.9, 79.9), Category::Normal);
        assert_eq!(Category::of(120.0, 79.0), Category::Elevated);
        assert_eq!(Category::of(129.9, 79.9), Category::Elevated);
        assert_eq!(Category::of(130.0, 70.0), Category::Stage1);
        assert_eq!(Category::of(118.0, 80.0), Category::Stage1);
        assert_eq!(Category::of(139.0, 89.0), Category::Stage1);
        assert_eq!(Category::of(140.0, 60.0), Category::Stage2);
        assert_eq!(Category::of(110.0, 90.0), Category::Stage2);
    }
}
