//! Reading the run's settings (`FERROCOV_CONFIG`, JSON) in a child process. Done in Rust because
//! importing Python's `json` (with `re`, `enum`, ...) would be most of what a measured child pays
//! at start-up.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::Value;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(parse_json, m)?)
}

/// `json.loads` for the run's settings: objects, arrays, strings, numbers, booleans, null.
#[pyfunction]
fn parse_json(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    crate::guard::or_runtime_error("parse_json", || {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| PyValueError::new_err(format!("invalid run settings: {e}")))?;
        to_python(py, &value)
    })
}

fn to_python(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(match value {
        Value::Null => py.None(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any().unbind(),
            (None, Some(f)) => f.into_pyobject(py)?.into_any().unbind(),
            (None, None) => return Err(PyValueError::new_err(format!("bad number {n}"))),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any().unbind(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, to_python(py, item)?)?;
            }
            dict.into_any().unbind()
        }
    })
}
