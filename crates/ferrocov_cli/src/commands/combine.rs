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
    if !args.quiet
        && let Some(message) = combined_message(report.combined, report.skipped)
    {
        print::info(message);
    }
    Ok(EXIT_OK)
}

/// coverage.py's summary of a combine, which it prints on stderr: "Combined 1 file",
/// "Combined 2 files, skipped 1"; nothing when there was nothing to combine.
fn combined_message(combined: usize, skipped: usize) -> Option<String> {
    if combined + skipped == 0 {
        return None;
    }
    let files = if combined == 1 { "file" } else { "files" };
    let mut message = format!("Combined {combined} {files}");
    if skipped > 0 {
        message.push_str(&format!(", skipped {skipped}"));
    }
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::combined_message;

    #[test]
    fn message_as_coverage_py_words_it() {
        assert_eq!(combined_message(0, 0), None);
        assert_eq!(combined_message(1, 0).as_deref(), Some("Combined 1 file"));
        assert_eq!(combined_message(2, 0).as_deref(), Some("Combined 2 files"));
        assert_eq!(
            combined_message(0, 1).as_deref(),
            Some("Combined 0 files, skipped 1")
        );
        assert_eq!(
            combined_message(3, 2).as_deref(),
            Some("Combined 3 files, skipped 2")
        );
    }
}
