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
