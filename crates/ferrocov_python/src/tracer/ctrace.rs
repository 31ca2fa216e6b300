//! The tracer for Python 3.10 and 3.11: a C-level trace function (`PyEval_SetTrace`) in Rust,
//! behind the frame gate ([`frame_gate`]).
//!
//! The gate decides per frame whether the thread traces at all: frames of files that are not
//! measured, and code objects whose lines (with branches: lines and possible arcs, see
//! [`super::arc_closure`]) are all recorded already, run untraced at full speed.
//! Traced frames send call, line and return events here. A per-thread stack remembers the file
//! id of each traced frame, so a line event costs a stack peek and a bitmap test; a frame's file
//! id comes from a memo in the code object ([`code_extra`]). Without the gate (an interpreter
//! whose layout did not validate, `FERROCOV_FRAME_GATE=off`, a 32-bit build) every frame is
//! traced, and frames of unmeasured files get `f_trace_lines = False` so at least their lines
//! cost nothing. Threads started later install the trace function through `threading.settrace`,
//! whose first event swaps the Python-level hook for this one.
//!
//! With branch measurement each traced frame also remembers its last line, and events become
//! arcs as coverage.py's C tracer records them: a real call starts at `-co_firstlineno` (a
//! generator resuming starts at its current line), each line records `(last, line)`, and a real
//! return (not a yield) records `(last, -co_firstlineno)`.
//!
//! Test function contexts ([`super::test_function`]): the gate also traces code objects named as
//! tests (measured or not), so their call and return events arrive; a call while no test context
//! runs starts one and marks the frame's entry, whose return event (a `return`, a `yield`, or
//! unwinding with an exception) ends it, as coverage.py's C tracer does.

use std::cell::RefCell;
use std::ffi::c_int;
use std::ptr;

use pyo3::ffi;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use super::code_extra::{self, CodeShape};
#[cfg(target_pointer_width = "64")]
use super::frame_gate;
use super::{active, paused};

pub(crate) const NAME: &str = "ctrace";

/// A frame we have seen start.
#[derive(Clone, Copy)]
struct Entry {
    /// The frame's address, matched against later events' frames.
    frame: usize,
    /// `None`: the frame's file is not measured.
    file_id: Option<u32>,
    /// For branch measurement, the last line it recorded (negative: its entry).
    last: i32,
    /// Its code object's facts, when the memo has them.
    shape: Option<CodeShape>,
    /// This frame's call started the running test function context; its return ends it.
    started_context: bool,
}

thread_local! {
    /// The traced frames of this thread, innermost last. A frame can also become traced in the
    /// middle of its run without a call event (CPython turns tracing back on after reporting an
    /// exception in a frame the gate had left untraced), so entries carry the frame's address
    /// and events are matched against it.
    static FRAMES: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };

    /// The arcs this thread handed to the shard writer lately, so that a hot loop's arcs skip
    /// the writer's lock and set: direct-mapped by (file, from, to), emptied by a new start.
    static ARC_MEMO: RefCell<ArcMemo> = const {
        RefCell::new(ArcMemo { generation: u32::MAX, context_generation: 0, slots: Vec::new() })
    };
}

/// See [`ARC_MEMO`].
struct ArcMemo {
    /// The start ([`super::Tracer::generation`]) the slots belong to.
    generation: u32,
    /// And the writer's context generation: a context switch empties the memo.
    context_generation: u64,
    slots: Vec<(u32, i32, i32)>,
}

/// Small enough to stay in the first-level cache beside the interpreter's own data.
const ARC_MEMO_SLOTS: usize = 1024;
const NO_ARC: (u32, i32, i32) = (u32::MAX, 0, 0);

