//! Encrypted backups. A backup file holds the journal's key file (so the passphrase or the
//! recovery key current at backup time opens it on another machine), a fresh backup key
//! sealed under the data key, and a copy of the database made with `sqlcipher_export` and
//! encrypted under the backup key:
//!
//! ```text
//! magic "VTLGBKUP" | format u16 = 1 | key file length u32 | key file
//! | nonce [12] | sealed backup key [48] | database length u64 | database
//! ```
//!
//! The sealed backup key's associated data covers the header, the key file and a SHA-256 of the
//! database bytes, so any altered byte makes the backup refuse to restore.

use std::path::Path;

use rusqlite::Connection;

use crate::disk::{self, partial_file_in, write_atomically};
use crate::error::{Error, Result};
use crate::keys::DataKey;
use crate::keys::keyfile::KeyFile;
use crate::store::cipher::PageLayout;
use crate::store::{self, OpenMode};

const MAGIC: &[u8; 8] = b"VTLGBKUP";
const FORMAT: u16 = 1;

fn aad(key_file: &[u8], db: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(8 + 2 + key_file.len() + 32);
    aad.extend_from_slice(MAGIC);
    aad.extend_from_slice(&FORMAT.to_le_bytes());
    aad.extend_from_slice(key_file);
    aad.extend_from_slice(ring::digest::digest(&ring::digest::SHA256, db).as_ref());
    aad
}

/// Copies the open database into `target` (an empty file its caller made private), encrypted
/// under `key` in `layout`.
pub(crate) fn export_database(
    conn: &Connection,
    target: &Path,
    key: &DataKey,
    layout: PageLayout,
) -> Result<()> {
    let version = store::migrations::current_version(conn)?;
    let path = target
        .to_str()
        .ok_or_else(|| Error::Invalid("the backup path is not valid UTF-8".into()))?;
    conn.execute(
        "ATTACH DATABASE ?1 AS vitalog_copy KEY ?2",
        rusqlite::params![path, key.sqlcipher_literal().as_str()],
    )?;
    let result = (|| -> Result<()> {
        layout.apply(conn, "vitalog_copy")?;
        conn.query_row("SELECT sqlcipher_export('vitalog_copy')", [], |_| Ok(()))?;
        conn.execute_batch(&format!("PRAGMA vitalog_copy.user_version = {version}"))?;
        Ok(())
    })();
    conn.execute("DETACH DATABASE vitalog_copy", [])?;
    result
}

/// Writes a backup of the open journal to `out`, working in `journal_dir`.
pub(crate) fn write(
    conn: &Connection,
    key_file: &KeyFile,
    dek: &DataKey,
    journal_dir: &Path,
    out: &Path,
) -> Result<()> {
    let backup_key = DataKey::generate()?;
    // The copy is made in the journal's own folder (not beside the backup, where the patient
    // chose one file, not two), under a name of its own: the app and the command line may
    // back up at once. It is removed when `temp` drops.
    let temp = partial_file_in(journal_dir)
        .map_err(|e| Error::io("cannot create the backup copy", e))?
        .into_temp_path();
    // The copy is laid out as the journal is, which the key file it travels with records.
    export_database(conn, &temp, &backup_key, key_file.page_layout())?;
    let db = std::fs::read(&temp).map_err(|e| Error::io("cannot read the backup copy", e))?;
    let key_file_bytes = key_file.to_bytes();
    let (nonce, sealed) =
        crate::keys::seal_with_data_key(dek, backup_key.as_bytes(), &aad(&key_file_bytes, &db))?;
    let backup = Backup {
        key_file_bytes,
        key_file: key_file.clone(),
        nonce,
        sealed,
        db,
    };
    write_atomically(out, &backup.to_bytes())
}

/// A parsed backup file.
pub(crate) struct Backup {
    pub key_file_bytes: Vec<u8>,
    pub key_file: KeyFile,
    nonce: [u8; 12],
    sealed: [u8; 48],
    pub db: Vec<u8>,
}

impl Backup {
    pub(crate) fn read(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        Self::from_bytes(&bytes, path)
    }

