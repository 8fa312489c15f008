//! The checks behind the journal's fuzz targets (`fuzz/`): the parsers of files that may come
//! from anywhere — a key file, a backup, an import. Reached through `test_support` (the
//! `test-support` feature), so the fuzz crate can call crate-private parsers; the corpus replay test (`tests/it/corpus.rs`) runs the same checks
//! on stable, so CI keeps every seed and every past find without cargo-fuzz.
//!
//! Every check: parsing never panics, and what parses writes back to what it was read from
//! (the parsers are strict, so an accepted file has exactly one encoding).

use std::path::Path;

use crate::backup::Backup;
use crate::exchange::{self, Format};
use crate::keys::keyfile::KeyFile;

/// Every target, by name; the corpus of each lives in `fuzz/corpus/<name>/`.
pub const TARGETS: &[&str] = &["key_file", "backup", "import"];

/// Runs the target called `name` on one input; unknown names panic.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "key_file" => key_file(data),
        "backup" => backup(data),
        "import" => import(data),
        other => panic!("no fuzz target {other}"),
    }
}

/// `journal.key` bytes.
pub fn key_file(data: &[u8]) {
    if let Ok(file) = KeyFile::from_bytes(data, Path::new("fuzz.key")) {
        assert_eq!(
            file.to_bytes(),
            data,
            "a key file parsed but writes back differently"
        );
    }
}

/// A backup file's bytes.
pub fn backup(data: &[u8]) {
    if let Ok(backup) = Backup::from_bytes(data, Path::new("fuzz.vitalog-backup")) {
        assert_eq!(backup.encoded_len(), data.len() as u64);
        assert_eq!(
            backup.to_bytes(),
            data,
            "a backup parsed but writes back differently"
        );
    }
}

/// An import file: the first byte picks the format (even: CSV, odd: JSON Lines).
pub fn import(data: &[u8]) {
    let Some((&selector, file)) = data.split_first() else {
        return;
    };
    let format = if selector % 2 == 0 {
        Format::Csv
    } else {
        Format::Jsonl
    };
    let Ok(records) = exchange::read(format, &mut &file[..]) else {
        return;
    };
    let mut written = Vec::new();
    exchange::write(&records, format, &mut written).expect("records that were read can be written");
    let again = exchange::read(format, &mut &written[..])
        .unwrap_or_else(|e| panic!("an export of imported records does not import: {e}"));
    assert_eq!(
        again, records,
        "import → export → import changed the records"
    );
}
