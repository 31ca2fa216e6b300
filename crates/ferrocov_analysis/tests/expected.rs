//! Every analysis fixture on every Python version against coverage.py's analysis, checked in as
//! `resources/expected/<fixture>.py3X.json` by `resources/expected/generate.py`: no Python needed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ferrocov_analysis::{AnalysisError, AnalysisOptions, FileAnalysis, analyze_source};
use serde_json::{Value, json};

const PYTHONS: [(u8, u8); 4] = [(3, 10), (3, 11), (3, 12), (3, 13)];

/// Fixtures whose analysis differs from coverage.py's for a documented reason (see the crate
/// README's known gaps): (fixture, version or None for all, reason). The test fails if one of
/// them starts to match, so the entry gets removed.
/// A known difference: fixture, Python version (all when `None`), and why.
type Known = (&'static str, Option<(u8, u8)>, &'static str);

const KNOWN: &[Known] = &[
    (
        "pep695_py312.py",
        Some((3, 10)),
        "CPython names a later tokenizer error (line 15: an f-string reusing its quotes) over the \
         generic syntax error of `type X = ...` on line 1, which ruff names",
    ),
    (
        "pep695_py312.py",
        Some((3, 11)),
        "as on 3.10: CPython's later tokenizer error wins over the first syntax error",
    ),
];

fn resources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("resources")
}

fn fixtures() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(resources())
        .expect("resources/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
        .collect();
    found.sort();
    found
}

fn load(fixture: &Path, python: (u8, u8)) -> Value {
    let stem = fixture.file_stem().expect("stem").to_string_lossy();
    let path = resources()
        .join("expected")
        .join(format!("{stem}.py{}{}.json", python.0, python.1));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "{}: {err}; run resources/expected/generate.py with Python {}.{}",
            path.display(),
            python.0,
            python.1
        )
    });
    serde_json::from_str(&text).expect("valid JSON")
}

/// Our analysis in the expectation's shape.
fn ours(fixture: &Path, python: (u8, u8), exclude: Vec<String>) -> Value {
    let source = std::fs::read(fixture).expect("fixture");
    let options = AnalysisOptions {
        python,
        exclude,
        partial: Vec::new(),
    };
    match analyze_source(&source, &fixture.to_string_lossy(), &options) {
        Ok(analysis) => facts(&analysis),
        Err(err) => error_facts(&err),
    }
}

fn facts(a: &FileAnalysis) -> Value {
    let multiline: BTreeMap<String, u32> = a
        .first_line
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect();
    let regions: Vec<Value> = a
        .regions
        .iter()
        .map(|r| json!({"kind": r.kind.as_str(), "name": r.name, "start": r.start, "lines": r.lines}))
        .collect();
    json!({"statements": a.statements, "excluded": a.excluded, "multiline": multiline, "regions": regions})
}

/// An error as the expectations record coverage.py's: the kind of exception it raises for it and
/// the line coverage.py names (syntax errors' messages are CPython's, ours are ruff's).
fn error_facts(err: &AnalysisError) -> Value {
    match err {
        AnalysisError::NotPython { line, message, .. } => {
            if message == "invalid or missing encoding declaration" {
                // tokenize.detect_encoding's SyntaxError, which coverage.py lets through.
                json!({"error": {"kind": "SyntaxError", "line": null}})
            } else {
                json!({"error": {"kind": "NotPython", "line": line}})
            }
        }
        AnalysisError::TooComplex { message, .. } => {
            let kind = if message.starts_with("maximum recursion depth") {
                "RecursionError"
            } else {
                "MemoryError"
            };
            json!({"error": {"kind": kind, "line": null}})
        }
        other => json!({"error": {"kind": format!("{other:?}"), "line": null}}),
    }
}

fn expected_facts(expected: &Value) -> Value {
    match expected.get("error") {
        Some(err) => {
            let line = if err["kind"] == "NotPython" {
                err["line"].clone()
            } else {
                Value::Null
            };
            json!({"error": {"kind": err["kind"], "line": line}})
        }
        None => json!({
            "statements": expected["statements"],
            "excluded": expected["excluded"],
            "multiline": expected["multiline"],
            "regions": expected["regions"],
        }),
    }
}

#[test]
fn every_fixture_matches_coverage_on_every_python() {
    let mut differ = Vec::new();
    let mut stale_known = Vec::new();
    for fixture in fixtures() {
        let name = fixture
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        for python in PYTHONS {
            let expected = load(&fixture, python);
            let exclude: Vec<String> = expected["exclude"]
                .as_array()
                .expect("exclude list")
                .iter()
                .map(|r| r.as_str().expect("regex").to_owned())
                .collect();
            let got = ours(&fixture, python, exclude);
            let want = expected_facts(&expected);
            let known = KNOWN
                .iter()
                .any(|(f, v, _)| *f == name && v.is_none_or(|v| v == python));
            match (got == want, known) {
                (true, true) => stale_known.push(format!("{name} on {python:?}")),
                (false, false) => differ.push(format!(
                    "{name} on {python:?}:\n  coverage.py: {want}\n  ferrocov:    {got}"
                )),
                _ => {}
            }
        }
    }
    assert!(differ.is_empty(), "differences:\n{}", differ.join("\n"));
    assert!(
        stale_known.is_empty(),
        "listed as known differences but matching now: {stale_known:?}"
    );
}

#[test]
fn every_expectation_has_its_fixture() {
    let names: Vec<String> = fixtures()
        .iter()
        .map(|f| f.file_stem().expect("stem").to_string_lossy().into_owned())
        .collect();
    for entry in std::fs::read_dir(resources().join("expected")).expect("expected/") {
        let path = entry.expect("entry").path();
        let Some(file) = path.file_name().map(|f| f.to_string_lossy().into_owned()) else {
            continue;
        };
        if let Some(stem) = file.strip_suffix(".json") {
            let fixture = stem.rsplit_once('.').map_or(stem, |(f, _)| f);
            assert!(names.iter().any(|n| n == fixture), "{file} has no fixture");
        }
    }
}
