//! The shard file format: layout constants and the encoding of header and record words.
//!
//! # Layout (format version 3)
//!
//! Every multi-byte value is little-endian. The file is a sequence of 8-byte words.
//!
//! ```text
//! offset  size  field
//! 0       8     magic: b"FCSHARD\x1a"
//! 8       4     format version (FORMAT_VERSION)
//! 12      4     header size in bytes (multiple of 8, >= MIN_HEADER_SIZE); records start here
//! 16      4     pid of the process that created the shard
//! 20      4     flags: bit 0 set = an *arc* shard (branch measurement), clear = a *line* shard
//! 24      8     creation time, microseconds since the Unix epoch
//! 32      32    reserved, 0 (written as HEADER_SIZE = 64 so records start cache-line aligned)
//! ```
//!
//! After the header comes an append-only log of records, each starting on an 8-byte boundary.
//! A record starts with one *header word*; its top 4 bits are the record kind:
//!
//! * kind 0: the word is zero. This is the end of the log: the writer reserves (zeroed) space
//!   before it appends, so everything past the last record reads as zero.
//! * kind 1, **line record**: bits 32..60 = file id, bits 0..32 = line number. The whole record
//!   is this one word, stored with a single atomic store, so a reader can never see half of it.
//! * kind 2, **path record**: bits 32..60 = file id, bits 0..32 = path length `n` in bytes.
//!   The header word is followed by a body of `8 + round_up_8(n)` bytes: an 8-byte checksum
//!   ([`path_checksum`] of the id and path), then the UTF-8 path padded with zeros.
//!   The writer stores the body first and the header word last (Release), so a visible header
//!   implies a complete body; a process killed mid-record leaves a zero header = end of log.
//!
//! * kind 3, **arc record** (arc shards only): bits 32..60 = file id, bits 0..32 = the arc's
//!   `from` line as an `i32`. A second word follows: bits 0..32 = the `to` line as an `i32`,
//!   bits 32..64 = [`ARC_BODY_MARK`]. The writer stores the second word first and the header
//!   word last (Release), as for path records. Negative lines are coverage.py's entries and
//!   exits (`-co_firstlineno`).
//!
//! * kind 4, **context record**: bits 32..60 = context id, bits 0..32 = label length `n` in
//!   bytes, then a body laid out as a path record's (checksum from [`context_checksum`], then
//!   the UTF-8 label padded with zeros), stored body first and header word last. The line and
//!   arc records after it, up to the next context record, belong to that context (a *measurement
//!   context*, coverage.py's term: the test that ran the lines). Before the first one, records
//!   belong to context id 0, whose label is always `""` (coverage.py's default context); a
//!   record may name id 0 too, with an empty label. An id keeps its label for the whole shard.
//!   The writer writes one lazily, just before the first record of a context in this shard,
//!   so a context that ran no measured code leaves no trace (as in coverage.py).
//!
//! A shard holds line records or arc records, as its header's flags say, never both: a reader
//! meeting the other kind drops the rest of the log and says so.
//!
//! A path record for an id always precedes the first line or arc record using that id.
//! The same path may appear with different ids in different shards, never in one shard.
//!
//! # Version history
//!
//! * 1: first version (header above, line and path records).
//! * 2: the header's flags say line or arc shard; arc records (kind 3).
//! * 3: context records (kind 4).
//!
//! # When you change this
//!
//! Bump [`FORMAT_VERSION`] (its value lives in `ferrocov_protocol::formats`) for any change an
//! older reader would misread; add a line to the history above; keep `reader.rs` rejecting
//! versions it does not know (it names the file and both versions). Adding fields to the
//! header's reserved words is compatible only if zero keeps meaning "absent". Record kinds
//! 5..15 are free; an old reader stops at an unknown kind and reports the rest of the log as
//! dropped, so a new kind needs a version bump too.

/// Version of the shard format written by this crate and the only one its reader accepts.
pub const FORMAT_VERSION: u32 = ferrocov_protocol::formats::SHARD;

/// File name extension of shard files (without the dot).
pub const SHARD_EXTENSION: &str = "fcshard";

/// First 8 bytes of every shard. The 0x1a byte stops `type`-style dumps on a binary file.
pub const MAGIC: [u8; 8] = *b"FCSHARD\x1a";

/// Header size written by this version (bytes). Readers honour the size stored in the file.
pub const HEADER_SIZE: usize = 64;

/// Smallest header a reader accepts: everything up to and including the creation time.
pub const MIN_HEADER_SIZE: usize = 32;

/// Record kinds (top 4 bits of a record's first word).
pub const KIND_LINE: u64 = 1;
/// See [`KIND_LINE`].
pub const KIND_PATH: u64 = 2;
/// See [`KIND_LINE`].
pub const KIND_ARC: u64 = 3;

