//! The charts of blood pressure, weight, SpO2, temperature and heart rate over the period.

use chrono::Utc;
use plotters::prelude::*;
use readings::{Content, Decimal, Unit};

use super::draw::{self, BLUE, FONT, ORANGE, PURPLE, SKY, VERMILLION, YELLOW, ink};
use super::glucose::{legend, mesh, plane};
use super::series::{MAX_POINTS, Point, decimate, moving_average};
use super::{ChartRequest, Drawn, shown};
use crate::blood_pressure::HOME_HIGH;
use crate::most_common_unit;

/// Blood pressure: systolic and diastolic over time on the ACC/AHA bands; morning readings
/// filled, evening readings hollow; the 135/85 home threshold dashed.
pub(super) fn blood_pressure(request: &ChartRequest<'_, '_>) -> Option<Drawn> {
    let period = request.period;
    let zone = period.zone();
    let mut readings: Vec<(f64, f64, f64, Sitting)> = request
        .observations
        .iter()
        .filter_map(|o| match o.content {
            Content::BloodPressure {
                systolic,
                diastolic,
                unit,
                ..
            } => {
                let mmhg = |d: &Decimal| unit.convert(d.to_f64(), Unit::MmHg);
                let hour = chrono::Timelike::hour(&o.at.with_timezone(&zone));
                Some((
                    draw::hours_since(period, o.at.with_timezone(&Utc)),
                    mmhg(systolic)?,
                    mmhg(diastolic)?,
                    Sitting::of(hour),
                ))
            }
            _ => None,
        })
        .collect();
    if readings.is_empty() {
        return None;
    }
    readings.sort_by(|a, b| a.0.total_cmp(&b.0));
    let end = draw::hours_since(period, period.to());
    let top = readings.iter().map(|r| r.1).fold(160.0, f64::max) + 10.0;
    let bottom = readings.iter().map(|r| r.2).fold(60.0, f64::min) - 10.0;
    let ink = ink(request.theme);
    let mut svg = String::new();
    {
        let size = (request.size.width, request.size.height);
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let mut chart = plane(&root, 0f64..end, bottom..top)?;
        mesh(
            &mut chart,
            ink,
            8,
            &|h| draw::time_label(period, *h),
            &|v| format!("{v:.0}"),
            "mmHg",
        )?;
        // ACC/AHA bands of the systolic pressure, lightest to strongest.
        for (from, to, colour, name) in [
            (120.0, 130.0, YELLOW.mix(0.22), "elevated"),
            (130.0, 140.0, ORANGE.mix(0.22), "stage 1"),
            (140.0, top, VERMILLION.mix(0.16), "stage 2"),
        ] {
            if from < top {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(0.0, from), (end, to.min(top))],
                        colour.filled(),
                    )))
                    .ok()?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        name,
                        (end * 0.005, to.min(top) - 1.0),
                        (FONT, 12).into_font().color(&ink.mix(0.8)),
                    )))
                    .ok()?;
            }
        }
        for threshold in [HOME_HIGH.0, HOME_HIGH.1] {
            chart
                .draw_series(DashedLineSeries::new(
                    [(0.0, threshold), (end, threshold)],
                    6,
                    4,
                    ink.mix(0.6).stroke_width(1),
                ))
                .ok()?;
        }
        let thin = |pick: fn(&(f64, f64, f64, Sitting)) -> f64| -> Vec<(f64, f64)> {
            let points: Vec<Point> = readings
                .iter()
                .map(|r| Point {
                    at: period.from() + chrono::Duration::seconds((r.0 * 3600.0) as i64),
                    value: pick(r),
                })
                .collect();
            decimate(&points, MAX_POINTS)
                .iter()
                .map(|p| (draw::hours_since(period, p.at), p.value))
                .collect()
        };
        chart
            .draw_series(LineSeries::new(
                thin(|r| r.1),
                BLUE.mix(0.6).stroke_width(1),
            ))
            .ok()?;
        chart
            .draw_series(LineSeries::new(
                thin(|r| r.2),
                PURPLE.mix(0.6).stroke_width(1),
            ))
            .ok()?;
        let shown_readings: Vec<_> = if readings.len() > MAX_POINTS {
            readings
                .iter()
                .step_by(readings.len() / MAX_POINTS + 1)
                .copied()
                .collect()
        } else {
            readings.clone()
        };
        chart
            .draw_series(
                shown_readings
                    .iter()
                    .map(|r| Circle::new((r.0, r.1), r.3.radius(), r.3.style(BLUE))),
            )
            .ok()?
            .label("systolic (filled: morning, hollow: evening, small: other times)")
            .legend(|(x, y)| Circle::new((x + 8, y), 4, BLUE.filled()));
        chart
            .draw_series(
                shown_readings
                    .iter()
                    .map(|r| TriangleMarker::new((r.0, r.2), r.3.radius() + 1, r.3.style(PURPLE))),
            )
            .ok()?
            .label("diastolic")
            .legend(|(x, y)| TriangleMarker::new((x + 8, y), 5, PURPLE.filled()));
        legend(&mut chart, ink)?;
        root.present().ok()?;
    }
    let stats = crate::blood_pressure::blood_pressure(period, request.observations)?;
    Some(Drawn {
        title: "Blood pressure".into(),
        description: format!(
            "{} readings over {} days, averaging {:.0}/{:.0} mmHg; {} at or above the home threshold of 135/85. Shaded: 120–129 elevated, 130–139 stage 1, 140 and above stage 2 (systolic).",
            stats.n_readings,
            stats.days,
            stats.mean.systolic,
            stats.mean.diastolic,
            stats.n_at_or_above_135_85
        ),
        svg,
    })
}

