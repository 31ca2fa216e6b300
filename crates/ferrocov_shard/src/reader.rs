//! Reading shards back: header validation, the record walk, torn-tail recovery, listing.
//!
//! A reader never panics on any input. A bad header is an error (the file is not usable);
//! a bad record ends the walk: everything before it is kept and `torn_tail` says what was
//! dropped and where. A shard of a live writer is readable too (its log just ends earlier).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::ShardError;
use crate::format::{
    self, FORMAT_VERSION, MAGIC, MAX_PATH_LEN, MIN_HEADER_SIZE, RecordWord, SHARD_EXTENSION,
};

/// Everything a shard holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardContents {
    /// The process that created the shard.
    pub pid: u32,
    /// Creation time, microseconds since the Unix epoch.
    pub created_micros: u64,
    /// Measured files, sorted by path.
    pub files: Vec<ShardFile>,
    /// Set when part of the log was unusable (torn by a crash, or corrupt): what was dropped
    /// and at which byte offset. The rest of the contents is still valid.
    pub torn_tail: Option<String>,
}

/// One measured file of a shard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardFile {
    pub path: String,
    /// Lines executed, sorted and unique.
    pub lines: Vec<u32>,
}

/// Reads and decodes the shard at `path`.
pub fn read_shard(path: &Path) -> Result<ShardContents, ShardError> {
    let bytes = fs::read(path).map_err(|e| ShardError::io(path, e))?;
    parse_shard(path, &bytes)
}

/// Decodes shard bytes already read from `path` (`path` only names the file in messages).
pub fn parse_shard(path: &Path, bytes: &[u8]) -> Result<ShardContents, ShardError> {
    let header = parse_header(path, bytes)?;
    let mut walk = Walk::default();
    walk.run(bytes, header.header_size);
    Ok(walk.finish(header.pid, header.created_micros))
}

struct ParsedHeader {
    header_size: usize,
    pid: u32,
    created_micros: u64,
}

fn word_at(bytes: &[u8], offset: usize) -> Option<u64> {
    let slice = bytes.get(offset..offset.checked_add(8)?)?;
    Some(u64::from_le_bytes(slice.try_into().ok()?))
}

fn parse_header(path: &Path, bytes: &[u8]) -> Result<ParsedHeader, ShardError> {
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        return Err(ShardError::NotAShard {
            path: path.to_path_buf(),
        });
    }
    let bad = |reason: String| ShardError::BadHeader {
        path: path.to_path_buf(),
        reason,
    };
    let Some(word1) = word_at(bytes, 8) else {
        return Err(bad(format!(
            "file is {} bytes, too short for a header",
            bytes.len()
        )));
    };
    let version = word1 as u32;
    if version != FORMAT_VERSION {
        return Err(ShardError::UnsupportedVersion {
            path: path.to_path_buf(),
            found: version,
            expected: FORMAT_VERSION,
        });
    }
    let header_size = (word1 >> 32) as usize;
    if header_size < MIN_HEADER_SIZE || !header_size.is_multiple_of(8) {
        return Err(bad(format!("invalid header size {header_size}")));
    }
    if header_size > bytes.len() {
        return Err(bad(format!(
            "header size {header_size} exceeds the file size {}",
            bytes.len()
        )));
    }
    // Both words are inside the checked header size (>= 32).
    let pid = word_at(bytes, 16).unwrap_or(0) as u32;
    let created_micros = word_at(bytes, 24).unwrap_or(0);
    Ok(ParsedHeader {
        header_size,
        pid,
        created_micros,
    })
}

#[derive(Default)]
struct Walk {
    paths: HashMap<u32, String>,
    lines: BTreeMap<u32, BTreeSet<u32>>,
    torn: Option<String>,
    orphan_lines: usize,
    first_orphan: Option<usize>,
}

