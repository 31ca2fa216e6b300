//! `ferrocov xml`: a Cobertura XML report as coverage.py writes it.

use ferrocov_config::LoadedConfig;

use super::file_report;
use crate::args::XmlArgs;
use crate::pipeline::{Output, Report, XmlReport};
use crate::setup::Invocation;

pub(super) fn execute(
    args: &XmlArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let report = Report::Xml(XmlReport {
        output: args.output.as_deref().map(Output::from_option),
        skip_empty: args.skip_empty.then_some(true),
    });
    // coverage.py's xml and lcov ignore `[report] contexts`.
    file_report(
        &args.common,
        (report, None),
        "XML",
        args.quiet,
        (config, debug, invocation),
    )
}
