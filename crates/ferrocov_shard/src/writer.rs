//! `ShardWriter`: the per-process recorder the tracer calls on every line event.
//!
//! Fast path (line already recorded): one lock-free bitmap lookup, no syscall, no lock.
//! Slow path (new hit): a mutex, a fork check, maybe a path record, one line record.
//!
//! Measurement contexts: [`ShardWriter::switch_context`] makes what runs next belong to another
//! label. Dedup (the bitmap, the arc set) is per context, so the switch forgets what was
//! recorded: each context records every line it runs once. The switch itself writes nothing;
//! the context record goes into the shard just before the first record of the context.
//!
//! Failure policy: the writer runs inside the user's program, so it never panics and never
//! returns errors from recording. If space can't be reserved or a replacement shard can't be
//! created, it prints one warning line to stderr and stops recording (the program goes on).

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::error::ShardError;
use crate::format::{MAX_CONTEXT_ID, MAX_FILE_ID, MAX_LABEL_LEN, MAX_PATH_LEN};
use crate::open_shard::{AppendError, Limits, OpenShard};
use crate::seen::SeenLines;

/// Records the lines one process executes into crash-safe shard files in a run directory.
///
/// `Send + Sync`: share it between threads freely.
pub struct ShardWriter {
    run_dir: PathBuf,
    limits: Limits,
    seen: SeenLines,
    /// Set once recording stopped; checked before taking the mutex.
    disabled: AtomicBool,
    /// Bumped by every context switch: memos of "already recorded" keyed by it go stale.
    context_generation: AtomicU64,
    state: Mutex<State>,
}

struct State {
    /// The shard being written; `None` once disabled.
    shard: Option<OpenShard>,
    /// Path of the current (or last) shard, for `path()` after disabling.
    current_path: PathBuf,
    ids: HashMap<String, u32>,
    /// id -> path.
    paths: Vec<String>,
    /// Ids whose path record is in the *current* shard (reset when the shard changes).
    written: HashSet<u32>,
    /// Recorded lines that `SeenLines` does not cover (huge line numbers or ids).
    untracked: HashSet<(u32, u32)>,
    /// Arcs recorded (arc shards) in the current context, across every shard this writer wrote.
    arcs: HashSet<(u32, i32, i32)>,
    /// Context label -> id; "" is id 0.
    context_ids: HashMap<String, u32>,
    /// id -> context label.
    labels: Vec<String>,
    /// The context lines and arcs are recorded in now.
    context: u32,
    /// The context the current shard's log is in at its end (0 in a new shard).
    shard_context: u32,
    /// Keys of the bitmap words set in the current context, cleared by a switch.
    dirty: Vec<u32>,
}

impl ShardWriter {
    /// Creates `run_dir` if needed and a new shard file in it, named
    /// `<host>.<pid>.<random>.fcshard`.
    pub fn create(run_dir: &Path) -> Result<ShardWriter, ShardError> {
        ShardWriter::create_with_limits(run_dir, Limits::default())
    }

    /// As [`create`](Self::create), for branch measurement: the shard holds arcs
    /// ([`record_arc`](Self::record_arc)), and [`record_line`](Self::record_line) records a line
    /// as its self-arc `(line, line)`.
    pub fn create_arcs(run_dir: &Path) -> Result<ShardWriter, ShardError> {
        ShardWriter::create_with_limits(
            run_dir,
            Limits {
                arcs: true,
                ..Limits::default()
            },
        )
    }

    /// Whether this writer records arcs.
    pub fn records_arcs(&self) -> bool {
        self.limits.arcs
    }

    pub(crate) fn create_with_limits(
        run_dir: &Path,
        limits: Limits,
    ) -> Result<ShardWriter, ShardError> {
        let shard = OpenShard::create(run_dir, limits)?;
        Ok(ShardWriter {
            run_dir: run_dir.to_path_buf(),
            limits,
            seen: SeenLines::new(),
            disabled: AtomicBool::new(false),
            context_generation: AtomicU64::new(0),
            state: Mutex::new(State {
                current_path: shard.path().to_path_buf(),
                shard: Some(shard),
                ids: HashMap::new(),
                paths: Vec::new(),
                written: HashSet::new(),
                untracked: HashSet::new(),
                arcs: HashSet::new(),
                context_ids: HashMap::from([(String::new(), 0)]),
                labels: vec![String::new()],
                context: 0,
                shard_context: 0,
                dirty: Vec::new(),
            }),
        })
    }

