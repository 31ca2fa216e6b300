//! The `ferrocov` command line and the typed entry points the pytest plugin shares with it.
//!
//! Layers, each using only the ones before it (a test below keeps it so):
//! - [`diagnostics`]: errors, warnings and debug lines as values.
//! - `args`: the command line as clap parses it; used by the commands alone.
//! - [`setup`]: the invoking process, the configuration, the data file, the plan of a run.
//! - [`pipeline`]: data to reports in one pass (combine, read once, analyse once, write each),
//!   and the end of a run.
//! - `commands`: one module per command: arguments in, set-up and pipeline calls, printing out.
//!
//! `run` needs an interpreter, so it becomes a [`RunPlan`] the Python shell executes.

pub mod diagnostics;

mod args;
pub mod setup;

pub mod pipeline;

mod commands;

pub use diagnostics::{Diagnostic, Diagnostics, Level};
pub use pipeline::{ReportOutcome, ReportRequest, ReportResult, finish_run, make_reports};
pub use setup::{Invocation, RunPlan, RunTarget, SessionRequest, plan_session};

/// The fail-under test and the percentage display a session's summary uses, as reports do.
pub use ferrocov_report::{display_covered, should_fail_under};

/// What the Python shell must do after [`main`] returns.
#[derive(Debug)]
pub enum Outcome {
    /// The command ran to completion; exit with this status.
    Exit(i32),
    /// `ferrocov run`: measure and execute the program described by the plan.
    Run(Box<RunPlan>),
}

/// ferrocov's version, as reports name their producer.
pub const VERSION: &str = ferrocov_protocol::VERSION;

/// Exit status for success, as coverage.py uses it.
pub const EXIT_OK: i32 = 0;
/// Exit status for an error ferrocov reports (bad option, bad config, unreadable data).
pub const EXIT_ERROR: i32 = 1;
/// Exit status when the total is below `--fail-under`, as coverage.py uses it.
pub const EXIT_FAIL_UNDER: i32 = 2;

/// Parses `argv` (with the program name first) and runs the command it names, printing as the
/// command line does.
pub fn main(invocation: &Invocation) -> Outcome {
    commands::main(invocation)
}

#[cfg(test)]
mod layers {
    use std::path::Path;

    /// Each layer and the crate modules it may use. A module may use its own layer and those
    /// listed for it; `lib.rs` re-exports are the crate root's and are not checked.
    const LAYERS: [(&str, &[&str]); 5] = [
        ("diagnostics", &[]),
        ("args", &[]),
        ("setup", &["diagnostics"]),
        ("pipeline", &["diagnostics", "setup"]),
        ("commands", &["diagnostics", "args", "setup", "pipeline"]),
    ];

    fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn no_layer_uses_one_above_it() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let names: Vec<&str> = LAYERS.iter().map(|(name, _)| *name).collect();
        let mut checked = 0;
        for file in files {
            let relative = file.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap().as_os_str();
            let layer = first.to_str().unwrap().trim_end_matches(".rs");
            let Some((_, allowed)) = LAYERS.iter().find(|(name, _)| *name == layer) else {
                continue;
            };
            let text = std::fs::read_to_string(&file).unwrap();
            for other in &names {
                if *other == layer || allowed.contains(other) {
                    continue;
                }
                let uses = [format!("crate::{other}"), format!("super::super::{other}")];
                assert!(
                    !uses.iter().any(|u| text.contains(u.as_str())),
                    "{} (layer {layer}) uses {other}, a layer above it",
                    relative.display()
                );
            }
            checked += 1;
        }
        assert!(checked >= 15, "only {checked} files checked");
    }
}
