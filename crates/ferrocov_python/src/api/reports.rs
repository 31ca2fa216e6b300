//! Reports from Python: a list of [`ReportSpec`] values in, one pass of the pipeline, a
//! [`ReportOutcome`] out. The pytest plugin makes all of a session's reports in one call.

use ferrocov_cli::pipeline::{
    AnnotateReport, HtmlReport, JsonReport, LcovReport, Output, Report, TextFormat, TextReport,
    XmlReport,
};
use ferrocov_cli::{ReportRequest, make_reports as run_pipeline};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use super::diagnostic::{Diagnostic, diagnostics_to_python};
use super::plan::RunPlan;
use crate::guard;

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ReportSpec>()?;
    m.add_class::<ReportResult>()?;
    m.add_class::<ReportOutcome>()?;
    m.add_function(wrap_pyfunction!(make_reports, m)?)
}

/// One report to make. `kind` is "text", "markdown", "total", "json", "xml", "lcov",
/// "annotate" or "html"; options left as None take the configuration's values.
#[pyclass(module = "ferrocov._ferrocov", frozen)]
pub(crate) struct ReportSpec {
    report: Report,
}

#[pymethods]
impl ReportSpec {
    /// `output`: a file (relative to the run's directory), "-" or None for the text kinds'
    /// returned text; the directory for "annotate" and "html". `append` adds to the file.
    #[new]
    #[pyo3(signature = (kind, *, output=None, append=false, show_missing=None, skip_covered=None, skip_empty=None, precision=None, pretty_print=None))]
    #[expect(
        clippy::too_many_arguments,
        reason = "mirrors the keyword-only Python signature"
    )]
    fn new(
        kind: &str,
        output: Option<String>,
        append: bool,
        show_missing: Option<bool>,
        skip_covered: Option<bool>,
        skip_empty: Option<bool>,
        precision: Option<u32>,
        pretty_print: Option<bool>,
    ) -> PyResult<Self> {
        let to_output = |value: Option<String>| {
            value.map(|v| match Output::from_option(&v) {
                Output::File { path, .. } => Output::File { path, append },
                returned => returned,
            })
        };
        let text = |format| {
            Report::Text(TextReport {
                format: Some(format),
                precision,
                show_missing,
                skip_covered,
                skip_empty,
                output: to_output(output.clone()),
                ..TextReport::default()
            })
        };
        let report = match kind {
            "text" => text(TextFormat::Text),
            "markdown" => text(TextFormat::Markdown),
            "total" => text(TextFormat::Total),
            "json" => Report::Json(JsonReport {
                output: to_output(output),
                pretty_print,
                show_contexts: None,
            }),
            "xml" => Report::Xml(XmlReport {
                output: to_output(output),
                skip_empty,
            }),
            "lcov" => Report::Lcov(LcovReport {
                output: to_output(output),
            }),
            "annotate" => Report::Annotate(AnnotateReport { directory: output }),
            "html" => Report::Html(HtmlReport {
                directory: output,
                skip_covered,
                skip_empty,
                precision,
                ..HtmlReport::default()
            }),
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown report kind {other:?}"
                )));
            }
        };
        Ok(Self { report })
    }

    fn __repr__(&self) -> String {
        format!("ReportSpec({:?})", self.report)
    }
}

/// What one report became: its text (for returned output), the file or directory written,
/// or the error that stopped it.
#[pyclass(module = "ferrocov._ferrocov", frozen, get_all)]
pub(crate) struct ReportResult {
    text: Option<String>,
    written: Option<String>,
    error: Option<Py<Diagnostic>>,
}

/// The result of [`make_reports`]: the total percentage (None when there was nothing to
/// report), one result per report asked for, and the diagnostics.
#[pyclass(module = "ferrocov._ferrocov", frozen, get_all)]
pub(crate) struct ReportOutcome {
    total: Option<f64>,
    results: Vec<Py<ReportResult>>,
    diagnostics: Vec<Py<Diagnostic>>,
}

/// Makes `reports` from the plan's data file under the plan's configuration: pending data is
/// combined, the data read once and each file analysed once. Never raises for a report
/// problem: those come back as diagnostics and per-report errors.
#[pyfunction]
#[pyo3(signature = (plan, reports, *, ignore_errors=false))]
fn make_reports(
    py: Python<'_>,
    plan: &RunPlan,
    reports: Vec<PyRef<'_, ReportSpec>>,
    ignore_errors: bool,
) -> PyResult<ReportOutcome> {
    let version = py.version_info();
    let plan = &plan.inner;
    let request = ReportRequest {
        data_file: plan.data_file.clone(),
        cwd: plan.cwd.clone(),
        python: (version.major, version.minor, version.patch),
        settings: plan.settings.clone(),
        include: None,
        omit: None,
        ignore_errors,
        keep_combined: false,
        debug: plan.debug.clone(),
        // pytest-cov's first report is always the total, which narrows the session's data to
        // `[report] contexts` for every report after it (xml and lcov too).
        contexts: plan.settings.report.contexts.clone(),
        reports: reports.iter().map(|spec| spec.report.clone()).collect(),
    };
    let outcome = py.detach(|| {
        guard::catch(|| run_pipeline(&request)).unwrap_or_else(|message| {
            let mut outcome = ferrocov_cli::ReportOutcome::default();
            outcome
                .diagnostics
                .push(guard::internal_diagnostic("making reports", &message));
            outcome
        })
    });
    let results = outcome
        .results
        .iter()
        .map(|result| {
            let error = match &result.error {
                Some(d) => Some(Py::new(py, Diagnostic::from(d))?),
                None => None,
            };
            Py::new(
                py,
                ReportResult {
                    text: result.text.clone(),
                    written: result.written.clone(),
                    error,
                },
            )
        })
        .collect::<PyResult<_>>()?;
    Ok(ReportOutcome {
        total: outcome.total,
        results,
        diagnostics: diagnostics_to_python(py, outcome.diagnostics.iter())?,
    })
}
