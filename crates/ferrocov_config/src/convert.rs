//! Turning option text into typed values the way Python does (`int()`,
//! `float()`, configparser's booleans, coverage.py's list splitting and `~`).

use crate::expand::Env;
use ferrocov_pytext::py_repr;

/// configparser's boolean words, compared case-insensitively.
pub(crate) fn parse_bool(text: &str) -> Result<bool, String> {
    match text.to_lowercase().as_str() {
        "1" | "yes" | "true" | "on" => Ok(true),
        "0" | "no" | "false" | "off" => Ok(false),
        _ => Err(format!("Not a boolean: {text}")),
    }
}

/// Python's `int(text)`: surrounding whitespace, a sign, and single
/// underscores between digits are allowed.
pub(crate) fn parse_int(text: &str) -> Result<i64, String> {
    let bad = || format!("invalid literal for int: {}", py_repr(text));
    let t = text.trim();
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let cleaned = strip_digit_underscores(digits).ok_or_else(bad)?;
    if cleaned.is_empty() || !cleaned.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let magnitude: i64 = cleaned.parse().map_err(|_| bad())?;
    Ok(if negative { -magnitude } else { magnitude })
}

/// Python's `float(text)`, including `inf`/`nan` spellings and underscores.
pub(crate) fn parse_float(text: &str) -> Result<f64, String> {
    let bad = || format!("could not convert string to float: {}", py_repr(text));
    let t = text.trim();
    let unsigned = t.trim_start_matches(['+', '-']);
    if t.len() - unsigned.len() > 1 {
        return Err(bad());
    }
    let lower = unsigned.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return t.to_ascii_lowercase().parse().map_err(|_| bad());
    }
    if !unsigned
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'))
    {
        return Err(bad());
    }
    let cleaned = strip_digit_underscores(t).ok_or_else(bad)?;
    cleaned.parse().map_err(|_| bad())
}

/// Remove underscores that sit between two digits; any other underscore
/// makes the literal invalid.
fn strip_digit_underscores(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let before = i > 0 && bytes[i - 1].is_ascii_digit();
            let after = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !(before && after) {
                return None;
            }
        } else {
            out.push(b as char);
        }
    }
    Some(out)
}

/// coverage.py's INI list: split on newlines, then on commas; items are
/// stripped and empty ones dropped.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    text.split('\n')
        .flat_map(|line| line.split(','))
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// coverage.py's regex list: one regex per line (commas are regex text),
/// stripped, blank lines dropped.
pub(crate) fn split_regex_list(text: &str) -> Vec<String> {
    clean_regex_list(text.lines().map(str::to_owned))
}

pub(crate) fn clean_regex_list(items: impl IntoIterator<Item = String>) -> Vec<String> {
    items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

/// Python's `os.path.expanduser` for `~` and `~/...`, using `HOME`.
/// `~user` forms are left alone: resolving other users' homes needs the
/// password database, which coverage.py users essentially never rely on.
pub(crate) fn expand_user(path: &str, env: Env<'_>) -> String {
    let Some(rest) = path.strip_prefix('~') else {
        return path.to_owned();
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return path.to_owned();
    }
    match env("HOME") {
        Some(home) => {
            let home = if home.len() > 1 {
                home.trim_end_matches('/')
            } else {
                &home
            };
            format!("{home}{rest}")
        }
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_like_configparser() {
        for t in ["1", "yes", "TRUE", "On", "true"] {
            assert_eq!(parse_bool(t), Ok(true), "{t}");
        }
        for t in ["0", "no", "False", "OFF"] {
            assert_eq!(parse_bool(t), Ok(false), "{t}");
        }
        assert_eq!(parse_bool("maybe").unwrap_err(), "Not a boolean: maybe");
        assert!(parse_bool("").is_err());
        assert!(parse_bool("2").is_err());
    }

    #[test]
    fn ints_like_python() {
        assert_eq!(parse_int("12"), Ok(12));
        assert_eq!(parse_int("  -3 "), Ok(-3));
        assert_eq!(parse_int("+7"), Ok(7));
        assert_eq!(parse_int("1_000"), Ok(1000));
        assert_eq!(parse_int("007"), Ok(7));
        for bad in ["abc", "", "1.5", "1__0", "_1", "1_", "--1", "0x10", "1 2"] {
            assert!(parse_int(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse_int("abc").unwrap_err(),
            "invalid literal for int: 'abc'"
        );
    }

    #[test]
    fn floats_like_python() {
        assert_eq!(parse_float("87.5"), Ok(87.5));
        assert_eq!(parse_float(" 90 "), Ok(90.0));
        assert_eq!(parse_float("1e2"), Ok(100.0));
        assert_eq!(parse_float(".5"), Ok(0.5));
        assert_eq!(parse_float("5."), Ok(5.0));
        assert_eq!(parse_float("-1_0.5"), Ok(-10.5));
        assert_eq!(parse_float("Infinity"), Ok(f64::INFINITY));
        assert_eq!(parse_float("-inf"), Ok(f64::NEG_INFINITY));
        assert!(parse_float("nan").unwrap().is_nan());
        for bad in ["abc", "", "1,5", "--1", "1__0", "85%", "in f"] {
            assert!(parse_float(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse_float("abc").unwrap_err(),
            "could not convert string to float: 'abc'"
        );
    }

    #[test]
    fn lists_split_on_commas_and_newlines() {
        assert_eq!(
            split_list("\na/*, b/*\n\n  c ,\n"),
            ["a/*", "b/*", "c"].map(String::from)
        );
        assert!(split_list("").is_empty());
    }

    #[test]
    fn regex_lists_split_on_newlines_only() {
        assert_eq!(
            split_regex_list("\nif x, y:\n   \n  raise .*Error  \n"),
            ["if x, y:", "raise .*Error"].map(String::from)
        );
    }

    #[test]
    fn expand_user_home() {
        let env = |k: &str| (k == "HOME").then(|| "/home/me".to_owned());
        assert_eq!(expand_user("~/x", &env), "/home/me/x");
        assert_eq!(expand_user("~", &env), "/home/me");
        assert_eq!(expand_user("~bob/x", &env), "~bob/x");
        assert_eq!(expand_user("a/~/x", &env), "a/~/x");
        let no_home = |_: &str| None;
        assert_eq!(expand_user("~/x", &no_home), "~/x");
    }
}
