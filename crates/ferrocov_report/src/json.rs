//! `coverage json`: format 3, key order, float repr, `ensure_ascii` escaping and the pretty
//! (indent 4) and compact separators of Python's `json.dump`.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::ser::{CharEscape, Formatter, Serializer};

use crate::branches::{Arc, BranchArcs};
use crate::contexts::LineContexts;
use crate::error::ReportError;
use crate::file::{FileInput, Narrowed, RegionKind};
use crate::numbers::{Numbers, display_covered};
use crate::pytext;

/// coverage.py's JSON `FORMAT_VERSION`.
pub const FORMAT_VERSION: u32 = ferrocov_protocol::formats::JSON_REPORT;

/// What `coverage json` needs besides the files.
#[derive(Clone, Debug)]
pub struct JsonOptions {
    /// `[json] pretty_print`: indent 4 instead of one line.
    pub pretty_print: bool,
    /// `[json] show_contexts`: each file and region gets its lines' contexts (from
    /// [`FileInput::contexts`]).
    pub show_contexts: bool,
    pub precision: u32,
    /// `meta.version`: coverage.py writes its own version here.
    pub version: String,
    /// `meta.timestamp`, e.g. from [`local_timestamp`].
    pub timestamp: String,
}

/// `datetime.now().isoformat()`: local time, microseconds only when non-zero.
pub fn local_timestamp() -> String {
    let now = jiff::ZonedDateTime::now();
    let dt = now.datetime();
    let base = dt.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let micros = dt.subsec_nanosecond() / 1000;
    if micros == 0 {
        base
    } else {
        format!("{base}.{micros:06}")
    }
}

/// A JSON object whose keys keep insertion order (Python dicts do).
struct Ordered<T>(Vec<(String, T)>);

impl<T> Ordered<T> {
    fn insert(&mut self, key: String, value: T) {
        // Assigning an existing dict key keeps its position.
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }
    fn contains(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }
}

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct Meta<'a> {
    format: u32,
    version: &'a str,
    timestamp: &'a str,
    branch_coverage: bool,
    show_contexts: bool,
}

#[derive(Serialize)]
struct BranchSummary {
    num_branches: usize,
    num_partial_branches: usize,
    covered_branches: usize,
    missing_branches: usize,
    percent_branches_covered: f64,
    percent_branches_covered_display: String,
}

#[derive(Serialize)]
struct Summary {
    covered_lines: usize,
    num_statements: usize,
    percent_covered: f64,
    percent_covered_display: String,
    missing_lines: usize,
    excluded_lines: usize,
    percent_statements_covered: f64,
    percent_statements_covered_display: String,
    /// With branch data, the branch fields follow (coverage.py's `make_branch_summary`).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    branches: Option<BranchSummary>,
}

impl Summary {
    fn new(n: &Numbers, precision: u32, branches: bool) -> Summary {
        Summary {
            covered_lines: n.executed(),
            num_statements: n.statements,
            percent_covered: n.percent(),
            percent_covered_display: n.display_percent(precision),
            missing_lines: n.missing,
            excluded_lines: n.excluded,
            percent_statements_covered: n.percent_statements(),
            percent_statements_covered_display: display_covered(n.percent_statements(), precision),
            branches: branches.then(|| BranchSummary {
                num_branches: n.branches,
                num_partial_branches: n.partial_branches,
                covered_branches: n.executed_branches(),
                missing_branches: n.missing_branches,
                percent_branches_covered: n.percent_branches(),
                percent_branches_covered_display: display_covered(n.percent_branches(), precision),
            }),
        }
    }
}

#[derive(Serialize)]
struct RegionReport<'a> {
    executed_lines: BTreeSet<u32>,
    summary: Summary,
    missing_lines: BTreeSet<u32>,
    excluded_lines: BTreeSet<u32>,
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    contexts: Option<Ordered<Vec<&'a str>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    executed_branches: Option<Vec<Arc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    missing_branches: Option<Vec<Arc>>,
}

#[derive(Serialize)]
struct FileReport<'a> {
    executed_lines: BTreeSet<u32>,
    summary: Summary,
    missing_lines: BTreeSet<u32>,
    excluded_lines: BTreeSet<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contexts: Option<Ordered<Vec<&'a str>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    executed_branches: Option<Vec<Arc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    missing_branches: Option<Vec<Arc>>,
    functions: Ordered<RegionReport<'a>>,
    classes: Ordered<RegionReport<'a>>,
}

#[derive(Serialize)]
struct Report<'a> {
    meta: Meta<'a>,
    files: Ordered<FileReport<'a>>,
    totals: Summary,
}

/// `_convert_branch_arcs`: `{l1: [l2, ...]}` as `[l1, l2]` pairs.
fn pairs(arcs: BranchArcs) -> Vec<Arc> {
    arcs.into_iter()
        .flat_map(|(a, bs)| bs.into_iter().map(move |b| (a, b)))
        .collect()
}

/// The executed and missing branch pairs, when there are branches.
type BranchPairs = (Option<Vec<Arc>>, Option<Vec<Arc>>);

