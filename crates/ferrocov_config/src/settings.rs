//! Typed settings with coverage.py's defaults, and the checks coverage.py
//! makes once all configuration has been gathered.

use std::collections::BTreeMap;

use crate::errors::ConfigError;
use ferrocov_pytext::py_repr;

/// coverage.py's default `[report] exclude_lines`.
pub const DEFAULT_EXCLUDE: [&str; 3] = [
    r"#\s*(pragma|PRAGMA)[:\s]?\s*(no|NO)\s*(cover|COVER)",
    r"^\s*(((async )?def .*?)?[\])]+(\s*->.*?)?:\s*)?\.\.\.\s*(#|$)",
    r"^\s*if (typing\.)?TYPE_CHECKING:",
];

/// coverage.py's default `[report] partial_branches`.
pub const DEFAULT_PARTIAL: [&str; 1] = [r"#\s*(pragma|PRAGMA)[:\s]?\s*(no|NO)\s*(branch|BRANCH)"];

/// coverage.py's default `[report] partial_branches_always`.
pub const DEFAULT_PARTIAL_ALWAYS: [&str; 2] = ["while (True|1|False|0):", "if (True|1|False|0):"];

/// The accepted `[run] concurrency` values.
pub const CONCURRENCY_CHOICES: [&str; 5] = [
    "thread",
    "gevent",
    "greenlet",
    "eventlet",
    "multiprocessing",
];

/// Columns `[report] sort` may name (compared case-insensitively).
pub const SORT_COLUMNS: [&str; 6] = ["Name", "Stmts", "Miss", "Branch", "BrPart", "Cover"];

/// Everything coverage.py reads from a configuration file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    pub run: RunSettings,
    pub report: ReportSettings,
    pub html: HtmlSettings,
    pub xml: XmlSettings,
    pub json: JsonSettings,
    pub lcov: LcovSettings,
    /// `[paths]` in file order: (entry name, values). The first value is
    /// the canonical location, the rest are patterns mapped onto it.
    pub paths: Vec<(String, Vec<String>)>,
    /// Options of plugin sections, keyed by plugin name (only plugins named
    /// in `[run] plugins`, as coverage.py does).
    pub plugin_options: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RunSettings {
    pub branch: bool,
    pub command_line: Option<String>,
    pub concurrency: Vec<String>,
    pub context: Option<String>,
    pub core: Option<String>,
    pub cover_pylib: bool,
    pub data_file: String,
    pub debug: Vec<String>,
    pub debug_file: Option<String>,
    pub disable_warnings: Vec<String>,
    pub dynamic_context: Option<String>,
    pub include: Vec<String>,
    pub omit: Vec<String>,
    pub parallel: bool,
    pub patch: Vec<String>,
    pub plugins: Vec<String>,
    pub relative_files: bool,
    pub sigterm: bool,
    /// None when never set, which differs from an explicitly empty list.
    pub source: Option<Vec<String>>,
    pub source_pkgs: Vec<String>,
    pub source_dirs: Vec<String>,
    pub timid: bool,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            branch: false,
            command_line: None,
            concurrency: Vec::new(),
            context: None,
            core: None,
            cover_pylib: false,
            data_file: ".coverage".to_owned(),
            debug: Vec::new(),
            debug_file: None,
            disable_warnings: Vec::new(),
            dynamic_context: None,
            include: Vec::new(),
            omit: Vec::new(),
            parallel: false,
            patch: Vec::new(),
            plugins: Vec::new(),
            relative_files: false,
            sigterm: false,
            source: None,
            source_pkgs: Vec::new(),
            source_dirs: Vec::new(),
            timid: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportSettings {
    /// Replaces the defaults when set; see [`ReportSettings::exclude_regexes`].
    pub exclude_lines: Vec<String>,
    pub exclude_also: Vec<String>,
    pub fail_under: f64,
    pub format: Option<String>,
    pub ignore_errors: bool,
    pub include_namespace_packages: bool,
    /// None = not set here (reporting then falls back to `[run] include`).
    pub include: Option<Vec<String>>,
    pub omit: Option<Vec<String>>,
    pub partial_branches: Vec<String>,
    pub partial_also: Vec<String>,
    pub partial_branches_always: Vec<String>,
    pub precision: u32,
    pub contexts: Option<Vec<String>>,
    pub show_missing: bool,
    pub skip_covered: bool,
    pub skip_empty: bool,
    /// Validated against [`SORT_COLUMNS`]; see [`ReportSettings::sort_key`].
    pub sort: Option<String>,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            exclude_lines: strings(&DEFAULT_EXCLUDE),
            exclude_also: Vec::new(),
            fail_under: 0.0,
            format: None,
            ignore_errors: false,
            include_namespace_packages: false,
            include: None,
            omit: None,
            partial_branches: strings(&DEFAULT_PARTIAL),
            partial_also: Vec::new(),
            partial_branches_always: strings(&DEFAULT_PARTIAL_ALWAYS),
            precision: 0,
            contexts: None,
            show_missing: false,
            skip_covered: false,
            skip_empty: false,
            sort: None,
        }
    }
}

