//! TOML config files (`pyproject.toml`, `.coveragerc.toml`, any `*.toml`
//! rcfile): `[tool.coverage.X]` tables, typed values, `$VAR` expansion
//! inside strings only.

use std::collections::BTreeMap;

use toml::{Table, Value};

use crate::convert::{clean_regex_list, parse_float, parse_int};
use crate::expand::{Env, expand_vars};
use crate::options::ListKind;
use crate::source::ConfigSource;
use ferrocov_pytext::py_repr;

pub(crate) struct TomlSource {
    data: Table,
    prefixes: &'static [&'static str],
}

/// A TOML syntax error: the 1-based line when known, and the message.
pub(crate) struct TomlError {
    pub(crate) line: Option<usize>,
    pub(crate) message: String,
}

impl TomlSource {
    /// Parse a TOML file. In coverage's own files (`.coveragerc.toml`, a
    /// named rcfile) tables may also be written without `tool.coverage.`.
    pub(crate) fn parse(text: &str, our_file: bool) -> Result<TomlSource, TomlError> {
        let data: Table = text.parse().map_err(|e: toml::de::Error| TomlError {
            line: e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1),
            message: e.message().trim_end().to_owned(),
        })?;
        let prefixes: &'static [&'static str] = if our_file {
            &["tool.coverage.", ""]
        } else {
            &["tool.coverage."]
        };
        Ok(TomlSource { data, prefixes })
    }

    fn table(&self, section: &str) -> Option<(String, &Table)> {
        self.prefixes.iter().find_map(|prefix| {
            let real = format!("{prefix}{section}");
            let mut parts = real.split('.');
            let mut table = self.data.get(parts.next()?)?.as_table()?;
            for part in parts {
                table = table.get(part)?.as_table()?;
            }
            Some((real, table))
        })
    }

    fn value(&self, section: &str, key: &str) -> Result<&Value, String> {
        self.table(section)
            .and_then(|(_, t)| t.get(key))
            .ok_or_else(|| format!("no option {} in section {}", py_repr(key), py_repr(section)))
    }

    /// A single value with `$VAR`s expanded when it is a string.
    fn scalar(&self, section: &str, key: &str, env: Env<'_>) -> Result<Scalar<'_>, String> {
        Ok(match self.value(section, key)? {
            Value::String(s) => Scalar::Str(expand_vars(s, env)?),
            other => Scalar::Other(other),
        })
    }
}

enum Scalar<'v> {
    Str(String),
    Other(&'v Value),
}

impl ConfigSource for TomlSource {
    fn real_section(&self, section: &str) -> Option<String> {
        self.table(section).map(|(real, _)| real)
    }

    fn options(&self, section: &str) -> Vec<String> {
        self.table(section)
            .map(|(_, t)| t.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn get_bool(&self, section: &str, key: &str, env: Env<'_>) -> Result<bool, String> {
        match self.scalar(section, key, env)? {
            Scalar::Other(Value::Boolean(b)) => Ok(*b),
            Scalar::Str(s) => match s.as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(format!("couldn't convert to a boolean: {}", py_repr(&s))),
            },
            Scalar::Other(v) => Err(format!("not a boolean: {}", value_repr(v))),
        }
    }

    fn get_int(&self, section: &str, key: &str, env: Env<'_>) -> Result<i64, String> {
        match self.scalar(section, key, env)? {
            Scalar::Other(Value::Integer(i)) => Ok(*i),
            Scalar::Str(s) => parse_int(&s)
                .map_err(|_| format!("couldn't convert to an integer: {}", py_repr(&s))),
            Scalar::Other(v) => Err(format!("not an integer: {}", value_repr(v))),
        }
    }

    fn get_float(&self, section: &str, key: &str, env: Env<'_>) -> Result<f64, String> {
        match self.scalar(section, key, env)? {
            Scalar::Other(Value::Float(f)) => Ok(*f),
            // Precision loss only past 2^53, far beyond any sensible percentage.
            Scalar::Other(Value::Integer(i)) => Ok(*i as f64),
            Scalar::Str(s) => {
                parse_float(&s).map_err(|_| format!("couldn't convert to a float: {}", py_repr(&s)))
            }
            Scalar::Other(v) => Err(format!("not a float: {}", value_repr(v))),
        }
    }

    fn get_str(&self, section: &str, key: &str, env: Env<'_>) -> Result<String, String> {
        match self.scalar(section, key, env)? {
            Scalar::Str(s) => Ok(s),
            Scalar::Other(v) => Err(format!("not a string: {}", value_repr(v))),
        }
    }

    fn get_list(
        &self,
        section: &str,
        key: &str,
        kind: ListKind,
        env: Env<'_>,
    ) -> Result<Vec<String>, String> {
        // coverage.py does not accept a bare string where a list is expected.
        let value = self.value(section, key)?;
        let Value::Array(items) = value else {
            return Err(format!("not a list: {}", value_repr(value)));
        };
        let strings = items
            .iter()
            .map(|item| match item {
                Value::String(s) => expand_vars(s, env),
                _ => Err(format!("not a list of strings: {}", value_repr(item))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(match kind {
            ListKind::Plain => strings,
            ListKind::Regex => clean_regex_list(strings),
        })
    }

    fn section_strings(
        &self,
        section: &str,
        _env: Env<'_>,
    ) -> Result<BTreeMap<String, String>, String> {
        // Plugin options are handed over as written (coverage.py passes the
        // raw TOML values); non-strings are rendered as TOML text.
        let Some((_, table)) = self.table(section) else {
            return Ok(BTreeMap::new());
        };
        Ok(table
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), text)
            })
            .collect())
    }
}

