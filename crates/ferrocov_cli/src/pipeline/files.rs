//! Choosing and analysing the files a report covers: `include`/`omit` filtering, source
//! analysis in parallel, and coverage.py's handling of files that are missing or not Python.

use std::path::{Path, PathBuf};

use anyhow::bail;
use ferrocov_analysis::{AnalysisError, AnalysisOptions, CodeRegion, FileAnalysis};
use ferrocov_config::GlobMatcher;
use ferrocov_data::CoverageData;
use ferrocov_report::{FileInput, Region, RegionKind};
use rayon::prelude::*;

use super::ReportRequest;
use crate::diagnostics::Diagnostics;

/// Which measured files are reported, and how they are analysed.
pub(super) struct FileSelection {
    include: Vec<String>,
    omit: Vec<String>,
    ignore_errors: bool,
    exclude: Vec<String>,
    python: (u8, u8),
    relative_files: bool,
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
            python: request.python,
            relative_files: run.relative_files,
        }
    }
}

enum Outcome {
    Report(Box<FileInput>),
    Skip(Option<String>),
    Fail(String),
}

/// The reportable files of `data`, sorted by path; warnings go into `diagnostics`.
pub(super) fn collect_files(
    data: &CoverageData,
    selection: &FileSelection,
    cwd: &Path,
    diagnostics: &mut Diagnostics,
) -> anyhow::Result<Vec<FileInput>> {
    let include = matcher(&selection.include, cwd)?;
    let omit = matcher(&selection.omit, cwd)?;
    let options = AnalysisOptions {
        python: selection.python,
        exclude: selection.exclude.clone(),
        partial: Vec::new(),
    };
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
        .map(|path| analyse_one(path, data, &options, selection, cwd))
        .collect();
    let mut files = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Report(file) => files.push(*file),
            Outcome::Skip(warning) => {
                if let Some(warning) = warning {
                    diagnostics.warning(warning);
                }
            }
            Outcome::Fail(message) => bail!(message),
        }
    }
    Ok(files)
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
) -> Outcome {
    let file = absolute(path, cwd);
    match ferrocov_analysis::analyze_file(&file, options) {
        Ok(analysis) => {
            let executed = data.lines(path).unwrap_or_default();
            Outcome::Report(Box::new(to_input(
                path,
                display_name(path, cwd, selection),
                analysis,
                &executed,
            )))
        }
        // coverage.py's rules (report_core.get_analysis_to_report): a file that cannot be
        // parsed is an error, or with `-i` a warning, when its name says Python; any other
        // failure to analyse (its source gone, ...) likewise, in other words.
        Err(err @ AnalysisError::NotPython { .. }) => {
            if !should_be_python(path) {
                Outcome::Skip(None)
            } else if selection.ignore_errors {
                Outcome::Skip(Some(format!(
                    "Couldn't parse Python file '{}' (couldnt-parse)",
                    file.display()
                )))
            } else {
                Outcome::Fail(err.to_string())
            }
        }
        Err(err @ AnalysisError::BadExcludeRegex { .. }) => Outcome::Fail(err.to_string()),
        Err(err) => {
            if selection.ignore_errors {
                Outcome::Skip(Some(format!(
                    "Couldn't parse '{}': {} (couldnt-parse)",
                    file.display(),
                    err.to_string().trim_end()
                )))
            } else {
                Outcome::Fail(err.to_string())
            }
        }
    }
}

/// coverage.py's `should_be_python`: a name with a `.py*` extension, or none at all.
fn should_be_python(path: &str) -> bool {
    match Path::new(path).extension() {
        None => true,
        Some(ext) => ext.to_string_lossy().starts_with("py"),
    }
}

/// coverage.py shows files under the working directory relative to it, others in full.
fn display_name(path: &str, cwd: &Path, selection: &FileSelection) -> String {
    if selection.relative_files {
        return path.to_owned();
    }
    let mut prefix = cwd.to_string_lossy().into_owned();
    if !prefix.ends_with('/') {
        prefix.push('/');
    }
    path.strip_prefix(&prefix).unwrap_or(path).to_owned()
}

fn to_input(
    path: &str,
    display_name: String,
    analysis: FileAnalysis,
    executed: &std::collections::BTreeSet<u32>,
) -> FileInput {
    let executed = analysis.translate_lines(executed);
    FileInput {
        path: path.to_owned(),
        display_name,
        statements: analysis.statements,
        excluded: analysis.excluded,
        executed,
        text: analysis.text,
        regions: analysis.regions.into_iter().map(to_region).collect(),
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
