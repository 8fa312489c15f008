//! The charts on 90 days of 5-minute CGM data with meter, blood-pressure and weight readings:
//! each draws, carries its text alternative, stays small, and an empty period draws nothing.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, FixedOffset};
use readings::{Content, Flag, GlucoseMethod, Quantity, Unit};
use trends::charts::{ChartKind, ChartRequest, Size, Theme, render};
use trends::{Observation, Options, Period};

struct Reading {
    at: DateTime<FixedOffset>,
    content: Content,
    flags: BTreeSet<Flag>,
}

fn ninety_days() -> Vec<Reading> {
    let start = DateTime::parse_from_rfc3339("2026-01-01T00:00:00+01:00").expect("start");
    let mut readings = Vec::new();
    let reading = |at, content| Reading {
        at,
        content,
        flags: BTreeSet::new(),
    };
    for i in 0..90 * 288i64 {
        let value = 110 + (i * 37 % 140) - (i % 288 / 6);
        readings.push(reading(
            start + Duration::minutes(5 * i),
            Content::Glucose {
                value: Quantity {
                    value: value.to_string().parse().expect("value"),
                    unit: Unit::MgPerDl,
                },
                meal: None,
                method: GlucoseMethod::Cgm,
            },
        ));
    }
    for day in 0..90i64 {
        let morning = start + Duration::days(day) + Duration::hours(7);
        readings.push(reading(
            morning,
            Content::Glucose {
                value: Quantity {
                    value: "6.1".parse().expect("value"),
                    unit: Unit::MmolPerL,
                },
                meal: None,
                method: GlucoseMethod::Meter,
            },
        ));
        readings.push(reading(
            morning,
            Content::BloodPressure {
                systolic: (125 + day % 20).to_string().parse().expect("sys"),
                diastolic: "82".parse().expect("dia"),
                mean_arterial: None,
                unit: Unit::MmHg,
                pulse: Some("70".parse().expect("pulse")),
            },
        ));
        readings.push(reading(
            morning,
            Content::Weight(Quantity {
                value: format!("{}.{}", 80 + day % 3, day % 10)
                    .parse()
                    .expect("kg"),
                unit: Unit::Kg,
            }),
        ));
    }
    readings
}

fn observations(readings: &[Reading]) -> Vec<Observation<'_>> {
    readings
        .iter()
        .map(|r| Observation {
            at: r.at,
            content: &r.content,
            flags: &r.flags,
        })
        .collect()
}

#[test]
fn ninety_days_of_cgm_draw_small_charts_with_their_text_alternative() {
    let readings = ninety_days();
    let observations = observations(&readings);
    let period = Period::parse("2026-01-01", "2026-04-01", "Europe/Berlin").expect("period");
    for theme in [Theme::Light, Theme::Dark] {
        let request = ChartRequest {
            period: &period,
            observations: &observations,
            options: Options::default(),
            size: Size::default(),
            theme,
        };
        for kind in [
            ChartKind::Agp,
            ChartKind::Tir,
            ChartKind::Glucose,
            ChartKind::Daily,
            ChartKind::Bp,
            ChartKind::Weight,
        ] {
            let chart = render(kind, &request).unwrap_or_else(|| panic!("{kind:?} draws"));
            assert!(chart.svg.starts_with("<svg"), "{kind:?}");
            assert!(chart.svg.trim_end().ends_with("</svg>"), "{kind:?}");
            assert!(chart.svg.contains("<title id=\"chart-title\">"), "{kind:?}");
            assert!(chart.svg.contains(&format!(
                "<desc id=\"chart-desc\">{}</desc>",
                chart.description.replace('&', "&amp;")
            )));
            assert!(!chart.description.is_empty());
            assert!(
                chart.svg.len() <= 50 * 1024,
                "{kind:?} is {} bytes",
                chart.svg.len()
            );
        }
    }
}

#[test]
fn a_period_without_readings_draws_nothing() {
    let readings = ninety_days();
    let observations = observations(&readings);
    let period = Period::parse("2027-01-01", "2027-01-15", "Europe/Berlin").expect("period");
    let request = ChartRequest {
        period: &period,
        observations: &observations,
        options: Options::default(),
        size: Size::default(),
        theme: Theme::Light,
    };
    for kind in ChartKind::ALL {
        assert!(render(kind, &request).is_none(), "{kind:?}");
    }
}

#[test]
fn the_agp_says_when_the_data_is_not_enough() {
    let readings = ninety_days();
    let observations = observations(&readings);
    let period = Period::parse("2026-01-01", "2026-01-08", "Europe/Berlin").expect("period");
    let request = ChartRequest {
        period: &period,
        observations: &observations,
        options: Options {
            glucose_unit: Some(Unit::MmolPerL),
            ..Options::default()
        },
        size: Size::default(),
        theme: Theme::Light,
    };
    let agp = render(ChartKind::Agp, &request).expect("agp");
    assert!(
        agp.description.contains("Not enough data"),
        "{}",
        agp.description
    );
    assert!(agp.description.contains("mmol/L"));
    let tir = render(ChartKind::Tir, &request).expect("tir");
    assert!(
        tir.svg.contains("3.9–10.0 mmol/L"),
        "consensus pairs in mmol/L"
    );
}

#[test]
fn a_day_with_cgm_and_fingersticks_draws_both() {
    let readings = ninety_days();
    let observations = observations(&readings);
    let period = Period::parse("2026-01-05", "2026-01-06", "Europe/Berlin").expect("period");
    let request = ChartRequest {
        period: &period,
        observations: &observations,
        options: Options::default(),
        size: Size::default(),
        theme: Theme::Light,
    };
    let daily = render(ChartKind::Daily, &request).expect("daily");
    assert!(
        daily.description.contains("CGM glucose")
            && daily
                .description
                .contains("1 meter reading as a ringed dot"),
        "{}",
        daily.description
    );
    assert!(daily.svg.contains("<circle"), "the fingerstick is drawn");
    assert!(daily.svg.contains("<polyline"), "the CGM line is drawn");
}
