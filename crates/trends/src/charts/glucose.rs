//! The glucose charts: the AGP, the time-in-ranges bar, glucose over time and the daily
//! overlay. Target lines are the consensus pairs in the chart's unit (70/180 mg/dL,
//! 3.9/10.0 mmol/L), never a converted threshold.

use chrono::{Duration, Timelike, Utc};
use plotters::prelude::*;
use readings::{Content, Flag, GlucoseMethod, Unit};

use super::draw::{self, BLUE, FONT, GREEN, ORANGE, PURPLE, SKY, VERMILLION, YELLOW, ink};
use super::series::{MAX_POINTS, Point, decimate, runs};
use super::{ChartRequest, Drawn, shown};
use crate::glucose::GlucoseStats;
use crate::most_common_unit;

/// The most days the daily overlay draws.
const DAILY_DAYS: usize = 14;

/// The coordinates every chart over time or over a day draws on.
pub(super) type Plane =
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>;

/// The chart's glucose unit: the one asked for, else the most common recorded.
fn chart_unit(request: &ChartRequest<'_, '_>) -> Unit {
    request.options.glucose_unit.unwrap_or_else(|| {
        most_common_unit(
            request.observations.iter().filter_map(|o| match o.content {
                Content::Glucose { value, .. } => Some(value.unit),
                _ => None,
            }),
            Unit::MgPerDl,
        )
    })
}

fn targets(unit: Unit) -> (f64, f64) {
    if unit == Unit::MmolPerL {
        (3.9, 10.0)
    } else {
        (70.0, 180.0)
    }
}

fn axis_top(unit: Unit, highest: f64) -> f64 {
    let floor = if unit == Unit::MmolPerL { 16.7 } else { 300.0 };
    highest.max(floor) * 1.05
}

/// The glucose readings of one method (control solution left out), in `unit`, time-sorted.
fn points(request: &ChartRequest<'_, '_>, wanted: GlucoseMethod, unit: Unit) -> Vec<Point> {
    let mut points: Vec<Point> = request
        .observations
        .iter()
        .filter(|o| !o.flags.contains(&Flag::ControlSolution))
        .filter_map(|o| match o.content {
            Content::Glucose { value, method, .. } if *method == wanted => Some(Point {
                at: o.at.with_timezone(&Utc),
                value: value
                    .unit
                    .convert(value.value.to_f64(), unit)
                    .unwrap_or_else(|| value.value.to_f64()),
            }),
            _ => None,
        })
        .collect();
    points.sort_by_key(|p| p.at);
    points
}

fn glucose_stats(request: &ChartRequest<'_, '_>, unit: Unit) -> Option<GlucoseStats> {
    crate::glucose::glucose(request.period, request.observations, Some(unit))
}

