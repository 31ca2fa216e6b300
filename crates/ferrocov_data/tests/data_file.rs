//! Reading and writing coverage.py schema 7 data files.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use ferrocov_data::numbits::nums_to_numbits;
use ferrocov_data::{CoverageData, DataError, WriteMeta, read_data_file, write_data_file};
use rusqlite::{Connection, params};

fn sample() -> CoverageData {
    let mut data = CoverageData::new();
    data.add_lines("/proj/a.py", "", [1, 2, 3, 10]);
    data.add_lines("/proj/a.py", "test_one", [2, 99]);
    data.add_lines("/proj/b.py", "", [7]);
    data.add_lines("/proj/empty.py", "", []);
    data.touch_file("/proj/touched.py");
    data
}

#[test]
fn write_then_read_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".coverage");
    write_data_file(&path, &sample(), &WriteMeta::default()).unwrap();
    assert_eq!(read_data_file(&path).unwrap(), sample());
    // Only the data file is left behind (no temp or journal files).
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [".coverage"]);
}

#[test]
fn written_file_follows_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".coverage");
    let meta = WriteMeta {
        sys_argv: Some("['prog.py', '-x']".to_owned()),
    };
    write_data_file(&path, &sample(), &meta).unwrap();
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("SELECT version FROM coverage_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 7);
    let meta_value = |key: &str| -> String {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .unwrap()
    };
    assert!(meta_value("version").starts_with("ferrocov "));
    assert_eq!(meta_value("has_arcs"), "0");
    assert_eq!(meta_value("sys_argv"), "['prog.py', '-x']");
    let when = meta_value("when");
    assert_eq!(when.len(), 19, "{when}");
    assert_eq!(&when[4..5], "-");
    assert_eq!(&when[13..14], ":");
    let numbits: Vec<u8> = conn
        .query_row(
            "SELECT numbits FROM line_bits JOIN file ON file.id = file_id JOIN context ON context.id = context_id \
             WHERE path = '/proj/a.py' AND context = ''",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(numbits, nums_to_numbits([1, 2, 3, 10]));
    let empty: Vec<u8> = conn
        .query_row(
            "SELECT numbits FROM line_bits JOIN file ON file.id = file_id WHERE path = '/proj/empty.py'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(empty.is_empty());
    let contexts: Vec<String> = conn
        .prepare("SELECT context FROM context ORDER BY context")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(contexts, ["", "test_one"]);
}

#[test]
fn overwrite_replaces_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".coverage");
    write_data_file(&path, &sample(), &WriteMeta::default()).unwrap();
    let mut small = CoverageData::new();
    small.add_lines("/x.py", "", [1]);
    write_data_file(&path, &small, &WriteMeta::default()).unwrap();
    assert_eq!(read_data_file(&path).unwrap(), small);
}

/// A data file built with plain SQL the way coverage.py lays it out (not with our writer).
fn coverage_py_style_file(path: &Path, has_arcs: &str) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE coverage_schema (version integer);
         CREATE TABLE meta (key text, value text, unique (key));
         CREATE TABLE file (id integer primary key, path text, unique (path));
         CREATE TABLE context (id integer primary key, context text, unique (context));
         CREATE TABLE line_bits (file_id integer, context_id integer, numbits blob,
             foreign key (file_id) references file (id),
             foreign key (context_id) references context (id),
             unique (file_id, context_id));
         CREATE TABLE arc (file_id integer, context_id integer, fromno integer, tono integer,
             foreign key (file_id) references file (id),
             foreign key (context_id) references context (id),
             unique (file_id, context_id, fromno, tono));
         CREATE TABLE tracer (file_id integer primary key, tracer text,
             foreign key (file_id) references file (id));
         INSERT INTO coverage_schema (version) VALUES (7);
         INSERT INTO meta (key, value) VALUES ('version', '7.15.0');
         INSERT INTO file (id, path) VALUES (1, '/ci/src/mod.py'), (5, '/ci/src/other.py');
         INSERT INTO context (id, context) VALUES (1, ''), (2, 'test_a|run');",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('has_arcs', ?1)",
        [has_arcs],
    )
    .unwrap();
    // Lines 1, 2, 3, 17 in the default context: bytes 0b0000_1110, 0, 0b10.
    conn.execute(
        "INSERT INTO line_bits (file_id, context_id, numbits) VALUES (1, 1, ?1), (1, 2, ?2), (5, 1, ?3)",
        params![vec![0x0eu8, 0x00, 0x02], vec![0x20u8], Vec::<u8>::new()],
    )
    .unwrap();
    conn
}

