//! Branch golden tests: coverage.py's own per-file facts for `tests/branch/proj` (possible
//! arcs, executed arcs, `no_branch` lines, arc descriptions...), run through our results layer
//! and writers, must give exactly the reports coverage.py wrote. One set of fixtures per
//! Python version in `tests/branch/py3.X/`, made by `tests/branch/gen.py`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ferrocov_report::json::JsonOptions;
use ferrocov_report::lcov::LcovOptions;
use ferrocov_report::text::{TextFormat, TextOptions};
use ferrocov_report::xml::XmlOptions;
use ferrocov_report::{
    Arc, BranchFacts, FileInput, Numbers, annotate, fail_under_message, json, lcov,
    should_fail_under, text, xml,
};
use serde::Deserialize;

mod fixture;
use fixture::{InputRegion, LineFacts};

#[derive(Deserialize)]
struct Inputs {
    coverage_version: String,
    files: Vec<InputFile>,
}

#[derive(Deserialize)]
struct InputFile {
    path: String,
    display: String,
    statements: BTreeSet<u32>,
    excluded: BTreeSet<u32>,
    multiline: BTreeMap<u32, u32>,
    with_jump_fixers: Vec<(Arc, Option<Arc>)>,
    with_jump_chains: Vec<(Arc, (Arc, Arc))>,
    possible_arcs: BTreeSet<Arc>,
    executed_arcs: BTreeSet<Arc>,
    no_branch: BTreeSet<u32>,
    descriptions: Vec<(i32, i32, String)>,
    regions: Vec<InputRegion>,
    check: Check,
}

/// coverage.py's derived values, to check ours against.
#[derive(Deserialize)]
struct Check {
    executed: BTreeSet<u32>,
    exit_counts: BTreeMap<i32, usize>,
    arcs_executed: BTreeSet<Arc>,
}

#[derive(Deserialize)]
struct FailUnder {
    fail_under: f64,
    precision: u32,
    exit: i32,
    stdout: String,
}

/// `tests/branch`, or `FERROCOV_BRANCH_DIR`: another corpus made by `gen.py` with the same
/// variable, e.g. standard-library modules, checked locally without checking it in.
fn branch_dir() -> PathBuf {
    match std::env::var_os("FERROCOV_BRANCH_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/branch"),
    }
}

/// The fixture sets, one per Python version.
fn versions() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(branch_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("inputs.json").exists())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no fixtures under tests/branch");
    dirs
}

struct Fixture {
    dir: PathBuf,
    version: String,
    files: Vec<FileInput>,
}

impl Fixture {
    /// coverage.py 7.16 (the last for Python 3.10) names same-named regions differently:
    /// the second `area` of `pkg/shapes.py` is `area` there, `area@36` in 7.17, whose
    /// first same-named region with statements keeps the plain name. Branch output agrees.
    fn names_regions_as_716(&self) -> bool {
        self.version.starts_with("7.16.")
    }
}

fn load(dir: &Path) -> Fixture {
    let raw = std::fs::read_to_string(dir.join("inputs.json")).unwrap();
    let inputs: Inputs = serde_json::from_str(&raw).unwrap();
    let files = inputs
        .files
        .into_iter()
        .map(|f| {
            let facts = BranchFacts {
                possible_arcs: f.possible_arcs,
                no_branch: f.no_branch,
                executed_arcs: f.executed_arcs,
                multiline: f.multiline,
                with_jump_fixers: f.with_jump_fixers.into_iter().collect(),
                with_jump_chains: f.with_jump_chains.into_iter().collect(),
                descriptions: f
                    .descriptions
                    .into_iter()
                    .map(|(a, b, d)| ((a, b), d))
                    .collect(),
                missing_descriptions: Default::default(),
            };
            // The executed lines of arc data, as the pipeline will derive them.
            let executed: BTreeSet<u32> = facts
                .executed_lines()
                .intersection(&f.statements)
                .copied()
                .collect();
            assert_eq!(executed, f.check.executed, "{}: executed lines", f.display);
            let results = facts.results(&f.excluded);
            assert_eq!(
                results.exit_counts, f.check.exit_counts,
                "{}: exit counts",
                f.display
            );
            assert_eq!(
                results.executed, f.check.arcs_executed,
                "{}: executed arcs",
                f.display
            );
            LineFacts {
                path: f.path,
                display: f.display,
                statements: f.statements,
                excluded: f.excluded,
                executed,
                regions: f.regions,
            }
            .into_input(&branch_dir().join("proj"), Some(facts))
        })
        .collect();
    Fixture {
        dir: dir.to_path_buf(),
        version: inputs.coverage_version,
        files,
    }
}

impl Fixture {
    fn expected(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join("expected").join(name)).unwrap()
    }

    fn check(&self, name: &str, actual: &[u8]) {
        let actual = String::from_utf8(actual.to_vec()).unwrap();
        let want = self.expected(name);
        if actual != want {
            // Keep ours next to the build for a diff.
            let version = self.dir.file_name().unwrap().to_string_lossy();
            let ours = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{version}_{name}"));
            std::fs::write(&ours, &actual).unwrap();
            let line = actual
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{}/{name} differs (first at line {}); ours is in {}",
                self.dir.display(),
                line + 1,
                ours.display()
            );
        }
    }

    fn report(&self, name: &str, options: TextOptions) {
        let mut out = Vec::new();
        text::write_report(&self.files, &options, &mut out).unwrap();
        self.check(name, &out);
    }

    fn total(&self) -> Numbers {
        self.files
            .iter()
            .map(FileInput::numbers)
            .fold(Numbers::default(), |mut sum, n| {
                sum += n;
                sum
            })
    }
}

