//! `ferrocov json`: coverage.py's JSON report, format 3.

use ferrocov_config::LoadedConfig;
use ferrocov_report::json::{JsonOptions, local_timestamp, write_report};

use crate::args::JsonArgs;
use crate::reporting::{fail_under_status, report_files, write_output};
use crate::{Invocation, VERSION};

pub(crate) fn execute(
    args: &JsonArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let files = report_files(&args.common, config, debug, invocation)?;
    let settings = &config.settings.json;
    let precision = config.settings.report.precision;
    let options = JsonOptions {
        pretty_print: args.pretty_print || settings.pretty_print,
        precision,
        version: VERSION.to_owned(),
        timestamp: local_timestamp(),
    };
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| settings.output.clone());
    let total = write_output(&output, "JSON", args.quiet, invocation, |mut out| {
        write_report(&files, &options, &mut out)
    })?;
    fail_under_status(total, args.common.fail_under, precision, config)
}
