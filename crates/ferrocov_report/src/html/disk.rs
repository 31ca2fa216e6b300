//! Putting the report's files on disk so that no reader, and no later run, ever sees half of
//! one: each file is written under a temporary name in its directory and renamed into place.

use std::path::Path;

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
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temp = path.with_file_name(format!("{TEMP_PREFIX}{}-{name}", std::process::id()));
    let written = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, path));
    written.map_err(|err| {
        let _ = std::fs::remove_file(&temp);
        write_error(path, err)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