/// The AGP: 5–95th and 25–75th percentile bands and the median over a modal day.
pub(super) fn agp(request: &ChartRequest<'_, '_>) -> Option<Drawn> {
    let unit = chart_unit(request);
    let cgm = glucose_stats(request, unit)?.cgm?;
    let bins: Vec<(f64, [f64; 5])> = cgm
        .agp
        .bins
        .iter()
        .enumerate()
        .filter_map(|(i, bin)| {
            let hour = (i as f64 + 0.5) * f64::from(cgm.agp.bin_minutes) / 60.0;
            Some((hour, [bin.p5?, bin.p25?, bin.p50?, bin.p75?, bin.p95?]))
        })
        .collect();
    let (low, high) = targets(unit);
    let top = axis_top(unit, cgm.max);
    let ink = ink(request.theme);
    // The bands in the blue that stands out on the page: dark on light, light on dark.
    let band_colour = match request.theme {
        super::Theme::Light => BLUE,
        super::Theme::Dark => SKY,
    };
    let mut svg = String::new();
    {
        let size = (request.size.width, request.size.height);
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let mut chart = day_plane(&root, top, unit, ink)?;
        let band = |lower: usize, upper: usize| -> Vec<(f64, f64)> {
            let mut outline: Vec<(f64, f64)> = bins.iter().map(|(h, p)| (*h, p[upper])).collect();
            outline.extend(bins.iter().rev().map(|(h, p)| (*h, p[lower])));
            outline
        };
        chart
            .draw_series(std::iter::once(Polygon::new(band(0, 4), BLUE.mix(0.18))))
            .ok()?
            .label("5–95 % of readings")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 16, y + 5)], BLUE.mix(0.18).filled())
            });
        chart
            .draw_series(std::iter::once(Polygon::new(band(1, 3), BLUE.mix(0.42))))
            .ok()?
            .label("25–75 %")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 16, y + 5)], BLUE.mix(0.42).filled())
            });
        chart
            .draw_series(LineSeries::new(
                bins.iter().map(|(h, p)| (*h, p[2])),
                band_colour.stroke_width(3),
            ))
            .ok()?
            .label("median")
            .legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 16, y)], band_colour.stroke_width(3))
            });
        legend(&mut chart, ink)?;
        root.present().ok()?;
    }
    // Named by the bin's first minute ("around 22:45"), plotted at its middle.
    let half_bin = f64::from(cgm.agp.bin_minutes) / 120.0;
    let median: Vec<(f64, f64)> = bins.iter().map(|(h, p)| (*h - half_bin, p[2])).collect();
    let lowest = median.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1));
    let highest = median.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1));
    let clock = |h: f64| {
        let minutes = (h * 60.0) as u32;
        format!("{:02}:{:02}", minutes / 60, minutes % 60)
    };
    let sentence = match (lowest, highest) {
        (Some(l), Some(h)) => format!(
            "Median glucose by time of day over {} days: lowest {} {} around {}, highest {} {} around {}. Target range {}–{} {}.",
            request.period.calendar_days(),
            shown(l.1, unit),
            unit.symbol(),
            clock(l.0),
            shown(h.1, unit),
            unit.symbol(),
            clock(h.0),
            shown(low, unit),
            shown(high, unit),
            unit.symbol()
        ),
        _ => "Too few CGM readings for a profile.".to_owned(),
    };
    let sufficiency = if cgm.sufficient {
        String::new()
    } else {
        format!(
            " Not enough data for a reliable profile: {} days, {:.0} % of readings (the consensus asks for 14 days and 70 %).",
            request.period.calendar_days(),
            cgm.wear_pct
        )
    };
    Some(Drawn {
        title: "Ambulatory glucose profile".into(),
        description: format!("{sentence}{sufficiency}"),
        svg,
    })
}

