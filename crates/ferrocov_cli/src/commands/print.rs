//! How the command line talks to people: diagnostics on stderr (`ferrocov: error: ...` with one
//! `Cause:` line per cause, `ferrocov: warning: ...`, `ferrocov debug[topic]: ...`), reports
//! and results on stdout. Only the commands print; every layer below returns values.

use std::io::Write;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Prints one diagnostic on stderr.
pub(crate) fn diagnostic(d: &Diagnostic) {
    // A closed stderr leaves nothing useful to do with the message.
    let _ = std::io::stderr().lock().write_all(d.render().as_bytes());
}

/// Prints every diagnostic, in order.
pub(crate) fn diagnostics(all: &Diagnostics) {
    for d in all.iter() {
        diagnostic(d);
    }
}

/// Prints an error (and its causes) on stderr.
pub(crate) fn error(err: &anyhow::Error) {
    diagnostic(&Diagnostic::from_error(err));
}

/// Prints a line of data or a result message on stdout.
pub(crate) fn stdout_line(text: impl std::fmt::Display) {
    stdout(&format!("{text}\n"));
}

/// Prints text on stdout as it is; a closed pipe is not worth an error.
pub(crate) fn stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Prints a message that is not data (such as "Wrote JSON report to ...") on stderr, as
/// coverage.py does, so stdout stays the report's own when it is "-".
pub(crate) fn info(text: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Does stdout reach a terminal (not a pipe or file)? Only then may a report use colour.
pub(crate) fn stdout_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal()
}
