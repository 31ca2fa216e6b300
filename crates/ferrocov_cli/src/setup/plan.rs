//! What a measured run is, before it starts: `ferrocov run`'s options or a pytest session's
//! merged over the configuration into one [`RunPlan`], and the old data cleared as coverage.py
//! clears it. The Python shell executes the plan (or, for a session, measures itself by it).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use ferrocov_config::{LoadedConfig, Settings};
use ferrocov_data::{run_dir_name, shard_dir_for};

use crate::diagnostics::Diagnostics;
use crate::setup::{Invocation, debug_from_env, load_config, resolve_data_file};

/// What to execute, as `python FILE` or `python -m MODULE` would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunTarget {
    /// A script path as given on the command line.
    Script(String),
    /// A module name, run like `python -m`.
    Module(String),
    /// Nothing to execute: the process that asked for the plan measures itself (a pytest
    /// session started by the plugin).
    Session,
}

/// Everything `ferrocov run` needs once arguments and configuration are resolved.
#[derive(Debug, Clone)]
pub struct RunPlan {
    /// The program to run.
    pub target: RunTarget,
    /// The program's own arguments (without the program itself).
    pub args: Vec<String>,
    /// Absolute path of the data file the run ends in.
    pub data_file: PathBuf,
    /// Where this run's processes write their shards.
    pub shard_dir: PathBuf,
    /// Keep the data file's existing data instead of erasing it first.
    pub append: bool,
    /// Leave shards uncombined at the end (`--parallel-mode` / `[run] parallel`).
    pub parallel: bool,
    /// `source` entries as written: directories or importable package names (the shell resolves
    /// package names, because only the interpreter can find them).
    pub source: Vec<String>,
    /// `source_pkgs`: package names only.
    pub source_pkgs: Vec<String>,
    /// `source_dirs`: directories only.
    pub source_dirs: Vec<PathBuf>,
    /// Include patterns (ignored when any source is given, as in coverage.py).
    pub include: Vec<String>,
    /// Omit patterns.
    pub omit: Vec<String>,
    /// Measure the standard library too.
    pub cover_pylib: bool,
    /// Debug topics.
    pub debug: Vec<String>,
    /// The configuration file the settings came from, if any.
    pub config_file: Option<PathBuf>,
    /// All settings, for the end of the run (combining, path mapping).
    pub settings: Settings,
    /// The working directory the run started in.
    pub cwd: PathBuf,
}

impl RunPlan {
    /// Whether a debug topic was requested.
    pub fn debugs(&self, topic: &str) -> bool {
        self.debug.iter().any(|t| t == topic)
    }

    /// The configuration the plan was made with, for the steps that run after the program.
    pub fn config(&self) -> LoadedConfig {
        LoadedConfig {
            settings: self.settings.clone(),
            config_file: self.config_file.clone(),
            warnings: Vec::new(),
        }
    }
}

/// `ferrocov run`'s options, as typed values (the command line or any other caller).
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The program, then its arguments.
    pub program: Vec<String>,
    /// Run `program[0]` as a module (`python -m`).
    pub module: bool,
    pub append: bool,
    pub parallel: bool,
    pub branch: bool,
    /// `--context`: the static context, replacing `[run] context`.
    pub context: Option<String>,
    pub pylib: bool,
    /// `--data-file`.
    pub data_file: Option<String>,
    /// Replace the configured lists when not empty, as coverage.py's options do.
    pub source: Vec<String>,
    pub include: Vec<String>,
    pub omit: Vec<String>,
}

/// Plans `ferrocov run`, and erases the old data file unless appending or in parallel mode.
pub fn plan_run(
    options: RunOptions,
    config: LoadedConfig,
    debug: Vec<String>,
    invocation: &Invocation,
    diagnostics: &mut Diagnostics,
) -> anyhow::Result<RunPlan> {
    let mut config = config;
    // `--branch` turns branch measurement on; the setting carries it to every process.
    config.settings.run.branch |= options.branch;
    if let Some(context) = options.context {
        config.settings.run.context = Some(context);
    }
    let run = &config.settings.run;
    let parallel = options.parallel || run.parallel;
    let append = options.append;
    if append && parallel {
        bail!("Can't append to data files in parallel mode.");
    }
    for warning in super::unsupported::measuring(&config.settings) {
        diagnostics.warning(warning);
    }

    let data_file = resolve_data_file(options.data_file.as_deref(), &config, invocation);
    let mut program = options.program.into_iter();
    let Some(first) = program.next() else {
        bail!("Nothing to do.");
    };
    let target = if options.module {
        RunTarget::Module(first)
    } else {
        RunTarget::Script(first)
    };
    let pick = |cli: Vec<String>, configured: &[String]| {
        if cli.is_empty() {
            configured.to_vec()
        } else {
            cli
        }
    };
    let source = pick(options.source, run.source.as_deref().unwrap_or_default());
    let include = pick(options.include, &run.include);
    let omit = pick(options.omit, &run.omit);
    let source_dirs = configured_source_dirs(&run.source_dirs, &invocation.cwd)?;
    // Each run writes into a directory of its own, so its end combines exactly its own shards;
    // shards left by earlier killed or parallel runs wait for `ferrocov combine`, as coverage.py
    // leaves earlier parallel files alone.
    let shard_dir = shard_dir_for(&data_file).join(run_dir_name());
    if !append && !parallel {
        remove_data_file(&data_file)?;
    }
    Ok(RunPlan {
        target,
        args: program.collect(),
        shard_dir,
        data_file,
        append,
        parallel,
        source,
        source_pkgs: run.source_pkgs.clone(),
        source_dirs,
        include,
        omit,
        cover_pylib: options.pylib || run.cover_pylib,
        debug,
        config_file: config.config_file.clone(),
        settings: config.settings,
        cwd: invocation.cwd.clone(),
    })
}

