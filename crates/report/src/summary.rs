//! Page one: the period and devices, then per condition present the numbers a clinician looks
//! for first (glucose per the International Consensus, home blood pressure per the protocol,
//! weight's trend), the time-in-ranges bar and the AGP, readings past the alert limits, and
//! the medications taken. Then the charts over time.

use std::collections::BTreeSet;

use journal::{DeviceId, Entry};
use readings::alerts::AlertKind;
use readings::{Content, Flag, Source, Unit};
use trends::charts::{ChartKind, ChartRequest, Size, Theme};
use trends::{Observation, Stats};

use crate::ReportInput;
use crate::layout::{MARGIN, PAGE_WIDTH, Pages};

/// A number for the report: whole in mg/dL and mmHg, one decimal otherwise.
pub fn number(value: f64, unit: Unit) -> String {
    match unit {
        Unit::MgPerDl | Unit::MmHg | Unit::PerMin => format!("{value:.0}"),
        _ => format!("{value:.1}"),
    }
}

/// A percentage for the report, one decimal.
pub fn percent(value: f64) -> String {
    format!("{value:.1} %")
}

/// Entries as the statistics see them.
pub(crate) fn observations<'e>(
    entries: impl IntoIterator<Item = &'e Entry>,
) -> Vec<Observation<'e>> {
    entries
        .into_iter()
        .map(|e| Observation {
            at: e.at,
            content: &e.content,
            flags: &e.flags,
        })
        .collect()
}

pub(crate) fn write(pages: &mut Pages<'_>, input: &ReportInput<'_>) {
    let observations = observations(input.entries);
    let stats = trends::stats(input.period, &observations, input.options);
    let zone = input.period.zone();
    pages.heading("Health report", 1);
    if let Some(name) = input.patient_name {
        pages.line(name, 13.0, true);
    }
    let last_day = (input.period.to() - chrono::Duration::seconds(1)).with_timezone(&zone);
    pages.line(
        &format!(
            "{} to {} ({} days), times in {}",
            input.period.from().with_timezone(&zone).format("%-d %B %Y"),
            last_day.format("%-d %B %Y"),
            stats.period.calendar_days,
            zone.name()
        ),
        10.5,
        false,
    );
    pages.paragraph(&format!("Sources: {}.", sources(input)), 9.5, true);
    pages.gap(6.0);
    let chart = |kind: ChartKind| {
        // The bar is drawn narrow, so its labels print as large as the rest.
        let size = if kind == ChartKind::Tir {
            Size {
                width: 440,
                height: 260,
            }
        } else {
            Size::default()
        };
        trends::charts::render(
            kind,
            &ChartRequest {
                period: input.period,
                observations: &observations,
                options: input.options,
                size,
                theme: Theme::Light,
            },
        )
    };
    glucose(pages, &stats, &chart);
    blood_pressure(pages, &stats);
    body(pages, &stats);
    alerts(pages, input);
    medications(pages, input);

    let later: Vec<_> = [
        ChartKind::Glucose,
        ChartKind::Daily,
        ChartKind::Bp,
        ChartKind::Weight,
        ChartKind::Spo2,
        ChartKind::Temperature,
        ChartKind::HeartRate,
    ]
    .into_iter()
    .filter_map(chart)
    .collect();
    if !later.is_empty() {
        pages.new_page();
        pages.heading("Charts over the period", 2);
        for drawn in later {
            pages.room_for(270.0);
            pages.heading(&drawn.title, 3);
            pages.svg(
                &drawn.svg,
                &drawn.title,
                PAGE_WIDTH - 2.0 * MARGIN,
                320.0 / 720.0,
            );
            pages.paragraph(&drawn.description, 8.5, true);
            pages.gap(6.0);
        }
    }
}

