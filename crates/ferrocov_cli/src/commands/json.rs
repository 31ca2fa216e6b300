//! `ferrocov json`: coverage.py's JSON report, format 3.

use ferrocov_config::LoadedConfig;

use super::file_report;
use crate::args::JsonArgs;
use crate::pipeline::{JsonReport, Output, Report};
use crate::setup::Invocation;

pub(super) fn execute(
    args: &JsonArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let report = Report::Json(JsonReport {
        output: args.output.as_deref().map(Output::from_option),
        pretty_print: args.pretty_print.then_some(true),
        show_contexts: args.show_contexts.then_some(true),
    });
    let contexts = super::report_contexts(args.contexts.as_deref(), config);
    file_report(
        &args.common,
        (report, contexts),
        "JSON",
        args.quiet,
        (config, debug, invocation),
    )
}
