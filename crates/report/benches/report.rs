//! How long the doctor's report of 90 days takes and how big it is: 5-minute CGM (25,920
//! readings), two blood pressures a day and a weekly weight, into the PDF (goal: under 300 ms
//! and 1 MB). Prints the median of a few runs as a share of each goal, with the time to work out
//! the same period's statistics alone, measured in the same run, beside it.
//!
//! `cargo bench -p report --bench report` (also in `make bench`).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Span, FixedOffset};
use journal::{Entry, EntryId, PersonId};
use readings::{Content, GlucoseMethod, Quantity, Source, TimeQuality, Unit};
use report::{ReportInput, pdf};
use trends::{Observation, Options, Period};

const RUNS: usize = 7;

fn entry(id: i64, at: DateTime<FixedOffset>, content: Content) -> Entry {
    Entry {
        id: EntryId(id),
        uid: format!("uid-{id}"),
        person: PersonId(1),
        content,
        at,
        time_quality: TimeQuality::DeviceSynced,
        device_time: None,
        source: Source::Device,
        device: None,
        sequence_number: None,
        note: None,
        flags: BTreeSet::new(),
        version: 1,
        deleted: false,
        origin: None,
    }
}

fn ninety_days() -> Vec<Entry> {
    let start = DateTime::parse_from_rfc3339("2026-01-01T00:00:00+01:00").expect("start");
    let mut entries = Vec::new();
    let mut id = 0;
    for i in 0..90 * 288i64 {
        id += 1;
        let value = 110 + (i * 37 % 140) - (i % 288 / 6);
        entries.push(entry(
            id,
            start + Span::minutes(5 * i),
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
        for hour in [7, 21] {
            id += 1;
            entries.push(entry(
                id,
                start + Span::days(day) + Span::hours(hour),
                Content::BloodPressure {
                    systolic: (124 + day % 20).to_string().parse().expect("sys"),
                    diastolic: "82".parse().expect("dia"),
                    mean_arterial: None,
                    unit: Unit::MmHg,
                    pulse: Some("68".parse().expect("pulse")),
                },
            ));
        }
        if day % 7 == 0 {
            id += 1;
            entries.push(entry(
                id,
                start + Span::days(day) + Span::hours(6),
                Content::Weight(Quantity {
                    value: format!("{}.{}", 80 + day % 3, day % 10)
                        .parse()
                        .expect("kg"),
                    unit: Unit::Kg,
                }),
            ));
        }
    }
    entries.sort_by_key(|e| e.at);
    entries
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let entries = ninety_days();
    let period = Period::parse(
        "2026-01-01T00:00:00+01:00",
        "2026-04-01T00:00:00+01:00",
        "Europe/Berlin",
    )
    .expect("period");
    let input = ReportInput {
        period: &period,
        entries: &entries,
        devices: &[],
        patient_name: Some("Anna Example"),
        options: Options::default(),
        generated_at: chrono::Utc::now(),
        version: env!("CARGO_PKG_VERSION"),
    };
    let flags = BTreeSet::new();
    let observations: Vec<Observation<'_>> = entries
        .iter()
        .map(|e| Observation {
            at: e.at,
            content: &e.content,
            flags: &flags,
        })
        .collect();
    let stats_alone = median(
        (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                let stats = trends::stats(&period, &observations, Options::default());
                assert!(stats.glucose.is_some());
                started.elapsed()
            })
            .collect(),
    );
    let mut size = (0, 0);
    let whole = median(
        (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                let made = pdf(&input).expect("report");
                let elapsed = started.elapsed();
                size = (made.bytes.len(), made.pages);
                elapsed
            })
            .collect(),
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "90-day report ({} entries, {} pages), median of {RUNS}:",
        entries.len(),
        size.1
    );
    println!(
        "  the PDF: {:.0} ms ({:.2} of the 300 ms goal), {:.1}× the statistics alone ({:.1} ms)",
        ms(whole),
        ms(whole) / 300.0,
        ms(whole) / ms(stats_alone),
        ms(stats_alone)
    );
    println!(
        "  size: {} KB ({:.2} of the 1 MB goal)",
        size.0.div_ceil(1024),
        size.0 as f64 / (1024.0 * 1024.0)
    );
}
