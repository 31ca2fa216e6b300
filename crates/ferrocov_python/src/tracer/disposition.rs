//! From a code object's file name to the decision whether it is measured: the name is made
//! canonical the way coverage.py stores it (absolute, symlinks resolved), then handed to the
//! configured [`FileSelector`].

use std::fmt;
use std::path::{Component, Path, PathBuf};

use ferrocov_config::{Decision, FileSelector};

pub(crate) enum Verdict {
    /// Measure it, recorded under this canonical path.
    Measure(String),
    /// Not measured, and why.
    Skip(String),
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Measure(path) => write!(f, "measured as {path}"),
            Verdict::Skip(reason) => write!(f, "not measured: {reason}"),
        }
    }
}

pub(crate) fn decide(selector: &FileSelector, filename: &str) -> Verdict {
    // Names like "<string>" or "<frozen os>" have no source file to report on.
    if filename.starts_with('<') || filename.is_empty() {
        return Verdict::Skip("not a real file name".to_owned());
    }
    let canonical = canonical_filename(filename);
    match selector.decide(&canonical) {
        Decision::Measure => Verdict::Measure(canonical),
        Decision::Skip(reason) => Verdict::Skip(reason),
    }
}

/// Absolute, with symlinks resolved when the file exists (coverage.py records real paths), and
/// lexically normalised when it does not.
pub(crate) fn canonical_filename(filename: &str) -> String {
    let path = Path::new(filename);
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(path),
            Err(_) => path.to_path_buf(),
        }
    };
    let resolved = ferrocov_config::real_path(&absolute).unwrap_or_else(|_| normalise(&absolute));
    resolved.to_string_lossy().into_owned()
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
