//! One shard file open for appending: creation, liveness lock, mapping, space reservation,
//! appends.
//!
//! # Space strategy
//!
//! Every byte a store reaches is reserved first ([`platform::reserve`]: allocated on disk and
//! part of the file), so a store never faults for lack of space. Reservation starts at
//! `Limits::initial` bytes and doubles up to `Limits::max`. A full shard is not an error here:
//! the writer rolls over to a new shard file. A failed reservation (disk full, EFBIG from
//! RLIMIT_FSIZE, quota) is reported to the writer, which warns once and stops measuring.
//!
//! On Unix the file is mapped once (MAP_SHARED) with a fixed virtual length of `Limits::max`
//! bytes, longer than the file; touching a page past the end of the file would raise SIGBUS, which
//! the reservation rules out. Windows cannot map past the end of a file, so there the mapping
//! covers what is reserved and is made again after each growth ([`platform::MAP_PAST_END`]).
//!
//! The file is never truncated while mapped (that would SIGBUS our own stores, and Windows refuses
//! it).

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use memmap2::{MmapOptions, MmapRaw};

use crate::error::ShardError;
use crate::format::{self, FORMAT_VERSION, HEADER_SIZE, Header};
use crate::naming::shard_file_name;
use crate::platform::{self, MAP_PAST_END, reserve};

/// How much space a shard reserves up front and at most, and what kind of records it holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// An arc shard (branch measurement) rather than a line shard.
    pub(crate) arcs: bool,
    /// Bytes reserved when the shard is created (>= HEADER_SIZE, multiple of 8).
    pub(crate) initial: usize,
    /// The largest a shard grows before the writer rolls over.
    pub(crate) max: usize,
    /// Map `max` bytes once ([`MAP_PAST_END`]), or only what is reserved, again after each
    /// growth. Tests set it to run the Windows way here.
    pub(crate) map_past_end: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            arcs: false,
            initial: 64 << 10,
            max: 64 << 20,
            map_past_end: MAP_PAST_END,
        }
    }
}

/// Why an append did not happen.
#[derive(Debug)]
pub(crate) enum AppendError {
    /// The record would pass `Limits::max`: start a new shard.
    Full,
    /// The OS refused to reserve more space.
    NoSpace(io::Error),
}

/// A shard file being written by this process.
pub(crate) struct OpenShard {
    path: PathBuf,
    /// Kept open for the writer's lifetime: it carries the shared lock that tells `combine`
    /// this shard's writer is alive. Never unlocked explicitly: after a fork the child shares
    /// the lock with its parent, and an explicit unlock in the child would drop the parent's.
    file: File,
    map: MmapRaw,
    /// Bytes of the file reserved (= file length); stores stay below it.
    reserved: usize,
    /// The largest the shard may grow to (the mapping's length where it may outrun the file).
    max: usize,
    /// As in [`Limits`].
    map_past_end: bool,
    /// Byte offset of the next record.
    cursor: usize,
    /// The process that created this shard (the only one allowed to write to it).
    pid: u32,
}