    /// Parses backup bytes strictly; `path` only names the file in errors.
    pub(crate) fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self> {
        let damaged = || Error::BackupDamaged;
        let take = |at: &mut usize, n: usize| -> Result<&[u8]> {
            // A length field may claim more than any file holds: check before adding.
            let end = at.checked_add(n).ok_or_else(damaged)?;
            let s = bytes.get(*at..end).ok_or_else(damaged)?;
            *at = end;
            Ok(s)
        };
        let mut at = 0;
        if take(&mut at, 8)? != MAGIC {
            return Err(damaged());
        }
        let format = u16::from_le_bytes(take(&mut at, 2)?.try_into().map_err(|_| damaged())?);
        if format != FORMAT {
            return Err(Error::UnsupportedFormat { found: format });
        }
        let key_len = u32::from_le_bytes(take(&mut at, 4)?.try_into().map_err(|_| damaged())?);
        let key_file_bytes = take(&mut at, key_len as usize)?.to_vec();
        let key_file = KeyFile::from_bytes(&key_file_bytes, path).map_err(|e| match e {
            Error::KeyFileDamaged { .. } => damaged(),
            other => other,
        })?;
        let nonce: [u8; 12] = take(&mut at, 12)?.try_into().map_err(|_| damaged())?;
        let sealed: [u8; 48] = take(&mut at, 48)?.try_into().map_err(|_| damaged())?;
        let db_len = u64::from_le_bytes(take(&mut at, 8)?.try_into().map_err(|_| damaged())?);
        let db_len = usize::try_from(db_len).map_err(|_| damaged())?;
        let db = take(&mut at, db_len)?.to_vec();
        if at != bytes.len() {
            return Err(damaged());
        }
        Ok(Backup {
            key_file_bytes,
            key_file,
            nonce,
            sealed,
            db,
        })
    }

    /// The length of [`Backup::to_bytes`].
    pub(crate) fn encoded_len(&self) -> u64 {
        let fixed = MAGIC.len() + 2 + 4 + 12 + 48 + 8;
        (fixed + self.key_file_bytes.len() + self.db.len()) as u64
    }

    /// The file's bytes.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut file = Vec::with_capacity(self.encoded_len() as usize);
        file.extend_from_slice(MAGIC);
        file.extend_from_slice(&FORMAT.to_le_bytes());
        file.extend_from_slice(&(self.key_file_bytes.len() as u32).to_le_bytes());
        file.extend_from_slice(&self.key_file_bytes);
        file.extend_from_slice(&self.nonce);
        file.extend_from_slice(&self.sealed);
        file.extend_from_slice(&(self.db.len() as u64).to_le_bytes());
        file.extend_from_slice(&self.db);
        file
    }

    /// The backup key, given the data key unwrapped from the backup's key file.
    pub(crate) fn backup_key(&self, dek: &DataKey) -> Result<DataKey> {
        crate::keys::open_with_data_key(
            dek,
            &self.nonce,
            &self.sealed,
            &aad(&self.key_file_bytes, &self.db),
        )
        .ok_or(Error::BackupDamaged)
    }
}

/// Rebuilds `db_path` (which must not exist) from a backup, re-encrypted under `dek`.
pub(crate) fn restore_database(
    backup: &Backup,
    backup_key: &DataKey,
    db_path: &Path,
    dek: &DataKey,
) -> Result<()> {
    // Before the work below, whose failure removes `db_path`: a file already there stays.
    disk::create_private_file(db_path)?;
    let temp = db_path.with_extension("restoring");
    let result = (|| -> Result<()> {
        let _ = std::fs::remove_file(&temp);
        disk::create_private_file(&temp)?;
        std::fs::write(&temp, &backup.db)
            .map_err(|e| Error::io("cannot write the restored copy", e))?;
        let layout = backup.key_file.page_layout();
        let conn = store::open_keyed(&temp, backup_key, layout, OpenMode::Existing)
            .map_err(|_| Error::BackupDamaged)?;
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|_| Error::BackupDamaged)?;
        if check != "ok" {
            return Err(Error::BackupDamaged);
        }
        export_database(&conn, db_path, dek, layout)
    })();
    let _ = std::fs::remove_file(&temp);
    if result.is_err() {
        let _ = std::fs::remove_file(db_path);
    }
    result
}
