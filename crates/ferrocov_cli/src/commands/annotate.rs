//! `ferrocov annotate`: source copies marked line by line, as coverage.py writes them.

use ferrocov_config::LoadedConfig;
use ferrocov_report::annotate::write_annotations;

use crate::args::AnnotateArgs;
use crate::reporting::{analysed_files, prepare_data};
use crate::{EXIT_OK, Invocation};

pub(crate) fn execute(
    args: &AnnotateArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let data_file = prepare_data(&args.common, config, invocation, debug)?;
    let files = analysed_files(&args.common, &data_file, config, invocation)?;
    let directory = args.directory.as_ref().map(|d| invocation.cwd.join(d));
    write_annotations(&files, directory.as_deref())?;
    Ok(EXIT_OK)
}
