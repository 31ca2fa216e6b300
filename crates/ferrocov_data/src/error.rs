//! `DataError`: why a data file could not be read, written, combined or erased.

use std::io;
use std::path::PathBuf;

/// An error about coverage data. Every variant that concerns a file names it.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("Couldn't access {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("Couldn't use data file {}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// Not SQLite, or SQLite without coverage.py's tables.
    #[error("Data file {} doesn't seem to be a coverage data file: {reason}", path.display())]
    NotCoverageData { path: PathBuf, reason: String },
    #[error(
        "Couldn't use data file {}: schema version {found}, but ferrocov reads version {expected}",
        path.display()
    )]
    WrongSchema {
        path: PathBuf,
        found: i64,
        expected: i64,
    },
    /// Combining branch data with line data, in coverage.py's words: `other` is the input of the
    /// other kind, `data_file` the data being combined into.
    #[error(
        "Can't combine {} coverage data with {} data: data file {} {} branch coverage, but data file {} {}",
        if *other_has_arcs { "branch" } else { "statement" },
        if *other_has_arcs { "statement" } else { "branch" },
        ferrocov_pytext::py_repr(&other.display().to_string()),
        if *other_has_arcs { "measured" } else { "didn't measure" },
        ferrocov_pytext::py_repr(&data_file.display().to_string()),
        if *other_has_arcs { "didn't" } else { "did" }
    )]
    CantCombine {
        other: PathBuf,
        other_has_arcs: bool,
        data_file: PathBuf,
    },
    #[error("Couldn't combine from non-existent path '{}'", path.display())]
    NoSuchInput { path: PathBuf },
    /// `combine` found no inputs and there is no data file.
    #[error("No data to combine")]
    NoDataToCombine,
}

impl DataError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> DataError {
        DataError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn sqlite(path: impl Into<PathBuf>, source: rusqlite::Error) -> DataError {
        DataError::Sqlite {
            path: path.into(),
            source,
        }
    }
}