impl OpenShard {
    /// Creates a new, uniquely named shard in `run_dir` (created if missing).
    ///
    /// The shard is prepared under a hidden temporary name and renamed once its header is
    /// complete, so a reader never sees a shard without a valid header.
    pub(crate) fn create(run_dir: &Path, limits: Limits) -> Result<OpenShard, ShardError> {
        fs::create_dir_all(run_dir).map_err(|e| ShardError::io(run_dir, e))?;
        let pid = std::process::id();
        let mut last_error = None;
        for _ in 0..8 {
            let name = shard_file_name(pid);
            let final_path = run_dir.join(&name);
            let temp_path = run_dir.join(format!(".{name}.tmp"));
            let file = match OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&temp_path)
            {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    last_error = Some(ShardError::io(&temp_path, e));
                    continue;
                }
                Err(e) => return Err(ShardError::io(&temp_path, e)),
            };
            return match OpenShard::init(file, &temp_path, final_path, pid, limits) {
                Ok(shard) => Ok(shard),
                Err(e) => {
                    let _ = fs::remove_file(&temp_path);
                    Err(e)
                }
            };
        }
        Err(last_error.unwrap_or_else(|| {
            ShardError::io(
                run_dir,
                io::Error::other("could not pick a unique shard name"),
            )
        }))
    }

    fn init(
        file: File,
        temp_path: &Path,
        final_path: PathBuf,
        pid: u32,
        limits: Limits,
    ) -> Result<OpenShard, ShardError> {
        platform::lock_alive(&file).map_err(|e| ShardError::io(temp_path, e))?;
        let initial = limits.initial.max(HEADER_SIZE).next_multiple_of(8);
        let max = limits.max.max(initial);
        reserve(&file, initial).map_err(|e| ShardError::io(temp_path, e))?;
        let map = map_file(&file, if limits.map_past_end { max } else { initial })
            .map_err(|e| ShardError::io(temp_path, e))?;
        let mut shard = OpenShard {
            path: final_path,
            file,
            map,
            reserved: initial,
            max,
            map_past_end: limits.map_past_end,
            cursor: 0,
            pid,
        };
        let header = Header {
            version: FORMAT_VERSION,
            header_size: HEADER_SIZE as u32,
            pid,
            flags: if limits.arcs { format::FLAG_ARCS } else { 0 },
            created_micros: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX)),
        };
        for (i, word) in header.encode().into_iter().enumerate() {
            shard.store(i * 8, word, Ordering::Relaxed);
        }
        shard.cursor = HEADER_SIZE;
        // No clobber check: the temp name was created exclusively and the final name differs
        // only by its prefix/suffix, so an existing final name would need a 48-bit collision.
        fs::rename(temp_path, &shard.path).map_err(|e| ShardError::io(temp_path, e))?;
        Ok(shard)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn pid(&self) -> u32 {
        self.pid
    }

    /// Appends a line record: one word, one atomic store, so never torn.
    pub(crate) fn append_line(&mut self, file_id: u32, line: u32) -> Result<(), AppendError> {
        self.make_room(8)?;
        self.store(
            self.cursor,
            format::line_word(file_id, line),
            Ordering::Release,
        );
        self.cursor += 8;
        Ok(())
    }

    /// Appends an arc record: second word first, header word last (Release), as for paths.
    pub(crate) fn append_arc(
        &mut self,
        file_id: u32,
        from: i32,
        to: i32,
    ) -> Result<(), AppendError> {
        self.make_room(16)?;
        let (head, body) = format::arc_words(file_id, from, to);
        self.store(self.cursor + 8, body, Ordering::Relaxed);
        self.store(self.cursor, head, Ordering::Release);
        self.cursor += 16;
        Ok(())
    }

    /// Appends a path record: body first, header word last (Release), so a reader that sees
    /// the header also sees the whole body, even if this process dies in between.
    pub(crate) fn append_path(&mut self, file_id: u32, path: &str) -> Result<(), AppendError> {
        let bytes = path.as_bytes();
        // Callers keep paths under MAX_PATH_LEN, so the length fits the u32 field.
        let len = u32::try_from(bytes.len()).map_err(|_| AppendError::Full)?;
        let size = format::path_record_size(bytes.len());
        self.make_room(size)?;
        for (i, word) in format::path_body(file_id, bytes).into_iter().enumerate() {
            self.store(self.cursor + 8 + i * 8, word, Ordering::Relaxed);
        }
        self.store(
            self.cursor,
            format::path_word(file_id, len),
            Ordering::Release,
        );
        self.cursor += size;
        Ok(())
    }

    /// Appends a context record, laid out and stored as a path record is.
    pub(crate) fn append_context(
        &mut self,
        context_id: u32,
        label: &str,
    ) -> Result<(), AppendError> {
        let bytes = label.as_bytes();
        // Callers keep labels under MAX_LABEL_LEN, so the length fits the u32 field.
        let len = u32::try_from(bytes.len()).map_err(|_| AppendError::Full)?;
        let size = format::path_record_size(bytes.len());
        self.make_room(size)?;
        for (i, word) in format::context_body(context_id, bytes)
            .into_iter()
            .enumerate()
        {
            self.store(self.cursor + 8 + i * 8, word, Ordering::Relaxed);
        }
        self.store(
            self.cursor,
            format::context_word(context_id, len),
            Ordering::Release,
        );
        self.cursor += size;
        Ok(())
    }

    /// msync of the reserved part: durability against an OS crash (process death needs none).
    pub(crate) fn flush(&self) -> io::Result<()> {
        self.map.flush_range(0, self.reserved)
    }

    /// Makes sure `bytes` more bytes at the cursor are reserved, growing the file if needed.
    fn make_room(&mut self, bytes: usize) -> Result<(), AppendError> {
        let end = self.cursor + bytes;
        if end > self.max {
            return Err(AppendError::Full);
        }
        if end <= self.reserved {
            return Ok(());
        }
        let mut target = self.reserved.max(8);
        while target < end {
            target = target.saturating_mul(2);
        }
        let target = target.min(self.max);
        reserve(&self.file, target).map_err(AppendError::NoSpace)?;
        if !self.map_past_end {
            // `&mut self`: no store is in flight while the old mapping goes away.
            self.map = map_file(&self.file, target).map_err(AppendError::NoSpace)?;
        }
        self.reserved = target;
        Ok(())
    }

    /// Stores one little-endian word at byte `offset` of the mapping.
    fn store(&self, offset: usize, word: u64, order: Ordering) {
        if !offset.is_multiple_of(8) || offset + 8 > self.reserved.min(self.map.len()) {
            // Unreachable by construction; refusing beats a SIGBUS inside the user's process.
            return;
        }
        // SAFETY: the mapping is page-aligned and `offset` is a multiple of 8, so the pointer is
        // aligned for AtomicU64; `offset + 8` is at most both `map.len()` and `reserved`, so it is
        // inside the mapping, and below the reserved (allocated) file length, so the page is
        // backed and the store cannot fault. The mapping lives as long as `self`. Within this
        // process the memory is only ever accessed through atomics; other processes read it via
        // read(2).
        let cell = unsafe { &*self.map.as_ptr().add(offset).cast::<AtomicU64>() };
        cell.store(word.to_le(), order);
    }
}

