//! The last step of the pipeline: each report kind, its options over the configuration, and
//! where it goes (a file, or text handed back to the caller).

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use ferrocov_config::Settings;
use ferrocov_report::FileInput;
use ferrocov_report::text::TextFormat;

use super::{ReportRequest, ReportResult};
use crate::diagnostics::Diagnostic;

/// Where a report goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Handed back as text in the [`ReportResult`] (the command line prints it on stdout).
    Returned,
    /// Written to this file, relative to the request's directory; `append` adds to it.
    File { path: String, append: bool },
}

impl Output {
    /// A report's output option as coverage.py reads it: `-` is stdout.
    pub fn from_option(value: &str) -> Self {
        if value == "-" {
            Output::Returned
        } else {
            Output::File {
                path: value.to_owned(),
                append: false,
            }
        }
    }
}

/// One report to write. `None` options take the configuration's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    Text(TextReport),
    Json(JsonReport),
    Xml(XmlReport),
    Lcov(LcovReport),
    Annotate(AnnotateReport),
    Html(HtmlReport),
}

/// `ferrocov report`'s table (text, Markdown or the total alone).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextReport {
    pub format: Option<TextFormat>,
    pub precision: Option<u32>,
    pub show_missing: Option<bool>,
    pub skip_covered: Option<bool>,
    pub skip_empty: Option<bool>,
    pub sort: Option<String>,
    /// Colour the Cover cells (only ever true for a terminal).
    pub colour: bool,
    /// Where a red Cover cell starts; `[report] fail_under` when `None`.
    pub fail_under: Option<f64>,
    /// `None`: returned as text.
    pub output: Option<Output>,
}

/// coverage.py's JSON report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonReport {
    /// `None`: `[json] output`.
    pub output: Option<Output>,
    pub pretty_print: Option<bool>,
    /// `None`: `[json] show_contexts`.
    pub show_contexts: Option<bool>,
}

/// Cobertura XML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlReport {
    /// `None`: `[xml] output`.
    pub output: Option<Output>,
    pub skip_empty: Option<bool>,
}

/// An LCOV tracefile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LcovReport {
    /// `None`: `[lcov] output`.
    pub output: Option<Output>,
}

/// Annotated copies of the sources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnotateReport {
    /// `None`: next to each source file.
    pub directory: Option<String>,
}

/// The HTML site. `None` options take `[html]`'s values, then `[report]`'s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlReport {
    /// `None`: `[html] directory`.
    pub directory: Option<String>,
    pub title: Option<String>,
    pub skip_covered: Option<bool>,
    pub skip_empty: Option<bool>,
    pub precision: Option<u32>,
    /// ferrocov's `--single-file`: the whole report as this one file, relative to the
    /// request's directory, instead of the directory.
    pub single_file: Option<String>,
    /// `None`: `[html] show_contexts`.
    pub show_contexts: Option<bool>,
}

/// Whether `report` shows each line's contexts, its option over the configuration.
pub(super) fn shows_contexts(report: &Report, settings: &Settings) -> bool {
    match report {
        Report::Json(json) => json.show_contexts.unwrap_or(settings.json.show_contexts),
        Report::Html(html) => html.show_contexts.unwrap_or(settings.html.show_contexts),
        _ => false,
    }
}

/// Writes one report; a failure is that report's alone.
pub(super) fn write_one(
    report: &Report,
    analysed: &super::Analysed,
    request: &ReportRequest,
) -> ReportResult {
    let files = analysed.files();
    let settings = &request.settings;
    let written = match report {
        Report::Text(text) => write_text(text, files, settings, &request.cwd),
        Report::Json(json) => {
            let output = json
                .output
                .clone()
                .unwrap_or_else(|| Output::from_option(&settings.json.output));
            let options = ferrocov_report::json::JsonOptions {
                pretty_print: json.pretty_print.unwrap_or(settings.json.pretty_print),
                show_contexts: shows_contexts(report, settings),
                precision: settings.report.precision,
                version: crate::VERSION.to_owned(),
                timestamp: ferrocov_report::json::local_timestamp(),
            };
            emit(&output, &request.cwd, |mut out| {
                ferrocov_report::json::write_report(files, &options, &mut out)
            })
        }
        Report::Xml(xml) => {
            let output = xml
                .output
                .clone()
                .unwrap_or_else(|| Output::from_option(&settings.xml.output));
            let mut options = ferrocov_report::xml::XmlOptions::new(crate::VERSION);
            options.package_depth = settings.xml.package_depth as usize;
            options.skip_empty = xml.skip_empty.unwrap_or(settings.report.skip_empty);
            options.sources = source_roots(settings, &request.cwd);
            emit(&output, &request.cwd, |mut out| {
                ferrocov_report::xml::write_report(files, &options, &mut out)
            })
        }
        Report::Lcov(lcov) => {
            let output = lcov
                .output
                .clone()
                .unwrap_or_else(|| Output::from_option(&settings.lcov.output));
            let options = ferrocov_report::lcov::LcovOptions {
                line_checksums: settings.lcov.line_checksums,
                skip_empty: settings.report.skip_empty,
            };
            emit(&output, &request.cwd, |mut out| {
                ferrocov_report::lcov::write_report(files, &options, &mut out)
            })
        }
        Report::Annotate(annotate) => {
            let directory = annotate.directory.as_ref().map(|d| request.cwd.join(d));
            ferrocov_report::annotate::write_annotations(files, directory.as_deref())
                .map_err(anyhow::Error::from)
                .map(|()| Written::File(annotate.directory.clone().unwrap_or_default()))
        }
        Report::Html(html) => write_html(html, analysed, request),
    };
    match written {
        Ok(Written::Text(text)) => ReportResult {
            text: Some(text),
            written: None,
            error: None,
        },
        Ok(Written::File(path)) => ReportResult {
            text: None,
            written: Some(path),
            error: None,
        },
        Err(err) => ReportResult {
            text: None,
            written: None,
            error: Some(Diagnostic::from_error(&err)),
        },
    }
}