/// The devices the readings came from, and whether some were typed in or imported.
fn sources(input: &ReportInput<'_>) -> String {
    let used: BTreeSet<DeviceId> = input.entries.iter().filter_map(|e| e.device).collect();
    let mut names: Vec<String> = input
        .devices
        .iter()
        .filter(|d| used.contains(&d.id))
        .map(|d| {
            let name = [d.info.maker.as_deref(), d.info.model.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let name = if name.is_empty() {
                "a monitor".to_owned()
            } else {
                name
            };
            match &d.info.serial {
                Some(serial) => format!("{name} (serial {serial})"),
                None => name,
            }
        })
        .collect();
    let has = |source: Source| input.entries.iter().any(|e| e.source == source);
    if has(Source::Demo) {
        names.push("demo monitors (simulated, not the patient's)".into());
    }
    if has(Source::Manual) {
        names.push("entries typed in by the patient".into());
    }
    if has(Source::Import) {
        names.push("entries imported from a file".into());
    }
    if names.is_empty() {
        "no readings in this period".into()
    } else {
        names.join("; ")
    }
}

fn glucose(
    pages: &mut Pages<'_>,
    stats: &Stats,
    chart: &dyn Fn(ChartKind) -> Option<trends::charts::Chart>,
) {
    let Some(glucose) = &stats.glucose else {
        return;
    };
    pages.heading("Glucose", 2);
    if let Some(cgm) = &glucose.cgm {
        let u = cgm.unit;
        pages.paragraph(
            &format!(
                "CGM: time in range {} (target above 70 %), below range {} (target below 4 %), very low {} (target below 1 %), above range {} (target below 25 %). Mean {} {}, GMI {}, CV {} (target 36 % or less). {} readings, {} of the expected, {} days with data.",
                percent(cgm.ranges.in_range.pct),
                percent(cgm.ranges.below_70.pct),
                percent(cgm.ranges.very_low.pct),
                percent(cgm.ranges.above_180.pct),
                number(cgm.mean, u),
                u.symbol(),
                cgm.gmi_pct.map_or("not shown (too little data)".into(), percent),
                cgm.cv_pct.map_or("—".into(), percent),
                cgm.n_readings,
                percent(cgm.wear_pct),
                cgm.days_with_data
            ),
            10.0,
            false,
        );
        if !cgm.sufficient {
            pages.paragraph(
                "Not enough CGM data for reliable statistics: the consensus asks for 14 days with at least 70 % of readings.",
                9.5,
                false,
            );
        }
        if let Some(tir) = chart(ChartKind::Tir) {
            pages.svg(&tir.svg, &tir.description, 280.0, 260.0 / 440.0);
        }
        if let Some(agp) = chart(ChartKind::Agp) {
            pages.svg(
                &agp.svg,
                &agp.title,
                PAGE_WIDTH - 2.0 * MARGIN,
                320.0 / 720.0,
            );
            pages.paragraph(&agp.description, 8.5, true);
        }
    }
    if let Some(meter) = &glucose.meter {
        let u = meter.unit;
        let meal = |m: trends::glucose::MealMean| {
            m.mean.map_or("—".into(), |mean| {
                format!("{} {} ({} readings)", number(mean, u), u.symbol(), m.n)
            })
        };
        pages.paragraph(
            &format!(
                "Meter: {} readings ({:.1} a day), mean {} {}, in range {}; before meals {}, after meals {}; {} readings below 70 mg/dL (3.9 mmol/L), {} below 54 (3.0).",
                meter.n_readings,
                meter.readings_per_day,
                number(meter.mean, u),
                u.symbol(),
                percent(meter.ranges.in_range.pct),
                meal(meter.before_meal),
                meal(meter.after_meal),
                meter.hypo_readings.below_70,
                meter.hypo_readings.below_54
            ),
            10.0,
            false,
        );
        if glucose.cgm.is_none()
            && let Some(tir) = chart(ChartKind::Tir)
        {
            pages.svg(&tir.svg, &tir.description, 280.0, 260.0 / 440.0);
        }
    }
    pages.gap(6.0);
}

fn blood_pressure(pages: &mut Pages<'_>, stats: &Stats) {
    let Some(bp) = &stats.blood_pressure else {
        return;
    };
    let category = match bp.category {
        trends::blood_pressure::Category::Normal => "normal",
        trends::blood_pressure::Category::Elevated => "elevated",
        trends::blood_pressure::Category::Stage1 => "stage 1 hypertension range",
        trends::blood_pressure::Category::Stage2 => "stage 2 hypertension range",
    };
    let session = |s: trends::blood_pressure::Session| match (s.systolic, s.diastolic) {
        (Some(sys), Some(dia)) => format!(
            "{}/{} ({} readings)",
            number(sys, Unit::MmHg),
            number(dia, Unit::MmHg),
            s.n
        ),
        _ => "—".into(),
    };
    pages.room_for(60.0);
    pages.heading("Blood pressure (home)", 2);
    pages.paragraph(
        &format!(
            "Average {}/{} mmHg, ACC/AHA {}; {} the home threshold of 135/85. Mornings {}, evenings {}. {} readings over {} days{}; {} at or above 135/85{}.",
            number(bp.mean.systolic, Unit::MmHg),
            number(bp.mean.diastolic, Unit::MmHg),
            category,
            if bp.home_high { "at or above" } else { "below" },
            session(bp.morning),
            session(bp.evening),
            bp.n_readings,
            bp.days,
            bp.first_day_discarded
                .as_deref()
                .map(|d| format!(" (first day, {d}, left out as the protocol asks)"))
                .unwrap_or_default(),
            bp.n_at_or_above_135_85,
            bp.mean
                .pulse
                .map(|p| format!("; mean pulse {}/min", number(p, Unit::PerMin)))
                .unwrap_or_default()
        ),
        10.0,
        false,
    );
    pages.gap(6.0);
}

fn body(pages: &mut Pages<'_>, stats: &Stats) {
    let blocks = [
        ("Weight", &stats.weight),
        ("Temperature", &stats.temperature),
        ("Oxygen saturation", &stats.spo2),
        ("Heart rate", &stats.heart_rate),
    ];
    let present: Vec<_> = blocks
        .iter()
        .filter_map(|(n, b)| b.as_ref().map(|b| (*n, b)))
        .collect();
    if present.is_empty() {
        return;
    }
    pages.room_for(40.0);
    pages.heading("Other measurements", 2);
    for (name, block) in present {
        let u = block.unit;
        let mut text = format!(
            "{name}: mean {} {} ({} readings, {} to {})",
            number(block.mean, u),
            u.symbol(),
            block.n_readings,
            number(block.min, u),
            number(block.max, u)
        );
        if let Some(Some(change)) = block.change_per_week {
            text.push_str(&format!(", trend {change:+.2} {} per week", u.symbol()));
        }
        if let Some(below) = block.pct_below_90 {
            text.push_str(&format!(", {} of readings below 90 %", percent(below)));
        }
        pages.paragraph(&format!("{text}."), 10.0, false);
    }
    pages.gap(6.0);
}

/// Readings past the alert limits, counted whether or not the patient had the alerts on.
fn alerts(pages: &mut Pages<'_>, input: &ReportInput<'_>) {
    let mut counts: Vec<(AlertKind, usize)> = Vec::new();
    for entry in input.entries {
        if entry.flags.contains(&Flag::ControlSolution) {
            continue;
        }
        if let Some(kind) = AlertKind::of(&entry.content) {
            match counts.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((kind, 1)),
            }
        }
    }
    if counts.is_empty() {
        return;
    }
    counts.sort();
    pages.room_for(30.0);
    pages.heading("Readings past alert limits", 3);
    let list: Vec<String> = counts
        .iter()
        .map(|(kind, n)| format!("{}: {n}", kind.title()))
        .collect();
    pages.paragraph(&format!("{}.", list.join("; ")), 10.0, false);
    pages.gap(4.0);
}

fn medications(pages: &mut Pages<'_>, input: &ReportInput<'_>) {
    let mut taken: Vec<&str> = Vec::new();
    for entry in input.entries {
        if let Content::Medication(text) = &entry.content
            && !taken.contains(&text.as_str())
        {
            taken.push(text);
        }
    }
    if taken.is_empty() {
        return;
    }
    pages.room_for(30.0);
    pages.heading("Medications recorded in the period", 3);
    pages.paragraph(&format!("{}.", taken.join("; ")), 10.0, false);
}
