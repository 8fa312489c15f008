//! Sync of 1,000 stored glucose records from the simulated meter (no radio latency): time per
//! sync, and allocations per record, for the session alone and for the whole sync into a fresh
//! journal.

use std::alloc::System;
use std::time::Instant;

use ble_proto::session::glucose::{GlucoseOutput, GlucoseSync, GlucoseSyncConfig};
use criterion::{BatchSize, Criterion, criterion_group};
use journal::{CreateOptions, Journal, KdfParams};
use readings::{MonitorId, MonitorKind, Source};
use simulator::{Faults, GlucoseMeter};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use sync::drive::drive;
use sync::monitor::{SyncOptions, sync_monitor};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const RECORDS: u16 = 1_000;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime")
}

/// The session driven over the simulator, records collected but not stored.
async fn session_only(meter: &mut GlucoseMeter) -> usize {
    let mut session = GlucoseSync::new(GlucoseSyncConfig::new(None));
    let mut records = 0;
    drive(&mut session, meter, |output| {
        if let GlucoseOutput::Record(_) = output {
            records += 1;
        }
    })
    .await;
    records
}

fn fresh_journal() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = CreateOptions {
        kdf: KdfParams::OWASP_FLOOR,
    };
    let (journal, _) = Journal::create(dir.path(), "bench passphrase", &options).expect("journal");
    (dir, journal)
}

fn options() -> SyncOptions {
    SyncOptions {
        id: MonitorId::demo(MonitorKind::Glucose).to_string(),
        identity: MonitorId::demo(MonitorKind::Glucose).to_string(),
        kind: MonitorKind::Glucose,
        source: Source::Demo,
        set_clock: false,
    }
}

async fn full_sync(meter: &mut GlucoseMeter, journal: &mut Journal) -> u32 {
    sync_monitor(meter, journal, &options(), |_| {})
        .await
        .expect("sync")
        .new
}

/// Prints allocations per record, measured once outside criterion.
fn report_allocations(runtime: &tokio::runtime::Runtime) {
    let mut meter = GlucoseMeter::new(RECORDS, Faults::default());
    let region = Region::new(GLOBAL);
    let records = runtime.block_on(session_only(&mut meter));
    let session = region.change();

    let mut meter = GlucoseMeter::new(RECORDS, Faults::default());
    let (_dir, mut journal) = fresh_journal();
    let region = Region::new(GLOBAL);
    let started = Instant::now();
    let stored = runtime.block_on(full_sync(&mut meter, &mut journal));
    let elapsed = started.elapsed();
    let full = region.change();

    let per = |n: usize, of: usize| n as f64 / of.max(1) as f64;
    println!(
        "glucose sync, {records} records: session only {:.1} allocations/record ({:.0} bytes/record); \
         into the journal {:.1} allocations/record ({:.0} bytes/record), {stored} stored in {elapsed:?}",
        per(session.allocations, records),
        per(session.bytes_allocated, records),
        per(full.allocations, records),
        per(full.bytes_allocated, records),
    );
}

fn bench(c: &mut Criterion) {
    let runtime = runtime();
    report_allocations(&runtime);
    let mut group = c.benchmark_group("glucose sync of 1000 records");
    group.sample_size(10);
    group.bench_function("session over the simulator", |b| {
        b.iter_batched(
            || GlucoseMeter::new(RECORDS, Faults::default()),
            |mut meter| runtime.block_on(session_only(&mut meter)),
            BatchSize::LargeInput,
        );
    });
    group.bench_function("into a fresh journal", |b| {
        b.iter_batched(
            || {
                (
                    GlucoseMeter::new(RECORDS, Faults::default()),
                    fresh_journal(),
                )
            },
            |(mut meter, (_dir, mut journal))| {
                runtime.block_on(full_sync(&mut meter, &mut journal))
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
