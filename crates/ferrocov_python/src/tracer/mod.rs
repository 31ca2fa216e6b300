//! Measuring: the state shared by both tracers, starting and stopping them, and the per-file
//! decision. On 3.12+ the work is done by `sys.monitoring` callbacks ([`sysmon`]); before that by
//! a C-level trace function ([`ctrace`]). Both record into the process's shard: lines, or with
//! branch measurement on, arcs (`(from, to)` line pairs, coverage.py's convention).
//!
//! Measurement contexts (coverage.py's "who ran this line"): [`switch_context`] makes what runs
//! next belong to another label. The writer forgets what it recorded; each core makes the code
//! that already reported its lines report them again (sys.monitoring: re-arming the code objects
//! whose events were disabled in the context that ends; the trace function: completeness memos
//! tied to the writer's context generation). With `dynamic_context = test_function` the cores
//! also switch by themselves at the start and end of test functions ([`test_function`]).

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, Ordering};

use ferrocov_config::{FileSelector, SelectionInputs};
use ferrocov_shard::ShardWriter;
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

mod disposition;
mod test_function;

#[cfg(not(Py_3_12))]
mod arc_closure;
#[cfg(not(Py_3_12))]
mod code_extra;
#[cfg(not(Py_3_12))]
mod ctrace;
// The gate's struct layouts are those of 64-bit builds; elsewhere plain tracing is used.
#[cfg(Py_3_12)]
mod branches;
#[cfg(all(not(Py_3_12), target_pointer_width = "64"))]
mod frame_gate;
#[cfg(all(not(Py_3_12), target_pointer_width = "64"))]
mod gate_layout;
#[cfg(Py_3_12)]
mod line_completion;
#[cfg(Py_3_12)]
mod sysmon;

#[cfg(not(Py_3_12))]
use ctrace as core;
#[cfg(Py_3_12)]
use sysmon as core;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(start, m)?)?;
    m.add_function(wrap_pyfunction!(stop, m)?)?;
    m.add_function(wrap_pyfunction!(status, m)?)?;
    m.add_function(wrap_pyfunction!(pause, m)?)?;
    m.add_function(wrap_pyfunction!(resume, m)?)?;
    m.add_function(wrap_pyfunction!(_after_fork_in_child, m)?)?;
    m.add_function(wrap_pyfunction!(switch_context, m)?)?;
    core::register(m)
}

/// Everything a callback needs. Lives as long as the process once created: callbacks on other
/// threads may still hold a pointer to it after `stop`, so it is never freed.
pub(crate) struct Tracer {
    pub(crate) writer: ShardWriter,
    selector: FileSelector,
    /// `co_filename` (str) -> file id (int) or None; a dict keyed by the code's own string
    /// object is the cheapest lookup there is from inside a callback (the hash is cached).
    pub(crate) dispositions: Py<PyDict>,
    /// Distinguishes this start from earlier ones in the same process (memos keyed by it).
    #[cfg_attr(
        Py_3_12,
        expect(dead_code, reason = "only the 3.10/3.11 tracer memoizes")
    )]
    pub(crate) generation: u32,
    debug_trace: bool,
    /// Branch measurement: arcs are recorded (the shard is an arc shard).
    pub(crate) branch: bool,
    /// `[run] dynamic_context = test_function`: a call of a test function starts a context
    /// ([`test_function`]).
    pub(crate) test_function: bool,
}

static GENERATION: AtomicU32 = AtomicU32::new(0);

static ACTIVE: AtomicPtr<Tracer> = AtomicPtr::new(std::ptr::null_mut());

/// Measurement is on but must record nothing (pytest's `no_cover`). Checked by the callbacks
/// before recording; lines run while paused stay unrecorded, so they are recorded when they run
/// again after `resume`.
static PAUSED: AtomicBool = AtomicBool::new(false);

/// Whether recording is paused.
pub(crate) fn paused() -> bool {
    PAUSED.load(Ordering::Relaxed)
}

/// The running tracer, if measurement is on.
pub(crate) fn active() -> Option<&'static Tracer> {
    let ptr = ACTIVE.load(Ordering::Acquire);
    // SAFETY: ACTIVE only ever holds null or a pointer leaked from a Box in `start`, never freed.
    unsafe { ptr.as_ref() }
}

