//! The Trends and Today screens' numbers and charts: the `trends` crate's statistics and SVG
//! charts of a period of the owner's readings.

use std::sync::Arc;

use journal::{Filter, PersonId};
use readings::{Kind, Unit};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;
use trends::charts::{Chart, ChartKind, ChartRequest, Size, Theme};
use trends::{Observation, Options, Period, Stats};

use super::blocking;
use crate::error::IpcError;
use crate::journal_access::JournalAccess;

/// The kinds trends are made of.
const TREND_KINDS: [Kind; 6] = [
    Kind::Glucose,
    Kind::BloodPressure,
    Kind::Weight,
    Kind::Temperature,
    Kind::SpO2,
    Kind::HeartRate,
];

/// Which period, and how to draw it.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TrendsRequest {
    /// The last this many local days up to today (7, 14, 30, 90…); ignored when `from` is set.
    pub days: u32,
    /// A custom first day (`YYYY-MM-DD`), with `to`.
    pub from: Option<String>,
    /// The day after a custom period (`YYYY-MM-DD`).
    pub to: Option<String>,
    /// The glucose unit the patient shows (mg/dL or mmol/L); the recorded one when absent.
    pub glucose_unit: Option<Unit>,
    /// The weight unit the patient shows (kg or lb); the recorded one when absent.
    pub weight_unit: Option<Unit>,
    /// The temperature unit the patient shows (°C or °F); the recorded one when absent.
    pub temperature_unit: Option<Unit>,
    /// Draw the charts (the Today screen only wants the numbers).
    pub charts: bool,
    /// The page's colours.
    pub theme: Theme,
}

/// A period's statistics and charts.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TrendsView {
    /// Every statistic (the shape of `vitalog stats --json`).
    pub stats: Stats,
    /// The charts that have something to show, in the screen's order.
    pub charts: Vec<Chart>,
}

/// The statistics (and charts) of a period of the owner's readings, in the system's zone.
#[tauri::command]
#[specta::specta]
pub async fn trends_view(
    access: State<'_, Arc<JournalAccess>>,
    request: TrendsRequest,
) -> Result<TrendsView, IpcError> {
    let access = Arc::clone(&access);
    blocking(move || {
        let zone = trends::zone::system();
        let period = match (&request.from, &request.to) {
            (Some(from), Some(to)) => Period::parse(from, to, zone.name())
                .map_err(|e| IpcError::invalid(crate::error::sentence(&e.to_string())))?,
            _ => {
                if !(1..=366).contains(&request.days) {
                    return Err(IpcError::invalid("Choose a period of 1 to 366 days."));
                }
                Period::last_days(chrono::Utc::now(), request.days, zone)
            }
        };
        let filter = Filter {
            kinds: TREND_KINDS.to_vec(),
            from: Some(period.from().fixed_offset()),
            to: Some(period.to().fixed_offset()),
            person: Some(PersonId(1)),
            ..Filter::default()
        };
        let entries = access.with(|journal| journal.list(&filter))?;
        let observations: Vec<Observation<'_>> = entries
            .iter()
            .map(|e| Observation {
                at: e.at,
                content: &e.content,
                flags: &e.flags,
            })
            .collect();
        let options = Options {
            glucose_unit: request
                .glucose_unit
                .filter(|u| matches!(u, Unit::MgPerDl | Unit::MmolPerL)),
            weight_unit: request.weight_unit,
            temperature_unit: request.temperature_unit,
        };
        let stats = trends::stats(&period, &observations, options);
        let charts = if request.charts {
            let chart_request = ChartRequest {
                period: &period,
                observations: &observations,
                options,
                size: Size::default(),
                theme: request.theme,
            };
            ChartKind::ALL
                .into_iter()
                .filter_map(|kind| trends::charts::render(kind, &chart_request))
                .collect()
        } else {
            Vec::new()
        };
        Ok(TrendsView { stats, charts })
    })
    .await
}
