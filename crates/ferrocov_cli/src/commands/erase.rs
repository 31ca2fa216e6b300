//! `ferrocov erase`: remove the data file, its shards and parallel data files.

use anyhow::Context;
use ferrocov_config::LoadedConfig;

use crate::EXIT_OK;
use crate::args::DataFileArg;
use crate::setup::{Invocation, resolve_data_file};

pub(super) fn execute(
    args: &DataFileArg,
    config: &LoadedConfig,
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let data_file = resolve_data_file(args.data_file.as_deref(), config, invocation);
    ferrocov_data::erase(&data_file)
        .with_context(|| format!("cannot erase {}", data_file.display()))?;
    Ok(EXIT_OK)
}