/// Records an arc unless this thread recorded it lately. A memo hit means the writer has the
/// arc already: the writer forgets one only at a context switch, which empties the memo too.
fn record_arc(tracer: &super::Tracer, file_id: u32, from: i32, to: i32) {
    let key = (file_id, from, to);
    let context_generation = tracer.writer.context_generation();
    let seen = ARC_MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if memo.generation != tracer.generation
            || memo.context_generation != context_generation
            || memo.slots.is_empty()
        {
            memo.generation = tracer.generation;
            memo.context_generation = context_generation;
            memo.slots.clear();
            memo.slots.resize(ARC_MEMO_SLOTS, NO_ARC);
        }
        let hash = (u64::from(file_id).wrapping_mul(0x9E37_79B9_7F4A_7C15))
            ^ (u64::from(from as u32).wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
            ^ (u64::from(to as u32).wrapping_mul(0x1656_67B1_9E37_79F9));
        let slot = &mut memo.slots[(hash >> 54) as usize % ARC_MEMO_SLOTS];
        let seen = *slot == key;
        *slot = key;
        seen
    });
    if !seen {
        tracer.writer.record_arc(file_id, from, to);
        super::arc_closure::note_arc(tracer, file_id, from, to);
    }
}

/// The `threading.settrace` hook, also handed to `PyEval_SetTrace` as the trace object: that is
/// what `sys.gettrace()` returns while we trace, so code that saves and restores the trace
/// function (`sys.settrace(sys.gettrace())`, as doctest and debuggers do) puts back something
/// that reinstalls us at its first event, instead of turning measurement off.
static HOOK: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let hook = wrap_pyfunction!(thread_start, m)?;
    let _ = HOOK.set(m.py(), hook.clone().into_any().unbind());
    m.add_function(hook)
}

pub(crate) fn install(py: Python<'_>) -> PyResult<()> {
    FRAMES.with(|f| f.borrow_mut().clear());
    // The memo serves plain tracing too; without the slot each frame's file is decided afresh.
    code_extra::reserve();
    install_here(py);
    #[cfg(target_pointer_width = "64")]
    frame_gate::install(py, trace);
    // The gate's start-up check toggles the trace function; install ours with its object again.
    install_here(py);
    if let Some(hook) = HOOK.get(py) {
        py.import("threading")?.call_method1("settrace", (hook,))?;
    }
    Ok(())
}

pub(crate) fn uninstall(py: Python<'_>) -> PyResult<()> {
    #[cfg(target_pointer_width = "64")]
    frame_gate::uninstall(py);
    py.import("threading")?
        .call_method1("settrace", (py.None(),))?;
    // SAFETY: called with the GIL held (we have a `Python` token); None removes the function.
    unsafe { ffi::PyEval_SetTrace(None, ptr::null_mut()) };
    FRAMES.with(|f| f.borrow_mut().clear());
    Ok(())
}

/// Pausing needs nothing more than the flag the trace function checks: frames keep being traced
/// (and the gate keeps them traced, since nothing new is recorded), they just record nothing.
pub(crate) fn pause(_py: Python<'_>) -> PyResult<()> {
    Ok(())
}

pub(crate) fn resume(_py: Python<'_>) -> PyResult<()> {
    Ok(())
}

/// Nothing to re-arm: every traced line event reaches the writer (which forgot the old
/// context's lines), and the gate's completeness memos follow the writer's context generation.
pub(crate) fn context_switched(_py: Python<'_>, _tracer: &super::Tracer) -> PyResult<()> {
    Ok(())
}

pub(crate) fn describe(_py: Python<'_>, info: &Bound<'_, PyDict>) -> PyResult<()> {
    #[cfg(target_pointer_width = "64")]
    let gate = frame_gate::describe();
    #[cfg(not(target_pointer_width = "64"))]
    let gate = "off: built for 64-bit targets only, whose struct layouts it knows";
    info.set_item("frame_gate", gate)?;
    info.set_item("closed_code_objects", super::arc_closure::closed_count())
}

fn install_here(py: Python<'_>) {
    let obj = HOOK.get(py).map_or(ptr::null_mut(), Py::as_ptr);
    // SAFETY: the GIL is held (we have a token); PyEval_SetTrace takes its own reference to obj.
    unsafe { ffi::PyEval_SetTrace(Some(trace), obj) };
}

