//! Finding the Python files under a `source` directory, as coverage.py does to report files
//! that never ran: only directories that are packages (have `__init__.py`) are entered below the
//! top, unless namespace packages are included, and only names that look like real Python files.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

/// A `.py`/`.pyw` name without the characters editors and tools use for junk and backups.
static PYTHON_FILE_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^.#~!$@%^&*()+=,]+\.pyw?$").expect("a valid constant regex"));

/// The Python files under `dir`, sorted. Unreadable directories are skipped silently: this only
/// decides which never-run files to list, and coverage.py is as forgiving.
pub fn find_python_files(dir: &Path, include_namespace_packages: bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    walk(dir, true, include_namespace_packages, &mut found);
    found.sort();
    found
}

fn walk(dir: &Path, top: bool, namespaces: bool, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut files = Vec::new();
    let mut subdirs = Vec::new();
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        // Follow symlinks as os.walk does for files, but never into linked directories.
        if kind.is_dir() {
            subdirs.push(entry.path());
        } else {
            files.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    // Below the top, a directory without __init__.py is not importable, nor are its files.
    if !top && !namespaces && !files.iter().any(|f| f == "__init__.py") {
        return;
    }
    for name in files {
        if PYTHON_FILE_NAME.is_match(&name) {
            found.push(dir.join(name));
        }
    }
    for sub in subdirs {
        walk(&sub, false, namespaces, found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_packages_only_and_skips_junk_names() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        for (path, body) in [
            ("top.py", ""),
            ("gui.pyw", ""),
            ("notes.txt", ""),
            ("#autosave.py", ""),
            ("backup~.py", ""),
            ("pkg/__init__.py", ""),
            ("pkg/mod.py", ""),
            ("pkg/sub/__init__.py", ""),
            ("pkg/sub/deep.py", ""),
            ("scripts/tool.py", ""),
            ("pkg/data/loose.py", ""),
        ] {
            let p = r.join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, body).unwrap();
        }
        let rel = |v: Vec<PathBuf>| -> Vec<String> {
            v.iter()
                .map(|p| p.strip_prefix(r).unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(
            rel(find_python_files(r, false)),
            vec![
                "gui.pyw",
                "pkg/__init__.py",
                "pkg/mod.py",
                "pkg/sub/__init__.py",
                "pkg/sub/deep.py",
                "top.py"
            ]
        );
        let with_namespaces = rel(find_python_files(r, true));
        assert!(with_namespaces.contains(&"scripts/tool.py".to_owned()));
        assert!(with_namespaces.contains(&"pkg/data/loose.py".to_owned()));
    }
}
