//! Choosing and analysing the files a report covers: `include`/`omit` filtering, source
//! analysis in parallel, and coverage.py's handling of files that are missing or not Python.

use std::path::{Path, PathBuf};

use anyhow::bail;
use ferrocov_analysis::{AnalysisError, AnalysisOptions, CodeRegion, FileAnalysis};
use ferrocov_config::GlobMatcher;
use ferrocov_data::CoverageData;
use ferrocov_report::html::{HtmlOptions, KeptFile, Reuse};
use ferrocov_report::{BranchFacts, FileInput, Region, RegionKind};
use rayon::prelude::*;

use super::ReportRequest;
use crate::diagnostics::Diagnostics;

/// Which measured files are reported, and how they are analysed.
pub(super) struct FileSelection {
    include: Vec<String>,
    omit: Vec<String>,
    ignore_errors: bool,
    exclude: Vec<String>,
    /// `partial_branches` + `partial_also` + `partial_branches_always`, as coverage.py joins them.
    /// Used only for branch data (as in coverage.py, a bad partial regex can't stop a line report).
    partial: Vec<String>,
    python: (u8, u8, u8),
    relative_files: bool,
    /// Whether an HTML report is made: it wants the sentences of missed branches, and each
    /// file's input hash (to skip it next time).
    describe_missing: bool,
    /// Whether a report shows each line's contexts (JSON or HTML `show_contexts`).
    show_contexts: bool,
    /// Whether the HTML report does: its pages then depend on the labels too.
    pub(super) html_contexts: bool,
}

impl FileSelection {
    /// The request's options over the configuration: `--include`/`--omit` replace
    /// `[report] include`/`omit`, which replace `[run]`'s.
    pub(super) fn new(request: &ReportRequest) -> Self {
        let report = &request.settings.report;
        let run = &request.settings.run;
        let pick = |given: &Option<Vec<String>>, reported: &Option<Vec<String>>, ran: &[String]| {
            given
                .clone()
                .or_else(|| reported.clone())
                .unwrap_or_else(|| ran.to_vec())
        };
        Self {
            include: pick(&request.include, &report.include, &run.include),
            omit: pick(&request.omit, &report.omit, &run.omit),
            ignore_errors: request.ignore_errors || report.ignore_errors,
            exclude: report.exclude_regexes(),
            partial: partial_regexes(report, request.python),
            python: request.python,
            relative_files: run.relative_files,
            describe_missing: request
                .reports
                .iter()
                .any(|r| matches!(r, super::Report::Html(_))),
            show_contexts: request
                .reports
                .iter()
                .any(|r| super::write::shows_contexts(r, &request.settings)),
            html_contexts: request.reports.iter().any(|r| {
                matches!(r, super::Report::Html(_))
                    && super::write::shows_contexts(r, &request.settings)
            }),
        }
    }
}

/// coverage.py's joined partial-branch regexes: `partial_branches`, `partial_also`, then
/// `partial_branches_always`. The configuration's default for the last is coverage.py 7.16's
/// (unanchored); left at that default it becomes the default of the coverage.py that runs on
/// `python` (7.17 anchors it at the start of the statement on 3.11+).
fn partial_regexes(report: &ferrocov_config::ReportSettings, python: (u8, u8, u8)) -> Vec<String> {
    let configured_default = report
        .partial_branches_always
        .iter()
        .map(String::as_str)
        .eq(ferrocov_config::DEFAULT_PARTIAL_ALWAYS);
    let always = if configured_default {
        ferrocov_analysis::default_partial(python).split_off(ferrocov_config::DEFAULT_PARTIAL.len())
    } else {
        report.partial_branches_always.clone()
    };
    report.partial_regexes().into_iter().chain(always).collect()
}

enum Outcome {
    Report(Box<FileInput>),
    /// The HTML report's last page of the file still holds: no analysis needed.
    Kept(Box<KeptFile>),
    Skip(Option<String>),
    Fail(String),
}

/// The files a report covers: analysed, or kept as the last HTML report showed them.
#[derive(Default)]
pub(super) struct Collected {
    pub(super) files: Vec<FileInput>,
    /// Only when the request is one HTML report whose `status.json` vouches for them.
    pub(super) kept: Vec<KeptFile>,
}

/// The HTML report's record of its last run, when the request is that report alone.
pub(super) type HtmlReuse = (Reuse, HtmlOptions);

