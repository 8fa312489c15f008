//! How the journal's files reach the disk: private to their owner (folders 0700, files 0600
//! on Unix), replaced so that a crash leaves the old file or the new one and never a mix, and
//! made durable before anything depends on them.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The start of the names work in progress is written under (then a random part and
/// `.partial`), so no other file of the folder is ever touched and what a crash left behind
/// can be recognised and removed.
pub(crate) const PARTIAL_PREFIX: &str = ".vitalog-";

/// A folder builder whose folders only this user can open.
fn private_dir_builder() -> std::fs::DirBuilder {
    #[allow(unused_mut)] // Only Unix has a mode to set.
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
}

/// Open options whose new files only this user can read.
pub(crate) fn private_file_options() -> std::fs::OpenOptions {
    #[allow(unused_mut)] // Only Unix has a mode to set.
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Creates `dir` if it is missing, readable by this user only (an existing folder, which may
/// be shared such as a test's temp dir, is left as it is).
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        return Ok(());
    }
    private_dir_builder()
        .recursive(true)
        .create(dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))
}

/// A new folder `<prefix>-<UTC time>` (with a number added if that exists) inside `dir`,
/// readable by this user only.
pub(crate) fn new_private_dir(dir: &Path, prefix: &str) -> Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    for attempt in 0..1000 {
        let name = match attempt {
            0 => format!("{prefix}-{stamp}"),
            n => format!("{prefix}-{stamp}-{n}"),
        };
        let path = dir.join(name);
        match private_dir_builder().create(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(format!("cannot create {}", path.display()), e)),
        }
    }
    Err(Error::Invalid(format!(
        "too many {prefix} folders in {}: move some away",
        dir.display()
    )))
}

/// Creates an empty file at `path` readable by this user only, so the database opened on it
/// (and its `-wal` and `-shm`, which SQLite gives the database file's permissions) are too.
pub(crate) fn create_private_file(path: &Path) -> Result<()> {
    private_file_options()
        .write(true)
        .create_new(true)
        .open(path)
        .map(drop)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))
}

/// Makes an existing file readable by this user only (on Unix; elsewhere the user's profile
/// folder already is). A file that is missing or cannot be changed is left as it is.
pub(crate) fn make_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// `path` with `suffix` appended to its file name.
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// A new empty file in `dir`, readable by this user only (tempfile creates it with mode 0600),
/// under a fresh random name that starts with [`PARTIAL_PREFIX`]; removed when dropped.
pub(crate) fn partial_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(PARTIAL_PREFIX)
        .suffix(".partial")
        .tempfile_in(dir)
}

/// Whether `name` is one [`partial_file_in`] gives.
pub(crate) fn is_partial(name: &str) -> bool {
    name.starts_with(PARTIAL_PREFIX) && name.ends_with(".partial")
}

/// Replaces `path` with `bytes` so a crash leaves either the old or the new file, never a mix;
/// the file is readable by this user only.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let context = || format!("cannot write {}", path.display());
    let mut file = partial_file_in(dir).map_err(|e| Error::io(context(), e))?;
    file.write_all(bytes).map_err(|e| Error::io(context(), e))?;
    file.as_file()
        .sync_all()
        .map_err(|e| Error::io(context(), e))?;
    file.persist(path)
        .map_err(|e| Error::io(context(), e.error))?;
    sync_dir(dir);
    Ok(())
}

/// Renames `from` over `to` and makes the rename durable.
pub(crate) fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .map_err(|e| Error::io(format!("cannot replace {}", to.display()), e))?;
    if let Some(dir) = to.parent() {
        sync_dir(dir);
    }
    Ok(())
}

/// Makes the names in `dir` durable (a rename or a new file) where the platform can; where it
/// cannot, the next write of the folder does.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Flushes a file written by SQLite to disk before it is renamed into place.
pub(crate) fn sync_file(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Writes zeros over the whole of an existing file, in the blocks it has (a rename over it
/// would only free them); a file that is missing or cannot be written is left to removal.
pub(crate) fn overwrite_in_place(path: &Path) {
    let Ok(mut file) = std::fs::OpenOptions::new().write(true).open(path) else {
        return;
    };
    let Ok(meta) = file.metadata() else {
        return;
    };
    let zeros = vec![0u8; usize::try_from(meta.len()).unwrap_or(0)];
    if file.write_all(&zeros).is_ok() {
        let _ = file.sync_all();
    }
}

/// Removes a file; one that is not there is not an error.
pub(crate) fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(format!("cannot remove {}", path.display()), e)),
    }
}
