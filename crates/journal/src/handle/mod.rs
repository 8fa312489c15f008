//! The [`Journal`](crate::Journal) handle's methods, one module per concern. The work below
//! them lives in the crate's other modules: SQL in `entries`, `devices`, `people`, `audit`;
//! files in `disk`, `backup`, `rotation`, `lock`; keys in `keys`; the database in `store`.

mod alerts;
mod backup;
mod devices;
mod entries;
mod erase;
mod exchange;
mod keys;
mod lifecycle;
mod sharing;

/// What every handle module uses.
mod prelude {
    pub(super) use std::io::{BufRead, Write};
    pub(super) use std::path::{Path, PathBuf};

    pub(super) use readings::Kind;
    pub(super) use rusqlite::Connection;

    pub(super) use crate::keys::DataKey;
    pub(super) use crate::keys::keyfile::{KeyFile, Slot};
    pub(super) use crate::store::{self, OpenMode};
    pub(super) use crate::{
        AddOutcome, AuditRecord, BackupInfo, CreateOptions, Device, DeviceId, DeviceInfo,
        EngineSettings, Entry, EntryEdit, EntryId, Error, Filter, Format, ImportSummary, Journal,
        JournalFiles, KdfParams, Keychain, NewEntry, PageLayout, Person, PersonId, RecoveryKey,
        ReplacedKey, Result, SyncMark, Unlock, Version,
    };
    pub(super) use crate::{
        audit, backup, devices, disk, entries, exchange, keys, lock, people, rotation,
    };

    pub(super) use super::lifecycle::{
        closed_placeholder, load_device_key, read_key_file, unwrap_key,
    };
}
