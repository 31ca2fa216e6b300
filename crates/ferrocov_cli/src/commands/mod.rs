//! One module per command; this one routes a parsed command line to it and holds what the
//! commands share: loading configuration and resolving the data file.

mod annotate;
pub(crate) mod combine;
mod erase;
mod json;
mod lcov;
mod report;
mod run;
mod xml;

use std::path::PathBuf;

use anyhow::Context;
use ferrocov_config::{LoadRequest, LoadedConfig, env_vars};

use crate::args::{Cli, Command};
use crate::{EXIT_ERROR, Invocation, Outcome, messages};

pub(crate) use run::configured_source_dirs;
pub use run::finish_run;

pub(crate) fn dispatch(cli: Cli, invocation: &Invocation) -> Outcome {
    let debug = collect_debug(&cli.debug);
    let config = match load_config(invocation, cli.rcfile.as_deref(), &debug) {
        Ok(config) => config,
        Err(err) => {
            messages::error(&err);
            return Outcome::Exit(EXIT_ERROR);
        }
    };
    run_command(cli.command, config, debug, invocation)
}

/// Runs one command under an already loaded configuration.
pub(crate) fn run_command(
    command: Command,
    config: LoadedConfig,
    debug: Vec<String>,
    invocation: &Invocation,
) -> Outcome {
    let result = match command {
        Command::Run(args) => {
            return match run::plan(args, config, debug, invocation) {
                Ok(plan) => Outcome::Run(Box::new(plan)),
                Err(err) => {
                    messages::error(&err);
                    Outcome::Exit(EXIT_ERROR)
                }
            };
        }
        Command::Combine(args) => combine::execute(&args, &config, &debug, invocation),
        Command::Erase(args) => erase::execute(&args, &config, invocation),
        Command::Report(args) => report::execute(&args, &config, &debug, invocation),
        Command::Json(args) => json::execute(&args, &config, &debug, invocation),
        Command::Xml(args) => xml::execute(&args, &config, &debug, invocation),
        Command::Lcov(args) => lcov::execute(&args, &config, &debug, invocation),
        Command::Annotate(args) => annotate::execute(&args, &config, &debug, invocation),
    };
    match result {
        Ok(status) => Outcome::Exit(status),
        Err(err) => {
            messages::error(&err);
            Outcome::Exit(EXIT_ERROR)
        }
    }
}

/// `--debug` may be given several times and as comma lists; empty items are noise.
pub(crate) fn collect_debug(raw: &[String]) -> Vec<String> {
    raw.iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(crate) fn load_config(
    invocation: &Invocation,
    rcfile: Option<&str>,
    debug: &[String],
) -> anyhow::Result<LoadedConfig> {
    let env = |name: &str| invocation.env.get(name).cloned();
    let request = LoadRequest {
        rcfile,
        cwd: &invocation.cwd,
        env: &env,
    };
    let loaded = load_config_inner(&request)?;
    for warning in &loaded.warnings {
        messages::warning(warning);
    }
    if debug.iter().any(|t| t == "config") {
        let from = loaded.config_file.as_ref().map_or_else(
            || "(defaults: no config file)".to_owned(),
            |p| p.display().to_string(),
        );
        messages::debug("config", format!("read from {from}"));
        messages::debug("config", format!("{:#?}", loaded.settings));
    }
    Ok(loaded)
}

fn load_config_inner(request: &LoadRequest<'_>) -> anyhow::Result<LoadedConfig> {
    ferrocov_config::load_config(request).context("cannot read the configuration")
}

/// The data file as coverage.py resolves it: `--data-file`, else `COVERAGE_FILE`, else
/// `[run] data_file`; relative names are relative to the working directory.
pub(crate) fn resolve_data_file(
    cli_value: Option<&str>,
    config: &LoadedConfig,
    invocation: &Invocation,
) -> PathBuf {
    let chosen = cli_value
        .map(str::to_owned)
        .or_else(|| invocation.var(env_vars::COVERAGE_FILE))
        .unwrap_or_else(|| config.settings.run.data_file.clone());
    invocation.cwd.join(chosen)
}
