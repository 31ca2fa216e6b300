//! The table of every option coverage.py reads from a config file: its
//! section, its name, how its text is interpreted, and where it lands in
//! [`Settings`].

use crate::settings::Settings;

/// How a string option's text is post-processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StrKind {
    Plain,
    /// A file path: `~` is expanded.
    File,
    /// `[report] sort`: must name a report column.
    Sort,
}

/// How a list option's text is split (INI) or cleaned (TOML).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListKind {
    /// Split on commas and newlines.
    Plain,
    /// One regex per line; commas belong to the regex.
    Regex,
}

/// Where a converted value is stored; the variant also fixes the value type.
#[derive(Clone, Copy)]
pub(crate) enum Target {
    Bool(fn(&mut Settings) -> &mut bool),
    OptBool(fn(&mut Settings) -> &mut Option<bool>),
    /// An integer that must not be negative.
    Count(fn(&mut Settings) -> &mut u32),
    Float(fn(&mut Settings) -> &mut f64),
    Str(fn(&mut Settings) -> &mut String, StrKind),
    OptStr(fn(&mut Settings) -> &mut Option<String>, StrKind),
    List(fn(&mut Settings) -> &mut Vec<String>, ListKind),
    OptList(fn(&mut Settings) -> &mut Option<Vec<String>>, ListKind),
    /// Recognised (so no "unrecognized option" warning) but unused.
    Ignored,
}

pub(crate) struct OptionSpec {
    pub(crate) section: &'static str,
    pub(crate) name: &'static str,
    pub(crate) target: Target,
}

/// The sections whose unknown keys produce a warning. `[paths]` and plugin
/// sections take any key.
pub(crate) const CHECKED_SECTIONS: [&str; 6] = ["run", "report", "html", "xml", "json", "lcov"];

macro_rules! opt {
    ($section:literal, $name:literal, $variant:ident, |$s:ident| $place:expr $(, $kind:expr)?) => {
        OptionSpec {
            section: $section,
            name: $name,
            target: Target::$variant(|$s: &mut Settings| &mut $place $(, $kind)?),
        }
    };
}

