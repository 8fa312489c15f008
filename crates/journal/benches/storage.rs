//! What encryption costs the journal (issue: "insert and range-read 100k readings encrypted vs
//! the same schema in plain SQLite in the same run; goal within 1.3×; unlock time reported").
//!
//! The baseline and the encrypted run execute the same SQL on the journal's own schema and
//! pragmas (WAL, synchronous=FULL, secure_delete…); only `PRAGMA key` differs. The journal's
//! own API (validation, de-duplication, edit history, audit log) is timed on top, against the
//! same plain baseline. Each figure is the median of three runs, printed with its ratio; the
//! goal is a yardstick here, never an assertion.
//!
//! `cargo bench -p journal --bench storage`

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, TimeDelta};
use journal::{
    Content, CreateOptions, DeviceInfo, Filter, Journal, KdfParams, Kind, NewEntry, Quantity,
    TimeQuality, Unit,
};
use rusqlite::{Connection, params};

const READINGS: i64 = 100_000;
const BATCH: i64 = 1_000;
const RANGE_QUERIES: i64 = 200;
const RUNS: usize = 3;
const PASSPHRASE: &str = "benchmark passphrase for the storage run";

fn main() {
    println!("storage benchmark: {READINGS} readings, median of {RUNS} runs");
    let insert_plain = median(|dir| timed(|| sql_insert(&connection(dir, false))));
    let insert_encrypted = median(|dir| timed(|| sql_insert(&connection(dir, true))));
    // Reads start from a fresh connection, so pages come from the file (and, encrypted, are
    // decrypted and checked) rather than from the cache the inserts left warm.
    let read_plain = median(|dir| {
        sql_insert(&connection(dir, false));
        let conn = connection(dir, false);
        timed(|| sql_range_read(&conn))
    });
    let read_encrypted = median(|dir| {
        sql_insert(&connection(dir, true));
        let conn = connection(dir, true);
        timed(|| sql_range_read(&conn))
    });
    let journal_runs: Vec<JournalTimes> = (0..RUNS).map(|_| journal_run()).collect();
    let pick = |f: fn(&JournalTimes) -> Duration| {
        let mut times: Vec<Duration> = journal_runs.iter().map(f).collect();
        times.sort();
        times[times.len() / 2]
    };
    let (api_insert, api_read) = (pick(|r| r.0), pick(|r| r.1));
    let (unlock, derive) = (pick(|r| r.2), pick(|r| r.3));

    println!();
    println!(
        "{:<44} {:>12} {:>12} {:>8}",
        "", "plain SQLite", "encrypted", "ratio"
    );
    row(
        "insert, 1,000 readings per transaction",
        insert_plain,
        insert_encrypted,
    );
    row(
        &format!("range read, {RANGE_QUERIES} one-day windows"),
        read_plain,
        read_encrypted,
    );
    row(
        "journal API: add_all (checks, history)",
        insert_plain,
        api_insert,
    );
    row("journal API: list the same windows", read_plain, api_read);
    println!();
    println!("goal: encrypted within 1.3× of plain SQLite for the same SQL (first two rows)");
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

fn row(what: &str, plain: Duration, encrypted: Duration) {
    println!(
        "{what:<44} {:>10.3} s {:>10.3} s {:>7.2}×",
        plain.as_secs_f64(),
        encrypted.as_secs_f64(),
        encrypted.as_secs_f64() / plain.as_secs_f64()
    );
}

/// The median over [`RUNS`] runs of `run`, each in a fresh folder.
fn median(run: impl Fn(&Path) -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let dir = tempfile::tempdir().expect("temp dir");
            run(dir.path())
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn timed(work: impl FnOnce()) -> Duration {
    let start = Instant::now();
    work();
    start.elapsed()
}

/// A database with the journal's schema and pragmas, keyed or not.
fn connection(dir: &Path, encrypted: bool) -> Connection {
    let mut conn = Connection::open(dir.join("bench.db")).expect("open");
    if encrypted {
        let key: String = (0..32).map(|i| format!("{:02x}", i * 7 + 3)).collect();
        conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\""))
            .expect("key");
    }
    journal::store::pragmas::apply(&conn).expect("pragmas");
    journal::store::migrations::to_latest(&mut conn).expect("schema");
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
