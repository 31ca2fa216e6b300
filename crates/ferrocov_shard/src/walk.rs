//! The record walk: decoding a shard's log into a line set per file and context, stopping at
//! the first record that can't be trusted.

use std::collections::HashMap;

use crate::format::{self, MAX_LABEL_LEN, MAX_PATH_LEN, RecordWord};

pub(crate) fn word_at(bytes: &[u8], offset: usize) -> Option<u64> {
    let slice = bytes.get(offset..offset.checked_add(8)?)?;
    Some(u64::from_le_bytes(slice.try_into().ok()?))
}

/// The walk's state. A shard holds thousands of line records for a few hundred files, and
/// runs of consecutive records usually name the same file: a line record whose kind and id
/// (its top 32 bits) match the previous line record's goes straight to that file's bitset.
/// Paths are borrowed from the shard's bytes.
pub(crate) struct Walk<'a> {
    ids: FileIds,
    /// The path of each distinct file id, in first-seen order, and the context its path record
    /// was read in.
    pub(crate) paths: Vec<(&'a str, usize)>,
    /// Context labels by index (index 0 is `""`).
    pub(crate) labels: Vec<&'a str>,
    /// Context id -> index into `labels`.
    context_ids: HashMap<u32, usize>,
    /// Label -> index into `labels`.
    label_index: HashMap<&'a str, usize>,
    /// The current context's index into `labels`.
    context: usize,
    /// Bumped at each context record: `current` entries of an older epoch are stale.
    epoch: u32,
    /// Per index of `paths`: (epoch, index into `entries`) of its entry in the current context.
    current: Vec<(u32, usize)>,
    /// (path index, context index) -> index into `entries`, for contexts met again.
    entry_ids: HashMap<(usize, usize), usize>,
    /// (index into `paths`, index into `labels`, lines, arcs in log order, not deduplicated)
    /// per file and context that has records, in first-seen order.
    pub(crate) entries: Vec<Entry>,
    /// The shard is an arc shard: line records are out of place, and arc records in a line
    /// shard.
    pub(crate) arc_shard: bool,
    /// Top 32 bits of the last line record of a known file (never matches at first: a
    /// shifted word is below 2^32), and that file's index.
    last_key: u64,
    last_index: usize,
    torn: Option<String>,
    orphan_lines: usize,
    first_orphan: Option<usize>,
}

impl Default for Walk<'_> {
    fn default() -> Self {
        Walk {
            ids: FileIds::default(),
            paths: Vec::new(),
            labels: vec![""],
            context_ids: HashMap::from([(0, 0)]),
            label_index: HashMap::from([("", 0)]),
            context: 0,
            epoch: 0,
            current: Vec::new(),
            entry_ids: HashMap::new(),
            entries: Vec::new(),
            arc_shard: false,
            last_key: u64::MAX,
            last_index: 0,
            torn: None,
            orphan_lines: 0,
            first_orphan: None,
        }
    }
}

/// One file in one context: what the walk collects.
pub(crate) struct Entry {
    pub(crate) path: usize,
    pub(crate) context: usize,
    pub(crate) lines: LineSet,
    pub(crate) arcs: Vec<(i32, i32)>,
}

/// File id -> index into the walk's files. The writer hands ids out 0, 1, 2, ..., so they
/// index a vector; a map holds any id beyond it (only a damaged shard has one).
#[derive(Default)]
struct FileIds {
    small: Vec<Option<usize>>,
    large: HashMap<u32, usize>,
}

/// Ids below this are kept in the vector.
const SMALL_IDS: u32 = 1 << 16;

impl FileIds {
    fn get(&self, id: u32) -> Option<usize> {
        if id < SMALL_IDS {
            self.small.get(id as usize).copied().flatten()
        } else {
            self.large.get(&id).copied()
        }
    }

    fn insert(&mut self, id: u32, index: usize) {
        if id < SMALL_IDS {
            let at = id as usize;
            if at >= self.small.len() {
                self.small.resize(at + 1, None);
            }
            self.small[at] = Some(index);
        } else {
            self.large.insert(id, index);
        }
    }
}

