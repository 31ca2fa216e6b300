//! `ShardError`: why a shard could not be created or read. Every variant names the file.

use std::io;
use std::path::PathBuf;

/// An error creating or reading a shard file.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    /// The operating system refused an operation on the file.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The file does not start with the shard magic bytes: not a ferrocov shard.
    #[error("{}: not a ferrocov shard file (wrong magic bytes)", path.display())]
    NotAShard { path: PathBuf },
    /// A shard written by a different (newer or older) format version.
    #[error(
        "{}: shard format version {found} is not supported (this ferrocov reads version {expected})",
        path.display()
    )]
    UnsupportedVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    /// The header is present but its fields make no sense.
    #[error("{}: corrupt shard header: {reason}", path.display())]
    BadHeader { path: PathBuf, reason: String },
}

impl ShardError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> ShardError {
        ShardError::Io {
            path: path.into(),
            source,
        }
    }
}