/// See [`KIND_LINE`].
pub const KIND_CONTEXT: u64 = 4;

/// The top 32 bits of an arc record's second word: never zero (a torn record can't pass), and
/// with a top nibble no record kind uses.
pub const ARC_BODY_MARK: u32 = 0xF0A7_C0DE;

/// Header flag: the shard holds arcs.
pub const FLAG_ARCS: u32 = 1;

/// File ids fit in 28 bits of a record word.
pub const MAX_FILE_ID: u32 = (1 << 28) - 1;

/// Context ids fit in the same 28 bits.
pub const MAX_CONTEXT_ID: u32 = MAX_FILE_ID;

/// Longest path a path record may hold. Far above any real path; bounds the reader's work.
pub const MAX_PATH_LEN: usize = 1 << 20;

/// Longest context label a context record may hold (a test id is far shorter).
pub const MAX_LABEL_LEN: usize = 1 << 16;

const KIND_SHIFT: u32 = 60;
const ID_SHIFT: u32 = 32;
const ID_MASK: u64 = (1 << 28) - 1;

/// The fields of a shard header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub version: u32,
    pub header_size: u32,
    pub pid: u32,
    /// [`FLAG_ARCS`] or 0.
    pub flags: u32,
    pub created_micros: u64,
}

impl Header {
    /// The header words this version writes (`HEADER_SIZE / 8` of them).
    pub fn encode(&self) -> [u64; HEADER_SIZE / 8] {
        let mut words = [0u64; HEADER_SIZE / 8];
        words[0] = u64::from_le_bytes(MAGIC);
        words[1] = u64::from(self.version) | (u64::from(self.header_size) << 32);
        words[2] = u64::from(self.pid) | (u64::from(self.flags) << 32);
        words[3] = self.created_micros;
        words
    }
}

/// One decoded record header word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordWord {
    /// End of the log.
    End,
    Line {
        file_id: u32,
        line: u32,
    },
    Path {
        file_id: u32,
        len: u32,
    },
    /// The header word of an arc record (its `to` is in the next word).
    Arc {
        file_id: u32,
        from: i32,
    },
    /// The header word of a context record (its body follows).
    Context {
        context_id: u32,
        len: u32,
    },
    Unknown {
        kind: u64,
    },
}

/// Encodes a line record. `file_id` must be <= [`MAX_FILE_ID`].
pub fn line_word(file_id: u32, line: u32) -> u64 {
    (KIND_LINE << KIND_SHIFT) | ((u64::from(file_id) & ID_MASK) << ID_SHIFT) | u64::from(line)
}

/// Encodes a path record's header word. `file_id` must be <= [`MAX_FILE_ID`].
pub fn path_word(file_id: u32, len: u32) -> u64 {
    (KIND_PATH << KIND_SHIFT) | ((u64::from(file_id) & ID_MASK) << ID_SHIFT) | u64::from(len)
}

/// Encodes a context record's header word. `context_id` must be <= [`MAX_CONTEXT_ID`].
pub fn context_word(context_id: u32, len: u32) -> u64 {
    (KIND_CONTEXT << KIND_SHIFT) | ((u64::from(context_id) & ID_MASK) << ID_SHIFT) | u64::from(len)
}

/// Encodes an arc record: its header word and its second word. `file_id` must be <=
/// [`MAX_FILE_ID`].
pub fn arc_words(file_id: u32, from: i32, to: i32) -> (u64, u64) {
    (
        (KIND_ARC << KIND_SHIFT)
            | ((u64::from(file_id) & ID_MASK) << ID_SHIFT)
            | u64::from(from as u32),
        (u64::from(ARC_BODY_MARK) << 32) | u64::from(to as u32),
    )
}

/// The `to` line of an arc record's second word, or None when the word is not one.
pub fn arc_to(word: u64) -> Option<i32> {
    ((word >> 32) as u32 == ARC_BODY_MARK).then_some(word as u32 as i32)
}

/// Decodes a record header word.
pub fn decode_word(word: u64) -> RecordWord {
    if word == 0 {
        return RecordWord::End;
    }
    let kind = word >> KIND_SHIFT;
    // Truncation is the point: the id and the low field are bit ranges of the word.
    let file_id = ((word >> ID_SHIFT) & ID_MASK) as u32;
    let low = word as u32;
    match kind {
        KIND_LINE => RecordWord::Line { file_id, line: low },
        KIND_PATH => RecordWord::Path { file_id, len: low },
        KIND_ARC => RecordWord::Arc {
            file_id,
            from: low as i32,
        },
        KIND_CONTEXT => RecordWord::Context {
            context_id: file_id,
            len: low,
        },
        _ => RecordWord::Unknown { kind },
    }
}