/// The time-in-ranges bar: one stacked bar, very high at the top, each part labelled.
pub(super) fn tir(request: &ChartRequest<'_, '_>) -> Option<Drawn> {
    let unit = chart_unit(request);
    let stats = glucose_stats(request, unit)?;
    let (ranges, of_what) = match (&stats.cgm, &stats.meter) {
        (Some(cgm), _) => (cgm.ranges, "time"),
        (None, Some(meter)) => (meter.ranges, "readings"),
        (None, None) => return None,
    };
    let ink = ink(request.theme);
    let parts: [(&str, f64, RGBColor); 5] = [
        ("Very low", ranges.very_low.pct, VERMILLION),
        ("Low", ranges.low.pct, ORANGE),
        ("In range", ranges.in_range.pct, GREEN),
        ("High", ranges.high.pct, YELLOW),
        ("Very high", ranges.very_high.pct, PURPLE),
    ];
    let limits = if unit == Unit::MmolPerL {
        [
            "below 3.0",
            "3.0–3.8",
            "3.9–10.0",
            "10.1–13.9",
            "above 13.9",
        ]
    } else {
        ["below 54", "54–69", "70–180", "181–250", "above 250"]
    };
    let mut svg = String::new();
    {
        let size = (request.size.width, request.size.height);
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let height = f64::from(request.size.height);
        let (bar_left, bar_right, top) = (24.0, 110.0, 16.0);
        let usable = height - 32.0;
        // Each part's extent, bottom (very low) to top (very high).
        let mut extents = Vec::new();
        let mut y = top + usable;
        for (_, pct, _) in &parts {
            let upper = y - usable * pct / 100.0;
            extents.push((upper, y));
            y = upper;
        }
        for ((_, _, colour), (upper, lower)) in parts.iter().zip(&extents) {
            let corners = [
                (bar_left as i32, *upper as i32),
                (bar_right as i32, *lower as i32),
            ];
            root.draw(&Rectangle::new(corners, colour.filled())).ok()?;
            // A thin outline keeps light parts (yellow) visible on a light page.
            root.draw(&Rectangle::new(corners, ink.mix(0.35))).ok()?;
        }
        // Labels at their part's middle, pushed apart so none overlaps the next, each joined
        // to its part by a leader line.
        let gap = 20.0;
        let mut label_y: Vec<f64> = extents.iter().map(|(u, l)| (u + l) / 2.0).collect();
        for i in 0..label_y.len() {
            let floor = top + usable - gap * i as f64 - 8.0;
            label_y[i] = label_y[i].min(floor);
            if i > 0 {
                label_y[i] = label_y[i].min(label_y[i - 1] - gap);
            }
        }
        let overflow = (top + 8.0) - label_y.iter().copied().fold(f64::INFINITY, f64::min);
        if overflow > 0.0 {
            for y in &mut label_y {
                *y += overflow;
            }
        }
        for (((name, pct, _), limit), ((upper, lower), text_y)) in
            parts.iter().zip(&limits).zip(extents.iter().zip(&label_y))
        {
            let middle = (upper + lower) / 2.0;
            root.draw(&PathElement::new(
                [
                    (bar_right as i32, middle as i32),
                    (bar_right as i32 + 12, *text_y as i32),
                ],
                ink.mix(0.5),
            ))
            .ok()?;
            root.draw(&Text::new(
                format!("{name} {pct:.1} % ({limit} {})", unit.symbol()),
                (bar_right as i32 + 16, *text_y as i32 - 7),
                (FONT, 14).into_font().color(&ink),
            ))
            .ok()?;
        }
        root.present().ok()?;
    }
    let description = format!(
        "{of}: in range {:.1} % (target above 70 %), below range {:.1} % (target below 4 %; very low {:.1} %, target below 1 %), above range {:.1} % (target below 25 %; very high {:.1} %, target below 5 %).",
        ranges.in_range.pct,
        ranges.below_70.pct,
        ranges.very_low.pct,
        ranges.above_180.pct,
        ranges.very_high.pct,
        of = if of_what == "time" {
            "Share of CGM time"
        } else {
            "Share of meter readings"
        }
    );
    Some(Drawn {
        title: if of_what == "time" {
            "Time in ranges".into()
        } else {
            "Readings in ranges".into()
        },
        description,
        svg,
    })
}

/// Glucose over the period: the CGM trace broken at sensor gaps, meter readings as dots.
pub(super) fn over_time(request: &ChartRequest<'_, '_>) -> Option<Drawn> {
    let unit = chart_unit(request);
    let cgm = points(request, GlucoseMethod::Cgm, unit);
    let meter = points(request, GlucoseMethod::Meter, unit);
    if cgm.is_empty() && meter.is_empty() {
        return None;
    }
    let period = request.period;
    let end = draw::hours_since(period, period.to());
    let highest = cgm
        .iter()
        .chain(&meter)
        .map(|p| p.value)
        .fold(0.0, f64::max);
    let (low, high) = targets(unit);
    let ink = ink(request.theme);
    let mut svg = String::new();
    {
        let size = (request.size.width, request.size.height);
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let mut chart = plane(&root, 0f64..end, 0f64..axis_top(unit, highest))?;
        mesh(
            &mut chart,
            ink,
            8,
            &|h| draw::time_label(period, *h),
            &|v| shown(*v, unit),
            unit.symbol(),
        )?;
        target_band(&mut chart, 0.0, end, low, high, ink)?;
        let mut labelled = false;
        for run in runs(&cgm, Duration::minutes(20)) {
            let run = decimate(&run, MAX_POINTS);
            let series = chart
                .draw_series(LineSeries::new(
                    run.iter()
                        .map(|p| (draw::hours_since(period, p.at), p.value)),
                    BLUE.stroke_width(2),
                ))
                .ok()?;
            if !labelled {
                series
                    .label("CGM")
                    .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLUE.stroke_width(2)));
                labelled = true;
            }
        }
        if !meter.is_empty() {
            chart
                .draw_series(decimate(&meter, MAX_POINTS).iter().map(|p| {
                    Circle::new(
                        (draw::hours_since(period, p.at), p.value),
                        4,
                        VERMILLION.filled(),
                    )
                }))
                .ok()?
                .label("meter")
                .legend(|(x, y)| Circle::new((x + 8, y), 4, VERMILLION.filled()));
        }
        legend(&mut chart, ink)?;
        root.present().ok()?;
    }
    let describe = |points: &[Point], what: &str| -> Option<String> {
        let lowest = points.iter().map(|p| p.value).fold(f64::INFINITY, f64::min);
        let highest = points
            .iter()
            .map(|p| p.value)
            .fold(f64::NEG_INFINITY, f64::max);
        (!points.is_empty()).then(|| {
            format!(
                "{} {what} readings from {} to {} {}",
                points.len(),
                shown(lowest, unit),
                shown(highest, unit),
                unit.symbol()
            )
        })
    };
    let parts: Vec<String> = [describe(&cgm, "CGM"), describe(&meter, "meter")]
        .into_iter()
        .flatten()
        .collect();
    Some(Drawn {
        title: "Glucose over time".into(),
        description: format!(
            "{} over {} days; target range {}–{} {}.",
            parts.join(" and "),
            period.calendar_days(),
            shown(low, unit),
            shown(high, unit),
            unit.symbol()
        ),
        svg,
    })
}