/// Which of the protocol's sittings a reading belongs to, by its local hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sitting {
    Morning,
    Evening,
    Other,
}

impl Sitting {
    fn of(hour: u32) -> Sitting {
        if crate::blood_pressure::MORNING_HOURS.contains(&hour) {
            Sitting::Morning
        } else if crate::blood_pressure::EVENING_HOURS.contains(&hour) {
            Sitting::Evening
        } else {
            Sitting::Other
        }
    }

    /// Filled for mornings, hollow for evenings, a small dot otherwise: told apart without
    /// colour.
    fn style(self, colour: RGBColor) -> ShapeStyle {
        match self {
            Sitting::Morning | Sitting::Other => colour.filled(),
            Sitting::Evening => colour.stroke_width(2),
        }
    }

    fn radius(self) -> i32 {
        if self == Sitting::Other { 2 } else { 4 }
    }
}

/// A body measurement over time, with reference lines and (for weight) its moving average.
struct LineChart<'a> {
    title: &'a str,
    noun: &'a str,
    unit: Unit,
    points: Vec<Point>,
    references: Vec<(f64, String)>,
    moving_average_days: Option<i64>,
    floor: Option<f64>,
    ceiling: Option<f64>,
}

fn line_chart(request: &ChartRequest<'_, '_>, spec: LineChart<'_>) -> Option<Drawn> {
    if spec.points.is_empty() {
        return None;
    }
    let period = request.period;
    let end = draw::hours_since(period, period.to());
    let values: Vec<f64> = spec.points.iter().map(|p| p.value).collect();
    let lowest = values.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = (highest - lowest).max(1.0);
    let bottom = spec
        .floor
        .unwrap_or(lowest - span * 0.25)
        .min(lowest - span * 0.1);
    let top = spec
        .ceiling
        .unwrap_or(highest + span * 0.25)
        .max(highest + span * 0.1);
    let ink = ink(request.theme);
    let mut svg = String::new();
    {
        let size = (request.size.width, request.size.height);
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let mut chart = plane(&root, 0f64..end, bottom..top)?;
        mesh(
            &mut chart,
            ink,
            8,
            &|h| draw::time_label(period, *h),
            &|v| shown(*v, spec.unit),
            spec.unit.symbol(),
        )?;
        for (value, _) in &spec.references {
            chart
                .draw_series(DashedLineSeries::new(
                    [(0.0, *value), (end, *value)],
                    6,
                    4,
                    VERMILLION.mix(0.8).stroke_width(1),
                ))
                .ok()?;
        }
        let thin = decimate(&spec.points, MAX_POINTS);
        let xy = |p: &Point| (draw::hours_since(period, p.at), p.value);
        chart
            .draw_series(LineSeries::new(thin.iter().map(xy), SKY.stroke_width(1)))
            .ok()?;
        chart
            .draw_series(thin.iter().map(|p| Circle::new(xy(p), 3, BLUE.filled())))
            .ok()?
            .label(spec.noun)
            .legend(|(x, y)| Circle::new((x + 8, y), 3, BLUE.filled()));
        if let Some(days) = spec.moving_average_days {
            let average = moving_average(&spec.points, days);
            chart
                .draw_series(LineSeries::new(
                    decimate(&average, MAX_POINTS).iter().map(xy),
                    ORANGE.stroke_width(3),
                ))
                .ok()?
                .label(format!("{days}-day average"))
                .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], ORANGE.stroke_width(3)));
        }
        legend(&mut chart, ink)?;
        root.present().ok()?;
    }
    let mut description = format!(
        "{} {} readings over {} days, from {} to {} {}",
        spec.points.len(),
        spec.noun,
        period.calendar_days(),
        shown(lowest, spec.unit),
        shown(highest, spec.unit),
        spec.unit.symbol()
    );
    for (value, words) in &spec.references {
        description.push_str(&format!(
            "; dashed line at {} {} ({words})",
            shown(*value, spec.unit),
            spec.unit.symbol()
        ));
    }
    description.push('.');
    Some(Drawn {
        title: spec.title.into(),
        description,
        svg,
    })
}

