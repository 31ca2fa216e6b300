//! One path from measured data to every report: pending shards and parallel files are combined,
//! the data file is read once, each measured file is analysed once (in parallel), and every
//! report asked for is written from those analyses. The `ferrocov` commands and the pytest
//! plugin both come in through [`make_reports`] with typed values and get typed results back.
//!
//! Uses `setup` (typed settings) and nothing above it; clap's types never reach this far.

mod combine;
pub mod contexts;
mod files;
pub mod line_query;
mod write;

use std::path::PathBuf;

use ferrocov_config::Settings;
use ferrocov_report::{FileInput, Numbers};

pub use combine::{CombineOptions, combine_into, finish_run, pending_inputs};
pub use ferrocov_report::text::TextFormat;
pub use write::{
    AnnotateReport, HtmlReport, JsonReport, LcovReport, Output, Report, TextReport, XmlReport,
};

use crate::diagnostics::{Diagnostic, Diagnostics};
use files::FileSelection;

/// Everything needed to report on one data file: where it is, the settings to apply, and the
/// reports wanted. `None` fields fall back to the configuration, as coverage.py's options do.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// The data file (absolute). Pending shards and parallel files next to it are combined
    /// into it first, as coverage.py 7.14+ does before reporting.
    pub data_file: PathBuf,
    /// The directory relative names are shown against and outputs are written in.
    pub cwd: PathBuf,
    /// The Python version (major, minor, micro) whose compiler source analysis must match.
    pub python: (u8, u8, u8),
    pub settings: Settings,
    /// `--include`, replacing `[report] include` (and `[run] include`).
    pub include: Option<Vec<String>>,
    /// `--omit`, replacing `[report] omit` (and `[run] omit`).
    pub omit: Option<Vec<String>>,
    /// `-i`; `[report] ignore_errors` turns it on too.
    pub ignore_errors: bool,
    /// `--keep-combined`: keep the inputs combined before reporting.
    pub keep_combined: bool,
    /// The `--debug` topics.
    pub debug: Vec<String>,
    /// Report only what these contexts ran (Python regexes, any of them found in the label):
    /// `--contexts` or `[report] contexts`, for the reports coverage.py narrows (see
    /// [`contexts`]); `None` or empty: everything.
    pub contexts: Option<Vec<String>>,
    pub reports: Vec<Report>,
}

/// What one report became.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportResult {
    /// The report's text when its output is [`Output::Returned`].
    pub text: Option<String>,
    /// The file or directory written, as the report's output option named it.
    pub written: Option<String>,
    /// Why the report could not be written; the others are written regardless.
    pub error: Option<Diagnostic>,
}

/// The result of [`make_reports`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportOutcome {
    /// The total percentage covered (coverage.py's `pc_covered`), unrounded; `None` when there
    /// was nothing to report.
    pub total: Option<f64>,
    /// One result per requested report, in the order asked.
    pub results: Vec<ReportResult>,
    /// Warnings, debug lines, and the error that stopped everything (if one did).
    pub diagnostics: Diagnostics,
}

impl ReportOutcome {
    /// Whether anything failed: the whole pipeline or one of the reports.
    pub fn failed(&self) -> bool {
        self.diagnostics.has_errors() || self.results.iter().any(|r| r.error.is_some())
    }
}

/// Combines what is pending, reads the data once, analyses each file once and writes every
/// report in `request`. Never fails as a whole: problems come back as diagnostics.
pub fn make_reports(request: &ReportRequest) -> ReportOutcome {
    let mut outcome = ReportOutcome::default();
    let analysed = match analysed_files(request, &mut outcome.diagnostics) {
        Ok(analysed) => analysed,
        Err(err) => {
            outcome.diagnostics.error(&err);
            return outcome;
        }
    };
    if request.debug.iter().any(|t| t == "html") {
        outcome.diagnostics.debug(
            "html",
            format!(
                "{} files analysed, {} kept unanalysed from the last HTML report",
                analysed.collected.files.len(),
                analysed.collected.kept.len()
            ),
        );
    }
    let numbers = analysed
        .collected
        .files
        .iter()
        .map(FileInput::numbers)
        .chain(analysed.collected.kept.iter().map(|k| k.numbers()));
    let total = numbers
        .fold(Numbers::default(), |mut sum, n| {
            sum += n;
            sum
        })
        .percent();
    outcome.total = Some(total);
    outcome.results = request
        .reports
        .iter()
        .map(|report| write::write_one(report, &analysed, request))
        .collect();
    outcome
}

