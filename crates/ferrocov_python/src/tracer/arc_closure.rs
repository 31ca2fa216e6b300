//! When branch-measured code has nothing left to record, for the 3.10/3.11 frame gate.
//!
//! With lines, a code object is complete once its lines are recorded. With arcs no such list
//! comes with the code object, so a hot one stays traced for good, each of its line events a
//! call into the trace function. Here a code object that runs often enough gets the possible
//! arcs of its lines from source analysis (coverage.py's `arcs()`, for the running Python, with
//! nothing excluded, so that no arc the program can take is left out); once every one of them
//! and every line of the code object are recorded, in this context, running it again can add
//! no line and no arc any report counts, and the gate runs it untraced. What it can still add
//! is an arc coverage.py does not predict (an exception leaving from a line that is not a
//! `raise`, a generator expression's exit): the reports leave those out anyway, as
//! coverage.py's do, so they are the one thing the data file may lack.
//!
//! Recorded arcs are compared as coverage.py compares them, mapped to their statements' first
//! lines. A code object is never closed when anything about it is uncertain: its file does not
//! read or parse, one of its lines is not a statement of the file as it is now (it changed
//! since the import), or a `with` statement's exit arcs are rewritten for reports.
//!
//! Only the frame gate (64-bit builds) closes code objects.
#![cfg_attr(not(target_pointer_width = "64"), allow(dead_code))]

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use ferrocov_analysis::{AnalysisOptions, FileAnalysis, analyze_file, default_partial};
use ferrocov_protocol::env::FERROCOV_BRANCH_CLOSURE;
use pyo3::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::Tracer;

type LineArc = (i32, i32);

/// One thing a code object must have recorded, in the current context, to be closed.
#[derive(Clone, Copy)]
pub(crate) enum Need {
    /// A possible arc, between statements' first lines.
    Arc(LineArc),
    /// A line as the tracer sees it: a continuation line of a statement is reported under the
    /// statement's first line, but coverage.py's per-line contexts show it as it ran.
    Line(i32),
}

/// What a context recorded in one analysed file.
#[derive(Default)]
struct Recorded {
    /// Arcs mapped to their statements' first lines.
    arcs: FxHashSet<LineArc>,
    /// Lines as measured.
    lines: FxHashSet<i32>,
}

impl Recorded {
    fn note(&mut self, file: &FileArcs, arc: LineArc) {
        self.lines
            .extend([arc.0, arc.1].into_iter().filter(|&l| l > 0));
        if let Some(translated) = file.translate(arc) {
            self.arcs.insert(translated);
        }
    }

    fn has(&self, need: Need) -> bool {
        match need {
            Need::Arc(arc) => self.arcs.contains(&arc),
            Need::Line(line) => self.lines.contains(&line),
        }
    }

    fn clear(&mut self) {
        self.arcs.clear();
        self.lines.clear();
    }
}

/// Frame starts of a code object before its file is analysed: code that runs rarely is cheap
/// to trace and not worth the analysis.
const DEFAULT_CALLS_BEFORE: u32 = 32;

/// `FERROCOV_BRANCH_CLOSURE`: `off`, or how many starts before analysing; `None` = off.
pub(crate) fn calls_before() -> Option<u32> {
    static SETTING: OnceLock<Option<u32>> = OnceLock::new();
    *SETTING.get_or_init(|| match std::env::var(FERROCOV_BRANCH_CLOSURE) {
        Ok(value) if value.trim().eq_ignore_ascii_case("off") => None,
        Ok(value) => Some(value.trim().parse().unwrap_or(DEFAULT_CALLS_BEFORE)),
        Err(_) => Some(DEFAULT_CALLS_BEFORE),
    })
}

/// What the analysis of one file says that closing needs.
struct FileArcs {
    /// Every line of a multi-line statement -> its first line.
    first_line: FxHashMap<u32, u32>,
    statements: FxHashSet<u32>,
    arcs: BTreeSet<LineArc>,
    /// Lines of `with` statements whose measured arcs reports rewrite.
    rewritten: FxHashSet<i32>,
}

impl FileArcs {
    fn from_analysis(analysis: FileAnalysis) -> Self {
        let mut rewritten = FxHashSet::default();
        let fixers = analysis.with_jump_fixers.iter();
        for (&(a, b), target) in fixers {
            rewritten.extend([a, b]);
            rewritten.extend(target.iter().flat_map(|&(c, d)| [c, d]));
        }
        for (&(a, b), &((c, d), (e, f))) in &analysis.with_jump_chains {
            rewritten.extend([a, b, c, d, e, f]);
        }
        rewritten.retain(|&line| line > 0);
        Self {
            first_line: analysis.first_line.into_iter().collect(),
            statements: analysis.statements.into_iter().collect(),
            arcs: analysis.arcs,
            rewritten,
        }
    }

    fn first(&self, line: i32) -> i32 {
        let lookup = |l: i32| {
            u32::try_from(l)
                .ok()
                .and_then(|l| self.first_line.get(&l))
                .and_then(|&f| i32::try_from(f).ok())
                .unwrap_or(l)
        };
        if line < 0 {
            -lookup(-line)
        } else {
            lookup(line)
        }
    }

    /// coverage.py's translation of a measured arc; `None` for one inside a statement.
    fn translate(&self, (from, to): LineArc) -> Option<LineArc> {
        let arc = (self.first(from), self.first(to));
        (arc.0 != arc.1).then_some(arc)
    }
}

/// The analysed files and the arcs recorded in them, as first-line arcs.
struct Tracker {
    /// The tracer start and context the recorded sets belong to.
    generation: u32,
    context_generation: u64,
    /// `None`: the file cannot be analysed, its code is never closed.
    files: FxHashMap<u32, Option<Arc<FileArcs>>>,
    recorded: FxHashMap<u32, Recorded>,
    /// How many code objects were closed, for `status()`.
    closed: u64,
}

