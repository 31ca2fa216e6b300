//! Python string and number behaviours the reports depend on: `str.splitlines`,
//! `str.isprintable`, `repr(float)`, `"%.4g"`, coverage.py's source normalisation and its
//! "human" sort order.

use std::borrow::Cow;
use std::cmp::Ordering;

pub use ferrocov_pytext::is_printable;

/// Source as coverage.py's `get_python_source` returns it: `\r\n`/`\r` become `\n`, form
/// feeds become spaces, a missing final newline is added.
pub fn normalize_source(text: &str) -> String {
    let mut out = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\x0c', " ");
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn is_line_boundary(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Python's `str.splitlines(keepends)`.
pub fn splitlines(text: &str, keepends: bool) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !is_line_boundary(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        if c == '\r' && iter.peek().map(|&(_, n)| n) == Some('\n') {
            iter.next();
            end += 1;
        }
        lines.push(if keepends {
            &text[start..end]
        } else {
            &text[start..i]
        });
        start = end;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// coverage.py's `neutralize_control` / `lcov_field`: non-printable characters become `?`.
pub fn neutralize_control(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_printable) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(
            text.chars()
                .map(|c| if is_printable(c) { c } else { '?' })
                .collect(),
        )
    }
}

/// Splits a finite float into its shortest round-trip decimal digits and the exponent of
/// the first digit (`8.25` -> ("825", 0)).
fn shortest_digits(value: f64) -> (String, i32) {
    let s = format!("{:e}", value.abs());
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    (digits, exp.parse().unwrap_or(0))
}

/// Python's `repr(float)` (also what `json.dumps` writes): shortest round-trip digits,
/// fixed notation for exponents -4..16, else `1e-05` style.
pub fn float_repr(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let sign = if value.is_sign_negative() { "-" } else { "" };
    if value == 0.0 {
        return format!("{sign}0.0");
    }
    let (digits, exp) = shortest_digits(value);
    let n = digits.len() as i32;
    if (-4..16).contains(&exp) {
        let body = if exp < 0 {
            format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits)
        } else if exp + 1 >= n {
            format!("{}{}.0", digits, "0".repeat((exp + 1 - n) as usize))
        } else {
            let (a, b) = digits.split_at((exp + 1) as usize);
            format!("{a}.{b}")
        };
        format!("{sign}{body}")
    } else {
        let (a, b) = digits.split_at(1);
        let frac = if b.is_empty() {
            String::new()
        } else {
            format!(".{b}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{a}{frac}e{esign}{:02}", exp.abs())
    }
}

/// Decimal places in `str(value)` (what `Decimal(str(x)).as_tuple().exponent` negates).
pub fn decimal_places(value: f64) -> u32 {
    let (digits, exp) = shortest_digits(value);
    let places = digits.len() as i32 - 1 - exp;
    places.max(0) as u32
}

/// C/Python `"%.Ng"` for a finite positive value (used with N=4 for XML rates).
pub fn format_g(value: f64, significant: usize) -> String {
    let p = significant.max(1);
    let sci = format!("{:.*e}", p - 1, value);
    let (_, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let strip = |s: String| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if exp < -4 || exp >= p as i32 {
        let (mantissa, _) = sci.split_once('e').unwrap_or((&sci, ""));
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{}e{esign}{:02}", strip(mantissa.to_string()), exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        strip(format!("{value:.decimals$}"))
    }
}

/// A chunk of coverage.py's `_human_key`: text, or a run of digits compared as a number.
#[derive(Debug)]
enum Chunk<'a> {
    Text(&'a str),
    Number(&'a str),
}

fn chunks(s: &str) -> Vec<Chunk<'_>> {
    // re.split(r"(\d+)") always yields text, number, text, ...: starting with (maybe empty)
    // text keeps the kinds aligned position by position, as in Python.
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_digits = false;
    for (i, c) in s.char_indices() {
        let d = c.is_ascii_digit();
        if d != in_digits {
            out.push(if in_digits {
                Chunk::Number(&s[start..i])
            } else {
                Chunk::Text(&s[start..i])
            });
            start = i;
            in_digits = d;
        }
    }
    out.push(if in_digits {
        Chunk::Number(&s[start..])
    } else {
        Chunk::Text(&s[start..])
    });
    if in_digits {
        out.push(Chunk::Text(""));
    }
    out
}

fn cmp_number(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// coverage.py's `human_sorted` order: digit runs compare as numbers, the whole string
/// breaks ties ("x1y" before "x01y" is decided by plain string order).
pub fn human_cmp(a: &str, b: &str) -> Ordering {
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(cb.iter()) {
        let o = match (x, y) {
            (Chunk::Text(x), Chunk::Text(y)) => x.cmp(y),
            (Chunk::Number(x), Chunk::Number(y)) => cmp_number(x, y),
            // Cannot happen: positions alternate identically.
            (Chunk::Text(_), Chunk::Number(_)) => Ordering::Greater,
            (Chunk::Number(_), Chunk::Text(_)) => Ordering::Less,
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    ca.len().cmp(&cb.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitlines_like_python() {
        assert_eq!(
            splitlines("a\nb\r\nc\rd\x0ce", false),
            ["a", "b", "c", "d", "e"]
        );
        assert_eq!(splitlines("a\n\nb\n", true), ["a\n", "\n", "b\n"]);
        assert_eq!(splitlines("", false), Vec::<&str>::new());
        assert_eq!(splitlines("x\u{2028}y", false), ["x", "y"]);
    }

    #[test]
    fn float_repr_like_python() {
        assert_eq!(float_repr(100.0), "100.0");
        assert_eq!(float_repr(200.0 / 3.0), "66.66666666666667");
        assert_eq!(float_repr(71.42857142857143), "71.42857142857143");
        assert_eq!(float_repr(0.0001), "0.0001");
        assert_eq!(float_repr(0.00001), "1e-05");
        assert_eq!(float_repr(1e16), "1e+16");
        assert_eq!(float_repr(1.5e16), "1.5e+16");
        assert_eq!(float_repr(123456789012345.6), "123456789012345.6");
        assert_eq!(float_repr(0.0), "0.0");
        assert_eq!(float_repr(80.25), "80.25");
    }

    #[test]
    fn decimal_places_of_repr() {
        assert_eq!(decimal_places(80.25), 2);
        assert_eq!(decimal_places(80.0), 0);
        assert_eq!(decimal_places(0.00001), 5);
        assert_eq!(decimal_places(1.5e-7), 8);
    }

    #[test]
    fn percent_g_like_c() {
        assert_eq!(format_g(5.0 / 6.0, 4), "0.8333");
        assert_eq!(format_g(0.5, 4), "0.5");
        assert_eq!(format_g(0.0001, 4), "0.0001");
        assert_eq!(format_g(0.9999, 4), "0.9999");
        assert_eq!(format_g(0.12345, 4), "0.1235");
        assert_eq!(format_g(0.00001234, 4), "1.234e-05");
        assert_eq!(format_g(12345.0, 4), "1.234e+04");
        assert_eq!(format_g(0.65151515, 4), "0.6515");
    }

    #[test]
    fn human_order() {
        let mut v = vec!["pkg/mod10.py", "pkg/mod2.py", "a10", "a9", "a09", "b", "A"];
        v.sort_by(|a, b| human_cmp(a, b));
        assert_eq!(
            v,
            ["A", "a09", "a9", "a10", "b", "pkg/mod2.py", "pkg/mod10.py"]
        );
    }

    #[test]
    fn control_characters_neutralized() {
        assert_eq!(neutralize_control("a\nb\x1b.py"), "a?b?.py");
        assert_eq!(neutralize_control("plain é.py"), "plain é.py");
    }
}
