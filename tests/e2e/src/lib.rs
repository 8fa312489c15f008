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
    let forms = [
        needle.as_bytes().to_vec(),
        utf16,
        hex.as_bytes().to_vec(),
        hex.to_uppercase().into_bytes(),
        base64_core(needle.as_bytes()),
    ];
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

/// The base64 of `bytes` without its last characters, which depend on what follows the needle
/// in a longer encoded run.
fn base64_core(bytes: &[u8]) -> Vec<u8> {
    use base64::Engine;
    let mut text = base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes);
    text.truncate(text.len().saturating_sub(2).max(4));
    text.into_bytes()
}
