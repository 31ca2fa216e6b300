//! `ferrocov json`: coverage.py's JSON report, format 3.

use ferrocov_config::LoadedConfig;

use super::{report_request, report_status};
use crate::args::JsonArgs;
use crate::pipeline::{JsonReport, Output, Report};
use crate::setup::Invocation;

pub(super) fn execute(
    args: &JsonArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let json = JsonReport {
        output: args.output.as_deref().map(Output::from_option),
        pretty_print: args.pretty_print.then_some(true),
    };
    let request = report_request(&args.common, Report::Json(json), config, debug, invocation);
    let precision = config.settings.report.precision;
    report_status(
        &request,
        "JSON",
        args.quiet,
        args.common.fail_under,
        precision,
        config,
    )
}