enum Written {
    Text(String),
    File(String),
}

fn write_text(
    text: &TextReport,
    files: &[FileInput],
    settings: &Settings,
    cwd: &Path,
) -> anyhow::Result<Written> {
    let report = &settings.report;
    let format = match text.format {
        Some(format) => format,
        None => report.format.as_deref().unwrap_or("text").parse()?,
    };
    let options = ferrocov_report::text::TextOptions {
        format,
        precision: text.precision.unwrap_or(report.precision),
        show_missing: text.show_missing.unwrap_or(report.show_missing),
        skip_covered: text.skip_covered.unwrap_or(report.skip_covered),
        skip_empty: text.skip_empty.unwrap_or(report.skip_empty),
        sort: text.sort.clone().or_else(|| report.sort.clone()),
        colour: text.colour,
        fail_under: Some(text.fail_under.unwrap_or(report.fail_under)).filter(|f| *f > 0.0),
    };
    let output = text.output.clone().unwrap_or(Output::Returned);
    emit(&output, cwd, |mut out| {
        ferrocov_report::text::write_report(files, &options, &mut out)
    })
}

fn write_html(
    html: &HtmlReport,
    analysed: &super::Analysed,
    request: &ReportRequest,
) -> anyhow::Result<Written> {
    let options = html_options(html, request);
    let python = (request.python.0, request.python.1);
    let highlighter = move |text: &str| ferrocov_analysis::source_token_lines(text, python);
    let reanalyse = |kept: &ferrocov_report::html::KeptFile| {
        analysed
            .reanalyse(kept, &request.cwd)
            .map_err(ferrocov_report::ReportError::Html)
    };
    ferrocov_report::html::write_site(
        analysed.files(),
        analysed.kept(),
        &options,
        &highlighter,
        &reanalyse,
    )?;
    if let Some(single) = &html.single_file {
        return Ok(Written::File(single.clone()));
    }
    let directory = html_directory(html, request);
    let index = Path::new(&directory).join("index.html");
    Ok(Written::File(index.to_string_lossy().into_owned()))
}

/// The HTML report's directory as its option or `[html] directory` names it.
fn html_directory(html: &HtmlReport, request: &ReportRequest) -> String {
    html.directory
        .clone()
        .unwrap_or_else(|| request.settings.html.directory.clone())
}

/// The HTML report's options over the configuration.
pub(super) fn html_options(
    html: &HtmlReport,
    request: &ReportRequest,
) -> ferrocov_report::html::HtmlOptions {
    let settings = &request.settings;
    let directory = html_directory(html, request);
    ferrocov_report::html::HtmlOptions {
        directory: request.cwd.join(&directory),
        title: html
            .title
            .clone()
            .unwrap_or_else(|| settings.html.title.clone()),
        extra_css: settings
            .html
            .extra_css
            .as_ref()
            .map(|css| request.cwd.join(css)),
        skip_covered: html
            .skip_covered
            .or(settings.html.skip_covered)
            .unwrap_or(settings.report.skip_covered),
        skip_empty: html
            .skip_empty
            .or(settings.html.skip_empty)
            .unwrap_or(settings.report.skip_empty),
        precision: html.precision.unwrap_or(settings.report.precision),
        show_contexts: html.show_contexts.unwrap_or(settings.html.show_contexts),
        version: crate::VERSION.to_owned(),
        single_file: html.single_file.as_ref().map(|f| request.cwd.join(f)),
        // What else decides the pages: how sources were analysed and for which Python.
        fingerprint: format!(
            "{:?}|{:?}|{:?}",
            settings.report, settings.html, request.python
        ),
    }
}

/// Runs a writer into its output: a returned string, or a file (its directory created).
fn emit(
    output: &Output,
    cwd: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<f64, ferrocov_report::ReportError>,
) -> anyhow::Result<Written> {
    match output {
        Output::Returned => {
            let mut buffer = Vec::new();
            write(&mut buffer)?;
            Ok(Written::Text(String::from_utf8_lossy(&buffer).into_owned()))
        }
        Output::File { path: name, append } => {
            let path = cwd.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .append(*append)
                .truncate(!*append)
                .open(&path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut buffered = std::io::BufWriter::new(file);
            write(&mut buffered)?;
            buffered
                .flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(Written::File(name.clone()))
        }
    }
}

/// The `[run] source` directories that exist, as the XML `<sources>` lists them.
fn source_roots(settings: &Settings, cwd: &Path) -> Vec<String> {
    let run = &settings.run;
    run.source
        .iter()
        .flatten()
        .map(|entry| cwd.join(entry))
        .filter(|path| path.exists())
        .map(|path| {
            if run.relative_files {
                path.strip_prefix(cwd).map_or_else(
                    |_| path.to_string_lossy().into_owned(),
                    |p| {
                        p.to_string_lossy()
                            .trim_end_matches(ferrocov_config::SEP)
                            .to_owned()
                    },
                )
            } else {
                ferrocov_config::real_path(&path)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .into_owned()
            }
        })
        .collect()
}