/// The Python-level trace hook: runs as the first trace call of each new thread (through
/// `threading.settrace`) or after a program restored `sys.gettrace()`'s value with
/// `sys.settrace`, and replaces itself with the C trace function for that thread.
#[pyfunction]
#[pyo3(name = "_ctrace_thread_start")]
fn thread_start(
    py: Python<'_>,
    frame: &Bound<'_, PyAny>,
    event: &Bound<'_, PyAny>,
    arg: &Bound<'_, PyAny>,
) -> Option<Py<PyAny>> {
    let _ = arg;
    if active().is_some() {
        install_here(py);
        // Handle this event as the C function would have: a thread's first `call` (its `run`,
        // which a subclass may define in measured code), or a `line`/`return` of a frame that
        // ran on after a trace function was restored.
        let what = match event.extract::<&str>() {
            Ok("call") => ffi::PyTrace_CALL,
            Ok("line") => ffi::PyTrace_LINE,
            Ok("return") => ffi::PyTrace_RETURN,
            _ => return None,
        };
        // SAFETY: `frame` is a live frame object and the GIL is held.
        unsafe {
            trace(
                ptr::null_mut(),
                frame.as_ptr().cast(),
                what,
                ptr::null_mut(),
            )
        };
    }
    None
}

/// The trace function. Returns 0 always: an error here would be raised inside the program.
unsafe extern "C" fn trace(
    _obj: *mut ffi::PyObject,
    frame: *mut ffi::PyFrameObject,
    what: c_int,
    _arg: *mut ffi::PyObject,
) -> c_int {
    // A panic must not unwind out of a C callback (that aborts the process); the event goes
    // unrecorded instead. (A thread being torn down, for one, has no thread-locals left.)
    // SAFETY: as for `trace` itself.
    crate::guard::catch(|| unsafe { trace_event(frame, what) }).unwrap_or(0)
}

/// The body of [`trace`].
///
/// # Safety
/// Called by the interpreter as a trace function: GIL held, `frame` live.
unsafe fn trace_event(frame: *mut ffi::PyFrameObject, what: c_int) -> c_int {
    match what {
        ffi::PyTrace_LINE => {
            let Some(tracer) = active() else { return 0 };
            if paused() {
                return 0;
            }
            // SAFETY: trace functions run with the GIL held.
            let (file_id, last) = match unsafe { own_entry(frame) } {
                Some(entry) => (entry.file_id, entry.last),
                // SAFETY: trace functions run with the GIL held, on a live frame.
                None => unsafe { on_call(Python::assume_attached(), frame, true) },
            };
            if let Some(file_id) = file_id {
                // SAFETY: the interpreter hands us a live frame.
                let line = unsafe { ffi::PyFrame_GetLineNumber(frame) };
                if tracer.branch {
                    record_arc(tracer, file_id, last, line);
                    FRAMES.with(|f| {
                        if let Some(top) = f.borrow_mut().last_mut() {
                            top.last = line;
                        }
                    });
                } else if let Ok(line) = u32::try_from(line) {
                    tracer.writer.record_line(file_id, line);
                }
            }
        }
        ffi::PyTrace_CALL => {
            // SAFETY: trace functions run with the GIL held, on a live frame.
            unsafe { on_call(Python::assume_attached(), frame, false) };
        }
        ffi::PyTrace_RETURN => {
            // SAFETY: trace functions run with the GIL held.
            let popped =
                unsafe { own_entry(frame) }.and_then(|_| FRAMES.with(|f| f.borrow_mut().pop()));
            if let (Some(entry), Some(tracer)) = (popped, active())
                && let Some(file_id) = entry.file_id
                && tracer.branch
                && !paused()
            {
                let first = match entry.shape {
                    // Only generators and coroutines suspend: any other return is the end.
                    Some(shape) if !shape.resumable => Some(shape.first_line),
                    _ => {
                        // SAFETY: trace functions run with the GIL held, on a live frame.
                        let py = unsafe { Python::assume_attached() };
                        // SAFETY: as above.
                        let frame_obj = unsafe { Bound::from_borrowed_ptr(py, frame.cast()) };
                        real_return(&frame_obj)
                    }
                };
                if let Some(first) = first {
                    record_arc(tracer, file_id, entry.last, -first);
                }
            }
            // After the frame's last arc, which belongs to the context ending here. A return
            // event comes for a `yield` and for unwinding with an exception too.
            if popped.is_some_and(|entry| entry.started_context) {
                // SAFETY: trace functions run with the GIL held.
                super::test_function::end(unsafe { Python::assume_attached() });
            }
        }
        _ => {}
    }
    0
}

