//! `ferrocov run`: the options become a [`RunPlan`] the Python shell executes; the run is ended
//! by `pipeline::finish_run`.

use ferrocov_config::LoadedConfig;

use super::print;
use crate::args::RunArgs;
use crate::diagnostics::Diagnostics;
use crate::setup::{Invocation, RunOptions, plan_run};
use crate::{EXIT_ERROR, Outcome};

pub(super) fn plan(
    args: RunArgs,
    config: LoadedConfig,
    debug: Vec<String>,
    invocation: &Invocation,
) -> Outcome {
    let options = RunOptions {
        program: args.program,
        module: args.module,
        append: args.append,
        parallel: args.parallel_mode,
        branch: args.branch,
        context: args.context,
        pylib: args.pylib,
        data_file: args.data_file.data_file,
        source: args.source,
        include: args.include,
        omit: args.omit,
    };
    let mut diagnostics = Diagnostics::new();
    let planned = plan_run(options, config, debug, invocation, &mut diagnostics);
    print::diagnostics(&diagnostics);
    match planned {
        Ok(plan) => Outcome::Run(Box::new(plan)),
        Err(err) => {
            print::error(&err);
            Outcome::Exit(EXIT_ERROR)
        }
    }
}