/// Number of bytes a path record of `path_len` bytes occupies, header word included.
pub fn path_record_size(path_len: usize) -> usize {
    8 + 8 + path_len.div_ceil(8) * 8
}

/// Checksum of a path record: FNV-1a (64-bit) over the id (LE) then the path bytes.
/// It only has to catch garbage, not adversaries, and must be stable across builds,
/// so it is spelled out here rather than borrowed from std's (unspecified) hashers.
pub fn path_checksum(file_id: u32, path: &[u8]) -> u64 {
    fnv1a(&[&file_id.to_le_bytes(), path])
}

/// Checksum of a context record: as [`path_checksum`], over a `"ctx"` prefix, the id (LE) and
/// the label, so a path record's body never passes as a context record's.
pub fn context_checksum(context_id: u32, label: &[u8]) -> u64 {
    fnv1a(&[b"ctx", &context_id.to_le_bytes(), label])
}

fn fnv1a(parts: &[&[u8]]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for &byte in parts.iter().flat_map(|part| part.iter()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    // Never zero, so a body word of zeros can't pass as a valid checksum.
    hash | 1
}

/// The words of a path record's body (checksum, then the path padded with zeros).
pub fn path_body(file_id: u32, path: &[u8]) -> Vec<u64> {
    text_body(path_checksum(file_id, path), path)
}

/// The words of a context record's body (checksum, then the label padded with zeros).
pub fn context_body(context_id: u32, label: &[u8]) -> Vec<u64> {
    text_body(context_checksum(context_id, label), label)
}

fn text_body(checksum: u64, text: &[u8]) -> Vec<u64> {
    let mut body = Vec::with_capacity(1 + text.len().div_ceil(8));
    body.push(checksum);
    for chunk in text.chunks(8) {
        let mut bytes = [0u8; 8];
        bytes[..chunk.len()].copy_from_slice(chunk);
        body.push(u64::from_le_bytes(bytes));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_word_round_trip() {
        for (id, line) in [(0, 0), (1, 1), (MAX_FILE_ID, u32::MAX), (12345, 678)] {
            assert_eq!(
                decode_word(line_word(id, line)),
                RecordWord::Line { file_id: id, line }
            );
            assert_ne!(line_word(id, line), 0);
        }
    }

    #[test]
    fn arc_words_round_trip() {
        for (from, to) in [(1, 2), (-1, 5), (7, -3), (i32::MAX, i32::MIN), (4, 4)] {
            let (head, body) = arc_words(MAX_FILE_ID, from, to);
            assert_eq!(
                decode_word(head),
                RecordWord::Arc {
                    file_id: MAX_FILE_ID,
                    from
                }
            );
            assert_eq!(arc_to(body), Some(to));
            assert_eq!(arc_to(0), None);
        }
    }

    #[test]
    fn path_word_round_trip() {
        assert_eq!(
            decode_word(path_word(MAX_FILE_ID, 17)),
            RecordWord::Path {
                file_id: MAX_FILE_ID,
                len: 17
            }
        );
    }

    #[test]
    fn context_word_round_trip() {
        assert_eq!(
            decode_word(context_word(MAX_CONTEXT_ID, 9)),
            RecordWord::Context {
                context_id: MAX_CONTEXT_ID,
                len: 9
            }
        );
        // The same bytes under the two kinds never share a checksum.
        assert_ne!(path_checksum(1, b"t"), context_checksum(1, b"t"));
        assert_eq!(context_body(1, b"").len(), 1);
    }

    #[test]
    fn unknown_kind_and_end() {
        assert_eq!(decode_word(0), RecordWord::End);
        assert_eq!(decode_word(7 << 60), RecordWord::Unknown { kind: 7 });
    }

    #[test]
    fn path_body_is_padded() {
        let body = path_body(3, b"abcdefghi");
        assert_eq!(body.len(), 3);
        assert_eq!(path_record_size(9), 8 * (1 + body.len()));
        assert_eq!(body[2], u64::from(b'i'));
    }

    #[test]
    fn header_encoding_starts_with_magic() {
        let header = Header {
            version: FORMAT_VERSION,
            header_size: HEADER_SIZE as u32,
            pid: 42,
            flags: FLAG_ARCS,
            created_micros: 7,
        };
        let words = header.encode();
        assert_eq!(words[0].to_le_bytes(), MAGIC);
        assert_eq!(words[1] as u32, FORMAT_VERSION);
        assert_eq!((words[1] >> 32) as u32, HEADER_SIZE as u32);
    }
}
