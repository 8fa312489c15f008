//! Schema migrations: an append-only list, each with a one-line reason, applied in order and
//! counted in `PRAGMA user_version` (the scheme of `rusqlite_migration`, which does not yet
//! support rusqlite 0.41). Never edit or reorder a shipped migration; append a new one.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// One schema step.
pub struct Migration {
    /// Why this step exists, in one line.
    pub reason: &'static str,
    /// The SQL it runs (inside a transaction, together with the version bump).
    pub sql: &'static str,
}

/// Every migration, oldest first. Append only.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        reason: "Initial schema: people, devices, entries (readings and events), versions, audit log.",
        sql: r#"
CREATE TABLE people (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    created_utc_ms  INTEGER NOT NULL
);
INSERT INTO people (id, name, created_utc_ms) VALUES (1, 'me', 0);

CREATE TABLE devices (
    id              INTEGER PRIMARY KEY,
    identity        TEXT NOT NULL UNIQUE,
    maker           TEXT,
    model           TEXT,
    serial          TEXT,
    firmware        TEXT,
    last_sequence   INTEGER,
    clock_drift_s   INTEGER,
    created_utc_ms  INTEGER NOT NULL
);

CREATE TABLE device_users (
    device_id   INTEGER NOT NULL REFERENCES devices(id),
    user_index  INTEGER NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (device_id, user_index)
);

CREATE TABLE entries (
    id               INTEGER PRIMARY KEY,
    uid              TEXT NOT NULL UNIQUE,
    person_id        INTEGER NOT NULL REFERENCES people(id),
    kind             TEXT NOT NULL,
    value            TEXT,
    unit             TEXT,
    systolic         TEXT,
    diastolic        TEXT,
    mean_arterial    TEXT,
    pulse            TEXT,
    text             TEXT,
    meal             TEXT,
    note             TEXT,
    time_local       TEXT NOT NULL,
    utc_ms           INTEGER NOT NULL,
    offset_min       INTEGER NOT NULL,
    time_quality     TEXT NOT NULL,
    device_time      TEXT,
    source           TEXT NOT NULL,
    device_id        INTEGER REFERENCES devices(id),
    sequence_number  INTEGER,
    dedup_key        TEXT,
    flags            TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    deleted_utc_ms   INTEGER,
    created_utc_ms   INTEGER NOT NULL,
    updated_utc_ms   INTEGER NOT NULL
);
CREATE INDEX entries_by_time ON entries (utc_ms);
CREATE UNIQUE INDEX entries_device_dedup ON entries (device_id, dedup_key)
    WHERE device_id IS NOT NULL;

