//! Branch events of `sys.monitoring` (3.12+) turned into coverage.py arcs: per code object, the
//! bytecode and its line table, and which branch instructions have shown which destination.
//!
//! A BRANCH event names the branch instruction and the instruction it went to. From there the
//! walk skips `CACHE`/`EXTENDED_ARG` and follows unconditional jumps until it reaches an
//! instruction of another line (the arc `(from, to)`), a return (`(from, -co_firstlineno)`), or
//! a conditional jump or `RERAISE` on the same line (no arc: that jump has events of its own).
//!
//! On 3.12/3.13 returning `DISABLE` from a BRANCH callback silences both directions of the
//! instruction, so an instruction stays armed until it has gone both ways (then it is
//! disabled). On 3.14 `BRANCH_LEFT`/`BRANCH_RIGHT` are separate events and each is disabled at
//! once (written from the documentation; untested).
//!
//! A conditional jump (`POP_JUMP_IF_*`, `FOR_ITER`) that has gone one way is disabled at once
//! when its other way can tell nothing new: it resolves to no arc, to the same arc, to an arc
//! already recorded (by another instruction of the line: a `while` loop's two tests, the halves
//! of an `and`; an instruction kept armed is retired as soon as such an arc is recorded), or into
//! a line not run yet that is only ever entered from this line (from the bytecode's control flow,
//! over-approximated; exception handlers and the code's start enter from nowhere): whenever
//! that line runs, the arc was taken. In that last case the arc is recorded when that line's
//! one-shot LINE event fires (policies C and D of the research brief); everything uncertain
//! stays armed. Likewise a way that ends the function at a return instruction only it reaches
//! and that has not run yet: that return's one-shot PY_RETURN event records the arc (a loop
//! at the end of a function, a generator's `for` over an endless iterator).
//!
//! Lines without a branch instruction can still have more than one way out in coverage.py's
//! analysis: a body written on its header's line (`def f(): return 1`, `class C: pass`) is where
//! the nested code leaves and where the enclosing code goes on from. For those, each LINE event
//! also records the arc from the line the same code object reported before, PY_RETURN the arc
//! from the return's line to the exit, and a body all on one line its exit as soon as it runs.
//!
//! `async for` has no branch event on 3.12/3.13: the next item arrives through `SEND`, the end
//! through `StopAsyncIteration` caught by `END_ASYNC_FOR`. For code objects that have one, the
//! arc into the loop body is recorded when the body's first line first runs (that line is only
//! ever entered from the loop), and the arc out of the loop when `END_ASYNC_FOR` handles the
//! exception (the global EXCEPTION_HANDLED event, switched on once such code is seen).

use std::sync::Mutex;

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyBytes;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::Tracer;

/// Opcode numbers of the running interpreter (they change between versions).
struct Opcodes {
    cache: Option<u8>,
    extended_arg: u8,
    /// Every jump (relative or absolute).
    jumps: [bool; 256],
    always_jumps: [bool; 256],
    backward: [bool; 256],
    returns: [bool; 256],
    no_fall_through: [bool; 256],
    get_anext: Option<u8>,
    resume: Option<u8>,
    end_send: Option<u8>,
    end_async_for: Option<u8>,
    /// Conditional jumps whose two ways are the next instruction and the jump target.
    cond_jumps: [bool; 256],
    /// Absolute jumps (none on 3.12/3.13): code that has one is never disabled early.
    abs_jumps: [bool; 256],
    for_iter: Option<u8>,
    /// Bytes a `FOR_ITER` that ran out skips past its target (`END_FOR`, and from 3.13 the
    /// `POP_TOP` after it).
    for_exit_skip: u32,
    /// Instructions that never go on to the next one.
    no_fall_through_at_all: [bool; 256],
    /// Returns that send PY_RETURN (not `RETURN_GENERATOR`, which starts a generator).
    py_returns: [bool; 256],
}

static OPCODES: PyOnceLock<Opcodes> = PyOnceLock::new();

