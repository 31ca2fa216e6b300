//! Reading a coverage.py schema 7 data file (line data): into `CoverageData`, or as the stored
//! numbits for combining.

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use rustc_hash::FxHashMap;

use crate::coverage_data::CoverageData;
use crate::error::DataError;
use crate::input_lines::InputLines;
use crate::numbits::numbits_to_nums;
use crate::schema::SCHEMA_VERSION;

/// Reads the data file at `path`. Errors name the file; nothing in the file can panic this.
/// Branch data (`meta has_arcs = '1'`) comes back with [`CoverageData::has_arcs`] set, its arcs,
/// and as lines the positive ends of the arcs.
pub fn read_data_file(path: &Path) -> Result<CoverageData, DataError> {
    let input = read_line_bits(path)?;
    let mut data = CoverageData::new();
    data.set_has_arcs(input.has_arcs);
    let files: Vec<&str> = input.files().collect();
    for file in &files {
        data.touch_file(file);
    }
    for (file, context, numbits) in input.lines() {
        data.add_lines(files[file], context, numbits_to_nums(numbits));
    }
    for (file, context, arcs) in input.arcs() {
        data.add_arcs(files[file], context, arcs.iter().copied());
    }
    Ok(data)
}

/// Reads the data of the data file at `path` as stored: one numbits blob per file and context,
/// not decoded (combining unites them bytewise), or for branch data its arcs. Every file row is
/// returned, with no lines for a file that was only touched. Same errors as [`read_data_file`].
pub(crate) fn read_line_bits(path: &Path) -> Result<InputLines, DataError> {
    // SQLite would happily "open" a missing file read-only and fail later with a vaguer message.
    std::fs::metadata(path).map_err(|e| DataError::io(path, e))?;
    let sql = |e| DataError::sqlite(path, e);
    crate::sqlite_setup::before_first_connection();
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql)?;
    // Take the shared lock once and hold it until the connection closes, instead of once per
    // statement, and look for a hot journal once (4 lock calls per file instead of 28).
    // Other readers still share the file; a writer waits, as it would for any reader.
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
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
    // coverage.py decides by `meta` alone (`bool(int(value))`).
    let has_arcs = has_arcs
        .as_deref()
        .is_some_and(|v| v.trim().parse::<i64>().is_ok_and(|n| n != 0));

    let corrupt = |reason: String| DataError::NotCoverageData {
        path: path.to_path_buf(),
        reason,
    };
    let text = |value: ValueRef<'_>, what: &str| match value {
        ValueRef::Text(bytes) => std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| corrupt(format!("{what} is not valid UTF-8"))),
        other => Err(corrupt(format!("{what} of type {:?}", other.data_type()))),
    };

    let mut input = InputLines::default();
    input.has_arcs = has_arcs;
    let mut file_index = RowIds::default();
    let mut stmt = conn.prepare("SELECT id, path FROM file").map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let id: i64 = row.get(0).map_err(sql)?;
        let ValueRef::Text(file) = row.get_ref(1).map_err(sql)? else {
            return Err(corrupt(format!("the path of file id {id} is not text")));
        };
        let file = std::str::from_utf8(file)
            .map_err(|_| corrupt(format!("the path of file id {id} is not valid UTF-8")))?;
        file_index.insert(id, input.add_file(file));
    }

    let mut contexts: FxHashMap<i64, String> = FxHashMap::default();
    let mut stmt = conn
        .prepare("SELECT id, context FROM context")
        .map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let id: i64 = row.get(0).map_err(sql)?;
        let context = text(row.get_ref(1).map_err(sql)?, "a context name")?;
        contexts.insert(id, context);
    }

    if has_arcs {
        read_arcs(&conn, path, &file_index, &contexts, &mut input)?;
        return Ok(input);
    }
    let mut stmt = conn
        .prepare("SELECT file_id, context_id, numbits FROM line_bits")
        .map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let file_id: i64 = row.get(0).map_err(sql)?;
        let context_id: i64 = row.get(1).map_err(sql)?;
        let Some(index) = file_index.get(file_id) else {
            return Err(corrupt(format!(
                "line_bits refers to missing file id {file_id}"
            )));
        };
        let Some(context) = contexts.get(&context_id) else {
            return Err(corrupt(format!(
                "line_bits refers to missing context id {context_id}"
            )));
        };
        match row.get_ref(2).map_err(sql)? {
            ValueRef::Blob(bytes) | ValueRef::Text(bytes) => {
                input.add_lines(index, context, bytes);
            }
            ValueRef::Null => input.add_lines(index, context, &[]),
            other => {
                let file = input.files().nth(index).unwrap_or_default().to_owned();
                return Err(corrupt(format!(
                    "numbits of type {:?} for file {file:?}",
                    other.data_type()
                )));
            }
        }
    }
    Ok(input)
}

