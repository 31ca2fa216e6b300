//! Removing what a combine used up: the combined inputs, then the shard directories left empty.
//!
//! Each unlink or rmdir mostly waits on the filesystem (journal, discard), not on the CPU: on
//! the project's CI machines one takes 0.1 ms when the disk is quiet and up to 2.5 ms while
//! other builds use it, i.e. seconds for a thousand inputs one after another. So they are done
//! many at a time (`fan_out`); the report lists them in input order all the same.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::combine::CombineReport;
use crate::fan_out::{Work, in_parallel};

/// Deletes `paths`, noting each deletion and warning about each failure (a file already gone
/// is fine).
pub(crate) fn delete_inputs(paths: &[PathBuf], debug: bool, report: &mut CombineReport) {
    let results = in_parallel(paths, Work::Wait, |path| fs::remove_file(path));
    for (path, result) in paths.iter().zip(results) {
        match result {
            Ok(()) => report.note(debug, || format!("Deleted {}", path.display())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => report
                .warnings
                .push(format!("Couldn't delete {}: {e}", path.display())),
        }
    }
}

/// Removes the shard directories that are empty now, then the data file's directory of runs if
/// that is empty too.
pub(crate) fn remove_empty_dirs(
    data_file: &Path,
    shard_dirs: &[PathBuf],
    debug: bool,
    report: &mut CombineReport,
) {
    let outcomes = in_parallel(shard_dirs, Work::Wait, |dir| {
        // Fails (harmlessly) while a live shard or a foreign file remains. Most directories
        // are empty by now, so they are not listed again unless this fails.
        if fs::remove_dir(dir).is_ok() {
            return (Vec::new(), true);
        }
        // What a process killed while creating its shard left: never renamed, so never read.
        let mut deleted = Vec::new();
        for stale in ferrocov_shard::stale_temp_files(dir).unwrap_or_default() {
            if fs::remove_file(&stale).is_ok() {
                deleted.push(stale);
            }
        }
        // A run's directory comes before its parent in `shard_dirs`, but here they may be
        // tried at the same time: a parent that was not empty yet is tried again below.
        let removed = !deleted.is_empty() && fs::remove_dir(dir).is_ok();
        (deleted, removed)
    });
    let mut parents_to_retry = Vec::new();
    for (dir, (deleted, removed)) in shard_dirs.iter().zip(outcomes) {
        for stale in deleted {
            report.note(debug, || format!("Deleted {}", stale.display()));
        }
        if removed {
            report.note(debug, || format!("Removed {}", dir.display()));
        } else if shard_dirs.iter().any(|d| d.parent() == Some(dir)) {
            parents_to_retry.push(dir);
        }
    }
    for dir in parents_to_retry {
        if fs::remove_dir(dir).is_ok() {
            report.note(debug, || format!("Removed {}", dir.display()));
        }
    }
    // The per-run directories live in one `<data file>-shards` directory; once the last run's
    // is gone, so is that one (it fails harmlessly while another run is in progress). Found
    // from the runs themselves: a parallel run combines into a file of another name.
    let mut runs_dirs: Vec<&Path> = shard_dirs
        .iter()
        .filter_map(|dir| dir.parent())
        .filter(|parent| *parent == crate::shard_dir_for(data_file) || is_shards_dir(parent))
        .collect();
    runs_dirs.sort();
    runs_dirs.dedup();
    for runs_dir in runs_dirs {
        if fs::remove_dir(runs_dir).is_ok() {
            report.note(debug, || format!("Removed {}", runs_dir.display()));
        }
    }
}

/// A directory named as [`crate::shard_dir_for`] names them.
fn is_shards_dir(dir: &Path) -> bool {
    dir.file_name()
        .is_some_and(|name| name.to_string_lossy().ends_with("-shards"))
}
