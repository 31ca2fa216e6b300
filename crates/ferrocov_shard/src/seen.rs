//! The lock-free "already recorded?" bitmap, so repeated line hits cost no syscall and no lock.
//!
//! Two-level tables of `OnceLock`s: reading a set bit is a few atomic loads. Storage is
//! allocated lazily (on the slow path, under the writer's mutex) in small chunks, so sparse
//! ids and lines stay cheap. Ids and lines beyond the covered range are simply "not tracked":
//! the writer dedupes those on its slow path instead.
//!
//! A measurement context switch forgets everything: what the next context runs must be recorded
//! again. Zeroing every chunk would cost as much as all the files ever measured, per switch, so
//! `insert` tells its caller when it set the first bit of a word, the caller keeps those word
//! keys, and [`SeenLines::clear_words`] zeroes just them.

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

    /// Marks the pair. Returns None when it is outside the tracked range (nothing stored),
    /// else the key of the pair's word if this set its first bit (to hand to
    /// [`clear_words`](Self::clear_words) later), or `Some(None)` if the word had bits already.
    pub(crate) fn insert(&self, file_id: u32, line: u32) -> Option<Option<u32>> {
        let s = slot(file_id, line)?;
        let page = self.pages[s.page].get_or_init(|| {
            (0..FILES_PER_PAGE)
                .map(|_| OnceLock::new())
                .collect::<Box<[_]>>()
        });
        let file = page[s.file].get_or_init(|| Box::new(std::array::from_fn(|_| OnceLock::new())));
        let chunk =
            file[s.chunk].get_or_init(|| Box::new(std::array::from_fn(|_| AtomicU64::new(0))));
        let before = chunk[s.word].fetch_or(s.bit, Ordering::Relaxed);
        // file_id < 2^20 and line / 64 < 2^10: the key fits 30 bits.
        Some((before == 0).then_some(file_id * WORDS_PER_FILE + line / 64))
    }

    /// Zeroes the words named by keys from [`insert`](Self::insert): those pairs read as not
    /// marked again.
    pub(crate) fn clear_words(&self, keys: &[u32]) {
        for &key in keys {
            let (file_id, line) = (key / WORDS_PER_FILE, (key % WORDS_PER_FILE) * 64);
            let Some(s) = slot(file_id, line) else {
                continue;
            };
            if let Some(chunk) = self.pages[s.page]
                .get()
                .and_then(|page| page[s.file].get())
                .and_then(|file| file[s.chunk].get())
            {
                chunk[s.word].store(0, Ordering::Relaxed);
            }
        }
    }
}

/// 64-bit words per file: the factor of a word key.
const WORDS_PER_FILE: u32 = TRACKED_LINES / 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_then_contains() {
        let seen = SeenLines::new();
        assert!(!seen.contains(3, 10));
        assert!(seen.insert(3, 10).is_some());
        assert!(seen.contains(3, 10));
        assert!(!seen.contains(3, 11));
        assert!(!seen.contains(4, 10));
        assert!(seen.insert(TRACKED_FILES - 1, TRACKED_LINES - 1).is_some());
        assert!(seen.contains(TRACKED_FILES - 1, TRACKED_LINES - 1));
    }

    #[test]
    fn cleared_words_forget_their_lines_only() {
        let seen = SeenLines::new();
        let mut dirty = Vec::new();
        for (id, line) in [
            (3, 10),
            (3, 11),
            (3, 700),
            (TRACKED_FILES - 1, TRACKED_LINES - 1),
        ] {
            dirty.extend(seen.insert(id, line).flatten());
        }
        // 3:10 and 3:11 share a word: three first bits.
        assert_eq!(dirty.len(), 3);
        let other = SeenLines::new();
        other.insert(5, 5);
        seen.insert(5, 5);
        seen.clear_words(&dirty);
        for (id, line) in [
            (3, 10),
            (3, 11),
            (3, 700),
            (TRACKED_FILES - 1, TRACKED_LINES - 1),
        ] {
            assert!(!seen.contains(id, line), "{id}:{line}");
        }
        assert!(seen.contains(5, 5));
        // A word set again after clearing reports its first bit again.
        assert!(seen.insert(3, 11).flatten().is_some());
    }

    #[test]
    fn out_of_range_is_untracked() {
        let seen = SeenLines::new();
        assert!(seen.insert(0, TRACKED_LINES).is_none());
        assert!(!seen.contains(0, TRACKED_LINES));
        assert!(seen.insert(TRACKED_FILES, 1).is_none());
    }
}
