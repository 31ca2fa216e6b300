//! Thin bindings from Python to the Rust core: the command line entry point and the run plan it
//! returns for `ferrocov run`. Nothing here decides anything; it converts and forwards.

use std::path::PathBuf;

use ferrocov_cli::{Invocation, Outcome, RunTarget};
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<RunPlan>()?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    m.add_function(wrap_pyfunction!(finish_run, m)?)?;
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
        }
    }

    /// The script path or module name, as given.
    #[getter]
    fn target(&self) -> &str {
        match &self.inner.target {
            RunTarget::Script(s) | RunTarget::Module(s) => s,
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
    let invocation =
        Invocation::from_process(argv).map_err(|e| PyOSError::new_err(e.to_string()))?;
    let outcome = py.detach(|| ferrocov_cli::main(&invocation));
    match outcome {
        Outcome::Exit(status) => Ok(status.into_pyobject(py)?.into_any().unbind()),
        Outcome::Run(plan) => Ok(Py::new(py, RunPlan { inner: *plan })?.into_any()),
    }
}

/// Ends a run: combines the run's shards into its data file (unless in parallel mode), listing
/// the never-run Python files under `source_dirs`.
#[pyfunction]
fn finish_run(py: Python<'_>, plan: &RunPlan, source_dirs: Vec<String>) -> i32 {
    let dirs: Vec<PathBuf> = source_dirs.into_iter().map(PathBuf::from).collect();
    py.detach(|| ferrocov_cli::finish_run(&plan.inner, &dirs))
}
