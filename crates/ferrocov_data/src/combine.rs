//! `combine`: merge shards and coverage.py data files into the data file, then clean up.
//!
//! Safety rules for deleting inputs: only after the combined data file was written; never a
//! file that failed to read (it is kept and named in a warning); never a shard whose writer
//! is still alive (its data is included, the file stays for the next combine).

use std::collections::HashSet;
use std::fs::{self, File, TryLockError};
use std::hash::{DefaultHasher, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};

use ferrocov_shard::parse_shard;

use crate::coverage_data::CoverageData;
use crate::error::DataError;
use crate::inputs::{Input, InputKind, collect_inputs};
use crate::read::read_data_file;
use crate::write::{WriteMeta, write_data_file};

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
    fn note(&mut self, enabled: bool, message: impl FnOnce() -> String) {
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

    let mut data = if req.append && data_file_exists {
        read_data_file(req.data_file)?
    } else {
        CoverageData::new()
    };
    let mut hashes = HashSet::new();
    let mut deletable = Vec::new();
    for input in &inputs.files {
        let Some(loaded) = load(input, req.debug, &mut report) else {
            continue;
        };
        if !hashes.insert(loaded.hash) {
            report.skipped += 1;
            report.note(req.debug, || {
                format!("Skipping duplicate data {}", input.path.display())
            });
        } else {
            data.merge(loaded.data, req.remap);
            report.combined += 1;
            report.note(req.debug, || format!("Combined {}", input.path.display()));
        }
        if loaded.deletable {
            deletable.push(input.path.clone());
        }
    }

    if report.combined == 0 {
        // Nothing new: leave the data file (and the inputs) as they are; shard directories
        // already emptied (a run whose unreadable shards were removed by hand) can go.
        if !req.keep {
            remove_empty_dirs(req.data_file, &inputs.shard_dirs, req.debug, &mut report);
        }
        return Ok(report);
    }
    for path in &req.touch {
        data.touch_file(&(req.remap)(path));
    }
    write_data_file(req.data_file, &data, &WriteMeta::default())?;

    if !req.keep {
        for path in deletable {
            match fs::remove_file(&path) {
                Ok(()) => report.note(req.debug, || format!("Deleted {}", path.display())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => report
                    .warnings
                    .push(format!("Couldn't delete {}: {e}", path.display())),
            }
        }
        remove_empty_dirs(req.data_file, &inputs.shard_dirs, req.debug, &mut report);
    }
    Ok(report)
}

/// Removes the shard directories that are empty now, then the data file's directory of runs if
/// that is empty too.
fn remove_empty_dirs(
    data_file: &Path,
    shard_dirs: &[PathBuf],
    debug: bool,
    report: &mut CombineReport,
) {
    for dir in shard_dirs {
        // What a process killed while creating its shard left: never renamed, so never read.
        for stale in ferrocov_shard::stale_temp_files(dir).unwrap_or_default() {
            if fs::remove_file(&stale).is_ok() {
                report.note(debug, || format!("Deleted {}", stale.display()));
            }
        }
        // Fails (harmlessly) while a live shard or a foreign file remains.
        if fs::remove_dir(dir).is_ok() {
            report.note(debug, || format!("Removed {}", dir.display()));
        }
    }
    // The per-run directories live in one directory next to the data file; once the last
    // run's is gone, so is that one (it fails harmlessly while another run is in progress).
    let runs_dir = crate::shard_dir_for(data_file);
    if shard_dirs.iter().any(|dir| dir.parent() == Some(&runs_dir))
        && fs::remove_dir(&runs_dir).is_ok()
    {
        report.note(debug, || format!("Removed {}", runs_dir.display()));
    }
}

/// One input, read successfully.
struct Loaded {
    data: CoverageData,
    hash: u128,
    /// False for shards whose writer is still alive.
    deletable: bool,
}

/// Reads one input; on failure records a warning and returns `None` (the file is kept).
fn load(input: &Input, debug: bool, report: &mut CombineReport) -> Option<Loaded> {
    let path = &input.path;
    let result = match input.kind {
        InputKind::Shard => load_shard(path, debug, report),
        InputKind::DataFile => load_data_file(path).map_err(|e| e.to_string()),
    };
    match result {
        Ok(loaded) => Some(loaded),
        Err(e) => {
            report
                .warnings
                .push(format!("Couldn't combine {}: {e}", path.display()));
            None
        }
    }
}

fn load_data_file(path: &Path) -> Result<Loaded, DataError> {
    let bytes = fs::read(path).map_err(|e| DataError::io(path, e))?;
    let data = read_data_file(path)?;
    Ok(Loaded {
        data,
        hash: content_hash(&bytes),
        deletable: true,
    })
}

fn load_shard(path: &Path, debug: bool, report: &mut CombineReport) -> Result<Loaded, String> {
    let mut file = File::open(path).map_err(|e| e.to_string())?;
    // A writer holds a shared lock for its whole life. If we can take the exclusive lock,
    // every writer of this shard is gone, so what we read now is final and safe to delete.
    let live = match file.try_lock() {
        Ok(()) => false,
        Err(TryLockError::WouldBlock) => true,
        Err(TryLockError::Error(e)) => return Err(format!("couldn't lock: {e}")),
    };
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    drop(file);
    let contents = parse_shard(path, &bytes).map_err(|e| e.to_string())?;
    if let Some(torn) = &contents.torn_tail {
        // Expected after a crash mid-write; the valid prefix is used. Not a user warning.
        report.note(debug, || {
            format!("Shard {} has a torn tail: {torn}", path.display())
        });
    }
    if live {
        report.note(debug, || {
            format!(
                "Shard {} is still being written (pid {}): combined but kept",
                path.display(),
                contents.pid
            )
        });
    }
    let mut data = CoverageData::new();
    for file in contents.files {
        data.add_lines(&file.path, "", file.lines);
    }
    Ok(Loaded {
        data,
        hash: content_hash(&bytes),
        deletable: !live,
    })
}

/// A 128-bit content hash for spotting duplicate inputs (copies of the same file).
/// Two SipHash runs with different leading bytes; the hashers' fixed keys make it stable
/// within a process, which is all duplicate detection needs.
fn content_hash(bytes: &[u8]) -> u128 {
    let mut first = DefaultHasher::new();
    first.write_u8(1);
    first.write(bytes);
    let mut second = DefaultHasher::new();
    second.write_u8(2);
    second.write(bytes);
    (u128::from(first.finish()) << 64) | u128::from(second.finish())
}
