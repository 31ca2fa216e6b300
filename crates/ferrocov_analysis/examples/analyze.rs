//! Print one file's analysis as JSON, in the shape of `resources/expected/oracle.py`.
//!
//! Usage: analyze [--python 3.12[.6]] [--exclude REGEX]... [--partial REGEX]... [--arcs] FILE
//! Without `--exclude`, coverage.py 7.17's default exclusion regexes are used; without
//! `--partial`, the default partial-branch regexes of the version's coverage.py. `--arcs` adds
//! the branch facts: arcs, no_branch, exit_counts and each arc's two descriptions.

use std::path::PathBuf;

use ferrocov_analysis::{AnalysisOptions, FileAnalysis, analyze_file, default_partial};
use serde_json::{Map, Value, json};

const DEFAULT_EXCLUDE: [&str; 3] = [
    r"#\s*(pragma|PRAGMA)[:\s]?\s*(no|NO)\s*(cover|COVER)",
    r"^\s*(((async )?def .*?)?[\])]+(\s*->.*?)?:\s*)?\.\.\.\s*(#|$)",
    r"^\s*if (typing\.)?TYPE_CHECKING:",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let mut python = (3u8, 12u8, 0u8);
    let mut exclude: Option<Vec<String>> = None;
    let mut partial: Option<Vec<String>> = None;
    let mut with_arcs = false;
    let mut file = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--python" => {
                let v = args.next().expect("--python needs a version");
                let mut parts = v
                    .split('.')
                    .map(|p| p.parse::<u8>().expect("version number"));
                python = (
                    parts.next().expect("major"),
                    parts.next().expect("minor"),
                    parts.next().unwrap_or(0),
                );
            }
            "--partial" => partial
                .get_or_insert_with(Vec::new)
                .push(args.next().expect("regex")),
            "--arcs" => with_arcs = true,
            "--exclude" => exclude
                .get_or_insert_with(Vec::new)
                .push(args.next().expect("regex")),
            _ => file = Some(PathBuf::from(arg)),
        }
    }
    let file = file.expect("usage: analyze [--python X.Y] [--exclude RE]... FILE");
    let exclude =
        exclude.unwrap_or_else(|| DEFAULT_EXCLUDE.iter().map(|s| (*s).to_owned()).collect());
    let options = AnalysisOptions {
        python,
        exclude,
        partial: partial.unwrap_or_else(|| default_partial(python)),
        branches: true,
    };
    let out = match analyze_file(&file, &options) {
        Ok(a) => {
            let multiline: Map<String, Value> = a
                .first_line
                .iter()
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect();
            let regions: Vec<Value> = a
                .regions
                .iter()
                .map(|r| json!({"kind": r.kind.as_str(), "name": r.name, "start": r.start, "lines": r.lines}))
                .collect();
            let mut out = json!({"statements": a.statements, "excluded": a.excluded,
                   "multiline": multiline, "regions": regions});
            if with_arcs {
                out.as_object_mut()
                    .expect("object")
                    .extend(branch_facts(&a));
            }
            out
        }
        Err(err) => {
            let line = match &err {
                ferrocov_analysis::AnalysisError::NotPython { line, .. } => Some(*line),
                _ => None,
            };
            json!({"error": err.to_string(), "error_line": line})
        }
    };
    println!("{out}");
}

/// The branch facts in the oracle's shape: arcs as pairs, exit counts and descriptions keyed by
/// "line" and "start,end".
fn branch_facts(a: &FileAnalysis) -> Map<String, Value> {
    let exit_counts: Map<String, Value> = a
        .exit_counts()
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let descriptions: Map<String, Value> = a
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
    let mut out = Map::new();
    out.insert("arcs".into(), json!(a.arcs));
    out.insert("no_branch".into(), json!(a.no_branch));
    out.insert("exit_counts".into(), Value::Object(exit_counts));
    out.insert("descriptions".into(), Value::Object(descriptions));
    out
}