fn opcodes(py: Python<'_>) -> PyResult<&Opcodes> {
    OPCODES.get_or_try_init(py, || {
        let dis = py.import("dis")?;
        let opmap = dis.getattr("opmap")?;
        let op = |name: &str| -> Option<u8> {
            opmap
                .get_item(name)
                .ok()
                .and_then(|v| v.extract::<u32>().ok())
                .and_then(|v| u8::try_from(v).ok())
        };
        let set = |names: &[&str]| {
            let mut table = [false; 256];
            for name in names {
                if let Some(code) = op(name) {
                    table[usize::from(code)] = true;
                }
            }
            table
        };
        let mut jumps = [false; 256];
        for list in ["hasjrel", "hasjabs"] {
            for code in dis.getattr(list)?.try_iter()? {
                if let Ok(code) = code?.extract::<u32>()
                    && let Ok(code) = u8::try_from(code)
                {
                    jumps[usize::from(code)] = true;
                }
            }
        }
        let backward_names = ["JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT"];
        let mut abs_jumps = [false; 256];
        for code in dis.getattr("hasjabs")?.try_iter()? {
            if let Ok(code) = code?.extract::<u32>()
                && let Ok(code) = u8::try_from(code)
            {
                abs_jumps[usize::from(code)] = true;
            }
        }
        Ok(Opcodes {
            cache: op("CACHE"),
            extended_arg: op("EXTENDED_ARG")
                .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("no EXTENDED_ARG"))?,
            jumps,
            always_jumps: set(&[
                "JUMP_FORWARD",
                "JUMP_BACKWARD",
                "JUMP_BACKWARD_NO_INTERRUPT",
            ]),
            backward: set(&backward_names),
            // RETURN_CONST exists on 3.12/3.13 only; without it a walk would run into handlers.
            returns: set(&["RETURN_VALUE", "RETURN_CONST", "RETURN_GENERATOR"]),
            no_fall_through: set(&["RERAISE"]),
            get_anext: op("GET_ANEXT"),
            resume: op("RESUME"),
            end_send: op("END_SEND"),
            end_async_for: op("END_ASYNC_FOR"),
            cond_jumps: set(&[
                "POP_JUMP_IF_FALSE",
                "POP_JUMP_IF_TRUE",
                "POP_JUMP_IF_NONE",
                "POP_JUMP_IF_NOT_NONE",
            ]),
            abs_jumps,
            for_iter: op("FOR_ITER"),
            for_exit_skip: if py.version_info() >= (3, 13) { 4 } else { 2 },
            no_fall_through_at_all: set(&[
                "JUMP_FORWARD",
                "JUMP_BACKWARD",
                "JUMP_BACKWARD_NO_INTERRUPT",
                "RETURN_VALUE",
                "RETURN_CONST",
                "RERAISE",
                "RAISE_VARARGS",
            ]),
            py_returns: set(&["RETURN_VALUE", "RETURN_CONST"]),
        })
    })
}

/// What is known about one code object that sent a branch event.
struct CodeBranches {
    /// Keeps the code object alive, so its address (the key) is never reused while we hold it.
    _code: Py<PyAny>,
    file_id: u32,
    first_line: i32,
    co_code: Vec<u8>,
    /// Line of the instruction at each even offset (`offset / 2`); 0 = none.
    lines: Vec<i32>,
    /// Per branch instruction (`offset / 2`): the first destination seen, or `NONE_SEEN`.
    first_dest: Vec<u32>,
    /// The arc into a body, by the body's first line: `async for` loops', and those of
    /// conditional jumps disabled early.
    on_line: HashMap<i32, (i32, i32)>,
    /// The `async for` part of `on_line`, which holds in every context.
    async_on_line: HashMap<i32, (i32, i32)>,
    /// `async for`: the arc out of the loop, by the offset of its `END_ASYNC_FOR`.
    on_handled: HashMap<u32, (i32, i32)>,
    /// A branch disabled early whose other way ends the function: its arc, by the offset of the
    /// return instruction only that way reaches.
    on_return: HashMap<u32, (i32, i32)>,
    /// Return instructions that ran (and were disabled) since this code was first seen.
    returned: HashSet<u32>,
    /// Exception handler targets (byte offsets), from `co_exceptiontable`; None if unreadable.
    handlers: Option<Vec<u32>>,
    /// Per line, the ways into it from other lines, worked out on first need.
    entries: Option<Entries>,
    /// Arc -> the branch instructions kept armed only to see it: once it is recorded they
    /// can tell nothing new and are retired.
    waiting: HashMap<(i32, i32), Vec<u32>>,
    /// The line of this code object's latest LINE event, until a return (see [`on_line`]).
    last_line: Option<i32>,
    /// The one line all instructions after the first `RESUME` are on, if there is one: a body
    /// written on one line, which leaves from that line whenever it ran.
    single_line: Option<i32>,
}

