//! Source analysis with coverage.py's answers: statements, excluded lines, the multi-line map
//! and function/class regions of one Python file, as coverage.py computes them on a given Python.
//!
//! coverage.py reads statements from the compiled bytecode's line table; this crate reproduces
//! that from the AST (see `statements`), and the rest from tokens and regexes as coverage.py does.

mod arcs;
mod decode;
mod error;
mod exclude;
mod highlight;
mod multiline;
mod no_branch;
mod prescan;
mod regions;
mod stack;
mod statements;
mod syntax;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub use arcs::apply_with_chains;
pub use decode::{HostCodec, decode_source, set_host_codec};
pub use error::AnalysisError;
pub use exclude::{join_regex, translate_python_regex};
pub use highlight::{TokenPiece, source_token_lines};
pub use regions::{CodeRegion, RegionKind};

/// An arc between two lines; `-N` is the entry to or exit from the code object starting on `N`.
pub type Arc = (i32, i32);
/// coverage.py 7.16's `with` rewrite: an arc back to a `with` start, and the (start -> next,
/// end -> next) arcs it chains through.
pub type WithJumpChains = BTreeMap<Arc, (Arc, Arc)>;

/// What to analyse for.
#[derive(Debug, Clone)]
pub struct AnalysisOptions {
    /// The Python version (major, minor, micro) whose compiler the answer must match, e.g.
    /// `(3, 12, 6)`. It also picks the coverage.py whose rules apply: 7.16.2 on 3.10 (the last
    /// release for it), else 7.17; the micro version matters for `with` arcs (3.12.6 changed them).
    pub python: (u8, u8, u8),
    /// `[report] exclude_lines` regexes (Python `re` syntax), defaults and `exclude_also` already merged.
    pub exclude: Vec<String>,
    /// The partial-branch regexes (Python `re` syntax) with everything coverage.py joins for
    /// `no_branch_lines()` merged: `partial_branches`, `partial_also`, `partial_branches_always`
    /// (see [`default_partial`]). Like coverage.py's empty joined regex, an empty list matches
    /// every line.
    pub partial: Vec<String>,
    /// Whether to find the branch facts (`arcs`, `no_branch`, the `with` rewrite, descriptions):
    /// only reports of branch data need them, and they cost line reports a third more time.
    pub branches: bool,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        Self {
            python: (3, 12, 6),
            exclude: Vec::new(),
            partial: default_partial((3, 12, 6)),
            branches: true,
        }
    }
}

impl AnalysisOptions {
    /// The (major, minor) version: all that line analysis depends on.
    pub fn minor(&self) -> (u8, u8) {
        (self.python.0, self.python.1)
    }
}

/// coverage.py's default `partial_branches` followed by its `partial_branches_always` for the
/// coverage.py that runs on `python`: 7.17 anchors the always-partial rules at the start of the
/// statement (`^\s*while True:`), 7.16.2 (on 3.10) matches them anywhere in a line.
pub fn default_partial(python: (u8, u8, u8)) -> Vec<String> {
    let always: [&str; 2] = if (python.0, python.1) >= (3, 11) {
        [r"^\s*while (True|1|False|0):", r"^\s*if (True|1|False|0):"]
    } else {
        ["while (True|1|False|0):", "if (True|1|False|0):"]
    };
    std::iter::once(r"#\s*(pragma|PRAGMA)[:\s]?\s*(no|NO)\s*(branch|BRANCH)")
        .chain(always)
        .map(str::to_owned)
        .collect()
}

