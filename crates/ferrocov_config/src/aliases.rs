//! `[paths]` remapping with coverage.py's semantics: every entry's first
//! value is the local location, the other values are patterns matching a
//! leading part of recorded paths; the first rule whose result exists wins.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use regex::Regex;

use crate::errors::ConfigError;
use crate::glob::globs_to_regex;
use crate::pathutil::{abs_file, isabs_anywhere, relative_to, sep_of, source_exists};
use ferrocov_pytext::py_repr;

#[derive(Debug, Clone)]
struct Rule {
    original: String,
    regex: Regex,
    /// Ends with a separator.
    result: String,
}

/// `[paths]` remapping. Shareable across threads; with `relative_files`
/// it learns extra rules while mapping, as coverage.py does.
#[derive(Debug)]
pub struct PathAliases {
    rules: Mutex<Vec<Rule>>,
    relative: bool,
    cwd: PathBuf,
    /// The absolute cwd, stripped from paths in relative mode.
    relative_dir: String,
}

impl PathAliases {
    /// Build the rules from `[paths]` entries, in order. A pattern that ends
    /// in a wildcard is an error, since it would match a whole tree rather
    /// than its root.
    pub fn new(
        paths: &[(String, Vec<String>)],
        relative_files: bool,
        cwd: &Path,
    ) -> Result<PathAliases, ConfigError> {
        let relative_dir = abs_file(".", cwd);
        let aliases = PathAliases {
            rules: Mutex::new(Vec::new()),
            relative: relative_files,
            cwd: cwd.to_path_buf(),
            relative_dir,
        };
        let mut rules = Vec::new();
        for (_, values) in paths {
            let Some((result, patterns)) = values.split_first() else {
                continue;
            };
            for pattern in patterns {
                rules.push(aliases.make_rule(pattern, result)?);
            }
        }
        *aliases.lock() = rules;
        Ok(aliases)
    }

    fn make_rule(&self, pattern: &str, result: &str) -> Result<Rule, ConfigError> {
        let pattern_sep = sep_of(pattern);
        let mut pat = if pattern.len() > 1 {
            pattern.trim_end_matches(['/', '\\']).to_owned()
        } else {
            pattern.to_owned()
        };
        if pat.ends_with('*') {
            return Err(ConfigError::Pattern(format!(
                "Pattern must not end with wildcards: {}",
                py_repr(pattern)
            )));
        }
        // Relative patterns name directories here, unless they are meant to
        // match anywhere (leading `*`) or relative paths are being stored.
        if !self.relative
            && !pat.starts_with('*')
            && !isabs_anywhere(&format!("{pat}{pattern_sep}"))
        {
            pat = abs_file(&pat, &self.cwd);
        }
        if !pat.ends_with(pattern_sep) {
            pat.push(pattern_sep);
        }
        let regex = globs_to_regex(&[pat], true, true)?;
        let result_sep = sep_of(result);
        let mut result = result.trim_end_matches(['/', '\\']).to_owned();
        result.push(result_sep);
        Ok(Rule {
            original: pattern.to_owned(),
            regex,
            result,
        })
    }

    /// Map a recorded path; unchanged when no rule applies. Separators in a
    /// mapped result are `/`.
    pub fn map(&self, path: &str) -> String {
        self.map_with(path, &|p| source_exists(p, &self.cwd), &mut |_| {})
    }