impl<'a> Walk<'a> {
    /// Walks the records from `start`; returns the offset where the usable log ends.
    pub(crate) fn run(&mut self, bytes: &'a [u8], start: usize) -> usize {
        let mut offset = start;
        while let Some(word) = word_at(bytes, offset) {
            if word >> 32 == self.last_key {
                offset = self.same_file_run(bytes, offset);
                continue;
            }
            match format::decode_word(word) {
                RecordWord::End => return offset,
                RecordWord::Line { .. } | RecordWord::Arc { .. }
                    if self.arc_shard
                        != matches!(format::decode_word(word), RecordWord::Arc { .. }) =>
                {
                    let (this, shard) = if self.arc_shard {
                        ("line", "an arc")
                    } else {
                        ("arc", "a line")
                    };
                    self.torn = Some(format!(
                        "dropped the log from byte offset {offset} on: {this} record in {shard} shard"
                    ));
                    return offset;
                }
                RecordWord::Arc { file_id, from } => {
                    let Some(to) = word_at(bytes, offset + 8).and_then(format::arc_to) else {
                        self.torn = Some(format!(
                            "dropped the log from byte offset {offset} on: incomplete arc record"
                        ));
                        return offset;
                    };
                    match self.ids.get(file_id) {
                        Some(index) => {
                            let entry = self.entry(index);
                            self.entries[entry].arcs.push((from, to));
                        }
                        None => {
                            self.orphan_lines += 1;
                            self.first_orphan.get_or_insert(offset);
                        }
                    }
                    offset += 16;
                }
                RecordWord::Line { file_id, line } => {
                    match self.ids.get(file_id) {
                        Some(index) => {
                            let entry = self.entry(index);
                            self.entries[entry].lines.insert(line);
                            self.last_key = word >> 32;
                            self.last_index = entry;
                        }
                        None => {
                            self.orphan_lines += 1;
                            self.first_orphan.get_or_insert(offset);
                        }
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
                            return offset;
                        }
                    }
                }
                RecordWord::Context { context_id, len } => {
                    match self.context_record(bytes, offset, context_id, len) {
                        Ok(next) => offset = next,
                        Err(reason) => {
                            self.torn = Some(format!(
                                "dropped the log from byte offset {offset} on: {reason}"
                            ));
                            return offset;
                        }
                    }
                }
                RecordWord::Unknown { kind } => {
                    self.torn = Some(format!(
                        "dropped the log from byte offset {offset} on: unknown record kind {kind}"
                    ));
                    return offset;
                }
            }
        }
        // Ran off the end without a zero word: the file ends exactly at a record (fine).
        offset
    }

    /// Adds the line records from `offset` on that name the same file as the last one (most of
    /// a shard's records); returns the offset of the first record that does not.
    fn same_file_run(&mut self, bytes: &[u8], mut offset: usize) -> usize {
        let key = self.last_key;
        let lines = &mut self.entries[self.last_index].lines;
        for record in bytes[offset..].chunks_exact(8) {
            let word = u64::from_le_bytes(record.try_into().expect("chunks of 8 bytes"));
            if word >> 32 != key {
                break;
            }
            // Truncation is the point: the low 32 bits are the line.
            lines.insert(word as u32);
            offset += 8;
        }
        offset
    }

    /// Validates the path record at `offset`; returns the offset after it.
    fn path_record(
        &mut self,
        bytes: &'a [u8],
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
        match self.ids.get(file_id) {
            Some(index) if self.paths[index].0 != path => {
                let existing = self.paths[index].0;
                return Err(format!(
                    "file id {file_id} redefined from {existing:?} to {path:?}"
                ));
            }
            Some(_) => {}
            None => {
                self.ids.insert(file_id, self.paths.len());
                self.paths.push((path, self.context));
                self.current.push((u32::MAX, 0));
            }
        }
        Ok(end)
    }

    /// The index into `entries` of path `index` in the current context, created on first need.
    fn entry(&mut self, index: usize) -> usize {
        let (epoch, entry) = self.current[index];
        if epoch == self.epoch {
            return entry;
        }
        let key = (index, self.context);
        let entry = match self.entry_ids.get(&key) {
            Some(&entry) => entry,
            None => {
                self.entries.push(Entry {
                    path: index,
                    context: self.context,
                    lines: LineSet::default(),
                    arcs: Vec::new(),
                });
                self.entry_ids.insert(key, self.entries.len() - 1);
                self.entries.len() - 1
            }
        };
        self.current[index] = (self.epoch, entry);
        entry
    }

    /// Validates the context record at `offset` and makes its context the current one; returns
    /// the offset after it.
    fn context_record(
        &mut self,
        bytes: &'a [u8],
        offset: usize,
        context_id: u32,
        len: u32,
    ) -> Result<usize, String> {
        let len = len as usize;
        if len > MAX_LABEL_LEN {
            return Err(format!("context record claims {len} bytes of label"));
        }
        let size = format::path_record_size(len);
        let end = offset + size;
        if end > bytes.len() {
            return Err(format!(
                "context record of {size} bytes runs past the end of the file ({} bytes)",
                bytes.len()
            ));
        }
        let stored_sum = word_at(bytes, offset + 8).unwrap_or(0);
        let label_bytes = &bytes[offset + 16..offset + 16 + len];
        if stored_sum != format::context_checksum(context_id, label_bytes) {
            return Err("context record checksum mismatch".to_owned());
        }
        let label = std::str::from_utf8(label_bytes)
            .map_err(|_| "context record is not valid UTF-8".to_owned())?;
        let index = match self.context_ids.get(&context_id) {
            Some(&index) if self.labels[index] != label => {
                let existing = self.labels[index];
                return Err(format!(
                    "context id {context_id} redefined from {existing:?} to {label:?}"
                ));
            }
            Some(&index) => index,
            None => {
                // Two ids with one label (only a damaged shard has them) share an index.
                let index = *self.label_index.entry(label).or_insert_with(|| {
                    self.labels.push(label);
                    self.labels.len() - 1
                });
                self.context_ids.insert(context_id, index);
                index
            }
        };
        if index != self.context {
            self.context = index;
            self.epoch = self.epoch.wrapping_add(1);
            // The same-file fast path must look the entry up again.
            self.last_key = u64::MAX;
        }
        Ok(end)
    }

    /// What was dropped, if anything: the torn tail and line records naming unknown ids.
    pub(crate) fn torn_tail(&mut self) -> Option<String> {
        let torn = self.torn.take();
        let Some(first) = self.first_orphan else {
            return torn;
        };
        let note = format!(
            "dropped {} line or arc record(s) naming unknown file ids (first at byte offset {first})",
            self.orphan_lines
        );
        Some(match torn {
            Some(torn) => format!("{torn}; {note}"),
            None => note,
        })
    }
}

