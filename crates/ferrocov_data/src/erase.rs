//! `erase`: remove a data file, its shard directory and its parallel files.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::DataError;
use crate::inputs::shard_dir_for;

/// Removes `data_file`, `shard_dir_for(data_file)` with everything in it, and the
/// `<data_file>.*` parallel files (and `<data_file>-journal`) in the same directory.
/// Files that don't exist are fine.
pub fn erase(data_file: &Path) -> Result<(), DataError> {
    remove_file(data_file)?;
    let mut journal = data_file.as_os_str().to_owned();
    journal.push("-journal");
    remove_file(Path::new(&journal))?;

    let shard_dir = shard_dir_for(data_file);
    match fs::remove_dir_all(&shard_dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(DataError::io(shard_dir, e)),
    }

    let Some(name) = data_file.file_name() else {
        return Ok(());
    };
    let prefix = format!("{}.", name.to_string_lossy());
    let dir = match data_file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(DataError::io(dir, e)),
    };
    for entry in entries.flatten() {
        let is_file = entry.file_type().is_ok_and(|t| !t.is_dir());
        if is_file && entry.file_name().to_string_lossy().starts_with(&prefix) {
            remove_file(&entry.path())?;
        }
    }
    Ok(())
}

fn remove_file(path: &Path) -> Result<(), DataError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(DataError::io(path, e)),
    }
}
