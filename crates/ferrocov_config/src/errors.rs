//! The crate's error type, and Python-style quoting used in its messages.

use std::path::PathBuf;

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

/// Quote a string the way Python's `repr()` does for the common cases, so that
/// messages read like coverage.py's (`'abc'`, or `"it's"`).
pub fn py_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_matches_python() {
        assert_eq!(py_repr("abc"), "'abc'");
        assert_eq!(py_repr("it's"), "\"it's\"");
        assert_eq!(py_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(py_repr("a\\b\n"), "'a\\\\b\\n'");
    }

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
