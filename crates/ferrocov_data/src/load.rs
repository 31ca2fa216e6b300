//! Reading one combine input (a shard or a coverage.py data file) into line data, with what
//! it takes to spot duplicates. Runs on many inputs at once, so it reports into its result
//! rather than into the shared report.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::{self, File, TryLockError};
use std::io::Read;
use std::path::Path;

use ferrocov_shard::parse_shard_bits;

use crate::input_lines::InputLines;
use crate::inputs::{Input, InputKind};
use crate::read::read_line_bits;

/// One input, read successfully.
pub(crate) struct Loaded {
    pub(crate) lines: InputLines,
    pub(crate) key: DuplicateKey,
    /// False for shards whose writer is still alive.
    pub(crate) deletable: bool,
    /// Messages for `--debug=combine` (empty unless asked for).
    pub(crate) notes: Vec<String>,
}

/// What makes two inputs duplicates of each other.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum DuplicateKey {
    /// coverage.py's hash of the data, from the `.H<hash>h` end of a parallel file's name:
    /// coverage.py skips a file whose name carries a hash it has already combined.
    NameHash(String),
    /// A length and a fast hash: of a whole data file, or of a shard's header with the length
    /// of its log. Equal keys are only candidates: the files are compared byte for byte before
    /// one is skipped (see [`same_bytes`]).
    Bytes { len: u64, hash: u64 },
}

/// Reads one input; an error is the reason the input can't be used (it is then kept).
pub(crate) fn load(input: &Input, debug: bool) -> Result<Loaded, String> {
    match input.kind {
        InputKind::Shard => load_shard(&input.path, debug),
        InputKind::DataFile => load_data_file(&input.path).map_err(|e| e.to_string()),
    }
}

fn load_data_file(path: &Path) -> Result<Loaded, crate::DataError> {
    let key = match name_hash(path) {
        Some(hash) => DuplicateKey::NameHash(hash.to_owned()),
        None => {
            let bytes = fs::read(path).map_err(|e| crate::DataError::io(path, e))?;
            bytes_key(&bytes)
        }
    };
    Ok(Loaded {
        lines: read_line_bits(path)?,
        key,
        deletable: true,
        notes: Vec::new(),
    })
}

fn load_shard(path: &Path, debug: bool) -> Result<Loaded, String> {
    let mut file = File::open(path).map_err(|e| e.to_string())?;
    // A writer holds a shared lock for its whole life. If we can take the exclusive lock,
    // every writer of this shard is gone, so what we read now is final and safe to delete.
    let live = match file.try_lock() {
        Ok(()) => false,
        Err(TryLockError::WouldBlock) => true,
        Err(TryLockError::Error(e)) => return Err(format!("couldn't lock: {e}")),
    };
    with_buffer(|bytes| {
        file.read_to_end(bytes).map_err(|e| e.to_string())?;
        let contents = parse_shard_bits(path, bytes).map_err(|e| e.to_string())?;
        let mut notes = Vec::new();
        if debug {
            if let Some(torn) = &contents.torn_tail {
                // Expected after a crash mid-write; the valid prefix is used. Not a warning.
                notes.push(format!("Shard {} has a torn tail: {torn}", path.display()));
            }
            if live {
                notes.push(format!(
                    "Shard {} is still being written (pid {}): combined but kept",
                    path.display(),
                    contents.pid
                ));
            }
        }
        let mut lines = InputLines::default();
        lines.has_arcs = contents.arcs;
        // A path comes once per context it ran in; the input lists it once.
        let mut indexes: HashMap<&str, usize> = HashMap::new();
        for file in &contents.files {
            let index = *indexes
                .entry(file.path)
                .or_insert_with(|| lines.add_file(file.path));
            if contents.arcs {
                lines.add_arcs(index, file.context, &file.arcs);
            } else {
                lines.add_lines(index, file.context, &file.line_bits);
            }
        }
        // The header names the process and the microsecond the shard was created: with the
        // length of the log, that sets a shard apart from all but its copies, without hashing
        // the whole log. Equal keys are compared byte for byte before one is skipped.
        let header = &bytes[..SHARD_HEADER.min(bytes.len())];
        let key = DuplicateKey::Bytes {
            len: contents.log_end as u64,
            hash: fast_hash(header),
        };
        Ok(Loaded {
            lines,
            key,
            deletable: !live,
            notes,
        })
    })
}

