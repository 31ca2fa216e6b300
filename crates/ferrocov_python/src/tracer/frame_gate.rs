//! The frame gate for Python 3.10/3.11: a PEP 523 frame-evaluation hook that turns the C trace
//! function on only for frames of measured files.
//!
//! A C trace function makes the interpreter take its slow, event-checking path for every frame of
//! the thread, measured or not, and calls back on every call and return. The gate runs before each
//! frame is evaluated: for a frame whose file is not measured it clears the thread's
//! `use_tracing` flag for the duration of that frame, so the frame runs at full speed and sends no
//! events at all; for a measured frame it sets the flag. Frames a measured frame calls pass through
//! the gate again, so nesting in either direction is exact.
//!
//! The gate reads fields of CPython's structs that the C API does not expose; [`gate_layout`]
//! says where they are and proves each offset against the running interpreter before the gate is
//! installed. Without a perfect match, or with `FERROCOV_FRAME_GATE=off`, the gate stays off and
//! plain tracing measures the same lines, more slowly. The layouts are those of 64-bit builds, so
//! the module is compiled for 64-bit targets only.

use std::ffi::{c_int, c_void};
use std::ptr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use ferrocov_protocol::env::FERROCOV_FRAME_GATE;
use pyo3::ffi;
use pyo3::prelude::*;

use super::gate_layout::{self, LAYOUT, read, read_flag, write_flag};
use super::{active, code_extra};

type EvalFrame =
    unsafe extern "C" fn(*mut ffi::PyThreadState, *mut c_void, c_int) -> *mut ffi::PyObject;

unsafe extern "C" {
    fn _PyEval_EvalFrameDefault(
        tstate: *mut ffi::PyThreadState,
        frame: *mut c_void,
        throwflag: c_int,
    ) -> *mut ffi::PyObject;
}

static ENABLED: AtomicBool = AtomicBool::new(false);
/// The evaluation function that was installed before ours (0 = the default one).
static PREVIOUS: AtomicUsize = AtomicUsize::new(0);
/// Address of the trace function frames are gated for.
static TRACE_FN: AtomicUsize = AtomicUsize::new(0);

/// Why the gate is off, for `status()`; not consulted while it is on.
static REASON_OFF: Mutex<String> = Mutex::new(String::new());

fn set_reason_off(why: String) {
    *REASON_OFF
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = why;
}

pub(crate) fn describe() -> String {
    if ENABLED.load(Ordering::Relaxed) {
        return "on".into();
    }
    let why = REASON_OFF
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if why.is_empty() {
        "off".into()
    } else {
        format!("off: {why}")
    }
}

/// Whether `FERROCOV_FRAME_GATE` asks for the gate to stay off.
fn switched_off() -> bool {
    std::env::var(FERROCOV_FRAME_GATE).is_ok_and(|value| value.trim().eq_ignore_ascii_case("off"))
}

/// Installs the gate in front of the current frame-evaluation function. Best effort: when the
/// interpreter does not look as expected, measurement simply runs without the gate.
pub(crate) fn install(py: Python<'_>, trace: ffi::Py_tracefunc) {
    if ENABLED.load(Ordering::Acquire) {
        return;
    }
    if switched_off() {
        set_reason_off(format!("{FERROCOV_FRAME_GATE}=off"));
        return;
    }
    if !code_extra::reserve() {
        set_reason_off("no code-object extra slot".into());
        return;
    }
    // SAFETY: `install` runs with the GIL held, right after `trace` was installed, and the gate
    // is not installed (checked above).
    if let Err(why) = unsafe { gate_layout::validate(py, trace) } {
        set_reason_off(why);
        return;
    }
    TRACE_FN.store(trace as usize, Ordering::Relaxed);
    // SAFETY: GIL held; reading and replacing the interpreter's evaluation function.
    unsafe {
        let interp = ffi::PyInterpreterState_Get();
        let previous = ffi::_PyInterpreterState_GetEvalFrameFunc(interp);
        PREVIOUS.store(previous_address(previous), Ordering::Release);
        let ours: ffi::_PyFrameEvalFunction = std::mem::transmute(gate as EvalFrame);
        ffi::_PyInterpreterState_SetEvalFrameFunc(interp, Some(ours));
    }
    ENABLED.store(true, Ordering::Release);
}

#[cfg(not(Py_3_11))]
fn previous_address(previous: Option<ffi::_PyFrameEvalFunction>) -> usize {
    previous.map_or(0, |f| f as usize)
}

#[cfg(Py_3_11)]
fn previous_address(previous: ffi::_PyFrameEvalFunction) -> usize {
    previous as usize
}