impl Walk {
    fn run(&mut self, bytes: &[u8], start: usize) {
        let mut offset = start;
        while let Some(word) = word_at(bytes, offset) {
            match format::decode_word(word) {
                RecordWord::End => return,
                RecordWord::Line { file_id, line } => {
                    if self.paths.contains_key(&file_id) {
                        self.lines.entry(file_id).or_default().insert(line);
                    } else {
                        self.orphan_lines += 1;
                        self.first_orphan.get_or_insert(offset);
                    }
                    offset += 8;
                }
                RecordWord::Path { file_id, len } => {
                    match self.path_record(bytes, offset, file_id, len) {
                        Ok(next) => offset = next,
                        Err(reason) => {
                            self.torn = Some(format!(
                                "dropped the log from byte offset {offset} on: {reason}"
                            ));
                            return;
                        }
                    }
                }
                RecordWord::Unknown { kind } => {
                    self.torn = Some(format!(
                        "dropped the log from byte offset {offset} on: unknown record kind {kind}"
                    ));
                    return;
                }
            }
        }
        // Ran off the end without a zero word: the file ends exactly at a record (fine).
    }

    /// Validates the path record at `offset`; returns the offset after it.
    fn path_record(
        &mut self,
        bytes: &[u8],
        offset: usize,
        file_id: u32,
        len: u32,
    ) -> Result<usize, String> {
        let len = len as usize;
        if len > MAX_PATH_LEN {
            return Err(format!("path record claims {len} bytes of path"));
        }
        let size = format::path_record_size(len);
        let end = offset + size;
        if end > bytes.len() {
            return Err(format!(
                "path record of {size} bytes runs past the end of the file ({} bytes)",
                bytes.len()
            ));
        }
        let stored_sum = word_at(bytes, offset + 8).unwrap_or(0);
        let path_bytes = &bytes[offset + 16..offset + 16 + len];
        if stored_sum != format::path_checksum(file_id, path_bytes) {
            return Err("path record checksum mismatch".to_owned());
        }
        let path = std::str::from_utf8(path_bytes)
            .map_err(|_| "path record is not valid UTF-8".to_owned())?;
        match self.paths.get(&file_id) {
            Some(existing) if existing != path => {
                return Err(format!(
                    "file id {file_id} redefined from {existing:?} to {path:?}"
                ));
            }
            Some(_) => {}
            None => {
                self.paths.insert(file_id, path.to_owned());
            }
        }
        Ok(end)
    }

    fn finish(mut self, pid: u32, created_micros: u64) -> ShardContents {
        if let Some(first) = self.first_orphan {
            let note = format!(
                "dropped {} line record(s) naming unknown file ids (first at byte offset {first})",
                self.orphan_lines
            );
            self.torn = Some(match self.torn {
                Some(torn) => format!("{torn}; {note}"),
                None => note,
            });
        }
        // Merge by path: one shard never repeats a path under two ids, but be tolerant.
        let mut by_path: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
        for (id, path) in self.paths {
            let lines = self.lines.remove(&id).unwrap_or_default();
            by_path.entry(path).or_default().extend(lines);
        }
        ShardContents {
            pid,
            created_micros,
            files: by_path
                .into_iter()
                .map(|(path, lines)| ShardFile {
                    path,
                    lines: lines.into_iter().collect(),
                })
                .collect(),
            torn_tail: self.torn,
        }
    }
}

/// The shard files (`*.fcshard`, not hidden) directly in `run_dir`, sorted.
/// A missing directory has no shards (not an error).
pub fn list_shards(run_dir: &Path) -> io::Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(run_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut shards = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Hidden names are shards still being created (see open_shard.rs).
        if name.starts_with('.') {
            continue;
        }
        let is_shard = Path::new(&*name)
            .extension()
            .is_some_and(|ext| ext == SHARD_EXTENSION);
        if is_shard && entry.file_type()?.is_file() {
            shards.push(entry.path());
        }
    }
    shards.sort();
    Ok(shards)
}