/// `[run] source_dirs`, made absolute against `cwd`; each must be an existing directory.
pub fn configured_source_dirs(dirs: &[String], cwd: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let source_dirs: Vec<PathBuf> = dirs.iter().map(|d| cwd.join(d)).collect();
    for dir in &source_dirs {
        if !dir.is_dir() {
            bail!(
                "Source dir is not a directory: {:?}",
                dir.display().to_string()
            );
        }
    }
    Ok(source_dirs)
}

fn remove_data_file(data_file: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(data_file) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot erase old data {}", data_file.display())),
    }
}

/// pytest-cov's default `--cov-config`. coverage.py takes that exact name to mean "search as
/// usual" (`.coveragerc`, then setup.cfg, tox.ini, pyproject.toml, and `COVERAGE_RCFILE` first).
pub const DEFAULT_COV_CONFIG: &str = ".coveragerc";

/// The pytest plugin's options that decide how a session is measured.
#[derive(Debug, Clone)]
pub struct SessionRequest {
    /// `--cov-config` as given ([`DEFAULT_COV_CONFIG`] when not given).
    pub cov_config: String,
    /// `--cov` sources; `None` for a bare `--cov`, which measures `[run] source` from the
    /// configuration (everything when that is unset too).
    pub source: Option<Vec<String>>,
    /// `--cov-append`: keep the existing data instead of erasing it first.
    pub append: bool,
    /// Where the data goes instead of the configured data file: an xdist worker that cannot see
    /// its controller's run measures into a private one and sends it over.
    pub data_file: Option<String>,
    /// `--cov-branch`: measure branches whatever `[run] branch` says.
    pub branch: bool,
}

/// Plans a pytest session (the session itself is the program) and erases old data unless
/// appending, as pytest-cov does when the session starts.
pub fn plan_session(
    request: &SessionRequest,
    invocation: &Invocation,
    diagnostics: &mut Diagnostics,
) -> anyhow::Result<RunPlan> {
    let debug = debug_from_env(invocation);
    let rcfile = (request.cov_config != DEFAULT_COV_CONFIG).then_some(request.cov_config.as_str());
    let mut config = load_config(invocation, rcfile, &debug, diagnostics)?;
    for warning in super::unsupported::measuring(&config.settings) {
        diagnostics.warning(warning);
    }
    // `--cov-branch` turns branch measurement on, as pytest-cov's `branch=True` does.
    config.settings.run.branch |= request.branch;
    // `--cov=SOURCE` replaces the configured source, as coverage.py's `source=` argument does:
    // for measuring and for the reports (the XML report's `<sources>` and file names).
    if let Some(source) = &request.source {
        config.settings.run.source = Some(source.clone());
    }
    let run = &config.settings.run;
    let data_file = resolve_data_file(request.data_file.as_deref(), &config, invocation);
    let source = run.source.clone().unwrap_or_default();
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
            interpreter: Vec::new(),
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
            data_file: None,
            branch: false,
        };
        let plan = plan_session(&request, &inv, &mut Diagnostics::new()).unwrap();
        assert_eq!(plan.source, vec!["pkg".to_owned()]);
        assert_eq!(plan.data_file, dir.path().join("out/.cov"));
        assert!(
            plan.shard_dir
                .starts_with(dir.path().join("out/.cov-shards"))
        );
        assert!(!plan.parallel);
        request.source = Some(vec!["other".into()]);
        let plan = plan_session(&request, &inv, &mut Diagnostics::new()).unwrap();
        assert_eq!(plan.source, vec!["other"]);
        // The reports see it too (the XML report's <sources>), as with coverage.py's `source=`.
        assert_eq!(plan.settings.run.source, Some(vec!["other".to_owned()]));
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
            data_file: None,
            branch: false,
        };
        let plan = plan_session(&request, &inv, &mut Diagnostics::new()).unwrap();
        assert_eq!(plan.settings.report.precision, 2);
        request.cov_config = "missing.ini".into();
        assert!(plan_session(&request, &inv, &mut Diagnostics::new()).is_err());
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
            data_file: None,
            branch: false,
        };
        plan_session(&request, &inv, &mut Diagnostics::new()).unwrap();
        assert!(data.exists());
        request.append = false;
        plan_session(&request, &inv, &mut Diagnostics::new()).unwrap();
        assert!(!data.exists());
    }
}
