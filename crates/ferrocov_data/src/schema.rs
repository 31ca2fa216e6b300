//! coverage.py's SQLite data file schema, version 7: the DDL ferrocov writes and reads.
//!
//! Version history of coverage.py's schema (for recognising what we are handed):
//! 1 first SQLite schema (5.0 alphas); 2 added contexts; 3 renamed `line` to `line_map`;
//! 4 switched line storage from bitmaps to numbits; 5 added foreign keys;
//! 6 turned `meta` into key/value rows; 7 renamed `line_map` to `line_bits`.
//! Only 7 is read and written. A file holds line data (`line_bits`) or branch data (`arc`),
//! never both (`meta has_arcs` says which).

/// The schema version stored in the `coverage_schema` table.
pub const SCHEMA_VERSION: i64 = ferrocov_protocol::formats::DATA_SCHEMA;

/// Creates every table of schema 7. Column names, types and constraints match coverage.py;
/// the comments are ours.
pub const SCHEMA_DDL: &str = "
-- The single row holds the schema version.
CREATE TABLE coverage_schema (
    version integer
);

-- Key/value metadata. Keys used: has_arcs ('0'/'1'), version (producer and its version),
-- when (creation time), sys_argv (command line), hash (of the data; coverage.py only).
CREATE TABLE meta (
    key text,
    value text,
    unique (key)
);

-- One row per measured file.
CREATE TABLE file (
    id integer primary key,
    path text,
    unique (path)
);

-- One row per context name; '' is the default context.
CREATE TABLE context (
    id integer primary key,
    context text,
    unique (context)
);

-- Line data: one numbits blob per (file, context).
CREATE TABLE line_bits (
    file_id integer,
    context_id integer,
    numbits blob,
    foreign key (file_id) references file (id),
    foreign key (context_id) references context (id),
    unique (file_id, context_id)
);

-- Branch data: one row per (file, context, from line, to line).
CREATE TABLE arc (
    file_id integer,
    context_id integer,
    fromno integer,
    tono integer,
    foreign key (file_id) references file (id),
    foreign key (context_id) references context (id),
    unique (file_id, context_id, fromno, tono)
);

-- The plugin file tracer that measured a file, if any.
CREATE TABLE tracer (
    file_id integer primary key,
    tracer text,
    foreign key (file_id) references file (id)
);
";
