//! How the command line talks to people: errors and warnings on stderr, data on stdout.

use std::fmt::Display;

/// Prints an error and its chain of causes, one `Cause:` line each.
pub(crate) fn error(err: &anyhow::Error) {
    eprintln!("ferrocov: error: {err}");
    for cause in err.chain().skip(1) {
        eprintln!("  Cause: {cause}");
    }
}

/// Prints a warning in coverage.py's spirit: it never stops the command.
pub(crate) fn warning(text: impl Display) {
    eprintln!("ferrocov: warning: {text}");
}

/// Prints a line of `--debug` output.
pub(crate) fn debug(topic: &str, text: impl Display) {
    eprintln!("ferrocov debug[{topic}]: {text}");
}

/// Flushes stdout; a closed pipe is not an error worth reporting.
pub(crate) fn flush_stdout() -> std::io::Result<()> {
    std::io::Write::flush(&mut std::io::stdout())
}