fn analysis_options(data: &CoverageData, selection: &FileSelection) -> AnalysisOptions {
    AnalysisOptions {
        python: selection.python,
        exclude: selection.exclude.clone(),
        partial: selection.partial.clone(),
        branches: data.has_arcs(),
    }
}

/// The reportable files of `data`, sorted by path; warnings go into `diagnostics`.
pub(super) fn collect_files(
    data: &CoverageData,
    selection: &FileSelection,
    cwd: &Path,
    reuse: Option<&HtmlReuse>,
    diagnostics: &mut Diagnostics,
) -> anyhow::Result<Collected> {
    let include = matcher(&selection.include, cwd)?;
    let omit = matcher(&selection.omit, cwd)?;
    let options = analysis_options(data, selection);
    let mut paths: Vec<&str> = data
        .files()
        .filter(|path| {
            let full = absolute(path, cwd);
            let full = full.to_string_lossy();
            include.as_ref().is_none_or(|m| m.matches(&full))
                && !omit.as_ref().is_some_and(|m| m.matches(&full))
        })
        .collect();
    paths.sort_unstable();
    let outcomes: Vec<Outcome> = paths
        .par_iter()
        .map(|path| analyse_one(path, data, &options, selection, cwd, reuse))
        .collect();
    let mut collected = Collected::default();
    for outcome in outcomes {
        match outcome {
            Outcome::Report(file) => collected.files.push(*file),
            Outcome::Kept(file) => collected.kept.push(*file),
            Outcome::Skip(warning) => {
                if let Some(warning) = warning {
                    diagnostics.warning(warning);
                }
            }
            Outcome::Fail(message) => bail!(message),
        }
    }
    Ok(collected)
}

/// Analyses one file the HTML report had kept, whose page must be written after all.
pub(super) fn reanalyse(
    path: &str,
    data: &CoverageData,
    selection: &FileSelection,
    cwd: &Path,
) -> Result<FileInput, String> {
    match analyse_one(
        path,
        data,
        &analysis_options(data, selection),
        selection,
        cwd,
        None,
    ) {
        Outcome::Report(file) => Ok(*file),
        Outcome::Fail(message) => Err(message),
        Outcome::Skip(_) | Outcome::Kept(_) => Err(format!("{path} can no longer be analysed")),
    }
}

fn matcher(patterns: &[String], cwd: &Path) -> anyhow::Result<Option<GlobMatcher>> {
    if patterns.is_empty() {
        return Ok(None);
    }
    Ok(Some(GlobMatcher::for_file_patterns(patterns, cwd)?))
}

fn absolute(path: &str, cwd: &Path) -> PathBuf {
    cwd.join(path)
}

fn analyse_one(
    path: &str,
    data: &CoverageData,
    options: &AnalysisOptions,
    selection: &FileSelection,
    cwd: &Path,
    reuse: Option<&HtmlReuse>,
) -> Outcome {
    let file = absolute(path, cwd);
    let shown = file.to_string_lossy().into_owned();
    let bytes = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(err) => {
            let err = AnalysisError::NoSource {
                path: shown,
                reason: err.to_string(),
            };
            return unanalysable(&file, err, selection.ignore_errors);
        }
    };
    let name = display_name(path, cwd, selection);
    let input = selection
        .describe_missing
        .then(|| input_hash(&bytes, data, path, &name, selection.html_contexts));
    if let (Some((reuse, html)), Some(input)) = (reuse, &input)
        && let Some(kept) = reuse.keep(path, &name, input, html)
    {
        return Outcome::Kept(Box::new(kept));
    }
    match ferrocov_analysis::analyze_source(&bytes, &shown, options) {
        Ok(analysis) => {
            let executed = data.lines(path).unwrap_or_default();
            let branches = branch_facts(&analysis, data, path, selection.describe_missing);
            let mut input_file = to_input(path, name, analysis, &executed, branches);
            input_file.input_hash = input;
            if selection.show_contexts {
                input_file.contexts = Some(super::contexts::line_contexts(data, path));
            }
            Outcome::Report(Box::new(input_file))
        }
        Err(err) => unanalysable(&file, err, selection.ignore_errors),
    }
}

/// The HTML report's identity of a file's inputs: its source bytes, its data as the data file
/// holds it, its name, and when its page shows them, the contexts of its lines (coverage.py
/// leaves these out, so its pages keep old test names).
fn input_hash(
    bytes: &[u8],
    data: &CoverageData,
    path: &str,
    name: &str,
    with_contexts: bool,
) -> String {
    let mut measured = if data.has_arcs() {
        format!("{:?}", data.arcs(path).unwrap_or_default())
    } else {
        format!("{:?}", data.lines(path).unwrap_or_default())
    };
    if with_contexts {
        measured.push_str(&format!("{:?}", data.contexts_by_line(path)));
    }
    ferrocov_report::html::input_hash(bytes, &measured, name)
}

