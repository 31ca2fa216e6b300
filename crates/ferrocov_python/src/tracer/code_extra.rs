//! A per-code-object memo of the measure-or-skip decision, kept in the code object's own
//! "extra" slot (PEP 523's scratch space), so the 3.10/3.11 tracer finds a frame's file id with
//! one pointer read instead of an attribute lookup and a dict probe, and the memo dies with the
//! code object (no cache that could outlive it or see its address reused).

use std::ffi::c_void;
use std::sync::atomic::{AtomicIsize, Ordering};

use pyo3::ffi;
use pyo3::prelude::*;

use super::Tracer;

/// The slot index, or -1 before it is requested.
static INDEX: AtomicIsize = AtomicIsize::new(-1);

/// Stored value: the tracer's generation in the high 32 bits (a restarted tracer numbers files
/// afresh, so older memos must not count), and below it 1 for "not measured" or `file_id + 2`
/// for a measured file. 0 means "never decided".
const NOT_MEASURED: u64 = 1;

fn encode(generation: u32, id: Option<u32>) -> u64 {
    (u64::from(generation) << 32) | id.map_or(NOT_MEASURED, |id| u64::from(id) + 2)
}

unsafe extern "C" fn nothing_to_free(_value: *mut c_void) {}

/// Reserves the slot (once per process). Must run with the GIL held.
pub(crate) fn reserve() -> bool {
    if INDEX.load(Ordering::Acquire) >= 0 {
        return true;
    }
    // SAFETY: called with the GIL held; the values stored are plain integers, so the function
    // CPython calls when a code object dies has nothing to free.
    let index = unsafe { ffi::PyUnstable_Eval_RequestCodeExtraIndex(nothing_to_free) };
    if index < 0 {
        // SAFETY: a failed request sets an exception, which must not leak into the program.
        unsafe { ffi::PyErr_Clear() };
        return false;
    }
    INDEX.store(index, Ordering::Release);
    true
}

/// The file id for `code`, deciding (and remembering) it on first sight.
///
/// # Safety
/// `code` must be a live code object and the GIL must be held.
pub(crate) unsafe fn file_id(
    py: Python<'_>,
    tracer: &Tracer,
    code: *mut ffi::PyObject,
) -> Option<u32> {
    let index = INDEX.load(Ordering::Relaxed);
    if index >= 0 {
        let mut extra: *mut c_void = std::ptr::null_mut();
        // SAFETY: `code` is a code object (caller's contract) and `index` was reserved.
        if unsafe { ffi::PyUnstable_Code_GetExtra(code, index, &mut extra) } == 0 {
            let stored = extra as u64;
            if stored != 0 && (stored >> 32) as u32 == tracer.generation {
                return match stored & 0xffff_ffff {
                    NOT_MEASURED => None,
                    low => u32::try_from(low - 2).ok(),
                };
            }
        } else {
            // SAFETY: as above; clear the error the failed lookup raised.
            unsafe { ffi::PyErr_Clear() };
        }
    }
    // SAFETY: `code` is live; borrowing it for the attribute lookup.
    let bound = unsafe { Bound::from_borrowed_ptr(py, code) };
    let id = bound
        .getattr(pyo3::intern!(py, "co_filename"))
        .ok()
        .and_then(|filename| tracer.file_id(py, &filename));
    if index >= 0 {
        let stored = encode(tracer.generation, id) as usize as *mut c_void;
        // SAFETY: `code` is live; storing a plain integer in our reserved slot.
        if unsafe { ffi::PyUnstable_Code_SetExtra(code, index, stored) } != 0 {
            // SAFETY: clear the error of a failed store; the next call decides again.
            unsafe { ffi::PyErr_Clear() };
        }
    }
    id
}
