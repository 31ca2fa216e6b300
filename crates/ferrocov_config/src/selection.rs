//! The measure-or-skip decision for each new file, following coverage.py:
//! source trees bound what is measured; otherwise include patterns do;
//! otherwise the stdlib and third-party areas are skipped; omit always
//! applies last.

use std::path::{Path, PathBuf};

use crate::errors::ConfigError;
use crate::glob::GlobMatcher;
use crate::pathutil::{SEP, abs_file};

/// Everything the decision depends on, computed once at start-up.
#[derive(Debug, Clone, Default)]
pub struct SelectionInputs {
    pub cwd: PathBuf,
    /// Resolved: directories from source/source_dirs and package dirs from source/source_pkgs.
    pub source_dirs: Vec<PathBuf>,
    /// `source`, `source_pkgs` or `source_dirs` was given, even if none of it could be
    /// located: then nothing outside the (possibly empty) source trees is measured, rather than
    /// falling back to measuring everything.
    pub source_specified: bool,
    /// Raw patterns from config/CLI.
    pub include: Vec<String>,
    pub omit: Vec<String>,
    pub cover_pylib: bool,
    /// Stdlib directories (computed by Python at start-up).
    pub pylib_dirs: Vec<PathBuf>,
    /// site-packages, scripts dirs, ...
    pub third_party_dirs: Vec<PathBuf>,
    /// ferrocov's own package directory: never measured.
    pub own_dirs: Vec<PathBuf>,
}

/// The outcome for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Measure,
    /// Not measured; the reason is shown by `--debug=trace`.
    Skip(String),
}

/// Built once, then queried once per new file name. Queries touch no file
/// system: all directories are resolved when the selector is built.
#[derive(Debug, Clone)]
pub struct FileSelector {
    source_specified: bool,
    source: Trees,
    source_in_third: Trees,
    include: Option<GlobMatcher>,
    omit: Option<GlobMatcher>,
    pylib: Trees,
    third: Trees,
    own: Trees,
    warnings: Vec<String>,
}

impl FileSelector {
    pub fn new(inputs: SelectionInputs) -> Result<FileSelector, ConfigError> {
        let cwd = &inputs.cwd;
        let source = Trees::new(&inputs.source_dirs, cwd);
        let third = Trees::new(&inputs.third_party_dirs, cwd);
        // Source that itself lives in a third-party area (say, a package
        // installed into site-packages) is still measured.
        let source_in_third = Trees {
            dirs: source
                .dirs
                .iter()
                .filter(|d| third.contains(d))
                .cloned()
                .collect(),
        };
        let pylib = if inputs.cover_pylib {
            Trees::default()
        } else {
            Trees::new(&inputs.pylib_dirs, cwd)
        };
        let mut warnings = Vec::new();
        if !inputs.include.is_empty() && !source.is_empty() {
            warnings.push("--include is ignored because --source is set".to_owned());
        }
        Ok(FileSelector {
            source_specified: inputs.source_specified || !source.is_empty(),
            include: patterns(&inputs.include, cwd)?,
            omit: patterns(&inputs.omit, cwd)?,
            own: Trees::new(&inputs.own_dirs, cwd),
            source,
            source_in_third,
            pylib,
            third,
            warnings,
        })
    }

    /// Decide for a canonical absolute path (or a pseudo-name like `<string>`).
    pub fn decide(&self, canonical_path: &str) -> Decision {
        match self.skip_reason(canonical_path) {
            Some(reason) => Decision::Skip(reason.to_owned()),
            None => Decision::Measure,
        }
    }