    /// [`PathAliases::map`] with an explicit existence check and a sink for
    /// `--debug=pathmap` messages.
    pub fn map_with(
        &self,
        path: &str,
        exists: &dyn Fn(&str) -> bool,
        debug: &mut dyn FnMut(&str),
    ) -> String {
        let mut path = path.to_owned();
        loop {
            let rules = self.lock().clone();
            for rule in &rules {
                let Some(m) = rule.regex.find(&path) else {
                    continue;
                };
                let mut new = format!("{}{}", rule.result, &path[m.end()..]).replace('\\', "/");
                if !self.relative {
                    new = abs_file(&new, &self.cwd);
                }
                let dot_start = rule.result.len() > 2
                    && (rule.result.starts_with("./") || rule.result.starts_with(".\\"));
                if new.starts_with("./") && !dot_start {
                    new.drain(..2);
                }
                if !exists(&new) {
                    debug(&format!(
                        "Rule {} changed {} to {} which doesn't exist, continuing",
                        py_repr(&rule.original),
                        py_repr(&path),
                        py_repr(&new)
                    ));
                    continue;
                }
                debug(&format!(
                    "Matched path {} to rule {} -> {}, producing {}",
                    py_repr(&path),
                    py_repr(&rule.original),
                    py_repr(&rule.result),
                    py_repr(&new)
                ));
                return new;
            }

            if self.relative {
                path = relative_to(&path, &self.relative_dir).to_owned();
                if !isabs_anywhere(&path) && self.learn_rule_for(&path, debug) {
                    continue;
                }
            }
            debug(&format!(
                "No rules match, path {} is unchanged",
                py_repr(&path)
            ));
            return path;
        }
    }

    /// In relative mode, a relative path's first directory becomes a rule
    /// (`*/dir1` -> `dir1/`), so the same tree recorded under another root
    /// maps onto it later. Returns whether a new rule was added.
    fn learn_rule_for(&self, path: &str, debug: &mut dyn FnMut(&str)) -> bool {
        let mut parts = path.split(['/', '\\']);
        let (Some(dir1), Some(_)) = (parts.next(), parts.next()) else {
            return false;
        };
        let original = format!("*/{dir1}");
        let mut rules = self.lock();
        if rules.iter().any(|r| r.original == original) {
            return false;
        }
        let rx = format!(r"^(.*[\\/])?{}[\\/]", regex::escape(dir1));
        let Ok(regex) = Regex::new(&rx) else {
            return false;
        };
        let result = format!("{dir1}/");
        debug(&format!(
            "Generating rule: {} -> {} using regex {}",
            py_repr(&original),
            py_repr(&result),
            py_repr(&rx)
        ));
        rules.push(Rule {
            original,
            regex,
            result,
        });
        true
    }

