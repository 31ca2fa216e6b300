//! The command line as clap sees it: one struct per command, as close to coverage.py's options as
//! clap allows, and nothing resolved yet (configuration is merged in later, by `setup`). The
//! bottom layer of the crate: it uses nothing else in it.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{EXIT_ERROR, EXIT_OK};

#[derive(Debug, Parser)]
#[command(
    name = "ferrocov",
    version,
    about = "Code coverage for Python, measured in Rust. A drop-in replacement for coverage.py.",
    disable_help_subcommand = true
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,

    /// Debug topics to print on stderr, comma-separated (sys, trace, combine, config, process, html).
    #[arg(long, global = true, value_delimiter = ',', env = "COVERAGE_DEBUG")]
    pub(crate) debug: Vec<String>,

    /// Configuration file to read instead of the default search (also COVERAGE_RCFILE).
    #[arg(long, global = true, value_name = "RCFILE")]
    pub(crate) rcfile: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run a Python program and measure its coverage.
    Run(RunArgs),
    /// Combine shards and coverage data files into one data file.
    Combine(CombineArgs),
    /// Erase previously collected coverage data.
    Erase(DataFileArg),
    /// Report coverage statistics on modules.
    Report(ReportArgs),
    /// Write a JSON report of coverage results.
    Json(JsonArgs),
    /// Write a Cobertura XML report of coverage results.
    Xml(XmlArgs),
    /// Write an LCOV report of coverage results.
    Lcov(LcovArgs),
    /// Annotate source files with execution information.
    Annotate(AnnotateArgs),
    /// Create an HTML report of the coverage of the files.
    Html(HtmlArgs),
    /// Display information about the installation and the data, for bug reports.
    Debug(DebugArgs),
    /// List the contexts (tests) that ran some lines of a file.
    Contexts(ContextsArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ContextsArgs {
    /// The file, as a path relative to here or absolute, with an optional line or range of
    /// lines: FILE, FILE:LINE or FILE:FIRST-LAST.
    #[arg(value_name = "FILE[:LINE[-LINE]]")]
    pub(crate) spec: String,
    /// Print a JSON object (the file, the lines asked for, the contexts, and the contexts per
    /// line) instead of one context per line.
    #[arg(long)]
    pub(crate) json: bool,
    /// Only consider these contexts (Python regexes, comma-separated).
    #[arg(long, value_name = "REGEX1,REGEX2,...", allow_hyphen_values = true)]
    pub(crate) contexts: Option<String>,
    #[command(flatten)]
    pub(crate) data_file: DataFileArg,
}

/// Options every reporting command has.
#[derive(Debug, Args)]
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

/// What `ferrocov debug` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DebugTopic {
    /// ferrocov, the platform, the formats it reads and writes, the environment it reads.
    Sys,
    /// The configuration as read: its file and every setting.
    Config,
    /// The data file: its measured files and line counts.
    Data,
}

#[derive(Debug, Args)]
pub(crate) struct DebugArgs {
    /// What to show.
    #[arg(value_enum)]
    pub(crate) topic: DebugTopic,

    #[command(flatten)]
    pub(crate) data_file: DataFileArg,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    pub(crate) common: CommonArgs,
    /// Only display data from lines covered in the given contexts (Python regexes).
    #[arg(long, value_name = "REGEX1,REGEX2,...", allow_hyphen_values = true)]
    pub(crate) contexts: Option<String>,
    /// Output format: text, markdown or total.
    #[arg(long, value_name = "FORMAT")]
    pub(crate) format: Option<String>,
    /// Number of digits after the decimal point to display for reported coverage percentages.
    #[arg(long)]
    pub(crate) precision: Option<u32>,
    /// Sort the report by the named column: name, stmts, miss or cover (prefix - to reverse).
    #[arg(long, value_name = "COLUMN", allow_hyphen_values = true)]
    pub(crate) sort: Option<String>,
    /// Show line numbers of statements in each module that weren't executed.
    #[arg(short = 'm', long)]
    pub(crate) show_missing: bool,
    /// Skip files with 100% coverage.
    #[arg(long, overrides_with = "no_skip_covered")]
    pub(crate) skip_covered: bool,
    /// Disable --skip-covered.
    #[arg(long)]
    pub(crate) no_skip_covered: bool,
    /// Skip files with no code.
    #[arg(long)]
    pub(crate) skip_empty: bool,
}