/// Maps the first `len` bytes of `file`, shared and writable.
fn map_file(file: &File, len: usize) -> io::Result<MmapRaw> {
    MmapOptions::new().len(len).map_raw(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_renames_and_reserves() {
        let dir = tempfile::tempdir().unwrap();
        let mut shard = OpenShard::create(dir.path(), Limits::default()).unwrap();
        assert!(shard.path().exists());
        assert_eq!(
            fs::metadata(shard.path()).unwrap().len(),
            Limits::default().initial as u64
        );
        shard.append_path(0, "a.py").unwrap();
        shard.append_line(0, 1).unwrap();
        // Only the shard itself is left in the directory (no temp file).
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn grows_by_doubling_then_reports_full() {
        let dir = tempfile::tempdir().unwrap();
        let limits = Limits {
            initial: 128,
            max: 512,
            ..Limits::default()
        };
        let mut shard = OpenShard::create(dir.path(), limits).unwrap();
        let mut appended = 0;
        loop {
            match shard.append_line(1, appended) {
                Ok(()) => appended += 1,
                Err(AppendError::Full) => break,
                Err(AppendError::NoSpace(e)) => panic!("{e}"),
            }
        }
        assert_eq!(appended as usize, (512 - HEADER_SIZE) / 8);
        assert_eq!(fs::metadata(shard.path()).unwrap().len(), 512);
    }

    #[test]
    fn grows_by_mapping_again_where_a_mapping_cannot_pass_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let limits = Limits {
            initial: 128,
            max: 64 << 10,
            map_past_end: false,
            ..Limits::default()
        };
        let mut shard = OpenShard::create(dir.path(), limits).unwrap();
        assert_eq!(shard.map.len(), 128);
        shard.append_path(0, "a.py").unwrap();
        for line in 0..2000 {
            shard.append_line(0, line).unwrap();
        }
        // Each growth mapped exactly what was reserved, and every store landed in the file.
        assert_eq!(shard.map.len(), shard.reserved);
        let contents = crate::read_shard(shard.path()).unwrap();
        assert_eq!(contents.torn_tail, None);
        assert_eq!(contents.files[0].lines, (0..2000).collect::<Vec<u32>>());
    }
}
