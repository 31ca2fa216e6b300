//! The `ferrocov` command line: parses arguments with clap and runs every command that needs no
//! Python interpreter. `run` needs one, so it is turned into a [`RunPlan`] that the Python shell
//! executes.

mod args;
mod commands;
mod context;
mod messages;
mod reporting;
mod run_plan;
mod session;

pub use context::Invocation;
pub use messages::{Captured, capture};
pub use run_plan::{RunPlan, RunTarget};

/// What the Python shell must do after [`main`] returns.
#[derive(Debug)]
pub enum Outcome {
    /// The command ran to completion; exit with this status.
    Exit(i32),
    /// `ferrocov run`: measure and execute the program described by the plan.
    Run(Box<RunPlan>),
}

/// ferrocov's version, as reports name their producer.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Exit status for success, as coverage.py uses it.
pub const EXIT_OK: i32 = 0;
/// Exit status for an error ferrocov reports (bad option, bad config, unreadable data).
pub const EXIT_ERROR: i32 = 1;
/// Exit status when the total is below `--fail-under`, as coverage.py uses it.
pub const EXIT_FAIL_UNDER: i32 = 2;

/// Parses `argv` (with the program name first) and runs the command it names.
pub fn main(invocation: &Invocation) -> Outcome {
    match args::parse(&invocation.argv) {
        Ok(args::Parsed::Command(cli)) => commands::dispatch(*cli, invocation),
        Ok(args::Parsed::Printed(status)) => Outcome::Exit(status),
        Err(status) => Outcome::Exit(status),
    }
}

pub use commands::finish_run;
pub use session::{
    DEFAULT_COV_CONFIG, SessionRequest, display_covered, plan_session, run_session_command,
    should_fail_under,
};
