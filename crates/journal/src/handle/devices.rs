//! The monitors the journal has heard from: identity, pairing, sync position and state, and which cuff user is which person.

use super::prelude::*;

impl Journal {
    /// Finds a device by identity (updating its descriptive fields) or adds it.
    pub fn register_device(&mut self, info: &DeviceInfo) -> Result<DeviceId> {
        devices::register(&self.conn, info)
    }

    /// A device and its sync state.
    pub fn device(&self, id: DeviceId) -> Result<Device> {
        devices::get(&self.conn, id)
    }

    /// The device with this identity, if the journal knows it.
    pub fn device_by_identity(&self, identity: &str) -> Result<Option<Device>> {
        devices::by_identity(&self.conn, identity)
    }

    /// Every device the journal knows, oldest first.
    pub fn devices(&self) -> Result<Vec<Device>> {
        devices::list(&self.conn)
    }

    /// Marks a device as paired by the patient (background sync watches it) or forgotten. Its
    /// readings stay either way.
    pub fn set_device_paired(&mut self, id: DeviceId, paired: bool) -> Result<()> {
        devices::set_paired(&self.conn, id, paired)
    }

    /// Sets where the next sync of a device starts: after this sequence number, or from the
    /// first record (`None`). Adding readings only ever raises it; a sync whose meter was
    /// reset, or that stopped with a gap, sets it to what its session found safe.
    pub fn set_last_sequence(&mut self, id: DeviceId, last: Option<i64>) -> Result<()> {
        devices::set_last_sequence(&self.conn, id, last)
    }

    /// Notes what a device measures (the link's stable kind name) before it first syncs.
    pub fn set_device_kind(&mut self, id: DeviceId, kind: readings::MonitorKind) -> Result<()> {
        devices::set_kind(&self.conn, id, kind)
    }

    /// Notes a finished sync of a device (its kind, battery level and the time).
    pub fn record_sync(&mut self, id: DeviceId, sync: &SyncMark) -> Result<()> {
        devices::record_sync(&self.conn, id, sync)
    }

    /// Records the device clock's offset from the collector's, in seconds.
    pub fn set_clock_drift(&mut self, id: DeviceId, drift_s: i64) -> Result<()> {
        devices::set_clock_drift(&self.conn, id, drift_s)
    }

    /// Assigns a user slot of a shared device (e.g. a cuff's user 2) to a person.
    pub fn map_device_user(&mut self, device: DeviceId, user: u8, person: PersonId) -> Result<()> {
        devices::map_user(&self.conn, device, user, person)
    }

    /// The person a device's user slot belongs to, if assigned.
    pub fn person_for_device_user(&self, device: DeviceId, user: u8) -> Result<Option<PersonId>> {
        devices::person_for_user(&self.conn, device, user)
    }
}
