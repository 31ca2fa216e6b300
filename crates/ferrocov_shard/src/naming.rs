//! Shard file names: `<host with . replaced by _>.<pid>.<8 random alphanumerics>.fcshard`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::format::SHARD_EXTENSION;

const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A fresh shard file name for process `pid`.
pub(crate) fn shard_file_name(pid: u32) -> String {
    format!(
        "{}.{pid}.{}.{SHARD_EXTENSION}",
        host_component(),
        random_alnum()
    )
}

/// The host name as a single, dot-free file name component.
fn host_component() -> String {
    let raw = hostname().unwrap_or_else(|| "localhost".to_owned());
    // Dots would make the name ambiguous to split; separators would leave the directory.
    raw.chars()
        .map(|c| match c {
            '.' | '/' | '\\' | '\0' => '_',
            other => other,
        })
        .collect()
}

fn hostname() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: `buf` is a valid writable buffer of the length passed; gethostname writes at most
    // that many bytes and does not keep the pointer.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return None;
    }
    // POSIX leaves termination unspecified when the name is truncated: stop at NUL or the end.
    let len = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    let name = String::from_utf8_lossy(&buf[..len]).into_owned();
    (!name.is_empty()).then_some(name)
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
}
