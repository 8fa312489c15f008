//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the same checks the
//! fuzz targets run, so CI keeps every seed and every past find without cargo-fuzz.

use std::path::Path;

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod harness;

#[test]
fn fuzz_corpus_replays_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut replayed = 0;
    for target in harness::TARGETS {
        let folder = root.join(target);
        let entries = std::fs::read_dir(&folder)
            .unwrap_or_else(|error| panic!("{}: {error}", folder.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| harness::run(target, &data));
            assert!(outcome.is_ok(), "{} fails", path.display());
            replayed += 1;
        }
    }
    assert!(
        replayed >= harness::TARGETS.len(),
        "only {replayed} corpus files"
    );
}
