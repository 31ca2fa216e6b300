//! Reading a coverage.py schema 7 data file (line data) into `CoverageData`.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::coverage_data::CoverageData;
use crate::error::DataError;
use crate::numbits::numbits_to_nums;
use crate::schema::SCHEMA_VERSION;

/// Reads the data file at `path`. Errors name the file; nothing in the file can panic this.
pub fn read_data_file(path: &Path) -> Result<CoverageData, DataError> {
    // SQLite would happily "open" a missing file read-only and fail later with a vaguer message.
    std::fs::metadata(path).map_err(|e| DataError::io(path, e))?;
    let sql = |e| DataError::sqlite(path, e);
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql)?;

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

    let mut data = CoverageData::new();
    let mut files = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, path FROM file").map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let id: i64 = row.get(0).map_err(sql)?;
        let file: String = row.get(1).map_err(sql)?;
        data.touch_file(&file);
        files.insert(id, file);
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
        let Some(file) = files.get(&file_id) else {
            return Err(corrupt(format!(
                "line_bits refers to missing file id {file_id}"
            )));
        };
        let Some(context) = contexts.get(&context_id) else {
            return Err(corrupt(format!(
                "line_bits refers to missing context id {context_id}"
            )));
        };
        let lines = match row.get_ref(2).map_err(sql)? {
            ValueRef::Blob(bytes) | ValueRef::Text(bytes) => numbits_to_nums(bytes),
            ValueRef::Null => Vec::new(),
            other => {
                return Err(corrupt(format!(
                    "numbits of type {:?} for file {file:?}",
                    other.data_type()
                )));
            }
        };
        data.add_lines(file, context, lines);
    }
    Ok(data)
}
