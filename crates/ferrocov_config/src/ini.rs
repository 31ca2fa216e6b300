//! A reader for INI files that behaves like Python's `configparser` as
//! coverage.py configures it (no interpolation, strict, `=` and `:`
//! delimiters, `#`/`;` full-line comments, indented continuation lines,
//! lowercased keys, a `DEFAULT` section that every section falls back to).

use ferrocov_pytext::py_repr;

const DEFAULT_SECTION: &str = "DEFAULT";

/// A parsed INI document. Sections and keys keep file order, which matters
/// for `[paths]` (the first matching rule wins).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct IniFile {
    defaults: Vec<(String, String)>,
    sections: Vec<(String, Vec<(String, String)>)>,
}

/// A syntax error: the 1-based line and a description.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IniError {
    pub(crate) line: usize,
    pub(crate) message: String,
}

/// Where new `key = value` lines go while parsing.
#[derive(Clone, Copy)]
enum Target {
    None,
    Defaults,
    Section(usize),
}

struct Parser {
    doc: IniFile,
    target: Target,
    /// Section name of `target`, for duplicate-key messages.
    target_name: String,
    /// Keys already seen per section in this file (strict mode).
    seen_sections: Vec<String>,
    /// The option currently accepting continuation lines: its value lines.
    current: Option<(String, Vec<String>)>,
    indent_level: usize,
}

impl IniFile {
    pub(crate) fn parse(text: &str) -> Result<IniFile, IniError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut p = Parser {
            doc: IniFile::default(),
            target: Target::None,
            target_name: String::new(),
            seen_sections: Vec::new(),
            current: None,
            indent_level: 0,
        };
        for (idx, line) in split_lines(text).enumerate() {
            p.line(idx + 1, line)?;
        }
        p.finish_option();
        Ok(p.doc)
    }

    pub(crate) fn has_section(&self, name: &str) -> bool {
        self.sections.iter().any(|(n, _)| n == name)
    }

    /// The section's keys followed by `DEFAULT` keys it does not override,
    /// as `configparser.options()` reports them.
    pub(crate) fn options(&self, name: &str) -> Vec<String> {
        let Some(entries) = self.section(name) else {
            return Vec::new();
        };
        let mut keys: Vec<String> = entries.iter().map(|(k, _)| k.clone()).collect();
        for (k, _) in &self.defaults {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
        keys
    }

    /// The raw value, falling back to `DEFAULT`. None if the section is missing.
    pub(crate) fn get(&self, section: &str, key: &str) -> Option<&str> {
        let entries = self.section(section)?;
        entries
            .iter()
            .chain(self.defaults.iter())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn section(&self, name: &str) -> Option<&Vec<(String, String)>> {
        self.sections
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, entries)| entries)
    }
}

impl Parser {
    fn line(&mut self, lineno: usize, raw: &str) -> Result<(), IniError> {
        let value = raw.trim();
        let is_comment = value.starts_with('#') || value.starts_with(';');
        if value.is_empty() || is_comment {
            // A blank line is part of a multi-line value (trailing blanks are
            // trimmed at the end); a comment line is simply skipped.
            if !is_comment && let Some((_, lines)) = self.current.as_mut() {
                lines.push(String::new());
            }
            return Ok(());
        }
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count();
        if self.current.is_some() && indent > self.indent_level {
            if let Some((_, lines)) = self.current.as_mut() {
                lines.push(value.to_owned());
            }
            return Ok(());
        }
        self.indent_level = indent;
        self.finish_option();

        if let Some(name) = section_header(value) {
            return self.start_section(lineno, name);
        }
        if matches!(self.target, Target::None) {
            return Err(IniError {
                line: lineno,
                message: format!("File contains no section headers: {}", py_repr(raw)),
            });
        }
        let Some((key, val)) = split_option(value) else {
            return Err(IniError {
                line: lineno,
                message: format!("could not parse line: {}", py_repr(raw)),
            });
        };
        let key = key.to_lowercase();
        if self.key_exists(&key) {
            return Err(IniError {
                line: lineno,
                message: format!(
                    "option {} in section {} already exists",
                    py_repr(&key),
                    py_repr(&self.target_name)
                ),
            });
        }
        self.current = Some((key, vec![val.to_owned()]));
        Ok(())
    }

    fn start_section(&mut self, lineno: usize, name: &str) -> Result<(), IniError> {
        if self.seen_sections.iter().any(|s| s == name) && name != DEFAULT_SECTION {
            return Err(IniError {
                line: lineno,
                message: format!("section {} already exists", py_repr(name)),
            });
        }
        self.seen_sections.push(name.to_owned());
        self.target_name = name.to_owned();
        self.target = if name == DEFAULT_SECTION {
            Target::Defaults
        } else {
            self.doc.sections.push((name.to_owned(), Vec::new()));
            Target::Section(self.doc.sections.len() - 1)
        };
        Ok(())
    }

    fn entries(&mut self) -> Option<&mut Vec<(String, String)>> {
        match self.target {
            Target::None => None,
            Target::Defaults => Some(&mut self.doc.defaults),
            Target::Section(i) => Some(&mut self.doc.sections[i].1),
        }
    }

    fn key_exists(&mut self, key: &str) -> bool {
        self.entries()
            .is_some_and(|entries| entries.iter().any(|(k, _)| k == key))
    }