static TRACKER: Mutex<Option<Tracker>> = Mutex::new(None);
/// Whether any file was analysed this start: until then recording needs no lock here.
static ANY_FILE: AtomicBool = AtomicBool::new(false);

fn with_tracker<T>(tracer: &Tracer, f: impl FnOnce(&mut Tracker) -> T) -> T {
    let mut guard = TRACKER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let context_generation = tracer.writer.context_generation();
    let tracker = guard.get_or_insert_with(|| Tracker {
        generation: tracer.generation,
        context_generation,
        files: FxHashMap::default(),
        recorded: FxHashMap::default(),
        closed: 0,
    });
    if tracker.generation != tracer.generation {
        // A restarted tracer numbers its files afresh.
        tracker.generation = tracer.generation;
        tracker.files.clear();
        tracker.closed = 0;
        tracker.recorded.clear();
        ANY_FILE.store(false, Ordering::Relaxed);
    }
    if tracker.context_generation != context_generation {
        // The writer forgot the old context's arcs at the switch; so do we.
        tracker.context_generation = context_generation;
        tracker.recorded.values_mut().for_each(Recorded::clear);
    }
    f(tracker)
}

/// Notes an arc the writer was handed (the ones its memo had not seen lately).
pub(crate) fn note_arc(tracer: &Tracer, file_id: u32, from: i32, to: i32) {
    if !ANY_FILE.load(Ordering::Relaxed) {
        return;
    }
    with_tracker(tracer, |tracker| {
        if let Some(Some(file)) = tracker.files.get(&file_id) {
            let recorded = tracker.recorded.entry(file_id).or_default();
            recorded.note(file, (from, to));
        }
    });
}

/// What `code` must have recorded to be closed: the possible arcs that leave its lines (or
/// enter it), and its lines; `None` when it must never be closed. Analyses its file on first
/// need.
pub(crate) fn code_needs(
    py: Python<'_>,
    tracer: &Tracer,
    file_id: u32,
    code: &Bound<'_, PyAny>,
    first_line: i32,
    lines: &[u32],
) -> Option<Vec<Need>> {
    let known = with_tracker(tracer, |tracker| tracker.files.get(&file_id).cloned());
    let file = match known {
        Some(file) => file?,
        None => {
            let file = analyse(py, code).map(Arc::new);
            with_tracker(tracer, |tracker| {
                if let Some(file) = &file {
                    // Arcs recorded before the analysis are in the writer only.
                    let seen = tracer.writer.arcs_of(file_id);
                    let recorded = tracker.recorded.entry(file_id).or_default();
                    seen.into_iter().for_each(|arc| recorded.note(file, arc));
                    ANY_FILE.store(true, Ordering::Relaxed);
                }
                tracker.files.insert(file_id, file.clone());
            });
            file?
        }
    };
    let mut starts = FxHashSet::default();
    for &line in lines {
        let line = i32::try_from(line).ok()?;
        let first = file.first(line);
        let statement = u32::try_from(first).is_ok_and(|l| file.statements.contains(&l));
        if !statement || file.rewritten.contains(&first) {
            return None;
        }
        starts.insert(first);
    }
    // The `def` (or first decorator) line is the enclosing code's statement: its arcs are
    // recorded when that code runs, maybe in another context. It is the code object's own only
    // when the whole body is on it (a one-line function or lambda).
    let own = file.first(first_line);
    if starts.len() > 1 {
        starts.remove(&own);
    }
    starts.insert(-own);
    let arcs = file.arcs.iter().filter(|arc| starts.contains(&arc.0));
    let mut needs: Vec<Need> = arcs.map(|&arc| Need::Arc(arc)).collect();
    // Likewise the `def` line itself, which the code object's frames do not report.
    let own_lines = lines
        .iter()
        .filter(|&&line| lines.len() == 1 || line as i32 != first_line);
    needs.extend(own_lines.map(|&line| Need::Line(line as i32)));
    Some(needs)
}

/// Whether `needs[..*left]` are all recorded now, dropping the recorded ones from the end.
pub(crate) fn all_recorded(
    tracer: &Tracer,
    file_id: u32,
    needs: &[Need],
    left: &mut usize,
) -> bool {
    with_tracker(tracer, |tracker| {
        let Some(recorded) = tracker.recorded.get(&file_id) else {
            return *left == 0;
        };
        while *left > 0 && recorded.has(needs[*left - 1]) {
            *left -= 1;
        }
        if *left == 0 {
            tracker.closed += 1;
        }
        *left == 0
    })
}

/// How many code objects were closed this start (counting once per context they closed in).
pub(crate) fn closed_count() -> u64 {
    TRACKER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .as_ref()
        .map_or(0, |tracker| tracker.closed)
}

fn analyse(py: Python<'_>, code: &Bound<'_, PyAny>) -> Option<FileArcs> {
    let filename: String = code
        .getattr(pyo3::intern!(py, "co_filename"))
        .ok()?
        .extract()
        .ok()?;
    // A relative name is resolved against a working directory the program may have changed.
    let path = std::path::Path::new(&filename);
    if !path.is_absolute() {
        return None;
    }
    let (major, minor, micro) = {
        let version = py.version_info();
        (version.major, version.minor, version.patch)
    };
    let python = (major, minor, micro);
    let options = AnalysisOptions {
        python,
        exclude: Vec::new(),
        partial: default_partial(python),
        branches: true,
    };
    // The GIL stays held: the caller holds the code object's memo, which another thread
    // could otherwise reach meanwhile.
    let analysis = analyze_file(path, &options);
    analysis.ok().map(FileArcs::from_analysis)
}