/// Render a TOML value as Python would print the value coverage.py sees.
fn value_repr(value: &Value) -> String {
    match value {
        Value::String(s) => py_repr(s),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => format!("{f:?}"),
        Value::Boolean(true) => "True".to_owned(),
        Value::Boolean(false) => "False".to_owned(),
        Value::Datetime(d) => d.to_string(),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(value_repr).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Table(t) => {
            let inner: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{}: {}", py_repr(k), value_repr(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(k: &str) -> Option<String> {
        (k == "V").then(|| "vv".to_owned())
    }

    fn src(text: &str, our: bool) -> TomlSource {
        TomlSource::parse(text, our).ok().unwrap()
    }

    #[test]
    fn tool_coverage_prefix_and_bare_sections() {
        let t = "[tool.coverage.run]\nbranch = true\n[report]\nprecision = 2\n";
        let shared = src(t, false);
        assert_eq!(
            shared.real_section("run").as_deref(),
            Some("tool.coverage.run")
        );
        assert_eq!(shared.real_section("report"), None);
        let own = src(t, true);
        assert_eq!(own.real_section("report").as_deref(), Some("report"));
        assert_eq!(own.get_int("report", "precision", &env), Ok(2));
    }

    #[test]
    fn typed_values_and_string_conversions() {
        let s = src(
            "[tool.coverage.report]\nskip_covered = \"true\"\nshow_missing = \"yes\"\nprecision = \"3\"\nfail_under = 90\nsort = 5\n",
            false,
        );
        assert_eq!(s.get_bool("report", "skip_covered", &env), Ok(true));
        assert_eq!(
            s.get_bool("report", "show_missing", &env).unwrap_err(),
            "couldn't convert to a boolean: 'yes'"
        );
        assert_eq!(s.get_int("report", "precision", &env), Ok(3));
        assert_eq!(s.get_float("report", "fail_under", &env), Ok(90.0));
        assert_eq!(
            s.get_str("report", "sort", &env).unwrap_err(),
            "not a string: 5"
        );
    }

    #[test]
    fn lists_must_be_arrays_of_strings() {
        let s = src(
            "[tool.coverage.run]\nomit = \"a/*\"\nsource = [\"$V/src\", \"b\"]\ndebug = [1]\n",
            false,
        );
        assert_eq!(
            s.get_list("run", "omit", ListKind::Plain, &env)
                .unwrap_err(),
            "not a list: 'a/*'"
        );
        assert_eq!(
            s.get_list("run", "source", ListKind::Plain, &env).unwrap(),
            ["vv/src", "b"]
        );
        assert_eq!(
            s.get_list("run", "debug", ListKind::Plain, &env)
                .unwrap_err(),
            "not a list of strings: 1"
        );
    }

    #[test]
    fn key_order_is_file_order() {
        let s = src(
            "[tool.coverage.paths]\nz = [\"a\"]\na = [\"b\"]\nm = [\"c\"]\n",
            false,
        );
        assert_eq!(s.options("paths"), ["z", "a", "m"]);
    }

    #[test]
    fn syntax_error_reports_line() {
        let Err(e) = TomlSource::parse("[a]\nx = 1\ny = = 2\n", false) else {
            panic!("expected error");
        };
        assert_eq!(e.line, Some(3));
        assert!(!e.message.is_empty());
    }
}
