//! The tracer for Python 3.12+: `sys.monitoring` callbacks written in Rust.
//!
//! PY_START is enabled globally; its callback decides once per code object whether the code's
//! file is measured and, if so, enables LINE for that code object alone (and with branch
//! measurement, BRANCH: see [`super::branches`]). Every LINE callback returns `DISABLE`, so each
//! (code object, line) costs one callback per process and then runs at full speed; with branch
//! measurement the line is recorded as its self-arc `(line, line)`. A code object that has
//! reported all its lines has its LINE event turned off ([`super::line_completion`]): that
//! removes the line instruments CPython never calls back from. The LINE callback stays
//! registered after `stop` and keeps answering `DISABLE`, so no event is ever left enabled
//! without a callback.
//!
//! Contexts: `DISABLE` is one-shot and `sys.monitoring.restart_events()` would re-arm every
//! tool's events everywhere, so it is never called for a switch. Instead each code object that
//! answered an event since the last switch is remembered (any run may switch: a program can
//! call `switch_context` at any time); at a switch each of them gets our
//! local events turned off and on again, which re-instruments that code object for our tool
//! alone (other tools' disabled locations stay disabled), and its branch state starts afresh. A
//! switch costs a little per code object the ending context ran, nothing per code object it did
//! not, and nothing at all between switches.
//!
//! Test function contexts (`dynamic_context = test_function`, see [`super::test_function`]):
//! a code object named as a test keeps its PY_START (it answers None) and gets local PY_RETURN,
//! and for a generator or coroutine PY_YIELD and PY_RESUME; PY_UNWIND, which 3.12 and 3.13 only
//! have as a global event, is on globally and ends the context when the frame that started it
//! unwinds (for every other frame the callback is a pointer comparison). A test context starts
//! at PY_START (and PY_RESUME) of such code while none runs and ends when that frame returns,
//! yields or unwinds, as coverage.py's C tracer does at its call and return events: a generator
//! test's context ends at each `yield` and starts again when it resumes.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use pyo3::exceptions::PyRuntimeError;
use pyo3::ffi;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use rustc_hash::FxHashMap;

use super::{Tracer, active, paused};

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
    get_local_events: Py<PyAny>,
    set_events: Py<PyAny>,
    restart_events: Py<PyAny>,
    py_start_event: i32,
    py_return_event: i32,
    py_resume_event: i32,
    py_yield_event: i32,
    py_unwind_event: i32,
    line_event: i32,
    exception_handled_event: i32,
    /// BRANCH (3.12/3.13), or BRANCH_LEFT | BRANCH_RIGHT (3.14+).
    branch_events: i32,
    /// The branch events name one direction each (3.14+).
    one_shot_branches: bool,
}

static HANDLES: PyOnceLock<Handles> = PyOnceLock::new();

/// The code objects that answered an event (and so may have disabled locations) in the current
/// context, by address, held alive until the next switch re-arms them. A LINE callback runs once
/// per line and context, so this costs one uncontended lock and a probe per recorded line.
static ANSWERED: Mutex<Option<FxHashMap<usize, Py<PyAny>>>> = Mutex::new(None);

fn answered() -> std::sync::MutexGuard<'static, Option<FxHashMap<usize, Py<PyAny>>>> {
    ANSWERED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Remembers that `code` answered an event in the current context.
fn note_answered(code: &Bound<'_, PyAny>) {
    let key = code.as_ptr() as usize;
    let mut guard = answered();
    let map = guard.get_or_insert_with(FxHashMap::default);
    map.entry(key).or_insert_with(|| code.clone().unbind());
}

/// The local events a measured code object gets.
fn local_events(tracer: &Tracer, handles: &Handles) -> i32 {
    if tracer.branch {
        // PY_RETURN: a branch whose other way ends the function is watched at its
        // return instruction (see `super::branches`).
        handles.line_event | handles.branch_events | handles.py_return_event
    } else {
        handles.line_event
    }
}

/// After a context switch: every code object that answered an event in the context that ended
/// is re-armed for our tool alone (see the module doc), so what the new context runs reports
/// again.
pub(crate) fn context_switched(py: Python<'_>, tracer: &Tracer) -> PyResult<()> {
    // Taken out first: dropping code objects (and calling into Python) never under the lock.
    let Some(codes) = answered().take() else {
        return Ok(());
    };
    let id = TOOL_ID.load(Ordering::Acquire);
    let handles = handles(py)?;
    if id < 0 {
        return Ok(());
    }
    let events = local_events(tracer, handles);
    for (key, code) in codes {
        let events = events | armed_test_events(key);
        // Off, then on: the "on" instruments every location of the code object for our tool
        // again. A failure only leaves that code object's lines credited to earlier contexts.
        if handles
            .set_local_events
            .call1(py, (id, code.bind(py), 0))
            .is_ok()
        {
            let _ = handles
                .set_local_events
                .call1(py, (id, code.bind(py), events));
        }
        if tracer.branch {
            super::branches::rearm(key);
        }
        super::line_completion::rearm(key);
    }
    Ok(())
}

