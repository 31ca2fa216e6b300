//! The panic boundary of every entry point Python can call. A Rust panic must never reach Python
//! as pyo3's `PanicException`: that is a `BaseException`, which passes the pytest plugin's
//! `except Exception` and ends a test session with INTERNALERROR. Here a panic becomes a value
//! the caller already handles (an error diagnostic) or an ordinary `RuntimeError`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::PyResult;
use pyo3::exceptions::PyRuntimeError;

/// Runs `f`; a panic comes back as its message.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    // Unwind safety: a panicking step's partial state is dropped with it; the caller only sees
    // the message, never the half-built value.
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned())
    })
}

/// Runs `f`; a panic becomes `RuntimeError("ferrocov internal error in WHAT: ...")`.
pub(crate) fn or_runtime_error<T>(what: &str, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    catch(f).unwrap_or_else(|message| Err(internal_error(what, &message)))
}

/// The exception a panic in `what` becomes.
pub(crate) fn internal_error(what: &str, message: &str) -> pyo3::PyErr {
    PyRuntimeError::new_err(format!("ferrocov internal error in {what}: {message}"))
}

/// The error diagnostic a panic in `what` becomes.
pub(crate) fn internal_diagnostic(what: &str, message: &str) -> ferrocov_cli::Diagnostic {
    ferrocov_cli::Diagnostic::error(format!("ferrocov internal error in {what}: {message}"))
}
