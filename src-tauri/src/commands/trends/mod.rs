//! The Trends, Today and Report screens: the `trends` crate's statistics and SVG charts of a
//! period of the owner's readings, and the `report` crate's PDF of it.

use std::sync::Arc;

use journal::{Filter, PersonId};
use readings::Unit;
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;
use trends::charts::{Chart, ChartKind, ChartRequest, Size, Theme};
use trends::{Observation, Options, Period, Stats};

use super::blocking;
use super::files::SavedFile;
use crate::error::IpcError;
use crate::file_picker::{FilePicker, FileRequest};
use crate::journal_access::JournalAccess;

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

/// The period a request names: a custom one, else the last `days` days up to today.
fn period_of(days: u32, from: Option<&str>, to: Option<&str>) -> Result<Period, IpcError> {
    let zone = trends::zone::system();
    match (from, to) {
        (Some(from), Some(to)) => Period::parse(from, to, zone.name())
            .map_err(|e| IpcError::invalid(crate::error::sentence(&e.to_string()))),
        _ if (1..=366).contains(&days) => Ok(Period::last_days(chrono::Utc::now(), days, zone)),
        _ => Err(IpcError::invalid("Choose a period of 1 to 366 days.")),
    }
}

fn options_of(glucose: Option<Unit>, weight: Option<Unit>, temperature: Option<Unit>) -> Options {
    Options {
        glucose_unit: glucose.filter(|u| matches!(u, Unit::MgPerDl | Unit::MmolPerL)),
        weight_unit: weight,
        temperature_unit: temperature,
    }
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
        let period = period_of(request.days, request.from.as_deref(), request.to.as_deref())?;
        let filter = Filter {
            kinds: trends::KINDS.to_vec(),
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
        let options = options_of(
            request.glucose_unit,
            request.weight_unit,
            request.temperature_unit,
        );
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

/// Which report to make.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReportRequest {
    /// The last this many local days up to today; ignored when `from` is set.
    pub days: u32,
    /// A custom first day (`YYYY-MM-DD`), with `to`.
    pub from: Option<String>,
    /// The day after a custom period (`YYYY-MM-DD`).
    pub to: Option<String>,
    /// The patient's name for the report, when they want it there.
    pub name: Option<String>,
    /// The glucose unit the patient shows; the recorded one when absent.
    pub glucose_unit: Option<Unit>,
    /// The weight unit the patient shows.
    pub weight_unit: Option<Unit>,
    /// The temperature unit the patient shows.
    pub temperature_unit: Option<Unit>,
}

/// Where the Report screen starts.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReportStart {
    /// The local day (`YYYY-MM-DD`) the last report was saved on, if one was: "since the
    /// last visit".
    pub last_report: Option<String>,
    /// The usual length otherwise ([`report::usual_days`]).
    pub days: u32,
}

/// The period a new report starts from (the patient can change it).
#[tauri::command]
#[specta::specta]
pub async fn report_start(access: State<'_, Arc<JournalAccess>>) -> Result<ReportStart, IpcError> {
    let access = Arc::clone(&access);
    blocking(move || {
        let zone = trends::zone::system();
        let now = chrono::Utc::now();
        let newest = |kind: readings::Kind, days: i64| Filter {
            kinds: vec![kind],
            from: Some((now - chrono::Duration::days(days)).fixed_offset()),
            person: Some(PersonId(1)),
            newest_first: true,
            limit: Some(1),
            ..Filter::default()
        };
        let (last_report, glucose, pressure) = access.with(|journal| {
            Ok((
                journal.last_report()?,
                !journal
                    .list(&newest(readings::Kind::Glucose, 14))?
                    .is_empty(),
                !journal
                    .list(&newest(readings::Kind::BloodPressure, 14))?
                    .is_empty(),
            ))
        })?;
        Ok(ReportStart {
            last_report: last_report
                .map(|at| at.with_timezone(&zone).format("%Y-%m-%d").to_string()),
            days: report::usual_days(glucose, pressure),
        })
    })
    .await
}

/// What a report will be, before it is saved.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReportPreview {
    /// Its pages.
    pub pages: u32,
    /// Its size.
    pub bytes: u64,
    /// The entries it covers.
    pub entries: u32,
}

/// Makes the report of a period (owner's entries, all kinds).
fn make_report(
    access: &JournalAccess,
    request: &ReportRequest,
) -> Result<(report::Report, usize), IpcError> {
    let period = period_of(request.days, request.from.as_deref(), request.to.as_deref())?;
    let filter = Filter {
        from: Some(period.from().fixed_offset()),
        to: Some(period.to().fixed_offset()),
        person: Some(PersonId(1)),
        ..Filter::default()
    };
    let (entries, devices) =
        access.with(|journal| Ok((journal.list(&filter)?, journal.devices()?)))?;
    let name = request
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let made = report::pdf(&report::ReportInput {
        period: &period,
        entries: &entries,
        devices: &devices,
        patient_name: name,
        options: options_of(
            request.glucose_unit,
            request.weight_unit,
            request.temperature_unit,
        ),
        generated_at: chrono::Utc::now(),
        version: env!("CARGO_PKG_VERSION"),
    })
    .map_err(|e| {
        IpcError::new(
            crate::error::ErrorKind::Internal,
            crate::error::sentence(&e.to_string()),
        )
    })?;
    Ok((made, entries.len()))
}

/// How the report of a period will come out: its pages and size.
#[tauri::command]
#[specta::specta]
pub async fn report_preview(
    access: State<'_, Arc<JournalAccess>>,
    request: ReportRequest,
) -> Result<ReportPreview, IpcError> {
    let access = Arc::clone(&access);
    blocking(move || {
        let (made, entries) = make_report(&access, &request)?;
        Ok(ReportPreview {
            pages: u32::try_from(made.pages).unwrap_or(u32::MAX),
            bytes: made.bytes.len() as u64,
            entries: u32::try_from(entries).unwrap_or(u32::MAX),
        })
    })
    .await
}

/// Saves the report of a period where the patient picks (native Save dialog); `None` when
/// they cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_report(
    access: State<'_, Arc<JournalAccess>>,
    picker: State<'_, FilePicker>,
    request: ReportRequest,
) -> Result<Option<SavedFile>, IpcError> {
    access.shared()?;
    let file_request = FileRequest::Save {
        title: "Save the report for your doctor (not encrypted)",
        suggested_name: format!(
            "vitalog-report-{}.pdf",
            chrono::Local::now().format("%Y-%m-%d")
        ),
        filter: ("PDF", &["pdf"]),
    };
    let Some(path) = picker.choose(file_request).await else {
        return Ok(None);
    };
    let access = Arc::clone(&access);
    blocking(move || {
        let (made, _) = make_report(&access, &request)?;
        journal::save_private(&path, &made.bytes).map_err(IpcError::from)?;
        // The file is saved whatever happens next; failing to note it only means the next
        // report won't offer "since the last report".
        let _ = access.with(|journal| journal.record_report());
        Ok(Some(SavedFile {
            path: path.display().to_string(),
            bytes: made.bytes.len() as u64,
            entries: None,
        }))
    })
    .await
}
