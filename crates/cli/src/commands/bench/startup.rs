//! `vitalog bench startup`: launches the app and a bare Tauri window in turn, and compares the
//! time until the first screen is interactive and the memory all their processes use.
//!
//! Both binaries print `vitalog: interactive after N ms` on stderr once their page can take
//! input; the wall time from spawn to that line is what a patient waits. Memory is PSS summed
//! over the process and its children (WebKit's web and network processes), after a short settle.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use clap::Args;

use super::process_tree::{descendants_and_self, kill_tree, pss_kib};
use crate::error::CliError;

/// The goals from the product brief, reported next to the measurements.
const INTERACTIVE_GOAL: Duration = Duration::from_secs(1);
const EXTRA_MEMORY_GOAL_MB: f64 = 40.0;
const READY_MARKER: &str = "vitalog: interactive after";

/// Arguments of `vitalog bench startup`.
#[derive(Debug, Args)]
pub struct StartupArgs {
    /// The Vitalog app binary to measure
    #[arg(long, value_name = "PATH")]
    app: PathBuf,
    /// A bare Tauri window binary (floor-app), measured in the same run as the baseline
    #[arg(long, value_name = "PATH")]
    floor: PathBuf,
    /// Launches of each binary; the median is reported
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=50))]
    runs: u32,
    /// Seconds to wait after the first screen is interactive before reading memory
    #[arg(long, default_value_t = 2)]
    settle: u64,
}

/// One launch's figures.
#[derive(Debug, Clone, Copy)]
struct Launch {
    interactive: Duration,
    pss_mb: f64,
}

/// Runs the benchmark and prints the comparison.
pub fn run(args: &StartupArgs) -> Result<(), CliError> {
    if std::env::var_os("DISPLAY").is_none() {
        return Err(CliError::InvalidInput(
            "bench startup needs a display: run it under xvfb-run (make bench does)".into(),
        ));
    }
    for binary in [&args.app, &args.floor] {
        if !binary.is_file() {
            return Err(CliError::InvalidInput(format!(
                "{} is not a file",
                binary.display()
            )));
        }
    }
    let settle = Duration::from_secs(args.settle);
    let (mut floor, mut app) = (Vec::new(), Vec::new());
    // Alternate the two so a change in machine load affects both alike.
    for round in 1..=args.runs {
        eprintln!("bench startup: round {round} of {}", args.runs);
        floor.push(launch(&args.floor, settle)?);
        app.push(launch(&args.app, settle)?);
    }
    print_report(args.runs, &median(&floor), &median(&app));
    Ok(())
}

fn launch(binary: &Path, settle: Duration) -> Result<Launch, CliError> {
    let home = tempfile::tempdir().map_err(|source| CliError::Io {
        context: "cannot create a temporary folder".into(),
        source,
    })?;
    let home = home.path();
    let spawned = Instant::now();
    let mut child = Command::new(binary)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| CliError::Io {
            context: format!("cannot start {}", binary.display()),
            source,
        })?;

    let (ready_tx, ready_rx) = mpsc::channel();
    if let Some(stderr) = child.stderr.take() {
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.starts_with(READY_MARKER) {
                    let _ = ready_tx.send(Instant::now());
                }
            }
        });
    }
    let outcome = match ready_rx.recv_timeout(Duration::from_secs(30)) {
        Ok(ready) => {
            std::thread::sleep(settle);
            let pss_kib: u64 = descendants_and_self(child.id())
                .into_iter()
                .filter_map(pss_kib)
                .sum();
            Ok(Launch {
                interactive: ready - spawned,
                pss_mb: pss_kib as f64 / 1024.0,
            })
        }
        Err(_) => Err(CliError::InvalidInput(format!(
            "{} did not report an interactive screen within 30 s",
            binary.display()
        ))),
    };
    kill_tree(child.id());
    let _ = child.wait();
    outcome
}

fn median(launches: &[Launch]) -> Launch {
    let mut times: Vec<Duration> = launches.iter().map(|l| l.interactive).collect();
    let mut memory: Vec<f64> = launches.iter().map(|l| l.pss_mb).collect();
    times.sort();
    memory.sort_by(f64::total_cmp);
    Launch {
        interactive: times.get(times.len() / 2).copied().unwrap_or_default(),
        pss_mb: memory.get(memory.len() / 2).copied().unwrap_or_default(),
    }
}

fn print_report(runs: u32, floor: &Launch, app: &Launch) {
    let ratio = app.interactive.as_secs_f64() / floor.interactive.as_secs_f64().max(f64::EPSILON);
    let extra_mb = app.pss_mb - floor.pss_mb;
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    println!("startup: median of {runs} launches each, floor = a bare Tauri window, same run");
    println!(
        "{:<28}{:>12}{:>12}{:>12}",
        "", "floor", "vitalog", "vitalog/floor"
    );
    println!(
        "{:<28}{:>9} ms{:>9} ms{:>15.2}x   goal < {} ms: {}",
        "time to interactive",
        floor.interactive.as_millis(),
        app.interactive.as_millis(),
        ratio,
        INTERACTIVE_GOAL.as_millis(),
        verdict(app.interactive < INTERACTIVE_GOAL),
    );
    println!(
        "{:<28}{:>9.1} MB{:>9.1} MB{:>+13.1} MB   goal < +{EXTRA_MEMORY_GOAL_MB} MB: {}",
        "memory, PSS of all processes",
        floor.pss_mb,
        app.pss_mb,
        extra_mb,
        verdict(extra_mb < EXTRA_MEMORY_GOAL_MB),
    );
}
