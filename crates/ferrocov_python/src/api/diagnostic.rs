//! [`Diagnostic`]: an error, warning or debug line as a Python value.

use pyo3::prelude::*;

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Diagnostic>()
}

/// Something ferrocov has to tell: `level` is "error", "warning" or "debug".
#[pyclass(module = "ferrocov._ferrocov", frozen, get_all)]
pub(crate) struct Diagnostic {
    level: &'static str,
    message: String,
    causes: Vec<String>,
    topic: Option<String>,
    /// The command line's rendering, so Python prints exactly what `ferrocov` would.
    text: String,
}

#[pymethods]
impl Diagnostic {
    /// The message and its causes as one sentence.
    fn __str__(&self) -> String {
        std::iter::once(self.message.as_str())
            .chain(self.causes.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(": ")
    }

    fn __repr__(&self) -> String {
        format!("Diagnostic({:?}, {:?})", self.level, self.__str__())
    }
}

impl From<&ferrocov_cli::Diagnostic> for Diagnostic {
    fn from(d: &ferrocov_cli::Diagnostic) -> Self {
        Self {
            level: d.level.as_str(),
            message: d.message.clone(),
            causes: d.causes.clone(),
            topic: d.topic.clone(),
            text: d.render(),
        }
    }
}

/// A list of diagnostics for Python.
pub(crate) fn diagnostics_to_python<'a>(
    py: Python<'_>,
    all: impl IntoIterator<Item = &'a ferrocov_cli::Diagnostic>,
) -> PyResult<Vec<Py<Diagnostic>>> {
    all.into_iter()
        .map(|d| Py::new(py, Diagnostic::from(d)))
        .collect()
}
