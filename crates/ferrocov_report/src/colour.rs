//! Colour for the text table: whether to use it (a terminal, no `NO_COLOR`) and which colour a
//! Cover cell gets. Without colour the table is byte-identical to coverage.py's.

use std::ffi::OsStr;

use anstyle::{AnsiColor, Style};

use crate::numbers::{Numbers, should_fail_under};

/// Should the table be coloured? Only when stdout is a terminal and `NO_COLOR` is unset or
/// empty (<https://no-color.org>). `FORCE_COLOR` is deliberately not honoured: output that is
/// redirected or piped always stays byte-identical to coverage.py's, whatever the environment.
pub fn wanted(stdout_is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    stdout_is_terminal && no_color.is_none_or(OsStr::is_empty)
}

/// [`wanted`] with `NO_COLOR` read from the environment.
pub fn wanted_here(stdout_is_terminal: bool) -> bool {
    wanted(
        stdout_is_terminal,
        std::env::var_os(ferrocov_protocol::env::NO_COLOR).as_deref(),
    )
}

/// The colour of a Cover cell: green when nothing is missing, red when the percentage fails
/// `fail_under` (when one is set), yellow otherwise.
pub(crate) fn cover_style(numbers: &Numbers, fail_under: Option<f64>, precision: u32) -> Style {
    let complete = numbers.missing == 0 && numbers.missing_branches == 0;
    let colour = if complete {
        AnsiColor::Green
    } else if fail_under.is_some_and(|f| {
        f > 0.0 && should_fail_under(numbers.percent(), f, precision).unwrap_or(false)
    }) {
        AnsiColor::Red
    } else {
        AnsiColor::Yellow
    };
    colour.on_default()
}

/// `text` between the escape codes of `style`.
pub(crate) fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_terminal_without_no_color_gets_colour() {
        assert!(wanted(true, None));
        assert!(!wanted(false, None));
        assert!(!wanted(true, Some(OsStr::new("1"))));
        assert!(!wanted(false, Some(OsStr::new("1"))));
        // An empty NO_COLOR does not count as set.
        assert!(wanted(true, Some(OsStr::new(""))));
        assert!(!wanted(false, Some(OsStr::new(""))));
    }

    fn numbers(statements: usize, missing: usize) -> Numbers {
        Numbers {
            statements,
            missing,
            ..Numbers::default()
        }
    }

    #[test]
    fn cover_colours() {
        let green = AnsiColor::Green.on_default();
        let yellow = AnsiColor::Yellow.on_default();
        let red = AnsiColor::Red.on_default();
        assert_eq!(cover_style(&numbers(4, 0), None, 0), green);
        assert_eq!(cover_style(&numbers(0, 0), Some(90.0), 0), green);
        assert_eq!(cover_style(&numbers(4, 1), None, 0), yellow);
        assert_eq!(cover_style(&numbers(4, 1), Some(75.0), 0), yellow);
        assert_eq!(cover_style(&numbers(4, 1), Some(80.0), 0), red);
        // fail_under = 0 is "not set", as coverage.py treats it.
        assert_eq!(cover_style(&numbers(4, 4), Some(0.0), 0), yellow);
        assert_eq!(paint(red, "50%"), "\x1b[31m50%\x1b[0m");
    }
}
