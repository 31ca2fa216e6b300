//! Exposes the target interpreter's version as `Py_3_12`-style cfgs, so the tracer compiles the
//! C trace function only where sys.monitoring is missing.

fn main() {
    pyo3_build_config::use_pyo3_cfgs();
}