#[test]
fn reads_a_file_made_with_plain_sql() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".coverage");
    drop(coverage_py_style_file(&path, "0"));
    let data = read_data_file(&path).unwrap();
    assert_eq!(
        data.files().collect::<Vec<_>>(),
        ["/ci/src/mod.py", "/ci/src/other.py"]
    );
    assert_eq!(
        data.lines("/ci/src/mod.py").unwrap(),
        BTreeSet::from([1, 2, 3, 5, 17])
    );
    assert_eq!(data.lines("/ci/src/other.py").unwrap(), BTreeSet::new());
    assert_eq!(data.contexts(), BTreeSet::from(["", "test_a|run"]));
    let by_context = data.lines_by_context("/ci/src/mod.py").unwrap();
    assert_eq!(by_context["test_a|run"], BTreeSet::from([5]));
}

#[test]
fn branch_data_reads_as_arcs_and_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".coverage");
    let conn = coverage_py_style_file(&path, "1");
    conn.execute_batch(
        "DELETE FROM line_bits;
         INSERT INTO arc (file_id, context_id, fromno, tono) VALUES
             (1, 1, -1, 1), (1, 1, 1, 2), (1, 1, 2, -1), (1, 2, 7, 7), (5, 1, 3, 3);",
    )
    .unwrap();
    drop(conn);
    let data = read_data_file(&path).unwrap();
    assert!(data.has_arcs());
    assert_eq!(
        data.arcs("/ci/src/mod.py").unwrap(),
        BTreeSet::from([(-1, 1), (1, 2), (2, -1), (7, 7)])
    );
    assert_eq!(
        data.lines("/ci/src/mod.py").unwrap(),
        BTreeSet::from([1, 2, 7])
    );
    assert_eq!(data.lines("/ci/src/other.py").unwrap(), BTreeSet::from([3]));
    // Written back, it is branch data again.
    let copy = dir.path().join(".coverage.copy");
    write_data_file(&copy, &data, &WriteMeta::default()).unwrap();
    assert_eq!(read_data_file(&copy).unwrap(), data);
}

#[test]
fn wrong_schema_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".coverage");
    let conn = coverage_py_style_file(&path, "0");
    conn.execute("UPDATE coverage_schema SET version = 6", [])
        .unwrap();
    drop(conn);
    let err = read_data_file(&path).unwrap_err();
    assert!(
        matches!(
            err,
            DataError::WrongSchema {
                found: 6,
                expected: 7,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains(&path.display().to_string()));
}

#[test]
fn non_sqlite_and_foreign_sqlite_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    fs::write(
        &text,
        "hello, this is not a database at all, just some text to read\n".repeat(20),
    )
    .unwrap();
    let err = read_data_file(&text).unwrap_err();
    assert!(err.to_string().contains("notes.txt"), "{err}");

    let other = dir.path().join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x);")
        .unwrap();
    let err = read_data_file(&other).unwrap_err();
    assert!(matches!(err, DataError::NotCoverageData { .. }), "{err}");
    assert!(err.to_string().contains("other.db"), "{err}");

    let missing = dir.path().join("missing");
    assert!(matches!(
        read_data_file(&missing),
        Err(DataError::Io { .. })
    ));
}

#[test]
fn missing_line_bits_table_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".coverage");
    let conn = coverage_py_style_file(&path, "0");
    conn.execute_batch("DROP TABLE line_bits;").unwrap();
    drop(conn);
    let err = read_data_file(&path).unwrap_err();
    assert!(err.to_string().contains(".coverage"), "{err}");
}
