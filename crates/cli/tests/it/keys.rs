//! `vitalog rekey`: a new data key and recovery key; the old recovery key stops working.

use crate::devices::{PASSPHRASE, vitalog_in};

#[test]
fn rekey_prints_a_new_recovery_key_and_the_old_one_stops_working() {
    let dir = tempfile::tempdir().unwrap();
    let init = vitalog_in(dir.path(), &["init"], &[]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let old_key = recovery_key_in(&String::from_utf8_lossy(&init.stdout));
    let added = vitalog_in(dir.path(), &["add", "glucose", "6.4", "mmol/L"], &[]);
    assert!(added.status.success());

    let wrong = vitalog_in(dir.path(), &["rekey"], &[("VITALOG_PASSPHRASE", "not it")]);
    assert_eq!(wrong.status.code(), Some(3));

    let rekeyed = vitalog_in(dir.path(), &["rekey"], &[]);
    let stdout = String::from_utf8_lossy(&rekeyed.stdout);
    assert!(
        rekeyed.status.success(),
        "{}",
        String::from_utf8_lossy(&rekeyed.stderr)
    );
    let new_key = recovery_key_in(&stdout);
    assert_ne!(new_key, old_key);

    let check = vitalog_in(dir.path(), &["unlock-check"], &[]);
    assert!(check.status.success());
    let listed = vitalog_in(dir.path(), &["list", "--json"], &[]);
    let entries: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(entries.as_array().unwrap().len(), 1);

    // Proving identity with a recovery key: the old one fails, the new one works.
    let key_file = dir.path().join("recovery.txt");
    let passwd = |key: &str| {
        std::fs::write(&key_file, key).unwrap();
        vitalog_in(
            dir.path(),
            &["passwd", "--recovery-key-file", key_file.to_str().unwrap()],
            &[("VITALOG_NEW_PASSPHRASE", PASSPHRASE)],
        )
    };
    assert_eq!(passwd(&old_key).status.code(), Some(3));
    assert!(passwd(&new_key).status.success());
}

/// The indented line after "recovery key" in `init` or `rekey` output.
fn recovery_key_in(stdout: &str) -> String {
    stdout
        .lines()
        .find(|line| line.starts_with("    ") && !line.trim().is_empty())
        .unwrap_or_else(|| panic!("no recovery key in {stdout}"))
        .trim()
        .to_owned()
}

/// A journal from an earlier version (key file format 1, fixture of the journal crate) is
/// pointed at `rekey`, which moves it to the current page layout.
#[test]
fn unlock_check_suggests_rekey_for_a_journal_in_the_earlier_layout() {
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../journal/tests/fixtures/format-1");
    let dir = tempfile::tempdir().unwrap();
    for name in ["journal.db", "journal.key"] {
        std::fs::copy(fixtures.join(name), dir.path().join(name)).unwrap();
    }
    let passphrase = [("VITALOG_PASSPHRASE", "a journal from key file format one")];
    let stdout = |args: &[&str]| {
        let out = vitalog_in(dir.path(), args, &passphrase);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(stdout(&["unlock-check"]).contains("`vitalog rekey`"));
    stdout(&["rekey"]);
    let checked = stdout(&["unlock-check"]);
    assert!(
        checked.starts_with("ok:") && !checked.contains("rekey"),
        "{checked}"
    );
    let listed: serde_json::Value = serde_json::from_str(&stdout(&["list", "--json"])).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 4);
}

/// The `vitalog` process keeps its memory (passphrase, data key, readings) out of core dumps.
#[test]
fn the_command_leaves_no_core_dump() {
    let dir = tempfile::tempdir().unwrap();
    let info = vitalog_in(dir.path(), &["info", "--json"], &[]);
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(info["core_dumps"], false, "{info}");
}
