//! What encryption costs the journal (issue: "insert and range-read 100k readings encrypted vs
//! the same schema in plain SQLite in the same run; goal within 1.3×; unlock time reported").
//!
//! Every storage runs the same SQL on the journal's own schema and pragmas (WAL,
//! synchronous=FULL, secure_delete…): plain SQLite as it comes (the baseline), the page layout
//! journals are encrypted with now, and for reference plain SQLite with the same 16 KiB pages
//! and the layout of format-1 journals. The journal's own API (validation, de-duplication,
//! edit history, audit log) is timed on top, against the same baseline. Each figure is a
//! median, printed with its ratio to the baseline; the goal is a yardstick here, never an
//! assertion.
//!
//! `cargo bench -p journal --bench storage`

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, TimeDelta};
use journal::{CreateOptions, DeviceInfo, Filter, Journal, KdfParams, NewEntry, PageLayout};
use readings::{Content, Kind, Quantity, TimeQuality, Unit};
use rusqlite::{Connection, params};

const READINGS: i64 = 100_000;
const BATCH: i64 = 1_000;
const RANGE_QUERIES: i64 = 200;
/// Cold passes over the same windows per run.
const READ_PASSES: usize = 5;
const RUNS: usize = 7;
const PASSPHRASE: &str = "benchmark passphrase for the storage run";

/// A way of storing the same schema: plain SQLite at a page size, or SQLCipher in a layout.
#[derive(Clone, Copy)]
enum Storage {
    Plain { page_size: usize },
    Encrypted(PageLayout),
}

/// The baseline first, then what journals use now, then the references.
const STORAGES: [(&str, Storage); 4] = [
    (
        "plain SQLite, 4 KiB pages (its default)",
        Storage::Plain { page_size: 4096 },
    ),
    (
        "encrypted, 16 KiB pages, HMAC-SHA256 (now)",
        Storage::Encrypted(PageLayout::Large),
    ),
    (
        "plain SQLite, 16 KiB pages",
        Storage::Plain { page_size: 16384 },
    ),
    (
        "encrypted, 4 KiB pages, HMAC-SHA512 (format 1)",
        Storage::Encrypted(PageLayout::Small),
    ),
];

fn main() {
    println!(
        "storage benchmark: {READINGS} readings, {RUNS} runs, the storages taking turns within \
         each run; times are medians, ratios the median of each run's ratio to the baseline \
         (which cancels the machine's slower and faster spells)"
    );
    let mut inserts = vec![Vec::new(); STORAGES.len()];
    let mut reads = vec![Vec::new(); STORAGES.len()];
    let mut warm_reads = vec![Vec::new(); STORAGES.len()];
    for _ in 0..RUNS {
        for (i, (_, storage)) in STORAGES.iter().enumerate() {
            let dir = tempfile::tempdir().expect("temp dir");
            inserts[i].push(timed(|| sql_insert(&connection(dir.path(), *storage))));
            // Each pass reads through a fresh connection, so pages come from the file (and,
            // encrypted, are decrypted and checked) rather than from a warm page cache.
            // Several passes, because one takes only a few tens of milliseconds.
            let passes: Vec<Connection> = (0..READ_PASSES)
                .map(|_| connection(dir.path(), *storage))
                .collect();
            reads[i].push(timed(|| passes.iter().for_each(sql_range_read)));
            // The same passes through one connection that has read them once: its page
            // cache holds them decrypted, as the app's connection does while it is open.
            warm_reads[i].push(timed(|| {
                (0..READ_PASSES).for_each(|_| sql_range_read(&passes[0]));
            }));
        }
    }
    let journal_runs: Vec<JournalTimes> = (0..3).map(|_| journal_run()).collect();
    let pick = |f: fn(&JournalTimes) -> Duration| median(journal_runs.iter().map(f).collect());
    let (api_insert, api_read) = (pick(|r| r.0), pick(|r| r.1));
    let (unlock, derive) = (pick(|r| r.2), pick(|r| r.3));

    for (what, times) in [
        ("insert, 1,000 readings per transaction", &inserts),
        (
            &*format!("range read, {READ_PASSES} × {RANGE_QUERIES} one-day windows, cold cache"),
            &reads,
        ),
        ("range read, the same, warm cache", &warm_reads),
    ] {
        println!();
        println!("{what:<50} {:>10} {:>9}", "time", "ratio");
        for (i, (name, _)) in STORAGES.iter().enumerate() {
            println!(
                "  {name:<48} {:>8.3} s {:>8.2}×",
                median(times[i].clone()).as_secs_f64(),
                run_ratio(times, i, 0)
            );
        }
    }
    let insert = median(inserts[0].clone());
    let read = median(reads[0].clone());
    println!();
    println!("journal API on the current layout, against the same plain baseline:");
    row(
        "add_all (checks, de-duplication, history)",
        api_insert,
        insert,
    );
    let one_pass = read / READ_PASSES as u32;
    row("list the same windows once, cold cache", api_read, one_pass);
    println!();
    println!(
        "goal: encrypted (now) within 1.3× of plain SQLite for the same SQL: insert {:.2}×, \
         range read {:.2}× cold and {:.2}× warm",
        run_ratio(&inserts, 1, 0),
        run_ratio(&reads, 1, 0),
        run_ratio(&warm_reads, 1, 0)
    );
    println!(
        "encryption alone (both with 16 KiB pages): insert {:.2}×, range read {:.2}× cold and \
         {:.2}× warm",
        run_ratio(&inserts, 1, 2),
        run_ratio(&reads, 1, 2),
        run_ratio(&warm_reads, 1, 2)
    );
    println!(
        "unlock with {READINGS} readings: {:.3} s, of which Argon2id ({} KiB, {} passes) {:.3} s \
         and opening with its page checks {:.3} s",
        unlock.as_secs_f64(),
        KdfParams::DEFAULT.memory_kib,
        KdfParams::DEFAULT.iterations,
        derive.as_secs_f64(),
        unlock.saturating_sub(derive).as_secs_f64()
    );
}