/// The data read once, and the files analysed once (or kept from the last HTML report).
pub(crate) struct Analysed {
    data: ferrocov_data::CoverageData,
    selection: FileSelection,
    collected: files::Collected,
}

impl Analysed {
    pub(crate) fn files(&self) -> &[FileInput] {
        &self.collected.files
    }

    pub(crate) fn kept(&self) -> &[ferrocov_report::html::KeptFile] {
        &self.collected.kept
    }

    /// Analyses a kept file after all.
    pub(crate) fn reanalyse(
        &self,
        kept: &ferrocov_report::html::KeptFile,
        cwd: &std::path::Path,
    ) -> Result<FileInput, String> {
        files::reanalyse(&kept.path, &self.data, &self.selection, cwd)
    }
}

/// The files to report on, analysed, after combining what is pending.
fn analysed_files(
    request: &ReportRequest,
    diagnostics: &mut Diagnostics,
) -> anyhow::Result<Analysed> {
    // One HTML report alone can skip analysing the files its last run's pages still show
    // (not when it is one file: every page is in it, so every file is analysed). Its record
    // is read while the data is.
    let html = match request.reports.as_slice() {
        [Report::Html(html)] if html.single_file.is_none() => {
            Some(write::html_options(html, request))
        }
        _ => None,
    };
    let (data, recorded) = std::thread::scope(|scope| {
        let reading = html.as_ref().map(|options| {
            // Without a thread to spare, the record is read after the data instead.
            std::thread::Builder::new()
                .spawn_scoped(scope, || ferrocov_report::html::Recorded::read(options))
                .map_err(|_| options)
        });
        let data = read_data(request, diagnostics);
        let recorded = reading.map(|reading| match reading {
            Ok(thread) => thread.join().unwrap_or_default(),
            Err(options) => ferrocov_report::html::Recorded::read(options),
        });
        (data, recorded)
    });
    let data = data?;
    let selection = FileSelection::new(request);
    let reuse = html.zip(recorded).and_then(|(options, recorded)| {
        ferrocov_report::html::Reuse::from_record(recorded, &options, data.has_arcs())
            .ok()
            .map(|reuse| (reuse, options))
    });
    let collected =
        files::collect_files(&data, &selection, &request.cwd, reuse.as_ref(), diagnostics)?;
    if collected.files.is_empty() && collected.kept.is_empty() {
        anyhow::bail!("No data to report.");
    }
    Ok(Analysed {
        data,
        selection,
        collected,
    })
}

/// The request's data as its reports see it: what is pending combined into the data file
/// first, then the file read and narrowed to the request's contexts.
pub fn read_data(
    request: &ReportRequest,
    diagnostics: &mut Diagnostics,
) -> anyhow::Result<ferrocov_data::CoverageData> {
    let config = ferrocov_config::LoadedConfig {
        settings: request.settings.clone(),
        config_file: None,
        warnings: Vec::new(),
    };
    if pending_inputs(&request.data_file) {
        let options = CombineOptions {
            only_inputs: false,
            touch: Vec::new(),
            append: true,
            keep: request.keep_combined,
            debug: request.debug.iter().any(|t| t == "combine"),
            map_paths: true,
        };
        combine_into(
            &request.data_file,
            Vec::new(),
            &options,
            &config,
            &request.cwd,
            diagnostics,
        )?;
    }
    if !request.data_file.exists() {
        anyhow::bail!("No data to report.");
    }
    let mut data = ferrocov_data::read_data_file(&request.data_file)
        .map_err(|err| anyhow::anyhow!(err))
        .map_err(|err| err.context(format!("cannot read {}", request.data_file.display())))?;
    // Before narrowing: the question is what was measured, not what is reported.
    if FileSelection::new(request).html_contexts && contexts::only_empty_context(&data) {
        diagnostics.warning("No contexts were measured");
    }
    contexts::narrow(&mut data, request.contexts.as_deref().unwrap_or_default())?;
    Ok(data)
}
