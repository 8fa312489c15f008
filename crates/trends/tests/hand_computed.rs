//! Statistics on small journals worked out by hand from STANDARDS.md §3–4: cut points,
//! control solution, empty periods, CGM sufficiency and GMI, AGP bins across midnight, and a
//! blood-pressure week whose evenings fall on the next UTC day.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, FixedOffset};
use readings::{Content, Flag, GlucoseMethod, Quantity, Unit};
use trends::blood_pressure::Category;
use trends::{Observation, Options, Period, stats};

struct Reading {
    at: DateTime<FixedOffset>,
    content: Content,
    flags: BTreeSet<Flag>,
}

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("time")
}

fn glucose(time: &str, value: &str, unit: Unit, method: GlucoseMethod) -> Reading {
    Reading {
        at: at(time),
        content: Content::Glucose {
            value: Quantity {
                value: value.parse().expect("value"),
                unit,
            },
            meal: None,
            method,
        },
        flags: BTreeSet::new(),
    }
}

fn bp(time: &str, systolic: &str, diastolic: &str) -> Reading {
    Reading {
        at: at(time),
        content: Content::BloodPressure {
            systolic: systolic.parse().expect("sys"),
            diastolic: diastolic.parse().expect("dia"),
            mean_arterial: None,
            unit: Unit::MmHg,
            pulse: None,
        },
        flags: BTreeSet::new(),
    }
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
fn meter_readings_at_every_cut_point_land_in_the_consensus_ranges() {
    let mut readings: Vec<Reading> = ["53", "54", "69", "70", "180", "181", "250", "251"]
        .iter()
        .enumerate()
        .map(|(i, v)| {
            glucose(
                &format!("2026-03-02T0{i}:00:00+01:00"),
                v,
                Unit::MgPerDl,
                GlucoseMethod::Meter,
            )
        })
        .collect();
    // mmol/L readings are judged on mmol/L cut points: 10.0 is in range (10.0 × 18.016 is not
    // below 180.2), 3.9 is in range, 3.0 is low, 13.9 is high.
    for (i, v) in ["2.9", "3.0", "3.9", "10.0", "13.9", "14.0"]
        .iter()
        .enumerate()
    {
        readings.push(glucose(
            &format!("2026-03-02T1{i}:00:00+01:00"),
            v,
            Unit::MmolPerL,
            GlucoseMethod::Meter,
        ));
    }
    // A control-solution result never counts.
    let mut control = glucose(
        "2026-03-02T20:00:00+01:00",
        "40",
        Unit::MgPerDl,
        GlucoseMethod::Meter,
    );
    control.flags.insert(Flag::ControlSolution);
    readings.push(control);
    let period = Period::parse("2026-03-02", "2026-03-03", "Europe/Berlin").expect("period");
    let stats = stats(&period, &observations(&readings), Options::default());
    let meter = stats.glucose.and_then(|g| g.meter).expect("meter block");
    let r = meter.ranges;
    assert_eq!(meter.n_readings, 14);
    // very low: 53, 2.9; low: 54, 69, 3.0; in range: 70, 180, 3.9, 10.0;
    // high: 181, 250, 13.9; very high: 251, 14.0.
    assert_eq!(
        (r.very_low.n, r.low.n, r.in_range.n, r.high.n, r.very_high.n),
        (2, 3, 4, 3, 2)
    );
    assert_eq!((r.below_70.n, r.above_180.n), (5, 5));
    assert!((r.in_range.pct - 4.0 / 14.0 * 100.0).abs() < 1e-9);
    assert_eq!(
        r.in_range.minutes_per_day, None,
        "meter ranges are not time"
    );
    assert_eq!(
        (meter.hypo_readings.below_70, meter.hypo_readings.below_54),
        (5, 2)
    );
    assert_eq!(meter.gmi_pct, None, "never a GMI from meter readings");
    // 8 mg/dL readings against 6 mmol/L: the block is in mg/dL, mmol/L converted with 18.016.
    assert_eq!(meter.unit, Unit::MgPerDl);
    let total = 53.0
        + 54.0
        + 69.0
        + 70.0
        + 180.0
        + 181.0
        + 250.0
        + 251.0
        + (2.9 + 3.0 + 3.9 + 10.0 + 13.9 + 14.0) * 18.016;
    assert!((meter.mean - total / 14.0).abs() < 1e-9);
}

#[test]
fn an_empty_period_has_only_its_dates() {
    let readings = [glucose(
        "2026-03-01T07:00:00+01:00",
        "5.5",
        Unit::MmolPerL,
        GlucoseMethod::Meter,
    )];
    let period = Period::parse("2026-03-02", "2026-03-09", "Europe/Berlin").expect("period");
    let stats = stats(&period, &observations(&readings), Options::default());
    assert_eq!(stats.period.calendar_days, 7);
    assert!(stats.glucose.is_none() && stats.blood_pressure.is_none());
    let json = serde_json::to_value(&stats).expect("json");
    assert_eq!(json.as_object().map(|o| o.len()), Some(1), "{json}");
}

#[test]
fn fourteen_days_of_cgm_with_a_gap_give_gmi_and_an_agp_across_midnight() {
    // 154 mg/dL every 5 minutes for 14 days, except a 24-hour gap: 13 × 288 readings.
    let start = at("2026-03-02T00:00:00+01:00");
    let readings: Vec<Reading> = (0..14 * 288)
        .filter(|i| !(5 * 288..6 * 288).contains(i))
        .map(|i| {
            let time = (start + Duration::minutes(5 * i)).to_rfc3339();
            let value = if i % 288 == 287 { "100" } else { "154" };
            glucose(&time, value, Unit::MgPerDl, GlucoseMethod::Cgm)
        })
        .collect();
    let period = Period::parse("2026-03-02", "2026-03-16", "Europe/Berlin").expect("period");
    let stats = stats(&period, &observations(&readings), Options::default());
    let cgm = stats.glucose.and_then(|g| g.cgm).expect("cgm block");
    assert_eq!(cgm.n_readings, 13 * 288);
    assert_eq!(cgm.interval_minutes, 5);
    assert!((cgm.wear_pct - 13.0 / 14.0 * 100.0).abs() < 1e-9);
    assert_eq!(cgm.days_with_data, 13);
    assert!(cgm.sufficient);
    let mean = (154.0 * 287.0 + 100.0) / 288.0;
    assert!((cgm.mean - mean).abs() < 1e-9);
    assert!((cgm.gmi_pct.expect("gmi") - (3.31 + 0.02392 * mean)).abs() < 1e-9);
    assert!((cgm.gmi_mmol_mol.expect("gmi") - (12.71 + 4.70587 * mean / 18.016)).abs() < 1e-9);
    // The last reading of each day (23:55) sits in the 23:45 bin, the first in 00:00.
    let bins = &cgm.agp.bins;
    assert_eq!(bins.len(), 96);
    let last = bins.last().expect("bin");
    assert_eq!((last.start.as_str(), last.n), ("23:45", 13 * 3));
    assert_eq!(
        last.p5,
        Some(100.0 + 0.05 * 38.0 * 0.0 + (154.0 - 100.0) * 0.0)
    );
    assert_eq!(bins[0].start, "00:00");
    assert_eq!(bins[0].p50, Some(154.0));

    // Thirteen days are too few: GMI is withheld.
    let short = Period::parse("2026-03-02", "2026-03-15", "Europe/Berlin").expect("period");
    let stats = trends::stats(&short, &observations(&readings), Options::default());
    let cgm = stats.glucose.and_then(|g| g.cgm).expect("cgm block");
    assert!(!cgm.sufficient);
    assert_eq!((cgm.gmi_pct, cgm.gmi_mmol_mol), (None, None));
}

#[test]
fn a_bp_week_whose_evenings_fall_on_the_next_utc_day_is_counted_by_local_day() {
    // New York: an evening reading at 21:30 local is 01:30 or 02:30 UTC the next day.
    let mut readings = Vec::new();
    for day in 2..=8 {
        readings.push(bp(&format!("2026-03-{day:02}T07:00:00-05:00"), "150", "95"));
        readings.push(bp(&format!("2026-03-{day:02}T21:30:00-05:00"), "130", "80"));
    }
    // Day 1 (2 March) runs high and is discarded as the protocol says.
    readings[0] = bp("2026-03-02T07:00:00-05:00", "190", "110");
    let period = Period::parse("2026-03-02", "2026-03-09", "America/New_York").expect("period");
    let stats = stats(&period, &observations(&readings), Options::default());
    let bp = stats.blood_pressure.expect("bp block");
    assert_eq!(
        bp.first_day_discarded.map(|d| d.to_string()).as_deref(),
        Some("2026-03-02")
    );
    assert_eq!((bp.n_readings, bp.days), (12, 6));
    assert_eq!((bp.morning.n, bp.evening.n), (6, 6));
    assert_eq!(bp.evening.systolic, Some(130.0));
    assert_eq!((bp.mean.systolic, bp.mean.diastolic), (140.0, 87.5));
    assert_eq!(bp.category, Category::Stage2);
    assert!(bp.home_high);
    assert_eq!(bp.n_at_or_above_135_85, 6);
    // Each kept reading on its own: six mornings at 150/95, six evenings at 130/80.
    assert_eq!(
        (
            bp.readings_by_category.stage_1,
            bp.readings_by_category.stage_2
        ),
        (6, 6)
    );
}

#[test]
fn glucose_can_be_reported_in_the_other_unit_without_moving_a_band() {
    let readings = [
        glucose(
            "2026-03-02T07:00:00+01:00",
            "10.0",
            Unit::MmolPerL,
            GlucoseMethod::Meter,
        ),
        glucose(
            "2026-03-02T08:00:00+01:00",
            "5.0",
            Unit::MmolPerL,
            GlucoseMethod::Meter,
        ),
    ];
    let period = Period::parse("2026-03-02", "2026-03-03", "Europe/Berlin").expect("period");
    let options = Options {
        glucose_unit: Some(Unit::MgPerDl),
        ..Options::default()
    };
    let stats = stats(&period, &observations(&readings), options);
    let meter = stats.glucose.and_then(|g| g.meter).expect("meter");
    assert_eq!(meter.unit, Unit::MgPerDl);
    assert!((meter.max - 180.16).abs() < 1e-9);
    assert_eq!(meter.ranges.in_range.n, 2, "10.0 mmol/L stays in range");
}

#[test]
fn weight_and_temperature_follow_the_unit_the_patient_shows() {
    let reading = |time: &str, content: Content| Reading {
        at: at(time),
        content,
        flags: BTreeSet::new(),
    };
    let q = |value: &str, unit| Quantity {
        value: value.parse().expect("value"),
        unit,
    };
    let readings = [
        reading(
            "2026-03-02T07:00:00+01:00",
            Content::Weight(q("176.4", Unit::Lb)),
        ),
        reading(
            "2026-03-03T07:00:00+01:00",
            Content::Weight(q("80.0", Unit::Kg)),
        ),
        reading(
            "2026-03-04T07:00:00+01:00",
            Content::Weight(q("177.5", Unit::Lb)),
        ),
        reading(
            "2026-03-02T08:00:00+01:00",
            Content::Temperature(q("37.5", Unit::Celsius)),
        ),
    ];
    let period = Period::parse("2026-03-02", "2026-03-05", "Europe/Berlin").expect("period");
    let recorded = stats(&period, &observations(&readings), Options::default());
    let weight = recorded.weight.expect("weight");
    assert_eq!(weight.unit, Unit::Lb, "most readings were in lb");
    let shown = stats(
        &period,
        &observations(&readings),
        Options {
            weight_unit: Some(Unit::Kg),
            temperature_unit: Some(Unit::Fahrenheit),
            ..Options::default()
        },
    );
    let weight = shown.weight.expect("weight");
    assert_eq!(weight.unit, Unit::Kg);
    let mean_kg = (176.4 * 0.453_592_37 + 80.0 + 177.5 * 0.453_592_37) / 3.0;
    assert!((weight.mean - mean_kg).abs() < 1e-9);
    let temperature = shown.temperature.expect("temperature");
    assert_eq!(temperature.unit, Unit::Fahrenheit);
    assert!((temperature.mean - 99.5).abs() < 1e-9);
}