impl ReportSettings {
    /// The exclusion regexes in force: `exclude_lines` then `exclude_also`.
    pub fn exclude_regexes(&self) -> Vec<String> {
        self.exclude_lines
            .iter()
            .chain(&self.exclude_also)
            .cloned()
            .collect()
    }

    /// The partial-branch regexes in force: `partial_branches` then `partial_also`.
    pub fn partial_regexes(&self) -> Vec<String> {
        self.partial_branches
            .iter()
            .chain(&self.partial_also)
            .cloned()
            .collect()
    }

    /// The sort column (as spelled in [`SORT_COLUMNS`]) and whether the
    /// order is descending. None when `sort` is unset or invalid.
    pub fn sort_key(&self) -> Option<(&'static str, bool)> {
        self.sort.as_deref().and_then(parse_sort)
    }
}

/// Parse a `sort` value: an optional `-` then a column name, any case.
pub fn parse_sort(value: &str) -> Option<(&'static str, bool)> {
    let (descending, name) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    SORT_COLUMNS
        .iter()
        .find(|col| col.eq_ignore_ascii_case(name))
        .map(|col| (*col, descending))
}

#[derive(Debug, Clone, PartialEq)]
pub struct HtmlSettings {
    pub directory: String,
    pub extra_css: Option<String>,
    pub show_contexts: bool,
    /// None = use `[report] skip_covered`.
    pub skip_covered: Option<bool>,
    /// None = use `[report] skip_empty`.
    pub skip_empty: Option<bool>,
    pub title: String,
}

