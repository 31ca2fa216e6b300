//! The `ferrocov._ferrocov` extension module. It only registers what the submodules define: the
//! tracers live in [`tracer`], the thin bindings to the Rust core in [`api`].

use pyo3::prelude::*;

mod api;
mod codecs;
mod settings_json;
mod tracer;

#[pymodule(gil_used = false)]
fn _ferrocov(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    api::register(m)?;
    codecs::register();
    settings_json::register(m)?;
    tracer::register(m)?;
    Ok(())
}
