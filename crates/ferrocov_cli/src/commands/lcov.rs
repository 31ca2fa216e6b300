//! `ferrocov lcov`: an LCOV tracefile as coverage.py writes it.

use ferrocov_config::LoadedConfig;

use super::{report_request, report_status};
use crate::args::LcovArgs;
use crate::pipeline::{LcovReport, Output, Report};
use crate::setup::Invocation;

pub(super) fn execute(
    args: &LcovArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let lcov = LcovReport {
        output: args.output.as_deref().map(Output::from_option),
    };
    let request = report_request(&args.common, Report::Lcov(lcov), config, debug, invocation);
    let precision = config.settings.report.precision;
    report_status(
        &request,
        "LCOV",
        args.quiet,
        args.common.fail_under,
        precision,
        config,
    )
}
