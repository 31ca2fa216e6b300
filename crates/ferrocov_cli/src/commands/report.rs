//! `ferrocov report`: the coverage table (text, Markdown or just the total).

use ferrocov_config::LoadedConfig;
use ferrocov_report::text::TextFormat;

use super::{print, report_request, report_status};
use crate::args::ReportArgs;
use crate::pipeline::{Report, TextReport};
use crate::setup::Invocation;

pub(super) fn execute(
    args: &ReportArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let format = args
        .format
        .as_deref()
        .map(str::parse::<TextFormat>)
        .transpose()?;
    let text = TextReport {
        format,
        precision: args.precision,
        show_missing: args.show_missing.then_some(true),
        skip_covered: if args.no_skip_covered {
            Some(false)
        } else {
            args.skip_covered.then_some(true)
        },
        skip_empty: args.skip_empty.then_some(true),
        sort: args.sort.clone(),
        colour: ferrocov_report::colour::wanted_here(print::stdout_is_terminal()),
        fail_under: args.common.fail_under,
        output: None,
    };
    let contexts = super::report_contexts(args.contexts.as_deref(), config);
    let request = report_request(
        &args.common,
        Report::Text(text),
        contexts,
        (config, debug, invocation),
    );
    let precision = args.precision.unwrap_or(config.settings.report.precision);
    report_status(
        &request,
        "text",
        true,
        args.common.fail_under,
        precision,
        config,
    )
}
