//! Where the frame gate's CPython fields live on 64-bit 3.10/3.11, and the start-up checks that
//! prove every one of those offsets against the running interpreter before the gate may use them.
//!
//! None of these fields is in the C API. Each offset is confirmed through a route that does not
//! depend on it: a value CPython's own functions just wrote (`PyEval_SetTrace`,
//! `PyEval_SetProfile`), or a pointer CPython's frame API returns (`PyEval_GetFrame`,
//! `PyFrame_GetCode`). A pointer read at an offset not yet confirmed is compared, never followed,
//! so a layout that differs (a patched or differently configured interpreter) turns the gate off
//! instead of dereferencing garbage.

use std::ffi::c_int;
use std::ptr;

use pyo3::ffi;
use pyo3::prelude::*;

use ferrocov_protocol::env::FERROCOV_FRAME_GATE_TEST_FAIL;

/// The offsets the gate reads, for this minor version.
///
/// Checked on Linux x86_64. Windows x64 (LLP64) should have the same offsets: only `long` differs
/// in size between LP64 and LLP64, and no field up to and including these is a `long` (they are
/// pointers, `int`s, `Py_ssize_t`s and one byte). That is reviewed, not tested here.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    /// `PyThreadState.cframe`: the C-level frame whose first field is `use_tracing`.
    pub(crate) cframe: usize,
    pub(crate) c_profilefunc: usize,
    pub(crate) c_tracefunc: usize,
    /// 3.11 keeps `use_tracing` in a byte and uses 255 for "on"; 3.10 an int and 1.
    pub(crate) flag_is_byte: bool,
    pub(crate) flag_on: u32,
    /// The code object pointer in what the evaluation hook receives: after four pointers in both
    /// 3.10's `PyFrameObject` (`ob_refcnt`, `ob_type`, `ob_size`, `f_back`) and 3.11's
    /// `_PyInterpreterFrame` (`f_func`, `f_globals`, `f_builtins`, `f_locals`).
    pub(crate) frame_code: usize,
}

#[cfg(not(Py_3_11))]
pub(crate) const LAYOUT: Layout = Layout {
    cframe: 48,
    c_profilefunc: 56,
    c_tracefunc: 64,
    flag_is_byte: false,
    flag_on: 1,
    frame_code: 32,
};

#[cfg(Py_3_11)]
pub(crate) const LAYOUT: Layout = Layout {
    cframe: 56,
    c_profilefunc: 64,
    c_tracefunc: 72,
    flag_is_byte: true,
    flag_on: 255,
    frame_code: 32,
};

/// 3.11 only, read by the checks alone: `_PyCFrame.current_frame` (after the flag, padded) and
/// `PyFrameObject.f_frame` (after `PyObject_HEAD` and `f_back`), the two routes to the running
/// `_PyInterpreterFrame`.
#[cfg(Py_3_11)]
const CFRAME_CURRENT_FRAME: usize = 8;
#[cfg(Py_3_11)]
const FRAME_OBJECT_F_FRAME: usize = 24;

/// How far above the checking code the running evaluation loop's `CFrame` may sit on the C stack.
/// Only the calls from the loop into `_ferrocov.start` lie in between: a few kilobytes.
const CFRAME_STACK_WINDOW: usize = 1 << 20;

/// Every check, in the order [`validate`] runs them; `status()` and the test switch name them so.
const CHECKS: &[&str] = &[
    "profiler",
    "python_frame",
    "c_tracefunc",
    "c_profilefunc",
    "cframe",
    "use_tracing",
    #[cfg(Py_3_11)]
    "current_frame",
    "f_code",
];

/// Reads a `T` at `base + offset`.
///
/// # Safety
/// `base + offset` must be a readable, aligned `T` inside one live allocation.
pub(crate) unsafe fn read<T: Copy>(base: *const u8, offset: usize) -> T {
    // SAFETY: the caller's contract.
    unsafe { ptr::read(base.add(offset).cast::<T>()) }
}

