//! Print one file's analysis as JSON, in the shape of `tests/analysis/oracle.py`.
//!
//! Usage: analyze [--python 3.12] [--exclude REGEX]... FILE
//! Without `--exclude`, coverage.py 7.17's default exclusion regexes are used.

use std::path::PathBuf;

use ferrocov_analysis::{AnalysisOptions, analyze_file};
use serde_json::{Map, Value, json};

const DEFAULT_EXCLUDE: [&str; 3] = [
    r"#\s*(pragma|PRAGMA)[:\s]?\s*(no|NO)\s*(cover|COVER)",
    r"^\s*(((async )?def .*?)?[\])]+(\s*->.*?)?:\s*)?\.\.\.\s*(#|$)",
    r"^\s*if (typing\.)?TYPE_CHECKING:",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let mut python = (3u8, 12u8);
    let mut exclude: Option<Vec<String>> = None;
    let mut file = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--python" => {
                let v = args.next().expect("--python needs a version");
                let (major, minor) = v.split_once('.').expect("version like 3.12");
                python = (major.parse().expect("major"), minor.parse().expect("minor"));
            }
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
        partial: Vec::new(),
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
            json!({"statements": a.statements, "excluded": a.excluded,
                   "multiline": multiline, "regions": regions})
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
