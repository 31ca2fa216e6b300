//! Any bytes through source analysis, for every Python version: a result or an error, never a
//! crash, a stack overflow, or a caught panic (which the entry point turns into `Internal`).
#![no_main]

use ferrocov_analysis::{AnalysisError, AnalysisOptions, analyze_source};
use libfuzzer_sys::fuzz_target;

const DEFAULT_EXCLUDE: [&str; 3] = [
    r"#\s*(pragma|PRAGMA)[:\s]?\s*(no|NO)\s*(cover|COVER)",
    r"^\s*(((async )?def .*?)?[\])]+(\s*->.*?)?:\s*)?\.\.\.\s*(#|$)",
    r"^\s*if (typing\.)?TYPE_CHECKING:",
];

fuzz_target!(|data: &[u8]| {
    for python in [(3, 10), (3, 11), (3, 12), (3, 13)] {
        let options = AnalysisOptions {
            python,
            exclude: DEFAULT_EXCLUDE.iter().map(|s| (*s).to_owned()).collect(),
            partial: Vec::new(),
        };
        if let Err(err @ AnalysisError::Internal { .. }) =
            analyze_source(data, "fuzz.py", &options)
        {
            panic!("{python:?}: {err}");
        }
    }
});
