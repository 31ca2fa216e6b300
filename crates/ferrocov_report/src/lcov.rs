//! `coverage lcov`: SF/DA (with optional MD5 line checksums)/LF/LH, function records from
//! code regions, end_of_record; files sorted by display name, as coverage.py 7.17 writes.

use std::collections::BTreeSet;
use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use md5::{Digest, Md5};

use crate::branches::BranchFacts;
use crate::error::ReportError;
use crate::file::{FileInput, Narrowed, RegionKind};
use crate::numbers::Numbers;
use crate::pytext;

/// The `[lcov]`/`[report]` settings the LCOV report uses.
#[derive(Clone, Copy, Debug, Default)]
pub struct LcovOptions {
    /// `[lcov] line_checksums`: append the MD5 of each line to its `DA` record.
    pub line_checksums: bool,
    pub skip_empty: bool,
}

/// MD5 of the line's UTF-8 bytes, base64 without `=` padding (LCOV's checksum).
pub fn line_hash(line: &str) -> String {
    STANDARD_NO_PAD.encode(Md5::digest(line.as_bytes()))
}

/// Writes the LCOV report; returns the total percent (0 when there are no statements).
pub fn write_report<W: Write>(
    files: &[FileInput],
    options: &LcovOptions,
    out: &mut W,
) -> Result<f64, ReportError> {
    if files.is_empty() {
        return Err(ReportError::NoData);
    }
    let mut order: Vec<&FileInput> = files.iter().collect();
    // coverage.py sorts (relative name, reporter) tuples: the file name breaks ties.
    order.sort_by(|a, b| {
        a.display_name
            .cmp(&b.display_name)
            .then_with(|| a.path.cmp(&b.path))
    });
    let mut total = Numbers::default();
    for file in order {
        let analysis = file.whole();
        total += analysis.numbers();
        write_file(file, &analysis, options, out)?;
    }
    Ok(if total.statements == 0 {
        0.0
    } else {
        total.percent()
    })
}

fn write_file<W: Write>(
    file: &FileInput,
    analysis: &Narrowed,
    options: &LcovOptions,
    out: &mut W,
) -> std::io::Result<()> {
    if file.statements.is_empty() && options.skip_empty {
        return Ok(());
    }
    writeln!(out, "SF:{}", pytext::neutralize_control(&file.display_name))?;
    let source = if options.line_checksums {
        file.source()
    } else {
        String::new()
    };
    let source_lines = pytext::splitlines(&source, false);
    let missing = &analysis.missing;
    for &line in &file.statements {
        let hit = u8::from(!missing.contains(&line));
        if source_lines.is_empty() {
            writeln!(out, "DA:{line},{hit}")?;
        } else {
            // A statement past the end of the text would be an IndexError in coverage.py;
            // hash an empty line instead of failing the whole report.
            let text = source_lines.get(line as usize - 1).copied().unwrap_or("");
            writeln!(out, "DA:{line},{hit},{}", line_hash(text))?;
        }
    }
    if !file.statements.is_empty() {
        writeln!(out, "LF:{}", file.statements.len())?;
        writeln!(out, "LH:{}", file.statements.len() - missing.len())?;
    }
    write_functions(file, analysis, out)?;
    if let Some(facts) = &file.branches {
        write_arcs(facts, analysis, out)?;
    }
    writeln!(out, "end_of_record")
}

