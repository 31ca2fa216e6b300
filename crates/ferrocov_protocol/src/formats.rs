//! The version of every format ferrocov writes or reads. Each format is documented where it is
//! implemented (the module named beside each constant), which also says when to change it.

/// Per-process shard files (`ferrocov_shard::format`): ferrocov's own, bumped for any change an
/// older reader would misread.
pub const SHARD: u32 = 3;

/// coverage.py's SQLite data file schema (`ferrocov_data::schema`): coverage.py's number, the
/// only one read and written.
pub const DATA_SCHEMA: i64 = 7;

/// coverage.py's JSON report `meta.format` (`ferrocov_report::json`).
pub const JSON_REPORT: u32 = 3;

/// The run settings a run's owner publishes to the processes it starts, as JSON in
/// [`crate::env::FERROCOV_CONFIG`] (`python/ferrocov/measure.py` writes and reads them). A child
/// that finds another version does not measure, and says why, rather than misread them.
pub const RUN_SETTINGS: u32 = 3;

/// Every format by name, for `ferrocov debug sys` and the Python shell.
pub const ALL: [(&str, i64); 4] = [
    ("shard", SHARD as i64),
    ("data_schema", DATA_SCHEMA),
    ("json_report", JSON_REPORT as i64),
    ("run_settings", RUN_SETTINGS as i64),
];