fn branch_pairs(n: &Narrowed) -> BranchPairs {
    if n.branches.is_none() {
        return (None, None);
    }
    (
        Some(pairs(n.executed_branch_arcs())),
        Some(pairs(n.missing_branch_arcs())),
    )
}

/// A JSON object of the contexts of `file`'s lines (all of them, or those in `within`), lines
/// ascending: coverage.py's `contexts_by_lineno`, whose order is its SQL rows' and a set's (so
/// not stable from run to run); ours is sorted, labels and lines.
fn contexts_of<'a>(
    contexts: Option<&'a LineContexts>,
    within: Option<&BTreeSet<u32>>,
) -> Option<Ordered<Vec<&'a str>>> {
    let contexts = contexts?;
    Some(Ordered(
        contexts
            .lines
            .keys()
            .filter(|&&line| within.is_none_or(|w| w.contains(&line)))
            .map(|&line| (line.to_string(), contexts.labels_of(line).collect()))
            .collect(),
    ))
}

fn region_report<'a>(
    n: Narrowed,
    start_line: u32,
    precision: u32,
    contexts: Option<Ordered<Vec<&'a str>>>,
) -> RegionReport<'a> {
    let (executed_branches, missing_branches) = branch_pairs(&n);
    RegionReport {
        contexts,
        summary: Summary::new(&n.numbers(), precision, n.branches.is_some()),
        executed_lines: n.executed,
        missing_lines: n.missing,
        excluded_lines: n.excluded,
        start_line,
        executed_branches,
        missing_branches,
    }
}

fn regions_of<'a>(
    file: &'a FileInput,
    whole: &Narrowed,
    kind: RegionKind,
    num_lines: u32,
    (precision, show_contexts): (u32, bool),
) -> Ordered<RegionReport<'a>> {
    // 7.17.4: a region carries its own lines' contexts only.
    let contexts = |lines: &BTreeSet<u32>| {
        show_contexts.then(|| {
            contexts_of(file.contexts.as_ref(), Some(lines)).unwrap_or(Ordered(Vec::new()))
        })
    };
    let mut outside: BTreeSet<u32> = (1..=num_lines).collect();
    let mut regions: Vec<_> = file.regions.iter().filter(|r| r.kind == kind).collect();
    for r in &regions {
        outside.retain(|l| !r.lines.contains(l));
    }
    regions.sort_by_key(|r| r.start);
    let narrowed: Vec<Narrowed> = regions.iter().map(|r| whole.narrow(&r.lines)).collect();
    let with_statements: BTreeSet<&str> = regions
        .iter()
        .zip(&narrowed)
        .filter(|(_, n)| !n.statements.is_empty())
        .map(|(r, _)| r.name.as_str())
        .collect();
    let mut data = Ordered(Vec::new());
    for (region, n) in regions.iter().zip(narrowed) {
        let mut name = region.name.clone();
        // The first same-named region with statements keeps the plain name.
        if data.contains(&name)
            || (with_statements.contains(name.as_str()) && n.statements.is_empty())
        {
            name = format!("{name}@{}", region.start);
        }
        let region_contexts = contexts(&region.lines);
        data.insert(
            name,
            region_report(n, region.start, precision, region_contexts),
        );
    }
    let start = outside.first().copied().unwrap_or(1);
    data.insert(
        String::new(),
        region_report(whole.narrow(&outside), start, precision, contexts(&outside)),
    );
    data
}

/// The file's entry and its numbers (one analysis for both).
fn file_report(file: &FileInput, precision: u32, show_contexts: bool) -> (FileReport<'_>, Numbers) {
    let whole = file.whole();
    let numbers = whole.numbers();
    let source = file.source();
    let num_lines = pytext::splitlines(&source, false).len() as u32;
    let how = (precision, show_contexts);
    let functions = regions_of(file, &whole, RegionKind::Function, num_lines, how);
    let classes = regions_of(file, &whole, RegionKind::Class, num_lines, how);
    let (executed_branches, missing_branches) = branch_pairs(&whole);
    let contexts = if show_contexts {
        // A file whose contexts nobody gathered shows none, as coverage.py shows `{}` for a
        // file with no data.
        Some(contexts_of(file.contexts.as_ref(), None).unwrap_or(Ordered(Vec::new())))
    } else {
        None
    };
    let report = FileReport {
        contexts,
        summary: Summary::new(&numbers, precision, whole.branches.is_some()),
        executed_lines: whole.executed,
        missing_lines: whole.missing,
        excluded_lines: whole.excluded,
        executed_branches,
        missing_branches,
        functions,
        classes,
    };
    (report, numbers)
}