    /// The id to use with [`record_line`](Self::record_line) for `canonical_path`; the same
    /// path always gets the same id. Writes the path to the shard, so the file counts as
    /// measured even if none of its lines run. `None` once the writer is disabled (or for a
    /// path longer than 1 MiB).
    pub fn file_id(&self, canonical_path: &str) -> Option<u32> {
        if self.is_disabled() || canonical_path.len() > MAX_PATH_LEN {
            return None;
        }
        let mut state = self.lock();
        self.follow_fork(&mut state);
        let id = match state.ids.get(canonical_path) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(state.paths.len()).ok()?;
                if id > MAX_FILE_ID {
                    return None;
                }
                state.ids.insert(canonical_path.to_owned(), id);
                state.paths.push(canonical_path.to_owned());
                id
            }
        };
        self.store(&mut state, id, None).then_some(id)
    }

    /// Records that `line` of file `file_id` ran. Cheap when already recorded.
    /// Unknown ids are ignored.
    #[inline]
    pub fn record_line(&self, file_id: u32, line: u32) {
        if self.seen.contains(file_id, line) {
            return;
        }
        self.record_new_line(file_id, line);
    }

    /// Whether `line` of `file_id` is already in the shard (as far as the lock-free bitmap
    /// knows: very large line numbers answer false, which only costs the caller a re-check).
    #[inline]
    pub fn is_recorded(&self, file_id: u32, line: u32) -> bool {
        self.seen.contains(file_id, line)
    }

    /// Whether the arc `from -> to` of `file_id` is already in the shard (false for a line
    /// shard, or once the shard is disabled: callers only use a true to skip work).
    pub fn has_arc(&self, file_id: u32, from: i32, to: i32) -> bool {
        self.limits.arcs && self.lock().arcs.contains(&(file_id, from, to))
    }

    /// The arcs of `file_id` recorded in the current context (none for a line shard).
    pub fn arcs_of(&self, file_id: u32) -> Vec<(i32, i32)> {
        if !self.limits.arcs {
            return Vec::new();
        }
        let state = self.lock();
        let arcs = state.arcs.iter().filter(|arc| arc.0 == file_id);
        arcs.map(|&(_, from, to)| (from, to)).collect()
    }

    /// Records that the arc `from -> to` of file `file_id` was taken (arc shards only; a line
    /// shard ignores it). Each arc is stored once.
    pub fn record_arc(&self, file_id: u32, from: i32, to: i32) {
        if !self.limits.arcs || self.is_disabled() {
            return;
        }
        let mut state = self.lock();
        self.record_arc_locked(&mut state, file_id, from, to);
    }

    fn record_arc_locked(&self, state: &mut State, file_id: u32, from: i32, to: i32) {
        if file_id as usize >= state.paths.len() || state.arcs.contains(&(file_id, from, to)) {
            return;
        }
        self.follow_fork(state);
        if self.store(state, file_id, Some(Record::Arc(from, to))) {
            state.arcs.insert((file_id, from, to));
        }
    }

    /// Makes the lines and arcs recorded from now on belong to the context `label` (`""` is
    /// the default context), until the next switch. What the new context runs is recorded again
    /// even if an earlier context recorded it. Cheap: nothing is written until the context
    /// records something; the forgetting costs one store per bitmap word the old context set.
    /// A label longer than 64 KiB is cut there (at a character boundary).
    pub fn switch_context(&self, label: &str) {
        let mut label = label;
        if label.len() > MAX_LABEL_LEN {
            let mut end = MAX_LABEL_LEN;
            while !label.is_char_boundary(end) {
                end -= 1;
            }
            label = &label[..end];
        }
        let mut state = self.lock();
        let id = match state.context_ids.get(label) {
            Some(&id) => id,
            None => {
                let Some(id) = u32::try_from(state.labels.len())
                    .ok()
                    .filter(|&id| id <= MAX_CONTEXT_ID)
                else {
                    // 2^28 contexts in one process: the rest share the last one.
                    return;
                };
                state.context_ids.insert(label.to_owned(), id);
                state.labels.push(label.to_owned());
                id
            }
        };
        if id == state.context {
            return;
        }
        state.context = id;
        let dirty = std::mem::take(&mut state.dirty);
        self.seen.clear_words(&dirty);
        state.dirty = dirty;
        state.dirty.clear();
        state.untracked.clear();
        state.arcs.clear();
        self.context_generation.fetch_add(1, Ordering::Release);
    }

    /// The label lines are recorded under now.
    pub fn context(&self) -> String {
        let state = self.lock();
        state.labels[state.context as usize].clone()
    }

    /// A number bumped by every [`switch_context`](Self::switch_context) that changed the
    /// context: a caller's memo of what is recorded is valid while it stays the same.
    #[inline]
    pub fn context_generation(&self) -> u64 {
        self.context_generation.load(Ordering::Acquire)
    }

    #[cold]
    fn record_new_line(&self, file_id: u32, line: u32) {
        if self.is_disabled() {
            return;
        }
        let mut state = self.lock();
        if self.limits.arcs {
            // The line is marked seen even so: callers use it to skip recording again.
            if let Ok(signed) = i32::try_from(line) {
                self.record_arc_locked(&mut state, file_id, signed, signed);
            }
            if let Some(Some(key)) = self.seen.insert(file_id, line) {
                state.dirty.push(key);
            }
            return;
        }
        // Another thread may have stored it while we waited for the lock.
        if self.seen.contains(file_id, line) || state.untracked.contains(&(file_id, line)) {
            return;
        }
        if file_id as usize >= state.paths.len() {
            return;
        }
        self.follow_fork(&mut state);
        if self.store(&mut state, file_id, Some(Record::Line(line))) {
            match self.seen.insert(file_id, line) {
                None => {
                    state.untracked.insert((file_id, line));
                }
                Some(Some(key)) => state.dirty.push(key),
                Some(None) => {}
            }
        }
    }

    /// Call in a forked child before it runs anything else: from then on it writes to a shard
    /// of its own, and the parent's shard (and the lock on it) is no longer held by the child,
    /// so the parent's data can be combined even while the child lives on.
    pub fn after_fork_in_child(&self) {
        if self.is_disabled() {
            return;
        }
        let mut state = self.lock();
        self.follow_fork(&mut state);
    }

    /// The shard file currently written (the last one, once disabled).
    pub fn path(&self) -> PathBuf {
        self.lock().current_path.clone()
    }

    /// msync the shard: durability against an OS crash. Not needed to survive the death of
    /// the process (the page cache keeps every store). Errors are ignored: nothing to do.
    pub fn flush(&self) {
        if let Some(shard) = &self.lock().shard {
            let _ = shard.flush();
        }
    }

    /// Stops recording and closes the shard, releasing the lock that marks it as being
    /// written, so a combine in this same process can take it in and delete it. Later calls to
    /// [`record_line`](Self::record_line) do nothing. Idempotent.
    pub fn close(&self) {
        let mut state = self.lock();
        self.disabled.store(true, Ordering::Relaxed);
        // Dropping the shard unmaps it and closes the file under the mutex, so no store can be
        // in flight; the lock-free fast path only reads the in-memory bitmap.
        state.shard = None;
    }

    /// True once recording stopped (after the one warning).
    pub fn is_disabled(&self) -> bool {
        self.disabled.load(Ordering::Relaxed)
    }

    /// The run directory shards are created in.
    pub fn run_dir(&self) -> &Path {
        &self.run_dir
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock must not stop measurement (or panic here).
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// After a fork the child still maps its parent's shard; it must never write there.
    /// Switch to a fresh shard of our own (path records are re-written lazily).
    fn follow_fork(&self, state: &mut State) {
        let Some(shard) = &state.shard else { return };
        if shard.pid() != std::process::id() {
            self.replace_shard(state);
        }
    }

    /// Opens a new shard in the run dir (after a fork, or when the current one is full).
    /// Returns false (and disables) if that fails.
    fn replace_shard(&self, state: &mut State) -> bool {
        // Drop (unmap, close) the old one first: in a forked child it is the parent's.
        state.shard = None;
        state.written.clear();
        state.shard_context = 0;
        match OpenShard::create(&self.run_dir, self.limits) {
            Ok(shard) => {
                state.current_path = shard.path().to_path_buf();
                state.shard = Some(shard);
                true
            }
            Err(e) => {
                self.disable(
                    state,
                    &format!(
                        "could not create a new shard in {}: {e}",
                        self.run_dir.display()
                    ),
                );
                false
            }
        }
    }

    /// Stores the path record for `file_id` in the current shard if not there yet, then the
    /// line record if `line` is given. Rolls over to a new shard once if the current is full.
    fn store(&self, state: &mut State, file_id: u32, record: Option<Record>) -> bool {
        for _ in 0..2 {
            match try_store(state, file_id, record) {
                Ok(true) => return true,
                Ok(false) => return false,
                Err(AppendError::Full) => {
                    if !self.replace_shard(state) {
                        return false;
                    }
                }
                Err(AppendError::NoSpace(e)) => {
                    let message = format!(
                        "could not reserve space in shard {}: {e}",
                        state.current_path.display()
                    );
                    self.disable(state, &message);
                    return false;
                }
            }
        }
        false
    }

    fn disable(&self, state: &mut State, why: &str) {
        state.shard = None;
        if !self.disabled.swap(true, Ordering::Relaxed) {
            // Not eprintln!: it panics if stderr is closed. One line, then silence.
            let _ = writeln!(
                io::stderr(),
                "ferrocov: warning: {why}; measurement of this process (pid {}) stops here",
                std::process::id()
            );
        }
    }
}

