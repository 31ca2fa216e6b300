//! `ferrocov run` turned into a plan: the program to execute and the measurement settings, with the
//! command line merged over the configuration. The Python shell executes the plan.

use std::path::PathBuf;

use ferrocov_config::Settings;

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
}
