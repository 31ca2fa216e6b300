//! Every analysis fixture on every Python version against coverage.py's analysis, checked in as
//! `resources/expected/<fixture>.py3X.json` by `resources/expected/generate.py`: no Python needed.
//! The branch facts (arcs, exit counts, no-branch lines, descriptions) are checked too, for the
//! fixtures and for the programs of coverage.py's `tests/test_arcs.py` (`resources/test_arcs`).

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

/// What differs between two analyses, key by key; arcs as the arcs missing and extra.
fn diff_summary(want: &Value, got: &Value) -> String {
    let mut out = Vec::new();
    let keys: std::collections::BTreeSet<&String> = want
        .as_object()
        .into_iter()
        .chain(got.as_object())
        .flat_map(|m| m.keys())
        .collect();
    for key in keys {
        let (w, g) = (want.get(key), got.get(key));
        if w == g {
            continue;
        }
        if key == "arcs" {
            let set = |v: Option<&Value>| -> std::collections::BTreeSet<String> {
                v.and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(Value::to_string)
                    .collect()
            };
            let (w, g) = (set(w), set(g));
            let missing: Vec<_> = w.difference(&g).collect();
            let extra: Vec<_> = g.difference(&w).collect();
            out.push(format!("arcs missing {missing:?} extra {extra:?}"));
        } else if key == "descriptions" || key == "exit_counts" {
            let (w, g) = (w.and_then(Value::as_object), g.and_then(Value::as_object));
            let mut shown = Vec::new();
            for k in w.into_iter().chain(g).flat_map(|m| m.keys()) {
                let (a, b) = (w.and_then(|m| m.get(k)), g.and_then(|m| m.get(k)));
                if a != b && shown.len() < 4 {
                    shown.push(format!("{k}: {a:?} vs {b:?}"));
                }
            }
            out.push(format!("{key}: {}", shown.join("; ")));
        } else {
            let show = |v: Option<&Value>| v.map_or("-".to_owned(), Value::to_string);
            let (w, g) = (show(w), show(g));
            out.push(format!("{key}: coverage.py {w:.300} ferrocov {g:.300}"));
        }
    }
    out.join(" | ")
}

/// The full version an expectation was generated with, e.g. (3, 12, 1).
fn version_of(expected: &Value) -> (u8, u8, u8) {
    let text = expected["python"].as_str().expect("python version");
    let mut parts = text.split('.').map(|p| p.parse::<u8>().expect("number"));
    let mut next = || parts.next().expect("three numbers");
    (next(), next(), next())
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("list of regexes")
        .iter()
        .map(|r| r.as_str().expect("regex").to_owned())
        .collect()
}

/// Our analysis in the expectation's shape.
fn ours(fixture: &Path, expected: &Value) -> Value {
    let source = std::fs::read(fixture).expect("fixture");
    let options = AnalysisOptions {
        python: version_of(expected),
        exclude: strings(&expected["exclude"]),
        partial: strings(&expected["partial"]),
        branches: true,
    };
    match analyze_source(&source, &fixture.to_string_lossy(), &options) {
        Ok(analysis) => {
            let mut out = facts(&analysis);
            let obj = out.as_object_mut().expect("object");
            obj.extend(branch_facts(&analysis));
            if let Some(later) = expected.get("3.12.6") {
                let options = AnalysisOptions {
                    python: (3, 12, 6),
                    ..options
                };
                let analysis = analyze_source(&source, "f.py", &options).expect("analysed");
                let facts = branch_facts(&analysis);
                let keys = later.as_object().expect("object").keys();
                let picked: serde_json::Map<String, Value> =
                    keys.map(|k| (k.clone(), facts[k].clone())).collect();
                obj.insert("3.12.6".into(), Value::Object(picked));
            }
            out
        }
        Err(err) => error_facts(&err),
    }
}

/// Branch facts in the expectation's shape; descriptions as [arc description, sorted parts of
/// the missing-arc description], as `normalize_descriptions` leaves coverage.py's.
fn branch_facts(a: &FileAnalysis) -> serde_json::Map<String, Value> {
    let exit_counts: BTreeMap<String, usize> = a
        .exit_counts()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let descriptions: serde_json::Map<String, Value> = a
        .arcs
        .iter()
        .map(|&(s, e)| {
            let pair = json!([
                a.arc_description(s, e),
                a.missing_arc_description(s, e, None)
            ]);
            (format!("{s},{e}"), pair)
        })
        .collect();
    let mut out = serde_json::Map::new();
    out.insert("arcs".into(), json!(a.arcs));
    out.insert("exit_counts".into(), json!(exit_counts));
    out.insert("no_branch".into(), json!(a.no_branch));
    out.insert(
        "descriptions".into(),
        normalize_descriptions(&Value::Object(descriptions)),
    );
    out
}

