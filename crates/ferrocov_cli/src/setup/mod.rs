//! The set-up every command and session goes through before any data is touched: what the
//! invoking process looks like, the configuration, the data file, and the plan of a measured run.
//! Uses nothing above it (the pipeline, the commands); takes typed values, never clap's.

mod config;
mod invocation;
mod plan;
pub mod unsupported;

pub use config::{collect_debug, config_source, debug_from_env, load_config, resolve_data_file};
pub use invocation::Invocation;
pub use plan::{
    DEFAULT_COV_CONFIG, RunOptions, RunPlan, RunTarget, SessionRequest, configured_source_dirs,
    plan_run, plan_session,
};
