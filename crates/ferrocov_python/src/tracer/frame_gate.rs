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
//! This reads three fields of CPython's thread state that the C API does not expose. Their offsets
//! are fixed within a minor version; [`install`] checks them against the interpreter it runs in
//! (the trace function pointer must be where we expect, and the flag must follow
//! `PyEval_SetTrace`), and without a perfect match the gate stays off and plain tracing is used.

use std::ffi::{c_int, c_void};
use std::ptr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use pyo3::ffi;
use pyo3::prelude::*;

use super::active;
use super::code_extra;

/// Where the fields live in `PyThreadState`, and how the per-C-frame flag is stored.
#[derive(Debug, Clone, Copy)]
struct Layout {
    cframe: usize,
    c_profilefunc: usize,
    c_tracefunc: usize,
    /// 3.11 keeps `use_tracing` in a byte and uses 255 for "on"; 3.10 an int and 1.
    flag_is_byte: bool,
    flag_on: u32,
}

#[cfg(not(Py_3_11))]
const EXPECTED: Layout = Layout {
    cframe: 48,
    c_profilefunc: 56,
    c_tracefunc: 64,
    flag_is_byte: false,
    flag_on: 1,
};

#[cfg(Py_3_11)]
const EXPECTED: Layout = Layout {
    cframe: 56,
    c_profilefunc: 64,
    c_tracefunc: 72,
    flag_is_byte: true,
    flag_on: 255,
};

/// `f_code` sits after four pointers in both 3.10's `PyFrameObject` (header + `f_back`) and
/// 3.11's `_PyInterpreterFrame` (`f_func`, `f_globals`, `f_builtins`, `f_locals`).
const FRAME_CODE_OFFSET: usize = 32;

type EvalFrame =
    unsafe extern "C" fn(*mut ffi::PyThreadState, *mut c_void, c_int) -> *mut ffi::PyObject;

unsafe extern "C" {
    fn _PyEval_EvalFrameDefault(
        tstate: *mut ffi::PyThreadState,
        frame: *mut c_void,
        throwflag: c_int,
    ) -> *mut ffi::PyObject;
}

static LAYOUT: OnceLock<Option<Layout>> = OnceLock::new();
static ENABLED: AtomicBool = AtomicBool::new(false);
/// The evaluation function that was installed before ours (0 = the default one).
static PREVIOUS: AtomicUsize = AtomicUsize::new(0);
/// Address of the trace function frames are gated for.
static TRACE_FN: AtomicUsize = AtomicUsize::new(0);

/// Why the gate is off, for `status()`; `None` while it is on.
static REASON_OFF: OnceLock<&'static str> = OnceLock::new();

pub(crate) fn describe() -> &'static str {
    if ENABLED.load(Ordering::Relaxed) {
        "on"
    } else {
        REASON_OFF.get().copied().unwrap_or("off")
    }
}

unsafe fn read<T: Copy>(base: *const u8, offset: usize) -> T {
    // SAFETY: the caller guarantees `base + offset` is a readable, aligned T inside a live struct.
    unsafe { ptr::read(base.add(offset).cast::<T>()) }
}

unsafe fn read_flag(cframe: *mut u8, layout: &Layout) -> u32 {
    // SAFETY: `cframe` points to the live CFrame whose first field is the flag.
    unsafe {
        if layout.flag_is_byte {
            u32::from(*cframe)
        } else {
            *cframe.cast::<u32>()
        }
    }
}

unsafe fn write_flag(cframe: *mut u8, layout: &Layout, value: u32) {
    // SAFETY: as in `read_flag`; the GIL is held, so nothing else touches this thread's frame.
    unsafe {
        if layout.flag_is_byte {
            *cframe = value as u8;
        } else {
            *cframe.cast::<u32>() = value;
        }
    }
}

/// Checks the expected offsets against this interpreter. Must be called with the GIL held and
/// with `trace` installed (by `PyEval_SetTrace`) on the calling thread and no profiler.
unsafe fn validate(trace: ffi::Py_tracefunc) -> Result<Layout, &'static str> {
    let layout = EXPECTED;
    // SAFETY: we hold the GIL, so the current thread state is live.
    let tstate = unsafe { ffi::PyThreadState_Get() }.cast::<u8>();
    // SAFETY: offsets are inside PyThreadState for this version (verified field by field below).
    unsafe {
        if read::<usize>(tstate, layout.c_tracefunc) != trace as usize {
            return Err("off: trace function not found where expected in the thread state");
        }
        if read::<usize>(tstate, layout.c_profilefunc) != 0 {
            return Err("off: a profiler is active");
        }
        let cframe: *mut u8 = read(tstate, layout.cframe);
        if cframe.is_null() || read_flag(cframe, &layout) != layout.flag_on {
            return Err("off: tracing flag not found where expected");
        }
        ffi::PyEval_SetTrace(None, ptr::null_mut());
        let off = read_flag(cframe, &layout);
        ffi::PyEval_SetTrace(Some(trace), ptr::null_mut());
        if off != 0 || read_flag(cframe, &layout) != layout.flag_on {
            return Err("off: tracing flag does not follow PyEval_SetTrace");
        }
    }
    Ok(layout)
}

/// Installs the gate in front of the current frame-evaluation function. Best effort: when the
/// interpreter does not look as expected, measurement simply runs without the gate.
pub(crate) fn install(_py: Python<'_>, trace: ffi::Py_tracefunc) {
    if !code_extra::reserve() {
        let _ = REASON_OFF.set("off: no code-object extra slot");
        return;
    }
    // SAFETY: `install` runs with the GIL held, right after `trace` was installed.
    let layout = *LAYOUT.get_or_init(|| match unsafe { validate(trace) } {
        Ok(layout) => Some(layout),
        Err(why) => {
            let _ = REASON_OFF.set(why);
            None
        }
    });
    if layout.is_none() || ENABLED.load(Ordering::Acquire) {
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

/// The frame-evaluation hook. Runs for every Python frame while installed, with the GIL held.
unsafe extern "C" fn gate(
    tstate: *mut ffi::PyThreadState,
    frame: *mut c_void,
    throwflag: c_int,
) -> *mut ffi::PyObject {
    let eval = previous_eval();
    if let (true, Some(tracer), Some(Some(layout))) =
        (ENABLED.load(Ordering::Relaxed), active(), LAYOUT.get())
    {
        let base = tstate.cast::<u8>();
        // SAFETY: offsets validated at install time; `tstate` and `frame` are live.
        unsafe {
            let traced_here = read::<usize>(base, layout.c_tracefunc)
                == TRACE_FN.load(Ordering::Relaxed)
                && read::<usize>(base, layout.c_profilefunc) == 0;
            let code: *mut ffi::PyObject = read(frame.cast::<u8>(), FRAME_CODE_OFFSET);
            let cframe: *mut u8 = read(base, layout.cframe);
            if traced_here && !cframe.is_null() && ffi::Py_TYPE(code) == &raw mut ffi::PyCode_Type {
                let py = Python::assume_attached();
                // Traced only while it can still add lines: unmeasured and complete code objects
                // run at full speed.
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
                    Some(info) => info.file_id.is_some() && !info.is_complete(tracer),
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