/// Per line: the one line all control-flow edges into it come from, or None when they come from
/// several lines or from nowhere (the code's start, exception handlers).
type Entries = HashMap<i32, Option<i32>>;

const NONE_SEEN: u32 = u32::MAX;
/// In `first_dest`: the instruction's other way was recorded by another instruction, so its
/// next event disables it. Never a real offset, so the fast path never matches it.
const RETIRED: u32 = u32::MAX - 1;

/// What the callback should answer.
pub(crate) enum Answer {
    /// Keep the event for this instruction.
    Keep,
    /// Never send it again.
    Disable,
}

/// Code object address -> its branches, for the current start (cleared by [`reset`]).
static CODES: Mutex<Option<HashMap<usize, CodeBranches>>> = Mutex::new(None);

fn codes() -> std::sync::MutexGuard<'static, Option<HashMap<usize, CodeBranches>>> {
    CODES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Forgets every code object (a new start writes a new shard and sees everything afresh).
pub(crate) fn reset() {
    *codes() = None;
    ASYNC_FOR_SEEN.store(false, std::sync::atomic::Ordering::Relaxed);
}

/// The code object at `key` was re-armed for a new context: every instruction is armed again,
/// so what was learnt from its events (which ways each branch went, arcs left to a line or a
/// return) starts afresh; its bytecode facts stay.
pub(crate) fn rearm(key: usize) {
    let mut guard = codes();
    if let Some(state) = guard.as_mut().and_then(|map| map.get_mut(&key)) {
        state.first_dest.fill(NONE_SEEN);
        state.on_line = state.async_on_line.clone();
        state.on_return.clear();
        state.returned.clear();
        state.waiting.clear();
        state.last_line = None;
    }
}

/// Set once a measured code object with `async for` was prepared: EXCEPTION_HANDLED is on.
static ASYNC_FOR_SEEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether any code object with `async for` was prepared since the start.
pub(crate) fn async_for_seen() -> bool {
    ASYNC_FOR_SEEN.load(std::sync::atomic::Ordering::Relaxed)
}

/// At PY_START of measured code, with branch measurement: code with `async for` gets its loop
/// arcs worked out now. Returns true when it has any (EXCEPTION_HANDLED is then needed).
pub(crate) fn prepare_async_for(py: Python<'_>, tracer: &Tracer, code: &Bound<'_, PyAny>) -> bool {
    let Ok(ops) = opcodes(py) else { return false };
    let Some(end_async_for) = ops.end_async_for else {
        return false;
    };
    let Ok(bytes) = code.getattr(intern!(py, "co_code")) else {
        return false;
    };
    let Ok(bytes) = bytes.cast::<PyBytes>() else {
        return false;
    };
    if !bytes
        .as_bytes()
        .chunks_exact(2)
        .any(|w| w[0] == end_async_for)
    {
        return false;
    }
    let key = code.as_ptr() as usize;
    if codes().as_ref().is_some_and(|map| map.contains_key(&key)) {
        return true;
    }
    let Some(mut state) = build(py, tracer, code) else {
        return false;
    };
    let code_bytes = state.co_code.clone();
    let mut pending_anext: Vec<u32> = Vec::new();
    for (index, word) in code_bytes.chunks_exact(2).enumerate() {
        let offset = (index * 2) as u32;
        let op = Some(word[0]);
        if op == ops.get_anext {
            pending_anext.push(offset);
        } else if op == ops.end_send {
            // The item arrived: what runs next (past the target's store) is the body.
            if let Some(anext) = pending_anext.pop()
                && let Some(arc) = resolve(&state, ops, anext, offset + 2)
                && arc.1 > 0
            {
                state.on_line.insert(arc.1, arc);
                state.async_on_line.insert(arc.1, arc);
            }
        } else if op == Some(end_async_for)
            && let Some(arc) = resolve(&state, ops, offset, offset + 2)
        {
            state.on_handled.insert(offset, arc);
        }
    }
    codes()
        .get_or_insert_with(HashMap::default)
        .insert(key, state);
    ASYNC_FOR_SEEN.store(true, std::sync::atomic::Ordering::Relaxed);
    true
}

