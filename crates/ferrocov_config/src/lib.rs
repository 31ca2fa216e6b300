//! coverage.py-compatible configuration for ferrocov: finding and parsing
//! config files (INI and TOML), typed settings with coverage.py's defaults,
//! the measure-or-skip decision for files, and `[paths]` remapping.
//!
//! Modules, one concern each:
//! - `discover`: lookup order and [`load_config`]
//! - `ini`: a configparser-compatible INI reader
//! - `toml_source`: TOML files (`[tool.coverage.*]`)
//! - `source`: the view of a file the option reader uses (INI adapter)
//! - `read`: applying one file to [`Settings`], unknown-key warnings
//! - `options`: the table of every known option
//! - `settings`: typed settings and defaults
//! - `convert`: Python-style value conversions
//! - `expand`: `$VAR` expansion
//! - `glob`: coverage.py file patterns as regexes
//! - `selection`: [`FileSelector`]
//! - `source_files`: [`find_python_files`] under `source` directories
//! - `aliases`: [`PathAliases`]
//! - `pathutil`: path string helpers
//! - `errors`: [`ConfigError`]

mod aliases;
mod convert;
mod discover;
mod errors;
mod expand;
mod glob;
mod ini;
mod options;
mod pathutil;
mod read;
mod selection;
mod settings;
mod source;
mod source_files;
mod toml_source;

pub use aliases::PathAliases;
pub use discover::{LoadRequest, LoadedConfig, load_config};
pub use errors::ConfigError;
pub use glob::GlobMatcher;
pub use pathutil::{SEP, normcase, real_path, relative_to};
pub use selection::{Decision, FileSelector, SelectionInputs};
pub use settings::{
    CONCURRENCY_CHOICES, DEFAULT_EXCLUDE, DEFAULT_PARTIAL, DEFAULT_PARTIAL_ALWAYS, HtmlSettings,
    JsonSettings, LcovSettings, ReportSettings, RunSettings, SORT_COLUMNS, Settings, XmlSettings,
    parse_sort,
};
pub use source_files::find_python_files;