/// # Safety
/// `cframe` must be the live C frame of a thread state with this layout.
pub(crate) unsafe fn read_flag(cframe: *const u8, layout: &Layout) -> u32 {
    // SAFETY: the flag is the C frame's first field, of the width `layout` says.
    unsafe {
        if layout.flag_is_byte {
            u32::from(*cframe)
        } else {
            *cframe.cast::<u32>()
        }
    }
}

/// # Safety
/// As for [`read_flag`], with the GIL held (only the owning thread touches its C frame).
pub(crate) unsafe fn write_flag(cframe: *mut u8, layout: &Layout, value: u32) {
    // SAFETY: as in `read_flag`.
    unsafe {
        if layout.flag_is_byte {
            *cframe = value as u8;
        } else {
            *cframe.cast::<u32>() = value;
        }
    }
}

/// Runs the checks in order and stops at the first that fails; a failure names its check.
struct Checker {
    /// The check the test switch treats as failed, if any.
    forced: Option<String>,
}

impl Checker {
    fn from_env() -> Result<Self, String> {
        let forced = std::env::var(FERROCOV_FRAME_GATE_TEST_FAIL)
            .ok()
            .filter(|name| !name.is_empty());
        if let Some(name) = &forced
            && !CHECKS.contains(&name.as_str())
        {
            return Err(format!(
                "{FERROCOV_FRAME_GATE_TEST_FAIL}={name} names no check (one of: {})",
                CHECKS.join(", ")
            ));
        }
        Ok(Self { forced })
    }

    fn check(
        &self,
        name: &'static str,
        passed: bool,
        detail: impl FnOnce() -> String,
    ) -> Result<(), String> {
        if self.forced.as_deref() == Some(name) {
            Err(format!(
                "check {name} failed: forced by {FERROCOV_FRAME_GATE_TEST_FAIL}"
            ))
        } else if passed {
            Ok(())
        } else {
            Err(format!("check {name} failed: {}", detail()))
        }
    }
}

/// A profile function that does nothing, set for an instant to see where it lands.
unsafe extern "C" fn probe_profile(
    _obj: *mut ffi::PyObject,
    _frame: *mut ffi::PyFrameObject,
    _what: c_int,
    _arg: *mut ffi::PyObject,
) -> c_int {
    0
}