/// What coverage.py's report does with a file it can't analyse (`report_core`): without `-i`
/// the report stops with the error; with `-i` it warns and leaves the file out. A file that
/// isn't Python is only an error when its name says it should be.
fn unanalysable(file: &Path, err: AnalysisError, ignore_errors: bool) -> Outcome {
    let shown = file.display();
    match err {
        AnalysisError::NotPython { .. } if !should_be_python(file) => Outcome::Skip(None),
        AnalysisError::NotPython { .. } if ignore_errors => Outcome::Skip(Some(format!(
            "Couldn't parse Python file '{shown}' (couldnt-parse)"
        ))),
        // Nesting too deep for CPython is a MemoryError or RecursionError there, which
        // coverage.py does not catch: without `-i` its report ends in a traceback, ours with
        // the error's message; with `-i` both warn in the words of its catch-all.
        AnalysisError::TooComplex { ref message, .. } if ignore_errors => Outcome::Skip(Some(
            format!("Couldn't parse '{shown}': {message} (couldnt-parse)"),
        )),
        AnalysisError::Internal { ref message, .. } if ignore_errors => Outcome::Skip(Some(
            format!("Couldn't parse '{shown}': internal error: {message} (couldnt-parse)"),
        )),
        AnalysisError::NoSource { .. } if ignore_errors => Outcome::Skip(Some(format!(
            "Couldn't parse '{shown}': {err} (couldnt-parse)"
        ))),
        err => Outcome::Fail(err.to_string()),
    }
}

/// coverage.py's `PythonFileReporter.should_be_python`: a `.py*` extension, or none.
fn should_be_python(file: &Path) -> bool {
    match file.extension() {
        None => true,
        Some(ext) => ext.to_string_lossy().starts_with("py"),
    }
}

/// coverage.py shows files under the working directory relative to it, others in full.
fn display_name(path: &str, cwd: &Path, selection: &FileSelection) -> String {
    if selection.relative_files {
        return path.to_owned();
    }
    ferrocov_config::relative_to(path, &cwd.to_string_lossy()).to_owned()
}

/// The branch facts of one file, `Some` for every file when the data file holds arcs
/// (coverage.py's `has_arcs()`), from the analysis (possible arcs, `no_branch` lines, the
/// multi-line map, `with` jump fixers, arc descriptions) and the data file (executed arcs).
fn branch_facts(
    analysis: &FileAnalysis,
    data: &CoverageData,
    path: &str,
    describe_missing: bool,
) -> Option<BranchFacts> {
    if !data.has_arcs() {
        return None;
    }
    let descriptions = analysis
        .arcs
        .iter()
        .map(|&(from, to)| ((from, to), analysis.arc_description(from, to)))
        .collect();
    let missing_descriptions = if describe_missing {
        analysis
            .arcs
            .iter()
            .map(|&(from, to)| {
                let sentence = analysis.missing_arc_description(from, to, None);
                ((from, to), sentence)
            })
            .collect()
    } else {
        Default::default()
    };
    Some(BranchFacts {
        possible_arcs: analysis.arcs.clone(),
        no_branch: analysis.no_branch.clone(),
        executed_arcs: data.arcs(path).unwrap_or_default(),
        multiline: analysis.first_line.clone(),
        with_jump_fixers: analysis.with_jump_fixers.clone(),
        with_jump_chains: analysis.with_jump_chains.clone(),
        descriptions,
        missing_descriptions,
    })
}

fn to_input(
    path: &str,
    display_name: String,
    analysis: FileAnalysis,
    executed: &std::collections::BTreeSet<u32>,
    branches: Option<BranchFacts>,
) -> FileInput {
    // With arcs, the executed lines are the arcs' positive ends (coverage.py's
    // `CoverageData.lines`), translated to first lines.
    let executed = match &branches {
        Some(facts) => facts.executed_lines(),
        None => analysis.translate_lines(executed),
    };
    FileInput {
        path: path.to_owned(),
        display_name,
        statements: analysis.statements,
        excluded: analysis.excluded,
        executed,
        text: analysis.text,
        regions: analysis.regions.into_iter().map(to_region).collect(),
        multiline: analysis.first_line,
        input_hash: None,
        branches,
        contexts: None,
    }
}

