//! "Which tests ran these lines?": `ferrocov contexts FILE[:LINE[-LINE]]` answered from the data
//! as the reports read it. FILE is matched as the user types it (relative to the working
//! directory or absolute, through symlinks) against the measured paths.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use anyhow::bail;
use ferrocov_data::CoverageData;

/// A file and, optionally, an inclusive range of its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineQuery {
    pub file: String,
    pub lines: Option<(u32, u32)>,
}

impl LineQuery {
    /// `FILE`, `FILE:LINE` or `FILE:FIRST-LAST`. `measured` says whether a whole spec names a
    /// measured file, so a file whose name holds a `:` is still found.
    pub fn parse(spec: &str, measured: impl Fn(&str) -> bool) -> anyhow::Result<Self> {
        let whole = || LineQuery {
            file: spec.to_owned(),
            lines: None,
        };
        if spec.is_empty() {
            bail!("No file given: use FILE, FILE:LINE or FILE:FIRST-LAST");
        }
        let Some((file, range)) = spec.rsplit_once(':') else {
            return Ok(whole());
        };
        // `C:\x.py` or `C:x.py` names a drive, and a `:` before a separator is the file's own.
        let drive = file.len() == 1 && file.chars().all(|c| c.is_ascii_alphabetic());
        if measured(spec) || drive || range.contains(['/', '\\']) || file.is_empty() {
            return Ok(whole());
        }
        Ok(LineQuery {
            file: file.to_owned(),
            lines: Some(parse_range(range)?),
        })
    }
}

fn parse_range(range: &str) -> anyhow::Result<(u32, u32)> {
    let bad = |why: &str| anyhow::anyhow!("Bad line range {range:?}: {why}");
    let number = |text: &str| -> anyhow::Result<u32> {
        match text.trim().parse::<u32>() {
            Ok(0) => Err(bad("lines are numbered from 1")),
            Ok(n) => Ok(n),
            Err(_) => Err(bad("expected LINE or FIRST-LAST, e.g. 12 or 12-20")),
        }
    };
    let (first, last) = match range.split_once('-') {
        Some((first, last)) => (number(first)?, number(last)?),
        None => {
            let line = number(range)?;
            (line, line)
        }
    };
    if last < first {
        return Err(bad("the last line comes before the first"));
    }
    Ok((first, last))
}

/// What ran the lines asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineAnswer {
    /// The file as measured (the data file's path).
    pub path: String,
    /// The lines asked about, if a range was given.
    pub lines: Option<(u32, u32)>,
    /// Every context that ran one of those lines, sorted; the empty context is `""`.
    pub contexts: Vec<String>,
    /// The same per measured line (lines nothing ran are left out).
    pub by_line: BTreeMap<u32, Vec<String>>,
}

/// Answers `query` from `data`, the file found as [`measured_path`] finds it.
pub fn answer(data: &CoverageData, query: &LineQuery, cwd: &Path) -> anyhow::Result<LineAnswer> {
    let Some(path) = measured_path(data, &query.file, cwd) else {
        bail!(
            "No data for {:?}: it is not one of the {} files measured in the data file",
            query.file,
            data.file_count()
        );
    };
    let in_range = |line: u32| query.lines.is_none_or(|(a, b)| (a..=b).contains(&line));
    let by_line: BTreeMap<u32, Vec<String>> = data
        .contexts_by_line(path)
        .into_iter()
        .filter(|(line, _)| in_range(*line))
        .map(|(line, labels)| (line, labels.into_iter().map(str::to_owned).collect()))
        .collect();
    let contexts: BTreeSet<&String> = by_line.values().flatten().collect();
    Ok(LineAnswer {
        path: path.to_owned(),
        lines: query.lines,
        contexts: contexts.into_iter().cloned().collect(),
        by_line,
    })
}

/// The measured path `typed` names: the same string, or the same file once both are made
/// absolute against `cwd` (lexically, then through the file system's real paths).
pub fn measured_path<'a>(data: &'a CoverageData, typed: &str, cwd: &Path) -> Option<&'a str> {
    if let Some(exact) = data.files().find(|p| *p == typed) {
        return Some(exact);
    }
    let target = normalize(&cwd.join(typed));
    let real_target = ferrocov_config::real_path(&target).ok();
    data.files().find(|measured| {
        let candidate = normalize(&cwd.join(measured));
        candidate == target
            || real_target.as_ref().is_some_and(|real| {
                ferrocov_config::real_path(&candidate).is_ok_and(|c| &c == real)
            })
    })
}

/// `a/./b/../c` -> `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never(_: &str) -> bool {
        false
    }

    #[test]
    fn specs_and_bad_ranges() {
        let q = |s: &str| LineQuery::parse(s, never);
        assert_eq!(
            q("pkg/m.py").unwrap(),
            LineQuery {
                file: "pkg/m.py".into(),
                lines: None
            }
        );
        assert_eq!(q("m.py:12").unwrap().lines, Some((12, 12)));
        assert_eq!(q("m.py:3-9").unwrap().lines, Some((3, 9)));
        assert_eq!(q("C:\\p\\m.py").unwrap().lines, None);
        assert_eq!(q("C:\\p\\m.py:4").unwrap().lines, Some((4, 4)));
        for bad in [
            "m.py:", "m.py:x", "m.py:0", "m.py:9-3", "m.py:1-", "m.py:-2",
        ] {
            let err = q(bad).expect_err(bad).to_string();
            assert!(err.starts_with("Bad line range"), "{bad}: {err}");
        }
        assert!(q("").is_err());
        // A measured file whose name holds a colon is found whole.
        let odd = LineQuery::parse("odd:1", |s| s == "odd:1").unwrap();
        assert_eq!(odd.lines, None);
    }

    #[test]
    fn files_as_typed_and_lines_in_range() {
        let dir = tempfile::tempdir().unwrap();
        let cwd = ferrocov_config::real_path(dir.path()).unwrap();
        std::fs::create_dir(cwd.join("pkg")).unwrap();
        std::fs::write(cwd.join("pkg/m.py"), "x = 1\n").unwrap();
        let measured = cwd.join("pkg/m.py").to_string_lossy().into_owned();
        let mut data = CoverageData::new();
        data.add_lines(&measured, "", [1]);
        data.add_lines(&measured, "t1|run", [1, 2, 5]);
        data.add_lines(&measured, "t2|run", [5]);
        for typed in ["pkg/m.py", "./pkg/../pkg/m.py", measured.as_str()] {
            assert_eq!(
                measured_path(&data, typed, &cwd),
                Some(measured.as_str()),
                "{typed}"
            );
        }
        let query = LineQuery {
            file: "pkg/m.py".into(),
            lines: Some((2, 5)),
        };
        let got = answer(&data, &query, &cwd).unwrap();
        assert_eq!(got.contexts, ["t1|run", "t2|run"]);
        assert_eq!(got.by_line.keys().copied().collect::<Vec<_>>(), [2, 5]);
        let all = LineQuery {
            file: "pkg/m.py".into(),
            lines: None,
        };
        assert_eq!(
            answer(&data, &all, &cwd).unwrap().contexts,
            ["", "t1|run", "t2|run"]
        );
        let missing = LineQuery {
            file: "other.py".into(),
            lines: None,
        };
        let err = answer(&data, &missing, &cwd).unwrap_err().to_string();
        assert!(err.starts_with("No data for \"other.py\""), "{err}");
    }
}
