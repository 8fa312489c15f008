//! How fast readings reach a care team's server on loopback, against the real FHIR engine of
//! `tests/fhir-server` (Medplum in memory):
//!
//! - latency from storing a reading to the server holding it, through the sender's whole path
//!   (queued in the reading's transaction, taken, made into a Bundle, sent, the answer read and
//!   recorded), p50 and p99 over 200 readings (goal: p99 under 500 ms);
//! - draining a backlog of 10,000 readings (goal: under 10 s).
//!
//! Each is printed beside a baseline measured in the same run: the same transaction Bundles
//! posted straight to the same server, so the ratio is Vitalog's own cost over the server's.
//!
//! `cargo bench -p sharing --bench delivery` (also in `make bench`; needs `npm ci` in
//! tests/fhir-server).

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use fhir_test_server::FhirServer;
use journal::NewEntry;
use readings::{Content, GlucoseMethod, Quantity, Unit};
use sharing::{Address, FhirClient, send_due};

const TOKEN: &str = "bench-token";
const LATENCY_READINGS: usize = 200;
const BACKLOG: usize = 10_000;

fn reading(i: usize) -> NewEntry {
    let at = Utc::now().fixed_offset() - chrono::Duration::minutes(i as i64);
    NewEntry::manual(
        Content::Glucose {
            value: Quantity {
                value: readings::Decimal::new(40 + (i % 60) as i64, -1),
                unit: Unit::MmolPerL,
            },
            meal: None,
            method: GlucoseMethod::Meter,
        },
        at,
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Posts `bundles` straight to the server, one after the other; how long each took.
async fn baseline(server: &FhirServer, client: &FhirClient, bundles: &[String]) -> Vec<Duration> {
    let base = Address::parse(&server.base()).expect("address");
    let mut times = Vec::new();
    for bundle in bundles {
        let started = Instant::now();
        let answer = client.transaction(&base, TOKEN, bundle.clone()).await;
        times.push(started.elapsed());
        assert!(
            matches!(answer, sharing::client::Answer::Http { status: 200, .. }),
            "baseline post failed: {answer:?}"
        );
    }
    times
}

/// `count` transaction Bundles of `per` new glucose readings each, as the sender makes them.
fn bundles(count: usize, per: usize) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut journal = support::new_journal(dir.path());
    let news: Vec<NewEntry> = (0..count * per).map(reading).collect();
    journal.add_all(&news).expect("add");
    let entries = journal.list(&journal::Filter::default()).expect("list");
    entries
        .chunks(per)
        .map(|chunk| {
            let items: Vec<_> = chunk
                .iter()
                .map(|entry| fhir::upload::UploadItem {
                    entry,
                    device: None,
                    update: false,
                    with_note: false,
                })
                .collect();
            fhir::upload::transaction(&fhir::upload::UploadInput {
                items: &items,
                patient: "Patient/p1",
                gateway: "bench",
                version: "bench",
            })
            .json
        })
        .collect()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = FhirClient::new().expect("client");

    // Latency: one reading at a time, as a patient measures.
    let server = FhirServer::start(TOKEN);
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = support::sharing_glucose(dir.path(), &server.base(), TOKEN);
    let mut latencies = Vec::new();
    for i in 0..LATENCY_READINGS {
        let started = Instant::now();
        runtime.block_on(async {
            journal.lock().await.add(&reading(i)).expect("add");
            let round = send_due(&Arc::downgrade(&journal), &client, "bench")
                .await
                .expect("send");
            assert_eq!(round.recipients["Clinic"].delivered, 1, "not delivered");
        });
        latencies.push(started.elapsed());
    }
    latencies.sort();
    let mut floor = runtime.block_on(baseline(&server, &client, &bundles(LATENCY_READINGS, 1)));
    floor.sort();
    let (p50, p99) = (percentile(&latencies, 0.5), percentile(&latencies, 0.99));
    let (f50, f99) = (percentile(&floor, 0.5), percentile(&floor, 0.99));
    println!(
        "reading → server, {LATENCY_READINGS} readings on loopback: p50 {:.1} ms, p99 {:.1} ms \
         ({:.0}% of the 500 ms goal); the server alone: p50 {:.1} ms, p99 {:.1} ms; ratio at p99 {:.2}×",
        ms(p50),
        ms(p99),
        100.0 * ms(p99) / 500.0,
        ms(f50),
        ms(f99),
        ms(p99) / ms(f99)
    );
    drop(server);

    // Backlog: 10,000 readings queued while offline, then drained.
    let server = FhirServer::start(TOKEN);
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = support::sharing_glucose(dir.path(), &server.base(), TOKEN);
    runtime.block_on(async {
        let news: Vec<NewEntry> = (0..BACKLOG).map(reading).collect();
        journal.lock().await.add_all(&news).expect("add");
    });
    let started = Instant::now();
    let mut delivered = 0;
    while delivered < BACKLOG as u64 {
        let round = runtime
            .block_on(send_due(&Arc::downgrade(&journal), &client, "bench"))
            .expect("send");
        let sent = round.recipients.get("Clinic").map_or(0, |t| t.delivered);
        assert!(sent > 0, "the backlog stopped draining at {delivered}");
        delivered += sent;
    }
    let drained = started.elapsed();
    assert_eq!(server.count("Observation"), BACKLOG as u64);
    drop(server);
    let server = FhirServer::start(TOKEN);
    let prepared = bundles(BACKLOG / 100, 100);
    let floor_started = Instant::now();
    runtime.block_on(baseline(&server, &client, &prepared));
    let floor = floor_started.elapsed();
    println!(
        "backlog of {BACKLOG} readings drained in {:.2} s ({:.0}% of the 10 s goal); the same \
         Bundles posted straight to the server: {:.2} s; ratio {:.2}×",
        drained.as_secs_f64(),
        100.0 * drained.as_secs_f64() / 10.0,
        floor.as_secs_f64(),
        drained.as_secs_f64() / floor.as_secs_f64()
    );
}
