//! Committed data survives SIGKILL (SECURITY.md §8 goal 10).
//!
//! The test binary runs itself as the writer: `child_writer` does nothing unless the parent set
//! `VITALOG_CRASH_CHILD_DIR` for the child process. The child adds readings and prints each id
//! after its commit returned; the parent kills it at a random moment, reopens the journal and
//! checks integrity and that every printed id is present exactly once.
//!
//! The kill delays come from a seed that every run prints; `VITALOG_CRASH_SEED=<n> cargo test
//! -p journal --test it crash` replays them (the child's own pace still varies from run to run).

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use journal::{Filter, Journal};
use readings::Content;

use crate::support::*;

const CHILD_ENV: &str = "VITALOG_CRASH_CHILD_DIR";
/// Replays a run: the seed of the kill moments (printed by every run).
const SEED_ENV: &str = "VITALOG_CRASH_SEED";
const RUNS: usize = 200;

#[test]
fn child_writer() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let mut j = Journal::open(std::path::Path::new(&dir), PASSPHRASE).unwrap();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "ready").unwrap();
    out.flush().unwrap();
    for i in 0..100_000u32 {
        let value = format!("{}.{}", 4 + i % 5, i % 10);
        if i % 7 == 0 {
            // A batch commits all or nothing.
            let batch: Vec<_> = (0..5)
                .map(|k| {
                    bp(
                        &format!("{}", 120 + k),
                        "80",
                        "70",
                        "2026-03-01T07:30:00+01:00",
                    )
                })
                .collect();
            let ids = j.add_all(&batch).unwrap();
            for id in ids {
                writeln!(out, "committed {}", id.unwrap().id()).unwrap();
            }
        } else {
            let id = j
                .add(&glucose(&value, "2026-03-01T07:30:00+01:00"))
                .unwrap()
                .id();
            writeln!(out, "committed {id}").unwrap();
        }
        out.flush().unwrap();
    }
}

/// xorshift64*, seeded from `VITALOG_CRASH_SEED` or else the clock; the seed is printed so a
/// failure can be replayed.
struct Rng(u64);
impl Rng {
    fn new(seed: u64) -> Rng {
        // xorshift never leaves an all-zero state.
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

#[test]
fn sigkill_at_random_moments_loses_no_committed_reading() {
    let started = Instant::now();
    let seed = match std::env::var(SEED_ENV) {
        Ok(text) => text
            .trim()
            .parse::<u64>()
            .unwrap_or_else(|e| panic!("{SEED_ENV}={text:?} is not a u64: {e}")),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    };
    // Written past libtest's output capture, so the seed shows whether the test passes or not.
    writeln!(
        std::io::stderr(),
        "crash test seed {seed}; replay the same kill moments with: \
         {SEED_ENV}={seed} cargo test -p journal --test it crash"
    )
    .unwrap();
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap();
    let (j, _) = create(dir.path());
    j.lock();
    let exe = std::env::current_exe().unwrap();
    let mut printed: BTreeSet<i64> = BTreeSet::new();
    let mut killed_mid_write = 0;
    for run in 0..RUNS {
        let mut child = Command::new(&exe)
            .args([
                "crash::child_writer",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let reader = {
            let lines = lines.clone();
            let stdout = child.stdout.take().unwrap();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    // libtest may print "test crash::child_writer ... " on the same line.
                    if line.ends_with("ready") {
                        let _ = ready_tx.send(());
                    }
                    lines.lock().unwrap().push(line);
                }
            })
        };
        // Kill anywhere from before the first write to well into the writing.
        let spawned = Instant::now();
        let _ = ready_rx.recv_timeout(Duration::from_secs(10));
        if std::env::var_os("VITALOG_CRASH_DEBUG").is_some() {
            eprintln!("run {run}: ready after {:?}", spawned.elapsed());
        }
        std::thread::sleep(Duration::from_micros(rng.next() % 40_000));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        reader.join().unwrap();
        let mut this_run = 0;
        for line in lines.lock().unwrap().iter() {
            if let Some((_, id)) = line.split_once("committed ") {
                let id: i64 = id.parse().unwrap();
                assert!(
                    printed.insert(id),
                    "run {run} (seed {seed}): id {id} printed twice"
                );
                this_run += 1;
            }
        }
        if this_run > 0 {
            killed_mid_write += 1;
        }

        let verify = Instant::now();
        let j = Journal::open(dir.path(), PASSPHRASE)
            .unwrap_or_else(|e| panic!("run {run} (seed {seed}): reopen failed: {e}"));
        j.integrity_check()
            .unwrap_or_else(|e| panic!("run {run} (seed {seed}): {e}"));
        let entries = j.list(&Filter::default()).unwrap();
        let present: BTreeSet<i64> = entries.iter().map(|e| e.id.0).collect();
        assert_eq!(present.len(), entries.len(), "no entry twice");
        let missing: Vec<_> = printed.difference(&present).collect();
        assert!(
            missing.is_empty(),
            "run {run} (seed {seed}): lost {missing:?}"
        );
        // No partial rows: every blood pressure has both pressures and its pulse.
        for e in &entries {
            if let Content::BloodPressure { pulse, .. } = &e.content {
                assert!(pulse.is_some());
            }
        }
        // Batches are all or nothing: blood pressures come in fives.
        let bps = entries
            .iter()
            .filter(|e| matches!(e.content, Content::BloodPressure { .. }))
            .count();
        assert_eq!(
            bps % 5,
            0,
            "run {run} (seed {seed}): a batch was partly stored"
        );
        j.lock();
        if std::env::var_os("VITALOG_CRASH_DEBUG").is_some() {
            eprintln!(
                "run {run}: {this_run} ids, verified in {:?}",
                verify.elapsed()
            );
        }
    }
    eprintln!(
        "crash test: {RUNS} runs, {killed_mid_write} killed after writing, {} committed ids checked, {:?}",
        printed.len(),
        started.elapsed()
    );
    assert!(
        killed_mid_write >= RUNS / 2,
        "most kills should land while writing"
    );
}
