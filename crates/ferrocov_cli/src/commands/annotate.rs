//! `ferrocov annotate`: source copies marked line by line, as coverage.py writes them.

use ferrocov_config::LoadedConfig;

use super::report_request;
use crate::args::AnnotateArgs;
use crate::pipeline::{AnnotateReport, Report};
use crate::setup::Invocation;
use crate::{EXIT_OK, commands::run_report};

pub(super) fn execute(
    args: &AnnotateArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let annotate = AnnotateReport {
        directory: args.directory.clone(),
    };
    // coverage.py's annotate ignores `[report] contexts`.
    let request = report_request(
        &args.common,
        Report::Annotate(annotate),
        None,
        (config, debug, invocation),
    );
    Ok(match run_report(&request, "annotate", true) {
        Ok(_) => EXIT_OK,
        Err(status) => status,
    })
}