    /// Warnings about conflicting inputs, for the user.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn skip_reason(&self, path: &str) -> Option<&'static str> {
        if path.is_empty() {
            return Some("empty string isn't a file name");
        }
        if path.starts_with("memory:") {
            return Some("memory isn't traceable");
        }
        if path.starts_with('<') {
            return Some("file name is not real");
        }
        if self.own.contains(path) {
            return Some("is part of ferrocov");
        }
        if self.source_specified {
            if !self.source.contains(path) {
                return Some("falls outside the --source spec");
            }
            if self.third.contains(path) && !self.source_in_third.contains(path) {
                return Some("inside --source, but is third-party");
            }
        } else if let Some(include) = &self.include {
            if !include.matches(path) {
                return Some("falls outside the --include trees");
            }
        } else {
            // Third-party first: site-packages sits inside the stdlib tree,
            // and the reason should say which it really is.
            if self.third.contains(path) {
                return Some("is a third-party module");
            }
            if self.pylib.contains(path) {
                return Some("is in the stdlib");
            }
        }
        if self.omit.as_ref().is_some_and(|omit| omit.matches(path)) {
            return Some("is inside an --omit pattern");
        }
        None
    }
}

fn patterns(raw: &[String], cwd: &Path) -> Result<Option<GlobMatcher>, ConfigError> {
    if raw.is_empty() {
        return Ok(None);
    }
    GlobMatcher::for_file_patterns(raw, cwd).map(Some)
}

/// Directory trees: a path is inside if it equals a root or continues it
/// after a separator (so `/a/src` does not contain `/a/srcx/m.py`). Compared as
/// coverage.py's `TreeMatcher` compares them: exactly, both sides being real
/// paths (with the file system's case on Windows).
#[derive(Debug, Clone, Default)]
struct Trees {
    dirs: Vec<String>,
}

impl Trees {
    fn new(dirs: &[PathBuf], cwd: &Path) -> Trees {
        Trees {
            dirs: dirs
                .iter()
                .map(|d| abs_file(&d.to_string_lossy(), cwd))
                .collect(),
        }
    }

    fn is_empty(&self) -> bool {
        self.dirs.is_empty()
    }

