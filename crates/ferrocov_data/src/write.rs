//! Writing a coverage.py schema 7 data file, atomically (temp file + rename).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{Connection, params};

use crate::coverage_data::CoverageData;
use crate::error::DataError;
use crate::numbits::nums_to_numbits;
use crate::schema::{SCHEMA_DDL, SCHEMA_VERSION};

/// Optional metadata recorded in the `meta` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteMeta {
    /// The measured program's command line, as Python's `str(sys.argv)`.
    pub sys_argv: Option<String>,
}

/// Writes `data` to `path`, replacing any existing file atomically: readers see the old
/// file or the new one, never a partial one.
pub fn write_data_file(
    path: &Path,
    data: &CoverageData,
    meta: &WriteMeta,
) -> Result<(), DataError> {
    let temp = temp_path_for(path);
    // A stale temp file of ours (a crashed writer with a recycled pid) would break CREATE TABLE.
    let _ = fs::remove_file(&temp);
    let result = write_to(&temp, data, meta)
        .and_then(|()| fs::rename(&temp, path).map_err(|e| DataError::io(path, e)));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// A sibling temp name that no combine pattern (`<name>.*`, `*.fcshard`) matches.
fn temp_path_for(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map_or_else(|| "coverage".into(), |n| n.to_string_lossy().into_owned());
    let temp_name = format!(
        ".{name}.ferrocov-tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    path.with_file_name(temp_name)
}

fn write_to(temp: &Path, data: &CoverageData, meta: &WriteMeta) -> Result<(), DataError> {
    let sql = |e| DataError::sqlite(temp, e);
    crate::sqlite_setup::before_first_connection();
    let mut conn = Connection::open(temp).map_err(sql)?;
    // The file is private until renamed into place, so crash safety of SQLite's own journal
    // buys nothing here; coverage.py uses the same settings.
    conn.pragma_update_and_check(None, "journal_mode", "off", |_| Ok(()))
        .map_err(sql)?;
    conn.pragma_update(None, "synchronous", "off")
        .map_err(sql)?;
    conn.execute_batch(SCHEMA_DDL).map_err(sql)?;

    let tx = conn.transaction().map_err(sql)?;
    tx.execute(
        "INSERT INTO coverage_schema (version) VALUES (?1)",
        params![SCHEMA_VERSION],
    )
    .map_err(sql)?;
    {
        let mut insert_meta = tx
            .prepare("INSERT INTO meta (key, value) VALUES (?1, ?2)")
            .map_err(sql)?;
        let version = format!("ferrocov {}", env!("CARGO_PKG_VERSION"));
        let when = jiff::ZonedDateTime::now()
            .strftime("%Y-%m-%d %H:%M:%S")
            .to_string();
        insert_meta
            .execute(params!["version", version])
            .map_err(sql)?;
        let has_arcs = if data.has_arcs() { "1" } else { "0" };
        insert_meta
            .execute(params!["has_arcs", has_arcs])
            .map_err(sql)?;
        insert_meta.execute(params!["when", when]).map_err(sql)?;
        if let Some(argv) = &meta.sys_argv {
            insert_meta
                .execute(params!["sys_argv", argv])
                .map_err(sql)?;
        }

        let mut context_ids = BTreeMap::new();
        let mut insert_context = tx
            .prepare("INSERT INTO context (context) VALUES (?1)")
            .map_err(sql)?;
        for context in data.contexts() {
            insert_context.execute(params![context]).map_err(sql)?;
            context_ids.insert(context, tx.last_insert_rowid());
        }

        let mut insert_file = tx
            .prepare("INSERT INTO file (path) VALUES (?1)")
            .map_err(sql)?;
        let mut insert_bits = tx
            .prepare("INSERT INTO line_bits (file_id, context_id, numbits) VALUES (?1, ?2, ?3)")
            .map_err(sql)?;
        let mut insert_arc = tx
            .prepare("INSERT INTO arc (file_id, context_id, fromno, tono) VALUES (?1, ?2, ?3, ?4)")
            .map_err(sql)?;
        for path in data.files() {
            insert_file.execute(params![path]).map_err(sql)?;
            let file_id = tx.last_insert_rowid();
            if data.has_arcs() {
                // Branch data is its arcs alone, as coverage.py writes it.
                for (context, arcs) in data.arcs_by_context(path).into_iter().flatten() {
                    let Some(&context_id) = context_ids.get(context.as_str()) else {
                        continue;
                    };
                    for &(from, to) in arcs {
                        insert_arc
                            .execute(params![file_id, context_id, from, to])
                            .map_err(sql)?;
                    }
                }
                continue;
            }
            for (context, lines) in data.lines_by_context(path).into_iter().flatten() {
                // Every context in the data was inserted above.
                let Some(&context_id) = context_ids.get(context.as_str()) else {
                    continue;
                };
                let numbits = nums_to_numbits(lines.iter().copied());
                insert_bits
                    .execute(params![file_id, context_id, numbits])
                    .map_err(sql)?;
            }
        }
    }
    tx.commit().map_err(sql)?;
    conn.close().map_err(|(_, e)| sql(e))?;
    Ok(())
}