/// One run of the journal's own path: add_all, list, unlock, key derivation alone.
type JournalTimes = (Duration, Duration, Duration, Duration);

fn ratio(time: Duration, baseline: Duration) -> f64 {
    time.as_secs_f64() / baseline.as_secs_f64()
}

/// The median over the runs of storage `of`'s time divided by storage `to`'s in the same run.
fn run_ratio(times: &[Vec<Duration>], of: usize, to: usize) -> f64 {
    let mut ratios: Vec<f64> = times[of]
        .iter()
        .zip(&times[to])
        .map(|(time, baseline)| ratio(*time, *baseline))
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios[ratios.len() / 2]
}

fn row(what: &str, time: Duration, baseline: Duration) {
    println!(
        "  {what:<48} {:>8.3} s {:>8.2}×",
        time.as_secs_f64(),
        ratio(time, baseline)
    );
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn timed(work: impl FnOnce()) -> Duration {
    let start = Instant::now();
    work();
    start.elapsed()
}

/// A database with the journal's schema and pragmas, stored as `storage` says.
fn connection(dir: &Path, storage: Storage) -> Connection {
    let mut conn = Connection::open(dir.join("bench.db")).expect("open");
    match storage {
        Storage::Plain { page_size } => {
            // Takes effect while the file is new; an existing file keeps its own.
            conn.execute_batch(&format!("PRAGMA page_size = {page_size}"))
                .expect("page size");
        }
        Storage::Encrypted(layout) => {
            let key: String = (0..32).map(|i| format!("{:02x}", i * 7 + 3)).collect();
            conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\""))
                .expect("key");
            layout.apply(&conn, "main").expect("layout");
        }
    }
    journal::test_support::pragmas::apply(&conn).expect("pragmas");
    journal::test_support::migrations::to_latest(&mut conn).expect("schema");
    conn
}

/// The first reading's time; readings follow every five minutes.
const START_MS: i64 = 1_767_254_400_000;
const STEP_MS: i64 = 5 * 60 * 1000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn sql_insert(conn: &Connection) {
    for batch in 0..READINGS / BATCH {
        let tx = conn.unchecked_transaction().expect("begin");
        {
            let mut insert = tx
                .prepare(
                    "INSERT INTO entries (uid, person_id, kind, value, unit, time_local, utc_ms,
                        offset_min, time_quality, source, device_id, sequence_number, dedup_key,
                        created_utc_ms, updated_utc_ms)
                     VALUES (?1, 1, 'glucose', ?2, 'mmol/L', ?3, ?4, 60, 'device-synced', 'device',
                        NULL, ?5, NULL, ?4, ?4)",
                )
                .expect("prepare");
            for i in batch * BATCH..(batch + 1) * BATCH {
                let utc_ms = START_MS + i * STEP_MS;
                insert
                    .execute(params![
                        format!("bench-{i}"),
                        format!("{}.{}", 4 + i % 6, i % 10),
                        format!("2026-01-01T00:00:00+01:00 #{i}"),
                        utc_ms,
                        i + 1,
                    ])
                    .expect("insert");
            }
        }
        tx.commit().expect("commit");
    }
}

