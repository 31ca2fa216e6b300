//! `ferrocov report`: the coverage table (text, Markdown or just the total).

use ferrocov_config::LoadedConfig;
use ferrocov_report::text::{TextFormat, TextOptions, write_report};

use crate::args::ReportArgs;
use crate::reporting::{fail_under_status, report_files};
use crate::{Invocation, messages};

pub(crate) fn execute(
    args: &ReportArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let files = report_files(&args.common, config, debug, invocation)?;
    let report = &config.settings.report;
    let format = match args.format.as_deref().or(report.format.as_deref()) {
        None | Some("text") => TextFormat::Text,
        Some("markdown") => TextFormat::Markdown,
        Some("total") => TextFormat::Total,
        Some(other) => anyhow::bail!("Unknown report format choice: {other:?}"),
    };
    let precision = args.precision.unwrap_or(report.precision);
    let options = TextOptions {
        format,
        precision,
        show_missing: args.show_missing || report.show_missing,
        skip_covered: if args.no_skip_covered {
            false
        } else {
            args.skip_covered || report.skip_covered
        },
        skip_empty: args.skip_empty || report.skip_empty,
        sort: args.sort.clone().or_else(|| report.sort.clone()),
        colour: ferrocov_report::colour::wanted_here(messages::stdout_is_terminal()),
        fail_under: Some(args.common.fail_under.unwrap_or(report.fail_under)).filter(|f| *f > 0.0),
    };
    let total = write_report(&files, &options, &mut messages::Stdout)?;
    let _ = messages::flush_stdout();
    fail_under_status(total, args.common.fail_under, precision, config)
}
