//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the checks the fuzz
//! targets run (`journal::fuzz_checks`), so CI keeps every seed and every past find on stable.

use std::path::Path;

use journal::test_support::fuzz_checks;

#[test]
fn fuzz_corpus_replays_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for target in fuzz_checks::TARGETS {
        let folder = root.join(target);
        let mut replayed = 0;
        let entries = std::fs::read_dir(&folder)
            .unwrap_or_else(|error| panic!("{}: {error}", folder.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| fuzz_checks::run(target, &data));
            assert!(outcome.is_ok(), "{} fails", path.display());
            replayed += 1;
        }
        assert!(replayed > 0, "no corpus for {target}");
    }
}
