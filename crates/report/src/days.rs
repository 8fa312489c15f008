//! Day by day: for each of the period's latest days with entries, the day's glucose over its
//! 24 hours, its CGM numbers, and everything else that happened that day in time order (meter
//! readings, blood pressure, meals, insulin, medication, symptoms, notes), so a clinician can
//! line a high or a low up with what came before it.

use chrono::{Duration, NaiveDate, TimeZone};
use chrono_tz::Tz;
use journal::Entry;
use readings::{Content, GlucoseMethod};
use trends::Period;
use trends::charts::{ChartKind, ChartRequest, Size, Theme};

use crate::ReportInput;
use crate::layout::{MARGIN, PAGE_WIDTH, Pages};
use crate::summary::{number, percent};

/// How many days get a detail section: the latest two weeks, the span the consensus asks for.
/// A 90-day report stays short; the AGP and the table cover the rest.
pub(crate) const DETAIL_DAYS: usize = 14;

/// The chart's size in SVG units: wide and low, a day's trace.
const CHART: Size = Size {
    width: 720,
    height: 220,
};

pub(crate) fn write(pages: &mut Pages<'_>, input: &ReportInput<'_>) {
    let zone = input.period.zone();
    let mut days: Vec<(NaiveDate, Vec<&Entry>)> = Vec::new();
    for entry in input
        .entries
        .iter()
        .filter(|e| input.period.contains(&e.at))
    {
        let day = entry.at.with_timezone(&zone).date_naive();
        match days.last_mut() {
            Some((last, entries)) if *last == day => entries.push(entry),
            _ => days.push((day, vec![entry])),
        }
    }
    if days.is_empty() {
        return;
    }
    let total = days.len();
    if days.len() > DETAIL_DAYS {
        days.drain(..days.len() - DETAIL_DAYS);
    }
    pages.new_page();
    pages.heading("Day by day", 2);
    pages.paragraph(
        &if total > days.len() {
            format!(
                "The last {} of the {total} days with entries: each day's glucose over 24 hours, and what else was recorded, in time order.",
                days.len()
            )
        } else {
            "Each day's glucose over 24 hours, and what else was recorded, in time order.".into()
        },
        9.0,
        true,
    );
    for (day, entries) in days {
        let Some(period) = day_period(day, zone) else {
            continue;
        };
        one_day(pages, input, &period, day, &entries);
    }
}

/// The period from a local midnight to the next (23 or 25 hours across a DST change).
fn day_period(day: NaiveDate, zone: Tz) -> Option<Period> {
    let start = |d: NaiveDate| {
        zone.from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
            .earliest()
            .map(|t| t.to_utc())
    };
    let from = start(day)?;
    let to = start(day + Duration::days(1))?;
    Period::new(from, to, zone).ok()
}

fn one_day(
    pages: &mut Pages<'_>,
    input: &ReportInput<'_>,
    period: &Period,
    day: NaiveDate,
    entries: &[&Entry],
) {
    let observations = crate::summary::observations(entries.iter().copied());
    let chart = trends::charts::render(
        ChartKind::Daily,
        &ChartRequest {
            period,
            observations: &observations,
            options: input.options,
            size: CHART,
            theme: Theme::Light,
        },
    );
    let title = day.format("%A %-d %B %Y").to_string();
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    let ratio = CHART.height as f32 / CHART.width as f32;
    // Keep a day's heading with its chart.
    pages.room_for(if chart.is_some() {
        width * ratio + 60.0
    } else {
        50.0
    });
    pages.heading(&title, 3);

    let stats = trends::stats(period, &observations, input.options);
    let cgm = stats.glucose.as_ref().and_then(|g| g.cgm.as_ref());
    if let Some(chart) = &chart {
        let alt = match cgm {
            Some(_) => format!(
                "Glucose through {title}, from the CGM, meter readings as ringed dots; the numbers follow."
            ),
            None => format!("Meter glucose readings through {title}; they are listed below."),
        };
        pages.svg(&chart.svg, &alt, width, ratio);
    }
    if let Some(cgm) = cgm {
        let u = cgm.unit;
        pages.paragraph(
            &format!(
                "CGM: in range {}, below range {}, above range {}; mean {} {}, {} readings.",
                percent(cgm.ranges.in_range.pct),
                percent(cgm.ranges.below_70.pct),
                percent(cgm.ranges.above_180.pct),
                number(cgm.mean, u),
                u.symbol(),
                cgm.n_readings
            ),
            9.5,
            false,
        );
    }
    let zone = period.zone();
    let happened: Vec<String> = entries
        .iter()
        .filter(|e| {
            !matches!(
                e.content,
                Content::Glucose {
                    method: GlucoseMethod::Cgm,
                    ..
                }
            )
        })
        .map(|e| {
            let mut text = format!(
                "{} {} {}",
                e.at.with_timezone(&zone).format("%H:%M"),
                e.content.kind().noun(),
                crate::table::value(&e.content)
            );
            if let Some(note) = &e.note {
                text.push_str(&format!(" ({})", crate::table::truncate(note, 60)));
            }
            text.trim_end().to_owned()
        })
        .collect();
    if !happened.is_empty() {
        pages.paragraph(&format!("{}.", happened.join("; ")), 9.5, false);
    }
    pages.gap(8.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_runs_from_local_midnight_to_the_next_across_a_dst_change() {
        let zone: Tz = "Europe/Berlin".parse().expect("zone");
        let spring = NaiveDate::from_ymd_opt(2026, 3, 29).expect("date");
        let period = day_period(spring, zone).expect("a day");
        assert_eq!(period.to() - period.from(), Duration::hours(23));
        assert_eq!(period.from().to_rfc3339(), "2026-03-28T23:00:00+00:00");
        let autumn = NaiveDate::from_ymd_opt(2026, 10, 25).expect("date");
        let period = day_period(autumn, zone).expect("a day");
        assert_eq!(period.to() - period.from(), Duration::hours(25));
    }
}