/// `frame`'s entry, made the top of the stack: a frame running a line or returning has no
/// callee left, so any entries above its own are dropped.
///
/// # Safety
/// The GIL must be held.
unsafe fn own_entry(frame: *mut ffi::PyFrameObject) -> Option<Entry> {
    let top = FRAMES.with(|f| f.borrow().last().copied());
    match top {
        Some(entry) if entry.frame == frame as usize => Some(entry),
        // SAFETY: the caller holds the GIL.
        _ => unsafe { drop_missed_returns(Python::assume_attached(), frame) },
    }
}

/// Drops the entries above `frame`'s own, if it has one, and returns its entry.
///
/// Those are frames that ended without a return event reaching us: a program that restores
/// the trace function it found (`sys.settrace(sys.gettrace())`, as doctest's runner does) puts
/// Python's own trampoline in front of us until the next call, and that trampoline sends a
/// frame's return only to the frame's `f_trace`. A test context one of them started has ended
/// with it.
///
/// # Safety
/// The GIL must be held.
unsafe fn drop_missed_returns(py: Python<'_>, frame: *mut ffi::PyFrameObject) -> Option<Entry> {
    let dropped = FRAMES.with(|f| {
        let mut frames = f.borrow_mut();
        let at = frames.iter().rposition(|e| e.frame == frame as usize)?;
        Some(frames.split_off(at + 1))
    })?;
    if dropped.iter().any(|e| e.started_context) {
        super::test_function::end(py);
    }
    FRAMES.with(|f| f.borrow().last().copied())
}

/// A frame starts (or resumes), or is first seen mid-run (`mid_run`: at a line event): remember
/// its file id and where its arcs start; frames not measured stop line events.
///
/// # Safety
/// `frame` must be a live frame object and the GIL must be held.
unsafe fn on_call(
    py: Python<'_>,
    frame: *mut ffi::PyFrameObject,
    mid_run: bool,
) -> (Option<u32>, i32) {
    let (id, shape, test_start) = frame_code_facts(py, frame);
    // SAFETY: the caller guarantees `frame` is live.
    let bound = unsafe { Bound::from_borrowed_ptr(py, frame.cast()) };
    // A call (or a generator resuming) of a test function, not a frame first seen mid-run:
    // before anything of the frame is recorded, so all of it is in the new context.
    let started_context = test_start && !mid_run && super::test_function::start(py, &bound);
    let branch = active().is_some_and(|t| t.branch);
    let start = || match shape {
        _ if mid_run => None,
        // Only generators and coroutines resume: any other call is a start.
        Some(shape) if !shape.resumable => Some(shape.first_line),
        _ => real_call_first_line(&bound),
    };
    let last = if !branch || id.is_none() {
        0
    } else if let Some(first) = start() {
        -first
    } else {
        // A generator resuming (or a frame first seen mid-run) goes on from its current line.
        // SAFETY: the caller guarantees `frame` is live.
        unsafe { ffi::PyFrame_GetLineNumber(frame) }
    };
    FRAMES.with(|f| {
        f.borrow_mut().push(Entry {
            frame: frame as usize,
            file_id: id,
            last,
            shape,
            started_context,
        });
    });
    if id.is_none() {
        let _ = bound.setattr(intern!(py, "f_trace_lines"), false);
    }
    // If the program swaps trace functions (`sys.settrace(sys.gettrace())`, as doctest's runner
    // does when it finishes), the frame's own trace function is what Python calls for its next
    // events: make it the hook that puts us back. For a measured frame, so that its next lines
    // count; for a frame that started a test context, so that its return still ends it.
    if (id.is_some() || started_context)
        && let Some(hook) = HOOK.get(py)
    {
        let _ = bound.setattr(intern!(py, "f_trace"), hook);
    }
    (id, last)
}

