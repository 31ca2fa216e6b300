//! Putting the report's files on disk so that no reader, and no later run, ever sees half of
//! one: each file is written under a temporary name in its directory and renamed into place.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::ReportError;

/// The start of the names files are written under before they are renamed into place.
const TEMP_PREFIX: &str = ".ferrocov-tmp-";

/// Creates the directory and removes what an earlier run killed mid-write left of its
/// temporary files (ours only: nothing else in the directory is touched); says whether it
/// was empty (or new).
pub(super) fn prepare_directory(directory: &Path) -> Result<bool, ReportError> {
    std::fs::create_dir_all(directory).map_err(|err| {
        ReportError::Html(format!(
            "cannot create the directory {}: {err}",
            directory.display()
        ))
    })?;
    let entries = std::fs::read_dir(directory).map_err(|err| write_error(directory, err))?;
    let mut empty = true;
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            remove_if_present(&entry.path())?;
        } else {
            empty = false;
        }
    }
    Ok(empty)
}

pub(super) fn remove_if_present(path: &Path) -> Result<(), ReportError> {
    match std::fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(write_error(path, err)),
        _ => Ok(()),
    }
}

fn write_error(path: &Path, err: std::io::Error) -> ReportError {
    ReportError::Html(format!("cannot write {}: {err}", path.display()))
}

/// Writes a file whole or not at all: under a temporary name in the same directory, then
/// renamed over the old one, so that a run killed mid-write never leaves a truncated page
/// (or index) under a name a reader or the next run trusts.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    write_parts(path, std::iter::once(bytes))
}

/// [`write_file`] for a file made of consecutive parts.
pub(super) fn write_parts<'a>(
    path: &Path,
    parts: impl IntoIterator<Item = &'a [u8]>,
) -> Result<(), ReportError> {
    stage(path, |out| {
        parts.into_iter().try_for_each(|part| out.write_all(part))
    })?
    .commit()
}

/// A file written whole under its temporary name, put in place by [`Staged::commit`] (and
/// removed if never committed): the writing can happen early, in parallel with other work,
/// and the file still appears in its turn.
pub(super) struct Staged {
    temp: PathBuf,
    path: PathBuf,
    committed: bool,
}

/// Writes `path`'s content, through `write`, under a temporary name beside it.
pub(super) fn stage(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<Staged, ReportError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let staged = Staged {
        temp: path.with_file_name(format!("{TEMP_PREFIX}{}-{name}", std::process::id())),
        path: path.to_owned(),
        committed: false,
    };
    let written = std::fs::File::create(&staged.temp).and_then(|file| {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        write(&mut out)?;
        out.flush()
    });
    written.map_err(|err| write_error(path, err))?;
    Ok(staged)
}

impl Staged {
    pub(super) fn commit(mut self) -> Result<(), ReportError> {
        std::fs::rename(&self.temp, &self.path).map_err(|err| write_error(&self.path, err))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staged_file_appears_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("status.json");
        let names = || {
            let mut names: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let staged = stage(&path, |out| out.write_all(b"{}")).unwrap();
        assert!(!path.exists());
        assert_eq!(names().len(), 1);
        staged.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        assert_eq!(names(), ["status.json"]);
        // Dropped uncommitted (the run failed before its turn): nothing of it is left, and the
        // file in place is untouched.
        drop(stage(&path, |out| out.write_all(b"new")).unwrap());
        assert_eq!(names(), ["status.json"]);
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        // A writer that fails: an error naming the file, no temporary file left.
        let err = stage(&path, |_| Err(std::io::Error::other("disk full")))
            .err()
            .unwrap();
        assert!(err.to_string().contains("status.json"), "{err}");
        assert_eq!(names(), ["status.json"]);
    }

    #[test]
    fn writes_replace_whole_files_and_leftovers_are_ours_only() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        assert!(prepare_directory(&site).unwrap());
        write_file(&site.join("a.html"), b"one").unwrap();
        write_file(&site.join("a.html"), b"two").unwrap();
        assert_eq!(std::fs::read(site.join("a.html")).unwrap(), b"two");
        // What a killed run left, and a file of the user's.
        std::fs::write(site.join(format!("{TEMP_PREFIX}1-b.html")), b"half").unwrap();
        std::fs::write(site.join("notes.txt"), b"mine").unwrap();
        assert!(!prepare_directory(&site).unwrap());
        let mut names: Vec<String> = std::fs::read_dir(&site)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.html", "notes.txt"]);
        // A page path that is a directory: an error naming it, no temporary file left.
        std::fs::create_dir(site.join("c.html")).unwrap();
        std::fs::write(site.join("c.html/x"), b"").unwrap();
        let err = write_file(&site.join("c.html"), b"page").unwrap_err();
        assert!(err.to_string().contains("c.html"), "{err}");
        assert_eq!(std::fs::read_dir(&site).unwrap().count(), 3);
    }
}
