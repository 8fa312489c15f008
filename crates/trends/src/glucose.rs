//! Glucose statistics per the International Consensus on Time in Range (STANDARDS.md §3): CGM
//! and meter readings in separate blocks, bands on the cut points of the unit each reading was
//! recorded in, GMI only from sufficient CGM data, and the AGP's percentiles by time of day.

use chrono::{DateTime, Timelike};
use chrono_tz::Tz;
use readings::unit::GLUCOSE_MG_DL_PER_MMOL_L;
use readings::{Content, Flag, GlucoseMethod, MealContext, Unit};
use serde::Serialize;

use crate::period::Period;
use crate::summary::{Summary, mean, quantile};
use crate::{Observation, most_common_unit};

/// Minutes in one AGP bin of the modal day.
pub const AGP_BIN_MINUTES: u32 = 15;
/// Days of CGM data the consensus asks for before GMI and the AGP are shown.
pub const SUFFICIENT_DAYS: u32 = 14;
/// Percent of the expected CGM readings the consensus asks for.
pub const SUFFICIENT_WEAR_PCT: f64 = 70.0;

/// Both glucose blocks; either is absent when the period holds no such readings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GlucoseStats {
    /// Readings from a continuous glucose monitor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cgm: Option<CgmStats>,
    /// Readings from a meter (and typed in).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meter: Option<MeterStats>,
}

/// Statistics of CGM readings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CgmStats {
    /// The unit of every glucose number here.
    pub unit: Unit,
    /// Readings counted.
    pub n_readings: usize,
    /// Mean.
    pub mean: f64,
    /// Sample SD; null below 3 readings.
    pub sd: Option<f64>,
    /// Coefficient of variation in %; target ≤ 36.
    pub cv_pct: Option<f64>,
    /// Lowest reading.
    pub min: f64,
    /// Highest reading.
    pub max: f64,
    /// Glucose management indicator in %; null unless the data is sufficient.
    pub gmi_pct: Option<f64>,
    /// GMI in mmol/mol; null unless the data is sufficient.
    pub gmi_mmol_mol: Option<f64>,
    /// The sensor's nominal interval, from the readings' spacing (1, 5 or 15 minutes).
    pub interval_minutes: u32,
    /// Readings received as a percent of those expected at that interval (at most 100).
    pub wear_pct: f64,
    /// Local calendar days with at least one reading.
    pub days_with_data: u32,
    /// 14 days or more and at least 70 % worn.
    pub sufficient: bool,
    /// Time in ranges.
    pub ranges: Ranges,
    /// The ambulatory glucose profile.
    pub agp: Agp,
}

/// Statistics of meter readings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MeterStats {
    /// The unit of every glucose number here.
    pub unit: Unit,
    /// Readings counted.
    pub n_readings: usize,
    /// Readings per local calendar day of the period.
    pub readings_per_day: f64,
    /// Mean.
    pub mean: f64,
    /// Sample SD; null below 3 readings.
    pub sd: Option<f64>,
    /// Coefficient of variation in %.
    pub cv_pct: Option<f64>,
    /// Lowest reading.
    pub min: f64,
    /// Highest reading.
    pub max: f64,
    /// Always null: GMI is never computed from meter readings.
    pub gmi_pct: Option<f64>,
    /// Readings in each range.
    pub ranges: Ranges,
    /// Readings before a meal or fasting.
    pub before_meal: MealMean,
    /// Readings after a meal.
    pub after_meal: MealMean,
    /// Readings below the hypoglycaemia thresholds.
    pub hypo_readings: HypoReadings,
}

/// One range's share.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Band {
    /// Percent of readings (0–100).
    pub pct: f64,
    /// Minutes per day (pct × 1440 / 100); CGM only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes_per_day: Option<f64>,
    /// Readings in it.
    pub n: usize,
}

/// The consensus ranges, and the two sums the targets are set on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Ranges {
    /// Below 54 mg/dL (3.0 mmol/L).
    pub very_low: Band,
    /// 54–69 mg/dL (3.0–3.8 mmol/L).
    pub low: Band,
    /// 70–180 mg/dL (3.9–10.0 mmol/L).
    pub in_range: Band,
    /// 181–250 mg/dL (10.1–13.9 mmol/L).
    pub high: Band,
    /// Above 250 mg/dL (13.9 mmol/L).
    pub very_high: Band,
    /// Very low and low together.
    pub below_70: Band,
    /// High and very high together.
    pub above_180: Band,
}

/// The mean of the readings with one meal context.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MealMean {
    /// Mean; null without readings.
    pub mean: Option<f64>,
    /// Readings.
    pub n: usize,
}

