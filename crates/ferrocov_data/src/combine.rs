//! `combine`: merge shards and coverage.py data files into the data file, then clean up.
//!
//! Safety rules for deleting inputs: only after the combined data file was written; never a
//! file that failed to read (it is kept and named in a warning); never a shard whose writer
//! is still alive (its data is included, the file stays for the next combine).
//!
//! Inputs are read on several threads and merged on this one, in their listed order, while
//! the next ones are read: which inputs count as duplicates, the report and the data written
//! are the same as a serial combine's.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::cleanup::{delete_inputs, remove_empty_dirs};
use crate::error::DataError;
use crate::fan_out::{Work, in_order};
use crate::inputs::collect_inputs;
use crate::load::{DuplicateKey, load, same_bytes};
use crate::read::read_data_file;
use crate::union::LineUnion;
use crate::write::{WriteMeta, write_data_file};

/// How far reading may run ahead of merging: enough to keep every thread busy, few enough
/// that the inputs read but not merged yet (tens of KiB each) stay small.
const WINDOW: usize = 128;

/// What to combine and how.
pub struct CombineRequest<'a> {
    /// The data file to write (and the anchor for the run's shard directory).
    pub data_file: &'a Path,
    /// Extra files or directories named by the user.
    pub inputs: Vec<PathBuf>,
    /// Read only `inputs` (each directory as a shard directory), not the data file's shard
    /// directory and parallel files: how a run combines just its own shards at its end.
    pub only_inputs: bool,
    /// Start from the existing data file instead of replacing it.
    pub append: bool,
    /// Keep the inputs after combining.
    pub keep: bool,
    /// Files to record as measured even if no input mentions them (coverage.py's "touched"
    /// files: never-imported files under `source`, so reports show them at 0%).
    pub touch: Vec<String>,
    /// Path remapping (`[paths]`), applied to every path read from an input.
    pub remap: &'a dyn Fn(&str) -> String,
    /// Collect debug messages in the report.
    pub debug: bool,
}

/// The outcome of a combine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CombineReport {
    /// Inputs whose data went into the data file.
    pub combined: usize,
    /// Inputs skipped as duplicates of an earlier one.
    pub skipped: usize,
    /// Problems the user should see (unreadable inputs, failed deletions).
    pub warnings: Vec<String>,
    /// Details for `--debug` output (only filled when requested).
    pub debug: Vec<String>,
}

impl CombineReport {
    pub(crate) fn note(&mut self, enabled: bool, message: impl FnOnce() -> String) {
        if enabled {
            self.debug.push(message());
        }
    }
}

/// Combines the run's shards and the named inputs into `req.data_file` (see the module doc
/// and `collect_inputs` for which files are read).
pub fn combine(req: &CombineRequest<'_>) -> Result<CombineReport, DataError> {
    let inputs = collect_inputs(req.data_file, &req.inputs, req.only_inputs)?;
    let mut report = CombineReport {
        warnings: inputs.warnings,
        ..CombineReport::default()
    };
    let data_file_exists = req.data_file.exists();
    if inputs.files.is_empty() && !data_file_exists {
        return Err(DataError::NoDataToCombine);
    }

    let mut union = LineUnion::new(req.remap);
    if req.append && data_file_exists {
        union.add_base(&read_data_file(req.data_file)?);
    }
    // Inputs combined so far, by duplicate key (more than one path only when distinct
    // files share a byte hash).
    let mut combined: HashMap<DuplicateKey, Vec<PathBuf>> = HashMap::new();
    let mut deletable = Vec::new();
    // Line data and branch data don't combine: the first input of the other kind stops the
    // combine before anything is written or deleted, as coverage.py's combine stops.
    let mut mismatch: Option<DataError> = None;
    let debug = req.debug;
    in_order(
        &inputs.files,
        Work::Compute,
        WINDOW,
        |input| load(input, debug),
        |at, result| {
            if mismatch.is_some() {
                return;
            }
            let input = &inputs.files[at];
            let loaded = match result {
                Ok(loaded) => loaded,
                Err(e) => {
                    report
                        .warnings
                        .push(format!("Couldn't combine {}: {e}", input.path.display()));
                    return;
                }
            };
            if !union.accepts(loaded.lines.has_arcs) {
                mismatch = Some(DataError::CantCombine {
                    other: input.path.clone(),
                    other_has_arcs: loaded.lines.has_arcs,
                    data_file: req.data_file.to_path_buf(),
                });
                return;
            }
            report.debug.extend(loaded.notes);
            let by_name = matches!(loaded.key, DuplicateKey::NameHash(_));
            let earlier = combined.entry(loaded.key).or_default();
            if is_duplicate(by_name, earlier, &input.path) {
                report.skipped += 1;
                report.note(debug, || {
                    format!("Skipping duplicate data {}", input.path.display())
                });
            } else {
                earlier.push(input.path.clone());
                union.add_input(&loaded.lines);
                report.combined += 1;
                report.note(debug, || format!("Combined {}", input.path.display()));
            }
            if loaded.deletable {
                deletable.push(input.path.clone());
            }
        },
    );

    if let Some(error) = mismatch {
        return Err(error);
    }
    if report.combined == 0 {
        // Nothing new: leave the data file (and the inputs) as they are; shard directories
        // already emptied (a run whose unreadable shards were removed by hand) can go.
        if !req.keep {
            remove_empty_dirs(req.data_file, &inputs.shard_dirs, req.debug, &mut report);
        }
        return Ok(report);
    }
    let mut data = union.into_coverage_data();
    for path in &req.touch {
        data.touch_file(&(req.remap)(path));
    }
    write_data_file(req.data_file, &data, &WriteMeta::default())?;

    if !req.keep {
        delete_inputs(&deletable, req.debug, &mut report);
        remove_empty_dirs(req.data_file, &inputs.shard_dirs, req.debug, &mut report);
    }
    Ok(report)
}

/// Whether the input at `path` duplicates one combined earlier under the same key. coverage.py's
/// name hashes are trusted as coverage.py trusts them; equal byte hashes are confirmed by
/// comparing the files.
fn is_duplicate(by_name: bool, earlier: &[PathBuf], path: &Path) -> bool {
    if by_name {
        !earlier.is_empty()
    } else {
        earlier.iter().any(|first| same_bytes(first, path))
    }
}
