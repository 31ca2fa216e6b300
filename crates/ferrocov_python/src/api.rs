//! Thin bindings from Python to the Rust core: the command line entry point and the run plan it
//! returns for `ferrocov run`, and the pytest plugin's session plan and captured reports. Nothing
//! here decides anything; it converts and forwards.

use std::path::PathBuf;

use ferrocov_cli::{Captured, Invocation, Outcome, RunTarget, SessionRequest};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<RunPlan>()?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    m.add_function(wrap_pyfunction!(finish_run, m)?)?;
    m.add_function(wrap_pyfunction!(plan_session, m)?)?;
    m.add_function(wrap_pyfunction!(session_command, m)?)?;
    m.add_function(wrap_pyfunction!(finish_session, m)?)?;
    m.add_function(wrap_pyfunction!(should_fail_under, m)?)?;
    m.add_function(wrap_pyfunction!(display_covered, m)?)?;
    Ok(())
}

/// A resolved `ferrocov run`: what to execute and how to measure it.
#[pyclass(module = "ferrocov._ferrocov", frozen)]
pub(crate) struct RunPlan {
    inner: ferrocov_cli::RunPlan,
}

fn paths(list: &[PathBuf]) -> Vec<String> {
    list.iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

#[pymethods]
impl RunPlan {
    /// `"script"` or `"module"`.
    #[getter]
    fn target_kind(&self) -> &'static str {
        match self.inner.target {
            RunTarget::Script(_) => "script",
            RunTarget::Module(_) => "module",
            RunTarget::Session => "session",
        }
    }

    /// The script path or module name, as given.
    #[getter]
    fn target(&self) -> &str {
        match &self.inner.target {
            RunTarget::Script(s) | RunTarget::Module(s) => s,
            RunTarget::Session => "",
        }
    }

    #[getter]
    fn args(&self) -> Vec<String> {
        self.inner.args.clone()
    }

    #[getter]
    fn data_file(&self) -> String {
        self.inner.data_file.to_string_lossy().into_owned()
    }

    #[getter]
    fn shard_dir(&self) -> String {
        self.inner.shard_dir.to_string_lossy().into_owned()
    }

    #[getter]
    fn parallel(&self) -> bool {
        self.inner.parallel
    }

    #[getter]
    fn source(&self) -> Vec<String> {
        self.inner.source.clone()
    }

    #[getter]
    fn source_pkgs(&self) -> Vec<String> {
        self.inner.source_pkgs.clone()
    }

    #[getter]
    fn source_dirs(&self) -> Vec<String> {
        paths(&self.inner.source_dirs)
    }

    #[getter]
    fn include(&self) -> Vec<String> {
        self.inner.include.clone()
    }

    #[getter]
    fn omit(&self) -> Vec<String> {
        self.inner.omit.clone()
    }

    #[getter]
    fn cover_pylib(&self) -> bool {
        self.inner.cover_pylib
    }

    #[getter]
    fn debug(&self) -> Vec<String> {
        self.inner.debug.clone()
    }

    #[getter]
    fn disable_warnings(&self) -> Vec<String> {
        self.inner.settings.run.disable_warnings.clone()
    }

    /// `[run] branch` (not measured yet; the plugin warns).
    #[getter]
    fn branch(&self) -> bool {
        self.inner.settings.run.branch
    }

    /// `[run] dynamic_context`, if set (not measured yet; the plugin warns).
    #[getter]
    fn dynamic_context(&self) -> Option<String> {
        self.inner.settings.run.dynamic_context.clone()
    }

    /// `[report] fail_under`.
    #[getter]
    fn fail_under(&self) -> f64 {
        self.inner.settings.report.fail_under
    }

    /// `[report] precision`.
    #[getter]
    fn precision(&self) -> u32 {
        self.inner.settings.report.precision
    }

    /// The configuration file the settings came from, if any.
    #[getter]
    fn config_file(&self) -> Option<String> {
        self.inner
            .config_file
            .as_ref()
            .map(|p| p.to_string_lossy().into_owned())
    }

    /// `[json] output`, `[xml] output`, `[lcov] output`: a report's default file.
    fn default_output(&self, kind: &str) -> PyResult<String> {
        let settings = &self.inner.settings;
        match kind {
            "json" => Ok(settings.json.output.clone()),
            "xml" => Ok(settings.xml.output.clone()),
            "lcov" => Ok(settings.lcov.output.clone()),
            _ => Err(PyValueError::new_err(format!(
                "no default output for {kind:?}"
            ))),
        }
    }

    /// The directory the plan was made in.
    #[getter]
    fn cwd(&self) -> String {
        self.inner.cwd.to_string_lossy().into_owned()
    }

    fn __repr__(&self) -> String {
        format!(
            "RunPlan(target_kind={:?}, target={:?}, data_file={:?})",
            self.target_kind(),
            self.target(),
            self.data_file()
        )
    }
}