    /// Store the pending option: its lines joined with newlines, trailing
    /// whitespace (and so trailing blank lines) removed.
    fn finish_option(&mut self) {
        if let Some((key, lines)) = self.current.take() {
            let value = lines.join("\n").trim_end().to_owned();
            if let Some(entries) = self.entries() {
                entries.push((key, value));
            }
        }
    }
}

/// Lines split the way Python's text mode does (`\n`, `\r\n`, `\r`).
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = &rest[..end];
        let mut next = end;
        if rest[end..].starts_with("\r\n") {
            next += 2;
        } else if end < rest.len() {
            next += 1;
        }
        rest = &rest[next..];
        Some(line)
    })
}

/// `[name]` at the start of the (stripped) line; as in configparser the name
/// runs to the last `]`, and anything after it is ignored.
fn section_header(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('[')?;
    let close = inner.rfind(']')?;
    (close > 0).then(|| &inner[..close])
}

/// `key = value` or `key: value`, split at the first delimiter.
fn split_option(line: &str) -> Option<(&str, &str)> {
    let pos = line.find(['=', ':'])?;
    let key = line[..pos].trim_end();
    if key.is_empty() {
        return None;
    }
    Some((key, line[pos + 1..].trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> IniFile {
        IniFile::parse(text).unwrap()
    }

    #[test]
    fn basic_key_values_both_delimiters() {
        let ini = parse("[run]\nbranch = True\nData_File: foo.dat\nx=a=b\n");
        assert_eq!(ini.get("run", "branch"), Some("True"));
        assert_eq!(ini.get("run", "data_file"), Some("foo.dat"));
        assert_eq!(ini.get("run", "Data_File"), None);
        assert_eq!(ini.get("run", "x"), Some("a=b"));
        assert_eq!(ini.options("run"), ["branch", "data_file", "x"]);
    }

    #[test]
    fn section_names_are_case_sensitive() {
        let ini = parse("[Run]\na = 1\n[run]\na = 2\n");
        assert_eq!(ini.get("Run", "a"), Some("1"));
        assert_eq!(ini.get("run", "a"), Some("2"));
    }

    #[test]
    fn continuation_lines_and_blank_lines() {
        let ini = parse("[run]\nomit =\n    a/*\n\n    b/*\n\nbranch = 1\n");
        assert_eq!(ini.get("run", "omit"), Some("\na/*\n\nb/*"));
        assert_eq!(ini.get("run", "branch"), Some("1"));
    }

    #[test]
    fn inline_value_then_continuation() {
        let ini = parse("[report]\nexclude_lines = one\n  two\n\tthree\n");
        assert_eq!(ini.get("report", "exclude_lines"), Some("one\ntwo\nthree"));
    }

    #[test]
    fn comments_only_at_line_start() {
        let ini = parse(
            "# top\n; also\n[run]\n  # indented comment\nsource = src # not a comment\nomit =\n    a\n    ; skipped inside value\n    b\n",
        );
        assert_eq!(ini.get("run", "source"), Some("src # not a comment"));
        assert_eq!(ini.get("run", "omit"), Some("\na\nb"));
    }

    #[test]
    fn default_section_falls_through() {
        let ini = parse("[DEFAULT]\nshared = yes\n[run]\nbranch = 1\n[report]\nshared = no\n");
        assert_eq!(ini.get("run", "shared"), Some("yes"));
        assert_eq!(ini.get("report", "shared"), Some("no"));
        assert_eq!(ini.options("run"), ["branch", "shared"]);
        assert!(!ini.has_section("DEFAULT"));
        assert_eq!(ini.get("nosuch", "shared"), None);
    }

    #[test]
    fn duplicate_key_is_error() {
        let err = IniFile::parse("[run]\nbranch = 1\nBranch = 0\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.message
                .contains("option 'branch' in section 'run' already exists")
        );
    }

    #[test]
    fn duplicate_section_is_error() {
        let err = IniFile::parse("[run]\na = 1\n[report]\n[run]\n").unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("section 'run' already exists"));
    }

    #[test]
    fn missing_header_is_error() {
        let err = IniFile::parse("\nbranch = 1\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("no section headers"));
    }

    #[test]
    fn line_without_delimiter_is_error() {
        let err = IniFile::parse("[run]\nbranch\n").unwrap_err();
        assert_eq!(err.line, 2);
        let err = IniFile::parse("[run]\n= 1\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn crlf_and_bom() {
        let ini = parse("\u{feff}[run]\r\nomit =\r\n  a\r\n  b\r\nbranch = 1\r\n");
        assert_eq!(ini.get("run", "omit"), Some("\na\nb"));
        assert_eq!(ini.get("run", "branch"), Some("1"));
    }

    #[test]
    fn header_runs_to_last_bracket_and_ignores_trailing_text() {
        let ini = parse("[run] ; comment\na = 1\n[x]y]\nb = 2\n");
        assert_eq!(ini.get("run", "a"), Some("1"));
        assert_eq!(ini.get("x]y", "b"), Some("2"));
    }

    #[test]
    fn indented_header_after_option_is_a_continuation() {
        let ini = parse("[run]\nomit =\n  [nota]\n");
        assert_eq!(ini.get("run", "omit"), Some("\n[nota]"));
        assert!(!ini.has_section("nota"));
    }

    #[test]
    fn empty_value_and_section_order() {
        let ini = parse("[paths]\nb = x\na =\n[run]\n");
        assert_eq!(ini.options("paths"), ["b", "a"]);
        assert_eq!(ini.get("paths", "a"), Some(""));
        assert!(ini.has_section("run"));
        assert!(ini.options("run").is_empty());
    }
}