/// Checks every offset in [`LAYOUT`] (and the 3.11 ones used to reach the interpreter frame)
/// against this interpreter. On failure, says which check failed and why.
///
/// # Safety
/// The GIL must be held, `trace` must be installed on this thread by `PyEval_SetTrace`, and the
/// frame gate must not be installed. The trace function is installed again on return, without
/// its object.
pub(crate) unsafe fn validate(py: Python<'_>, trace: ffi::Py_tracefunc) -> Result<(), String> {
    let layout = LAYOUT;
    let checks = Checker::from_env()?;

    // A C-level profiler without an object would show as a layout mismatch below instead.
    let no_profiler = py
        .import("sys")
        .and_then(|sys| sys.call_method0("getprofile"))
        .is_ok_and(|profiler| profiler.is_none());
    checks.check("profiler", no_profiler, || "a profiler is active".into())?;

    // SAFETY: the GIL is held; the frame is borrowed and stays alive while its caller runs.
    let frame = unsafe { ffi::PyEval_GetFrame() };
    checks.check("python_frame", !frame.is_null(), || {
        "no Python frame is running to check the frame layout against".into()
    })?;

    // SAFETY: the GIL is held, so this thread's state is live.
    let tstate = unsafe { ffi::PyThreadState_Get() }.cast::<u8>();
    // SAFETY: every offset read from `tstate` below is far inside `PyThreadState` (hundreds of
    // bytes on both versions) and pointer-aligned; the values are only compared until proven.
    let tracefunc = || unsafe { read::<usize>(tstate, layout.c_tracefunc) };
    let profilefunc = || unsafe { read::<usize>(tstate, layout.c_profilefunc) };

    let installed = tracefunc();
    // SAFETY: GIL held; removing and reinstalling our own trace function.
    let (removed, reinstalled) = unsafe {
        ffi::PyEval_SetTrace(None, ptr::null_mut());
        let removed = tracefunc();
        ffi::PyEval_SetTrace(Some(trace), ptr::null_mut());
        (removed, tracefunc())
    };
    checks.check(
        "c_tracefunc",
        installed == trace as usize && removed == 0 && reinstalled == trace as usize,
        || {
            format!(
                "offset {} of the thread state did not follow PyEval_SetTrace \
                 ({installed:#x}, {removed:#x}, {reinstalled:#x})",
                layout.c_tracefunc
            )
        },
    )?;

    let before = profilefunc();
    // SAFETY: GIL held and no profiler active (checked above): setting one for an instant and
    // removing it again. No Python code runs in between but audit hooks.
    let (set, cleared) = unsafe {
        ffi::PyEval_SetProfile(Some(probe_profile), ptr::null_mut());
        let set = profilefunc();
        ffi::PyEval_SetProfile(None, ptr::null_mut());
        (set, profilefunc())
    };
    checks.check(
        "c_profilefunc",
        before == 0 && set == probe_profile as ffi::Py_tracefunc as usize && cleared == 0,
        || {
            format!(
                "offset {} of the thread state did not follow PyEval_SetProfile \
                 ({before:#x}, {set:#x}, {cleared:#x})",
                layout.c_profilefunc
            )
        },
    )?;

    // The running evaluation loop keeps its CFrame in a local variable, so the pointer must lead
    // a short way up this thread's stack (which grows down on every 64-bit target CPython
    // supports). Anything else a wrong offset could hold (heap, static data, code, small ints)
    // lies far outside that window, so the pointer is followed only once it passes.
    // SAFETY: as for the reads above.
    let cframe: *mut u8 = unsafe { read(tstate, layout.cframe) };
    let here = std::hint::black_box(&layout) as *const Layout as usize;
    let distance = (cframe as usize).wrapping_sub(here);
    checks.check(
        "cframe",
        (cframe as usize).is_multiple_of(align_of::<usize>())
            && distance > 0
            && distance < CFRAME_STACK_WINDOW,
        || {
            format!(
                "offset {} of the thread state holds {cframe:p}, not a C frame on this \
                 thread's stack (checking from {here:#x})",
                layout.cframe
            )
        },
    )?;

    // SAFETY: `cframe` is the live CFrame of the evaluation loop that called us (checked above).
    let flags = unsafe {
        let on = read_flag(cframe, &layout);
        ffi::PyEval_SetTrace(None, ptr::null_mut());
        let off = read_flag(cframe, &layout);
        ffi::PyEval_SetTrace(Some(trace), ptr::null_mut());
        (on, off, read_flag(cframe, &layout))
    };
    checks.check(
        "use_tracing",
        flags == (layout.flag_on, 0, layout.flag_on),
        || {
            format!(
                "the C frame's first field did not follow PyEval_SetTrace (read {flags:?}, \
                 expected ({on}, 0, {on}))",
                on = layout.flag_on
            )
        },
    )?;

    // SAFETY: `frame` is the live current frame, `cframe` the live C frame.
    unsafe { check_frames(&checks, frame, cframe) }
}

/// The frame checks: the code pointer the gate reads at `LAYOUT.frame_code` must be what
/// `PyFrame_GetCode` returns, for every frame on the stack. 3.11 first proves the way from a
/// frame object to its interpreter frame.
///
/// # Safety
/// GIL held; `frame` the current frame (borrowed), `cframe` this thread's proven C frame.
#[cfg(not(Py_3_11))]
unsafe fn check_frames(
    checks: &Checker,
    frame: *mut ffi::PyFrameObject,
    _cframe: *mut u8,
) -> Result<(), String> {
    // SAFETY: the contract above. A frame object's type is checked before its code pointer is
    // read, and the read stays inside the type's fixed part.
    let mismatch = unsafe {
        first_code_mismatch(frame, |frame| {
            let object = frame.cast::<ffi::PyObject>();
            let is_frame = ffi::Py_TYPE(object) == &raw mut ffi::PyFrame_Type
                && fits(object, LAYOUT.frame_code);
            is_frame.then(|| read::<usize>(object.cast(), LAYOUT.frame_code))
        })
    };
    checks.check("f_code", mismatch.is_none(), || {
        mismatch.unwrap_or_default()
    })
}