/// Every option, in coverage.py's order.
pub(crate) const OPTIONS: &[OptionSpec] = &[
    // [run]
    opt!("run", "branch", Bool, |s| s.run.branch),
    opt!(
        "run",
        "command_line",
        OptStr,
        |s| s.run.command_line,
        StrKind::Plain
    ),
    opt!(
        "run",
        "concurrency",
        List,
        |s| s.run.concurrency,
        ListKind::Plain
    ),
    opt!("run", "context", OptStr, |s| s.run.context, StrKind::Plain),
    opt!("run", "core", OptStr, |s| s.run.core, StrKind::Plain),
    opt!("run", "cover_pylib", Bool, |s| s.run.cover_pylib),
    opt!("run", "data_file", Str, |s| s.run.data_file, StrKind::File),
    opt!("run", "debug", List, |s| s.run.debug, ListKind::Plain),
    opt!(
        "run",
        "debug_file",
        OptStr,
        |s| s.run.debug_file,
        StrKind::File
    ),
    opt!(
        "run",
        "disable_warnings",
        List,
        |s| s.run.disable_warnings,
        ListKind::Plain
    ),
    opt!(
        "run",
        "dynamic_context",
        OptStr,
        |s| s.run.dynamic_context,
        StrKind::Plain
    ),
    opt!("run", "parallel", Bool, |s| s.run.parallel),
    opt!("run", "patch", List, |s| s.run.patch, ListKind::Plain),
    opt!("run", "plugins", List, |s| s.run.plugins, ListKind::Plain),
    opt!("run", "relative_files", Bool, |s| s.run.relative_files),
    opt!("run", "include", List, |s| s.run.include, ListKind::Plain),
    opt!("run", "omit", List, |s| s.run.omit, ListKind::Plain),
    opt!("run", "sigterm", Bool, |s| s.run.sigterm),
    opt!("run", "source", OptList, |s| s.run.source, ListKind::Plain),
    opt!(
        "run",
        "source_pkgs",
        List,
        |s| s.run.source_pkgs,
        ListKind::Plain
    ),
    opt!(
        "run",
        "source_dirs",
        List,
        |s| s.run.source_dirs,
        ListKind::Plain
    ),
    opt!("run", "timid", Bool, |s| s.run.timid),
    // coverage.py's internal test hook: accepted so it doesn't warn.
    OptionSpec {
        section: "run",
        name: "_crash",
        target: Target::Ignored,
    },
    // [report]
    opt!(
        "report",
        "exclude_lines",
        List,
        |s| s.report.exclude_lines,
        ListKind::Regex
    ),
    opt!(
        "report",
        "exclude_also",
        List,
        |s| s.report.exclude_also,
        ListKind::Regex
    ),
    opt!("report", "fail_under", Float, |s| s.report.fail_under),
    opt!(
        "report",
        "format",
        OptStr,
        |s| s.report.format,
        StrKind::Plain
    ),
    opt!("report", "ignore_errors", Bool, |s| s.report.ignore_errors),
    opt!("report", "include_namespace_packages", Bool, |s| s
        .report
        .include_namespace_packages),
    opt!(
        "report",
        "partial_branches_always",
        List,
        |s| s.report.partial_branches_always,
        ListKind::Regex
    ),
    opt!(
        "report",
        "partial_branches",
        List,
        |s| s.report.partial_branches,
        ListKind::Regex
    ),
    opt!(
        "report",
        "partial_also",
        List,
        |s| s.report.partial_also,
        ListKind::Regex
    ),
    opt!("report", "precision", Count, |s| s.report.precision),
    opt!(
        "report",
        "contexts",
        OptList,
        |s| s.report.contexts,
        ListKind::Plain
    ),
    opt!(
        "report",
        "include",
        OptList,
        |s| s.report.include,
        ListKind::Plain
    ),
    opt!(
        "report",
        "omit",
        OptList,
        |s| s.report.omit,
        ListKind::Plain
    ),
    opt!("report", "show_missing", Bool, |s| s.report.show_missing),
    opt!("report", "skip_covered", Bool, |s| s.report.skip_covered),
    opt!("report", "skip_empty", Bool, |s| s.report.skip_empty),
    opt!("report", "sort", OptStr, |s| s.report.sort, StrKind::Sort),
    // [html]
    opt!(
        "html",
        "extra_css",
        OptStr,
        |s| s.html.extra_css,
        StrKind::Plain
    ),
    opt!(
        "html",
        "directory",
        Str,
        |s| s.html.directory,
        StrKind::File
    ),
    opt!("html", "skip_covered", OptBool, |s| s.html.skip_covered),
    opt!("html", "skip_empty", OptBool, |s| s.html.skip_empty),
    opt!("html", "title", Str, |s| s.html.title, StrKind::Plain),
    opt!("html", "show_contexts", Bool, |s| s.html.show_contexts),
    // [xml]
    opt!("xml", "output", Str, |s| s.xml.output, StrKind::File),
    opt!("xml", "package_depth", Count, |s| s.xml.package_depth),
    // [json]
    opt!("json", "output", Str, |s| s.json.output, StrKind::File),
    opt!("json", "pretty_print", Bool, |s| s.json.pretty_print),
    opt!("json", "show_contexts", Bool, |s| s.json.show_contexts),
    // [lcov]
    opt!("lcov", "output", Str, |s| s.lcov.output, StrKind::File),
    opt!("lcov", "line_checksums", Bool, |s| s.lcov.line_checksums),
];

/// Is `name` a known option of `section`?
pub(crate) fn is_known(section: &str, name: &str) -> bool {
    OPTIONS
        .iter()
        .any(|o| o.section == section && o.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_key_is_present_once() {
        let expected = [
            ("run", 23),
            ("report", 17),
            ("html", 6),
            ("xml", 2),
            ("json", 3),
            ("lcov", 2),
        ];
        for (section, count) in expected {
            let n = OPTIONS.iter().filter(|o| o.section == section).count();
            assert_eq!(n, count, "section {section}");
        }
        for (i, a) in OPTIONS.iter().enumerate() {
            for b in &OPTIONS[i + 1..] {
                assert!(
                    !(a.section == b.section && a.name == b.name),
                    "{} duplicated",
                    a.name
                );
            }
        }
        assert!(is_known("report", "partial_branches_always"));
        assert!(!is_known("run", "nope"));
    }

    #[test]
    fn targets_point_at_the_right_fields() {
        let mut s = Settings::default();
        for o in OPTIONS {
            if let ("run", "branch", Target::Bool(f)) = (o.section, o.name, o.target) {
                *f(&mut s) = true;
            }
            if let ("xml", "package_depth", Target::Count(f)) = (o.section, o.name, o.target) {
                *f(&mut s) = 3;
            }
        }
        assert!(s.run.branch);
        assert_eq!(s.xml.package_depth, 3);
    }
}