/// Counts of low readings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct HypoReadings {
    /// Below 70 mg/dL (3.9 mmol/L).
    pub below_70: usize,
    /// Below 54 mg/dL (3.0 mmol/L).
    pub below_54: usize,
}

/// The ambulatory glucose profile: percentiles of the readings by local time of day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Agp {
    /// Minutes per bin.
    pub bin_minutes: u32,
    /// The bins from 00:00, left-closed.
    pub bins: Vec<AgpBin>,
}

/// One bin of the modal day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgpBin {
    /// Its first local time, `HH:MM`.
    pub start: String,
    /// Readings in it.
    pub n: usize,
    /// 5th percentile.
    pub p5: Option<f64>,
    /// 25th percentile.
    pub p25: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 75th percentile.
    pub p75: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
}

/// Which consensus range a reading is in: 0 very low … 4 very high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Range {
    /// Below 54 mg/dL / 3.0 mmol/L.
    VeryLow,
    /// Below 70 mg/dL / 3.9 mmol/L.
    Low,
    /// 70–180 mg/dL / 3.9–10.0 mmol/L.
    InRange,
    /// Up to 250 mg/dL / 13.9 mmol/L.
    High,
    /// Above.
    VeryHigh,
}

impl Range {
    /// The range of `value` recorded in `unit`, on that unit's own cut points (a reading of
    /// 10.0 mmol/L is in range although 10.0 × 18.016 is above 180).
    pub fn of(value: f64, unit: Unit) -> Range {
        let [very_low, low, high, very_high] = match unit {
            Unit::MmolPerL => [3.0, 3.9, 10.0, 13.9],
            _ => [54.0, 70.0, 180.0, 250.0],
        };
        if value < very_low {
            Range::VeryLow
        } else if value < low {
            Range::Low
        } else if value <= high {
            Range::InRange
        } else if value <= very_high {
            Range::High
        } else {
            Range::VeryHigh
        }
    }
}

/// One glucose reading that counts.
#[derive(Debug, Clone, Copy)]
struct Sample {
    at: DateTime<Tz>,
    recorded: f64,
    unit: Unit,
    meal: Option<MealContext>,
}

impl Sample {
    fn in_unit(&self, unit: Unit) -> f64 {
        self.unit
            .convert(self.recorded, unit)
            .unwrap_or(self.recorded)
    }

    fn range(&self) -> Range {
        Range::of(self.recorded, self.unit)
    }
}

