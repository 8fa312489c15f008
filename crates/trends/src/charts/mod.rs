//! Charts as SVG, drawn with plotters: the one renderer for the app's screens, `vitalog chart`
//! and the doctor's report. Every chart carries a `<title>` and a `<desc>` (the text
//! alternative the screens also show), uses a colour-blind-safe palette (Okabe–Ito) with a
//! non-colour cue for everything colour says (labels, line styles, marker shapes), and draws at
//! most a few hundred points per line: long periods are decimated first.

mod draw;
mod glucose;
mod series;
mod vitals;

use std::str::FromStr;

use readings::Unit;
use serde::{Deserialize, Serialize};

use crate::period::Period;
use crate::{Observation, Options};

/// The charts Vitalog draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// The ambulatory glucose profile: percentile bands over a modal day, target range shaded.
    Agp,
    /// The time-in-ranges stacked bar.
    Tir,
    /// Glucose over time: the CGM trace and meter readings as points.
    Glucose,
    /// One line per day over a 24-hour axis.
    Daily,
    /// Blood pressure over time with the category bands, mornings and evenings marked.
    Bp,
    /// Weight with its 7-day moving average.
    Weight,
    /// Oxygen saturation, with the 90 % line.
    Spo2,
    /// Body temperature.
    Temperature,
    /// Heart rate.
    HeartRate,
}

impl ChartKind {
    /// Every chart.
    pub const ALL: [ChartKind; 9] = [
        ChartKind::Agp,
        ChartKind::Tir,
        ChartKind::Glucose,
        ChartKind::Daily,
        ChartKind::Bp,
        ChartKind::Weight,
        ChartKind::Spo2,
        ChartKind::Temperature,
        ChartKind::HeartRate,
    ];

    /// Stable name (`agp`, `tir`, `glucose`, `daily`, `bp`, `weight`, `spo2`, `temperature`,
    /// `heart_rate`).
    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::Agp => "agp",
            ChartKind::Tir => "tir",
            ChartKind::Glucose => "glucose",
            ChartKind::Daily => "daily",
            ChartKind::Bp => "bp",
            ChartKind::Weight => "weight",
            ChartKind::Spo2 => "spo2",
            ChartKind::Temperature => "temperature",
            ChartKind::HeartRate => "heart_rate",
        }
    }
}

impl FromStr for ChartKind {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        ChartKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| {
                "a chart is one of agp, tir, glucose, daily, bp, weight, spo2, temperature, heart_rate"
                    .to_owned()
            })
    }
}

/// Light or dark: the colours of text, axes and grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Dark ink on a light page (and print).
    #[default]
    Light,
    /// Light ink on a dark page.
    Dark,
}

/// How big to draw, in CSS pixels (the SVG scales; this sets the proportions and text size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl Default for Size {
    fn default() -> Self {
        Size {
            width: 720,
            height: 320,
        }
    }
}

/// A drawn chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Chart {
    /// Which chart.
    pub kind: ChartKind,
    /// Its title.
    pub title: String,
    /// What it shows, in one or two sentences: the text alternative.
    pub description: String,
    /// The SVG, with `<title>` and `<desc>`.
    pub svg: String,
}

/// What a chart is drawn with.
#[derive(Debug, Clone, Copy)]
pub struct ChartRequest<'a, 'o> {
    /// The period.
    pub period: &'a Period,
    /// The readings (those outside the period are ignored).
    pub observations: &'a [Observation<'o>],
    /// The patient's choices.
    pub options: Options,
    /// The size.
    pub size: Size,
    /// The colours.
    pub theme: Theme,
}

/// Draws `kind`; `None` when the period holds nothing that chart shows.
pub fn render(kind: ChartKind, request: &ChartRequest<'_, '_>) -> Option<Chart> {
    let inside: Vec<Observation<'_>> = request
        .observations
        .iter()
        .filter(|o| request.period.contains(&o.at))
        .copied()
        .collect();
    let request = ChartRequest {
        observations: &inside,
        ..*request
    };
    let drawn = match kind {
        ChartKind::Agp => glucose::agp(&request),
        ChartKind::Tir => glucose::tir(&request),
        ChartKind::Glucose => glucose::over_time(&request),
        ChartKind::Daily => glucose::daily(&request),
        ChartKind::Bp => vitals::blood_pressure(&request),
        ChartKind::Weight => vitals::weight(&request),
        ChartKind::Spo2 => vitals::spo2(&request),
        ChartKind::Temperature => vitals::temperature(&request),
        ChartKind::HeartRate => vitals::heart_rate(&request),
    }?;
    Some(Chart {
        kind,
        svg: draw::with_text_alternative(&drawn.svg, &drawn.title, &drawn.description),
        title: drawn.title,
        description: drawn.description,
    })
}

/// What a chart function gives back before the text alternative goes into the SVG.
pub(crate) struct Drawn {
    pub title: String,
    pub description: String,
    pub svg: String,
}

/// A number as the charts' words show it: whole in mg/dL and mmHg, one decimal otherwise.
pub(crate) fn shown(value: f64, unit: Unit) -> String {
    match unit {
        Unit::MgPerDl | Unit::MmHg | Unit::PerMin | Unit::Percent => format!("{value:.0}"),
        _ => format!("{value:.1}"),
    }
}