/// Every day's glucose over one 24-hour axis, each day a thin line.
pub(super) fn daily(request: &ChartRequest<'_, '_>) -> Option<Drawn> {
    let unit = chart_unit(request);
    let cgm = points(request, GlucoseMethod::Cgm, unit);
    let meter = points(request, GlucoseMethod::Meter, unit);
    // A day's CGM is a line; meter readings are dots, over the line when there is one (a
    // fingerstick that checks or calibrates the sensor).
    let from_meter = cgm.is_empty();
    let lines = if from_meter { &meter } else { &cgm };
    if lines.is_empty() {
        return None;
    }
    let zone = request.period.zone();
    let by_day = |points: &[Point]| {
        let mut days: Vec<(chrono::NaiveDate, Vec<(f64, f64)>)> = Vec::new();
        for point in points {
            let local = point.at.with_timezone(&zone);
            let hour = f64::from(local.hour()) + f64::from(local.minute()) / 60.0;
            match days.last_mut() {
                Some((day, values)) if *day == local.date_naive() => {
                    values.push((hour, point.value))
                }
                _ => days.push((local.date_naive(), vec![(hour, point.value)])),
            }
        }
        days
    };
    let mut days = by_day(lines);
    // More than two weeks of lines overlaid is a blur: the latest two weeks are drawn (the
    // AGP shows the whole period).
    let all_days = days.len();
    if days.len() > DAILY_DAYS {
        days.drain(..days.len() - DAILY_DAYS);
    }
    let fingersticks: Vec<(chrono::NaiveDate, Vec<(f64, f64)>)> = if from_meter {
        Vec::new()
    } else {
        by_day(&meter)
            .into_iter()
            .filter(|(day, _)| days.iter().any(|(shown, _)| shown == day))
            .collect()
    };
    let highest = cgm
        .iter()
        .chain(&meter)
        .map(|p| p.value)
        .fold(0.0, f64::max);
    let (low, high) = targets(unit);
    let ink = ink(request.theme);
    let colours = [BLUE, ORANGE, SKY, GREEN, VERMILLION, PURPLE];
    let colour_of = |day: &chrono::NaiveDate| {
        let index = days.iter().position(|(shown, _)| shown == day).unwrap_or(0);
        colours[index % colours.len()]
    };
    let mut svg = String::new();
    {
        let size = (request.size.width, request.size.height);
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let mut chart = day_plane(&root, axis_top(unit, highest), unit, ink)?;
        for (day, values) in &days {
            let colour = colour_of(day);
            if from_meter {
                chart
                    .draw_series(values.iter().map(|p| Circle::new(*p, 3, colour.filled())))
                    .ok()?;
            } else {
                // A day's line, broken at sensor gaps and thinned to about one point per
                // 15 minutes.
                let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
                for point in values.iter().step_by((values.len() / 96).max(1)) {
                    match pieces.last_mut() {
                        Some(piece) if piece.last().is_some_and(|last| point.0 - last.0 <= 0.5) => {
                            piece.push(*point)
                        }
                        _ => pieces.push(vec![*point]),
                    }
                }
                for piece in pieces {
                    chart
                        .draw_series(LineSeries::new(piece, colour.mix(0.7).stroke_width(1)))
                        .ok()?;
                }
            }
        }
        for (day, values) in &fingersticks {
            let colour = colour_of(day);
            chart
                .draw_series(values.iter().map(|p| Circle::new(*p, 4, colour.filled())))
                .ok()?;
            chart
                .draw_series(
                    values
                        .iter()
                        .map(|p| Circle::new(*p, 4, ink.stroke_width(1))),
                )
                .ok()?;
        }
        root.present().ok()?;
    }
    let sticks: usize = fingersticks.iter().map(|(_, values)| values.len()).sum();
    Some(Drawn {
        title: "Daily glucose".into(),
        description: format!(
            "{}{} of {} glucose laid over one 24-hour day{}; target range {}–{} {}.",
            if all_days > days.len() {
                format!("The last {} of {all_days} days: ", days.len())
            } else {
                String::new()
            },
            match days.len() {
                1 => "1 day".to_owned(),
                n => format!("{n} days"),
            },
            if from_meter { "meter" } else { "CGM" },
            match sticks {
                0 => String::new(),
                1 => ", with 1 meter reading as a ringed dot".to_owned(),
                n => format!(", with {n} meter readings as ringed dots"),
            },
            shown(low, unit),
            shown(high, unit),
            unit.symbol()
        ),
        svg,
    })
}

