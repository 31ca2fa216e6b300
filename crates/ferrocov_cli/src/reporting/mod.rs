//! What every reporting command shares: combining pending data first (as coverage.py 7.14+
//! does), reading the data file, choosing the files to report, analysing them in parallel, and
//! turning the results into the report writers' input.

mod inputs;

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use ferrocov_config::LoadedConfig;

pub(crate) use inputs::{FileSelection, collect_files};

use crate::commands::combine::{CombineOptions, combine_into, pending_inputs};
use crate::commands::resolve_data_file;
use crate::{EXIT_FAIL_UNDER, EXIT_OK, Invocation, messages};

/// Options every reporting command has.
#[derive(Debug, clap::Args)]
pub(crate) struct CommonArgs {
    /// Data file to report on (default from [run] data_file or COVERAGE_FILE, else .coverage).
    #[arg(long, value_name = "FILE")]
    pub(crate) data_file: Option<String>,

    /// Ignore errors while reading source files.
    #[arg(short = 'i', long)]
    pub(crate) ignore_errors: bool,

    /// Include only files whose paths match one of these patterns (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "PAT1,PAT2,...")]
    pub(crate) include: Vec<String>,

    /// Omit files whose paths match one of these patterns (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "PAT1,PAT2,...")]
    pub(crate) omit: Vec<String>,

    /// Keep the combined data files after combining them before reporting.
    #[arg(long)]
    pub(crate) keep_combined: bool,

    /// Exit with status 2 if the total coverage is less than MIN.
    #[arg(long, value_name = "MIN")]
    pub(crate) fail_under: Option<f64>,
}

/// The data file a report reads, with pending shards and parallel files combined into it.
fn prepare_data(
    common: &CommonArgs,
    config: &LoadedConfig,
    invocation: &Invocation,
    debug: &[String],
) -> anyhow::Result<PathBuf> {
    let data_file = resolve_data_file(common.data_file.as_deref(), config, invocation);
    if pending_inputs(&data_file) {
        let options = CombineOptions {
            only_inputs: false,
            touch: Vec::new(),
            append: true,
            keep: common.keep_combined,
            debug: debug.iter().any(|t| t == "combine"),
        };
        combine_into(&data_file, Vec::new(), &options, config, &invocation.cwd)?;
    }
    if !data_file.exists() {
        bail!("No data to report.");
    }
    Ok(data_file)
}

/// Everything a reporting command starts with: pending data combined, then the files to report
/// on, analysed.
pub(crate) fn report_files(
    common: &CommonArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<Vec<ferrocov_report::FileInput>> {
    let data_file = prepare_data(common, config, invocation, debug)?;
    analysed_files(common, &data_file, config, invocation)
}

/// The files to report on, analysed; errors follow `-i`/`[report] ignore_errors`.
fn analysed_files(
    common: &CommonArgs,
    data_file: &Path,
    config: &LoadedConfig,
    invocation: &Invocation,
) -> anyhow::Result<Vec<ferrocov_report::FileInput>> {
    let report = &config.settings.report;
    let run = &config.settings.run;
    let selection = FileSelection {
        include: pick(
            &common.include,
            report.include.as_deref().or(Some(&run.include)),
        ),
        omit: pick(&common.omit, report.omit.as_deref().or(Some(&run.omit))),
        ignore_errors: common.ignore_errors || report.ignore_errors,
        exclude: report.exclude_regexes(),
        python: invocation.python.unwrap_or((3, 13)),
        relative_files: config.settings.run.relative_files,
    };
    let data = ferrocov_data::read_data_file(data_file)
        .with_context(|| format!("cannot read {}", data_file.display()))?;
    let (files, warnings) = collect_files(&data, &selection, &invocation.cwd)?;
    for warning in warnings {
        messages::warning(warning);
    }
    if files.is_empty() {
        bail!("No data to report.");
    }
    Ok(files)
}

/// The command line's list, else the configured one, else nothing.
fn pick(cli: &[String], configured: Option<&[String]>) -> Vec<String> {
    if cli.is_empty() {
        configured.map(<[String]>::to_vec).unwrap_or_default()
    } else {
        cli.to_vec()
    }
}

/// Applies `--fail-under` / `[report] fail_under` to a total, as coverage.py does: the message
/// goes to stdout and the status is 2.
pub(crate) fn fail_under_status(
    total: f64,
    cli: Option<f64>,
    precision: u32,
    config: &LoadedConfig,
) -> anyhow::Result<i32> {
    messages::record_total(total);
    let fail_under = cli.unwrap_or(config.settings.report.fail_under);
    if fail_under <= 0.0 {
        return Ok(EXIT_OK);
    }
    if ferrocov_report::should_fail_under(total, fail_under, precision)? {
        messages::stdout_line(format_args!(
            "Coverage failure: {}",
            ferrocov_report::fail_under_message(total, fail_under, precision)
        ));
        return Ok(EXIT_FAIL_UNDER);
    }
    Ok(EXIT_OK)
}

/// Writes a report to `output` ("-" = stdout), creating its directory, then says so as
/// coverage.py does ("Wrote JSON report to coverage.json") unless quiet. Returns the total.
pub(crate) fn write_output(
    output: &str,
    kind: &str,
    quiet: bool,
    invocation: &Invocation,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<f64, ferrocov_report::ReportError>,
) -> anyhow::Result<f64> {
    if output == "-" {
        return Ok(write(&mut messages::Stdout)?);
    }
    let path = invocation.cwd.join(output);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let file =
        std::fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut buffered = std::io::BufWriter::new(file);
    let total = write(&mut buffered)?;
    std::io::Write::flush(&mut buffered)
        .with_context(|| format!("cannot write {}", path.display()))?;
    if !quiet {
        // On stderr, as coverage.py does, so stdout stays the report's own when it is "-".
        messages::info(format_args!("Wrote {kind} report to {output}"));
    }
    Ok(total)
}