/// What follows a file's path record.
#[derive(Clone, Copy)]
enum Record {
    Line(u32),
    Arc(i32, i32),
}

/// One attempt at storing; `Ok(false)` when disabled or the id is unknown.
fn try_store(state: &mut State, file_id: u32, record: Option<Record>) -> Result<bool, AppendError> {
    let State {
        shard,
        paths,
        written,
        labels,
        context,
        shard_context,
        ..
    } = state;
    let Some(shard) = shard.as_mut() else {
        return Ok(false);
    };
    let Some(path) = paths.get(file_id as usize) else {
        return Ok(false);
    };
    if !written.contains(&file_id) {
        shard.append_path(file_id, path)?;
        written.insert(file_id);
    }
    if record.is_some() && *shard_context != *context {
        shard.append_context(*context, &labels[*context as usize])?;
        *shard_context = *context;
    }
    match record {
        Some(Record::Line(line)) => shard.append_line(file_id, line)?,
        Some(Record::Arc(from, to)) => shard.append_arc(file_id, from, to)?,
        None => {}
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reader::read_shard;
    use crate::{ShardFile, list_shards};
    use std::collections::BTreeMap;

    #[test]
    fn records_lines_once() {
        let dir = tempfile::tempdir().unwrap();
        let writer = ShardWriter::create(dir.path()).unwrap();
        let a = writer.file_id("/src/a.py").unwrap();
        let b = writer.file_id("/src/b.py").unwrap();
        assert_eq!(writer.file_id("/src/a.py"), Some(a));
        for _ in 0..3 {
            for line in [3, 1, 2, 100_000] {
                writer.record_line(a, line);
            }
        }
        writer.record_line(b, 7);
        writer.record_line(99, 1); // unknown id: ignored
        let contents = read_shard(&writer.path()).unwrap();
        assert_eq!(contents.pid, std::process::id());
        assert_eq!(contents.torn_tail, None);
        assert_eq!(
            contents.files,
            vec![
                ShardFile {
                    path: "/src/a.py".into(),
                    context: String::new(),
                    lines: vec![1, 2, 3, 100_000],
                    arcs: vec![],
                },
                ShardFile {
                    path: "/src/b.py".into(),
                    context: String::new(),
                    lines: vec![7],
                    arcs: vec![],
                },
            ]
        );
        // Each line record is stored once: header + 2 path records + 5 line records.
        let bytes = std::fs::read(writer.path()).unwrap();
        let used = bytes.iter().rposition(|&b| b != 0).unwrap();
        assert!(used < 64 + 2 * 32 + 5 * 8, "{used}");
    }

    #[test]
    fn records_arcs_once_and_lines_as_self_arcs() {
        let dir = tempfile::tempdir().unwrap();
        let writer = ShardWriter::create_arcs(dir.path()).unwrap();
        assert!(writer.records_arcs());
        let a = writer.file_id("/src/a.py").unwrap();
        for _ in 0..3 {
            writer.record_arc(a, -1, 1);
            writer.record_arc(a, 3, -1);
            writer.record_line(a, 2);
        }
        writer.record_arc(7, 1, 2); // unknown id: ignored
        let contents = read_shard(&writer.path()).unwrap();
        assert!(contents.arcs);
        assert_eq!(contents.torn_tail, None);
        assert_eq!(contents.files[0].arcs, vec![(-1, 1), (2, 2), (3, -1)]);
        assert!(contents.files[0].lines.is_empty());
        // A line shard ignores arcs.
        let lines = ShardWriter::create(dir.path()).unwrap();
        let b = lines.file_id("/src/b.py").unwrap();
        lines.record_arc(b, 1, 2);
        lines.record_line(b, 4);
        let contents = read_shard(&lines.path()).unwrap();
        assert!(!contents.arcs);
        assert_eq!(contents.files[0].lines, vec![4]);
        assert!(contents.files[0].arcs.is_empty());
    }

    /// (path, context, lines) of every file of a shard.
    fn by_context(path: &Path) -> Vec<(String, String, Vec<u32>)> {
        let contents = read_shard(path).unwrap();
        assert_eq!(contents.torn_tail, None);
        contents
            .files
            .into_iter()
            .map(|f| (f.path, f.context, f.lines))
            .collect()
    }

    #[test]
    fn each_context_records_what_it_runs() {
        let dir = tempfile::tempdir().unwrap();
        let writer = ShardWriter::create(dir.path()).unwrap();
        let a = writer.file_id("/a.py").unwrap();
        writer.record_line(a, 1);
        writer.record_line(a, 2);
        let generation = writer.context_generation();
        writer.switch_context("t.py::test_one|run");
        assert_ne!(writer.context_generation(), generation);
        assert_eq!(writer.context(), "t.py::test_one|run");
        assert!(!writer.is_recorded(a, 2));
        writer.record_line(a, 2);
        writer.record_line(a, 3);
        writer.record_line(a, 100_000); // beyond the bitmap
        writer.record_line(a, 100_000);
        // A context that runs nothing leaves nothing.
        writer.switch_context("t.py::test_one|teardown");
        writer.switch_context("t.py::test_two|run");
        writer.record_line(a, 2);
        writer.record_line(a, 100_000);
        writer.switch_context("t.py::test_one|run");
        writer.record_line(a, 3);
        writer.record_line(a, 4);
        // Switching to the current context changes nothing.
        let generation = writer.context_generation();
        writer.switch_context("t.py::test_one|run");
        assert_eq!(writer.context_generation(), generation);
        writer.switch_context("");
        writer.record_line(a, 1);
        writer.record_line(a, 9);
        let s = |v: &str| v.to_owned();
        assert_eq!(
            by_context(&writer.path()),
            [
                (s("/a.py"), s(""), vec![1, 2, 9]),
                (s("/a.py"), s("t.py::test_one|run"), vec![2, 3, 4, 100_000]),
                (s("/a.py"), s("t.py::test_two|run"), vec![2, 100_000]),
            ]
        );
        // Each context record is written once per stretch of records: "" needs one only when
        // switched back to.
        let bytes = std::fs::read(writer.path()).unwrap();
        let used = bytes.iter().rposition(|&b| b != 0).unwrap();
        assert!(used < 64 + 24 + 4 * 40 + 12 * 8, "{used}");
    }

    #[test]
    fn contexts_follow_rollover_and_arcs() {
        let dir = tempfile::tempdir().unwrap();
        let limits = Limits {
            initial: 128,
            max: 256,
            arcs: true,
            ..Limits::default()
        };
        let writer = ShardWriter::create_with_limits(dir.path(), limits).unwrap();
        let id = writer.file_id("/src/big.py").unwrap();
        writer.switch_context("ctx");
        for line in 1..=40 {
            writer.record_arc(id, line, line + 1);
        }
        writer.switch_context("other");
        writer.record_arc(id, 1, 2);
        writer.record_line(id, 5);
        assert!(writer.has_arc(id, 5, 5));
        assert!(!writer.has_arc(id, 3, 4));
        let mut all: BTreeMap<String, Vec<(i32, i32)>> = BTreeMap::new();
        for shard in list_shards(dir.path()).unwrap() {
            let contents = read_shard(&shard).unwrap();
            assert_eq!(contents.torn_tail, None);
            for file in contents.files {
                all.entry(file.context).or_default().extend(file.arcs);
            }
        }
        for arcs in all.values_mut() {
            arcs.sort_unstable();
        }
        assert_eq!(all["ctx"], (1..=40).map(|l| (l, l + 1)).collect::<Vec<_>>());
        assert_eq!(all["other"], [(1, 2), (5, 5)]);
        // Only the current context's arcs, and only this file's.
        let other = writer.file_id("/src/other.py").unwrap();
        writer.record_arc(other, 7, 8);
        let mut current = writer.arcs_of(id);
        current.sort_unstable();
        assert_eq!(current, [(1, 2), (5, 5)]);
    }

    #[test]
    fn thousands_of_switches_stay_cheap() {
        let dir = tempfile::tempdir().unwrap();
        let writer = ShardWriter::create(dir.path()).unwrap();
        let ids: Vec<u32> = (0..50)
            .map(|i| writer.file_id(&format!("/src/m{i}.py")).unwrap())
            .collect();
        // A big file recorded once: a switch must not pay for it again.
        for line in 0..60_000 {
            writer.record_line(ids[0], line);
        }
        let start = std::time::Instant::now();
        for test in 0..5_000 {
            writer.switch_context(&format!("test_{test}"));
            writer.record_line(ids[test % 50], 7);
        }
        // Zeroing the whole bitmap per switch would take seconds here.
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        let contents = read_shard(&writer.path()).unwrap();
        assert_eq!(contents.files.len(), 5_001);
    }

    #[test]
    fn file_without_lines_is_listed() {
        let dir = tempfile::tempdir().unwrap();
        let writer = ShardWriter::create(dir.path()).unwrap();
        writer.file_id("/src/empty.py").unwrap();
        let contents = read_shard(&writer.path()).unwrap();
        assert_eq!(contents.files.len(), 1);
        assert!(contents.files[0].lines.is_empty());
    }

    #[test]
    fn rolls_over_when_full() {
        let dir = tempfile::tempdir().unwrap();
        let limits = Limits {
            initial: 128,
            max: 256,
            ..Limits::default()
        };
        let writer = ShardWriter::create_with_limits(dir.path(), limits).unwrap();
        let id = writer.file_id("/src/big.py").unwrap();
        for line in 1..=100 {
            writer.record_line(id, line);
        }
        assert!(!writer.is_disabled());
        let shards = list_shards(dir.path()).unwrap();
        assert!(shards.len() > 3, "{shards:?}");
        let mut all = Vec::new();
        for shard in shards {
            let contents = read_shard(&shard).unwrap();
            assert_eq!(contents.torn_tail, None);
            assert_eq!(contents.files.len(), 1);
            assert_eq!(contents.files[0].path, "/src/big.py");
            all.extend(contents.files[0].lines.iter().copied());
        }
        all.sort_unstable();
        assert_eq!(all, (1..=100).collect::<Vec<u32>>());
    }

    #[test]
    fn threads_share_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let writer = std::sync::Arc::new(ShardWriter::create(dir.path()).unwrap());
        let id = writer.file_id("/src/t.py").unwrap();
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let writer = writer.clone();
                std::thread::spawn(move || {
                    for line in 0..2000 {
                        writer.record_line(id, (line * 7 + t) % 1500);
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        let contents = read_shard(&writer.path()).unwrap();
        assert_eq!(contents.files[0].lines, (0..1500).collect::<Vec<u32>>());
    }
}