/// The facts coverage.py's `PythonParser` finds for one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileAnalysis {
    /// Executable statement lines (first line of each statement), excluded ones removed.
    pub statements: BTreeSet<u32>,
    /// coverage.py's `excluded` set, reported as `excluded_lines`.
    pub excluded: BTreeSet<u32>,
    /// coverage.py's `multiline_map`: every line of a multi-line statement -> its first line.
    /// Lines of single-line statements are absent.
    pub first_line: BTreeMap<u32, u32>,
    /// The decoded source, as coverage.py reads it (`\n` newlines, form feeds as spaces).
    pub text: String,
    /// Functions and classes, as coverage.py's `code_regions()`.
    pub regions: Vec<CodeRegion>,
    /// coverage.py's `arcs()`: the possible arcs between first lines; `-N` is the entry to or
    /// exit from the code object starting on line `N`. Excluded lines are not removed.
    pub arcs: BTreeSet<(i32, i32)>,
    /// coverage.py's `no_branch_lines()`: lines the partial-branch regexes match (first lines).
    pub no_branch: BTreeSet<u32>,
    /// How measured arcs leaving a `with` are rewritten before reporting (coverage.py's
    /// `translate_arcs`), coverage.py 7.17's form: an arc replaced (`Some`) or dropped (`None`).
    pub with_jump_fixers: BTreeMap<Arc, Option<Arc>>,
    /// The same for coverage.py 7.16 (Python 3.10): an arc back to a `with` start, and the
    /// (start -> next, end -> next) arcs it chains through.
    pub with_jump_chains: WithJumpChains,
    /// The analyzer's message fragments behind the descriptions.
    descriptions: arcs::ArcFacts,
}

impl FileAnalysis {
    /// The first line of the statement containing `line`.
    pub fn first_line_of(&self, line: u32) -> u32 {
        self.first_line.get(&line).copied().unwrap_or(line)
    }

    /// coverage.py's `exit_counts()`: how many possible arcs leave each line, arcs from or to
    /// excluded lines left out. A line with more than one exit is a branch.
    pub fn exit_counts(&self) -> BTreeMap<u32, usize> {
        let mut counts = BTreeMap::new();
        for &(from, to) in &self.arcs {
            let Ok(from) = u32::try_from(from) else {
                continue;
            };
            let to_excluded = u32::try_from(to).is_ok_and(|to| self.excluded.contains(&to));
            if self.excluded.contains(&from) || to_excluded {
                continue;
            }
            *counts.entry(from).or_insert(0) += 1;
        }
        counts
    }

    /// coverage.py's `arc_description()`: what the arc does, e.g. `jump to line 4`,
    /// `return from function 'f'` (LCOV's `BRDA` lines).
    pub fn arc_description(&self, start: i32, end: i32) -> String {
        self.descriptions.arc_description(start, end)
    }

    /// coverage.py's `missing_arc_description()`: why an arc that didn't run might not have,
    /// e.g. `line 3 didn't jump to line 5 because the condition on line 3 was always true`.
    /// `executed_arcs` is accepted as coverage.py's `FileReporter` accepts it; its Python
    /// parser does not use it.
    pub fn missing_arc_description(
        &self,
        start: i32,
        end: i32,
        executed_arcs: Option<&BTreeSet<(i32, i32)>>,
    ) -> String {
        let _ = executed_arcs;
        self.descriptions.missing_arc_description(start, end)
    }

    /// Map executed lines to the first lines of their statements (coverage.py's `translate_lines`).
    pub fn translate_lines(&self, executed: &BTreeSet<u32>) -> BTreeSet<u32> {
        executed.iter().map(|&l| self.first_line_of(l)).collect()
    }
}

/// Analyse source bytes read from `path` (the path is only used in messages).
///
/// Never overflows the stack and never panics, whatever the bytes and however small the
/// calling thread's stack: text nested past CPython's limits is refused as CPython refuses it,
/// and a panic (a bug) becomes [`AnalysisError::Internal`] naming the file.
pub fn analyze_source(
    source: &[u8],
    path: &str,
    options: &AnalysisOptions,
) -> Result<FileAnalysis, AnalysisError> {
    contained(path, || analyze_bytes(source, path, options))
}

/// Run `f` with enough stack to start, a panic in it becoming [`AnalysisError::Internal`]: a bug
/// in the analysis of one file must not end the caller's process or its test session.
fn contained<T>(
    path: &str,
    f: impl FnOnce() -> Result<T, AnalysisError>,
) -> Result<T, AnalysisError> {
    let run = || stack::guard(f);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned());
        Err(AnalysisError::Internal {
            path: path.to_owned(),
            message,
        })
    })
}

