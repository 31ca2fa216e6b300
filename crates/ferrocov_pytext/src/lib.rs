//! Python text conventions more than one crate needs: `repr()` of a string (error messages
//! worded as coverage.py words them) and `str.isprintable()` (which `repr()` escapes and reports
//! neutralise). Conventions only one crate uses stay in that crate.

/// Quote a string as Python's `repr()` does: `'abc'`, `"it's"`, with backslash escapes for the
/// quote, backslashes, `\t`/`\n`/`\r` and every non-printable character (`\x..`, `\u....`,
/// `\U........`), so that messages read like coverage.py's.
pub fn py_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(quote);
    out
}

/// Python's `str.isprintable()` for one character. Covers control, format, separator,
/// surrogate and private-use characters; unassigned code points (also non-printable in
/// Python) are not known here and count as printable.
pub fn is_printable(c: char) -> bool {
    let u = c as u32;
    if c == ' ' {
        return true;
    }
    if c.is_control() {
        return false;
    }
    let nonprint: &[(u32, u32)] = &[
        // Zs, Zl, Zp (space separators other than ' ').
        (0xA0, 0xA0),
        (0x1680, 0x1680),
        (0x2000, 0x200A),
        (0x2028, 0x2029),
        (0x202F, 0x202F),
        (0x205F, 0x205F),
        (0x3000, 0x3000),
        // Cf (format characters).
        (0xAD, 0xAD),
        (0x600, 0x605),
        (0x61C, 0x61C),
        (0x6DD, 0x6DD),
        (0x70F, 0x70F),
        (0x890, 0x891),
        (0x8E2, 0x8E2),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x206F),
        (0xFEFF, 0xFEFF),
        (0xFFF9, 0xFFFB),
        (0x110BD, 0x110BD),
        (0x110CD, 0x110CD),
        (0x13430, 0x1343F),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0001, 0xE0001),
        (0xE0020, 0xE007F),
        // Co (private use).
        (0xE000, 0xF8FF),
        (0xF0000, 0x10FFFF),
    ];
    !nonprint.iter().any(|&(lo, hi)| lo <= u && u <= hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_matches_python() {
        assert_eq!(py_repr("abc"), "'abc'");
        assert_eq!(py_repr("it's"), "\"it's\"");
        assert_eq!(py_repr("can't"), "\"can't\"");
        assert_eq!(py_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(py_repr("a\\b\n"), "'a\\\\b\\n'");
        assert_eq!(py_repr("\x00\x1b\x7f"), "'\\x00\\x1b\\x7f'");
        // Non-ASCII stays unless Python calls it non-printable.
        assert_eq!(
            py_repr("é\u{85}\u{2028}\u{e0001}"),
            "'é\\x85\\u2028\\U000e0001'"
        );
    }

    #[test]
    fn printable_like_python() {
        assert!(is_printable(' '));
        assert!(is_printable('é'));
        assert!(!is_printable('\n'));
        assert!(!is_printable('\u{a0}'));
        assert!(!is_printable('\u{feff}'));
        assert!(!is_printable('\u{e000}'));
    }
}
