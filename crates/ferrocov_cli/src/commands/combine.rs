//! `ferrocov combine`: merge the run's shards, and any data files named, into the data file.

use std::path::{Path, PathBuf};

use anyhow::Context;
use ferrocov_config::{LoadedConfig, PathAliases};
use ferrocov_data::CombineRequest;

use super::resolve_data_file;
use crate::args::CombineArgs;
use crate::{EXIT_OK, Invocation, messages};

pub(crate) fn execute(
    args: &CombineArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let data_file = resolve_data_file(args.data_file.data_file.as_deref(), config, invocation);
    // The run's shards are always read; with no paths named, so are the parallel data files
    // next to the data file, as coverage.py's combine does.
    let inputs = args.paths.iter().map(|p| invocation.cwd.join(p)).collect();
    let report = combine_into(
        &data_file,
        inputs,
        &CombineOptions {
            only_inputs: false,
            touch: Vec::new(),
            append: args.append,
            keep: args.keep,
            debug: debug.iter().any(|t| t == "combine"),
        },
        config,
        &invocation.cwd,
    )?;
    if !args.quiet {
        messages::stdout_line(format_args!(
            "Combined {} files, skipped {}",
            report.combined, report.skipped
        ));
    }
    Ok(EXIT_OK)
}

pub(crate) struct CombineOptions {
    pub(crate) only_inputs: bool,
    pub(crate) touch: Vec<String>,
    pub(crate) append: bool,
    pub(crate) keep: bool,
    pub(crate) debug: bool,
}

/// Combines `inputs` into `data_file` with the configuration's path mapping, printing the
/// warnings and debug lines the combine produced.
pub(crate) fn combine_into(
    data_file: &Path,
    inputs: Vec<PathBuf>,
    options: &CombineOptions,
    config: &LoadedConfig,
    cwd: &Path,
) -> anyhow::Result<ferrocov_data::CombineReport> {
    let run = &config.settings.run;
    let aliases = PathAliases::new(&config.settings.paths, run.relative_files, cwd)
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
        messages::warning(warning);
    }
    for line in &report.debug {
        messages::debug("combine", line);
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
pub(crate) fn pending_inputs(data_file: &Path) -> bool {
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