/// Puts the previous evaluation function back.
pub(crate) fn uninstall(_py: Python<'_>) {
    if !ENABLED.swap(false, Ordering::AcqRel) {
        return;
    }
    set_reason_off(String::new());
    let previous = PREVIOUS.load(Ordering::Acquire);
    // SAFETY: GIL held; `previous` is the function pointer read at install time (or 0 = default).
    unsafe {
        let restore: Option<ffi::_PyFrameEvalFunction> = if previous == 0 {
            None
        } else {
            Some(std::mem::transmute::<usize, ffi::_PyFrameEvalFunction>(
                previous,
            ))
        };
        ffi::_PyInterpreterState_SetEvalFrameFunc(ffi::PyInterpreterState_Get(), restore);
    }
}

fn previous_eval() -> EvalFrame {
    let previous = PREVIOUS.load(Ordering::Relaxed);
    if previous == 0 {
        _PyEval_EvalFrameDefault
    } else {
        // SAFETY: a non-zero value is a frame-evaluation function pointer stored by `install`.
        unsafe { std::mem::transmute::<usize, EvalFrame>(previous) }
    }
}

/// The code object of a frame the hook was handed, or null when it is not one we can read.
///
/// # Safety
/// `frame` must be what CPython passes to a frame-evaluation function, alive; the gate must have
/// been validated ([`gate_layout::validate`]).
#[cfg(not(Py_3_11))]
unsafe fn frame_code(frame: *mut c_void) -> *mut ffi::PyObject {
    // 3.10 hands over a frame object; its type is checked (`ob_type` is in every object) before a
    // field past the object header is read.
    let object = frame.cast::<ffi::PyObject>();
    // SAFETY: `frame` is a live object; `frame_code` is inside a frame object (validated).
    unsafe {
        if ffi::Py_TYPE(object) == &raw mut ffi::PyFrame_Type {
            read(frame.cast::<u8>(), LAYOUT.frame_code)
        } else {
            ptr::null_mut()
        }
    }
}

#[cfg(Py_3_11)]
unsafe fn frame_code(frame: *mut c_void) -> *mut ffi::PyObject {
    // 3.11 hands over a `_PyInterpreterFrame`, which is not an object. Every one of them (on the
    // data stack, inside a generator or coroutine, or inside a frame object for
    // `PyEval_EvalFrameEx`) starts with the same fixed fields, which CPython fills before
    // evaluating it, so the code pointer is always inside the frame.
    // SAFETY: the caller's contract; the offset was validated.
    unsafe { read(frame.cast::<u8>(), LAYOUT.frame_code) }
}

/// The frame-evaluation hook. Runs for every Python frame while installed, with the GIL held.
unsafe extern "C" fn gate(
    tstate: *mut ffi::PyThreadState,
    frame: *mut c_void,
    throwflag: c_int,
) -> *mut ffi::PyObject {
    let eval = previous_eval();
    if let (true, Some(tracer)) = (ENABLED.load(Ordering::Relaxed), active()) {
        let layout = &LAYOUT;
        let base = tstate.cast::<u8>();
        // SAFETY: the gate is enabled only after every offset used here was validated against
        // this interpreter; `tstate` and `frame` are live, and nothing is read from the frame
        // until it is known this thread traces with our function.
        unsafe {
            let traced_here = read::<usize>(base, layout.c_tracefunc)
                == TRACE_FN.load(Ordering::Relaxed)
                && read::<usize>(base, layout.c_profilefunc) == 0;
            let cframe: *mut u8 = if traced_here {
                read(base, layout.cframe)
            } else {
                ptr::null_mut()
            };
            let code = if cframe.is_null() {
                ptr::null_mut()
            } else {
                frame_code(frame)
            };
            if !code.is_null() && ffi::Py_TYPE(code) == &raw mut ffi::PyCode_Type {
                let py = Python::assume_attached();
                // Traced only while it can still add lines, or when it may start a test context:
                // other unmeasured and complete code objects run at full speed.
                // A frame entered only to throw into it (closing a generator that never ran)
                // carries a pending exception; deciding may call the C API, which must neither
                // see nor clear it.
                let pending = throwflag != 0 || !ffi::PyErr_Occurred().is_null();
                let (mut ptype, mut pvalue, mut ptraceback) =
                    (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
                if pending {
                    ffi::PyErr_Fetch(&mut ptype, &mut pvalue, &mut ptraceback);
                }
                let wanted = match code_extra::info(py, tracer, code) {
                    Some(info) => {
                        info.test_start
                            || (info.file_id.is_some() && !info.is_complete(py, tracer, code))
                    }
                    None => true,
                };
                if pending {
                    ffi::PyErr_Restore(ptype, pvalue, ptraceback);
                }
                let saved = read_flag(cframe, layout);
                write_flag(cframe, layout, if wanted { layout.flag_on } else { 0 });
                let result = eval(tstate, frame, throwflag);
                write_flag(cframe, layout, saved);
                return result;
            }
        }
    }
    // SAFETY: forwarding the interpreter's own arguments to the previous evaluation function.
    unsafe { eval(tstate, frame, throwflag) }
}
