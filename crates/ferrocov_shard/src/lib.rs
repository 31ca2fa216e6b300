//! ferrocov_shard: per-process, crash-safe hit files ("shards").
//!
//! Each measured process appends every newly executed line to its own memory-mapped shard
//! file as it happens, so a process that is killed, calls `os._exit` or crashes loses
//! nothing: the stores are in the page cache. `ferrocov_data` later combines shards into
//! coverage.py's data file.
//!
//! Modules:
//! - [`format`]: the on-disk layout (documented there), its version and word encodings.
//! - `naming`: shard file names; [`stale_temp_files`] left by processes killed mid-creation.
//! - `open_shard`: one shard open for appending (mapping, space reservation, lock).
//! - `platform`: what differs between operating systems (space, mapping, liveness, host name).
//! - `seen`: the lock-free bitmap that makes repeated hits cheap.
//! - `writer`: [`ShardWriter`], what the tracer calls (fork handling, failure policy).
//! - `reader`: [`read_shard`], [`parse_shard`], [`parse_shard_bits`], [`list_shards`].
//! - `walk`: the record walk behind both parsers.
//! - `error`: [`ShardError`].

pub mod format;

mod error;
mod naming;
mod open_shard;
mod platform;
mod reader;
mod seen;
mod walk;
mod writer;

pub use error::ShardError;
pub use format::{FORMAT_VERSION, SHARD_EXTENSION};
pub use naming::{host_component, stale_temp_files};
pub use reader::{
    ShardBits, ShardContents, ShardFile, ShardFileBits, list_shards, parse_shard, parse_shard_bits,
    read_shard,
};
pub use writer::ShardWriter;