/// The values of one body kind in the unit asked for (else its most common), time-sorted.
fn body_points(
    request: &ChartRequest<'_, '_>,
    pick: impl Fn(&Content) -> Option<(Decimal, Unit)>,
    default: Unit,
    asked: Option<Unit>,
) -> (Vec<Point>, Unit) {
    let found: Vec<(Point, Unit)> = request
        .observations
        .iter()
        .filter_map(|o| {
            pick(o.content).map(|(value, unit)| {
                (
                    Point {
                        at: o.at.with_timezone(&Utc),
                        value: value.to_f64(),
                    },
                    unit,
                )
            })
        })
        .collect();
    let recorded = most_common_unit(found.iter().map(|f| f.1), default);
    let unit = asked
        .filter(|u| recorded.convert(1.0, *u).is_some())
        .unwrap_or(recorded);
    let mut points: Vec<Point> = found
        .into_iter()
        .map(|(p, recorded)| Point {
            value: recorded.convert(p.value, unit).unwrap_or(p.value),
            ..p
        })
        .collect();
    points.sort_by_key(|p| p.at);
    (points, unit)
}

pub(super) fn weight(request: &ChartRequest<'_, '_>) -> Option<Drawn> {
    let (points, unit) = body_points(
        request,
        |c| match c {
            Content::Weight(q) => Some((q.value, q.unit)),
            _ => None,
        },
        Unit::Kg,
        request.options.weight_unit,
    );
    line_chart(
        request,
        LineChart {
            title: "Weight",
            noun: "weight",
            unit,
            points,
            references: Vec::new(),
            moving_average_days: Some(7),
            floor: None,
            ceiling: None,
        },
    )
}

pub(super) fn spo2(request: &ChartRequest<'_, '_>) -> Option<Drawn> {
    let (points, unit) = body_points(
        request,
        |c| match c {
            Content::SpO2(v) => Some((*v, Unit::Percent)),
            _ => None,
        },
        Unit::Percent,
        None,
    );
    line_chart(
        request,
        LineChart {
            title: "Oxygen saturation",
            noun: "SpO2",
            unit,
            points,
            references: vec![(90.0, "below it is low".into())],
            moving_average_days: None,
            floor: Some(80.0),
            ceiling: Some(100.0),
        },
    )
}

pub(super) fn temperature(request: &ChartRequest<'_, '_>) -> Option<Drawn> {
    let (points, unit) = body_points(
        request,
        |c| match c {
            Content::Temperature(q) => Some((q.value, q.unit)),
            _ => None,
        },
        Unit::Celsius,
        request.options.temperature_unit,
    );
    let fever = Unit::Celsius.convert(38.0, unit).unwrap_or(38.0);
    line_chart(
        request,
        LineChart {
            title: "Body temperature",
            noun: "temperature",
            unit,
            points,
            references: vec![(fever, "fever from here".into())],
            moving_average_days: None,
            floor: None,
            ceiling: None,
        },
    )
}

pub(super) fn heart_rate(request: &ChartRequest<'_, '_>) -> Option<Drawn> {
    let (points, unit) = body_points(
        request,
        |c| match c {
            Content::HeartRate(v) => Some((*v, Unit::PerMin)),
            _ => None,
        },
        Unit::PerMin,
        None,
    );
    line_chart(
        request,
        LineChart {
            title: "Heart rate",
            noun: "heart rate",
            unit,
            points,
            references: Vec::new(),
            moving_average_days: None,
            floor: None,
            ceiling: None,
        },
    )
}
