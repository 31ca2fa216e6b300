//! Reading shards back: header validation, the decoded forms (sorted line lists for reports
//! and tests, bitsets for combining), listing.
//!
//! A reader never panics on any input. A bad header is an error (the file is not usable);
//! a bad record ends the walk: everything before it is kept and `torn_tail` says what was
//! dropped and where. A shard of a live writer is readable too (its log just ends earlier).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::ShardError;
use crate::format::{FLAG_ARCS, FORMAT_VERSION, MAGIC, MIN_HEADER_SIZE, SHARD_EXTENSION};
use crate::walk::{Entry, LineSet, Walk, word_at};

/// Everything a shard holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardContents {
    /// The process that created the shard.
    pub pid: u32,
    /// Creation time, microseconds since the Unix epoch.
    pub created_micros: u64,
    /// An arc shard (branch measurement): its files have arcs, and no lines of their own.
    pub arcs: bool,
    /// Measured files, sorted by path.
    pub files: Vec<ShardFile>,
    /// Set when part of the log was unusable (torn by a crash, or corrupt): what was dropped
    /// and at which byte offset. The rest of the contents is still valid.
    pub torn_tail: Option<String>,
}

/// One measured file of a shard, in one measurement context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardFile {
    pub path: String,
    /// The context its lines and arcs were recorded in (`""`: the default context). A file
    /// measured in several contexts is listed once per context; a file with no records at
    /// all, once, in the context its path was written in.
    pub context: String,
    /// Lines executed, sorted and unique (empty in an arc shard).
    pub lines: Vec<u32>,
    /// Arcs taken, sorted and unique (empty in a line shard).
    pub arcs: Vec<(i32, i32)>,
}

/// A shard's lines as bitsets, for uniting many shards quickly (what `combine` reads): no
/// sorting, no line lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardBits<'a> {
    /// The process that created the shard.
    pub pid: u32,
    /// Creation time, microseconds since the Unix epoch.
    pub created_micros: u64,
    /// An arc shard, as in [`ShardContents`].
    pub arcs: bool,
    /// Measured files, per context, in the order the log first has records of them (files
    /// with no records last). A path appears once per context it has records in (a damaged
    /// shard may name one path under two ids, so even twice in one context: unite them).
    pub files: Vec<ShardFileBits<'a>>,
    /// As in [`ShardContents`].
    pub torn_tail: Option<String>,
    /// Where the records that were read end: what follows is reserved space (zeros) or the
    /// dropped part of a torn log.
    pub log_end: usize,
}

/// One measured file of a shard, as a bitset; the path is borrowed from the shard's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardFileBits<'a> {
    pub path: &'a str,
    /// The measurement context, as in [`ShardFile`].
    pub context: &'a str,
    /// Bit `n % 8` of byte `n / 8` is set when line `n` ran (the layout of coverage.py's
    /// numbits); no trailing zero bytes.
    pub line_bits: Vec<u8>,
    /// Arcs taken, in log order, possibly repeated (empty in a line shard).
    pub arcs: Vec<(i32, i32)>,
}

/// A file's arcs while a shard is decoded.
type ArcSet = BTreeSet<(i32, i32)>;

/// Reads and decodes the shard at `path`.
pub fn read_shard(path: &Path) -> Result<ShardContents, ShardError> {
    let bytes = fs::read(path).map_err(|e| ShardError::io(path, e))?;
    parse_shard(path, &bytes)
}

/// Decodes shard bytes already read from `path` (`path` only names the file in messages).
pub fn parse_shard(path: &Path, bytes: &[u8]) -> Result<ShardContents, ShardError> {
    let header = parse_header(path, bytes)?;
    let mut walk = Walk::default();
    walk.arc_shard = header.arcs;
    walk.run(bytes, header.header_size);
    let torn_tail = walk.torn_tail();
    let mut by_path: BTreeMap<(String, String), (Vec<u32>, ArcSet)> = BTreeMap::new();
    for entry in entries_and_touched(&mut walk) {
        let key = (
            walk.paths[entry.path].0.to_owned(),
            walk.labels[entry.context].to_owned(),
        );
        let slot = by_path.entry(key).or_default();
        slot.0.extend(entry.lines.sorted_lines());
        slot.1.extend(entry.arcs);
    }
    Ok(ShardContents {
        pid: header.pid,
        created_micros: header.created_micros,
        arcs: header.arcs,
        files: by_path
            .into_iter()
            .map(|((path, context), (mut lines, arcs))| {
                // Sorted already unless one path came under two ids.
                if !lines.is_sorted_by(|a, b| a < b) {
                    lines.sort_unstable();
                    lines.dedup();
                }
                ShardFile {
                    path,
                    context,
                    lines,
                    arcs: arcs.into_iter().collect(),
                }
            })
            .collect(),
        torn_tail,
    })
}

/// Decodes shard bytes already read from `path` into bitsets (see [`ShardBits`]). Accepts and
/// rejects exactly what [`parse_shard`] does.
pub fn parse_shard_bits<'a>(path: &Path, bytes: &'a [u8]) -> Result<ShardBits<'a>, ShardError> {
    let header = parse_header(path, bytes)?;
    let mut walk = Walk::default();
    walk.arc_shard = header.arcs;
    let log_end = walk.run(bytes, header.header_size);
    let torn_tail = walk.torn_tail();
    let files = entries_and_touched(&mut walk)
        .into_iter()
        .map(|entry| ShardFileBits {
            path: walk.paths[entry.path].0,
            context: walk.labels[entry.context],
            line_bits: entry.lines.into_bits(),
            arcs: entry.arcs,
        })
        .collect();
    Ok(ShardBits {
        pid: header.pid,
        created_micros: header.created_micros,
        arcs: header.arcs,
        files,
        torn_tail,
        log_end,
    })
}

/// The walk's entries, then an empty one for each file that has none (measured, nothing run),
/// in the context its path record was read in.
fn entries_and_touched(walk: &mut Walk<'_>) -> Vec<Entry> {
    let mut has_entry = vec![false; walk.paths.len()];
    for entry in &walk.entries {
        has_entry[entry.path] = true;
    }
    let mut entries = std::mem::take(&mut walk.entries);
    for (index, &(_, context)) in walk.paths.iter().enumerate() {
        if !has_entry[index] {
            entries.push(Entry {
                path: index,
                context,
                lines: LineSet::default(),
                arcs: Vec::new(),
            });
        }
    }
    entries
}

struct ParsedHeader {
    header_size: usize,
    arcs: bool,
    pid: u32,
    created_micros: u64,
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
    let word2 = word_at(bytes, 16).unwrap_or(0);
    let pid = word2 as u32;
    let flags = (word2 >> 32) as u32;
    if flags & !FLAG_ARCS != 0 {
        return Err(bad(format!("unknown header flags {flags:#x}")));
    }
    let created_micros = word_at(bytes, 24).unwrap_or(0);
    Ok(ParsedHeader {
        header_size,
        arcs: flags & FLAG_ARCS != 0,
        pid,
        created_micros,
    })
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
