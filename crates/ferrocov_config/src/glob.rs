//! coverage.py's file-pattern language (used by include, omit and [paths])
//! translated to regexes: `*` and `?` stay within one path component, `**/`
//! spans directories, a leading `*/` matches any prefix, a trailing `/*`
//! matches everything below, `[...]` is a character class, both slash kinds
//! match each other, and a pattern without a slash matches a file name in
//! any directory.

use std::path::Path;

use regex::Regex;

use crate::errors::ConfigError;
use crate::pathutil::abs_file;
use ferrocov_pytext::py_repr;

const ANY_SLASH: &str = r"[/\\]";
const ANY_DIRS: &str = r"(.*[/\\])?";
const NON_SLASHES: &str = r"[^/\\]*";
const ONE_NON_SLASH: &str = r"[^/\\]";

/// Translate one glob into a regex fragment (unanchored).
pub(crate) fn glob_to_regex(pattern: &str) -> Result<String, ConfigError> {
    let mut p = pattern.replace('\\', "/");
    if !p.contains('/') {
        p = format!("**/{p}");
    }
    let mut out = String::new();
    let mut pos = 0;
    while pos < p.len() {
        let rest = &p[pos..];
        if let Some(bad) = forbidden_at(rest) {
            return Err(ConfigError::Pattern(format!(
                "File pattern can't include {}",
                py_repr(bad)
            )));
        }
        let stars = run_len(rest, '*');
        let (piece, used) = if pos == 0 && stars > 0 && rest[stars..].starts_with('/') {
            (ANY_DIRS.to_owned(), stars + 1)
        } else if rest.starts_with('/')
            && run_len(&rest[1..], '*') > 0
            && rest[1..].trim_start_matches('*').is_empty()
        {
            (format!("{ANY_SLASH}.*"), rest.len())
        } else if rest.starts_with("**/") {
            (ANY_DIRS.to_owned(), 3)
        } else if rest.starts_with('/') {
            (ANY_SLASH.to_owned(), 1)
        } else if rest.starts_with('*') {
            (NON_SLASHES.to_owned(), 1)
        } else if rest.starts_with('?') {
            (ONE_NON_SLASH.to_owned(), 1)
        } else if let Some(class_len) = char_class_len(rest) {
            (class_to_regex(&rest[..class_len]), class_len)
        } else if rest.starts_with(['[', ']']) {
            return Err(ConfigError::Pattern(format!(
                "File pattern can't include {}",
                py_repr(&rest[..1])
            )));
        } else {
            let word = rest
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
                .count();
            if word > 0 {
                (rest[..word].to_owned(), word)
            } else {
                let ch = rest.chars().next().map_or(1, char::len_utf8);
                (regex::escape(&rest[..ch]), ch)
            }
        };
        out.push_str(&piece);
        pos += used;
    }
    Ok(out)
}

/// The disallowed star combinations, checked first at every position:
/// `***`, `x**`, `**x`, and `**/**`. Returns the offending text.
fn forbidden_at(rest: &str) -> Option<&str> {
    let stars = run_len(rest, '*');
    if stars >= 3 {
        return Some(&rest[..stars]);
    }
    // `x**`: a non-slash run (at least one character) that continues into `**`.
    let seg_len = rest.find('/').unwrap_or(rest.len());
    let seg = &rest[..seg_len];
    if let Some(j) = seg.rfind("**").filter(|&j| j >= 1) {
        // The latest `**` start at index >= 1, as the regex's backtracking finds.
        let end = j + run_len(&seg[j..], '*');
        return Some(&seg[..end]);
    }
    if stars >= 2 && seg_len > stars {
        return Some(seg);
    }
    if rest.starts_with("**/**") {
        return Some(&rest[..5]);
    }
    None
}

fn run_len(s: &str, c: char) -> usize {
    s.len() - s.trim_start_matches(c).len()
}

/// `[` up to the first following `]` (possibly with nothing between), on one line.
fn char_class_len(rest: &str) -> Option<usize> {
    let body = rest.strip_prefix('[')?;
    let close = body.find(']')?;
    (!body[..close].contains('\n')).then_some(close + 2)
}

