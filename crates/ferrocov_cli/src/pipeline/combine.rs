//! The first step of the pipeline: shards and parallel data files into the data file, with the
//! configuration's path mapping. Used by `ferrocov combine`, before every report, and at the end
//! of a measured run ([`finish_run`]).

use std::path::{Path, PathBuf};

use anyhow::Context;
use ferrocov_config::{GlobMatcher, LoadedConfig, PathAliases, find_python_files};
use ferrocov_data::CombineRequest;

use crate::diagnostics::Diagnostics;
use crate::setup::{RunPlan, RunTarget};

/// How to combine.
#[derive(Debug, Clone, Default)]
pub struct CombineOptions {
    /// Read only the named inputs, not the data file's shard directory and parallel files.
    pub only_inputs: bool,
    /// Files to record as measured even if no input mentions them.
    pub touch: Vec<String>,
    /// Start from the existing data file instead of replacing it.
    pub append: bool,
    /// Keep the inputs.
    pub keep: bool,
    /// Collect `combine` debug lines.
    pub debug: bool,
    /// Apply `[paths]`. coverage.py applies it when combining, never when a run saves its own
    /// data: a run's end (in parallel mode above all) keeps the paths as measured, for the
    /// combine that gathers several jobs to map.
    pub map_paths: bool,
}

/// Combines `inputs` into `data_file` with the configuration's path mapping; the combine's
/// warnings and debug lines go into `diagnostics`.
pub fn combine_into(
    data_file: &Path,
    inputs: Vec<PathBuf>,
    options: &CombineOptions,
    config: &LoadedConfig,
    cwd: &Path,
    diagnostics: &mut Diagnostics,
) -> anyhow::Result<ferrocov_data::CombineReport> {
    let run = &config.settings.run;
    let no_paths = Vec::new();
    let paths = if options.map_paths {
        &config.settings.paths
    } else {
        &no_paths
    };
    let aliases = PathAliases::new(paths, run.relative_files, cwd)
        .context("invalid [paths] configuration")?;
    let relative_files = run.relative_files;
    let remap = |path: &str| -> String {
        let mapped = aliases.map(path);
        if relative_files {
            relative_to(&mapped, cwd)
        } else {
            mapped
        }
    };
    let request = CombineRequest {
        data_file,
        inputs,
        only_inputs: options.only_inputs,
        touch: options.touch.clone(),
        append: options.append,
        keep: options.keep,
        remap: &remap,
        debug: options.debug,
    };
    let report = ferrocov_data::combine(&request)
        .with_context(|| format!("cannot combine into {}", data_file.display()))?;
    for warning in &report.warnings {
        diagnostics.warning(warning.clone());
    }
    for line in &report.debug {
        diagnostics.debug("combine", line.clone());
    }
    Ok(report)
}

/// With `relative_files`, coverage.py stores paths relative to the directory it ran in.
fn relative_to(path: &str, cwd: &Path) -> String {
    match Path::new(path).strip_prefix(cwd) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => path.to_owned(),
    }
}

/// Whether there is anything a report should combine first: shards of any run, or coverage.py
/// parallel files next to the data file.
pub fn pending_inputs(data_file: &Path) -> bool {
    let has_shards =
        |dir: &Path| ferrocov_shard::list_shards(dir).is_ok_and(|shards| !shards.is_empty());
    let shard_dir = ferrocov_data::shard_dir_for(data_file);
    let runs_have_shards = std::fs::read_dir(&shard_dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.path().is_dir() && has_shards(&entry.path()))
    });
    if has_shards(&shard_dir) || runs_have_shards {
        return true;
    }
    let Some(name) = data_file.file_name() else {
        return false;
    };
    let prefix = format!("{}.", name.to_string_lossy());
    let dir = data_file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.starts_with(&prefix) && !name.ends_with("-journal") && entry.path().is_file()
        })
    })
}

/// Ends a run: combines every shard the run's processes wrote, and `received` data files (sent
/// by xdist workers on other hosts), into the data file, or in parallel mode into a parallel
/// data file of its own (`.coverage.<host>.pid<pid>.X<random>x`, coverage.py's naming), which
/// `coverage combine`, `ferrocov combine` and a CI step's `.coverage.*` glob all find. A killed
/// process's shards are in it too. `source_dirs` are the run's resolved source directories:
/// their Python files that never ran are recorded too, so reports list them at 0% as
/// coverage.py's do. Problems come back as diagnostics, never as a failure of the program that
/// was measured.
pub fn finish_run(plan: &RunPlan, source_dirs: &[PathBuf], received: &[PathBuf]) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let (target, append) = if plan.parallel {
        (ferrocov_data::parallel_file_for(&plan.data_file), false)
    } else {
        (plan.data_file.clone(), true)
    };
    let mut inputs = vec![plan.shard_dir.clone()];
    inputs.extend(received.iter().cloned());
    let options = CombineOptions {
        only_inputs: true,
        touch: unexecuted_files(plan, source_dirs, &mut diagnostics),
        append,
        keep: false,
        debug: plan.debugs("combine"),
        // pytest-cov combines at a session's end, [paths] included; `coverage run` only saves.
        map_paths: matches!(plan.target, RunTarget::Session),
    };
    let combined = combine_into(
        &target,
        inputs,
        &options,
        &plan.config(),
        &plan.cwd,
        &mut diagnostics,
    );
    match combined {
        Ok(_) => {}
        // A parallel run that measured nothing leaves no file, as coverage.py's does.
        Err(err)
            if plan.parallel
                && err
                    .downcast_ref::<ferrocov_data::DataError>()
                    .is_some_and(|e| matches!(e, ferrocov_data::DataError::NoDataToCombine)) => {}
        Err(err) => diagnostics.error(&err),
    }
    diagnostics
}

/// Python files under the source directories that the omit patterns do not exclude, in the
/// canonical form the tracer records.
fn unexecuted_files(
    plan: &RunPlan,
    source_dirs: &[PathBuf],
    diagnostics: &mut Diagnostics,
) -> Vec<String> {
    let omit = match GlobMatcher::for_file_patterns(&plan.omit, &plan.cwd) {
        Ok(matcher) => Some(matcher),
        Err(err) => {
            diagnostics.warning(format!("ignoring invalid omit patterns: {err}"));
            None
        }
    };
    let namespaces = plan.settings.report.include_namespace_packages;
    source_dirs
        .iter()
        .filter(|dir| dir.is_dir())
        .flat_map(|dir| find_python_files(dir, namespaces))
        .map(|file| {
            ferrocov_config::real_path(&file)
                .unwrap_or(file)
                .to_string_lossy()
                .into_owned()
        })
        .filter(|file| {
            !omit
                .as_ref()
                .is_some_and(|m| !m.is_empty() && m.matches(file))
        })
        .collect()
}