/// The target range as a shaded band with dashed edges.
pub(super) fn target_band<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Plane>,
    from: f64,
    to: f64,
    low: f64,
    high: f64,
    ink: RGBColor,
) -> Option<()> {
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(from, low), (to, high)],
            GREEN.mix(0.12).filled(),
        )))
        .ok()?;
    let _ = ink;
    for edge in [low, high] {
        chart
            .draw_series(DashedLineSeries::new(
                [(from, edge), (to, edge)],
                6,
                4,
                GREEN.mix(0.9).stroke_width(1),
            ))
            .ok()?;
    }
    Some(())
}

/// The series labels, top right, on the page's colour.
pub(super) fn legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Plane>,
    ink: RGBColor,
) -> Option<()> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .border_style(ink.mix(0.3))
        .background_style(WHITE.mix(0.0))
        .label_font((FONT, 13, &ink))
        .draw()
        .ok()
}

/// A chart's plane on `root`: the margins and label areas every chart uses, over `x` and `y`.
/// A 24-hour day (00:00 to 24:00 across) of glucose up to `top`, with its grid and the
/// target range shaded: the ground of the AGP and the daily overlay.
fn day_plane<'a, DB: DrawingBackend + 'a>(
    root: &'a DrawingArea<DB, plotters::coord::Shift>,
    top: f64,
    unit: Unit,
    ink: RGBColor,
) -> Option<ChartContext<'a, DB, Plane>> {
    let mut chart = plane(root, 0f64..24f64, 0f64..top)?;
    mesh(
        &mut chart,
        ink,
        9,
        &|h| format!("{:02}:00", *h as u32),
        &|v| shown(*v, unit),
        unit.symbol(),
    )?;
    let (low, high) = targets(unit);
    target_band(&mut chart, 0.0, 24.0, low, high, ink)?;
    Some(chart)
}

pub(super) fn plane<'a, DB: DrawingBackend + 'a>(
    root: &'a DrawingArea<DB, plotters::coord::Shift>,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
) -> Option<ChartContext<'a, DB, Plane>> {
    ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(32)
        .y_label_area_size(52)
        .build_cartesian_2d(x, y)
        .ok()
}

/// The axes and grid in the theme's ink: `x_labels` labels from `x_label`, values from
/// `y_label`, the unit beside the y axis.
pub(super) fn mesh<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Plane>,
    ink: RGBColor,
    x_labels: usize,
    x_label: &dyn Fn(&f64) -> String,
    y_label: &dyn Fn(&f64) -> String,
    unit: &str,
) -> Option<()> {
    chart
        .configure_mesh()
        .axis_style(ink)
        .bold_line_style(ink.mix(0.12))
        .light_line_style(ink.mix(0.0))
        .label_style((FONT, 13, &ink))
        .x_labels(x_labels)
        .x_label_formatter(x_label)
        .y_label_formatter(y_label)
        .y_desc(unit)
        .draw()
        .ok()
}