CREATE TABLE entry_versions (
    entry_id        INTEGER NOT NULL REFERENCES entries(id),
    version         INTEGER NOT NULL,
    change          TEXT NOT NULL,
    changed_utc_ms  INTEGER NOT NULL,
    snapshot        TEXT NOT NULL,
    PRIMARY KEY (entry_id, version)
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at_utc_ms   INTEGER NOT NULL,
    action      TEXT NOT NULL,
    entry_id    INTEGER,
    prev_hash   BLOB NOT NULL,
    hash        BLOB NOT NULL
);
"#,
    },
    Migration {
        reason: "List filters by kind over a time range; an index keeps them fast at 100k entries.",
        sql: "CREATE INDEX entries_by_kind_time ON entries (kind, utc_ms);",
    },
    Migration {
        reason: "Remember which monitors the patient paired, so background sync watches only those.",
        sql: "ALTER TABLE devices ADD COLUMN paired_utc_ms INTEGER;",
    },
    Migration {
        reason: "The Devices screen shows what a monitor is, its battery and when it last synced.",
        sql: "ALTER TABLE devices ADD COLUMN kind TEXT;
ALTER TABLE devices ADD COLUMN battery_percent INTEGER;
ALTER TABLE devices ADD COLUMN last_sync_utc_ms INTEGER;",
    },
    Migration {
        reason: "Glucose says whether a meter or a CGM measured it (NULL: a meter), for the right statistics; what CGMs stored before is marked as theirs.",
        sql: "ALTER TABLE entries ADD COLUMN method TEXT;
UPDATE entries SET method = 'cgm' WHERE kind = 'glucose'
    AND device_id IN (SELECT id FROM devices WHERE kind = 'cgm');",
    },
    Migration {
        reason: "Alerts the patient turned on, and every alert a reading raised.",
        sql: "CREATE TABLE alert_settings (
    kind            TEXT PRIMARY KEY,
    enabled         INTEGER NOT NULL
);
CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    entry_id        INTEGER NOT NULL REFERENCES entries(id),
    kind            TEXT NOT NULL,
    raised_utc_ms   INTEGER NOT NULL
);",
    },
    Migration {
        reason: "Sharing with care teams: recipients, their grants, every consent change, the outbox queued with each reading, what each server holds, and the hash-chained transmission log.",
        sql: "CREATE TABLE share_recipients (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    fhir_base       TEXT NOT NULL,
    patient         TEXT,
    sign_in         TEXT NOT NULL,
    secret          TEXT,
    created_utc_ms  INTEGER NOT NULL
);
CREATE TABLE share_grants (
    recipient_id    INTEGER PRIMARY KEY REFERENCES share_recipients(id),
    kinds           TEXT NOT NULL,
    notes           INTEGER NOT NULL,
    since_utc_ms    INTEGER,
    realtime        INTEGER NOT NULL,
    until_utc_ms    INTEGER,
    state           TEXT NOT NULL,
    changed_utc_ms  INTEGER NOT NULL
);
CREATE TABLE share_consent_log (
    id              INTEGER PRIMARY KEY,
    recipient_id    INTEGER NOT NULL REFERENCES share_recipients(id),
    at_utc_ms       INTEGER NOT NULL,
    by              TEXT NOT NULL,
    what            TEXT NOT NULL
);
CREATE TABLE share_outbox (
    recipient_id    INTEGER NOT NULL REFERENCES share_recipients(id),
    entry_id        INTEGER NOT NULL REFERENCES entries(id),
    version         INTEGER NOT NULL,
    queued_utc_ms   INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_utc_ms     INTEGER NOT NULL,
    problem         TEXT,
    refused         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (recipient_id, entry_id)
);
CREATE INDEX share_outbox_due ON share_outbox (recipient_id, refused, next_utc_ms);
CREATE TABLE share_delivered (
    recipient_id    INTEGER NOT NULL REFERENCES share_recipients(id),
    entry_id        INTEGER NOT NULL REFERENCES entries(id),
    version         INTEGER NOT NULL,
    delivered_utc_ms INTEGER NOT NULL,
    PRIMARY KEY (recipient_id, entry_id)
);
CREATE TABLE share_transmissions (
    id              INTEGER PRIMARY KEY,
    recipient_id    INTEGER NOT NULL REFERENCES share_recipients(id),
    at_utc_ms       INTEGER NOT NULL,
    kinds           TEXT NOT NULL,
    resources       TEXT NOT NULL,
    result          TEXT NOT NULL,
    detail          TEXT NOT NULL,
    prev_hash       BLOB NOT NULL,
    hash            BLOB NOT NULL
);
CREATE TABLE share_log_head (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    count           INTEGER NOT NULL,
    hash            BLOB NOT NULL
);
CREATE TABLE share_gateway (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    uid             TEXT NOT NULL
);
INSERT INTO share_gateway (id, uid) VALUES (1, lower(hex(randomblob(16))));",
    },
    Migration {
        reason: "An imported entry keeps where its file said it came from as information, instead of speaking for a monitor.",
        sql: "ALTER TABLE entries ADD COLUMN origin TEXT;",
    },
];

/// The schema version a fully migrated journal has.
pub fn latest_version() -> usize {
    MIGRATIONS.len()
}

/// The schema version of an open database.
pub fn current_version(conn: &Connection) -> Result<usize> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    usize::try_from(v).map_err(|_| Error::JournalDamaged)
}

/// Applies every pending migration.
pub fn to_latest(conn: &mut Connection) -> Result<()> {
    to_version(conn, latest_version())
}

/// Applies pending migrations up to `target` (tests walk the list one step at a time).
pub fn to_version(conn: &mut Connection, target: usize) -> Result<()> {
    let current = current_version(conn)?;
    if current > latest_version() {
        return Err(Error::UnsupportedFormat {
            found: u16::try_from(current).unwrap_or(u16::MAX),
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().take(target).skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(migration.sql)
            .map_err(|e| match Error::from(e) {
                Error::Database(detail) => Error::Database(format!(
                    "updating the journal's layout ({}) failed: {detail}",
                    migration.reason
                )),
                other => other,
            })?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