/// Starts measuring this process into a new shard in `shard_dir`.
#[pyfunction]
#[pyo3(signature = (shard_dir, *, cwd, source_dirs, source_specified, include, omit, cover_pylib, pylib_dirs, third_party_dirs, own_dirs, debug_trace = false, branch = false, context = String::new(), test_function = false))]
#[expect(
    clippy::too_many_arguments,
    reason = "mirrors the keyword-only Python signature"
)]
fn start(
    py: Python<'_>,
    shard_dir: String,
    cwd: String,
    source_dirs: Vec<String>,
    source_specified: bool,
    include: Vec<String>,
    omit: Vec<String>,
    cover_pylib: bool,
    pylib_dirs: Vec<String>,
    third_party_dirs: Vec<String>,
    own_dirs: Vec<String>,
    debug_trace: bool,
    branch: bool,
    context: String,
    test_function: bool,
) -> PyResult<()> {
    crate::guard::or_runtime_error("start", || {
        if active().is_some() {
            return Err(PyRuntimeError::new_err(
                "ferrocov is already measuring this process",
            ));
        }
        // Before anything is created: a start that cannot label tests leaves nothing behind.
        test_function::reset();
        if test_function && !test_function::prepare(py) {
            return Err(PyRuntimeError::new_err(
                "ferrocov cannot start test_function contexts: ferrocov.test_function is missing",
            ));
        }
        let to_paths = |v: Vec<String>| v.into_iter().map(Into::into).collect();
        let selector = FileSelector::new(SelectionInputs {
            cwd: cwd.into(),
            source_dirs: to_paths(source_dirs),
            source_specified,
            include,
            omit,
            cover_pylib,
            pylib_dirs: to_paths(pylib_dirs),
            third_party_dirs: to_paths(third_party_dirs),
            own_dirs: to_paths(own_dirs),
        })
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let writer = if branch {
            ShardWriter::create_arcs(Path::new(&shard_dir))
        } else {
            ShardWriter::create(Path::new(&shard_dir))
        }
        .map_err(|e| PyOSError::new_err(e.to_string()))?;
        writer.switch_context(&context);
        let tracer = Box::new(Tracer {
            writer,
            selector,
            dispositions: PyDict::new(py).unbind(),
            generation: GENERATION.fetch_add(1, Ordering::Relaxed) + 1,
            debug_trace,
            branch,
            test_function,
        });
        PAUSED.store(false, Ordering::Relaxed);
        ACTIVE.store(Box::into_raw(tracer), Ordering::Release);
        if let Err(err) = core::install(py) {
            ACTIVE.store(std::ptr::null_mut(), Ordering::Release);
            return Err(err);
        }
        Ok(())
    })
}

/// Stops measuring. Lines already recorded are in the shard; nothing needs saving.
#[pyfunction]
fn stop(py: Python<'_>) -> PyResult<()> {
    crate::guard::or_runtime_error("stop", || {
        if active().is_none() {
            return Ok(());
        }
        let result = core::uninstall(py);
        if let Some(tracer) = active() {
            tracer.writer.close();
        }
        ACTIVE.store(std::ptr::null_mut(), Ordering::Release);
        result
    })
}

/// Stops recording without stopping measurement; cheap, and undone by [`resume`]. Nothing to do
/// when not measuring.
#[pyfunction]
fn pause(py: Python<'_>) -> PyResult<()> {
    crate::guard::or_runtime_error("pause", || {
        if active().is_none() || PAUSED.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        core::pause(py)
    })
}

/// Records again after [`pause`].
#[pyfunction]
fn resume(py: Python<'_>) -> PyResult<()> {
    crate::guard::or_runtime_error("resume", || {
        if !PAUSED.swap(false, Ordering::AcqRel) || active().is_none() {
            return Ok(());
        }
        core::resume(py)
    })
}

/// Run by `os.register_at_fork` in a forked child: it records into a shard of its own from its
/// first instruction, not only from its first new line.
#[pyfunction]
fn _after_fork_in_child() {
    // Runs inside `os.fork()`: nothing may escape into the child's program.
    let _ = crate::guard::catch(|| {
        if let Some(tracer) = active() {
            tracer.writer.after_fork_in_child();
        }
    });
}

/// Makes the lines (and arcs) run from now on belong to the measurement context `label` (`""`
/// is coverage.py's default context). Returns False, doing nothing, when not measuring.
#[pyfunction]
fn switch_context(py: Python<'_>, label: &str) -> PyResult<bool> {
    crate::guard::or_runtime_error("switch_context", || {
        let Some(tracer) = active() else {
            return Ok(false);
        };
        let before = tracer.writer.context_generation();
        tracer.writer.switch_context(label);
        if tracer.writer.context_generation() != before {
            core::context_switched(py, tracer)?;
        }
        Ok(true)
    })
}

/// The measuring core this build uses: "sysmon" (3.12+) or "ctrace" (3.10/3.11).
pub(crate) fn core_name() -> &'static str {
    core::NAME
}

/// What is measuring and where it writes, for `--debug` and tests.
#[pyfunction]
fn status(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    crate::guard::or_runtime_error("status", || status_of(py))
}

fn status_of(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let info = PyDict::new(py);
    info.set_item("core", core::NAME)?;
    info.set_item("active", active().is_some())?;
    info.set_item("paused", active().is_some() && paused())?;
    info.set_item("branch", active().is_some_and(|t| t.branch))?;
    if let Some(tracer) = active() {
        info.set_item("shard", tracer.writer.path().to_string_lossy().into_owned())?;
        info.set_item("context", tracer.writer.context())?;
    }
    core::describe(py, &info)?;
    Ok(info)
}

impl Tracer {
    /// The shard file id for code whose `co_filename` is `filename`, or None when the file is not
    /// measured. Decided once per file name; later calls are one dict lookup.
    pub(crate) fn file_id(&self, py: Python<'_>, filename: &Bound<'_, PyAny>) -> Option<u32> {
        let dispositions = self.dispositions.bind(py);
        if let Ok(Some(known)) = dispositions.get_item(filename) {
            return known.extract::<u32>().ok();
        }
        let id = self.decide(filename);
        // A failed insert only costs a second decision later.
        let _ = dispositions.set_item(filename, id);
        id
    }

    fn decide(&self, filename: &Bound<'_, PyAny>) -> Option<u32> {
        let name = filename.cast::<PyString>().ok()?.to_str().ok()?;
        let verdict = disposition::decide(&self.selector, name);
        if self.debug_trace {
            eprintln!("ferrocov debug[trace]: {name}: {verdict}");
        }
        match verdict {
            disposition::Verdict::Measure(canonical) => self.writer.file_id(&canonical),
            disposition::Verdict::Skip(_) => None,
        }
    }
}
