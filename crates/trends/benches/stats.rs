//! How long the Trends screen waits on 90 days of 5-minute CGM (25,920 readings): reading the
//! rows from an encrypted journal (goal under 40 ms), then every statistic and the AGP and
//! time-in-ranges charts (goal under 10 ms). Prints the medians and each as a share of its goal.
//!
//! `cargo bench -p trends --bench stats` (also in `make bench`).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Span};
use journal::{CreateOptions, Filter, Journal, KdfParams, NewEntry};
use readings::{Content, GlucoseMethod, Kind, Quantity, Unit};
use trends::charts::{ChartKind, ChartRequest, Size, Theme, render};
use trends::{Observation, Options, Period};

const RUNS: usize = 15;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut journal, _) = Journal::create(
        dir.path(),
        "correct horse battery staple",
        &CreateOptions {
            kdf: KdfParams::OWASP_FLOOR,
        },
    )
    .expect("journal");
    let start = DateTime::parse_from_rfc3339("2026-01-01T00:00:00+01:00").expect("start");
    let entries: Vec<NewEntry> = (0..90 * 288i64)
        .map(|i| {
            let value = 110 + (i * 37 % 140) - (i % 288 / 6);
            NewEntry::manual(
                Content::Glucose {
                    value: Quantity {
                        value: value.to_string().parse().expect("value"),
                        unit: Unit::MgPerDl,
                    },
                    meal: None,
                    method: GlucoseMethod::Cgm,
                },
                start + Span::minutes(5 * i),
            )
        })
        .collect();
    for chunk in entries.chunks(2_000) {
        journal.add_all(chunk).expect("stored");
    }
    // Exactly the 90 days the readings cover (summer time starts within them).
    let period = Period::parse(
        "2026-01-01T00:00:00+01:00",
        "2026-04-01T00:00:00+01:00",
        "Europe/Berlin",
    )
    .expect("period");
    let filter = Filter {
        kinds: vec![Kind::Glucose],
        from: Some(period.from().fixed_offset()),
        to: Some(period.to().fixed_offset()),
        ..Filter::default()
    };
    let reads: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            let rows = journal.list(&filter).expect("rows");
            assert_eq!(rows.len(), 90 * 288);
            started.elapsed()
        })
        .collect();
    let rows = journal.list(&filter).expect("rows");
    let flags = BTreeSet::new();
    let observations: Vec<Observation<'_>> = rows
        .iter()
        .map(|e| Observation {
            at: e.at,
            content: &e.content,
            flags: &flags,
        })
        .collect();
    let request = ChartRequest {
        period: &period,
        observations: &observations,
        options: Options::default(),
        size: Size::default(),
        theme: Theme::Light,
    };
    let mut sizes = Vec::new();
    let computes: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            let stats = trends::stats(&period, &observations, Options::default());
            let agp = render(ChartKind::Agp, &request).expect("agp");
            let tir = render(ChartKind::Tir, &request).expect("tir");
            let elapsed = started.elapsed();
            assert!(stats.glucose.is_some());
            sizes = vec![agp.svg.len(), tir.svg.len()];
            elapsed
        })
        .collect();
    let read = median(reads);
    let compute = median(computes);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "90 days of 5-minute CGM ({} readings), median of {RUNS}:",
        90 * 288
    );
    println!(
        "  read the rows from the journal: {:.1} ms ({:.2} of the 40 ms goal)",
        ms(read),
        ms(read) / 40.0
    );
    println!(
        "  every statistic + AGP and TIR charts: {:.1} ms ({:.2} of the 10 ms goal), {:.2}× the read",
        ms(compute),
        ms(compute) / 10.0,
        ms(compute) / ms(read)
    );
    println!(
        "  chart sizes: AGP {} bytes, TIR {} bytes (goal: at most 51,200 each)",
        sizes.first().unwrap_or(&0),
        sizes.get(1).unwrap_or(&0)
    );
    journal.lock();
}
