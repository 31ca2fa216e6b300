//! `ferrocov annotate`: source copies marked line by line, as coverage.py writes them.

use ferrocov_config::LoadedConfig;
use ferrocov_report::annotate::write_annotations;

use crate::args::AnnotateArgs;
use crate::reporting::report_files;
use crate::{EXIT_OK, Invocation};

pub(crate) fn execute(
    args: &AnnotateArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let files = report_files(&args.common, config, debug, invocation)?;
    let directory = args.directory.as_ref().map(|d| invocation.cwd.join(d));
    write_annotations(&files, directory.as_deref())?;
    Ok(EXIT_OK)
}