/// Runs `work` with this thread's read buffer, emptied. Shards are mostly reserved space
/// (64 KiB and up), and a fresh buffer for each would have the kernel zero new pages for every
/// one of them.
fn with_buffer<R>(work: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    /// Larger buffers are given back after use rather than held for the thread's lifetime.
    const KEEP: usize = 1 << 20;
    BUFFER.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        buffer.clear();
        let result = work(&mut buffer);
        if buffer.capacity() > KEEP {
            *buffer = Vec::new();
        }
        result
    })
}

/// The bytes of a shard's header that identify it (magic, version, pid, creation time).
const SHARD_HEADER: usize = 32;

/// The hash coverage.py (7.13.1 and later) puts at the end of a parallel data file's name:
/// `<base>.<host>.pid<pid>.X<6 random>x.H<10 hash>h`, the whole suffix as coverage.py's own
/// pattern requires it (so another file that merely ends in `.H...h` is not taken for one).
pub(crate) fn name_hash(path: &Path) -> Option<&str> {
    let name = path.file_name()?.to_str()?;
    let mut parts = name.rsplit('.');
    let hash = parts.next()?.strip_prefix('H')?.strip_suffix('h')?;
    let random = parts.next()?.strip_prefix('X')?.strip_suffix('x')?;
    let pid = parts.next()?.strip_prefix("pid")?;
    let host = parts.next()?;
    let word = |s: &str, len: usize| s.chars().count() == len && s.chars().all(is_word_char);
    let digits = !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit());
    (word(hash, 10) && word(random, 6) && digits && !host.is_empty()).then_some(hash)
}

/// Python's `\w`, which coverage.py's pattern uses.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn bytes_key(bytes: &[u8]) -> DuplicateKey {
    DuplicateKey::Bytes {
        len: bytes.len() as u64,
        hash: fast_hash(bytes),
    }
}

/// A quick 64-bit hash of whole words. Only a filter: equal hashes are confirmed with
/// [`same_bytes`], so its quality decides how often that happens, never what is skipped.
fn fast_hash(bytes: &[u8]) -> u64 {
    const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;
    let mix = |hash: u64, word: u64| (hash ^ word).wrapping_mul(MULTIPLIER).rotate_left(29);
    let mut chunks = bytes.chunks_exact(8);
    let mut hash = 0x243f_6a88_85a3_08d3;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = mix(hash, u64::from_le_bytes(word));
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    hash = mix(hash, u64::from_le_bytes(tail));
    mix(hash, bytes.len() as u64)
}

/// Whether two files hold the same bytes now. Any error counts as "no": the input is then
/// combined, which is always safe.
pub(crate) fn same_bytes(a: &Path, b: &Path) -> bool {
    match (fs::read(a), fs::read(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_hash_follows_coverage_py_suffix_pattern() {
        let hash = |name: &str| name_hash(Path::new(name)).map(str::to_owned);
        assert_eq!(
            hash(".coverage.Neds-MacBook-Pro.pid88335.XSpwmKEx.HFOd8LCkdg8h").as_deref(),
            Some("FOd8LCkdg8")
        );
        assert_eq!(
            hash("/d/x.db.vm.pid1.XAbc_12x.H0123456789h").as_deref(),
            Some("0123456789")
        );
        for plain in [
            ".coverage.Neds-MacBook-Pro.pid88335.XSpwmKEx",
            ".coverage.host.pid12.XabcdeFx.Hshorth",
            ".coverage.host.12.XSpwmKEx.HFOd8LCkdg8h",
            ".coverage.host.pid12.XSpwmKE.HFOd8LCkdg8h",
            "pid1.XSpwmKEx.HFOd8LCkdg8h",
            ".coverage.my.data.H0123456789h",
        ] {
            assert_eq!(hash(plain), None, "{plain}");
        }
    }

    #[test]
    fn fast_hash_sees_every_byte_and_the_length() {
        let base = vec![7u8; 100];
        let mut seen = std::collections::HashSet::new();
        assert!(seen.insert(fast_hash(&base)));
        for at in [0, 7, 8, 63, 95, 99] {
            let mut changed = base.clone();
            changed[at] ^= 1;
            assert!(seen.insert(fast_hash(&changed)), "byte {at}");
        }
        assert!(seen.insert(fast_hash(&base[..99])));
        assert!(seen.insert(fast_hash(&[0u8; 8])));
        assert!(seen.insert(fast_hash(&[0u8; 16])));
    }
}