#[cfg(Py_3_11)]
unsafe fn check_frames(
    checks: &Checker,
    frame: *mut ffi::PyFrameObject,
    cframe: *mut u8,
) -> Result<(), String> {
    let object = frame.cast::<ffi::PyObject>();
    // SAFETY: `object` is a live frame object and the read stays inside its fixed part; `cframe`
    // is this thread's proven, live C frame and the read stays inside it.
    let (via_object, via_cframe) = unsafe {
        let via_object = if fits(object, FRAME_OBJECT_F_FRAME) {
            read::<usize>(object.cast(), FRAME_OBJECT_F_FRAME)
        } else {
            0
        };
        (via_object, read::<usize>(cframe, CFRAME_CURRENT_FRAME))
    };
    checks.check(
        "current_frame",
        via_object != 0
            && via_object.is_multiple_of(align_of::<usize>())
            && via_object == via_cframe,
        || {
            format!(
                "the C frame's current frame (offset {CFRAME_CURRENT_FRAME}, {via_cframe:#x}) \
                 is not the frame object's f_frame (offset {FRAME_OBJECT_F_FRAME}, \
                 {via_object:#x})"
            )
        },
    )?;
    // Every interpreter frame starts with the same fixed fields, so the code pointer read below
    // is inside it; `f_frame` of any frame object is now known to lead to one.
    // SAFETY: the contract above.
    let mismatch = unsafe {
        first_code_mismatch(frame, |frame| {
            let interpreter_frame: *const u8 = read(frame.cast(), FRAME_OBJECT_F_FRAME);
            (!interpreter_frame.is_null())
                .then(|| read::<usize>(interpreter_frame, LAYOUT.frame_code))
        })
    };
    checks.check("f_code", mismatch.is_none(), || {
        mismatch.unwrap_or_default()
    })
}

/// Whether an object of `object`'s type has a pointer-sized field at `offset` in its fixed part.
///
/// # Safety
/// `object` must be a live object.
unsafe fn fits(object: *mut ffi::PyObject, offset: usize) -> bool {
    // SAFETY: a live object's type is a live type object.
    let size = unsafe { (*ffi::Py_TYPE(object)).tp_basicsize };
    usize::try_from(size).is_ok_and(|size| size >= offset + size_of::<usize>())
}

/// Compares, for the current frame and each one below it, the code pointer `read_code` finds
/// (`None`: the frame cannot be read that way) with `PyFrame_GetCode`, and describes the first
/// mismatch.
///
/// # Safety
/// GIL held; `frame` a live frame; `read_code` safe to call on any live frame object.
unsafe fn first_code_mismatch(
    frame: *mut ffi::PyFrameObject,
    read_code: impl Fn(*mut ffi::PyFrameObject) -> Option<usize>,
) -> Option<String> {
    // SAFETY: a reference is held on every frame while it is visited.
    unsafe {
        ffi::Py_INCREF(frame.cast());
        let mut current = frame;
        let mut depth = 0usize;
        let mut mismatch = None;
        while !current.is_null() && mismatch.is_none() {
            let code = ffi::PyFrame_GetCode(current);
            let found = read_code(current);
            if found != Some(code as usize) {
                let found = found.map_or_else(|| "nothing".into(), |found| format!("{found:#x}"));
                mismatch = Some(format!(
                    "{depth} frame(s) below the current one, offset {} holds {found} where \
                     PyFrame_GetCode gives {code:p}",
                    LAYOUT.frame_code
                ));
            }
            ffi::Py_DECREF(code.cast());
            let back = ffi::PyFrame_GetBack(current);
            ffi::Py_DECREF(current.cast());
            current = back;
            depth += 1;
        }
        if !current.is_null() {
            ffi::Py_DECREF(current.cast());
        }
        mismatch
    }
}
