//! Engine settings and migrations (SECURITY.md §8 goals 1 and 6; STYLE.md point 12).

use std::collections::BTreeMap;

use journal::test_support::migrations::{self, MIGRATIONS};
use rusqlite::types::Value;

use crate::support::*;

#[test]
fn pragmas_are_as_designed() {
    let dir = tempfile::tempdir().unwrap();
    let (j, _) = create(dir.path());
    let s = j.engine_settings().unwrap();
    assert!(s.cipher_version.starts_with('4'), "{}", s.cipher_version);
    assert_eq!(s.journal_mode, "wal");
    assert_eq!(s.synchronous, 2);
    assert_eq!(s.foreign_keys, 1);
    assert_eq!(s.secure_delete, 1);
    assert_eq!(s.temp_store, 2);
    assert_eq!(s.cipher_page_size, 16384);
    assert_eq!(s.cipher_hmac_algorithm, "HMAC_SHA256");
    assert_eq!(s.wal_autocheckpoint, 256, "4 MiB of 16 KiB pages");
    assert_eq!(j.page_layout(), journal::PageLayout::Large);
    let compiled = s.compiled_temp_store.unwrap();
    assert!(
        compiled == "TEMP_STORE=2" || compiled == "TEMP_STORE=3",
        "{compiled}"
    );
    j.lock();
    // Reopened connections get the same settings.
    let j = journal::Journal::open(dir.path(), PASSPHRASE).unwrap();
    let s = j.engine_settings().unwrap();
    assert_eq!(s.synchronous, 2);
    assert_eq!(s.cipher_page_size, 16384);
    assert_eq!(s.cipher_hmac_algorithm, "HMAC_SHA256");
}

#[test]
fn database_file_has_no_sqlite_header() {
    let dir = tempfile::tempdir().unwrap();
    let (mut j, _) = create(dir.path());
    j.add(&note("x", "2026-03-01T07:30:00+01:00")).unwrap();
    let db = j.files().db.clone();
    j.lock();
    let bytes = std::fs::read(db).unwrap();
    assert_ne!(&bytes[..16], b"SQLite format 3\0");
}

#[test]
fn migrations_apply_step_by_step() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    assert_eq!(migrations::current_version(&conn).unwrap(), 0);
    for step in 1..=MIGRATIONS.len() {
        migrations::to_version(&mut conn, step).unwrap();
        assert_eq!(migrations::current_version(&conn).unwrap(), step);
        assert!(!MIGRATIONS[step - 1].reason.is_empty());
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }
    let indexes: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'entries_by_kind_time'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 1);
    // Applying again is a no-op.
    migrations::to_version(&mut conn, MIGRATIONS.len()).unwrap();
    assert_eq!(
        migrations::current_version(&conn).unwrap(),
        migrations::latest_version()
    );
}

#[test]
fn a_newer_schema_is_refused() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    assert!(matches!(
        migrations::to_version(&mut conn, MIGRATIONS.len()),
        Err(journal::Error::UnsupportedFormat { .. })
    ));
}

/// Rows of every table as the first schema version stores them: readings and events (from a
/// device and entered, edited and deleted, with and without optional values), their history,
/// people, devices and their users, and the audit log.
const FIRST_VERSION_ROWS: &str = r#"
INSERT INTO people (id, name, created_utc_ms) VALUES (2, 'Sam', 1772346000000);

INSERT INTO devices (id, identity, maker, model, serial, firmware, last_sequence, clock_drift_s,
                     created_utc_ms)
VALUES (1, 'C4:7C:8D:6A:10:2E', 'Acme', 'GlucoCheck 3', 'GC3-004211', '2.1.0', 41, -75,
        1772346100000),
       (2, 'cuff:5F:01:AA:9C:33:70', 'Acme', 'PressureSure', NULL, NULL, NULL, NULL,
        1772346200000);

INSERT INTO device_users (device_id, user_index, person_id) VALUES (2, 1, 1), (2, 2, 2);

INSERT INTO entries (id, uid, person_id, kind, value, unit, systolic, diastolic, mean_arterial,
                     pulse, text, meal, note, time_local, utc_ms, offset_min, time_quality,
                     device_time, source, device_id, sequence_number, dedup_key, flags, version,
                     deleted_utc_ms, created_utc_ms, updated_utc_ms)
