//! The interface a parsed config file offers to the option reader, and its
//! INI implementation (section prefixes, `$VAR` expansion, Python-style
//! conversions).

use std::collections::BTreeMap;

use crate::convert::{parse_bool, parse_float, parse_int, split_list, split_regex_list};
use crate::expand::{Env, expand_vars};
use crate::ini::IniFile;
use crate::options::ListKind;

/// A config file seen through coverage.py's logical section names
/// (`run`, `report`, ..., `paths`, plugin names). Conversion errors are
/// plain messages; the caller adds file, section and key.
pub(crate) trait ConfigSource {
    /// The section as spelled in the file, if present.
    fn real_section(&self, section: &str) -> Option<String>;
    /// Keys of the section, in file order.
    fn options(&self, section: &str) -> Vec<String>;
    fn has_option(&self, section: &str, key: &str) -> bool {
        self.options(section).iter().any(|k| k == key)
    }
    fn get_bool(&self, section: &str, key: &str, env: Env<'_>) -> Result<bool, String>;
    fn get_int(&self, section: &str, key: &str, env: Env<'_>) -> Result<i64, String>;
    fn get_float(&self, section: &str, key: &str, env: Env<'_>) -> Result<f64, String>;
    fn get_str(&self, section: &str, key: &str, env: Env<'_>) -> Result<String, String>;
    fn get_list(
        &self,
        section: &str,
        key: &str,
        kind: ListKind,
        env: Env<'_>,
    ) -> Result<Vec<String>, String>;
    /// A whole section as strings (plugin options).
    fn section_strings(
        &self,
        section: &str,
        env: Env<'_>,
    ) -> Result<BTreeMap<String, String>, String>;
}

/// An INI file. In coverage's own files (`.coveragerc`, or any file named
/// explicitly) sections may be spelled `[run]` or `[coverage:run]`; in
/// shared files (`setup.cfg`, `tox.ini`) only the prefixed form counts.
pub(crate) struct IniSource {
    ini: IniFile,
    prefixes: &'static [&'static str],
}

impl IniSource {
    pub(crate) fn new(ini: IniFile, our_file: bool) -> IniSource {
        let prefixes: &'static [&'static str] = if our_file {
            &["coverage:", ""]
        } else {
            &["coverage:"]
        };
        IniSource { ini, prefixes }
    }

    fn raw(&self, section: &str, key: &str, env: Env<'_>) -> Result<String, String> {
        let real = self.real_section(section).unwrap_or_default();
        let text = self.ini.get(&real, key).unwrap_or_default();
        expand_vars(text, env)
    }
}

impl ConfigSource for IniSource {
    fn real_section(&self, section: &str) -> Option<String> {
        self.prefixes
            .iter()
            .map(|prefix| format!("{prefix}{section}"))
            .find(|name| self.ini.has_section(name))
    }

    fn options(&self, section: &str) -> Vec<String> {
        match self.real_section(section) {
            Some(real) => self.ini.options(&real),
            None => Vec::new(),
        }
    }

    fn get_bool(&self, section: &str, key: &str, env: Env<'_>) -> Result<bool, String> {
        parse_bool(&self.raw(section, key, env)?)
    }

    fn get_int(&self, section: &str, key: &str, env: Env<'_>) -> Result<i64, String> {
        parse_int(&self.raw(section, key, env)?)
    }

    fn get_float(&self, section: &str, key: &str, env: Env<'_>) -> Result<f64, String> {
        parse_float(&self.raw(section, key, env)?)
    }

    fn get_str(&self, section: &str, key: &str, env: Env<'_>) -> Result<String, String> {
        self.raw(section, key, env)
    }

    fn get_list(
        &self,
        section: &str,
        key: &str,
        kind: ListKind,
        env: Env<'_>,
    ) -> Result<Vec<String>, String> {
        let text = self.raw(section, key, env)?;
        Ok(match kind {
            ListKind::Plain => split_list(&text),
            ListKind::Regex => split_regex_list(&text),
        })
    }

    fn section_strings(
        &self,
        section: &str,
        env: Env<'_>,
    ) -> Result<BTreeMap<String, String>, String> {
        self.options(section)
            .into_iter()
            .map(|key| {
                let value = self.raw(section, &key, env)?;
                Ok((key, value))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn prefixes_for_own_and_shared_files() {
        let ini = IniFile::parse("[run]\nbranch = 1\n[coverage:report]\nprecision = 2\n").unwrap();
        let own = IniSource::new(ini.clone(), true);
        assert_eq!(own.real_section("run").as_deref(), Some("run"));
        assert_eq!(
            own.real_section("report").as_deref(),
            Some("coverage:report")
        );
        let shared = IniSource::new(ini, false);
        assert_eq!(shared.real_section("run"), None);
        assert!(shared.options("run").is_empty());
        assert_eq!(shared.get_int("report", "precision", &no_env), Ok(2));
    }

    #[test]
    fn prefixed_section_wins_in_own_file() {
        let ini = IniFile::parse("[run]\nbranch = 1\n[coverage:run]\nparallel = 1\n").unwrap();
        let own = IniSource::new(ini, true);
        assert_eq!(own.real_section("run").as_deref(), Some("coverage:run"));
        assert!(!own.has_option("run", "branch"));
    }

    #[test]
    fn values_are_expanded_before_conversion() {
        let ini = IniFile::parse("[run]\nbranch = $B\nomit = $A/x, ${A}/y\n").unwrap();
        let src = IniSource::new(ini, true);
        let env = |k: &str| match k {
            "B" => Some("yes".to_owned()),
            "A" => Some("/p".to_owned()),
            _ => None,
        };
        assert_eq!(src.get_bool("run", "branch", &env), Ok(true));
        assert_eq!(
            src.get_list("run", "omit", ListKind::Plain, &env).unwrap(),
            ["/p/x", "/p/y"]
        );
    }
}
