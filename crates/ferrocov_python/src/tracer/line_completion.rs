//! Code objects whose every line has reported stop hearing LINE (3.12/3.13).
//!
//! A LINE callback that answers `DISABLE` silences its own location, but CPython also puts a
//! LINE instrument on every jump target, and a target reached only from its own line (the loop
//! head of a comprehension or of a one-line `for`, the join of `a or b`, `x if c else y`) never
//! calls the tool, so it is never disabled: each time it runs it pays the interpreter's line
//! bookkeeping and keeps its instruction from specializing. That was most of what line
//! measuring cost on 3.12 beyond the callbacks themselves. Once a code object has reported
//! every line it has in the current context, nothing more can be learnt from its LINE events,
//! so its LINE event is turned off; its other local events (branches, returns, a test
//! function's) stay as they are.
//!
//! The lines a code object can report are those of its instructions after its first `RESUME`
//! (the instructions before it, and the `RESUME` itself, never send LINE). A code object whose
//! lines cannot be read is never turned off. After a context switch every line must report
//! again ([`rearm`]); the switch turns LINE back on.

use std::sync::{Mutex, OnceLock};

use ferrocov_protocol::env::FERROCOV_LINE_COMPLETION;

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Whether code objects are watched: the interpreter's LINE events are known to follow the rule
/// above (checked on 3.12 and 3.13; 3.14's instrumentation is untested here, so it keeps every
/// LINE event), and `FERROCOV_LINE_COMPLETION` is not `off`.
pub(crate) fn enabled(py: Python<'_>) -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| {
        let version = py.version_info();
        ((3, 12)..(3, 14)).contains(&(version.major, version.minor))
            && !std::env::var(FERROCOV_LINE_COMPLETION)
                .is_ok_and(|value| value.trim().eq_ignore_ascii_case("off"))
    })
}

struct Watched {
    /// Keeps the code object alive, so its address (the key) stays its own.
    _code: Py<PyAny>,
    lines: Box<[i32]>,
    left: HashSet<i32>,
}

/// Code object address -> the lines it has not reported in the current context.
static WATCHED: Mutex<Option<HashMap<usize, Watched>>> = Mutex::new(None);

fn watched() -> std::sync::MutexGuard<'static, Option<HashMap<usize, Watched>>> {
    WATCHED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Forgets every code object (a new start sees everything afresh).
pub(crate) fn reset() {
    let stale = watched().take();
    drop(stale);
}

/// `code` gets LINE events from now on: remember which lines it can report.
pub(crate) fn watch(py: Python<'_>, code: &Bound<'_, PyAny>) {
    let key = code.as_ptr() as usize;
    if watched().as_ref().is_some_and(|map| map.contains_key(&key)) {
        return;
    }
    let Some(lines) = reportable_lines(py, code) else {
        return;
    };
    let left = lines.iter().copied().collect();
    watched().get_or_insert_with(HashMap::default).insert(
        key,
        Watched {
            _code: code.clone().unbind(),
            lines,
            left,
        },
    );
}

/// `code` reported `line`. True when that was the last of its lines: the caller turns its LINE
/// event off.
pub(crate) fn line_reported(code: &Bound<'_, PyAny>, line: i32) -> bool {
    let key = code.as_ptr() as usize;
    let mut guard = watched();
    let Some(entry) = guard.as_mut().and_then(|map| map.get_mut(&key)) else {
        return false;
    };
    entry.left.remove(&line) && entry.left.is_empty()
}

/// The code object at `key` has its LINE event on again (a new context): every line must
/// report again.
pub(crate) fn rearm(key: usize) {
    if let Some(entry) = watched().as_mut().and_then(|map| map.get_mut(&key)) {
        entry.left = entry.lines.iter().copied().collect();
    }
}

/// The lines `code` can report (see the module doc); None when the bytecode or line table
/// cannot be read.
fn reportable_lines(py: Python<'_>, code: &Bound<'_, PyAny>) -> Option<Box<[i32]>> {
    let co_code = code.getattr(intern!(py, "co_code")).ok()?;
    let co_code = co_code.cast::<PyBytes>().ok()?.as_bytes();
    let lines = super::branches::lines_by_offset(py, code, co_code.len())?;
    super::branches::lines_after_resume(py, co_code, &lines).map(Vec::into_boxed_slice)
}