/// Lines below this are kept as bits (128 KiB at most per file); any beyond, which no real
/// source file reaches, in a list, so a damaged record can't make the reader allocate
/// hundreds of megabytes.
const DENSE_LINES: u32 = 1 << 20;

/// The lines of one file: a bitset of 64-bit words, plus a list for lines beyond the bitset.
#[derive(Debug, Clone, Default)]
pub(crate) struct LineSet {
    words: Vec<u64>,
    beyond: Vec<u32>,
}

impl LineSet {
    fn insert(&mut self, line: u32) {
        if line >= DENSE_LINES {
            self.beyond.push(line);
            return;
        }
        let word = (line / 64) as usize;
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        self.words[word] |= 1 << (line % 64);
    }

    /// The lines, sorted and unique.
    pub(crate) fn sorted_lines(mut self) -> Vec<u32> {
        let mut lines = Vec::new();
        for (index, &word) in self.words.iter().enumerate() {
            let mut rest = word;
            while rest != 0 {
                lines.push(index as u32 * 64 + rest.trailing_zeros());
                rest &= rest - 1;
            }
        }
        self.beyond.sort_unstable();
        self.beyond.dedup();
        lines.extend(self.beyond);
        lines
    }

    /// The lines as bytes, bit `n % 8` of byte `n / 8` for line `n`, no trailing zero bytes.
    pub(crate) fn into_bits(self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.words.len() * 8);
        for word in &self.words {
            bytes.extend_from_slice(&word.to_le_bytes());
        }
        while bytes.last() == Some(&0) {
            bytes.pop();
        }
        for line in self.beyond {
            let index = (line / 8) as usize;
            if index >= bytes.len() {
                bytes.resize(index + 1, 0);
            }
            bytes[index] |= 1 << (line % 8);
        }
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_set_as_lines_and_bits() {
        let mut set = LineSet::default();
        for line in [
            64,
            3,
            0,
            63,
            3,
            DENSE_LINES + 9,
            DENSE_LINES - 1,
            DENSE_LINES + 9,
        ] {
            set.insert(line);
        }
        let bits = set.clone().into_bits();
        let lines = set.sorted_lines();
        assert_eq!(lines, [0, 3, 63, 64, DENSE_LINES - 1, DENSE_LINES + 9]);
        assert_eq!(bits.len(), ((DENSE_LINES + 9) / 8 + 1) as usize);
        let from_bits: Vec<u32> = (0..bits.len() as u32 * 8)
            .filter(|&n| bits[(n / 8) as usize] & (1 << (n % 8)) != 0)
            .collect();
        assert_eq!(from_bits, lines);
        assert_eq!(LineSet::default().into_bits(), Vec::<u8>::new());
        let mut small = LineSet::default();
        small.insert(9);
        assert_eq!(small.into_bits(), vec![0, 0x02]);
    }
}
