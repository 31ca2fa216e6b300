//! `ferrocov combine`: merge the run's shards, and any data files named, into the data file.

use ferrocov_config::LoadedConfig;

use super::print;
use crate::EXIT_OK;
use crate::args::CombineArgs;
use crate::diagnostics::Diagnostics;
use crate::pipeline::{CombineOptions, combine_into};
use crate::setup::{Invocation, resolve_data_file};

pub(super) fn execute(
    args: &CombineArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let data_file = resolve_data_file(args.data_file.data_file.as_deref(), config, invocation);
    // The run's shards are always read; with no paths named, so are the parallel data files
    // next to the data file, as coverage.py's combine does.
    let inputs = args.paths.iter().map(|p| invocation.cwd.join(p)).collect();
    let options = CombineOptions {
        only_inputs: false,
        touch: Vec::new(),
        append: args.append,
        keep: args.keep,
        debug: debug.iter().any(|t| t == "combine"),
        map_paths: true,
    };
    let mut diagnostics = Diagnostics::new();
    let combined = combine_into(
        &data_file,
        inputs,
        &options,
        config,
        &invocation.cwd,
        &mut diagnostics,
    );
    print::diagnostics(&diagnostics);
    let report = combined?;
    if !args.quiet {
        print::stdout_line(format_args!(
            "Combined {} files, skipped {}",
            report.combined, report.skipped
        ));
    }
    Ok(EXIT_OK)
}
