//! What the 3.10/3.11 tracer remembers about each code object, kept in the code object's own
//! "extra" slot (PEP 523's scratch space): the file id (so a frame's file is found with one
//! pointer read, not an attribute lookup and a dict probe) and the lines of the code object not
//! yet recorded. Once every line a code object has is recorded it is *complete*: running it again
//! cannot add anything, so the frame gate runs it untraced at full speed. With branches the
//! memo also keeps where closing it stands ([`arc_closure`]). The memo is freed with
//! the code object, so nothing can outlive it or see its address reused. Completeness holds for
//! one measurement context: after a switch the code object's lines are pending again.

use std::ffi::c_void;
use std::sync::atomic::{AtomicIsize, Ordering};

use pyo3::ffi;
use pyo3::prelude::*;

use super::{Tracer, arc_closure};

/// The slot index, or -1 before it is requested.
static INDEX: AtomicIsize = AtomicIsize::new(-1);

pub(crate) struct CodeInfo {
    /// The tracer start this was decided under (a restarted tracer numbers files afresh).
    generation: u32,
    pub(crate) file_id: Option<u32>,
    /// What branch measurement asks at every call and return, read once per code object of a
    /// measured file (`None` otherwise, or if the attributes could not be read).
    pub(crate) shape: Option<CodeShape>,
    /// A test function whose calls may start a context (`dynamic_context = test_function`):
    /// traced whether its file is measured or not.
    pub(crate) test_start: bool,
    /// Lines of the code object, largest first; `lines[..pending]` are not yet known to be
    /// recorded (checked from the end, in the order they usually run).
    lines: Vec<u32>,
    pending: usize,
    /// Branch measurement: where closing the code object stands ([`arc_closure`]).
    arcs: ArcClosure,
    complete: bool,
    /// The writer's context generation `pending` and `complete` hold for.
    context_generation: u64,
}

/// Closing a branch-measured code object, step by step.
enum ArcClosure {
    /// Not yet analysed: how many more starts before it is.
    Counting(u32),
    /// What it must record; `needs[..left]` are not yet known to be recorded in this context.
    Pending {
        needs: Vec<arc_closure::Need>,
        left: usize,
    },
    /// Never closed: lines measured, closing switched off, or its arcs are uncertain.
    Never,
}

/// The two facts about a code object that turn call and return events into arcs.
#[derive(Clone, Copy)]
pub(crate) struct CodeShape {
    /// `co_firstlineno`, the line coverage.py negates for a function's entry and exit.
    pub(crate) first_line: i32,
    /// A generator, coroutine or async generator: only these can be resumed or suspended, so
    /// only their call and return events need a look at the bytecode to be told apart.
    pub(crate) resumable: bool,
}

/// `CO_GENERATOR | CO_COROUTINE | CO_ITERABLE_COROUTINE | CO_ASYNC_GENERATOR`, stable since 3.6.
const RESUMABLE_FLAGS: i64 = 0x20 | 0x80 | 0x100 | 0x200;

impl CodeShape {
    fn of(code: &Bound<'_, PyAny>) -> Option<Self> {
        let py = code.py();
        let first_line = code
            .getattr(pyo3::intern!(py, "co_firstlineno"))
            .ok()?
            .extract()
            .ok()?;
        let flags: i64 = code
            .getattr(pyo3::intern!(py, "co_flags"))
            .ok()?
            .extract()
            .ok()?;
        Some(Self {
            first_line,
            resumable: flags & RESUMABLE_FLAGS != 0,
        })
    }
}

