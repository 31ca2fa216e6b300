//! Reading a coverage.py schema 7 data file (line data): into `CoverageData`, or as the stored
//! numbits for combining.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::coverage_data::CoverageData;
use crate::error::DataError;
use crate::numbits::numbits_to_nums;
use crate::schema::SCHEMA_VERSION;
use crate::union::FileBits;

/// Reads the data file at `path`. Errors name the file; nothing in the file can panic this.
pub fn read_data_file(path: &Path) -> Result<CoverageData, DataError> {
    let mut data = CoverageData::new();
    for file in read_line_bits(path)? {
        data.touch_file(&file.path);
        for (context, numbits) in file.contexts {
            data.add_lines(&file.path, &context, numbits_to_nums(&numbits));
        }
    }
    Ok(data)
}

/// Reads the line data of the data file at `path` as stored: one numbits blob per file and
/// context, not decoded (combining unites them bytewise). Every file row is returned, with no
/// contexts for a file that was only touched. Same errors as [`read_data_file`].
pub(crate) fn read_line_bits(path: &Path) -> Result<Vec<FileBits>, DataError> {
    // SQLite would happily "open" a missing file read-only and fail later with a vaguer message.
    std::fs::metadata(path).map_err(|e| DataError::io(path, e))?;
    let sql = |e| DataError::sqlite(path, e);
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql)?;
    // One read transaction for every query: SQLite then takes its file lock and looks for a hot
    // journal once, not once per statement (8 lock calls per file instead of 28).
    let conn = ReadOnce::begin(conn).map_err(sql)?;

    let version: i64 = conn
        .query_row("SELECT version FROM coverage_schema", [], |row| row.get(0))
        .map_err(|e| DataError::NotCoverageData {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    if version != SCHEMA_VERSION {
        return Err(DataError::WrongSchema {
            path: path.to_path_buf(),
            found: version,
            expected: SCHEMA_VERSION,
        });
    }

    let has_arcs: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'has_arcs'", [], |row| {
            row.get(0)
        })
        .optional()
        .map_err(sql)?;
    let arc_rows: i64 = conn
        .query_row("SELECT count(*) FROM arc", [], |row| row.get(0))
        .map_err(sql)?;
    if has_arcs
        .as_deref()
        .is_some_and(|v| v.trim() == "1" || v.eq_ignore_ascii_case("true"))
        || arc_rows > 0
    {
        return Err(DataError::BranchData {
            path: path.to_path_buf(),
        });
    }

    let mut files: Vec<FileBits> = Vec::new();
    let mut file_index = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, path FROM file").map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let id: i64 = row.get(0).map_err(sql)?;
        let path: String = row.get(1).map_err(sql)?;
        file_index.insert(id, files.len());
        files.push(FileBits {
            path,
            contexts: Vec::new(),
        });
    }

    let mut contexts = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT id, context FROM context")
        .map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let id: i64 = row.get(0).map_err(sql)?;
        let context: String = row.get(1).map_err(sql)?;
        contexts.insert(id, context);
    }

    let corrupt = |reason: String| DataError::NotCoverageData {
        path: path.to_path_buf(),
        reason,
    };
    let mut stmt = conn
        .prepare("SELECT file_id, context_id, numbits FROM line_bits")
        .map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let file_id: i64 = row.get(0).map_err(sql)?;
        let context_id: i64 = row.get(1).map_err(sql)?;
        let Some(&index) = file_index.get(&file_id) else {
            return Err(corrupt(format!(
                "line_bits refers to missing file id {file_id}"
            )));
        };
        let Some(context) = contexts.get(&context_id) else {
            return Err(corrupt(format!(
                "line_bits refers to missing context id {context_id}"
            )));
        };
        let numbits = match row.get_ref(2).map_err(sql)? {
            ValueRef::Blob(bytes) | ValueRef::Text(bytes) => bytes.to_vec(),
            ValueRef::Null => Vec::new(),
            other => {
                return Err(corrupt(format!(
                    "numbits of type {:?} for file {:?}",
                    other.data_type(),
                    files[index].path
                )));
            }
        };
        files[index].contexts.push((context.clone(), numbits));
    }
    Ok(files)
}

/// A connection inside one deferred read transaction, rolled back (nothing was written) when
/// dropped.
struct ReadOnce(Connection);

impl ReadOnce {
    fn begin(conn: Connection) -> rusqlite::Result<ReadOnce> {
        conn.execute_batch("BEGIN")?;
        Ok(ReadOnce(conn))
    }
}

impl std::ops::Deref for ReadOnce {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0
    }
}

impl Drop for ReadOnce {
    fn drop(&mut self) {
        let _ = self.0.execute_batch("ROLLBACK");
    }
}