/// coverage.py keeps the fragments of one arc in the order of a set, which varies with string
/// hashing between runs: compare the parts of a missing-arc description as a sorted list, and
/// the arc description (the first fragment's) only when there is one fragment.
fn normalize_descriptions(descriptions: &Value) -> Value {
    let Some(map) = descriptions.as_object() else {
        return Value::Null;
    };
    let out: serde_json::Map<String, Value> = map
        .iter()
        .map(|(arc, pair)| {
            let missing = pair[1].as_str().unwrap_or_default();
            let mut parts: Vec<&str> = missing.split(" or ").collect();
            parts.sort_unstable();
            let first = if parts.len() > 1 {
                Value::Null
            } else {
                pair[0].clone()
            };
            (arc.clone(), json!([first, parts]))
        })
        .collect();
    Value::Object(out)
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
        None => {
            let mut out = json!({
                "statements": expected["statements"],
                "excluded": expected["excluded"],
                "multiline": expected["multiline"],
                "regions": expected["regions"],
                "arcs": expected["arcs"],
                "exit_counts": expected["exit_counts"],
                "no_branch": expected["no_branch"],
                "descriptions": normalize_descriptions(&expected["descriptions"]),
            });
            if let Some(later) = expected.get("3.12.6") {
                out["3.12.6"] = later.clone();
            }
            out
        }
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
            let got = ours(&fixture, &expected);
            let want = expected_facts(&expected);
            let known = KNOWN
                .iter()
                .any(|(f, v, _)| *f == name && v.is_none_or(|v| v == python));
            match (got == want, known) {
                (true, true) => stale_known.push(format!("{name} on {python:?}")),
                (false, false) => differ.push(format!(
                    "{name} on {python:?}: {}",
                    diff_summary(&want, &got)
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

/// Programs of coverage.py's branch tests whose branch facts differ for a documented reason:
/// (file, version or None for all, reason).
const KNOWN_TEST_ARCS: &[Known] = &[];

#[test]
fn coverage_branch_test_programs_match_on_every_python() {
    let dir = resources().join("test_arcs");
    let mut differ = Vec::new();
    let mut differ_detail = Vec::new();
    let mut stale_known = Vec::new();
    let mut compared = 0;
    for python in PYTHONS {
        let path = dir.join(format!("expected.py{}{}.json", python.0, python.1));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("{}: {err}; run generate.py", path.display()));
        let all: Value = serde_json::from_str(&text).expect("valid JSON");
        for (name, case) in all.as_object().expect("object") {
            if !name.ends_with(".py") {
                continue;
            }
            let mut case = case.clone();
            case["python"] = all["python"].clone();
            let got = ours(&dir.join(name), &case);
            compared += 1;
            let same = if case.get("arcs").is_none() {
                // coverage.py can't parse it on this version: neither can we.
                got.get("error").is_some()
            } else {
                let want = expected_facts(&case);
                let branch = |v: &Value| {
                    let keys = ["arcs", "exit_counts", "no_branch", "descriptions", "3.12.6"];
                    let picked: serde_json::Map<String, Value> = keys
                        .iter()
                        .filter_map(|k| v.get(*k).map(|x| ((*k).to_owned(), x.clone())))
                        .collect();
                    Value::Object(picked)
                };
                let summary = diff_summary(&branch(&want), &branch(&got));
                if !summary.is_empty() {
                    differ_detail.push(format!("{name} on {python:?}: {summary}"));
                }
                summary.is_empty()
            };
            let known = KNOWN_TEST_ARCS
                .iter()
                .any(|(f, v, _)| *f == name && v.is_none_or(|v| v == python));
            match (same, known) {
                (true, true) => stale_known.push(format!("{name} on {python:?}")),
                (false, false) => differ.push(format!("{name} on {python:?}")),
                _ => {}
            }
        }
    }
    assert!(compared >= 4 * 140, "only {compared} cases compared");
    assert!(
        differ.is_empty(),
        "{} differences:\n{}",
        differ.len(),
        differ_detail.join("\n")
    );
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