impl Default for HtmlSettings {
    fn default() -> Self {
        HtmlSettings {
            directory: "htmlcov".to_owned(),
            extra_css: None,
            show_contexts: false,
            skip_covered: None,
            skip_empty: None,
            title: "Coverage report".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct XmlSettings {
    pub output: String,
    pub package_depth: u32,
}

impl Default for XmlSettings {
    fn default() -> Self {
        XmlSettings {
            output: "coverage.xml".to_owned(),
            package_depth: 99,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct JsonSettings {
    pub output: String,
    pub pretty_print: bool,
    pub show_contexts: bool,
}

impl Default for JsonSettings {
    fn default() -> Self {
        JsonSettings {
            output: "coverage.json".to_owned(),
            pretty_print: false,
            show_contexts: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LcovSettings {
    pub output: String,
    pub line_checksums: bool,
}

impl Default for LcovSettings {
    fn default() -> Self {
        LcovSettings {
            output: "coverage.lcov".to_owned(),
            line_checksums: false,
        }
    }
}

impl Settings {
    /// The adjustments coverage.py makes after all sources (file,
    /// environment, command line) are merged: `patch = subprocess` implies
    /// `parallel`, and concurrency choices are checked. Safe to call again
    /// after command-line overrides.
    pub fn finalize(&mut self) -> Result<(), ConfigError> {
        if self.run.patch.iter().any(|p| p == "subprocess") {
            self.run.parallel = true;
        }
        let mut unknown: Vec<&str> = self
            .run
            .concurrency
            .iter()
            .map(String::as_str)
            .filter(|c| !CONCURRENCY_CHOICES.contains(c))
            .collect();
        if !unknown.is_empty() {
            unknown.sort_unstable();
            unknown.dedup();
            return Err(ConfigError::Invalid(format!(
                "Unknown concurrency choices: {}",
                unknown.join(", ")
            )));
        }
        let mut light: Vec<&str> = self
            .run
            .concurrency
            .iter()
            .map(String::as_str)
            .filter(|c| matches!(*c, "greenlet" | "eventlet" | "gevent"))
            .collect();
        light.sort_unstable();
        light.dedup();
        if light.len() > 1 {
            return Err(ConfigError::Invalid(format!(
                "Conflicting concurrency settings: {}",
                light.join(", ")
            )));
        }
        if let Some(sort) = &self.report.sort
            && parse_sort(sort).is_none()
        {
            return Err(ConfigError::Invalid(format!(
                "Invalid sorting option: {}",
                py_repr(sort)
            )));
        }
        Ok(())
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_coverage_py() {
        let s = Settings::default();
        assert_eq!(s.run.data_file, ".coverage");
        assert!(!s.run.branch && !s.run.parallel && !s.run.timid);
        assert_eq!(s.run.source, None);
        assert_eq!(s.report.exclude_lines.len(), 3);
        assert!(s.report.exclude_lines[0].contains("pragma|PRAGMA"));
        assert_eq!(s.report.partial_branches, strings(&DEFAULT_PARTIAL));
        assert_eq!(s.report.partial_branches_always.len(), 2);
        assert_eq!(s.report.precision, 0);
        assert_eq!(s.report.fail_under, 0.0);
        assert_eq!(s.html.directory, "htmlcov");
        assert_eq!(s.html.title, "Coverage report");
        assert_eq!(s.xml.output, "coverage.xml");
        assert_eq!(s.xml.package_depth, 99);
        assert_eq!(s.json.output, "coverage.json");
        assert_eq!(s.lcov.output, "coverage.lcov");
        assert!(s.paths.is_empty());
    }

    #[test]
    fn exclude_also_adds_to_lines() {
        let r = ReportSettings {
            exclude_also: vec!["raise NotImplementedError".into()],
            ..ReportSettings::default()
        };
        let all = r.exclude_regexes();
        assert_eq!(all.len(), 4);
        assert_eq!(all[3], "raise NotImplementedError");
    }

    #[test]
    fn sort_parsing() {
        assert_eq!(parse_sort("Cover"), Some(("Cover", false)));
        assert_eq!(parse_sort("-cover"), Some(("Cover", true)));
        assert_eq!(parse_sort("brpart"), Some(("BrPart", false)));
        assert_eq!(parse_sort("bogus"), None);
        assert_eq!(parse_sort("--cover"), None);
    }

    #[test]
    fn finalize_checks() {
        let mut s = Settings::default();
        s.run.patch = vec!["subprocess".into()];
        s.finalize().unwrap();
        assert!(s.run.parallel);

        s.run.concurrency = vec!["thread".into(), "bogus".into()];
        assert_eq!(
            s.finalize().unwrap_err().to_string(),
            "Unknown concurrency choices: bogus"
        );
        s.run.concurrency = vec!["gevent".into(), "eventlet".into()];
        assert_eq!(
            s.finalize().unwrap_err().to_string(),
            "Conflicting concurrency settings: eventlet, gevent"
        );
        s.run.concurrency = vec!["gevent".into(), "multiprocessing".into()];
        s.finalize().unwrap();

        s.report.sort = Some("Nope".into());
        assert_eq!(
            s.finalize().unwrap_err().to_string(),
            "Invalid sorting option: 'Nope'"
        );
    }
}
