//! The tracer for Python 3.12+: `sys.monitoring` callbacks written in Rust.
//!
//! PY_START is enabled globally; its callback decides once per code object whether the code's
//! file is measured and, if so, enables LINE for that code object alone. Every callback returns
//! `DISABLE`, so each (code object, line) costs one callback per process and then runs at full
//! speed. The LINE callback stays registered after `stop` and keeps answering `DISABLE`, so no
//! event is ever left enabled without a callback.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use pyo3::exceptions::PyRuntimeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use super::{active, paused};

pub(crate) const NAME: &str = "sys.monitoring";

/// Tool ids in the order we try them: coverage tools conventionally use 1; 0 is the debugger's
/// and 5 the optimizer's, so those come last. The first free one is ours.
const TOOL_ID_CANDIDATES: [i32; 6] = [1, 2, 3, 4, 5, 0];
const TOOL_NAME: &str = "ferrocov";

static TOOL_ID: AtomicI32 = AtomicI32::new(-1);

/// Set by the first `install`: a later one must undo the `DISABLE`s answered before.
static INSTALLED_BEFORE: AtomicBool = AtomicBool::new(false);

/// Objects looked up once so callbacks never search for them.
struct Handles {
    disable: Py<PyAny>,
    set_local_events: Py<PyAny>,
    set_events: Py<PyAny>,
    restart_events: Py<PyAny>,
    py_start_event: i32,
    line_event: i32,
}

static HANDLES: PyOnceLock<Handles> = PyOnceLock::new();
static CALLBACKS: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py_start = wrap_pyfunction!(sysmon_py_start, m)?;
    let line = wrap_pyfunction!(sysmon_line, m)?;
    let py = m.py();
    let _ = CALLBACKS.set(py, (py_start.into_any().unbind(), line.into_any().unbind()));
    Ok(())
}

fn handles(py: Python<'_>) -> PyResult<&Handles> {
    HANDLES.get_or_try_init(py, || {
        let monitoring = py.import("sys")?.getattr("monitoring")?;
        let events = monitoring.getattr("events")?;
        Ok(Handles {
            disable: monitoring.getattr("DISABLE")?.unbind(),
            set_local_events: monitoring.getattr("set_local_events")?.unbind(),
            set_events: monitoring.getattr("set_events")?.unbind(),
            restart_events: monitoring.getattr("restart_events")?.unbind(),
            py_start_event: events.getattr("PY_START")?.extract()?,
            line_event: events.getattr("LINE")?.extract()?,
        })
    })
}

fn claim_tool_id(py: Python<'_>) -> PyResult<i32> {
    let current = TOOL_ID.load(Ordering::Acquire);
    if current >= 0 {
        return Ok(current);
    }
    let monitoring = py.import("sys")?.getattr("monitoring")?;
    let (py_start_cb, line_cb) = CALLBACKS
        .get(py)
        .ok_or_else(|| PyRuntimeError::new_err("ferrocov callbacks are not registered"))?;
    let handles = handles(py)?;
    for id in TOOL_ID_CANDIDATES {
        // use_tool_id raises ValueError when another tool holds the id.
        if monitoring
            .call_method1("use_tool_id", (id, TOOL_NAME))
            .is_err()
        {
            continue;
        }
        monitoring.call_method1(
            "register_callback",
            (id, handles.py_start_event, py_start_cb),
        )?;
        monitoring.call_method1("register_callback", (id, handles.line_event, line_cb))?;
        TOOL_ID.store(id, Ordering::Release);
        return Ok(id);
    }
    Err(PyRuntimeError::new_err(
        "ferrocov cannot measure: every sys.monitoring tool id (0-5) is in use by other tools",
    ))
}

pub(crate) fn install(py: Python<'_>) -> PyResult<()> {
    let id = claim_tool_id(py)?;
    let handles = handles(py)?;
    if INSTALLED_BEFORE.swap(true, Ordering::AcqRel) {
        // Code seen by an earlier start answered DISABLE (unmeasured under its settings, or
        // lines already recorded in its shard); the new start must see all of it afresh.
        handles.restart_events.call0(py)?;
    }
    handles.set_events.call1(py, (id, handles.py_start_event))?;
    Ok(())
}

/// No new code object is looked at while paused (PY_START off); the LINE events of code already
/// enabled still arrive, and [`sysmon_line`] keeps them without recording or disabling.
pub(crate) fn pause(py: Python<'_>) -> PyResult<()> {
    let id = TOOL_ID.load(Ordering::Acquire);
    if id < 0 {
        return Ok(());
    }
    handles(py)?.set_events.call1(py, (id, 0))?;
    Ok(())
}

pub(crate) fn resume(py: Python<'_>) -> PyResult<()> {
    let id = TOOL_ID.load(Ordering::Acquire);
    if id < 0 {
        return Ok(());
    }
    let handles = handles(py)?;
    handles.set_events.call1(py, (id, handles.py_start_event))?;
    Ok(())
}

pub(crate) fn uninstall(py: Python<'_>) -> PyResult<()> {
    let id = TOOL_ID.load(Ordering::Acquire);
    if id < 0 {
        return Ok(());
    }
    let handles = handles(py)?;
    handles.set_events.call1(py, (id, 0))?;
    Ok(())
}

pub(crate) fn describe(_py: Python<'_>, info: &Bound<'_, PyDict>) -> PyResult<()> {
    info.set_item("tool_id", TOOL_ID.load(Ordering::Acquire))
}

fn disable(py: Python<'_>) -> Py<PyAny> {
    match HANDLES.get(py) {
        Some(h) => h.disable.clone_ref(py),
        // Unreachable in practice (handles exist before callbacks are registered); None keeps
        // the event, which is merely slower.
        None => py.None(),
    }
}

/// PY_START: decide once per code object whether its lines are wanted. Never raises: an error
/// here would surface inside the measured program.
#[pyfunction]
#[pyo3(name = "_sysmon_py_start")]
fn sysmon_py_start(
    py: Python<'_>,
    code: &Bound<'_, PyAny>,
    _offset: &Bound<'_, PyAny>,
) -> Py<PyAny> {
    // A panic would surface in the program as an exception; its code goes unmeasured instead.
    let _ = crate::guard::catch(|| {
        if let Some(tracer) = active()
            && let Ok(filename) = code.getattr(intern!(py, "co_filename"))
            && tracer.file_id(py, &filename).is_some()
            && let Some(handles) = HANDLES.get(py)
        {
            let id = TOOL_ID.load(Ordering::Relaxed);
            // Failure only means these lines go unmeasured; the program must not see it.
            let _ = handles
                .set_local_events
                .call1(py, (id, code, handles.line_event));
        }
    });
    disable(py)
}

/// LINE: record the line once, then never hear of it again in this process.
#[pyfunction]
#[pyo3(name = "_sysmon_line")]
fn sysmon_line(py: Python<'_>, code: &Bound<'_, PyAny>, line: i64) -> Py<PyAny> {
    if paused() {
        // Keep the event: the line must be recorded when it runs after `resume`.
        return py.None();
    }
    // A panic would surface in the program as an exception; the line goes unrecorded instead.
    let _ = crate::guard::catch(|| {
        if let Some(tracer) = active()
            && let Ok(line) = u32::try_from(line)
            && let Ok(filename) = code.getattr(intern!(py, "co_filename"))
            && let Some(file_id) = tracer.file_id(py, &filename)
        {
            tracer.writer.record_line(file_id, line);
        }
    });
    disable(py)
}
