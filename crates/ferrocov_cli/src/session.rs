//! A pytest session measured by ferrocov's pytest plugin: pytest-cov's options merged over the
//! configuration into the same [`RunPlan`] `ferrocov run` makes (the session itself is the
//! program), and the session's reports run under exactly the configuration the plan was made
//! with.

use anyhow::Context;
use ferrocov_config::{LoadedConfig, env_vars};
use ferrocov_data::{run_dir_name, shard_dir_for};

use crate::args::{self, Command};
use crate::commands::{
    collect_debug, configured_source_dirs, load_config, resolve_data_file, run_command,
};
use crate::{EXIT_ERROR, Invocation, Outcome, RunPlan, RunTarget, messages};

/// The fail-under test and the percentage display a session's summary uses, as reports do.
pub use ferrocov_report::{display_covered, should_fail_under};

/// pytest-cov's default `--cov-config`. coverage.py takes that exact name to mean "search as
/// usual" (`.coveragerc`, then setup.cfg, tox.ini, pyproject.toml, and `COVERAGE_RCFILE` first).
pub const DEFAULT_COV_CONFIG: &str = ".coveragerc";

/// The plugin's options that decide how a session is measured.
#[derive(Debug, Clone)]
pub struct SessionRequest {
    /// `--cov-config` as given ([`DEFAULT_COV_CONFIG`] when not given).
    pub cov_config: String,
    /// `--cov` sources; `None` for a bare `--cov`, which measures `[run] source` from the
    /// configuration (everything when that is unset too).
    pub source: Option<Vec<String>>,
    /// `--cov-append`: keep the existing data instead of erasing it first.
    pub append: bool,
}

/// Plans a pytest session and erases old data unless appending, as pytest-cov does when the
/// session starts. Configuration warnings are printed (callers capture them).
pub fn plan_session(request: &SessionRequest, invocation: &Invocation) -> anyhow::Result<RunPlan> {
    let debug = collect_debug(
        &invocation
            .var(env_vars::COVERAGE_DEBUG)
            .into_iter()
            .collect::<Vec<_>>(),
    );
    let rcfile = (request.cov_config != DEFAULT_COV_CONFIG).then_some(request.cov_config.as_str());
    let config = load_config(invocation, rcfile, &debug)?;
    let run = &config.settings.run;
    let data_file = resolve_data_file(None, &config, invocation);
    // `--cov=SOURCE` replaces the configured source, as coverage.py's `source=` argument does.
    let source = match &request.source {
        Some(source) => source.clone(),
        None => run.source.clone().unwrap_or_default(),
    };
    let source_dirs = configured_source_dirs(&run.source_dirs, &invocation.cwd)?;
    if !request.append {
        // The whole previous state goes, shards of killed sessions included, so the reports
        // show this session only.
        ferrocov_data::erase(&data_file)
            .with_context(|| format!("cannot erase old data {}", data_file.display()))?;
    }
    Ok(RunPlan {
        target: RunTarget::Session,
        args: Vec::new(),
        shard_dir: shard_dir_for(&data_file).join(run_dir_name()),
        data_file,
        append: request.append,
        // pytest-cov always combines at the end of the session, whatever `[run] parallel` says.
        parallel: false,
        source,
        source_pkgs: run.source_pkgs.clone(),
        source_dirs,
        include: run.include.clone(),
        omit: run.omit.clone(),
        cover_pylib: run.cover_pylib,
        debug,
        config_file: config.config_file.clone(),
        settings: config.settings,
        cwd: invocation.cwd.clone(),
    })
}

/// Runs a reporting command line (`argv`, program name first) under the configuration `plan` was
/// made with, so a session's reports read the same settings its measurement did. Returns the
/// exit status; `run` is refused.
pub fn run_session_command(plan: &RunPlan, invocation: &Invocation) -> i32 {
    let cli = match args::parse(&invocation.argv) {
        Ok(args::Parsed::Command(cli)) => cli,
        Ok(args::Parsed::Printed(status)) | Err(status) => return status,
    };
    if matches!(cli.command, Command::Run(_)) {
        messages::error(&anyhow::anyhow!("a session cannot run a program"));
        return EXIT_ERROR;
    }
    let config = LoadedConfig {
        settings: plan.settings.clone(),
        config_file: plan.config_file.clone(),
        warnings: Vec::new(),
    };
    match run_command(cli.command, config, collect_debug(&cli.debug), invocation) {
        Outcome::Exit(status) => status,
        Outcome::Run(_) => EXIT_ERROR,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn invocation(dir: &std::path::Path) -> Invocation {
        Invocation {
            argv: Vec::new(),
            cwd: dir.to_path_buf(),
            env: HashMap::new(),
            python: None,
        }
    }

    #[test]
    fn bare_cov_uses_configured_source_and_cov_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("setup.cfg"),
            "[coverage:run]\nsource = pkg\ndata_file = out/.cov\n",
        )
        .unwrap();
        let inv = invocation(dir.path());
        let mut request = SessionRequest {
            cov_config: DEFAULT_COV_CONFIG.into(),
            source: None,
            append: false,
        };
        let plan = plan_session(&request, &inv).unwrap();
        assert_eq!(plan.source, vec!["pkg".to_owned()]);
        assert_eq!(plan.data_file, dir.path().join("out/.cov"));
        assert!(
            plan.shard_dir
                .starts_with(dir.path().join("out/.cov-shards"))
        );
        assert!(!plan.parallel);
        request.source = Some(vec!["other".into()]);
        assert_eq!(plan_session(&request, &inv).unwrap().source, vec!["other"]);
    }

    #[test]
    fn named_config_is_read_and_a_missing_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("cov.ini"), "[report]\nprecision = 2\n").unwrap();
        let inv = invocation(dir.path());
        let mut request = SessionRequest {
            cov_config: "cov.ini".into(),
            source: Some(Vec::new()),
            append: true,
        };
        let plan = plan_session(&request, &inv).unwrap();
        assert_eq!(plan.settings.report.precision, 2);
        request.cov_config = "missing.ini".into();
        assert!(plan_session(&request, &inv).is_err());
    }

    #[test]
    fn erases_old_data_unless_appending() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join(".coverage");
        std::fs::write(&data, b"old").unwrap();
        let inv = invocation(dir.path());
        let mut request = SessionRequest {
            cov_config: DEFAULT_COV_CONFIG.into(),
            source: None,
            append: true,
        };
        plan_session(&request, &inv).unwrap();
        assert!(data.exists());
        request.append = false;
        plan_session(&request, &inv).unwrap();
        assert!(!data.exists());
    }
}
