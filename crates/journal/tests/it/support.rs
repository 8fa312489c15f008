//! Shared helpers: journals at the OWASP-floor KDF cost (valid, but fast to unlock), sample
//! entries, and file hashing/scanning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use journal::{CreateOptions, KdfParams, NewEntry, RecoveryKey};
use readings::{Content, MealContext, Quantity, Unit};

pub const PASSPHRASE: &str = "correct horse battery staple";

pub fn fast() -> CreateOptions {
    CreateOptions {
        kdf: KdfParams::OWASP_FLOOR,
    }
}

pub fn create(dir: &Path) -> (journal::Journal, RecoveryKey) {
    journal::Journal::create(dir, PASSPHRASE, &fast()).expect("create journal")
}

pub fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

pub fn glucose(value: &str, time: &str) -> NewEntry {
    NewEntry::manual(
        Content::Glucose {
            value: Quantity {
                value: value.parse().unwrap(),
                unit: Unit::MmolPerL,
            },
            meal: Some(MealContext::Before),
            method: readings::GlucoseMethod::Meter,
        },
        at(time),
    )
}

pub fn bp(sys: &str, dia: &str, pulse: &str, time: &str) -> NewEntry {
    NewEntry::manual(
        Content::BloodPressure {
            systolic: sys.parse().unwrap(),
            diastolic: dia.parse().unwrap(),
            mean_arterial: None,
            unit: Unit::MmHg,
            pulse: Some(pulse.parse().unwrap()),
        },
        at(time),
    )
}

pub fn note(text: &str, time: &str) -> NewEntry {
    NewEntry::manual(Content::Note(text.into()), at(time))
}

/// Every regular file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in read.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// SHA-256 of every file under `dir`.
pub fn hashes(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    files_under(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let h = ring::digest::digest(&ring::digest::SHA256, &bytes);
            (p, h.as_ref().to_vec())
        })
        .collect()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The forms a secret might take in a file: raw, UTF-16LE, hex (both cases), base64.
pub fn encodings(needle: &[u8]) -> Vec<Vec<u8>> {
    let utf16: Vec<u8> = needle.iter().flat_map(|&b| [b, 0]).collect();
    let h = hex(needle);
    let mut b64 = base64(needle);
    // Strip padding so the needle also matches inside a longer base64 run.
    while b64.ends_with('=') {
        b64.pop();
    }
    b64.truncate(b64.len().saturating_sub(2).max(4));
    vec![
        needle.to_vec(),
        utf16,
        h.clone().into_bytes(),
        h.to_uppercase().into_bytes(),
        b64.into_bytes(),
    ]
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// (file, needle index) of every hit of any encoding of any needle in any file under `dir`.
pub fn scan(dir: &Path, needles: &[Vec<u8>]) -> Vec<(PathBuf, usize)> {
    let mut hits = Vec::new();
    for file in files_under(dir) {
        let bytes = std::fs::read(&file).unwrap();
        for (i, n) in needles.iter().enumerate() {
            if encodings(n).iter().any(|e| contains(&bytes, e)) {
                hits.push((file.clone(), i));
            }
        }
    }
    hits
}
