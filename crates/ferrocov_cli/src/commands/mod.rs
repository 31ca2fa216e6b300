//! The top layer: one module per command, each turning its parsed arguments into typed set-up
//! and pipeline calls and printing what comes back. This module routes a command line to them
//! and holds what the reporting commands share.

mod annotate;
mod combine;
mod contexts;
mod debug;
mod erase;
mod html;
mod json;
mod lcov;
pub(crate) mod print;
mod report;
mod run;
mod xml;

use ferrocov_config::LoadedConfig;

use crate::args::{self, Command, CommonArgs};
use crate::diagnostics::Diagnostics;
use crate::pipeline::{Report, ReportOutcome, ReportRequest, make_reports};
use crate::setup::{Invocation, collect_debug, load_config, resolve_data_file};
use crate::{EXIT_ERROR, EXIT_FAIL_UNDER, EXIT_OK, Outcome};

/// Parses `argv` (program name first) and runs the command it names.
pub(crate) fn main(invocation: &Invocation) -> Outcome {
    let cli = match args::parse(&invocation.argv) {
        args::Parsed::Command(cli) => cli,
        args::Parsed::Stop {
            text,
            to_stderr,
            status,
        } => {
            if to_stderr {
                eprint!("{text}");
            } else {
                print::stdout(&text);
            }
            return Outcome::Exit(status);
        }
    };
    let debug = collect_debug(&cli.debug);
    let mut diagnostics = Diagnostics::new();
    let loaded = load_config(invocation, cli.rcfile.as_deref(), &debug, &mut diagnostics);
    print::diagnostics(&diagnostics);
    let config = match loaded {
        Ok(config) => config,
        Err(err) => {
            print::error(&err);
            return Outcome::Exit(EXIT_ERROR);
        }
    };
    let result = match cli.command {
        Command::Run(args) => return run::plan(args, config, debug, invocation),
        Command::Combine(args) => combine::execute(&args, &config, &debug, invocation),
        Command::Erase(args) => erase::execute(&args, &config, invocation),
        Command::Report(args) => report::execute(&args, &config, &debug, invocation),
        Command::Json(args) => json::execute(&args, &config, &debug, invocation),
        Command::Xml(args) => xml::execute(&args, &config, &debug, invocation),
        Command::Lcov(args) => lcov::execute(&args, &config, &debug, invocation),
        Command::Annotate(args) => annotate::execute(&args, &config, &debug, invocation),
        Command::Html(args) => html::execute(&args, &config, &debug, invocation),
        Command::Debug(args) => debug::execute(&args, &config, invocation),
        Command::Contexts(args) => contexts::execute(&args, &config, &debug, invocation),
    };
    match result {
        Ok(status) => Outcome::Exit(status),
        Err(err) => {
            print::error(&err);
            Outcome::Exit(EXIT_ERROR)
        }
    }
}

/// The context regexes a reporting command narrows its data to: `--contexts`, else
/// `[report] contexts`. coverage.py's `report`, `json` and `html` take them; `xml`, `lcov` and
/// `annotate` have no `--contexts` and ignore the setting (they pass `None`).
fn report_contexts(option: Option<&str>, config: &LoadedConfig) -> Option<Vec<String>> {
    option
        .and_then(crate::pipeline::contexts::split_option)
        .or_else(|| config.settings.report.contexts.clone())
}

/// The pipeline request a reporting command's common options make, for one report.
fn report_request(
    common: &CommonArgs,
    report: Report,
    contexts: Option<Vec<String>>,
    (config, debug, invocation): (&LoadedConfig, &[String], &Invocation),
) -> ReportRequest {
    let given = |list: &[String]| (!list.is_empty()).then(|| list.to_vec());
    ReportRequest {
        data_file: resolve_data_file(common.data_file.as_deref(), config, invocation),
        cwd: invocation.cwd.clone(),
        python: invocation.python.unwrap_or((3, 13, 0)),
        settings: config.settings.clone(),
        include: given(&common.include),
        omit: given(&common.omit),
        ignore_errors: common.ignore_errors,
        keep_combined: common.keep_combined,
        debug: debug.to_vec(),
        contexts,
        reports: vec![report],
    }
}

/// Runs one report through the pipeline and prints its diagnostics, its text (on stdout) and,
/// unless `quiet`, coverage.py's "Wrote ... report to ..." line. Returns the total, or the exit
/// status when the report failed.
fn run_report(request: &ReportRequest, label: &str, quiet: bool) -> Result<f64, i32> {
    let ReportOutcome {
        total,
        results,
        diagnostics,
    } = make_reports(request);
    print::diagnostics(&diagnostics);
    let (Some(total), Some(result)) = (total, results.into_iter().next()) else {
        return Err(EXIT_ERROR);
    };
    if let Some(error) = &result.error {
        print::diagnostic(error);
        return Err(EXIT_ERROR);
    }
    if let Some(text) = &result.text {
        print::stdout(text);
    }
    if let (Some(written), false) = (&result.written, quiet) {
        print::info(format_args!("Wrote {label} report to {written}"));
    }
    Ok(total)
}

/// Applies `--fail-under` / `[report] fail_under` to a total, as coverage.py does: the message
/// goes to stdout and the status is 2.
fn fail_under_status(
    total: f64,
    cli: Option<f64>,
    precision: u32,
    config: &LoadedConfig,
) -> anyhow::Result<i32> {
    let fail_under = cli.unwrap_or(config.settings.report.fail_under);
    if fail_under <= 0.0 {
        return Ok(EXIT_OK);
    }
    if ferrocov_report::should_fail_under(total, fail_under, precision)? {
        print::stdout_line(format_args!(
            "Coverage failure: {}",
            ferrocov_report::fail_under_message(total, fail_under, precision)
        ));
        return Ok(EXIT_FAIL_UNDER);
    }
    Ok(EXIT_OK)
}

/// `json`, `xml` and `lcov`: one report to a file (or stdout), then `[report] fail_under`.
fn file_report(
    common: &CommonArgs,
    (report, contexts): (Report, Option<Vec<String>>),
    label: &str,
    quiet: bool,
    (config, debug, invocation): (&LoadedConfig, &[String], &Invocation),
) -> anyhow::Result<i32> {
    let request = report_request(common, report, contexts, (config, debug, invocation));
    let precision = config.settings.report.precision;
    report_status(&request, label, quiet, common.fail_under, precision, config)
}

/// A reporting command from its request to its exit status: the report, then fail-under.
fn report_status(
    request: &ReportRequest,
    label: &str,
    quiet: bool,
    fail_under: Option<f64>,
    precision: u32,
    config: &LoadedConfig,
) -> anyhow::Result<i32> {
    match run_report(request, label, quiet) {
        Ok(total) => fail_under_status(total, fail_under, precision, config),
        Err(status) => Ok(status),
    }
}