fn to_region(region: CodeRegion) -> Region {
    Region {
        kind: match region.kind {
            ferrocov_analysis::RegionKind::Function => RegionKind::Function,
            ferrocov_analysis::RegionKind::Class => RegionKind::Class,
        },
        name: region.name,
        start: region.start,
        lines: region.lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(
        name: &str,
        err: AnalysisError,
        ignore_errors: bool,
    ) -> Result<Option<String>, String> {
        match unanalysable(Path::new(name), err, ignore_errors) {
            Outcome::Skip(warning) => Ok(warning),
            Outcome::Fail(message) => Err(message),
            Outcome::Report(_) | Outcome::Kept(_) => unreachable!("an error is never reported"),
        }
    }

    fn not_python(path: &str) -> AnalysisError {
        AnalysisError::NotPython {
            path: path.into(),
            line: 1,
            message: "too many nested parentheses".into(),
        }
    }

    #[test]
    fn arc_data_gives_the_executed_lines() {
        let mut analysis = FileAnalysis::default();
        analysis.statements = [1, 2, 4].into();
        analysis.first_line = [(3, 2)].into();
        let facts = BranchFacts {
            executed_arcs: [(-1, 1), (1, 3), (3, -1)].into(),
            multiline: [(3, 2)].into(),
            ..BranchFacts::default()
        };
        let lines = [7].into();
        let input = to_input(
            "/p/m.py",
            "m.py".into(),
            analysis.clone(),
            &lines,
            Some(facts),
        );
        assert_eq!(input.executed, [1, 2].into());
        assert!(input.branches.is_some());
        // Line data: the lines as read, translated.
        let input = to_input("/p/m.py", "m.py".into(), analysis, &[3].into(), None);
        assert_eq!(input.executed, [2].into());
        assert!(input.branches.is_none());
    }

    #[test]
    fn partial_regexes_follow_the_running_coverage_py_when_left_at_the_default() {
        let mut report = ferrocov_config::Settings::default().report;
        let on_312 = partial_regexes(&report, (3, 12, 1));
        assert_eq!(on_312, ferrocov_analysis::default_partial((3, 12, 1)));
        assert!(on_312[1].starts_with(r"^\s*while"));
        let on_310 = partial_regexes(&report, (3, 10, 13));
        assert_eq!(on_310[1], "while (True|1|False|0):");
        report.partial_also = vec!["also".into()];
        report.partial_branches_always = vec!["mine".into()];
        let set = partial_regexes(&report, (3, 12, 1));
        assert_eq!(set[1..], ["also".to_owned(), "mine".to_owned()]);
    }

    #[test]
    fn errors_stop_the_report_and_ignore_errors_warns_as_coverage_does() {
        assert_eq!(
            outcome("/p/deep.py", not_python("/p/deep.py"), false),
            Err("Couldn't parse '/p/deep.py' as Python source: 'too many nested parentheses' at line 1".into())
        );
        assert_eq!(
            outcome("/p/deep.py", not_python("/p/deep.py"), true),
            Ok(Some(
                "Couldn't parse Python file '/p/deep.py' (couldnt-parse)".into()
            ))
        );
        // A file not named like Python is left out quietly.
        assert_eq!(
            outcome("/p/page.html", not_python("/p/page.html"), false),
            Ok(None)
        );
        assert_eq!(
            outcome("/p/script", not_python("/p/script"), true).map(|w| w.is_some()),
            Ok(true)
        );
        let deep = || AnalysisError::TooComplex {
            path: "/p/deep.py".into(),
            line: 2,
            message: "Parser stack overflowed - Python source too complex to parse".into(),
        };
        assert_eq!(
            outcome("/p/deep.py", deep(), true),
            Ok(Some("Couldn't parse '/p/deep.py': Parser stack overflowed - Python source too complex to parse (couldnt-parse)".into()))
        );
        assert!(
            outcome("/p/deep.py", deep(), false)
                .is_err_and(|m| m.starts_with("Couldn't parse '/p/deep.py' as Python source: "))
        );
        let gone = || AnalysisError::NoSource {
            path: "/p/gone.py".into(),
            reason: "No such file".into(),
        };
        assert_eq!(
            outcome("/p/gone.py", gone(), true),
            Ok(Some(
                "Couldn't parse '/p/gone.py': No source for code: '/p/gone.py'. (couldnt-parse)"
                    .into()
            ))
        );
        assert_eq!(
            outcome("/p/gone.py", gone(), false),
            Err("No source for code: '/p/gone.py'.".into())
        );
    }
}