/// Glucose statistics of the period; `None` without glucose readings.
pub(crate) fn glucose(
    period: &Period,
    observations: &[Observation<'_>],
    unit: Option<Unit>,
) -> Option<GlucoseStats> {
    let mut cgm = Vec::new();
    let mut meter = Vec::new();
    for observation in observations {
        let Content::Glucose {
            value,
            meal,
            method,
        } = observation.content
        else {
            continue;
        };
        // A control-solution result checks the meter, not the patient.
        if observation.flags.contains(&Flag::ControlSolution) {
            continue;
        }
        let sample = Sample {
            at: period.local(&observation.at),
            recorded: value.value.to_f64(),
            unit: value.unit,
            meal: *meal,
        };
        match method {
            GlucoseMethod::Cgm => cgm.push(sample),
            GlucoseMethod::Meter => meter.push(sample),
        }
    }
    let stats = GlucoseStats {
        cgm: cgm_stats(period, &mut cgm, unit),
        meter: meter_stats(period, &meter, unit),
    };
    (stats.cgm.is_some() || stats.meter.is_some()).then_some(stats)
}

fn block_unit(samples: &[Sample], asked: Option<Unit>) -> Unit {
    asked.unwrap_or_else(|| most_common_unit(samples.iter().map(|s| s.unit), Unit::MgPerDl))
}

fn ranges(samples: &[Sample], timed: bool) -> Ranges {
    let total = samples.len();
    let band = |n: usize| {
        let pct = if total == 0 {
            0.0
        } else {
            n as f64 / total as f64 * 100.0
        };
        Band {
            pct,
            minutes_per_day: timed.then_some(pct * 1440.0 / 100.0),
            n,
        }
    };
    let count = |range: Range| samples.iter().filter(|s| s.range() == range).count();
    let [very_low, low, in_range, high, very_high] = [
        Range::VeryLow,
        Range::Low,
        Range::InRange,
        Range::High,
        Range::VeryHigh,
    ]
    .map(count);
    Ranges {
        very_low: band(very_low),
        low: band(low),
        in_range: band(in_range),
        high: band(high),
        very_high: band(very_high),
        below_70: band(very_low + low),
        above_180: band(high + very_high),
    }
}

/// The nominal interval of a sensor: the median gap between its readings, snapped to 1, 5 or
/// 15 minutes.
fn interval_minutes(sorted: &[Sample]) -> u32 {
    let mut gaps: Vec<f64> = sorted
        .windows(2)
        .map(|w| (w[1].at - w[0].at).num_seconds() as f64 / 60.0)
        .collect();
    gaps.sort_by(f64::total_cmp);
    let Some(median) = quantile(&gaps, 0.5) else {
        return 5;
    };
    [1u32, 5, 15]
        .into_iter()
        .min_by(|a, b| {
            (f64::from(*a) - median)
                .abs()
                .total_cmp(&(f64::from(*b) - median).abs())
        })
        .unwrap_or(5)
}

fn cgm_stats(period: &Period, samples: &mut [Sample], asked: Option<Unit>) -> Option<CgmStats> {
    samples.sort_by_key(|s| s.at);
    let unit = block_unit(samples, asked);
    let values: Vec<f64> = samples.iter().map(|s| s.in_unit(unit)).collect();
    let summary = Summary::of(&values)?;
    let interval = interval_minutes(samples);
    let expected = period.measured_minutes() / f64::from(interval);
    let wear_pct = (summary.n as f64 / expected * 100.0).min(100.0);
    let mut days: Vec<_> = samples.iter().map(|s| s.at.date_naive()).collect();
    days.dedup();
    let days_with_data = u32::try_from(days.len()).unwrap_or(u32::MAX);
    let sufficient = period.calendar_days() >= SUFFICIENT_DAYS && wear_pct >= SUFFICIENT_WEAR_PCT;
    let mean_mg_dl = samples
        .iter()
        .map(|s| s.in_unit(Unit::MgPerDl))
        .sum::<f64>()
        / summary.n as f64;
    Some(CgmStats {
        unit,
        n_readings: summary.n,
        mean: summary.mean,
        sd: summary.sd,
        cv_pct: summary.cv_pct,
        min: summary.min,
        max: summary.max,
        gmi_pct: sufficient.then_some(3.31 + 0.02392 * mean_mg_dl),
        gmi_mmol_mol: sufficient.then(|| 12.71 + 4.70587 * (mean_mg_dl / GLUCOSE_MG_DL_PER_MMOL_L)),
        interval_minutes: interval,
        wear_pct,
        days_with_data,
        sufficient,
        ranges: ranges(samples, true),
        agp: agp(samples, unit),
    })
}

fn agp(samples: &[Sample], unit: Unit) -> Agp {
    let bins_per_day = 24 * 60 / AGP_BIN_MINUTES;
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); bins_per_day as usize];
    for sample in samples {
        let minute = sample.at.hour() * 60 + sample.at.minute();
        if let Some(bin) = values.get_mut((minute / AGP_BIN_MINUTES) as usize) {
            bin.push(sample.in_unit(unit));
        }
    }
    let bins = values
        .into_iter()
        .enumerate()
        .map(|(i, mut bin)| {
            bin.sort_by(f64::total_cmp);
            let start = i as u32 * AGP_BIN_MINUTES;
            let q = |p| quantile(&bin, p);
            AgpBin {
                start: format!("{:02}:{:02}", start / 60, start % 60),
                n: bin.len(),
                p5: q(0.05),
                p25: q(0.25),
                p50: q(0.5),
                p75: q(0.75),
                p95: q(0.95),
            }
        })
        .collect();
    Agp {
        bin_minutes: AGP_BIN_MINUTES,
        bins,
    }
}

fn meter_stats(period: &Period, samples: &[Sample], asked: Option<Unit>) -> Option<MeterStats> {
    let unit = block_unit(samples, asked);
    let values: Vec<f64> = samples.iter().map(|s| s.in_unit(unit)).collect();
    let summary = Summary::of(&values)?;
    let meal_mean = |wanted: &[MealContext]| {
        let chosen: Vec<f64> = samples
            .iter()
            .filter(|s| s.meal.is_some_and(|m| wanted.contains(&m)))
            .map(|s| s.in_unit(unit))
            .collect();
        MealMean {
            mean: mean(&chosen),
            n: chosen.len(),
        }
    };
    let ranges = ranges(samples, false);
    Some(MeterStats {
        unit,
        n_readings: summary.n,
        // Per calendar day, counting only the part of a running period already past.
        readings_per_day: summary.n as f64 / f64::from(period.calendar_days())
            * (period.minutes() / period.measured_minutes()),
        mean: summary.mean,
        sd: summary.sd,
        cv_pct: summary.cv_pct,
        min: summary.min,
        max: summary.max,
        gmi_pct: None,
        before_meal: meal_mean(&[MealContext::Before, MealContext::Fasting]),
        after_meal: meal_mean(&[MealContext::After]),
        hypo_readings: HypoReadings {
            below_70: ranges.below_70.n,
            below_54: ranges.very_low.n,
        },
        ranges,
    })
}
