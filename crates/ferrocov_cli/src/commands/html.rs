//! `ferrocov html`: the HTML site (coverage.py's `coverage html`).

use ferrocov_config::LoadedConfig;

use super::{report_request, report_status};
use crate::args::HtmlArgs;
use crate::pipeline::{HtmlReport, Report};
use crate::setup::Invocation;

pub(super) fn execute(
    args: &HtmlArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let html = HtmlReport {
        directory: args.directory.clone(),
        title: args.title.clone(),
        skip_covered: if args.no_skip_covered {
            Some(false)
        } else {
            args.skip_covered.then_some(true)
        },
        skip_empty: args.skip_empty.then_some(true),
        precision: args.precision,
        single_file: args.single_file.as_ref().map(|file| {
            if file.is_empty() {
                let directory = args
                    .directory
                    .as_deref()
                    .unwrap_or(&config.settings.html.directory);
                format!("{}.html", directory.trim_end_matches(['/', '\\']))
            } else {
                file.clone()
            }
        }),
        show_contexts: args.show_contexts.then_some(true),
    };
    let contexts = super::report_contexts(args.contexts.as_deref(), config);
    let request = report_request(
        &args.common,
        Report::Html(html),
        contexts,
        (config, debug, invocation),
    );
    let precision = args.precision.unwrap_or(config.settings.report.precision);
    report_status(
        &request,
        "HTML",
        args.quiet,
        args.common.fail_under,
        precision,
        config,
    )
}