VALUES
    (1, '0195a6f2-7c31-7b40-9a1e-3f2d4c5b6a71', 1, 'glucose', '5.4', 'mmol/L', NULL, NULL, NULL,
     NULL, NULL, 'before', NULL, '2026-03-01T07:30:00+01:00', 1772346600000, 60,
     'device-synced', '2026-03-01T07:29:12', 'device', 1, 41, 'seq:41', '', 1, NULL,
     1772350000000, 1772350000000),
    (2, '0195a6f2-7c31-7b40-9a1e-3f2d4c5b6a72', 2, 'bp', NULL, 'mm[Hg]', '152', '95', '114',
     '71', NULL, NULL, 'left arm, after stairs', '2026-03-01T08:05:00+01:00', 1772348700000, 60,
     'device-unverified', '2026-03-01T08:04:00', 'device', 2, NULL,
     'time:2026-03-01T08:04:00|bp||mm[Hg]|152|95|71', 'high', 2, NULL, 1772350001000,
     1772360000000),
    (3, '0195a6f2-7c31-7b40-9a1e-3f2d4c5b6a73', 1, 'note', NULL, NULL, NULL, NULL, NULL, NULL,
     'Felt dizzy after lunch', NULL, NULL, '2026-03-01T13:10:00-05:00', 1772388600000, -300,
     'entered', NULL, 'manual', NULL, NULL, NULL, '', 2, 1772390000000, 1772389000000,
     1772390000000);
-- Flags and version left to their column defaults.
INSERT INTO entries (id, uid, person_id, kind, value, unit, time_local, utc_ms, offset_min,
                     time_quality, source, created_utc_ms, updated_utc_ms)
VALUES (4, '0195a6f2-7c31-7b40-9a1e-3f2d4c5b6a74', 1, 'weight', '72.35', 'kg',
        '2026-03-02T07:00:00+01:00', 1772431200000, 60, 'entered', 'manual', 1772431300000,
        1772431300000);

INSERT INTO entry_versions (entry_id, version, change, changed_utc_ms, snapshot)
VALUES (1, 1, 'create', 1772350000000, '{"kind":"glucose","value":"5.4","unit":"mmol/L"}'),
       (2, 1, 'create', 1772350001000, '{"kind":"bp","systolic":"152","diastolic":"95"}'),
       (2, 2, 'edit', 1772360000000, '{"kind":"bp","note":"left arm, after stairs"}'),
       (3, 1, 'create', 1772389000000, '{"kind":"note","text":"Felt dizzy after lunch"}'),
       (3, 2, 'delete', 1772390000000, '{"kind":"note","deleted":true}'),
       (4, 1, 'create', 1772431300000, '{"kind":"weight","value":"72.35","unit":"kg"}');

INSERT INTO audit_log (id, at_utc_ms, action, entry_id, prev_hash, hash)
VALUES (1, 1772346100000, 'add device', NULL, zeroblob(32),
        x'5c0e4f1d9a7b3e2c8d6f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f'),
       (2, 1772350000000, 'add', 1,
        x'5c0e4f1d9a7b3e2c8d6f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f',
        x'e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff01'),
       (3, 1772390000000, 'delete', 3,
        x'e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff01',
        x'0f1e2d3c4b5a69788796a5b4c3d2e1f0ffeeddccbbaa99887766554433221100');
"#;

/// What the columns added after the first version hold in rows written before them.
const ADDED_COLUMNS: &[(&str, &str, Value)] = &[
    ("devices", "paired_utc_ms", Value::Null),
    ("devices", "kind", Value::Null),
    ("devices", "battery_percent", Value::Null),
    ("devices", "last_sync_utc_ms", Value::Null),
    ("entries", "method", Value::Null),
    ("entries", "origin", Value::Null),
];

/// The tables of the database and their columns, in order.
fn tables(conn: &rusqlite::Connection) -> BTreeMap<String, Vec<String>> {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names
        .into_iter()
        .map(|table| {
            let columns = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            (table, columns)
        })
        .collect()
}