/// A LINE event of `code` (with branch measurement): the arc from the line this code object
/// reported before, and an arc waiting for this line (an `async for` body's, or that of a
/// conditional jump disabled early).
///
/// The line before is the one a frame of this code object left to get here: LINE events come
/// once per location, so each is the first time the frame crossed into that location. Those
/// arcs are what lets a report resolve a line with more than one way out that no branch
/// instruction decides: a one-line body (`def f(): return 1`, `class C: pass`) is the source
/// of its own exit and of the enclosing code's next step, so its line's self-arc says nothing.
/// A return forgets the line before: the next event may be another frame's. A body all on one
/// line leaves from it: its exit arc is recorded with the line, whether it returns, yields or
/// raises (3.12/3.13 have no PY_UNWIND per code object).
pub(crate) fn on_line(py: Python<'_>, tracer: &Tracer, code: &Bound<'_, PyAny>, line: i32) {
    let key = code.as_ptr() as usize;
    if !ensure_built(py, tracer, code, key) {
        return;
    }
    let mut guard = codes();
    let Some(state) = guard.as_mut().and_then(|map| map.get_mut(&key)) else {
        return;
    };
    if let Some(before) = state.last_line.replace(line)
        && before != line
    {
        tracer.writer.record_arc(state.file_id, before, line);
    }
    if state.single_line == Some(line) {
        // It leaves from here, returning, yielding or raising, as the C tracer sees it.
        tracer
            .writer
            .record_arc(state.file_id, line, -state.first_line);
    }
    if let Some(&(from, to)) = state.on_line.get(&line) {
        tracer.writer.record_arc(state.file_id, from, to);
        state.retire_waiting_for((from, to));
    }
}

/// EXCEPTION_HANDLED at `offset` of `code`: an `async for` ran out.
pub(crate) fn on_handled(tracer: &Tracer, code: &Bound<'_, PyAny>, offset: u32) {
    let key = code.as_ptr() as usize;
    let guard = codes();
    if let Some(state) = guard.as_ref().and_then(|map| map.get(&key))
        && let Some(&(from, to)) = state.on_handled.get(&offset)
    {
        tracer.writer.record_arc(state.file_id, from, to);
    }
}

/// PY_RETURN at `offset` of `code`: the exit arc of the return's line, and the arc of a
/// branch waiting for that return, if any.
pub(crate) fn on_return(py: Python<'_>, tracer: &Tracer, code: &Bound<'_, PyAny>, offset: u32) {
    let key = code.as_ptr() as usize;
    if !ensure_built(py, tracer, code, key) {
        return;
    }
    let mut guard = codes();
    let Some(state) = guard.as_mut().and_then(|map| map.get_mut(&key)) else {
        return;
    };
    state.last_line = None;
    if let Some(&line) = state.lines.get((offset / 2) as usize)
        && line > 0
    {
        tracer
            .writer
            .record_arc(state.file_id, line, -state.first_line);
    }
    state.returned.insert(offset);
    if let Some(arc) = state.on_return.remove(&offset) {
        tracer.writer.record_arc(state.file_id, arc.0, arc.1);
        state.retire_waiting_for(arc);
    }
}

