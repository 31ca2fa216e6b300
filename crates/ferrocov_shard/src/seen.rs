//! The lock-free "already recorded?" bitmap, so repeated line hits cost no syscall and no lock.
//!
//! Two-level tables of `OnceLock`s: reading a set bit is a few atomic loads. Storage is
//! allocated lazily (on the slow path, under the writer's mutex) in small chunks, so sparse
//! ids and lines stay cheap. Ids and lines beyond the covered range are simply "not tracked":
//! the writer dedupes those on its slow path instead.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

const WORDS_PER_CHUNK: usize = 16;
const LINES_PER_CHUNK: u32 = (WORDS_PER_CHUNK * 64) as u32;
const CHUNKS_PER_FILE: usize = 64;
const FILES_PER_PAGE: usize = 1024;
const PAGES: usize = 1024;

/// Lines `0..TRACKED_LINES` get a bit; higher lines take the slow path every time.
pub(crate) const TRACKED_LINES: u32 = LINES_PER_CHUNK * CHUNKS_PER_FILE as u32;
/// File ids `0..TRACKED_FILES` get bits.
pub(crate) const TRACKED_FILES: u32 = (FILES_PER_PAGE * PAGES) as u32;

type Chunk = [AtomicU64; WORDS_PER_CHUNK];
type FileBits = [OnceLock<Box<Chunk>>; CHUNKS_PER_FILE];
type Page = Box<[OnceLock<Box<FileBits>>]>;

/// Which (file id, line) pairs have already been stored in some shard by this process
/// (or by its parent before a fork: those lines are in the parent's shard).
pub(crate) struct SeenLines {
    pages: Box<[OnceLock<Page>]>,
}

/// Where a (file id, line) pair lives in the tables: page, file slot, chunk, word, bit.
struct Slot {
    page: usize,
    file: usize,
    chunk: usize,
    word: usize,
    bit: u64,
}

fn slot(file_id: u32, line: u32) -> Option<Slot> {
    if file_id >= TRACKED_FILES || line >= TRACKED_LINES {
        return None;
    }
    let file_id = file_id as usize;
    let line = line as usize;
    Some(Slot {
        page: file_id / FILES_PER_PAGE,
        file: file_id % FILES_PER_PAGE,
        chunk: line / LINES_PER_CHUNK as usize,
        word: (line % LINES_PER_CHUNK as usize) / 64,
        bit: 1 << (line % 64),
    })
}

impl SeenLines {
    pub(crate) fn new() -> SeenLines {
        SeenLines {
            pages: (0..PAGES).map(|_| OnceLock::new()).collect(),
        }
    }

    /// True when the pair was marked. Lock-free and allocation-free.
    #[inline]
    pub(crate) fn contains(&self, file_id: u32, line: u32) -> bool {
        let Some(s) = slot(file_id, line) else {
            return false;
        };
        let Some(chunk) = self.pages[s.page]
            .get()
            .and_then(|page| page[s.file].get())
            .and_then(|file| file[s.chunk].get())
        else {
            return false;
        };
        // Relaxed is enough: a stale "not set" only sends the caller to the slow path, which
        // re-checks under the writer's mutex (whose lock/unlock orders the earlier store).
        chunk[s.word].load(Ordering::Relaxed) & s.bit != 0
    }

    /// Marks the pair. Returns false when it is outside the tracked range (nothing stored).
    pub(crate) fn insert(&self, file_id: u32, line: u32) -> bool {
        let Some(s) = slot(file_id, line) else {
            return false;
        };
        let page = self.pages[s.page].get_or_init(|| {
            (0..FILES_PER_PAGE)
                .map(|_| OnceLock::new())
                .collect::<Box<[_]>>()
        });
        let file = page[s.file].get_or_init(|| Box::new(std::array::from_fn(|_| OnceLock::new())));
        let chunk =
            file[s.chunk].get_or_init(|| Box::new(std::array::from_fn(|_| AtomicU64::new(0))));
        chunk[s.word].fetch_or(s.bit, Ordering::Relaxed);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_then_contains() {
        let seen = SeenLines::new();
        assert!(!seen.contains(3, 10));
        assert!(seen.insert(3, 10));
        assert!(seen.contains(3, 10));
        assert!(!seen.contains(3, 11));
        assert!(!seen.contains(4, 10));
        assert!(seen.insert(TRACKED_FILES - 1, TRACKED_LINES - 1));
        assert!(seen.contains(TRACKED_FILES - 1, TRACKED_LINES - 1));
    }

    #[test]
    fn out_of_range_is_untracked() {
        let seen = SeenLines::new();
        assert!(!seen.insert(0, TRACKED_LINES));
        assert!(!seen.contains(0, TRACKED_LINES));
        assert!(!seen.insert(TRACKED_FILES, 1));
    }
}