/// Copy a `[...]` class into the regex. Characters that Python's `re`
/// takes literally inside a class but the `regex` crate treats as set
/// syntax (`[`, `&`, `~`) are escaped.
fn class_to_regex(class: &str) -> String {
    let inner = &class[1..class.len() - 1];
    let mut out = String::from("[");
    for c in inner.chars() {
        if matches!(c, '[' | '&' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push(']');
    out
}

/// Compile patterns into one regex matching any of them, anchored at the
/// start; with `partial` a match of a leading part of the path is enough.
pub(crate) fn globs_to_regex(
    patterns: &[String],
    case_insensitive: bool,
    partial: bool,
) -> Result<Regex, ConfigError> {
    let parts = patterns
        .iter()
        .map(|p| glob_to_regex(p).map(|rx| format!("(?:{rx})")))
        .collect::<Result<Vec<_>, _>>()?;
    let flags = if case_insensitive { "(?i)" } else { "" };
    let end = if partial { "" } else { r"\z" };
    let rx = format!("{flags}^(?:{}){end}", parts.join("|"));
    Regex::new(&rx)
        .map_err(|e| ConfigError::Pattern(format!("Invalid file pattern in {patterns:?}: {e}")))
}

/// A set of include/omit patterns, matched against whole paths.
#[derive(Debug, Clone)]
pub struct GlobMatcher {
    patterns: Vec<String>,
    regex: Option<Regex>,
}

impl GlobMatcher {
    /// Patterns used exactly as given. Matching is case-insensitive on
    /// Windows only, like coverage.py.
    pub fn new(patterns: &[String]) -> Result<GlobMatcher, ConfigError> {
        let regex = if patterns.is_empty() {
            None
        } else {
            Some(globs_to_regex(patterns, cfg!(windows), false)?)
        };
        Ok(GlobMatcher {
            patterns: patterns.to_vec(),
            regex,
        })
    }

    /// coverage.py's treatment of user include/omit patterns: each pattern
    /// is kept, and one that does not start with a wildcard (`*`, `?`) is
    /// also added made absolute against `cwd`.
    pub fn for_file_patterns(patterns: &[String], cwd: &Path) -> Result<GlobMatcher, ConfigError> {
        let mut prepped = Vec::with_capacity(patterns.len() * 2);
        for p in patterns {
            prepped.push(p.clone());
            if !p.starts_with(['*', '?']) {
                prepped.push(abs_file(p, cwd));
            }
        }
        GlobMatcher::new(&prepped)
    }

    /// Does `path` match one of the patterns? An empty set matches nothing.
    pub fn matches(&self, path: &str) -> bool {
        self.regex.as_ref().is_some_and(|rx| rx.is_match(path))
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The patterns actually matched against (after preparation).
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, path: &str) -> bool {
        GlobMatcher::new(&[pattern.to_owned()])
            .unwrap()
            .matches(path)
    }

    #[test]
    fn glob_semantics_table() {
        // (pattern, path, matches)
        let cases = [
            // `*` stays inside one component.
            ("/a/*.py", "/a/x.py", true),
            ("/a/*.py", "/a/b/x.py", false),
            ("/a/*.py", "/a/.py", true),
            // `?` is exactly one non-slash character.
            ("/a/?.py", "/a/x.py", true),
            ("/a/?.py", "/a/xy.py", false),
            ("/a?b", "/a/b", false),
            // `**/` spans any number of directories, including none.
            ("/a/**/x.py", "/a/x.py", true),
            ("/a/**/x.py", "/a/b/c/x.py", true),
            ("/a/**/x.py", "/ab/x.py", false),
            // A leading `*/` matches any prefix, or nothing.
            ("*/tests/*", "/home/u/proj/tests/test_a.py", true),
            ("*/tests/*", "tests/test_a.py", true),
            ("*/tests/*", "/home/u/proj/mytests/a.py", false),
            (
                "*/site-packages/*",
                "/usr/lib/python3/site-packages/x/y.py",
                true,
            ),
            // A trailing `/*` matches everything below, any depth.
            ("/proj/src/*", "/proj/src/a/b/c.py", true),
            ("/proj/src/*", "/proj/src", false),
            ("/proj/src/*", "/proj/srcx/a.py", false),
            // So is a trailing `/***` (one token), though `***` elsewhere is an error.
            ("/proj/src/***", "/proj/src/a/b.py", true),
            // A pattern without a slash matches the name in any directory.
            ("x.py", "/a/b/x.py", true),
            ("x.py", "x.py", true),
            ("x.py", "/a/bx.py", false),
            ("*.txt", "/a/b/c.txt", true),
            ("*.txt", "/a/b/c.py", false),
            // The whole path must match.
            ("/a/b", "/a/b/c", false),
            ("/a/b", "/a/b", true),
            // Character classes.
            ("/a/[xy].py", "/a/x.py", true),
            ("/a/[xy].py", "/a/z.py", false),
            ("/a/[a-c]*.py", "/a/bee.py", true),
            ("/a/[!x].py", "/a/!.py", true),
            // Either slash matches either slash.
            ("/a/b.py", "\\a\\b.py", true),
            ("c:\\proj\\*.py", "c:/proj/m.py", true),
            // Other characters are literal.
            ("/a/b.py", "/a/bxpy", false),
            ("/a+b/(c).py", "/a+b/(c).py", true),
            ("/é/ü.py", "/é/ü.py", true),
            // Case-sensitive on Linux.
            ("/A/b.py", "/a/b.py", cfg!(windows)),
        ];
        for (pattern, path, want) in cases {
            assert_eq!(m(pattern, path), want, "pattern {pattern:?} vs {path:?}");
        }
    }

    #[test]
    fn forbidden_patterns() {
        for (pattern, shown) in [
            ("/a/***/b", "'***'"),
            ("/a/x**/b", "'x**'"),
            ("/a/**x/b", "'**x'"),
            ("/a/**/**/b", "'**/**'"),
            ("/a/[x/b", "'['"),
            ("/a/]/b", "']'"),
        ] {
            let err = GlobMatcher::new(&[pattern.to_owned()]).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("File pattern can't include {shown}"),
                "{pattern}"
            );
        }
    }

    #[test]
    fn multiple_patterns_any_matches() {
        let g = GlobMatcher::new(&["*/a/*".to_owned(), "*.txt".to_owned()]).unwrap();
        assert!(g.matches("/x/a/y.py"));
        assert!(g.matches("/x/b/y.txt"));
        assert!(!g.matches("/x/b/y.py"));
        assert!(!GlobMatcher::new(&[]).unwrap().matches("/anything"));
    }

    #[test]
    fn file_patterns_are_also_made_absolute() {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path().canonicalize().unwrap();
        let g = GlobMatcher::for_file_patterns(&["src/*".to_owned(), "*/skip.py".to_owned()], &cwd)
            .unwrap();
        let c = cwd.to_string_lossy();
        assert!(g.matches(&format!("{c}/src/pkg/mod.py")));
        assert!(g.matches("src/mod.py"));
        assert!(!g.matches("/elsewhere/src/mod.py"));
        assert!(g.matches("/anywhere/skip.py"));
        assert_eq!(g.patterns().len(), 3);
    }

    proptest::proptest! {
        #[test]
        fn translation_never_panics(pattern in "\\PC{0,24}") {
            let _ = glob_to_regex(&pattern);
            let _ = GlobMatcher::new(&[pattern]);
        }

        #[test]
        fn literal_paths_match_only_themselves(
            path in "(/[a-zA-Z0-9_.+ -]{1,8}){1,4}",
            other in "(/[a-zA-Z0-9_.+ -]{1,8}){1,4}",
        ) {
            let g = GlobMatcher::new(std::slice::from_ref(&path)).unwrap();
            proptest::prop_assert!(g.matches(&path));
            proptest::prop_assert_eq!(g.matches(&other), other == path);
        }

        #[test]
        fn star_never_crosses_a_slash(dir in "[a-z]{1,6}", name in "[a-z]{1,6}") {
            let g = GlobMatcher::new(&["/root/*.py".to_owned()]).unwrap();
            let direct = format!("/root/{name}.py");
            let nested = format!("/root/{dir}/{name}.py");
            proptest::prop_assert!(g.matches(&direct));
            proptest::prop_assert!(!g.matches(&nested));
        }
    }
}
