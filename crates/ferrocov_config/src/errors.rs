//! The crate's error type.

use std::path::PathBuf;

use ferrocov_pytext::py_repr;

/// Everything that can go wrong while reading configuration or building
/// matchers from it. The `Display` text is what users see, so every variant
/// names where the problem is.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A file named explicitly (`--rcfile`, `COVERAGE_RCFILE`) could not be read.
    #[error("Couldn't read {} as a config file", py_repr(.name))]
    Unreadable { name: String, path: PathBuf },

    /// The file could not be parsed at all (INI or TOML syntax).
    #[error("{}: {}{message}", .path.display(), line_prefix(*.line))]
    Syntax {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },

    /// A value of a known option could not be converted or is not allowed.
    #[error("{}: [{section}] {key}: {message}", .path.display())]
    Value {
        path: PathBuf,
        /// The section as spelled in the file, e.g. `coverage:report` or `tool.coverage.run`.
        section: String,
        key: String,
        message: String,
    },

    /// A file pattern (include/omit/[paths]) is not acceptable.
    #[error("{0}")]
    Pattern(String),

    /// A whole-configuration check failed (e.g. conflicting concurrency choices).
    #[error("{0}")]
    Invalid(String),
}

fn line_prefix(line: Option<usize>) -> String {
    match line {
        Some(n) => format!("line {n}: "),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_error_names_file_section_key() {
        let e = ConfigError::Value {
            path: PathBuf::from("/x/setup.cfg"),
            section: "coverage:report".into(),
            key: "precision".into(),
            message: "invalid literal for int: 'abc'".into(),
        };
        assert_eq!(
            e.to_string(),
            "/x/setup.cfg: [coverage:report] precision: invalid literal for int: 'abc'"
        );
    }

    #[test]
    fn syntax_error_names_line() {
        let e = ConfigError::Syntax {
            path: PathBuf::from("/x/.coveragerc"),
            line: Some(3),
            message: "bad".into(),
        };
        assert_eq!(e.to_string(), "/x/.coveragerc: line 3: bad");
    }
}
