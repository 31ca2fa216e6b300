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
    for python in [(3, 10, 13), (3, 11, 7), (3, 12, 1), (3, 12, 6), (3, 13, 0)] {
        let options = AnalysisOptions {
            python,
            exclude: DEFAULT_EXCLUDE.iter().map(|s| (*s).to_owned()).collect(),
            partial: ferrocov_analysis::default_partial(python),
            branches: true,
        };
        if let Err(err @ AnalysisError::Internal { .. }) =
            analyze_source(data, "fuzz.py", &options)
        {
            panic!("{python:?}: {err}");
        }
    }
});