/// `lcov_arcs`: a `BRDA` per exit of each branch line, taken (`1`), not taken (`0`), or `-`
/// for every exit when none was taken; exits to a function's end last; then `BRF`/`BRH`.
fn write_arcs<W: Write>(
    facts: &BranchFacts,
    analysis: &Narrowed,
    out: &mut W,
) -> std::io::Result<()> {
    let stats = analysis.branch_stats();
    let executed = analysis.executed_branch_arcs();
    let missing = analysis.missing_branch_arcs();
    let none = Vec::new();
    for &line in &analysis.statements {
        let line = line as i32;
        let Some(&(_, taken)) = stats.get(&line) else {
            continue;
        };
        let mut destinations: Vec<(i32, &str)> = if taken == 0 {
            missing
                .get(&line)
                .unwrap_or(&none)
                .iter()
                .map(|&d| (d, "-"))
                .collect()
        } else {
            let hit = executed
                .get(&line)
                .unwrap_or(&none)
                .iter()
                .map(|&d| (d, "1"));
            let not = missing
                .get(&line)
                .unwrap_or(&none)
                .iter()
                .map(|&d| (d, "0"));
            hit.chain(not).collect()
        };
        destinations.sort_by_key(|&(d, hit)| (d < 0, d, hit));
        for (dst, hit) in destinations {
            let description = facts
                .descriptions
                .get(&(line, dst))
                .map_or_else(|| fallback_description(dst), Clone::clone);
            let branch = pytext::neutralize_control(&description);
            writeln!(out, "BRDA:{line},0,{branch},{hit}")?;
        }
    }
    let brf: usize = stats.values().map(|&(t, _)| t).sum();
    let brh = brf - stats.values().map(|&(t, k)| t - k).sum::<usize>();
    if brf > 0 {
        writeln!(out, "BRF:{brf}")?;
        writeln!(out, "BRH:{brh}")?;
    }
    Ok(())
}

/// coverage.py's default action text, for an arc the caller gave no description.
fn fallback_description(end: i32) -> String {
    if end < 0 {
        "jump to the function exit".into()
    } else {
        format!("jump to line {end}")
    }
}

fn write_functions<W: Write>(
    file: &FileInput,
    whole: &Narrowed,
    out: &mut W,
) -> std::io::Result<()> {
    let mut functions: Vec<(u32, u32, usize)> = file
        .regions
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == RegionKind::Function && !r.lines.is_empty())
        .map(|(i, r)| {
            let lo = *r.lines.first().unwrap_or(&r.start);
            let hi = *r.lines.last().unwrap_or(&r.start);
            (r.start.min(lo), r.start.max(hi), i)
        })
        .collect();
    if functions.is_empty() {
        return Ok(());
    }
    functions.sort();
    let mut found = 0;
    let mut hit_count = 0;
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (first, last, i) in functions {
        let region = &file.regions[i];
        let narrowed = whole.narrow(&region.lines);
        // Excluded functions have no statements left: no record.
        if narrowed.statements.is_empty() {
            continue;
        }
        found += 1;
        let hit = u8::from(!narrowed.executed.is_empty());
        hit_count += usize::from(hit);
        let mut name = pytext::neutralize_control(&region.name).into_owned();
        if names.contains(&name) {
            name = format!("{name}@{first}");
        } else {
            names.insert(name.clone());
        }
        writeln!(out, "FN:{first},{last},{name}")?;
        writeln!(out, "FNDA:{hit},{name}")?;
    }
    writeln!(out, "FNF:{found}")?;
    writeln!(out, "FNH:{hit_count}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_excluded_functions() {
        let file = FileInput {
            path: "/p/a\nb.py".into(),
            display_name: "a\nb.py".into(),
            statements: [1, 4, 5].into(),
            excluded: [2].into(),
            executed: [1, 4].into(),
            text: "def f():  # pragma: no cover\n    pass\n\ndef g():\n    pass\n".into(),
            regions: vec![
                crate::Region {
                    kind: RegionKind::Function,
                    name: "f".into(),
                    start: 1,
                    lines: [2].into(),
                },
                crate::Region {
                    kind: RegionKind::Function,
                    name: "g".into(),
                    start: 4,
                    lines: [5].into(),
                },
            ],
            multiline: Default::default(),
            input_hash: None,
            branches: None,
            contexts: None,
        };
        let mut out = Vec::new();
        write_report(&[file], &LcovOptions::default(), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "SF:a?b.py\nDA:1,1\nDA:4,1\nDA:5,0\nLF:3\nLH:2\nFN:4,5,g\nFNDA:0,g\nFNF:1\nFNH:0\nend_of_record\n"
        );
    }

    #[test]
    fn checksum_format() {
        // hashlib.md5(b"").digest() base64 without padding.
        assert_eq!(line_hash(""), "1B2M2Y8AsgTpgAmY7PhCfg");
        assert_eq!(line_hash("x = 1"), "03/8VLZ86N4fAe+x8uM2iQ");
    }
}
