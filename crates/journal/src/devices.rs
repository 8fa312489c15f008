//! Monitors the journal has seen: identity, descriptive fields, sync state, and which person
//! each user slot of a shared device (a blood-pressure cuff's users 1 and 2) belongs to.

use rusqlite::{Connection, OptionalExtension, params};

use readings::MonitorKind;

use crate::error::{Error, Result};
use crate::model::{Device, DeviceId, DeviceInfo, PersonId, SyncMark};

const COLUMNS: &str = "id, identity, maker, model, serial, firmware, last_sequence, clock_drift_s, \
     paired_utc_ms, kind, battery_percent, last_sync_utc_ms";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Device> {
    Ok(Device {
        id: DeviceId(r.get(0)?),
        info: DeviceInfo {
            identity: r.get(1)?,
            maker: r.get(2)?,
            model: r.get(3)?,
            serial: r.get(4)?,
            firmware: r.get(5)?,
        },
        last_sequence: r.get(6)?,
        clock_drift_s: r.get(7)?,
        paired: r.get::<_, Option<i64>>(8)?.is_some(),
        // A kind this version does not know (written by a newer one) reads as not known yet.
        kind: r
            .get::<_, Option<String>>(9)?
            .as_deref()
            .and_then(MonitorKind::parse),
        battery_percent: r.get(10)?,
        last_sync: r
            .get::<_, Option<i64>>(11)?
            .and_then(chrono::DateTime::from_timestamp_millis),
    })
}

pub(crate) fn get(conn: &Connection, id: DeviceId) -> Result<Device> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM devices WHERE id = ?1"))?
        .query_row([id.0], from_row)
        .optional()?
        .ok_or(Error::NotFound {
            what: "device",
            id: id.0,
        })
}

/// The device with this identity, if the journal knows it.
pub(crate) fn by_identity(conn: &Connection, identity: &str) -> Result<Option<Device>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM devices WHERE identity = ?1"),
            [identity],
            from_row,
        )
        .optional()?)
}