/// Runs `test` on every version's fixtures; all run even when one fails.
fn each(test: impl Fn(&Fixture) + std::panic::RefUnwindSafe) {
    let failed: Vec<String> = versions()
        .into_iter()
        .filter(|dir| std::panic::catch_unwind(|| test(&load(dir))).is_err())
        .map(|dir| dir.display().to_string())
        .collect();
    assert!(failed.is_empty(), "failed for {failed:?}");
}

#[test]
fn text_reports() {
    each(|fx| {
        let t = TextOptions::default;
        let m = || TextOptions {
            show_missing: true,
            ..t()
        };
        fx.report("report.txt", t());
        fx.report("report_m.txt", m());
        fx.report(
            "report_skip_covered.txt",
            TextOptions {
                skip_covered: true,
                ..m()
            },
        );
        fx.report(
            "report_skip_empty.txt",
            TextOptions {
                skip_empty: true,
                ..t()
            },
        );
        fx.report(
            "report_skip_both.txt",
            TextOptions {
                skip_covered: true,
                skip_empty: true,
                ..m()
            },
        );
        fx.report(
            "report_p2.txt",
            TextOptions {
                precision: 2,
                ..m()
            },
        );
        for sort in ["cover", "-cover", "branch", "-brpart", "-miss"] {
            fx.report(
                &format!("report_sort_{sort}.txt"),
                TextOptions {
                    sort: Some(sort.into()),
                    ..t()
                },
            );
        }
    });
}

#[test]
fn markdown_and_total_reports() {
    each(|fx| {
        let t = TextOptions::default;
        fx.report(
            "report_markdown.txt",
            TextOptions {
                format: TextFormat::Markdown,
                show_missing: true,
                ..t()
            },
        );
        fx.report(
            "report_markdown_skip.txt",
            TextOptions {
                format: TextFormat::Markdown,
                skip_covered: true,
                precision: 1,
                ..t()
            },
        );
        fx.report(
            "report_total.txt",
            TextOptions {
                format: TextFormat::Total,
                ..t()
            },
        );
        fx.report(
            "report_total_p3.txt",
            TextOptions {
                format: TextFormat::Total,
                precision: 3,
                ..t()
            },
        );
    });
}

#[test]
fn fail_under_uses_the_combined_total() {
    each(|fx| {
        let raw = fx.expected("fail_under.json");
        let cases: Vec<FailUnder> = serde_json::from_str(&raw).unwrap();
        let total = fx.total().percent();
        for case in cases {
            let fails = should_fail_under(total, case.fail_under, case.precision).unwrap();
            assert_eq!(fails, case.exit == 2, "fail_under={}", case.fail_under);
            let mut out = Vec::new();
            let options = TextOptions {
                format: TextFormat::Total,
                precision: case.precision,
                ..TextOptions::default()
            };
            text::write_report(&fx.files, &options, &mut out).unwrap();
            let mut printed = String::from_utf8(out).unwrap();
            if fails {
                printed.push_str(&format!(
                    "Coverage failure: {}\n",
                    fail_under_message(total, case.fail_under, case.precision)
                ));
            }
            assert_eq!(printed, case.stdout, "fail_under={}", case.fail_under);
        }
    });
}

#[test]
fn json_reports() {
    each(|fx| {
        if fx.names_regions_as_716() {
            return;
        }
        for (name, pretty_print, precision) in [
            ("pretty.json", true, 0),
            ("compact.json", false, 0),
            ("pretty_p2.json", true, 2),
        ] {
            let options = JsonOptions {
                pretty_print,
                precision,
                show_contexts: false,
                version: fx.version.clone(),
                timestamp: "2000-01-01T00:00:00".into(),
            };
            let mut out = Vec::new();
            let pc = json::write_report(&fx.files, &options, &mut out).unwrap();
            fx.check(name, &out);
            assert_eq!(pc, fx.total().percent());
        }
    });
}

#[test]
fn xml_reports() {
    each(|fx| {
        let base = XmlOptions {
            timestamp_ms: 0,
            ..XmlOptions::new(&fx.version)
        };
        let cases = [
            ("coverage.xml", base.clone()),
            (
                "depth1_skip_empty.xml",
                XmlOptions {
                    package_depth: 1,
                    skip_empty: true,
                    ..base.clone()
                },
            ),
        ];
        for (name, options) in cases {
            let mut out = Vec::new();
            let pc = xml::write_report(&fx.files, &options, &mut out).unwrap();
            fx.check(name, &out);
            if name == "coverage.xml" {
                assert_eq!(pc, fx.total().percent());
            }
        }
    });
}

#[test]
fn lcov_reports() {
    each(|fx| {
        if fx.names_regions_as_716() {
            return;
        }
        for (name, line_checksums, skip_empty) in [
            ("plain.lcov", false, false),
            ("checksums_skip_empty.lcov", true, true),
        ] {
            let mut out = Vec::new();
            let options = LcovOptions {
                line_checksums,
                skip_empty,
            };
            lcov::write_report(&fx.files, &options, &mut out).unwrap();
            fx.check(name, &out);
        }
    });
}

#[test]
fn annotate_files() {
    each(|fx| {
        let dir = tempfile::tempdir().unwrap();
        annotate::write_annotations(&fx.files, Some(dir.path())).unwrap();
        let mut written: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        written.sort();
        let mut want: Vec<String> = std::fs::read_dir(fx.dir.join("expected"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter_map(|n| n.strip_prefix("annotate_").map(String::from))
            .collect();
        want.sort();
        assert_eq!(written, want);
        for name in written {
            let actual = std::fs::read(dir.path().join(&name)).unwrap();
            fx.check(&format!("annotate_{name}"), &actual);
        }
    });
}