/// Handles one branch event of `code` from `source` to `dest` (byte offsets). `one_shot`: the
/// event names one direction only (3.14's BRANCH_LEFT/RIGHT), so it can go at once.
pub(crate) fn on_branch(
    py: Python<'_>,
    tracer: &Tracer,
    code: &Bound<'_, PyAny>,
    source: u32,
    dest: u32,
    one_shot: bool,
) -> Answer {
    let key = code.as_ptr() as usize;
    let known = {
        let guard = codes();
        let state = guard.as_ref().and_then(|map| map.get(&key));
        // The common case, an instruction going the way it went before: one lookup, one lock.
        if let Some(state) = state
            && !one_shot
            && state.first_dest.get((source / 2) as usize) == Some(&dest)
        {
            return Answer::Keep;
        }
        state.is_some()
    };
    if !known && !ensure_built(py, tracer, code, key) {
        return Answer::Disable;
    }
    let Ok(opcodes) = opcodes(py) else {
        return Answer::Disable;
    };
    let mut guard = codes();
    let Some(state) = guard.as_mut().and_then(|map| map.get_mut(&key)) else {
        return Answer::Disable;
    };
    let Some(slot) = state.first_dest.get((source / 2) as usize).copied() else {
        return Answer::Disable;
    };
    if slot == dest && !one_shot {
        return Answer::Keep;
    }
    if let Some(arc) = resolve(state, opcodes, source, dest) {
        tracer.writer.record_arc(state.file_id, arc.0, arc.1);
        state.retire_waiting_for(arc);
    }
    if one_shot || slot == RETIRED {
        return Answer::Disable;
    }
    if slot == NONE_SEEN {
        state.first_dest[(source / 2) as usize] = dest;
        if let Some(decision) = other_way(state, opcodes, tracer, source, dest) {
            return decision;
        }
        Answer::Keep
    } else {
        // Both directions seen: nothing more to learn from this instruction.
        Answer::Disable
    }
}

impl CodeBranches {
    /// `arc` was just recorded: the instructions armed only to see it are done.
    fn retire_waiting_for(&mut self, arc: (i32, i32)) {
        for source in self.waiting.remove(&arc).unwrap_or_default() {
            if let Some(slot) = self.first_dest.get_mut((source / 2) as usize)
                && *slot != NONE_SEEN
            {
                *slot = RETIRED;
            }
        }
    }
}

/// Makes sure the code object at `key` has its state; false when it cannot be built (its
/// file is not measured, or the code object does not read). Built without the lock held:
/// reading the code object runs no Python code, but a callback must never wait on itself.
fn ensure_built(py: Python<'_>, tracer: &Tracer, code: &Bound<'_, PyAny>, key: usize) -> bool {
    if codes().as_ref().is_some_and(|map| map.contains_key(&key)) {
        return true;
    }
    let Some(built) = build(py, tracer, code) else {
        return false;
    };
    codes()
        .get_or_insert_with(HashMap::default)
        .entry(key)
        .or_insert(built);
    true
}

fn build(py: Python<'_>, tracer: &Tracer, code: &Bound<'_, PyAny>) -> Option<CodeBranches> {
    let filename = code.getattr(intern!(py, "co_filename")).ok()?;
    let file_id = tracer.file_id(py, &filename)?;
    let first_line: i32 = code
        .getattr(intern!(py, "co_firstlineno"))
        .ok()?
        .extract()
        .ok()?;
    let co_code = code
        .getattr(intern!(py, "co_code"))
        .ok()?
        .cast_into::<PyBytes>()
        .ok()?
        .as_bytes()
        .to_vec();
    let lines = lines_by_offset(py, code, co_code.len())?;
    let slots = lines.len();
    let single_line = match lines_after_resume(py, &co_code, &lines).as_deref() {
        Some([only]) => Some(*only),
        _ => None,
    };
    Some(CodeBranches {
        _code: code.clone().unbind(),
        file_id,
        first_line,
        co_code,
        lines,
        first_dest: vec![NONE_SEEN; slots],
        on_line: HashMap::default(),
        async_on_line: HashMap::default(),
        on_handled: HashMap::default(),
        on_return: HashMap::default(),
        returned: HashSet::default(),
        handlers: code
            .getattr(intern!(py, "co_exceptiontable"))
            .ok()
            .and_then(|t| t.cast_into::<PyBytes>().ok())
            .and_then(|t| handler_targets(t.as_bytes())),
        entries: None,
        waiting: HashMap::default(),
        last_line: None,
        single_line,
    })
}