/// The `arc` table into `input`, one entry per (file, context) in table order.
fn read_arcs(
    conn: &Connection,
    path: &Path,
    file_index: &RowIds,
    contexts: &FxHashMap<i64, String>,
    input: &mut InputLines,
) -> Result<(), DataError> {
    let sql = |e| DataError::sqlite(path, e);
    let corrupt = |reason: String| DataError::NotCoverageData {
        path: path.to_path_buf(),
        reason,
    };
    let mut grouped: std::collections::BTreeMap<(usize, i64), Vec<(i32, i32)>> =
        std::collections::BTreeMap::new();
    let mut stmt = conn
        .prepare("SELECT file_id, context_id, fromno, tono FROM arc")
        .map_err(sql)?;
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let file_id: i64 = row.get(0).map_err(sql)?;
        let context_id: i64 = row.get(1).map_err(sql)?;
        let from: i64 = row.get(2).map_err(sql)?;
        let to: i64 = row.get(3).map_err(sql)?;
        let Some(index) = file_index.get(file_id) else {
            return Err(corrupt(format!("arc refers to missing file id {file_id}")));
        };
        if !contexts.contains_key(&context_id) {
            return Err(corrupt(format!(
                "arc refers to missing context id {context_id}"
            )));
        }
        let (Ok(from), Ok(to)) = (i32::try_from(from), i32::try_from(to)) else {
            return Err(corrupt(format!("arc ({from}, {to}) is out of range")));
        };
        grouped
            .entry((index, context_id))
            .or_default()
            .push((from, to));
    }
    for ((index, context_id), arcs) in grouped {
        input.add_arcs(index, &contexts[&context_id], &arcs);
    }
    Ok(())
}

/// Row id -> index, for the ids of the `file` table. coverage.py numbers files 1, 2, 3, ...
/// in row order, so the index is found by arithmetic; a map is built only for a table that is
/// numbered otherwise. (Looking ids up in std's hash map was 7% of combining 1,000 files.)
#[derive(Default)]
struct RowIds {
    /// How many rows came in the order 1, 2, 3, ... with indexes 0, 1, 2, ...
    dense: usize,
    /// Set once a row breaks that pattern: every id from then on.
    other: Option<FxHashMap<i64, usize>>,
}

impl RowIds {
    fn insert(&mut self, id: i64, index: usize) {
        match &mut self.other {
            None if index == self.dense && i64::try_from(index + 1) == Ok(id) => self.dense += 1,
            None => {
                let mut map: FxHashMap<i64, usize> = (0..self.dense)
                    .map(|index| (index as i64 + 1, index))
                    .collect();
                map.insert(id, index);
                self.other = Some(map);
            }
            Some(map) => {
                map.insert(id, index);
            }
        }
    }

    fn get(&self, id: i64) -> Option<usize> {
        match &self.other {
            None => usize::try_from(id - 1)
                .ok()
                .filter(|&index| index < self.dense),
            Some(map) => map.get(&id).copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_ids_dense_then_not() {
        let mut ids = RowIds::default();
        for (index, id) in [1, 2, 3].into_iter().enumerate() {
            ids.insert(id, index);
        }
        assert_eq!(
            (ids.get(1), ids.get(3), ids.get(0), ids.get(4)),
            (Some(0), Some(2), None, None)
        );
        ids.insert(10, 3);
        ids.insert(-5, 4);
        assert_eq!(ids.get(2), Some(1));
        assert_eq!(ids.get(10), Some(3));
        assert_eq!(ids.get(-5), Some(4));
        assert_eq!(ids.get(4), None);
        assert_eq!(RowIds::default().get(1), None);
    }
}
