//! `[run] dynamic_context = test_function`, shared by both cores: a call of a function named
//! `test*` or `runTest` made while no test context runs starts a context labelled with the
//! function's qualified name; the end of that same frame (return, or unwinding with an
//! exception) goes back to the run's static context. The cores find the calls and ends; the
//! label and the switch are `ferrocov.test_function`'s (Python: the label reads the frame's
//! locals and globals as coverage.py does, and the switch keeps `FERROCOV_CONTEXT` right for
//! child processes). Both run once per test, never for other code.

use std::sync::atomic::{AtomicBool, Ordering};

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;

/// A test function's context is running: calls made now start no other.
static RUNNING: AtomicBool = AtomicBool::new(false);

/// A new start of measurement: no test context runs.
pub(crate) fn reset() {
    RUNNING.store(false, Ordering::Release);
}

/// Whether a test function's context is running.
pub(crate) fn running() -> bool {
    RUNNING.load(Ordering::Acquire)
}

/// coverage.py's rule for the functions that start a context, by name alone.
pub(crate) fn is_test_name(name: &str) -> bool {
    name.starts_with("test") || name == "runTest"
}

/// Whether `code` (a code object) is named as a test function.
pub(crate) fn is_test_code(code: &Bound<'_, PyAny>) -> bool {
    code.getattr(intern!(code.py(), "co_name"))
        .ok()
        .and_then(|name| {
            name.cast::<PyString>()
                .ok()?
                .to_str()
                .ok()
                .map(is_test_name)
        })
        .unwrap_or(false)
}

struct Helpers {
    start: Py<PyAny>,
    end: Py<PyAny>,
}

static HELPERS: PyOnceLock<Option<Helpers>> = PyOnceLock::new();

/// The Python half, imported once (at `start`, so no callback imports anything).
pub(crate) fn prepare(py: Python<'_>) -> bool {
    HELPERS
        .get_or_init(py, || {
            let module = py.import("ferrocov.test_function").ok()?;
            Some(Helpers {
                start: module.getattr("start").ok()?.unbind(),
                end: module.getattr("end").ok()?.unbind(),
            })
        })
        .is_some()
}

/// A test function's `frame` starts: unless a test context runs already, label it and switch.
/// True when this frame started a context (and so must end it). Never raises.
pub(crate) fn start(py: Python<'_>, frame: &Bound<'_, PyAny>) -> bool {
    if running() {
        return false;
    }
    let Some(Some(helpers)) = HELPERS.get(py) else {
        return false;
    };
    // No name found (or a failure finding it): no context; later calls keep asking.
    let started = helpers
        .start
        .call1(py, (frame,))
        .and_then(|answer| answer.is_truthy(py))
        .unwrap_or(false);
    if started {
        RUNNING.store(true, Ordering::Release);
    }
    started
}

/// The frame that started the running test context ends: back to the static context.
pub(crate) fn end(py: Python<'_>) {
    if !RUNNING.swap(false, Ordering::AcqRel) {
        return;
    }
    if let Some(Some(helpers)) = HELPERS.get(py) {
        let _ = helpers.end.call0(py);
    }
}