/// Runs the command line `argv` (program name first). Returns an exit status, or a [`RunPlan`]
/// when the command is `run` and the caller must execute the program.
#[pyfunction]
fn main(py: Python<'_>, argv: Vec<String>) -> PyResult<Py<PyAny>> {
    let invocation = invocation(py, argv)?;
    let outcome = py.detach(|| ferrocov_cli::main(&invocation));
    match outcome {
        Outcome::Exit(status) => Ok(status.into_pyobject(py)?.into_any().unbind()),
        Outcome::Run(plan) => Ok(Py::new(py, RunPlan { inner: *plan })?.into_any()),
    }
}

/// The running interpreter's `(major, minor)`, which source analysis must follow.
fn invocation(py: Python<'_>, argv: Vec<String>) -> PyResult<Invocation> {
    let mut invocation =
        Invocation::from_process(argv).map_err(|e| PyOSError::new_err(e.to_string()))?;
    let version = py.version_info();
    invocation.python = Some((version.major, version.minor));
    Ok(invocation)
}

fn captured_tuple(status: i32, captured: Captured) -> (i32, String, String, Option<f64>) {
    (status, captured.stdout, captured.stderr, captured.total)
}

/// Plans a pytest session from the plugin's options (erasing old data unless `append`).
/// Returns the plan and the configuration warnings; an unusable configuration raises
/// ValueError with the whole explanation.
#[pyfunction]
#[pyo3(signature = (*, cov_config, source, append))]
fn plan_session(
    py: Python<'_>,
    cov_config: String,
    source: Option<Vec<String>>,
    append: bool,
) -> PyResult<(RunPlan, String)> {
    let invocation = invocation(py, Vec::new())?;
    let request = SessionRequest {
        cov_config,
        source,
        append,
    };
    let (result, captured) =
        py.detach(|| ferrocov_cli::capture(|| ferrocov_cli::plan_session(&request, &invocation)));
    match result {
        Ok(plan) => Ok((RunPlan { inner: plan }, captured.stderr)),
        Err(err) => Err(PyValueError::new_err(format!("{err:#}"))),
    }
}

/// Runs a reporting command line (program name first) under the session plan's configuration,
/// in the plan's directory, with its output captured: `(status, stdout, stderr, total)`.
#[pyfunction]
fn session_command(
    py: Python<'_>,
    plan: &RunPlan,
    argv: Vec<String>,
) -> PyResult<(i32, String, String, Option<f64>)> {
    let mut invocation = invocation(py, argv)?;
    invocation.cwd = plan.inner.cwd.clone();
    let (status, captured) = py.detach(|| {
        ferrocov_cli::capture(|| ferrocov_cli::run_session_command(&plan.inner, &invocation))
    });
    Ok(captured_tuple(status, captured))
}

/// [`finish_run`] with its messages captured: `(status, messages)`.
#[pyfunction]
fn finish_session(py: Python<'_>, plan: &RunPlan, source_dirs: Vec<String>) -> (i32, String) {
    let dirs: Vec<PathBuf> = source_dirs.into_iter().map(PathBuf::from).collect();
    let (status, captured) =
        py.detach(|| ferrocov_cli::capture(|| ferrocov_cli::finish_run(&plan.inner, &dirs)));
    (status, captured.stderr)
}

/// coverage.py's fail-under test at a precision; ValueError for a threshold outside 0-100.
#[pyfunction]
fn should_fail_under(total: f64, fail_under: f64, precision: u32) -> PyResult<bool> {
    ferrocov_cli::should_fail_under(total, fail_under, precision)
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// A percentage as reports show it (never 0 or 100 unless exactly so).
#[pyfunction]
fn display_covered(total: f64, precision: u32) -> String {
    ferrocov_cli::display_covered(total, precision)
}

/// Ends a run: combines the run's shards into its data file (unless in parallel mode), listing
/// the never-run Python files under `source_dirs`.
#[pyfunction]
fn finish_run(py: Python<'_>, plan: &RunPlan, source_dirs: Vec<String>) -> i32 {
    let dirs: Vec<PathBuf> = source_dirs.into_iter().map(PathBuf::from).collect();
    py.detach(|| ferrocov_cli::finish_run(&plan.inner, &dirs))
}