/// The line of the instruction at each even offset of `code` (`offset / 2`; 0 = none), from
/// `co_lines()`; `code_len` is the length of its `co_code`.
pub(crate) fn lines_by_offset(
    py: Python<'_>,
    code: &Bound<'_, PyAny>,
    code_len: usize,
) -> Option<Vec<i32>> {
    let slots = code_len.div_ceil(2);
    let mut lines = vec![0i32; slots];
    for entry in code
        .call_method0(intern!(py, "co_lines"))
        .ok()?
        .try_iter()
        .ok()?
    {
        let (start, end, line): (usize, usize, Option<i32>) = entry.ok()?.extract().ok()?;
        if let Some(line) = line {
            let end = (end / 2).min(slots);
            if let Some(range) = lines.get_mut((start / 2).min(end)..end) {
                range.fill(line);
            }
        }
    }
    Some(lines)
}

/// The distinct lines (ascending) of the instructions after the first `RESUME`: the lines a
/// code object can send LINE for (the `RESUME` and what comes before it never do). `lines` is
/// [`lines_by_offset`]'s. Nothing before the first `RESUME` has inline caches, so the search
/// reads opcodes only. None when there is no `RESUME`.
pub(crate) fn lines_after_resume(
    py: Python<'_>,
    co_code: &[u8],
    lines: &[i32],
) -> Option<Vec<i32>> {
    let resume = opcodes(py).ok()?.resume?;
    let resume_at = co_code.chunks_exact(2).position(|word| word[0] == resume)?;
    let mut found: Vec<i32> = lines
        .get(resume_at + 1..)?
        .iter()
        .copied()
        .filter(|&line| line > 0)
        .collect();
    found.sort_unstable();
    found.dedup();
    Some(found)
}

/// The targets of the entries of a 3.11+ exception table (start, length, target, depth/lasti,
/// each a varint of 6-bit groups, 0x40 = more, 0x80 marks an entry's first byte), in bytes.
fn handler_targets(table: &[u8]) -> Option<Vec<u32>> {
    let mut at = 0;
    let mut varint = || -> Option<u32> {
        let mut byte = *table.get(at)?;
        at += 1;
        let mut value = u32::from(byte & 63);
        while byte & 64 != 0 {
            byte = *table.get(at)?;
            at += 1;
            value = value.checked_shl(6)? | u32::from(byte & 63);
        }
        Some(value)
    };
    let mut targets = Vec::new();
    while let Some(_start) = varint() {
        let _length = varint()?;
        targets.push(varint()?.checked_mul(2)?);
        let _depth = varint()?;
    }
    Some(targets)
}

/// Decides, at the first event of a conditional jump, whether its other way can be left
/// unwatched (see the module doc). None: keep the event.
fn other_way(
    state: &mut CodeBranches,
    ops: &Opcodes,
    tracer: &Tracer,
    source: u32,
    dest: u32,
) -> Option<Answer> {
    let code = &state.co_code;
    let op = *code.get(source as usize)?;
    let for_iter = Some(op) == ops.for_iter;
    if !ops.cond_jumps[usize::from(op)] && !for_iter {
        return None;
    }
    let (next, target) = jump_target(code, ops, source)?;
    let other = if dest == next {
        // A loop that ran out goes past its END_FOR: the walk from the target gets there.
        target
    } else if dest == target || for_iter {
        next
    } else {
        return None;
    };
    let this_arc = resolve(state, ops, source, dest);
    let Some(other_arc) = resolve(state, ops, source, other) else {
        // That way never makes an arc.
        return Some(Answer::Disable);
    };
    if Some(other_arc) == this_arc
        || tracer
            .writer
            .has_arc(state.file_id, other_arc.0, other_arc.1)
    {
        return Some(Answer::Disable);
    }
    // From here on the instruction stays armed unless its other way is provable from a line;
    // it is retired as soon as some other instruction (a `while` loop's second test, the
    // other half of an `and`) records the same arc.
    state.waiting.entry(other_arc).or_default().push(source);
    if other_arc.1 <= 0 {
        return watch_return(state, ops, source, other, other_arc);
    }
    // When every way into the other line comes from this line, running that line means the
    // arc was taken; a line that ran already (here or in other code) is left to the events.
    let (from, to) = other_arc;
    if tracer
        .writer
        .is_recorded(state.file_id, u32::try_from(to).ok()?)
    {
        return None;
    }
    if state.entries.is_none() {
        state.entries = Some(entries(state, ops)?);
    }
    if state.entries.as_ref()?.get(&to) != Some(&Some(from)) {
        return None;
    }
    state.on_line.insert(other_arc.1, other_arc);
    Some(Answer::Disable)
}

