//! Reading the configuration for a command or a session, and the two facts every command
//! derives from it first: the debug topics asked for and the data file.

use std::path::PathBuf;

use anyhow::Context;
use ferrocov_config::{LoadRequest, LoadedConfig};
use ferrocov_protocol::env;

use crate::diagnostics::Diagnostics;
use crate::setup::Invocation;

/// `--debug` may be given several times and as comma lists; empty items are noise.
pub fn collect_debug(raw: &[String]) -> Vec<String> {
    raw.iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The debug topics `COVERAGE_DEBUG` asks for (what a session has instead of `--debug`).
pub fn debug_from_env(invocation: &Invocation) -> Vec<String> {
    collect_debug(
        &invocation
            .var(env::COVERAGE_DEBUG)
            .into_iter()
            .collect::<Vec<_>>(),
    )
}

/// Reads the configuration as coverage.py finds it (`rcfile` names one explicitly). Its
/// warnings, and with the `config` debug topic what was read, go into `diagnostics`.
pub fn load_config(
    invocation: &Invocation,
    rcfile: Option<&str>,
    debug: &[String],
    diagnostics: &mut Diagnostics,
) -> anyhow::Result<LoadedConfig> {
    let env = |name: &str| invocation.env.get(name).cloned();
    let request = LoadRequest {
        rcfile,
        cwd: &invocation.cwd,
        env: &env,
    };
    let loaded = ferrocov_config::load_config(&request).context("cannot read the configuration")?;
    for warning in &loaded.warnings {
        diagnostics.warning(warning.clone());
    }
    if debug.iter().any(|t| t == "config") {
        diagnostics.debug("config", format!("read from {}", config_source(&loaded)));
        diagnostics.debug("config", format!("{:#?}", loaded.settings));
    }
    Ok(loaded)
}

/// Where the settings came from, as `debug config` and `debug sys` say it.
pub fn config_source(loaded: &LoadedConfig) -> String {
    loaded.config_file.as_ref().map_or_else(
        || "(defaults: no config file)".to_owned(),
        |p| p.display().to_string(),
    )
}

/// The data file as coverage.py resolves it: `--data-file`, else `COVERAGE_FILE`, else
/// `[run] data_file`; relative names are relative to the working directory.
pub fn resolve_data_file(
    cli_value: Option<&str>,
    config: &LoadedConfig,
    invocation: &Invocation,
) -> PathBuf {
    let chosen = cli_value
        .map(str::to_owned)
        .or_else(|| invocation.var(env::COVERAGE_FILE))
        .unwrap_or_else(|| config.settings.run.data_file.clone());
    invocation.cwd.join(chosen)
}