/// Read and analyse a Python file.
pub fn analyze_file(path: &Path, options: &AnalysisOptions) -> Result<FileAnalysis, AnalysisError> {
    let shown = path.to_string_lossy().into_owned();
    let bytes = std::fs::read(path).map_err(|err| AnalysisError::NoSource {
        path: shown.clone(),
        reason: err.to_string(),
    })?;
    analyze_source(&bytes, &shown, options)
}

fn analyze_bytes(
    source: &[u8],
    path: &str,
    options: &AnalysisOptions,
) -> Result<FileAnalysis, AnalysisError> {
    let text = decode_source(source).map_err(|message| AnalysisError::NotPython {
        path: path.to_owned(),
        line: 1,
        message,
    })?;
    analyze_text(text, path, options)
}

fn analyze_text(
    text: String,
    path: &str,
    options: &AnalysisOptions,
) -> Result<FileAnalysis, AnalysisError> {
    let python = options.minor();
    let parsed = syntax::parse(&text, python).map_err(|failure| match failure {
        syntax::Failure::Syntax { line, message } => AnalysisError::NotPython {
            path: path.to_owned(),
            line,
            message,
        },
        syntax::Failure::TooComplex { line, message } => AnalysisError::TooComplex {
            path: path.to_owned(),
            line,
            message,
        },
    })?;
    let first_line = multiline::multiline_map(&parsed);
    let matcher = exclude::ExcludeMatcher::shared(&options.exclude).map_err(|message| {
        AnalysisError::BadExcludeRegex {
            pattern: join_regex(&options.exclude),
            message,
        }
    })?;
    let raw_excluded = matcher.lines_matching(&text, &parsed.lines);
    let raw = statements::raw_statements(&parsed, &text, python);
    let docstrings = statements::docstring_lines(&parsed);
    let excluded = exclude::excluded_lines(&parsed, raw_excluded, &first_line, &raw);

    let first = |l: u32| first_line.get(&l).copied().unwrap_or(l);
    let ignored = |l: &u32| excluded.contains(l) || docstrings.contains(l);
    let statements = raw
        .iter()
        .filter(|l| !ignored(l))
        .map(|&l| first(l))
        .filter(|l| !ignored(l))
        .collect();
    let regions = regions::code_regions(&parsed, python < (3, 11));
    let (descriptions, no_branch) = if options.branches {
        let descriptions = arcs::possible_arcs(&parsed, &raw, &first_line, options.python);
        let no_branch =
            no_branch::no_branch_lines(&text, &parsed.lines, &options.partial, &first_line)
                .map_err(|message| AnalysisError::BadPartialRegex {
                    pattern: join_regex(&options.partial),
                    message,
                })?;
        (descriptions, no_branch)
    } else {
        Default::default()
    };
    Ok(FileAnalysis {
        statements,
        excluded,
        first_line,
        regions,
        text,
        arcs: descriptions.arcs.clone(),
        no_branch,
        with_jump_fixers: descriptions.with_jump_fixers.clone(),
        with_jump_chains: descriptions.with_jump_chains.clone(),
        descriptions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyze(src: &str, exclude: &[&str]) -> FileAnalysis {
        let options = AnalysisOptions {
            python: (3, 12, 6),
            exclude: exclude.iter().map(|s| (*s).to_owned()).collect(),
            partial: Vec::new(),
            branches: true,
        };
        analyze_source(src.as_bytes(), "t.py", &options).unwrap()
    }

    fn set(lines: &[u32]) -> BTreeSet<u32> {
        lines.iter().copied().collect()
    }

    #[test]
    fn statements_excluded_and_translation() {
        let a = analyze(
            "'''doc'''\nx = (1,\n     2)\nif x:  # nocover\n    y = 1\nz = 3\n",
            &["nocover"],
        );
        assert_eq!(a.statements, set(&[2, 6]));
        assert_eq!(a.excluded, set(&[4, 5]));
        assert_eq!(a.translate_lines(&set(&[3, 6])), set(&[2, 6]));
    }

    #[test]
    fn decorated_def_excluded_whole() {
        let a = analyze(
            "@dec  # nocover\ndef f():\n\n    return 1\ng = 2\n",
            &["nocover"],
        );
        assert_eq!(a.excluded, set(&[1, 2, 3, 4]));
        assert_eq!(a.statements, set(&[5]));
    }

    #[test]
    fn errors_use_coverage_words() {
        let options = AnalysisOptions::default();
        let err = analyze_source(b"def f(:\n", "bad.py", &options).unwrap_err();
        assert!(
            matches!(err, AnalysisError::NotPython { line: 1, .. }),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("Couldn't parse 'bad.py' as Python source: '")
        );
        let err = analyze_file(Path::new("/nonexistent/x.py"), &options).unwrap_err();
        assert_eq!(err.to_string(), "No source for code: '/nonexistent/x.py'.");
    }

    #[test]
    fn a_panic_is_an_error_naming_the_file() {
        let err = contained::<()>("pkg/mod.py", || panic!("index out of bounds")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Couldn't parse 'pkg/mod.py' as Python source: internal error: index out of bounds"
        );
        let err = contained::<()>("m.py", || panic!("{} levels", 3)).unwrap_err();
        assert!(matches!(err, AnalysisError::Internal { message, .. } if message == "3 levels"));
    }

    #[test]
    fn syntax_too_new_for_the_version() {
        let mut options = AnalysisOptions {
            python: (3, 11, 7),
            ..AnalysisOptions::default()
        };
        assert!(analyze_source(b"type X = int\n", "t.py", &options).is_err());
        options.python = (3, 12, 1);
        assert!(analyze_source(b"type X = int\n", "t.py", &options).is_ok());
    }

    #[test]
    fn branch_facts_and_words() {
        let src = "def f(x):\n    with open(x) as a, open(x) as b:\n        if x:  # pragma: no branch\n            return 1\n    return 2\n";
        for python in [(3, 10, 13), (3, 12, 1), (3, 12, 6), (3, 13, 0)] {
            let options = AnalysisOptions {
                python,
                exclude: Vec::new(),
                partial: default_partial(python),
                branches: true,
            };
            let a = analyze_source(src.as_bytes(), "t.py", &options).unwrap();
            let arcs: Vec<(i32, i32)> = a.arcs.iter().copied().collect();
            assert_eq!(arcs, [(1, -1), (2, 3), (3, 4), (3, 5), (4, -1), (5, -1)]);
            assert_eq!(a.no_branch, set(&[3]));
            let counts: Vec<(u32, usize)> = a.exit_counts().into_iter().collect();
            assert_eq!(counts, [(1, 1), (2, 1), (3, 2), (4, 1), (5, 1)]);
            assert_eq!(a.arc_description(3, 4), "jump to line 4");
            assert_eq!(
                a.missing_arc_description(3, 4, None),
                "line 3 didn't jump to line 4 because the condition on line 3 was never true"
            );
            assert_eq!(a.arc_description(4, -1), "return from function 'f'");
            assert_eq!(
                a.missing_arc_description(2, 3, None),
                "line 2 didn't jump to line 3 because "
            );
        }
    }

    #[test]
    fn excluded_ends_are_not_exits() {
        let a = analyze("if x:\n    y = 1  # nocover\nz = 2\n", &["nocover"]);
        assert!(a.arcs.contains(&(1, 2)));
        assert_eq!(a.exit_counts().get(&1), Some(&1));
    }

    #[test]
    fn regions_nest() {
        let a = analyze(
            "class C:\n    def m(self):\n        def inner():\n            return 1\n        return inner\n",
            &[],
        );
        let names: Vec<_> = a
            .regions
            .iter()
            .map(|r| (r.name.as_str(), r.start))
            .collect();
        assert_eq!(names, vec![("C", 1), ("C.m", 2), ("C.m.inner", 3)]);
        assert_eq!(a.regions[1].lines, set(&[3, 5]));
        assert_eq!(a.regions[0].lines, set(&[3, 4, 5]));
    }
}
