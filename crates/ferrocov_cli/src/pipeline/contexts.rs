//! Reporting with contexts: `--contexts` / `[report] contexts` narrowing the data to the contexts
//! some regex finds (coverage.py's `set_query_contexts`), and each file's contexts per line for
//! the reports that show them.

use anyhow::bail;
use ferrocov_data::CoverageData;
use ferrocov_report::LineContexts;

/// Python regexes matched as `re.search` does: anywhere in the label.
pub struct ContextFilter {
    regexes: Vec<(String, fancy_regex::Regex)>,
}

impl ContextFilter {
    /// Compiles `patterns` (Python `re` syntax). A pattern that does not compile is coverage.py's
    /// error: `Invalid context regex 'PATTERN': REASON` (the reason is the regex engine's).
    pub fn new(patterns: &[String]) -> anyhow::Result<Self> {
        let regexes = patterns
            .iter()
            .map(|pattern| {
                let translated = ferrocov_analysis::translate_python_regex(pattern);
                match fancy_regex::Regex::new(&translated) {
                    Ok(regex) => Ok((pattern.clone(), regex)),
                    Err(err) => bail!(
                        "Invalid context regex {}: {}",
                        ferrocov_pytext::py_repr(pattern),
                        one_line(&err.to_string())
                    ),
                }
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Self { regexes })
    }

    /// Whether any regex is found in `label`. A regex that gives up (fancy-regex's backtracking
    /// limit) is an error naming it, never a silent "no".
    pub fn matches(&self, label: &str) -> anyhow::Result<bool> {
        for (pattern, regex) in &self.regexes {
            match regex.is_match(label) {
                Ok(true) => return Ok(true),
                Ok(false) => {}
                Err(err) => bail!(
                    "Context regex {} failed on {}: {}",
                    ferrocov_pytext::py_repr(pattern),
                    ferrocov_pytext::py_repr(label),
                    one_line(&err.to_string())
                ),
            }
        }
        Ok(false)
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The list `--contexts=A,B` gives, as coverage.py's `unshell_list` splits it: on every comma,
/// nothing stripped; an empty option is no filter.
pub fn split_option(value: &str) -> Option<Vec<String>> {
    (!value.is_empty()).then(|| value.split(',').map(str::to_owned).collect())
}

/// Narrows `data` to the contexts `patterns` find; no patterns (or an empty list) keep it all,
/// as coverage.py's `set_query_contexts` does.
pub fn narrow(data: &mut CoverageData, patterns: &[String]) -> anyhow::Result<()> {
    if patterns.is_empty() {
        return Ok(());
    }
    let filter = ContextFilter::new(patterns)?;
    data.retain_contexts(|label| filter.matches(label))
}

/// Whether the data holds only the empty context: coverage.py's HTML report then warns "No
/// contexts were measured" (when it was asked to show them).
pub fn only_empty_context(data: &CoverageData) -> bool {
    data.contexts().into_iter().eq([""])
}

/// The contexts per line of `path`, as the JSON and HTML reports show them.
pub fn line_contexts(data: &CoverageData, path: &str) -> LineContexts {
    LineContexts::new(data.contexts_by_line(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn search_semantics_and_python_syntax() {
        let filter = ContextFilter::new(&patterns(&["^test_a", r"k\Z", "x{,2}y"])).unwrap();
        assert!(filter.matches("test_a.test_one").unwrap());
        assert!(!filter.matches("mod.test_a").unwrap());
        assert!(filter.matches("test_b.TestK").is_ok_and(|m| !m));
        assert!(filter.matches("test_b.tk").unwrap());
        assert!(filter.matches("y").unwrap());
        // The empty context is a label like any other: only a regex that matches "" keeps it.
        assert!(!filter.matches("").unwrap());
        assert!(
            ContextFilter::new(&patterns(&[""]))
                .unwrap()
                .matches("")
                .unwrap()
        );
    }

    #[test]
    fn a_bad_regex_is_coverage_pys_error() {
        let err = ContextFilter::new(&patterns(&["ok", "(unclosed"]))
            .err()
            .expect("an error");
        let message = err.to_string();
        assert!(
            message.starts_with("Invalid context regex '(unclosed': "),
            "{message}"
        );
        assert!(!message.contains('\n'));
    }

    #[test]
    fn option_splits_like_unshell_list() {
        assert_eq!(split_option(""), None);
        assert_eq!(
            split_option("a, b,,c"),
            Some(patterns(&["a", " b", "", "c"]))
        );
    }

    #[test]
    fn narrowing_keeps_every_file() {
        let mut data = CoverageData::new();
        data.add_lines("a.py", "", [1, 2]);
        data.add_lines("a.py", "test_x|run", [2, 3]);
        data.add_lines("b.py", "", [7]);
        assert!(!only_empty_context(&data));
        narrow(&mut data, &patterns(&["run$"])).unwrap();
        assert_eq!(data.lines("a.py").unwrap(), [2, 3].into());
        assert_eq!(data.lines("b.py").unwrap(), [].into());
        assert!(narrow(&mut data, &patterns(&["["])).is_err());
        let mut empty_only = CoverageData::new();
        empty_only.add_lines("a.py", "", [1]);
        assert!(only_empty_context(&empty_only));
    }
}