/// The PY_START, LINE, branch, EXCEPTION_HANDLED, PY_RETURN, PY_RESUME, PY_YIELD and PY_UNWIND
/// callbacks.
static CALLBACKS: PyOnceLock<[Py<PyAny>; 8]> = PyOnceLock::new();

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py_start = wrap_pyfunction!(sysmon_py_start, m)?;
    let line = wrap_pyfunction!(sysmon_line, m)?;
    let branch = wrap_pyfunction!(sysmon_branch, m)?;
    let handled = wrap_pyfunction!(sysmon_exception_handled, m)?;
    let py_return = wrap_pyfunction!(sysmon_py_return, m)?;
    let py_resume = wrap_pyfunction!(sysmon_py_resume, m)?;
    let py_yield = wrap_pyfunction!(sysmon_py_yield, m)?;
    let py_unwind = wrap_pyfunction!(sysmon_py_unwind, m)?;
    let py = m.py();
    let _ = CALLBACKS.set(
        py,
        [
            py_start.into_any().unbind(),
            line.into_any().unbind(),
            branch.into_any().unbind(),
            handled.into_any().unbind(),
            py_return.into_any().unbind(),
            py_resume.into_any().unbind(),
            py_yield.into_any().unbind(),
            py_unwind.into_any().unbind(),
        ],
    );
    Ok(())
}