/// Writes the JSON report. Files are reported in order of [`FileInput::path`], as
/// coverage.py does, keyed by display name. Returns the total percent (0 when there are no
/// statements), as coverage.py's `JsonReporter.report` does.
pub fn write_report<W: Write>(
    files: &[FileInput],
    options: &JsonOptions,
    out: &mut W,
) -> Result<f64, ReportError> {
    if files.is_empty() {
        return Err(ReportError::NoData);
    }
    let branches = FileInput::any_branches(files);
    let mut order: Vec<&FileInput> = files.iter().collect();
    order.sort_by(|a, b| a.path.cmp(&b.path));
    let mut total = Numbers::default();
    let mut reported = Ordered(Vec::new());
    for file in order {
        let (report, numbers) = file_report(file, options.precision, options.show_contexts);
        total += numbers;
        reported.insert(file.display_name.clone(), report);
    }
    let report = Report {
        meta: Meta {
            format: FORMAT_VERSION,
            version: &options.version,
            timestamp: &options.timestamp,
            branch_coverage: branches,
            show_contexts: options.show_contexts,
        },
        files: reported,
        totals: Summary::new(&total, options.precision, branches),
    };
    let formatter = PyFormatter {
        pretty: options.pretty_print,
        depth: 0,
        has_value: false,
    };
    let mut ser = Serializer::with_formatter(&mut *out, formatter);
    report.serialize(&mut ser).map_err(io::Error::from)?;
    Ok(if total.statements == 0 {
        0.0
    } else {
        total.percent()
    })
}

/// Python's `json.dump` output: `indent=4` with `(",", ": ")`, or one line with
/// `(", ", ": ")`; non-ASCII escaped as `\uXXXX`; floats as `repr`.
struct PyFormatter {
    pretty: bool,
    depth: usize,
    has_value: bool,
}

impl PyFormatter {
    fn newline_indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..self.depth {
            w.write_all(b"    ")?;
        }
        Ok(())
    }

    fn begin<W: ?Sized + Write>(&mut self, w: &mut W, open: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(open)
    }

    fn end<W: ?Sized + Write>(&mut self, w: &mut W, close: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.pretty && self.has_value {
            self.newline_indent(w)?;
        }
        self.has_value = true;
        w.write_all(close)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if self.pretty {
            if !first {
                w.write_all(b",")?;
            }
            self.newline_indent(w)
        } else if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }
}

impl Formatter for PyFormatter {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.begin(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.end(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.begin(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.end(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn write_f64<W: ?Sized + Write>(&mut self, w: &mut W, value: f64) -> io::Result<()> {
        w.write_all(pytext::float_repr(value).as_bytes())
    }
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // ensure_ascii: everything outside ' '..='~' is escaped, astral characters as a
        // surrogate pair.
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if (' '..='~').contains(&c) {
                continue;
            }
            w.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(w, "\\u{unit:04x}")?;
            }
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        let s: String = match escape {
            CharEscape::Quote => "\\\"".into(),
            CharEscape::ReverseSolidus => "\\\\".into(),
            CharEscape::Solidus => "/".into(),
            CharEscape::Backspace => "\\b".into(),
            CharEscape::FormFeed => "\\f".into(),
            CharEscape::LineFeed => "\\n".into(),
            CharEscape::CarriageReturn => "\\r".into(),
            CharEscape::Tab => "\\t".into(),
            CharEscape::AsciiControl(b) => format!("\\u{b:04x}"),
        };
        w.write_all(s.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_python_does() {
        let mut out = Vec::new();
        let mut ser = Serializer::with_formatter(
            &mut out,
            PyFormatter {
                pretty: false,
                depth: 0,
                has_value: false,
            },
        );
        "é\u{1F600}\"\\\n\x7f\x01".serialize(&mut ser).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#""\u00e9\ud83d\ude00\"\\\n\u007f\u0001""#
        );
    }

    #[test]
    fn same_named_regions_get_their_start_line() {
        let region = |start: u32, line: u32| crate::Region {
            kind: RegionKind::Function,
            name: "f".into(),
            start,
            lines: [line].into(),
        };
        let file = FileInput {
            path: "/p/m.py".into(),
            display_name: "m.py".into(),
            statements: [1, 4, 5, 7].into(),
            excluded: [2].into(),
            executed: [1, 4, 5].into(),
            text: "def f():\n    pass\n\ndef f():\n    pass\n\nx = 1\n".into(),
            regions: vec![region(1, 2), region(4, 5)],
            multiline: Default::default(),
            input_hash: None,
            branches: None,
            contexts: None,
        };
        let funcs = regions_of(&file, &file.whole(), RegionKind::Function, 7, (0, false));
        let names: Vec<&str> = funcs.0.iter().map(|(k, _)| k.as_str()).collect();
        // The first `f` has no statements (its body is excluded), so the second keeps "f".
        assert_eq!(names, ["f@1", "f", ""]);
        let outside = &funcs.0[2].1;
        assert_eq!(outside.start_line, 1);
        assert_eq!(outside.executed_lines, [1, 4].into());
        assert_eq!(outside.missing_lines, [7].into());
    }

    #[test]
    fn timestamp_shape() {
        let t = local_timestamp();
        assert!(t.len() == 19 || t.len() == 26, "{t}");
        assert_eq!(&t[10..11], "T");
    }
}
