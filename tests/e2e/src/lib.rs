//! The end-to-end harness: starts `tauri-driver` (which starts WebKitWebDriver, which starts
//! the real Vitalog binary), opens a WebDriver session on it, and saves a screenshot per step.
//!
//! Every process it starts is owned by a guard that kills it on drop, so a failing test
//! leaves nothing behind. It needs a display: `make test` runs it under `xvfb-run`.

#![warn(missing_docs)]

pub mod dialog;
mod driver;
mod session;

pub use dialog::FileDialog;
pub use driver::{Driver, HarnessError};
pub use session::App;

/// Every file under `dir` that holds `needle` in any form a careless program might write it
/// in: as is, UTF-16LE (WebKit's storage), hex, or base64.
pub fn files_containing(dir: &std::path::Path, needle: &str) -> Vec<std::path::PathBuf> {
    let utf16: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let hex: String = needle.bytes().map(|b| format!("{b:02x}")).collect();
    let mut forms = vec![
        needle.as_bytes().to_vec(),
        utf16,
        hex.as_bytes().to_vec(),
        hex.to_uppercase().into_bytes(),
    ];
    forms.extend(base64_cores(needle.as_bytes()));
    let mut hits = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                let holds =
                    |form: &Vec<u8>| bytes.windows(form.len()).any(|w| w == form.as_slice());
                if forms.iter().any(holds) {
                    hits.push(path);
                }
            }
        }
    }
    hits
}

/// What `bytes` look like inside any longer base64 text: for each of the three positions they
/// can start at within a 3-byte group, the characters that depend on `bytes` alone.
fn base64_cores(bytes: &[u8]) -> Vec<Vec<u8>> {
    use base64::Engine;
    (0..3)
        .map(|shift| {
            // `shift` bytes before the needle; the characters they touch are dropped.
            let mut padded = vec![0u8; shift];
            padded.extend_from_slice(bytes);
            let text = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&padded);
            let start = match shift {
                0 => 0,
                1 => 2,
                _ => 3,
            };
            let end = text.len().saturating_sub(2).max(start + 4).min(text.len());
            text.as_bytes()[start..end].to_vec()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::files_containing;

    #[test]
    fn finds_a_needle_base64_encoded_at_any_offset() {
        use base64::Engine;
        let dir = tempfile::tempdir().expect("temp dir");
        for prefix in ["", "x", "xy", "xyz"] {
            let text = format!("{prefix}the secret note{prefix}");
            let encoded = base64::engine::general_purpose::STANDARD.encode(text);
            let path = dir.path().join(format!("p{}.txt", prefix.len()));
            std::fs::write(&path, encoded).expect("write");
            assert_eq!(
                files_containing(dir.path(), "the secret note"),
                vec![path.clone()]
            );
            std::fs::remove_file(&path).expect("remove");
        }
    }
}