#[derive(Debug, Args)]
pub(crate) struct JsonArgs {
    #[command(flatten)]
    pub(crate) common: CommonArgs,
    /// Only display data from lines covered in the given contexts (Python regexes).
    #[arg(long, value_name = "REGEX1,REGEX2,...", allow_hyphen_values = true)]
    pub(crate) contexts: Option<String>,
    /// Show contexts for covered lines.
    #[arg(long)]
    pub(crate) show_contexts: bool,
    /// Write the JSON report to this file (default coverage.json; "-" for stdout).
    #[arg(short = 'o', value_name = "OUTFILE")]
    pub(crate) output: Option<String>,
    /// Format the JSON for human readers.
    #[arg(long)]
    pub(crate) pretty_print: bool,
    /// Don't print messages about what is happening.
    #[arg(short = 'q', long)]
    pub(crate) quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct XmlArgs {
    #[command(flatten)]
    pub(crate) common: CommonArgs,
    /// Write the XML report to this file (default coverage.xml; "-" for stdout).
    #[arg(short = 'o', value_name = "OUTFILE")]
    pub(crate) output: Option<String>,
    /// Skip files with no code.
    #[arg(long)]
    pub(crate) skip_empty: bool,
    /// Don't print messages about what is happening.
    #[arg(short = 'q', long)]
    pub(crate) quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct LcovArgs {
    #[command(flatten)]
    pub(crate) common: CommonArgs,
    /// Write the LCOV report to this file (default coverage.lcov; "-" for stdout).
    #[arg(short = 'o', value_name = "OUTFILE")]
    pub(crate) output: Option<String>,
    /// Don't print messages about what is happening.
    #[arg(short = 'q', long)]
    pub(crate) quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct HtmlArgs {
    #[command(flatten)]
    pub(crate) common: CommonArgs,
    /// Only display data from lines covered in the given contexts (Python regexes).
    #[arg(long, value_name = "REGEX1,REGEX2,...", allow_hyphen_values = true)]
    pub(crate) contexts: Option<String>,
    /// Show contexts for covered lines.
    #[arg(long)]
    pub(crate) show_contexts: bool,
    /// Write the output files to DIR (default [html] directory, else htmlcov).
    #[arg(short = 'd', long, value_name = "DIR")]
    pub(crate) directory: Option<String>,
    /// A title for the HTML pages.
    #[arg(long, value_name = "TITLE")]
    pub(crate) title: Option<String>,
    /// Number of digits after the decimal point to display for reported coverage percentages.
    #[arg(long)]
    pub(crate) precision: Option<u32>,
    /// Skip files with 100% coverage.
    #[arg(long, overrides_with = "no_skip_covered")]
    pub(crate) skip_covered: bool,
    /// Disable --skip-covered.
    #[arg(long)]
    pub(crate) no_skip_covered: bool,
    /// Skip files with no code.
    #[arg(long)]
    pub(crate) skip_empty: bool,
    /// Write the whole report as one self-contained HTML file instead of a directory (default
    /// FILE: the directory's name with .html, e.g. htmlcov.html). ferrocov's own option.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "")]
    pub(crate) single_file: Option<String>,
    /// Don't print messages about what is happening.
    #[arg(short = 'q', long)]
    pub(crate) quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct AnnotateArgs {
    #[command(flatten)]
    pub(crate) common: CommonArgs,
    /// Write the annotated files to this directory instead of next to the sources.
    #[arg(short = 'd', long, value_name = "DIR")]
    pub(crate) directory: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct DataFileArg {
    /// Data file to use (default from [run] data_file or COVERAGE_FILE, else .coverage).
    #[arg(long, value_name = "FILE")]
    pub(crate) data_file: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// Append to the existing data file instead of starting afresh.
    #[arg(short = 'a', long)]
    pub(crate) append: bool,

    #[command(flatten)]
    pub(crate) data_file: DataFileArg,

    /// Measure only files matching these glob patterns (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "PAT1,PAT2,...")]
    pub(crate) include: Vec<String>,

    /// Don't measure files matching these glob patterns (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "PAT1,PAT2,...")]
    pub(crate) omit: Vec<String>,

    /// Measure only code in these directories or packages (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "SRC1,SRC2,...")]
    pub(crate) source: Vec<String>,

    /// Leave the measured data uncombined, for a later `ferrocov combine`.
    #[arg(short = 'p', long)]
    pub(crate) parallel_mode: bool,

    /// Measure the standard library too.
    #[arg(short = 'L', long)]
    pub(crate) pylib: bool,

    /// The program is a module name to run like `python -m`.
    #[arg(short = 'm', long)]
    pub(crate) module: bool,

    /// Measure branch coverage in addition to statement coverage.
    #[arg(long)]
    pub(crate) branch: bool,

    /// The static context label to record everything under (`[run] context`).
    #[arg(long, value_name = "LABEL")]
    pub(crate) context: Option<String>,

    /// The program (a file, or a module with -m) and its arguments.
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "PROGRAM [ARGS]"
    )]
    pub(crate) program: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct CombineArgs {
    /// Append to the existing data file instead of replacing it.
    #[arg(short = 'a', long)]
    pub(crate) append: bool,

    #[command(flatten)]
    pub(crate) data_file: DataFileArg,

    /// Keep the combined input files instead of deleting them.
    #[arg(long)]
    pub(crate) keep: bool,

    /// Don't print the summary line.
    #[arg(short = 'q', long)]
    pub(crate) quiet: bool,

    /// Extra data files or directories to combine.
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<String>,
}

pub(crate) enum Parsed {
    Command(Box<Cli>),
    /// Help, the version or a usage error: print `text` (on stderr for an error) and exit with
    /// `status`, coverage.py's for each case.
    Stop {
        text: String,
        to_stderr: bool,
        status: i32,
    },
}

/// Parses `argv` (program name first).
pub(crate) fn parse(argv: &[String]) -> Parsed {
    match Cli::try_parse_from(argv) {
        Ok(cli) => Parsed::Command(Box::new(cli)),
        Err(err) => {
            let to_stderr = err.use_stderr();
            Parsed::Stop {
                text: err.render().to_string(),
                to_stderr,
                status: if to_stderr { EXIT_ERROR } else { EXIT_OK },
            }
        }
    }
}
