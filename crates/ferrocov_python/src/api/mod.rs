//! Thin bindings from Python to the Rust core: typed values in, typed results and diagnostics
//! out. Nothing here decides anything; it converts, forwards, and keeps panics out of Python
//! ([`crate::guard`]).

mod diagnostic;
mod plan;
mod reports;

use pyo3::prelude::*;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    diagnostic::register(m)?;
    plan::register(m)?;
    reports::register(m)
}
