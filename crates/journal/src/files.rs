//! Where a journal's files are in its data folder.

use std::path::{Path, PathBuf};

use crate::rotation;

/// The files of a journal inside its data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalFiles {
    /// The data folder.
    pub dir: PathBuf,
    /// `journal.db`, the encrypted database.
    pub db: PathBuf,
    /// `journal.db-wal`.
    pub wal: PathBuf,
    /// `journal.db-shm`.
    pub shm: PathBuf,
    /// `journal.key`, the wrapped keys.
    pub key: PathBuf,
    /// `journal.lock`, which programs hold while they use the journal (see `lock`).
    pub lock: PathBuf,
}

impl JournalFiles {
    /// The file names used in `dir`.
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            db: dir.join("journal.db"),
            wal: dir.join("journal.db-wal"),
            shm: dir.join("journal.db-shm"),
            key: dir.join("journal.key"),
            lock: dir.join("journal.lock"),
        }
    }

    /// Every file a journal may leave in its folder.
    pub fn all(&self) -> Vec<PathBuf> {
        vec![
            self.db.clone(),
            self.wal.clone(),
            self.shm.clone(),
            self.key.clone(),
            rotation::Next::of(self).db,
            rotation::Next::of(self).key,
            // Written by versions before 0.1 (the key file's temporary name then).
            self.key.with_extension("tmp"),
            self.db.with_extension("restoring"),
        ]
    }

    /// Whether any journal file exists.
    pub fn any_exists(&self) -> bool {
        self.all().iter().any(|p| p.exists())
    }
}
