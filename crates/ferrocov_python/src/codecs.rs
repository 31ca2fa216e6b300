//! Source decoding with the interpreter's own codecs, handed to the analysis so a PEP 263 cookie
//! is honoured exactly as Python honours it, including codecs only Python has.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

pub(crate) fn register() {
    ferrocov_analysis::set_host_codec(decode_with_python);
}

/// `bytes.decode(name, "replace")`; `None` when Python has no text codec of that name. A lone
/// surrogate some codecs (utf-7, utf-16) decode to has no Rust form: it becomes U+FFFD, which
/// keeps every line and statement where it was.
fn decode_with_python(bytes: &[u8], name: &str) -> Option<String> {
    Python::attach(|py| {
        let text = PyBytes::new(py, bytes)
            .call_method1("decode", (name, "replace"))
            .ok()?;
        let text = text.cast_into::<PyString>().ok()?;
        Some(text.to_string_lossy().into_owned())
    })
}