    fn contains(&self, path: &str) -> bool {
        self.dirs.iter().any(|dir| {
            let root = dir.trim_end_matches(SEP);
            path == dir
                || path
                    .strip_prefix(root)
                    .is_some_and(|rest| rest.starts_with(SEP))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selector(f: impl FnOnce(&mut SelectionInputs)) -> FileSelector {
        let mut inputs = SelectionInputs {
            cwd: PathBuf::from("/nonexistent-proj"),
            pylib_dirs: vec![PathBuf::from("/nonexistent-py/lib/python3.12")],
            third_party_dirs: vec![PathBuf::from(
                "/nonexistent-py/lib/python3.12/site-packages",
            )],
            own_dirs: vec![PathBuf::from(
                "/nonexistent-py/lib/python3.12/site-packages/ferrocov",
            )],
            ..SelectionInputs::default()
        };
        f(&mut inputs);
        FileSelector::new(inputs).unwrap()
    }

    fn skip(reason: &str) -> Decision {
        Decision::Skip(reason.to_owned())
    }

    const STDLIB_FILE: &str = "/nonexistent-py/lib/python3.12/os.py";
    const THIRD_FILE: &str = "/nonexistent-py/lib/python3.12/site-packages/six.py";
    const OWN_FILE: &str = "/nonexistent-py/lib/python3.12/site-packages/ferrocov/x.py";

    #[test]
    fn source_that_resolved_to_nothing_measures_nothing() {
        // `--source=missing_pkg` must not widen to "measure everything".
        let s = selector(|i| i.source_specified = true);
        assert_eq!(
            s.decide("/nonexistent-proj/app.py"),
            skip("falls outside the --source spec")
        );
    }

    #[test]
    fn default_mode_skips_stdlib_third_party_and_self() {
        let s = selector(|_| {});
        assert_eq!(s.decide("/nonexistent-proj/app.py"), Decision::Measure);
        assert_eq!(s.decide(STDLIB_FILE), skip("is in the stdlib"));
        assert_eq!(s.decide(THIRD_FILE), skip("is a third-party module"));
        assert_eq!(s.decide(OWN_FILE), skip("is part of ferrocov"));
        assert_eq!(s.decide("<string>"), skip("file name is not real"));
        assert_eq!(s.decide(""), skip("empty string isn't a file name"));
        assert_eq!(s.decide("memory:0x1"), skip("memory isn't traceable"));
    }

    #[test]
    fn cover_pylib_measures_stdlib_but_not_third_party() {
        let s = selector(|i| i.cover_pylib = true);
        assert_eq!(s.decide(STDLIB_FILE), Decision::Measure);
        assert_eq!(s.decide(THIRD_FILE), skip("is a third-party module"));
    }

    #[test]
    fn source_bounds_measurement_at_directory_boundaries() {
        let s = selector(|i| {
            i.source_dirs = vec![PathBuf::from("/nonexistent-proj/src")];
            i.include = vec!["*/never/*".into()];
        });
        assert_eq!(
            s.decide("/nonexistent-proj/src/pkg/m.py"),
            Decision::Measure
        );
        assert_eq!(
            s.decide("/nonexistent-proj/srcx/m.py"),
            skip("falls outside the --source spec")
        );
        assert_eq!(
            s.decide(STDLIB_FILE),
            skip("falls outside the --source spec")
        );
        assert_eq!(
            s.warnings(),
            ["--include is ignored because --source is set"]
        );
    }

    #[test]
    fn source_inside_site_packages() {
        let site = "/nonexistent-py/lib/python3.12/site-packages";
        let s = selector(|i| {
            i.source_dirs = vec![
                PathBuf::from(format!("{site}/mypkg")),
                PathBuf::from("/nonexistent-py/lib/python3.12"),
            ];
        });
        // Explicitly named package in site-packages: measured.
        assert_eq!(s.decide(&format!("{site}/mypkg/a.py")), Decision::Measure);
        // Source covers the stdlib tree, but site-packages inside it is third-party.
        assert_eq!(
            s.decide(THIRD_FILE),
            skip("inside --source, but is third-party")
        );
        assert_eq!(s.decide(STDLIB_FILE), Decision::Measure);
    }

    #[test]
    fn include_patterns_bound_measurement() {
        let s = selector(|i| i.include = vec!["src/*".into(), "*/tools/*.py".into()]);
        assert_eq!(s.decide("/nonexistent-proj/src/a/b.py"), Decision::Measure);
        assert_eq!(s.decide("/x/tools/t.py"), Decision::Measure);
        assert_eq!(
            s.decide("/nonexistent-proj/other.py"),
            skip("falls outside the --include trees")
        );
        // Include is authoritative: stdlib is not excluded when included.
        let s = selector(|i| i.include = vec!["*/os.py".into()]);
        assert_eq!(s.decide(STDLIB_FILE), Decision::Measure);
        assert!(s.warnings().is_empty());
    }

    #[test]
    fn omit_applies_in_every_mode() {
        let s = selector(|i| {
            i.source_dirs = vec![PathBuf::from("/nonexistent-proj")];
            i.omit = vec!["*/tests/*".into(), "conftest.py".into()];
        });
        assert_eq!(
            s.decide("/nonexistent-proj/tests/test_a.py"),
            skip("is inside an --omit pattern")
        );
        assert_eq!(
            s.decide("/nonexistent-proj/pkg/conftest.py"),
            skip("is inside an --omit pattern")
        );
        assert_eq!(s.decide("/nonexistent-proj/pkg/mod.py"), Decision::Measure);
    }

    #[test]
    fn relative_omit_is_relative_to_cwd() {
        let s = selector(|i| i.omit = vec!["gen/*".into()]);
        assert_eq!(
            s.decide("/nonexistent-proj/gen/x.py"),
            skip("is inside an --omit pattern")
        );
        assert_eq!(s.decide("/elsewhere/gen/x.py"), Decision::Measure);
    }

    #[test]
    fn bad_pattern_is_an_error() {
        let inputs = SelectionInputs {
            omit: vec!["**x".into()],
            ..SelectionInputs::default()
        };
        assert!(FileSelector::new(inputs).is_err());
    }
}
