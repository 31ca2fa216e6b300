//! Analysis errors, worded as coverage.py words them (or in its style where it has no words).

use ferrocov_pytext::py_repr;

/// Why a file could not be analysed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    /// The file can't be read (missing, vanished, unreadable).
    #[error("No source for code: '{path}'.")]
    NoSource { path: String, reason: String },
    /// The file isn't Python that this interpreter version can compile.
    #[error(
        "Couldn't parse '{path}' as Python source: {} at line {line}",
        py_repr(message)
    )]
    NotPython {
        path: String,
        line: u32,
        message: String,
    },
    /// The file nests deeper than CPython's parser or compiler can take (CPython raises
    /// MemoryError or RecursionError, which coverage.py does not catch: without `-i` its report
    /// stops with a traceback, with `-i` it warns `Couldn't parse '<path>': <message>`).
    #[error(
        "Couldn't parse '{path}' as Python source: {} at line {line}",
        py_repr(message)
    )]
    TooComplex {
        path: String,
        line: u32,
        message: String,
    },
    /// A bug in this crate: analysing the file panicked. The panic stops here, with this file.
    #[error("Couldn't parse '{path}' as Python source: internal error: {message}")]
    Internal { path: String, message: String },
    /// A user exclusion regex that can't be compiled.
    #[error("Invalid exclusion regex {}: {message}", py_repr(pattern))]
    BadExcludeRegex { pattern: String, message: String },
    /// A user partial-branch regex that can't be compiled.
    #[error("Invalid partial-branch regex {}: {message}", py_repr(pattern))]
    BadPartialRegex { pattern: String, message: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_coverage() {
        let e = AnalysisError::NotPython {
            path: "a.py".into(),
            line: 3,
            message: "bad".into(),
        };
        assert_eq!(
            e.to_string(),
            "Couldn't parse 'a.py' as Python source: 'bad' at line 3"
        );
        let e = AnalysisError::NoSource {
            path: "b.py".into(),
            reason: "gone".into(),
        };
        assert_eq!(e.to_string(), "No source for code: 'b.py'.");
    }
}
