//! `ferrocov lcov`: an LCOV tracefile as coverage.py writes it.

use ferrocov_config::LoadedConfig;

use super::file_report;
use crate::args::LcovArgs;
use crate::pipeline::{LcovReport, Output, Report};
use crate::setup::Invocation;

pub(super) fn execute(
    args: &LcovArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let report = Report::Lcov(LcovReport {
        output: args.output.as_deref().map(Output::from_option),
    });
    // coverage.py's xml and lcov ignore `[report] contexts`.
    file_report(
        &args.common,
        (report, None),
        "LCOV",
        args.quiet,
        (config, debug, invocation),
    )
}
