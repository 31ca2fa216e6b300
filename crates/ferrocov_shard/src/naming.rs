//! Shard file names: `<host with . replaced by _>.<pid>.<8 random alphanumerics>.fcshard`, and
//! the hidden `.<name>.tmp` a shard has while it is being created.

use std::collections::hash_map::RandomState;
use std::fs::{self, File, TryLockError};
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::format::SHARD_EXTENSION;
use crate::platform::{hostname, process_exists};

const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A fresh shard file name for process `pid`.
pub(crate) fn shard_file_name(pid: u32) -> String {
    format!(
        "{}.{pid}.{}.{SHARD_EXTENSION}",
        host_component(),
        random_alnum()
    )
}

/// The hidden files in `run_dir` that a process killed while creating its shard left behind
/// (`.<host>.<pid>.<random>.fcshard.tmp`, never renamed into place): created on this host by a
/// process that no longer exists, and not locked by anyone. They hold no data (records are only
/// written once the shard has its final name) and are safe to delete.
pub fn stale_temp_files(run_dir: &Path) -> io::Result<Vec<PathBuf>> {
    let host = host_component();
    let suffix = format!(".{SHARD_EXTENSION}.tmp");
    let mut stale = Vec::new();
    for entry in fs::read_dir(run_dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(inner) = name
            .strip_prefix('.')
            .and_then(|rest| rest.strip_suffix(&suffix))
        else {
            continue;
        };
        // `<host>.<pid>.<random>`; the host never contains a dot.
        let mut parts = inner.split('.');
        let (Some(file_host), Some(pid), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if file_host != host || process_exists(pid) || !entry.file_type()?.is_file() {
            continue;
        }
        let path = entry.path();
        // A writer locks the file right after creating it; the pid check above already covers
        // the moment in between, the lock covers pids reused by a process that did not die.
        let unlocked = match File::open(&path).map(|f| f.try_lock()) {
            Ok(Ok(())) => true,
            Ok(Err(TryLockError::WouldBlock)) => false,
            Ok(Err(TryLockError::Error(_))) | Err(_) => false,
        };
        if unlocked {
            stale.push(path);
        }
    }
    stale.sort();
    Ok(stale)
}

/// The host name as a single, dot-free file name component, as coverage.py puts it in a
/// parallel data file's name.
pub fn host_component() -> String {
    let raw = hostname().unwrap_or_else(|| "localhost".to_owned());
    // Dots would make the name ambiguous to split; separators would leave the directory.
    raw.chars()
        .map(|c| match c {
            '.' | '/' | '\\' | '\0' => '_',
            other => other,
        })
        .collect()
}

/// Eight random characters from [A-Za-z0-9].
///
/// `RandomState` is seeded from the OS once per process and then incremented per instance;
/// mixing in the time and a counter keeps names distinct across forks (which share the seed).
fn random_alnum() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    if let Ok(now) = SystemTime::now().duration_since(UNIX_EPOCH) {
        hasher.write_u128(now.as_nanos());
    }
    let mut value = hasher.finish();
    let mut out = String::with_capacity(8);
    for _ in 0..8 {
        out.push(char::from(ALPHABET[(value % 62) as usize]));
        value /= 62;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_has_four_dot_separated_parts() {
        let name = shard_file_name(1234);
        let parts: Vec<&str> = name.split('.').collect();
        assert_eq!(parts.len(), 4, "{name}");
        assert_eq!(parts[1], "1234");
        assert_eq!(parts[2].len(), 8);
        assert!(parts[2].bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(parts[3], SHARD_EXTENSION);
    }

    #[test]
    fn names_differ() {
        assert_ne!(shard_file_name(1), shard_file_name(1));
    }

    #[test]
    fn stale_temp_files_are_those_of_dead_processes() {
        let dir = tempfile::tempdir().unwrap();
        // 4_999_999 is above the kernel's largest pid (2^22), so no such process exists.
        let dead = shard_file_name(4_999_999);
        let dead_temp = format!(".{dead}.tmp");
        let names = [
            dead_temp.clone(),
            format!(".{}.tmp", shard_file_name(std::process::id())),
            ".otherhost.4999999.abcdefgh.fcshard.tmp".to_owned(),
            dead,
        ];
        for name in &names {
            fs::write(dir.path().join(name), b"").unwrap();
        }
        let stale = stale_temp_files(dir.path()).unwrap();
        assert_eq!(stale, vec![dir.path().join(dead_temp)]);
    }
}
