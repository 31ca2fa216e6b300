//! The errors a report can end with, worded as coverage.py words them.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ReportError {
    /// No file to report on (coverage.py's `NoDataError`).
    #[error("No data to report.")]
    NoData,
    /// `--sort` names no column.
    #[error("Invalid sorting option: '{0}'")]
    InvalidSort(String),
    /// `--format` is not text, markdown or total.
    #[error("Unknown report format choice: '{0}'")]
    UnknownFormat(String),
    /// `fail_under` outside 0..=100.
    #[error("fail_under={0} is invalid. Must be between 0 and 100.")]
    InvalidFailUnder(String),
    /// The HTML report could not write its site (the message names the path).
    #[error("{0}")]
    Html(String),
    /// A template failed to render (a bug: the templates are ours).
    #[error("HTML template error: {0}")]
    Template(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