fn handles(py: Python<'_>) -> PyResult<&Handles> {
    HANDLES.get_or_try_init(py, || {
        let monitoring = py.import("sys")?.getattr("monitoring")?;
        let events = monitoring.getattr("events")?;
        // 3.14 splits BRANCH into its two directions (BRANCH stays, deprecated).
        let (branch_events, one_shot_branches) = match (
            events.getattr("BRANCH_LEFT"),
            events.getattr("BRANCH_RIGHT"),
        ) {
            (Ok(left), Ok(right)) => (left.extract::<i32>()? | right.extract::<i32>()?, true),
            _ => (events.getattr("BRANCH")?.extract()?, false),
        };
        Ok(Handles {
            branch_events,
            one_shot_branches,
            disable: monitoring.getattr("DISABLE")?.unbind(),
            set_local_events: monitoring.getattr("set_local_events")?.unbind(),
            get_local_events: monitoring.getattr("get_local_events")?.unbind(),
            set_events: monitoring.getattr("set_events")?.unbind(),
            restart_events: monitoring.getattr("restart_events")?.unbind(),
            py_start_event: events.getattr("PY_START")?.extract()?,
            py_return_event: events.getattr("PY_RETURN")?.extract()?,
            py_resume_event: events.getattr("PY_RESUME")?.extract()?,
            py_yield_event: events.getattr("PY_YIELD")?.extract()?,
            py_unwind_event: events.getattr("PY_UNWIND")?.extract()?,
            exception_handled_event: events.getattr("EXCEPTION_HANDLED")?.extract()?,
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
    let [
        py_start_cb,
        line_cb,
        branch_cb,
        handled_cb,
        return_cb,
        resume_cb,
        yield_cb,
        unwind_cb,
    ] = CALLBACKS
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
        monitoring.call_method1(
            "register_callback",
            (id, handles.exception_handled_event, handled_cb),
        )?;
        monitoring.call_method1(
            "register_callback",
            (id, handles.py_return_event, return_cb),
        )?;
        for (event, callback) in [
            (handles.py_resume_event, resume_cb),
            (handles.py_yield_event, yield_cb),
            (handles.py_unwind_event, unwind_cb),
        ] {
            monitoring.call_method1("register_callback", (id, event, callback))?;
        }
        // One callback per event bit: BRANCH, or BRANCH_LEFT and BRANCH_RIGHT.
        let mut bits = handles.branch_events;
        while bits != 0 {
            let event = bits & bits.wrapping_neg();
            monitoring.call_method1("register_callback", (id, event, branch_cb))?;
            bits &= !event;
        }
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
    super::branches::reset();
    super::line_completion::reset();
    // Code remembered under an earlier start: its events are re-armed by the restart below.
    // Dropped after the lock is released (a code object's last reference may go here).
    let stale = answered().take();
    drop(stale);
    let stale = (test_frame().take(), test_codes().take());
    drop(stale);
    if INSTALLED_BEFORE.swap(true, Ordering::AcqRel) {
        // Code seen by an earlier start answered DISABLE (unmeasured under its settings, or
        // lines already recorded in its shard); the new start must see all of it afresh.
        handles.restart_events.call0(py)?;
    }
    handles.set_events.call1(py, (id, global_events(handles)))?;
    Ok(())
}

/// No new code object is looked at while paused (PY_START off); the LINE events of code already
/// enabled still arrive, and [`sysmon_line`] keeps them without recording or disabling. With
/// test function contexts PY_UNWIND stays on: a test context running when the pause began must
/// still end with its frame.
pub(crate) fn pause(py: Python<'_>) -> PyResult<()> {
    let id = TOOL_ID.load(Ordering::Acquire);
    if id < 0 {
        return Ok(());
    }
    let handles = handles(py)?;
    let events = if active().is_some_and(|t| t.test_function) {
        handles.py_unwind_event
    } else {
        0
    };
    handles.set_events.call1(py, (id, events))?;
    Ok(())
}

pub(crate) fn resume(py: Python<'_>) -> PyResult<()> {
    let id = TOOL_ID.load(Ordering::Acquire);
    if id < 0 {
        return Ok(());
    }
    let handles = handles(py)?;
    handles.set_events.call1(py, (id, global_events(handles)))?;
    Ok(())
}

/// The events on for every code object: PY_START, EXCEPTION_HANDLED once measured code with
/// `async for` was seen with branch measurement (the end of such a loop is a handled exception),
/// and PY_UNWIND with test function contexts (it cannot be set per code object).
fn global_events(handles: &Handles) -> i32 {
    let mut events = handles.py_start_event;
    if super::branches::async_for_seen() {
        events |= handles.exception_handled_event;
    }
    if active().is_some_and(|t| t.test_function) {
        events |= handles.py_unwind_event;
    }
    events
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

/// PY_START: decide once per code object whether its lines are wanted, and whether it is a
/// test function (which keeps the event: each call may start a context). Never raises: an
/// error here would surface inside the measured program.
#[pyfunction]
#[pyo3(name = "_sysmon_py_start")]
fn sysmon_py_start(
    py: Python<'_>,
    code: &Bound<'_, PyAny>,
    _offset: &Bound<'_, PyAny>,
) -> Py<PyAny> {
    // A panic would surface in the program as an exception; its code goes unmeasured instead.
    let keep = crate::guard::catch(|| {
        let (Some(tracer), Some(handles)) = (active(), HANDLES.get(py)) else {
            return false;
        };
        let test = tracer.test_function && super::test_function::is_test_code(code);
        if test && armed_test_events(code.as_ptr() as usize) != 0 {
            test_code_starts(py, code);
            return true;
        }
        let id = TOOL_ID.load(Ordering::Relaxed);
        let mut events = 0;
        if let Ok(filename) = code.getattr(intern!(py, "co_filename"))
            && tracer.file_id(py, &filename).is_some()
        {
            events = local_events(tracer, handles);
            if super::line_completion::enabled(py) {
                super::line_completion::watch(py, code);
            }
            if tracer.branch {
                let seen_before = super::branches::async_for_seen();
                if super::branches::prepare_async_for(py, tracer, code) && !seen_before {
                    let _ = handles.set_events.call1(py, (id, global_events(handles)));
                }
            }
        }
        if test {
            let extra = test_events(handles, code);
            test_codes()
                .get_or_insert_with(FxHashMap::default)
                .insert(code.as_ptr() as usize, (code.clone().unbind(), extra));
            events |= extra;
        }
        if events != 0 {
            // Failure only means these lines go unmeasured; the program must not see it.
            let _ = handles.set_local_events.call1(py, (id, code, events));
        }
        if test {
            test_code_starts(py, code);
        }
        test
    });
    if keep == Ok(true) {
        py.None()
    } else {
        disable(py)
    }
}

/// The frame that started the running test context, held so that no other frame can have its
/// address while it runs.
static TEST_FRAME: Mutex<Option<Py<PyAny>>> = Mutex::new(None);

fn test_frame() -> std::sync::MutexGuard<'static, Option<Py<PyAny>>> {
    TEST_FRAME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The test functions' code objects seen, by address (held alive, so the address stays theirs),
/// with the local events they got for their contexts.
type TestCodes = FxHashMap<usize, (Py<PyAny>, i32)>;
static TEST_CODES: Mutex<Option<TestCodes>> = Mutex::new(None);

fn test_codes() -> std::sync::MutexGuard<'static, Option<TestCodes>> {
    TEST_CODES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The context events of the test code object at `key` (0: not one).
fn armed_test_events(key: usize) -> i32 {
    test_codes()
        .as_ref()
        .and_then(|codes| codes.get(&key))
        .map_or(0, |(_, events)| *events)
}

/// The local events that tell when a test function's frame stops running: PY_RETURN, and for a
/// generator or coroutine PY_YIELD (and PY_RESUME, where it goes on).
fn test_events(handles: &Handles, code: &Bound<'_, PyAny>) -> i32 {
    /// `CO_GENERATOR | CO_COROUTINE | CO_ITERABLE_COROUTINE | CO_ASYNC_GENERATOR`.
    const RESUMABLE_FLAGS: i64 = 0x20 | 0x80 | 0x100 | 0x200;
    let flags: i64 = code
        .getattr(intern!(code.py(), "co_flags"))
        .and_then(|f| f.extract())
        .unwrap_or(0);
    if flags & RESUMABLE_FLAGS != 0 {
        handles.py_return_event | handles.py_yield_event | handles.py_resume_event
    } else {
        handles.py_return_event
    }
}

/// The innermost Python frame: inside a callback, the frame the event is about.
fn current_frame(py: Python<'_>) -> Option<Bound<'_, PyAny>> {
    // SAFETY: the GIL is held; PyEval_GetFrame returns a borrowed reference (or null).
    unsafe { Bound::from_borrowed_ptr_or_opt(py, ffi::PyEval_GetFrame().cast()) }
}

/// A test function's code starts (or resumes) running: its context starts unless one runs.
fn test_code_starts(py: Python<'_>, code: &Bound<'_, PyAny>) {
    if paused() || super::test_function::running() {
        return;
    }
    let Some(frame) = current_frame(py) else {
        return;
    };
    // Only the frame the event is about; anything else would end at the wrong time.
    if !frame
        .getattr(intern!(py, "f_code"))
        .is_ok_and(|running| running.is(code))
    {
        return;
    }
    if super::test_function::start(py, &frame) {
        let previous = test_frame().replace(frame.unbind());
        drop(previous);
    }
}

/// The current frame stops running (returns, yields or unwinds): if it started the running test
/// context, the context ends.
fn frame_ends(py: Python<'_>) {
    if !super::test_function::running() {
        return;
    }
    // SAFETY: the GIL is held; the pointer is only compared.
    let current = unsafe { ffi::PyEval_GetFrame() } as usize;
    let held = {
        let mut guard = test_frame();
        if guard
            .as_ref()
            .is_some_and(|frame| frame.as_ptr() as usize == current)
        {
            guard.take()
        } else {
            None
        }
    };
    if held.is_some() {
        super::test_function::end(py);
    }
    drop(held);
}

/// PY_RESUME (test generators and coroutines only): the frame goes on, and may start a context
/// again.
#[pyfunction]
#[pyo3(name = "_sysmon_py_resume")]
fn sysmon_py_resume(py: Python<'_>, code: &Bound<'_, PyAny>, _offset: i64) -> Py<PyAny> {
    let _ = crate::guard::catch(|| test_code_starts(py, code));
    py.None()
}

/// PY_YIELD (test generators and coroutines only): the frame stops for now; a context it
/// started ends.
#[pyfunction]
#[pyo3(name = "_sysmon_py_yield")]
fn sysmon_py_yield(
    py: Python<'_>,
    _code: &Bound<'_, PyAny>,
    _offset: i64,
    _value: &Bound<'_, PyAny>,
) -> Py<PyAny> {
    let _ = crate::guard::catch(|| frame_ends(py));
    py.None()
}

/// PY_UNWIND (global, with test function contexts): a frame leaves with an exception; if it
/// started the running test context, the context ends. Cannot be disabled.
#[pyfunction]
#[pyo3(name = "_sysmon_py_unwind")]
fn sysmon_py_unwind(
    py: Python<'_>,
    _code: &Bound<'_, PyAny>,
    _offset: i64,
    _exception: &Bound<'_, PyAny>,
) -> Py<PyAny> {
    let _ = crate::guard::catch(|| frame_ends(py));
    py.None()
}

/// LINE: record the line once, then never hear of it again in this process; once the code
/// object has reported all its lines, its LINE event goes off (see [`super::line_completion`]).
#[pyfunction]
#[pyo3(name = "_sysmon_line")]
fn sysmon_line(py: Python<'_>, code: &Bound<'_, PyAny>, line: i64) -> Py<PyAny> {
    if paused() {
        // Keep the event: the line must be recorded when it runs after `resume`.
        return py.None();
    }
    // A panic would surface in the program as an exception; the line goes unrecorded instead.
    let turned_off = crate::guard::catch(|| {
        if let Some(tracer) = active()
            && let Ok(line) = u32::try_from(line)
            && let Ok(filename) = code.getattr(intern!(py, "co_filename"))
            && let Some(file_id) = tracer.file_id(py, &filename)
        {
            tracer.writer.record_line(file_id, line);
            note_answered(code);
            let Ok(line) = i32::try_from(line) else {
                return false;
            };
            if tracer.branch {
                super::branches::on_line(py, tracer, code, line);
            }
            if super::line_completion::line_reported(code, line) {
                return turn_line_off(py, code);
            }
        }
        false
    });
    if turned_off == Ok(true) {
        // The code object was re-instrumented without LINE: this location is no longer ours
        // to disable.
        py.None()
    } else {
        disable(py)
    }
}

/// Turns `code`'s LINE event off for our tool, keeping its other local events. False if the
/// events could not be changed (LINE then goes on being disabled line by line).
fn turn_line_off(py: Python<'_>, code: &Bound<'_, PyAny>) -> bool {
    let (Some(handles), id) = (HANDLES.get(py), TOOL_ID.load(Ordering::Relaxed)) else {
        return false;
    };
    let Ok(events) = handles
        .get_local_events
        .call1(py, (id, code))
        .and_then(|events| events.extract::<i32>(py))
    else {
        return false;
    };
    handles
        .set_local_events
        .call1(py, (id, code, events & !handles.line_event))
        .is_ok()
}

/// EXCEPTION_HANDLED (on once `async for` code was seen): the end of an `async for`. Cannot be
/// disabled, so it answers None.
#[pyfunction]
#[pyo3(name = "_sysmon_exception_handled")]
fn sysmon_exception_handled(
    py: Python<'_>,
    code: &Bound<'_, PyAny>,
    offset: i64,
    _exception: &Bound<'_, PyAny>,
) -> Py<PyAny> {
    if !paused() {
        let _ = crate::guard::catch(|| {
            if let Some(tracer) = active()
                && tracer.branch
                && let Ok(offset) = u32::try_from(offset)
            {
                super::branches::on_handled(tracer, code, offset);
            }
        });
    }
    py.None()
}

/// PY_RETURN (measured code, with branch measurement; test functions): a return instruction
/// ran; its line's exit arc is recorded, and the arc of a branch waiting for it. Each return
/// instruction of non-test code is heard of once; a test function's are kept, each return may
/// end a context.
#[pyfunction]
#[pyo3(name = "_sysmon_py_return")]
fn sysmon_py_return(
    py: Python<'_>,
    code: &Bound<'_, PyAny>,
    offset: i64,
    _value: &Bound<'_, PyAny>,
) -> Py<PyAny> {
    let keep = crate::guard::catch(|| {
        let test = armed_test_events(code.as_ptr() as usize) != 0;
        let paused = paused();
        if !paused
            && let Some(tracer) = active()
            && tracer.branch
            && let Ok(offset) = u32::try_from(offset)
        {
            // A test function's return reaches here whether its file is measured or not.
            let measured = !test
                || code
                    .getattr(intern!(py, "co_filename"))
                    .is_ok_and(|filename| tracer.file_id(py, &filename).is_some());
            if measured {
                note_answered(code);
                // Before the test context ends: the return belongs to the test.
                super::branches::on_return(py, tracer, code, offset);
            }
        }
        if test {
            frame_ends(py);
        }
        test || paused
    });
    match keep {
        Ok(true) => py.None(),
        _ => disable(py),
    }
}

/// BRANCH (or BRANCH_LEFT/BRANCH_RIGHT): record the arc the branch took; see
/// [`super::branches`] for when the event is kept.
#[pyfunction]
#[pyo3(name = "_sysmon_branch")]
fn sysmon_branch(
    py: Python<'_>,
    code: &Bound<'_, PyAny>,
    offset: i64,
    destination: i64,
) -> Py<PyAny> {
    if paused() {
        return py.None();
    }
    let one_shot = HANDLES.get(py).is_some_and(|h| h.one_shot_branches);
    let answer = crate::guard::catch(|| {
        let (Some(tracer), Ok(offset), Ok(destination)) =
            (active(), u32::try_from(offset), u32::try_from(destination))
        else {
            return super::branches::Answer::Disable;
        };
        note_answered(code);
        super::branches::on_branch(py, tracer, code, offset, destination, one_shot)
    });
    match answer {
        Ok(super::branches::Answer::Keep) => py.None(),
        _ => disable(py),
    }
}