/// The frame's `co_firstlineno` when this call event starts the code from its beginning (not a
/// generator or coroutine resuming), as coverage.py's C tracer tells them apart.
fn real_call_first_line(frame: &Bound<'_, PyAny>) -> Option<i32> {
    let py = frame.py();
    let lasti: i64 = frame.getattr(intern!(py, "f_lasti")).ok()?.extract().ok()?;
    let code = frame.getattr(intern!(py, "f_code")).ok()?;
    let first: i32 = code
        .getattr(intern!(py, "co_firstlineno"))
        .ok()?
        .extract()
        .ok()?;
    let real = if cfg!(Py_3_11) {
        // 3.11 stops at RESUME on every start; its argument is 0 only at the function's start.
        let bytes = code.getattr(intern!(py, "co_code")).ok()?;
        let bytes = bytes.cast::<pyo3::types::PyBytes>().ok()?.as_bytes();
        usize::try_from(lasti)
            .ok()
            .and_then(|at| bytes.get(at + 1))
            .is_none_or(|&arg| arg == 0)
    } else {
        // 3.10: no instruction has run yet on a real call.
        lasti < 0
    };
    real.then_some(first)
}

/// The frame's `co_firstlineno` when this return event leaves the code for good (not a
/// `yield`), as coverage.py's C tracer tells them apart.
fn real_return(frame: &Bound<'_, PyAny>) -> Option<i32> {
    let py = frame.py();
    let lasti = usize::try_from(
        frame
            .getattr(intern!(py, "f_lasti"))
            .ok()?
            .extract::<i64>()
            .ok()?,
    )
    .ok()?;
    let code = frame.getattr(intern!(py, "f_code")).ok()?;
    let first: i32 = code
        .getattr(intern!(py, "co_firstlineno"))
        .ok()?
        .extract()
        .ok()?;
    let bytes = code.getattr(intern!(py, "co_code")).ok()?;
    let bytes = bytes.cast::<pyo3::types::PyBytes>().ok()?.as_bytes();
    let ops = yield_opcodes(py);
    let real = if cfg!(Py_3_11) {
        // A yield is followed by the RESUME the generator continues at.
        lasti + 2 >= bytes.len() || bytes.get(lasti + 2) != ops.resume.as_ref()
    } else {
        let op = bytes.get(lasti).copied();
        op.is_none() || (op != ops.yield_value && op != ops.yield_from)
    };
    real.then_some(first)
}

struct YieldOpcodes {
    yield_value: Option<u8>,
    yield_from: Option<u8>,
    resume: Option<u8>,
}

fn yield_opcodes(py: Python<'_>) -> &'static YieldOpcodes {
    static OPS: PyOnceLock<YieldOpcodes> = PyOnceLock::new();
    OPS.get_or_init(py, || {
        let op = |name: &str| -> Option<u8> {
            py.import("dis")
                .ok()?
                .getattr("opmap")
                .ok()?
                .get_item(name)
                .ok()?
                .extract::<u8>()
                .ok()
        };
        YieldOpcodes {
            yield_value: op("YIELD_VALUE"),
            yield_from: op("YIELD_FROM"),
            resume: op("RESUME"),
        }
    })
}

/// The frame's file id (`None`: not measured), its code object's facts, and whether it is a test
/// function that may start a context.
fn frame_code_facts(
    py: Python<'_>,
    frame: *mut ffi::PyFrameObject,
) -> (Option<u32>, Option<CodeShape>, bool) {
    let Some(tracer) = active() else {
        return (None, None, false);
    };
    // SAFETY: PyFrame_GetCode returns a new (owned) reference to the frame's code object.
    let code = unsafe { Bound::from_owned_ptr(py, ffi::PyFrame_GetCode(frame).cast()) };
    // SAFETY: `code` is a live code object and the GIL is held.
    unsafe { code_extra::lookup(py, tracer, code.as_ptr()) }
}
