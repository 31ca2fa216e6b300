//! Reusing the last run's pages without analysing their files again: before analysis, a file
//! whose source text and measured data hash as `status.json` recorded them, under the same
//! settings, needs neither analysis nor a new page; its index rows come from the record.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::HtmlOptions;
use super::index::{IndexKind, Row};
use super::status::{FileStatus, Status};
use crate::ReportError;
use crate::annotate::flat_rootname;
use crate::numbers::Numbers;

/// The identity of a file's inputs: its source (its bytes, or its decoded text: the same
/// bytes always decode the same way), its measured data as the data file gives it (lines or
/// arcs, in any stable textual form) and its name. Equal identities under equal settings give
/// equal pages.
pub fn input_hash(source: &[u8], data: &str, display_name: &str) -> String {
    super::status::digest([source, data.as_bytes(), display_name.as_bytes()])
}

/// A file the last run wrote a page for, from inputs that have not changed since.
#[derive(Clone, Debug)]
pub struct KeptFile {
    /// The file name as measured: the site orders its pages by it.
    pub path: String,
    pub display_name: String,
    pub(crate) has_arcs: bool,
    pub(crate) status: Arc<FileStatus>,
}

impl KeptFile {
    /// The file's counts, as recorded.
    pub fn numbers(&self) -> Numbers {
        self.status.index.nums.numbers()
    }

    /// Its function and class rows, as recorded.
    pub(crate) fn region_rows(&self) -> Vec<(IndexKind, Row)> {
        self.status
            .regions
            .iter()
            .filter_map(|row| {
                let kind = IndexKind::from_noun(&row.kind)?;
                Some((
                    kind,
                    Row {
                        url: row.url.clone(),
                        file: self.display_name.clone(),
                        region: row.region.clone(),
                        numbers: row.nums.numbers(),
                    },
                ))
            })
            .collect()
    }
}

/// The last run's record, when it was made with these settings.
#[derive(Debug, Default)]
pub struct Reuse {
    files: BTreeMap<String, Arc<FileStatus>>,
    has_arcs: bool,
}

/// `status.json` as the last run left it, read but not yet checked against this run's settings:
/// reading it (megabytes on a big project) can overlap reading the data, which those settings
/// depend on.
#[derive(Debug, Default)]
pub struct Recorded(Option<Status>);

impl Recorded {
    /// Reads `status.json` in the options' directory, if it is ours and of this version.
    pub fn read(options: &HtmlOptions) -> Recorded {
        Recorded(Status::read_any(&options.directory, &options.version))
    }
}

impl Reuse {
    /// What of `record` these settings can reuse; `has_arcs`: whether the data has arcs.
    pub fn from_record(
        record: Recorded,
        options: &HtmlOptions,
        has_arcs: bool,
    ) -> Result<Reuse, ReportError> {
        let globals = super::globals(options, has_arcs)?;
        let files = record
            .0
            .filter(|s| s.globals == globals)
            .map(|s| s.files.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
            .unwrap_or_default();
        Ok(Reuse { files, has_arcs })
    }

    /// The record of the file if its inputs still hash to `input` and its page is there.
    pub fn keep(
        &self,
        path: &str,
        display_name: &str,
        input: &str,
        options: &HtmlOptions,
    ) -> Option<KeptFile> {
        let rootname = flat_rootname(display_name);
        let status = self.files.get(&rootname)?;
        if status.input != input || status.index.file != display_name {
            return None;
        }
        if !options.directory.join(format!("{rootname}.html")).is_file() {
            return None;
        }
        Some(KeptFile {
            path: path.to_owned(),
            display_name: display_name.to_owned(),
            has_arcs: self.has_arcs,
            status: Arc::clone(status),
        })
    }
}