fn sql_range_read(conn: &Connection) {
    let mut query = conn
        .prepare(
            "SELECT id, uid, kind, value, unit, time_local, utc_ms, sequence_number FROM entries
             WHERE kind = 'glucose' AND utc_ms >= ?1 AND utc_ms < ?2 ORDER BY utc_ms",
        )
        .expect("prepare");
    let span = READINGS * STEP_MS;
    let mut rows_read = 0;
    for q in 0..RANGE_QUERIES {
        let from = START_MS + (q * 7919 * STEP_MS) % (span - DAY_MS);
        let mut rows = query.query(params![from, from + DAY_MS]).expect("query");
        while let Some(row) = rows.next().expect("row") {
            let _: (i64, String) = (row.get(0).expect("id"), row.get(1).expect("uid"));
            rows_read += 1;
        }
    }
    assert!(rows_read > 0);
}

/// The journal's own path: create (the cheapest allowed key derivation, to keep the setup
/// short), `add_all` in sync-sized batches, list the same windows, then the unlock time with
/// the default key derivation.
fn journal_run() -> JournalTimes {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = CreateOptions {
        kdf: KdfParams::OWASP_FLOOR,
    };
    let (mut journal, _) = Journal::create(dir.path(), PASSPHRASE, &options).expect("create");
    let device = journal
        .register_device(&DeviceInfo {
            identity: "AA:BB:CC:DD:EE:01".into(),
            maker: Some("Bench".into()),
            model: Some("Meter".into()),
            serial: None,
            firmware: None,
        })
        .expect("device");
    let start: DateTime<FixedOffset> =
        DateTime::parse_from_rfc3339("2026-01-01T01:00:00+01:00").expect("start");
    let reading = |i: i64| {
        let value = format!("{}.{}", 4 + i % 6, i % 10).parse().expect("value");
        NewEntry::from_device(
            Content::Glucose {
                value: Quantity {
                    value,
                    unit: Unit::MmolPerL,
                },
                meal: None,
                method: readings::GlucoseMethod::Meter,
            },
            start + TimeDelta::minutes(5 * i),
            device,
            Some(i + 1),
            None,
            TimeQuality::DeviceSynced,
        )
    };
    let insert = timed(|| {
        for batch in 0..READINGS / BATCH {
            let entries: Vec<NewEntry> =
                (batch * BATCH..(batch + 1) * BATCH).map(reading).collect();
            journal.add_all(&entries).expect("add_all");
        }
    });
    // Read from a freshly opened journal (cold page cache), as after an unlock.
    journal.lock();
    let mut journal = Journal::open(dir.path(), PASSPHRASE).expect("reopen");
    let read = timed(|| {
        let span = TimeDelta::minutes(5 * READINGS);
        let mut listed = 0;
        for q in 0..RANGE_QUERIES {
            let offset = TimeDelta::minutes((q * 7919 * 5) % (span.num_minutes() - 24 * 60));
            let filter = Filter {
                kinds: vec![Kind::Glucose],
                from: Some(start + offset),
                to: Some(start + offset + TimeDelta::days(1)),
                ..Filter::default()
            };
            listed += journal.list(&filter).expect("list").len();
        }
        assert!(listed > 0);
    });
    journal
        .replace_passphrase(PASSPHRASE, PASSPHRASE, KdfParams::DEFAULT)
        .expect("default key derivation");
    journal.lock();
    let unlock = timed(|| {
        Journal::open(dir.path(), PASSPHRASE)
            .expect("unlock")
            .lock()
    });
    // A wrong passphrase costs the key derivation alone.
    let derive = timed(|| assert!(Journal::open(dir.path(), "not the passphrase").is_err()));
    (insert, read, unlock, derive)
}