/// Each instruction of `code` past the inline caches: (offset, opcode, offset of the next one).
fn instructions<'a>(
    code: &'a [u8],
    ops: &'a Opcodes,
) -> impl Iterator<Item = (usize, u8, usize)> + 'a {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at + 1 < code.len() && Some(code[at]) == ops.cache {
            at += 2;
        }
        if at + 1 >= code.len() {
            return None;
        }
        let (here, op) = (at, code[at]);
        at += 2;
        while at + 1 < code.len() && Some(code[at]) == ops.cache {
            at += 2;
        }
        Some((here, op, at))
    })
}

/// The fall-through and the jump target of the relative jump at `offset`, in bytes.
fn jump_target(code: &[u8], ops: &Opcodes, offset: u32) -> Option<(u32, u32)> {
    let at = offset as usize;
    let op = *code.get(at)?;
    let mut arg = usize::from(*code.get(at + 1)?);
    // EXTENDED_ARG prefixes sit right before the instruction.
    let mut back = at;
    let mut shift = 8;
    while back >= 2 && code[back - 2] == ops.extended_arg {
        back -= 2;
        arg |= usize::from(code[back + 1]) << shift;
        shift += 8;
    }
    let mut next = at + 2;
    while next + 1 < code.len() && Some(code[next]) == ops.cache {
        next += 2;
    }
    let target = if ops.backward[usize::from(op)] {
        next.checked_sub(2 * arg)?
    } else {
        next + 2 * arg
    };
    Some((u32::try_from(next).ok()?, u32::try_from(target).ok()?))
}

/// Every line's entries (see [`Entries`]). Over-counting is safe (it only keeps events), so
/// every instruction but unconditional jumps, returns and raises is taken to fall through, and
/// every jump to land on its target and on the two instructions after it (a loop that runs out
/// skips its `END_FOR`). None when the code has
/// an absolute jump or an unreadable exception table: it is never disabled early.
fn entries(state: &CodeBranches, ops: &Opcodes) -> Option<Entries> {
    let code = &state.co_code;
    let handlers = state.handlers.as_ref()?;
    let line_of = |offset: usize| state.lines.get(offset / 2).copied().unwrap_or(0);
    let mut entries: Entries = HashMap::default();
    let add = |from: usize, to: usize, entries: &mut Entries| {
        let (line, source) = (line_of(to), line_of(from));
        if to >= code.len() || (line == source && to > from) {
            return;
        }
        let entry = entries.entry(line).or_insert(Some(source));
        if *entry != Some(source) || source == line || source == 0 {
            *entry = None;
        }
    };
    // The code's start and every handler enter their lines from nowhere.
    for start in std::iter::once(0).chain(handlers.iter().map(|&t| t as usize)) {
        entries.insert(line_of(start), None);
    }
    for (at, op, next) in instructions(code, ops) {
        if ops.abs_jumps[usize::from(op)] {
            return None;
        }
        if !ops.no_fall_through_at_all[usize::from(op)] {
            add(at, next, &mut entries);
        }
        if ops.jumps[usize::from(op)] {
            let (_, target) = jump_target(code, ops, at as u32)?;
            for to in [target, target + 2, target + 4] {
                add(at, to as usize, &mut entries);
            }
        }
    }
    Some(entries)
}

/// The arc a branch from `source` to `dest` takes, if any (see the module doc).
fn resolve(state: &CodeBranches, ops: &Opcodes, source: u32, dest: u32) -> Option<(i32, i32)> {
    walk(state, ops, source, dest, |_| {}).map(|(arc, _)| arc)
}

