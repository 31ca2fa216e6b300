//! The plan of a measured run: the `ferrocov` command line (whose `run` returns a plan to
//! execute), a pytest session's plan, and the end of a run.

use std::path::PathBuf;

use ferrocov_cli::{Invocation, Outcome, RunTarget, SessionRequest};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

use super::diagnostic::{Diagnostic, diagnostics_to_python};
use crate::guard;

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<RunPlan>()?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    m.add_function(wrap_pyfunction!(plan_session, m)?)?;
    m.add_function(wrap_pyfunction!(finish_run, m)?)?;
    m.add_function(wrap_pyfunction!(should_fail_under, m)?)?;
    m.add_function(wrap_pyfunction!(display_covered, m)?)?;
    Ok(())
}

/// A resolved `ferrocov run`: what to execute and how to measure it.
#[pyclass(module = "ferrocov._ferrocov", frozen)]
pub(crate) struct RunPlan {
    pub(super) inner: ferrocov_cli::RunPlan,
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

    /// Whether branches are measured: `[run] branch`, or `--branch`/`--cov-branch`.
    #[getter]
    fn branch(&self) -> bool {
        self.inner.settings.run.branch
    }

    /// The static measurement context: `[run] context`, or `ferrocov run --context`.
    #[getter]
    fn context(&self) -> Option<String> {
        self.inner
            .settings
            .run
            .context
            .clone()
            .filter(|c| !c.is_empty())
    }

    /// `[run] dynamic_context`, if set: `test_function` is measured (`ferrocov.test_function`);
    /// any other value is ignored with a warning.
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

/// Runs the command line `argv` (program name first), printing as `ferrocov` does. Returns an
/// exit status, or a [`RunPlan`] when the command is `run` and the caller must execute it.
#[pyfunction]
fn main(py: Python<'_>, argv: Vec<String>) -> PyResult<Py<PyAny>> {
    guard::or_runtime_error("the command line", || {
        let invocation = invocation(py, argv)?;
        let outcome = py.detach(|| guard::catch(|| ferrocov_cli::main(&invocation)));
        match outcome.map_err(|message| guard::internal_error("the command line", &message))? {
            Outcome::Exit(status) => Ok(status.into_pyobject(py)?.into_any().unbind()),
            Outcome::Run(plan) => Ok(Py::new(py, RunPlan { inner: *plan })?.into_any()),
        }
    })
}

/// The invoking process as the Rust core sees it, with the interpreter's facts for
/// `ferrocov debug sys`: its version decides how source is analysed.
pub(super) fn invocation(py: Python<'_>, argv: Vec<String>) -> PyResult<Invocation> {
    let mut invocation =
        Invocation::from_process(argv).map_err(|e| PyOSError::new_err(e.to_string()))?;
    let version = py.version_info();
    invocation.python = Some((version.major, version.minor, version.patch));
    let sys = py.import("sys")?;
    let executable: String = sys.getattr("executable")?.extract().unwrap_or_default();
    invocation.interpreter = vec![
        ("python_executable".to_owned(), executable),
        (
            "python_version".to_owned(),
            Python::version_str().replace('\n', " "),
        ),
        ("tracer".to_owned(), crate::tracer::core_name().to_owned()),
    ];
    Ok(invocation)
}

/// Plans a pytest session from the plugin's options (erasing old data unless `append`).
/// Returns the plan, or None when the configuration is unusable, and the diagnostics (the
/// reason among them).
#[pyfunction]
#[pyo3(signature = (*, cov_config, source, append, data_file=None, branch=false))]
fn plan_session(
    py: Python<'_>,
    cov_config: String,
    source: Option<Vec<String>>,
    append: bool,
    data_file: Option<String>,
    branch: bool,
) -> PyResult<(Option<RunPlan>, Vec<Py<Diagnostic>>)> {
    let invocation = invocation(py, Vec::new())?;
    let request = SessionRequest {
        cov_config,
        source,
        append,
        data_file,
        branch,
    };
    let (plan, diagnostics) = py.detach(|| {
        let mut diagnostics = ferrocov_cli::Diagnostics::new();
        let planned =
            guard::catch(|| ferrocov_cli::plan_session(&request, &invocation, &mut diagnostics));
        let plan = match planned {
            Ok(Ok(plan)) => Some(plan),
            Ok(Err(err)) => {
                diagnostics.error(&err);
                None
            }
            Err(message) => {
                diagnostics.push(guard::internal_diagnostic("planning the session", &message));
                None
            }
        };
        (plan, diagnostics)
    });
    Ok((
        plan.map(|inner| RunPlan { inner }),
        diagnostics_to_python(py, diagnostics.iter())?,
    ))
}

/// Ends a run: combines its shards and the `received` data files into its data file (a
/// parallel data file of its own in parallel mode), listing the never-run Python files under
/// `source_dirs`. Returns what went wrong, if anything.
#[pyfunction]
#[pyo3(signature = (plan, source_dirs, received=Vec::new()))]
fn finish_run(
    py: Python<'_>,
    plan: &RunPlan,
    source_dirs: Vec<String>,
    received: Vec<String>,
) -> PyResult<Vec<Py<Diagnostic>>> {
    let dirs: Vec<PathBuf> = source_dirs.into_iter().map(PathBuf::from).collect();
    let received: Vec<PathBuf> = received.into_iter().map(PathBuf::from).collect();
    let diagnostics = py.detach(|| {
        guard::catch(|| ferrocov_cli::finish_run(&plan.inner, &dirs, &received)).unwrap_or_else(
            |message| {
                let mut all = ferrocov_cli::Diagnostics::new();
                all.push(guard::internal_diagnostic("combining the run", &message));
                all
            },
        )
    });
    diagnostics_to_python(py, diagnostics.iter())
}

/// coverage.py's fail-under test at a precision; ValueError for a threshold outside 0-100.
#[pyfunction]
fn should_fail_under(total: f64, fail_under: f64, precision: u32) -> PyResult<bool> {
    guard::or_runtime_error("should_fail_under", || {
        ferrocov_cli::should_fail_under(total, fail_under, precision)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    })
}

/// A percentage as reports show it (never 0 or 100 unless exactly so).
#[pyfunction]
fn display_covered(total: f64, precision: u32) -> PyResult<String> {
    guard::or_runtime_error("display_covered", || {
        Ok(ferrocov_cli::display_covered(total, precision))
    })
}
