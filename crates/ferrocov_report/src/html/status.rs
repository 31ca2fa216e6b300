//! `status.json`: what the last run wrote into the directory, so an unchanged page is not
//! written again. Same shape as coverage.py's (format 5), with our version string, so that
//! either tool finds the other's file unusable and rebuilds everything.

use std::collections::BTreeMap;
use std::path::Path;

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

use crate::numbers::Numbers;

const FORMAT: u32 = 5;
const NOTE: &str = "ferrocov's record of the pages it wrote here, so that it can skip the \
                    unchanged ones next time. Not a report: see `ferrocov json` for one.";

/// A file's numbers as `status.json` keeps them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StatusNumbers {
    pub(crate) precision: u32,
    pub(crate) n_files: usize,
    pub(crate) n_statements: usize,
    pub(crate) n_excluded: usize,
    pub(crate) n_missing: usize,
    pub(crate) n_branches: usize,
    pub(crate) n_partial_branches: usize,
    pub(crate) n_missing_branches: usize,
}

impl StatusNumbers {
    pub(crate) fn new(n: Numbers, precision: u32) -> Self {
        StatusNumbers {
            precision,
            n_files: n.files,
            n_statements: n.statements,
            n_excluded: n.excluded,
            n_missing: n.missing,
            n_branches: n.branches,
            n_partial_branches: n.partial_branches,
            n_missing_branches: n.missing_branches,
        }
    }

    pub(crate) fn numbers(&self) -> Numbers {
        Numbers {
            files: self.n_files,
            statements: self.n_statements,
            excluded: self.n_excluded,
            missing: self.n_missing,
            branches: self.n_branches,
            partial_branches: self.n_partial_branches,
            missing_branches: self.n_missing_branches,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IndexEntry {
    pub(crate) url: String,
    pub(crate) file: String,
    pub(crate) description: String,
    pub(crate) nums: StatusNumbers,
}

/// A row of the function or class index, kept so an unchanged file needs no analysis to list
/// its regions (ours only: coverage.py's status has no such field).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredRow {
    /// `function` or `class`.
    pub(crate) kind: String,
    pub(crate) url: String,
    /// `None` for the code outside every region of the kind.
    pub(crate) region: Option<String>,
    pub(crate) nums: StatusNumbers,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileStatus {
    /// The page's hash: its inputs and its neighbours.
    pub(crate) hash: String,
    pub(crate) index: IndexEntry,
    /// The hash of the inputs alone (source text, measured data, name): equal inputs need no
    /// analysis.
    #[serde(default)]
    pub(crate) input: String,
    #[serde(default)]
    pub(crate) regions: Vec<StoredRow>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Status {
    note: String,
    format: u32,
    version: String,
    pub(crate) globals: String,
    pub(crate) files: BTreeMap<String, FileStatus>,
}

impl Status {
    pub(crate) fn new(version: &str, globals: String) -> Self {
        Status {
            note: NOTE.to_owned(),
            format: FORMAT,
            version: version_tag(version),
            globals,
            files: BTreeMap::new(),
        }
    }

    /// The status last written in `directory`, if it was ours, of this version, for these
    /// globals; otherwise nothing can be reused.
    pub(crate) fn read(directory: &Path, version: &str, globals: &str) -> Option<Status> {
        Status::read_any(directory, version).filter(|status| status.globals == globals)
    }

    /// The status last written in `directory`, if it was ours and of this version, whatever
    /// its globals.
    pub(crate) fn read_any(directory: &Path, version: &str) -> Option<Status> {
        let text = std::fs::read(directory.join("status.json")).ok()?;
        let status: Status = serde_json::from_slice(&text).ok()?;
        (status.format == FORMAT && status.version == version_tag(version)).then_some(status)
    }

    pub(crate) fn write_json(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer(out, self).map_err(std::io::Error::other)
    }
}

fn version_tag(version: &str) -> String {
    format!("ferrocov {version}")
}

/// A hex MD5 of the parts, each length-prefixed so that no two lists hash alike by accident.
pub(crate) fn digest<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hasher = Md5::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        let mut status = Status::new("1.0", "g".into());
        status.files.insert(
            "m_py".into(),
            FileStatus {
                hash: "h".into(),
                ..FileStatus::default()
            },
        );
        let mut json = Vec::new();
        status.write_json(&mut json).unwrap();
        std::fs::write(dir.path().join("status.json"), json).unwrap();
        assert_eq!(Status::read(dir.path(), "1.0", "g"), Some(status));
        assert_eq!(Status::read(dir.path(), "1.1", "g"), None);
        assert_eq!(Status::read(dir.path(), "1.0", "other"), None);
        std::fs::write(dir.path().join("status.json"), "{").unwrap();
        assert_eq!(Status::read(dir.path(), "1.0", "g"), None);
        assert_ne!(digest([&b"ab"[..], b"c"]), digest([&b"a"[..], b"bc"]));
    }
}