/// Every row of `table`, these columns only, sorted by them (row ids may change when a
/// migration rebuilds a table).
fn rows(conn: &rusqlite::Connection, table: &str, columns: &[String]) -> Vec<Vec<Value>> {
    let list = columns.join(", ");
    let mut st = conn
        .prepare(&format!("SELECT {list} FROM {table} ORDER BY {list}"))
        .unwrap();
    st.query_map([], |r| (0..columns.len()).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Migrations are tried on a database with data, not only on an empty one: rows written at the
/// first version keep every value through each later step, and the columns added since hold
/// their defaults in those rows.
#[test]
fn migrations_keep_the_rows_of_every_table_from_the_first_version() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    // As every journal connection runs (pragmas.rs).
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    migrations::to_version(&mut conn, 1).unwrap();
    conn.execute_batch(FIRST_VERSION_ROWS).unwrap();
    let first = tables(&conn);
    let stored: BTreeMap<String, Vec<Vec<Value>>> = first
        .iter()
        .map(|(table, columns)| (table.clone(), rows(&conn, table, columns)))
        .collect();
    for (table, rows) in &stored {
        assert!(!rows.is_empty(), "no sample rows in {table}");
    }
    assert_eq!(stored["entries"].len(), 4);

    for step in 2..=MIGRATIONS.len() {
        migrations::to_version(&mut conn, step).unwrap();
        assert_eq!(migrations::current_version(&conn).unwrap(), step);
        let now = tables(&conn);
        for (table, columns) in &first {
            let Some(now_columns) = now.get(table) else {
                panic!("step {step} dropped table {table}");
            };
            assert_eq!(
                rows(&conn, table, columns),
                stored[table],
                "step {step} changed the rows of {table}"
            );
            for column in now_columns.iter().filter(|c| !columns.contains(c)) {
                let Some((_, _, default)) = ADDED_COLUMNS
                    .iter()
                    .find(|(t, c, _)| t == table && c == column)
                else {
                    panic!(
                        "step {step} added {table}.{column}: list in ADDED_COLUMNS what rows \
                         written before it hold"
                    );
                };
                let values = rows(&conn, table, std::slice::from_ref(column));
                assert!(
                    values
                        .iter()
                        .all(|row| row == std::slice::from_ref(default)),
                    "step {step}: {table}.{column} of older rows is {values:?}, not {default:?}"
                );
            }
        }
        let violations: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(violations, 0, "step {step}: foreign keys");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }
    // Every added column was seen: ADDED_COLUMNS names no column the migrations do not add.
    let last = tables(&conn);
    for (table, column, _) in ADDED_COLUMNS {
        assert!(
            last[*table].iter().any(|c| c == column) && !first[*table].iter().any(|c| c == column),
            "{table}.{column} is not added by a migration"
        );
    }
}

#[test]
fn glucose_a_cgm_stored_before_glucose_had_a_method_is_marked_cgm() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    migrations::to_version(&mut conn, 1).unwrap();
    conn.execute_batch(FIRST_VERSION_ROWS).unwrap();
    // The layout just before glucose had a method (devices know their kind already).
    let method_step = MIGRATIONS
        .iter()
        .position(|m| m.sql.contains("ADD COLUMN method"))
        .unwrap();
    migrations::to_version(&mut conn, method_step).unwrap();
    conn.execute_batch(
        "INSERT INTO devices (id, identity, kind, created_utc_ms)
         VALUES (3, 'demo:cgm', 'cgm', 1772346300000);
         INSERT INTO entries (id, uid, person_id, kind, value, unit, time_local, utc_ms,
                              offset_min, time_quality, source, device_id, created_utc_ms,
                              updated_utc_ms)
         VALUES (5, '0195a6f2-7c31-7b40-9a1e-3f2d4c5b6a75', 1, 'glucose', '142', 'mg/dL',
                 '2026-03-02T08:00:00+01:00', 1772434800000, 60, 'device-synced', 'demo', 3,
                 1772434900000, 1772434900000);",
    )
    .unwrap();
    migrations::to_latest(&mut conn).unwrap();
    let methods: Vec<(i64, Option<String>)> = conn
        .prepare("SELECT id, method FROM entries WHERE kind = 'glucose' ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(methods, vec![(1, None), (5, Some("cgm".to_owned()))]);
}
