//! The committed TypeScript bindings must match what the Rust commands generate.

use std::path::Path;

use vitalog_app_lib::commands::{BINDINGS_PATH, export_bindings};

#[test]
fn committed_typescript_bindings_are_current() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_PATH);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        export_bindings(&committed).expect("bindings export");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let fresh = dir.path().join("bindings.ts");
    export_bindings(&fresh).expect("bindings export");
    let fresh = std::fs::read_to_string(&fresh).expect("fresh bindings");
    let committed = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        fresh == committed,
        "ui/src/lib/backend/bindings.ts is stale: run `make bindings` and commit the result"
    );
}
