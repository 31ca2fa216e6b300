//! ferrocov_data: coverage.py's SQLite data file (schema 7, line or branch data) and combining
//! shards and data files into it.
//!
//! Modules:
//! - `coverage_data`: [`CoverageData`], measured lines per file and context, in memory.
//! - [`numbits`]: coverage.py's numbits byte format.
//! - [`schema`]: the schema 7 DDL and version.
//! - `read` / `write`: [`read_data_file`], [`write_data_file`] (atomic replace).
//! - `sqlite_setup`: process-wide SQLite settings, made before the first connection.
//! - `inputs`: which files a combine reads; [`shard_dir_for`].
//! - `load`: reading one input into line data and a duplicate key.
//! - `input_lines`: one input's line data, packed.
//! - `union`: the union of many inputs' line data, as numbits.
//! - `combine`: [`combine`] and its report.
//! - `cleanup`: deleting combined inputs and emptied shard directories.
//! - `fan_out`: per-file work on many threads, results in order.
//! - `erase`: [`erase`].
//! - `error`: [`DataError`].

pub mod numbits;
pub mod schema;

mod cleanup;
mod combine;
mod coverage_data;
mod erase;
mod error;
mod fan_out;
mod input_lines;
mod inputs;
mod load;
mod read;
mod sqlite_setup;
mod union;
mod write;

pub use combine::{CombineReport, CombineRequest, combine};
pub use coverage_data::{Arc, CoverageData};
pub use erase::erase;
pub use error::DataError;
pub use inputs::{parallel_file_for, run_dir_name, shard_dir_for};
pub use read::read_data_file;
pub use write::{WriteMeta, write_data_file};