    /// One line per rule, for `--debug=pathmap`.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = vec![format!("Aliases (relative={}):", self.relative)];
        for rule in self.lock().iter() {
            lines.push(format!(
                " Rule: {} -> {} using regex {}",
                py_repr(&rule.original),
                py_repr(&rule.result),
                py_repr(rule.regex.as_str())
            ));
        }
        lines
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Rule>> {
        // Rules are only ever appended whole, so a poisoned lock still holds
        // a consistent list.
        self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(values: &[&str]) -> (String, Vec<String>) {
        (
            "source".to_owned(),
            values.iter().map(|v| (*v).to_owned()).collect(),
        )
    }

    fn always(_: &str) -> bool {
        true
    }

    fn map(a: &PathAliases, path: &str, exists: &dyn Fn(&str) -> bool) -> String {
        a.map_with(path, exists, &mut |_| {})
    }

    const CWD: &str = "/nonexistent-cwd";

    #[test]
    fn prefix_is_replaced_by_first_value() {
        let a = PathAliases::new(
            &[entry(&[
                "/src/proj",
                "/jenkins/build/*/src",
                "c:\\myproj\\src",
            ])],
            false,
            Path::new(CWD),
        )
        .unwrap();
        assert_eq!(
            map(&a, "/jenkins/build/1234/src/pkg/m.py", &always),
            "/src/proj/pkg/m.py"
        );
        assert_eq!(
            map(&a, "c:\\myproj\\src\\pkg\\m.py", &always),
            "/src/proj/pkg/m.py"
        );
        // Windows paths match case-insensitively.
        assert_eq!(map(&a, "C:\\MyProj\\Src\\m.py", &always), "/src/proj/m.py");
        // Only a leading prefix matches.
        assert_eq!(
            map(&a, "/x/jenkins/build/1/src/m.py", &always),
            "/x/jenkins/build/1/src/m.py"
        );
        // `*` does not cross directories.
        assert_eq!(
            map(&a, "/jenkins/build/a/b/src/m.py", &always),
            "/jenkins/build/a/b/src/m.py"
        );
    }

    #[test]
    fn result_must_exist_else_next_rule() {
        let a = PathAliases::new(
            &[
                entry(&["/first", "/remote/"]),
                entry(&["/second", "/remote"]),
            ],
            false,
            Path::new(CWD),
        )
        .unwrap();
        let exists = |p: &str| p.starts_with("/second/");
        assert_eq!(map(&a, "/remote/a.py", &exists), "/second/a.py");
        let none = |_: &str| false;
        assert_eq!(map(&a, "/remote/a.py", &none), "/remote/a.py");
    }

    #[test]
    fn relative_patterns_are_made_absolute_against_cwd() {
        let a =
            PathAliases::new(&[entry(&["/canon", "build/lib"])], false, Path::new(CWD)).unwrap();
        assert_eq!(
            map(&a, "/nonexistent-cwd/build/lib/x.py", &always),
            "/canon/x.py"
        );
        assert_eq!(
            map(&a, "/other/build/lib/x.py", &always),
            "/other/build/lib/x.py"
        );
    }

    #[test]
    fn leading_star_matches_any_prefix() {
        let a = PathAliases::new(
            &[entry(&["src/", "*/site-packages/"])],
            false,
            Path::new(CWD),
        )
        .unwrap();
        assert_eq!(
            map(&a, "/venv/lib/python3.12/site-packages/pkg/m.py", &always),
            "/nonexistent-cwd/src/pkg/m.py"
        );
    }

    #[test]
    fn trailing_wildcard_is_rejected() {
        let err = PathAliases::new(&[entry(&["src", "/a/*"])], false, Path::new(CWD)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Pattern must not end with wildcards")
        );
        assert!(PathAliases::new(&[entry(&["src", "/a/*/"])], false, Path::new(CWD)).is_err());
    }

    #[test]
    fn relative_files_results_stay_relative() {
        let a =
            PathAliases::new(&[entry(&["src/", "/ci/work/*/src/"])], true, Path::new(CWD)).unwrap();
        assert_eq!(map(&a, "/ci/work/42/src/pkg/m.py", &always), "src/pkg/m.py");
        // No rule: a path under cwd becomes relative.
        assert_eq!(map(&a, "/nonexistent-cwd/lib/x.py", &always), "lib/x.py");
    }

    #[test]
    fn relative_mode_learns_first_directory_rules() {
        let a = PathAliases::new(&[], true, Path::new(CWD)).unwrap();
        let exists = |p: &str| p == "pkg/m.py" || p == "pkg/n.py";
        assert_eq!(map(&a, "pkg/m.py", &exists), "pkg/m.py");
        // The learned `*/pkg` rule now maps the same tree from elsewhere.
        assert_eq!(map(&a, "/other/machine/pkg/n.py", &exists), "pkg/n.py");
        assert!(a.describe().iter().any(|l| l.contains("'*/pkg'")));
    }

    #[test]
    fn entries_without_patterns_do_nothing() {
        let a = PathAliases::new(&[entry(&["only"]), entry(&[])], false, Path::new(CWD)).unwrap();
        assert_eq!(map(&a, "/x/y.py", &always), "/x/y.py");
    }

    #[test]
    fn debug_messages() {
        let a = PathAliases::new(&[entry(&["/l", "/r"])], false, Path::new(CWD)).unwrap();
        let mut log = Vec::new();
        a.map_with("/r/a.py", &always, &mut |m| log.push(m.to_owned()));
        assert_eq!(
            log,
            ["Matched path '/r/a.py' to rule '/r' -> '/l/', producing '/l/a.py'"]
        );
    }
}
