//! `ferrocov run`: resolve the options into a [`RunPlan`] and clear old data before the program
//! starts; [`finish_run`] combines the run's shards once the program has ended.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use ferrocov_config::{GlobMatcher, LoadedConfig, find_python_files};
use ferrocov_data::{run_dir_name, shard_dir_for};

use super::combine::{CombineOptions, combine_into};
use super::resolve_data_file;
use crate::args::RunArgs;
use crate::{EXIT_ERROR, EXIT_OK, Invocation, RunPlan, RunTarget, messages};

pub(crate) fn plan(
    args: RunArgs,
    config: LoadedConfig,
    debug: Vec<String>,
    invocation: &Invocation,
) -> anyhow::Result<RunPlan> {
    let run = &config.settings.run;
    let parallel = args.parallel_mode || run.parallel;
    let append = args.append;
    if append && parallel {
        bail!("Can't append to data files in parallel mode.");
    }
    if args.branch || run.branch {
        messages::warning(
            "branch coverage is not measured yet; ferrocov measures lines only in this version",
        );
    }
    let data_file = resolve_data_file(args.data_file.data_file.as_deref(), &config, invocation);
    let mut program = args.program.into_iter();
    let Some(first) = program.next() else {
        bail!("Nothing to do.");
    };
    let target = if args.module {
        RunTarget::Module(first)
    } else {
        RunTarget::Script(first)
    };
    // The command line replaces the configured lists, as coverage.py's options do.
    let pick = |cli: Vec<String>, configured: &[String]| {
        if cli.is_empty() {
            configured.to_vec()
        } else {
            cli
        }
    };
    let source = pick(args.source, run.source.as_deref().unwrap_or_default());
    let include = pick(args.include, &run.include);
    let omit = pick(args.omit, &run.omit);
    let source_dirs = configured_source_dirs(&run.source_dirs, &invocation.cwd)?;
    // Each run writes into a directory of its own, so its end combines exactly its own shards;
    // shards left by earlier killed or parallel runs wait for `ferrocov combine`, as coverage.py
    // leaves earlier parallel files alone. A parallel run combines nothing at its end, so its
    // shards go straight into the shard directory: a combine of many such runs then has no
    // directory per run to remove (each removal takes the shard directory's lock in turn,
    // 0.1 s per thousand runs on the project's machines, half the combine).
    let shard_dir = if parallel {
        shard_dir_for(&data_file)
    } else {
        shard_dir_for(&data_file).join(run_dir_name())
    };
    if !append && !parallel {
        remove_data_file(&data_file)?;
    }
    Ok(RunPlan {
        target,
        args: program.collect(),
        shard_dir,
        data_file,
        append,
        parallel,
        source,
        source_pkgs: run.source_pkgs.clone(),
        source_dirs,
        include,
        omit,
        cover_pylib: args.pylib || run.cover_pylib,
        debug,
        config_file: config.config_file.clone(),
        settings: config.settings,
        cwd: invocation.cwd.clone(),
    })
}

/// `[run] source_dirs`, made absolute against `cwd`; each must be an existing directory.
pub(crate) fn configured_source_dirs(dirs: &[String], cwd: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let source_dirs: Vec<PathBuf> = dirs.iter().map(|d| cwd.join(d)).collect();
    for dir in &source_dirs {
        if !dir.is_dir() {
            bail!(
                "Source dir is not a directory: {:?}",
                dir.display().to_string()
            );
        }
    }
    Ok(source_dirs)
}

/// Ends a run: combines every shard the run's processes wrote into the data file, unless the run
/// is in parallel mode. `source_dirs` are the run's resolved source directories: their Python
/// files that never ran are recorded too, so reports list them at 0% as coverage.py's do.
/// Returns an exit status; problems are printed, never raised, because the program's own exit
/// status matters more.
pub fn finish_run(plan: &RunPlan, source_dirs: &[PathBuf]) -> i32 {
    if plan.parallel {
        return EXIT_OK;
    }
    let config = LoadedConfig {
        settings: plan.settings.clone(),
        config_file: plan.config_file.clone(),
        warnings: Vec::new(),
    };
    let options = CombineOptions {
        only_inputs: true,
        touch: unexecuted_files(plan, source_dirs),
        append: true,
        keep: false,
        debug: plan.debugs("combine"),
    };
    match combine_into(
        &plan.data_file,
        vec![plan.shard_dir.clone()],
        &options,
        &config,
        &plan.cwd,
    ) {
        Ok(_) => EXIT_OK,
        Err(err) => {
            messages::error(&err);
            EXIT_ERROR
        }
    }
}

fn remove_data_file(data_file: &std::path::Path) -> anyhow::Result<()> {
    match std::fs::remove_file(data_file) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot erase old data {}", data_file.display())),
    }
}

/// Python files under the source directories that the omit patterns do not exclude, in the
/// canonical form the tracer records.
fn unexecuted_files(plan: &RunPlan, source_dirs: &[PathBuf]) -> Vec<String> {
    let omit = match GlobMatcher::for_file_patterns(&plan.omit, &plan.cwd) {
        Ok(matcher) => Some(matcher),
        Err(err) => {
            messages::warning(format!("ignoring invalid omit patterns: {err}"));
            None
        }
    };
    let namespaces = plan.settings.report.include_namespace_packages;
    source_dirs
        .iter()
        .filter(|dir| dir.is_dir())
        .flat_map(|dir| find_python_files(dir, namespaces))
        .map(|file| {
            std::fs::canonicalize(&file)
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
