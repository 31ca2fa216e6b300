//! `ferrocov xml`: a Cobertura XML report as coverage.py writes it.

use ferrocov_config::LoadedConfig;

use super::{report_request, report_status};
use crate::args::XmlArgs;
use crate::pipeline::{Output, Report, XmlReport};
use crate::setup::Invocation;

pub(super) fn execute(
    args: &XmlArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let xml = XmlReport {
        output: args.output.as_deref().map(Output::from_option),
        skip_empty: args.skip_empty.then_some(true),
    };
    let request = report_request(&args.common, Report::Xml(xml), config, debug, invocation);
    let precision = config.settings.report.precision;
    report_status(
        &request,
        "XML",
        args.quiet,
        args.common.fail_under,
        precision,
        config,
    )
}
