//! Weight, temperature, oxygen saturation and heart rate over a period: how many readings,
//! their mean and extremes, and what each one's chart shows (weight's change per week, the
//! share of SpO2 readings below 90 %).

use readings::{Content, Decimal, Quantity, Unit};
use serde::Serialize;

use crate::summary::{Summary, slope};
use crate::{Observation, most_common_unit};

/// Statistics of one kind of body reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BodyStats {
    /// The unit of every number here (UCUM).
    pub unit: Unit,
    /// Readings.
    pub n_readings: usize,
    /// Mean.
    pub mean: f64,
    /// Lowest.
    pub min: f64,
    /// Highest.
    pub max: f64,
    /// Weight only: the least-squares trend in `unit` per week; null below two readings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_per_week: Option<Option<f64>>,
    /// SpO2 only: percent of readings below 90 %.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pct_below_90: Option<f64>,
}

/// Which body kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Body {
    Weight,
    Temperature,
    SpO2,
    HeartRate,
}

impl Body {
    /// The value and unit of an observation of this kind.
    fn value(self, content: &Content) -> Option<(Decimal, Unit)> {
        let quantity = |q: &Quantity| Some((q.value, q.unit));
        match (self, content) {
            (Body::Weight, Content::Weight(q)) => quantity(q),
            (Body::Temperature, Content::Temperature(q)) => quantity(q),
            (Body::SpO2, Content::SpO2(v)) => Some((*v, Unit::Percent)),
            (Body::HeartRate, Content::HeartRate(v)) => Some((*v, Unit::PerMin)),
            _ => None,
        }
    }

    fn default_unit(self) -> Unit {
        match self {
            Body::Weight => Unit::Kg,
            Body::Temperature => Unit::Celsius,
            Body::SpO2 => Unit::Percent,
            Body::HeartRate => Unit::PerMin,
        }
    }
}

/// The statistics of `body` readings in the unit `asked` (one of the kind's), else the most
/// common recorded; `None` without readings.
pub(crate) fn body(
    body: Body,
    observations: &[Observation<'_>],
    asked: Option<Unit>,
) -> Option<BodyStats> {
    let samples: Vec<(&Observation<'_>, f64, Unit)> = observations
        .iter()
        .filter_map(|o| {
            body.value(o.content)
                .map(|(value, unit)| (o, value.to_f64(), unit))
        })
        .collect();
    let recorded = most_common_unit(samples.iter().map(|s| s.2), body.default_unit());
    let unit = asked
        .filter(|u| recorded.convert(1.0, *u).is_some())
        .unwrap_or(recorded);
    let values: Vec<f64> = samples
        .iter()
        .map(|(_, value, recorded)| recorded.convert(*value, unit).unwrap_or(*value))
        .collect();
    let summary = Summary::of(&values)?;
    let change_per_week = (body == Body::Weight).then(|| {
        let first = samples.iter().map(|s| s.0.at).min()?;
        let points: Vec<(f64, f64)> = samples
            .iter()
            .zip(&values)
            .map(|((o, _, _), v)| ((o.at - first).num_seconds() as f64 / 86_400.0, *v))
            .collect();
        slope(&points).map(|per_day| per_day * 7.0)
    });
    let pct_below_90 = (body == Body::SpO2)
        .then(|| values.iter().filter(|v| **v < 90.0).count() as f64 / values.len() as f64 * 100.0);
    Some(BodyStats {
        unit,
        n_readings: summary.n,
        mean: summary.mean,
        min: summary.min,
        max: summary.max,
        change_per_week,
        pct_below_90,
    })
}
