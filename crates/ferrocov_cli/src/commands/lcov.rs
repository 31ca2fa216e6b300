//! `ferrocov lcov`: an LCOV tracefile as coverage.py writes it.

use ferrocov_config::LoadedConfig;
use ferrocov_report::lcov::{LcovOptions, write_report};

use crate::Invocation;
use crate::args::LcovArgs;
use crate::reporting::{fail_under_status, report_files, write_output};

pub(crate) fn execute(
    args: &LcovArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let files = report_files(&args.common, config, debug, invocation)?;
    let options = LcovOptions {
        line_checksums: config.settings.lcov.line_checksums,
        skip_empty: config.settings.report.skip_empty,
    };
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| config.settings.lcov.output.clone());
    let total = write_output(&output, "LCOV", args.quiet, invocation, |mut out| {
        write_report(&files, &options, &mut out)
    })?;
    fail_under_status(
        total,
        args.common.fail_under,
        config.settings.report.precision,
        config,
    )
}