/// [`resolve`]'s walk: the arc and the offset where the walk ended (the first instruction of the
/// other line, or the return), calling `visit` with every instruction offset passed on the way.
fn walk(
    state: &CodeBranches,
    ops: &Opcodes,
    source: u32,
    dest: u32,
    mut visit: impl FnMut(usize),
) -> Option<((i32, i32), usize)> {
    let line_at = |offset: usize| state.lines.get(offset / 2).copied().filter(|&l| l != 0);
    let from = line_at(source as usize)?;
    let code = &state.co_code;
    let mut offset = dest as usize;
    let mut ext_arg: usize = 0;
    // Each offset once: a jump cycle ends the walk.
    let mut steps = 0;
    while offset + 1 < code.len() && steps <= code.len() {
        steps += 1;
        let op = code[offset];
        if Some(op) == ops.cache {
            offset += 2;
            continue;
        }
        visit(offset);
        if op == ops.extended_arg {
            ext_arg = (ext_arg | usize::from(code[offset + 1])) << 8;
            offset += 2;
            continue;
        }
        if let Some(line) = line_at(offset)
            && line != from
        {
            return Some(((from, line), offset));
        }
        let at = usize::from(op);
        if ops.jumps[at] {
            if !ops.always_jumps[at] {
                return None;
            }
            let arg = ext_arg | usize::from(code[offset + 1]);
            // Distances count from the end of the jump's inline caches.
            let mut next = offset + 2;
            while next + 1 < code.len() && Some(code[next]) == ops.cache {
                next += 2;
            }
            offset = if ops.backward[at] {
                next.checked_sub(2 * arg)?
            } else {
                next + 2 * arg
            };
            ext_arg = 0;
            continue;
        }
        if ops.returns[at] {
            return Some(((from, -state.first_line), offset));
        }
        if ops.no_fall_through[at] {
            return None;
        }
        ext_arg = 0;
        offset += 2;
    }
    None
}

/// The other way of the branch at `source` ends the function (`arc` is `(line, -first)`): when
/// the return instruction it reaches has not run yet and no other way leads to any instruction
/// on the way there, that return's PY_RETURN event stands for the arc, and the branch can go.
fn watch_return(
    state: &mut CodeBranches,
    ops: &Opcodes,
    source: u32,
    other: u32,
    arc: (i32, i32),
) -> Option<Answer> {
    let mut path = HashSet::default();
    let (_, end) = walk(state, ops, source, other, |at| {
        path.insert(at);
    })?;
    if !ops.py_returns[usize::from(*state.co_code.get(end)?)] {
        return None;
    }
    let end = u32::try_from(end).ok()?;
    if state.returned.contains(&end) || !only_entered_from(state, ops, source as usize, &path)? {
        return None;
    }
    state.on_return.insert(end, arc);
    Some(Answer::Disable)
}

/// Whether every control-flow edge into an instruction of `path` comes from `source` or from
/// `path` itself (over-approximated: every instruction but unconditional jumps, returns and
/// raises falls through; a false answer only keeps an event). None
/// when the code has an absolute jump or an unreadable exception table.
fn only_entered_from(
    state: &CodeBranches,
    ops: &Opcodes,
    source: usize,
    path: &HashSet<usize>,
) -> Option<bool> {
    let code = &state.co_code;
    let handlers = state.handlers.as_ref()?;
    // The code's start and every handler are entered from nowhere.
    if path.contains(&0) || handlers.iter().any(|&t| path.contains(&(t as usize))) {
        return Some(false);
    }
    for (at, op, next) in instructions(code, ops) {
        if ops.abs_jumps[usize::from(op)] {
            return None;
        }
        if at != source && !path.contains(&at) {
            if !ops.no_fall_through_at_all[usize::from(op)] && path.contains(&next) {
                return Some(false);
            }
            if ops.jumps[usize::from(op)] {
                let (_, target) = jump_target(code, ops, at as u32)?;
                let target = target as usize;
                // A loop that runs out lands past its `END_FOR`; other jumps on their target.
                let skip = if Some(op) == ops.for_iter {
                    ops.for_exit_skip as usize
                } else {
                    0
                };
                if path.contains(&target) || path.contains(&(target + skip)) {
                    return Some(false);
                }
            }
        }
    }
    Some(true)
}