impl CodeInfo {
    /// True when every line of the code object is recorded. Amortised O(1): each call drops the
    /// recorded lines at the front of the queue and stops at the first one still missing.
    #[cfg_attr(
        not(target_pointer_width = "64"),
        expect(dead_code, reason = "only the frame gate (64-bit targets) asks")
    )]
    pub(crate) fn is_complete(
        &mut self,
        py: Python<'_>,
        tracer: &Tracer,
        code: *mut ffi::PyObject,
    ) -> bool {
        let generation = tracer.writer.context_generation();
        if self.context_generation != generation {
            // Another context: everything is to be recorded again.
            self.context_generation = generation;
            self.pending = self.lines.len();
            if let ArcClosure::Pending { needs, left } = &mut self.arcs {
                *left = needs.len();
            }
            self.complete = false;
        }
        if self.complete {
            return true;
        }
        let Some(file_id) = self.file_id else {
            return false;
        };
        if tracer.branch {
            self.complete = self.arcs_complete(py, tracer, file_id, code);
            return self.complete;
        }
        while self.pending > 0 {
            if !tracer
                .writer
                .is_recorded(file_id, self.lines[self.pending - 1])
            {
                return false;
            }
            self.pending -= 1;
        }
        self.complete = true;
        true
    }

    /// [`Self::is_complete`] for branch measurement.
    #[cfg_attr(
        not(target_pointer_width = "64"),
        expect(dead_code, reason = "only the frame gate (64-bit targets) asks")
    )]
    fn arcs_complete(
        &mut self,
        py: Python<'_>,
        tracer: &Tracer,
        file_id: u32,
        code: *mut ffi::PyObject,
    ) -> bool {
        if let ArcClosure::Counting(before) = &mut self.arcs {
            if *before > 0 {
                *before -= 1;
                return false;
            }
            // SAFETY: the caller's code object is live and the GIL is held.
            let bound = unsafe { Bound::from_borrowed_ptr(py, code) };
            let possible = self.shape.and_then(|shape| {
                let lines = code_lines(&bound);
                arc_closure::code_needs(py, tracer, file_id, &bound, shape.first_line, &lines)
            });
            self.arcs = match possible {
                Some(needs) => ArcClosure::Pending {
                    left: needs.len(),
                    needs,
                },
                None => ArcClosure::Never,
            };
        }
        match &mut self.arcs {
            ArcClosure::Pending { needs, left } => {
                arc_closure::all_recorded(tracer, file_id, needs, left)
            }
            _ => false,
        }
    }
}

unsafe extern "C" fn free_info(value: *mut c_void) {
    if !value.is_null() {
        // SAFETY: every non-null value in our slot is a Box<CodeInfo> leaked by `info`.
        drop(unsafe { Box::from_raw(value.cast::<CodeInfo>()) });
    }
}

/// Reserves the slot (once per process). Must run with the GIL held.
pub(crate) fn reserve() -> bool {
    if INDEX.load(Ordering::Acquire) >= 0 {
        return true;
    }
    // SAFETY: called with the GIL held; `free_info` frees what we store.
    let index = unsafe { ffi::PyUnstable_Eval_RequestCodeExtraIndex(free_info) };
    if index < 0 {
        // SAFETY: a failed request sets an exception, which must not leak into the program.
        unsafe { ffi::PyErr_Clear() };
        return false;
    }
    INDEX.store(index, Ordering::Release);
    true
}

