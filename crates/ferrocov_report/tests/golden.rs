//! Golden tests: the writers fed the sets coverage.py computed for `tests/golden/proj` must
//! print what coverage.py printed (`tests/golden/expected`, made by `tests/golden/gen.py`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ferrocov_report::json::JsonOptions;
use ferrocov_report::lcov::LcovOptions;
use ferrocov_report::text::{TextFormat, TextOptions};
use ferrocov_report::xml::XmlOptions;
use ferrocov_report::{FileInput, annotate, json, lcov, text, xml};
use serde::Deserialize;

mod fixture;
use fixture::{InputRegion, LineFacts};

#[derive(Deserialize)]
struct Inputs {
    files: Vec<InputFile>,
}

#[derive(Deserialize)]
struct InputFile {
    path: String,
    display: String,
    statements: BTreeSet<u32>,
    excluded: BTreeSet<u32>,
    executed: BTreeSet<u32>,
    regions: Vec<InputRegion>,
}

fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn files() -> Vec<FileInput> {
    let raw = std::fs::read_to_string(golden().join("inputs.json")).unwrap();
    let inputs: Inputs = serde_json::from_str(&raw).unwrap();
    inputs
        .files
        .into_iter()
        .map(|f| {
            LineFacts {
                path: f.path,
                display: f.display,
                statements: f.statements,
                excluded: f.excluded,
                executed: f.executed,
                regions: f.regions,
            }
            .into_input(&golden().join("proj"), None)
        })
        .collect()
}

fn expected(name: &str) -> String {
    std::fs::read_to_string(golden().join("expected").join(name)).unwrap()
}

fn check(name: &str, actual: &[u8]) {
    let actual = String::from_utf8(actual.to_vec()).unwrap();
    let want = expected(name);
    if actual != want {
        let line = actual
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs (first at line {}):\n--- ours\n{actual}\n--- coverage.py\n{want}",
            line + 1
        );
    }
}

fn report(name: &str, options: TextOptions) {
    let mut out = Vec::new();
    text::write_report(&files(), &options, &mut out).unwrap();
    check(name, &out);
}

#[test]
fn text_reports() {
    let t = TextOptions::default;
    report("report.txt", t());
    report(
        "report_m.txt",
        TextOptions {
            show_missing: true,
            ..t()
        },
    );
    report(
        "report_skip_covered.txt",
        TextOptions {
            show_missing: true,
            skip_covered: true,
            ..t()
        },
    );
    report(
        "report_skip_empty.txt",
        TextOptions {
            skip_empty: true,
            ..t()
        },
    );
    report(
        "report_skip_both.txt",
        TextOptions {
            show_missing: true,
            skip_covered: true,
            skip_empty: true,
            ..t()
        },
    );
    report(
        "report_p2.txt",
        TextOptions {
            precision: 2,
            show_missing: true,
            ..t()
        },
    );
    for sort in ["cover", "-cover", "stmts", "-miss", "-name"] {
        report(
            &format!("report_sort_{sort}.txt"),
            TextOptions {
                sort: Some(sort.into()),
                ..t()
            },
        );
    }
}

#[test]
fn markdown_and_total_reports() {
    let t = TextOptions::default;
    report(
        "report_markdown.txt",
        TextOptions {
            format: TextFormat::Markdown,
            show_missing: true,
            ..t()
        },
    );
    report(
        "report_markdown_skip.txt",
        TextOptions {
            format: TextFormat::Markdown,
            skip_covered: true,
            precision: 1,
            ..t()
        },
    );
    report(
        "report_total.txt",
        TextOptions {
            format: TextFormat::Total,
            ..t()
        },
    );
    report(
        "report_total_p3.txt",
        TextOptions {
            format: TextFormat::Total,
            precision: 3,
            ..t()
        },
    );
}

#[test]
fn json_reports() {
    for (name, pretty_print, precision) in [
        ("pretty.json", true, 0),
        ("compact.json", false, 0),
        ("pretty_p2.json", true, 2),
    ] {
        let options = JsonOptions {
            pretty_print,
            precision,
            show_contexts: false,
            version: "7.17.5".into(),
            timestamp: "2000-01-01T00:00:00".into(),
        };
        let mut out = Vec::new();
        let pc = json::write_report(&files(), &options, &mut out).unwrap();
        check(name, &out);
        assert_eq!(pc, 100.0 * 43.0 / 66.0);
    }
}

fn xml_options() -> XmlOptions {
    XmlOptions {
        timestamp_ms: 0,
        ..XmlOptions::new("7.17.5")
    }
}

#[test]
fn xml_reports() {
    let cases = [
        ("coverage.xml", xml_options()),
        (
            "depth1.xml",
            XmlOptions {
                package_depth: 1,
                ..xml_options()
            },
        ),
        (
            "skip_empty.xml",
            XmlOptions {
                skip_empty: true,
                ..xml_options()
            },
        ),
    ];
    for (name, options) in cases {
        let mut out = Vec::new();
        xml::write_report(&files(), &options, &mut out).unwrap();
        check(name, &out);
    }
}

#[test]
fn lcov_reports() {
    for (name, line_checksums, skip_empty) in [
        ("plain.lcov", false, false),
        ("checksums.lcov", true, false),
        ("skip_empty.lcov", false, true),
    ] {
        let mut out = Vec::new();
        let options = LcovOptions {
            line_checksums,
            skip_empty,
        };
        lcov::write_report(&files(), &options, &mut out).unwrap();
        check(name, &out);
    }
}

#[test]
fn annotate_files() {
    let dir = tempfile::tempdir().unwrap();
    annotate::write_annotations(&files(), Some(dir.path())).unwrap();
    let mut written: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    let mut want: Vec<String> = std::fs::read_dir(golden().join("expected"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|n| n.strip_prefix("annotate_").map(String::from))
        .collect();
    want.sort();
    assert_eq!(written, want);
    for name in written {
        let actual = std::fs::read(dir.path().join(&name)).unwrap();
        check(&format!("annotate_{name}"), &actual);
    }
}
