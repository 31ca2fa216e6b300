//! The `ferrocov._ferrocov` extension module. It only registers what the submodules define: the
//! tracers live in [`tracer`], the thin bindings to the Rust core in [`api`], the panic boundary
//! every entry point goes through in [`guard`]. The protocol values (environment variable names,
//! format versions, the version) come from `ferrocov_protocol`, their one home.

use pyo3::prelude::*;
use pyo3::types::PyDict;

mod api;
mod codecs;
mod guard;
mod settings_json;
mod tracer;

#[pymodule(gil_used = false)]
fn _ferrocov(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", ferrocov_protocol::VERSION)?;
    let env = PyDict::new(m.py());
    for (key, name) in ferrocov_protocol::env::ALL {
        env.set_item(key, name)?;
    }
    m.add("ENV", env)?;
    let formats = PyDict::new(m.py());
    for (key, version) in ferrocov_protocol::formats::ALL {
        formats.set_item(key, version)?;
    }
    m.add("FORMATS", formats)?;
    api::register(m)?;
    codecs::register();
    settings_json::register(m)?;
    tracer::register(m)?;
    Ok(())
}