/// The memo for `code`, created on first sight. `None` only if the slot is unavailable.
///
/// # Safety
/// `code` must be a live code object and the GIL must be held. The reference must not be kept
/// past the current callback (the memo lives exactly as long as the code object).
pub(crate) unsafe fn info<'a>(
    py: Python<'_>,
    tracer: &Tracer,
    code: *mut ffi::PyObject,
) -> Option<&'a mut CodeInfo> {
    let index = INDEX.load(Ordering::Relaxed);
    if index < 0 {
        return None;
    }
    let mut extra: *mut c_void = std::ptr::null_mut();
    // SAFETY: `code` is a code object (caller's contract) and `index` was reserved.
    if unsafe { ffi::PyUnstable_Code_GetExtra(code, index, &mut extra) } != 0 {
        // SAFETY: clear the error the failed lookup raised.
        unsafe { ffi::PyErr_Clear() };
        return None;
    }
    let existing = extra.cast::<CodeInfo>();
    if !existing.is_null() {
        // SAFETY: a non-null value is a live Box<CodeInfo> we stored; the GIL serialises access.
        if unsafe { (*existing).generation } != tracer.generation {
            // A memo from an earlier start is refreshed in place, never replaced: 3.11's
            // SetExtra frees the value it overwrites (3.10's does not), so replacing would
            // free it twice on one version or leak it on the other.
            let refreshed = decide(py, tracer, code);
            // SAFETY: the box stays in the slot (nothing frees it while the code object
            // lives), so writing through the pointer is writing to the memo.
            unsafe { *existing = refreshed };
        }
        // SAFETY: as above.
        return unsafe { existing.as_mut() };
    }
    let fresh = Box::into_raw(Box::new(decide(py, tracer, code)));
    // SAFETY: `code` is live and its slot is empty, so nothing is overwritten.
    if unsafe { ffi::PyUnstable_Code_SetExtra(code, index, fresh.cast()) } != 0 {
        // SAFETY: clear the error and drop the memo nobody holds.
        unsafe {
            ffi::PyErr_Clear();
            drop(Box::from_raw(fresh));
        }
        return None;
    }
    // SAFETY: just stored; lives as long as the code object.
    unsafe { fresh.as_mut() }
}

/// The file id for `code`, its [`CodeShape`] when the code object could be read, and whether it
/// is a test function that may start a context, through the memo when it is available.
///
/// # Safety
/// As for [`info`].
pub(crate) unsafe fn lookup(
    py: Python<'_>,
    tracer: &Tracer,
    code: *mut ffi::PyObject,
) -> (Option<u32>, Option<CodeShape>, bool) {
    // SAFETY: forwarded contract.
    match unsafe { info(py, tracer, code) } {
        Some(info) => (info.file_id, info.shape, info.test_start),
        None => {
            let info = decide(py, tracer, code);
            (info.file_id, info.shape, info.test_start)
        }
    }
}

fn decide(py: Python<'_>, tracer: &Tracer, code: *mut ffi::PyObject) -> CodeInfo {
    // SAFETY: callers pass a live code object; borrowing it for attribute lookups.
    let bound = unsafe { Bound::from_borrowed_ptr(py, code) };
    let file_id = bound
        .getattr(pyo3::intern!(py, "co_filename"))
        .ok()
        .and_then(|filename| tracer.file_id(py, &filename));
    let lines = match file_id {
        // Arcs can always be new: code measured for branches is never complete.
        Some(_) if tracer.branch => vec![u32::MAX],
        Some(_) => code_lines(&bound),
        None => Vec::new(),
    };
    CodeInfo {
        generation: tracer.generation,
        // An empty line table never becomes complete through lines: leave it traced.
        complete: false,
        file_id,
        shape: file_id.and_then(|_| CodeShape::of(&bound)),
        test_start: tracer.test_function && super::test_function::is_test_code(&bound),
        pending: lines.len(),
        lines,
        arcs: match (file_id, arc_closure::calls_before()) {
            (Some(_), Some(before)) if tracer.branch => ArcClosure::Counting(before),
            _ => ArcClosure::Never,
        },
        context_generation: tracer.writer.context_generation(),
    }
}

/// Every line number in the code object's line table, largest first. On any failure returns a
/// sentinel line that is never recorded, so the code object simply never counts as complete.
fn code_lines(code: &Bound<'_, PyAny>) -> Vec<u32> {
    let collect = || -> PyResult<Vec<u32>> {
        let mut lines = Vec::new();
        for entry in code
            .call_method0(pyo3::intern!(code.py(), "co_lines"))?
            .try_iter()?
        {
            let (_, _, line): (i64, i64, Option<i64>) = entry?.extract()?;
            if let Some(line) = line.and_then(|l| u32::try_from(l).ok()) {
                lines.push(line);
            }
        }
        Ok(lines)
    };
    match collect() {
        Ok(mut lines) if !lines.is_empty() => {
            lines.sort_unstable_by(|a, b| b.cmp(a));
            lines.dedup();
            lines
        }
        _ => vec![u32::MAX],
    }
}
