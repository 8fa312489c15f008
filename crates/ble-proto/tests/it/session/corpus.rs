//! Replays the committed corpus of the session fuzz targets through the same target bodies,
//! so the inputs fuzzing found keep running in CI without cargo-fuzz.

use std::path::Path;

#[path = "../../../fuzz/fuzz_targets/sessions.rs"]
mod sessions;

fn replay(target: &str, body: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let entries = std::fs::read_dir(&root)
        .unwrap_or_else(|error| panic!("no corpus at {}: {error}", root.display()));
    let mut replayed = 0;
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        let data = std::fs::read(&path).expect("a corpus file");
        body(&data);
        replayed += 1;
    }
    assert!(replayed > 0, "the corpus at {} is empty", root.display());
}

#[test]
fn glucose_corpus() {
    replay("session_glucose", sessions::glucose);
}

#[test]
fn blood_pressure_corpus() {
    replay("session_blood_pressure", sessions::blood_pressure);
}

#[test]
fn cgm_corpus() {
    replay("session_cgm", sessions::cgm);
}

#[test]
fn clock_corpus() {
    replay("session_clock", sessions::clock);
}
