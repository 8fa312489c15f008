//! The points charts draw: values in one unit by time, thinned to what a chart can show.

use chrono::{DateTime, Utc};

/// At most this many points per line: about one per two pixels of a wide chart.
pub(crate) const MAX_POINTS: usize = 400;

/// A value at an instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point {
    pub at: DateTime<Utc>,
    pub value: f64,
}

/// Thins time-sorted points to at most `max`: the range is cut into buckets of equal time and
/// each keeps its lowest and highest point (in time order), so lows and highs survive and the
/// line keeps its shape. Fewer points than `max` are returned as they are.
pub(crate) fn decimate(points: &[Point], max: usize) -> Vec<Point> {
    if points.len() <= max || max < 2 {
        return points.to_vec();
    }
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Vec::new();
    };
    let span = (last.at - first.at).num_milliseconds().max(1) as f64;
    let buckets = max / 2;
    let mut out = Vec::with_capacity(max);
    let mut current: Option<(usize, Point, Point)> = None;
    for point in points {
        let offset = (point.at - first.at).num_milliseconds() as f64;
        let bucket = ((offset / span) * buckets as f64).min(buckets as f64 - 1.0) as usize;
        current = match current {
            Some((b, low, high)) if b == bucket => Some((
                b,
                if point.value < low.value { *point } else { low },
                if point.value > high.value {
                    *point
                } else {
                    high
                },
            )),
            previous => {
                if let Some((_, low, high)) = previous {
                    push_pair(&mut out, low, high);
                }
                Some((bucket, *point, *point))
            }
        };
    }
    if let Some((_, low, high)) = current {
        push_pair(&mut out, low, high);
    }
    out
}

fn push_pair(out: &mut Vec<Point>, low: Point, high: Point) {
    if low == high {
        out.push(low);
    } else if low.at <= high.at {
        out.extend([low, high]);
    } else {
        out.extend([high, low]);
    }
}

/// The mean of the points in the `days` before each point (itself included).
pub(crate) fn moving_average(points: &[Point], days: i64) -> Vec<Point> {
    points
        .iter()
        .map(|point| {
            let window: Vec<f64> = points
                .iter()
                .filter(|p| p.at <= point.at && point.at - p.at < chrono::Duration::days(days))
                .map(|p| p.value)
                .collect();
            Point {
                at: point.at,
                value: window.iter().sum::<f64>() / window.len().max(1) as f64,
            }
        })
        .collect()
}

/// Splits time-sorted points where more than `gap` passes between two, so a line is not drawn
/// across a sensor gap.
pub(crate) fn runs(points: &[Point], gap: chrono::Duration) -> Vec<Vec<Point>> {
    let mut runs: Vec<Vec<Point>> = Vec::new();
    for point in points {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|last| point.at - last.at <= gap) => {
                run.push(*point)
            }
            _ => runs.push(vec![*point]),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn series(n: i64) -> Vec<Point> {
        let start = DateTime::<Utc>::from_timestamp(1_780_000_000, 0).unwrap_or_default();
        (0..n)
            .map(|i| Point {
                at: start + Duration::minutes(5 * i),
                value: if i == 4321 {
                    40.0
                } else {
                    100.0 + (i % 50) as f64
                },
            })
            .collect()
    }

    #[test]
    fn ninety_days_of_cgm_thin_to_the_limit_and_keep_the_extremes() {
        let points = series(90 * 288);
        let thin = decimate(&points, MAX_POINTS);
        assert!(thin.len() <= MAX_POINTS, "{}", thin.len());
        assert!(thin.iter().any(|p| p.value == 40.0), "the one low survives");
        assert!(thin.iter().any(|p| p.value == 149.0));
        assert!(thin.windows(2).all(|w| w[0].at <= w[1].at));
        assert_eq!(decimate(&points[..10], MAX_POINTS).len(), 10);
    }

    #[test]
    fn a_gap_splits_the_line() {
        let mut points = series(10);
        points.extend(series(10).into_iter().map(|p| Point {
            at: p.at + Duration::hours(6),
            ..p
        }));
        assert_eq!(runs(&points, Duration::minutes(20)).len(), 2);
    }

    #[test]
    fn moving_average_of_a_step() {
        let start = DateTime::<Utc>::from_timestamp(1_780_000_000, 0).unwrap_or_default();
        let points: Vec<Point> = (0..4)
            .map(|d| Point {
                at: start + Duration::days(d),
                value: if d < 2 { 80.0 } else { 82.0 },
            })
            .collect();
        let averaged = moving_average(&points, 2);
        let values: Vec<f64> = averaged.iter().map(|p| p.value).collect();
        assert_eq!(values, vec![80.0, 80.0, 81.0, 82.0]);
    }
}