/// Every device, oldest first.
pub(crate) fn list(conn: &Connection) -> Result<Vec<Device>> {
    let mut statement = conn.prepare(&format!("SELECT {COLUMNS} FROM devices ORDER BY id"))?;
    let rows = statement.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Marks a device as paired by the patient, or forgotten.
pub(crate) fn set_paired(conn: &Connection, id: DeviceId, paired: bool) -> Result<()> {
    let at = paired.then(crate::now_ms);
    update_device(
        conn,
        id,
        "UPDATE devices SET paired_utc_ms = ?2 WHERE id = ?1",
        params![id.0, at],
    )?;
    crate::audit::record(
        conn,
        if paired {
            "pair device"
        } else {
            "forget device"
        },
        None,
    )?;
    Ok(())
}

/// Finds a device by identity, updating its descriptive fields, or adds it.
pub(crate) fn register(conn: &Connection, info: &DeviceInfo) -> Result<DeviceId> {
    if info.identity.trim().is_empty() {
        return Err(Error::Invalid("a device needs an identity".into()));
    }
    let existing: Option<i64> = conn
        .query_row(
            "SELECT id FROM devices WHERE identity = ?1",
            [&info.identity],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = existing {
        conn.execute(
            "UPDATE devices SET maker = coalesce(?2, maker), model = coalesce(?3, model), \
             serial = coalesce(?4, serial), firmware = coalesce(?5, firmware) WHERE id = ?1",
            params![id, info.maker, info.model, info.serial, info.firmware],
        )?;
        return Ok(DeviceId(id));
    }
    conn.execute(
        "INSERT INTO devices (identity, maker, model, serial, firmware, created_utc_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![info.identity, info.maker, info.model, info.serial, info.firmware, crate::now_ms()],
    )?;
    // Read the id before the audit record, whose insert moves `last_insert_rowid`.
    let id = DeviceId(conn.last_insert_rowid());
    crate::audit::record(conn, "add device", None)?;
    Ok(id)
}

/// Runs an `UPDATE` of one device (`?1` is its id), failing when there is no such device.
fn update_device(
    conn: &Connection,
    id: DeviceId,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<()> {
    if conn.execute(sql, params)? == 0 {
        return Err(Error::NotFound {
            what: "device",
            id: id.0,
        });
    }
    Ok(())
}

/// Sets the sequence number the next sync starts after (`None`: ask for all records).
pub(crate) fn set_last_sequence(conn: &Connection, id: DeviceId, last: Option<i64>) -> Result<()> {
    update_device(
        conn,
        id,
        "UPDATE devices SET last_sequence = ?2 WHERE id = ?1",
        params![id.0, last],
    )
}

/// Notes a finished sync: what the monitor is, its battery level (kept when it did not say),
/// and when.
pub(crate) fn record_sync(conn: &Connection, id: DeviceId, sync: &SyncMark) -> Result<()> {
    update_device(
        conn,
        id,
        "UPDATE devices SET kind = ?2, battery_percent = coalesce(?3, battery_percent), \
         last_sync_utc_ms = ?4 WHERE id = ?1",
        params![
            id.0,
            sync.kind.as_str(),
            sync.battery_percent,
            sync.at.timestamp_millis()
        ],
    )
}

/// Notes what a device measures before its first sync (from the scan that found it).
pub(crate) fn set_kind(conn: &Connection, id: DeviceId, kind: MonitorKind) -> Result<()> {
    update_device(
        conn,
        id,
        "UPDATE devices SET kind = ?2 WHERE id = ?1",
        params![id.0, kind.as_str()],
    )
}

pub(crate) fn set_clock_drift(conn: &Connection, id: DeviceId, drift_s: i64) -> Result<()> {
    update_device(
        conn,
        id,
        "UPDATE devices SET clock_drift_s = ?2 WHERE id = ?1",
        params![id.0, drift_s],
    )
}

pub(crate) fn map_user(
    conn: &Connection,
    device: DeviceId,
    user_index: u8,
    person: PersonId,
) -> Result<()> {
    conn.execute(
        "INSERT INTO device_users (device_id, user_index, person_id) VALUES (?1, ?2, ?3) \
         ON CONFLICT (device_id, user_index) DO UPDATE SET person_id = excluded.person_id",
        params![device.0, user_index, person.0],
    )?;
    Ok(())
}

pub(crate) fn person_for_user(
    conn: &Connection,
    device: DeviceId,
    user_index: u8,
) -> Result<Option<PersonId>> {
    Ok(conn
        .query_row(
            "SELECT person_id FROM device_users WHERE device_id = ?1 AND user_index = ?2",
            params![device.0, user_index],
            |r| r.get(0),
        )
        .optional()?
        .map(PersonId))
}

#[cfg(test)]
mod tests {
    use readings::MonitorKind;

    use crate::{CreateOptions, DeviceInfo, Journal, KdfParams, SyncMark};

    #[test]
    fn paired_devices_are_listed_found_by_identity_and_forgotten() -> crate::Result<()> {
        let dir = tempfile::tempdir().map_err(|e| crate::Error::Invalid(e.to_string()))?;
        let options = CreateOptions {
            kdf: KdfParams::OWASP_FLOOR,
        };
        let (mut journal, _recovery) = Journal::create(dir.path(), "a long passphrase", &options)?;
        let info = DeviceInfo {
            identity: "ble:AA:BB:CC:DD:EE:01".into(),
            ..DeviceInfo::default()
        };
        let id = journal.register_device(&info)?;
        assert!(!journal.device(id)?.paired);
        journal.set_device_paired(id, true)?;
        let found = journal.device_by_identity("ble:AA:BB:CC:DD:EE:01")?;
        assert_eq!(found.map(|d| (d.id, d.paired)), Some((id, true)));
        assert_eq!(journal.device_by_identity("ble:unknown")?, None);
        journal.set_device_paired(id, false)?;
        journal.set_last_sequence(id, Some(7))?;
        assert_eq!(journal.device(id)?.last_sequence, Some(7));
        journal.set_last_sequence(id, None)?;
        assert_eq!(journal.device(id)?.last_sequence, None);
        let listed = journal.devices()?;
        assert_eq!(listed.len(), 1);
        assert!(!listed[0].paired);
        assert_eq!((listed[0].kind, listed[0].last_sync), (None, None));

        let at = chrono::DateTime::from_timestamp_millis(1_780_000_000_000)
            .ok_or(crate::Error::Invalid("time".into()))?;
        let mark = |battery_percent| SyncMark {
            kind: MonitorKind::Glucose,
            battery_percent,
            at,
        };
        journal.set_device_kind(id, MonitorKind::BloodPressure)?;
        assert_eq!(journal.device(id)?.kind, Some(MonitorKind::BloodPressure));
        journal.record_sync(id, &mark(Some(80)))?;
        journal.record_sync(id, &mark(None))?;
        let synced = journal.device(id)?;
        assert_eq!(synced.kind, Some(MonitorKind::Glucose));
        assert_eq!(
            synced.battery_percent,
            Some(80),
            "an unknown level keeps the last"
        );
        assert_eq!(synced.last_sync, Some(at));
        Ok(())
    }
}
