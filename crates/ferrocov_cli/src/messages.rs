//! How the command line talks to people: errors and warnings on stderr, data on stdout. While
//! [`capture`] runs a command, both go into strings instead, for a caller that shows them its own
//! way (the pytest plugin writes them through pytest's terminal).

use std::cell::RefCell;
use std::fmt::Display;
use std::io::Write;

/// What a command printed while captured, and the total coverage its report computed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Captured {
    /// Everything the command wrote to stdout.
    pub stdout: String,
    /// Everything the command wrote to stderr: errors, warnings, debug lines.
    pub stderr: String,
    /// The total percentage of the last report the command computed, unrounded.
    pub total: Option<f64>,
}

#[derive(Default)]
struct Buffers {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    total: Option<f64>,
}

thread_local! {
    // Per thread: commands print only from the thread that runs them (parallel analysis hands
    // its warnings back), and a capture must not swallow another thread's output.
    static CAPTURE: RefCell<Option<Buffers>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's command output captured, and returns what it printed.
pub fn capture<R>(f: impl FnOnce() -> R) -> (R, Captured) {
    /// Puts the previous capture back even if `f` panics.
    struct Restore(Option<Option<Buffers>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(previous) = self.0.take() {
                CAPTURE.with(|c| *c.borrow_mut() = previous);
            }
        }
    }
    let previous = CAPTURE.with(|c| c.replace(Some(Buffers::default())));
    let mut restore = Restore(Some(previous));
    let result = f();
    let previous = restore.0.take().unwrap_or_default();
    let buffers = CAPTURE.with(|c| c.replace(previous)).unwrap_or_default();
    let captured = Captured {
        stdout: String::from_utf8_lossy(&buffers.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&buffers.stderr).into_owned(),
        total: buffers.total,
    };
    (result, captured)
}

/// Appends to the capture buffer chosen by `pick`; false when nothing is capturing.
fn captured_write(pick: fn(&mut Buffers) -> &mut Vec<u8>, bytes: &[u8]) -> bool {
    CAPTURE.with(|c| match c.borrow_mut().as_mut() {
        Some(buffers) => {
            pick(buffers).extend_from_slice(bytes);
            true
        }
        None => false,
    })
}

fn stderr_line(text: impl Display) {
    let line = format!("{text}\n");
    if !captured_write(|b| &mut b.stderr, line.as_bytes()) {
        eprint!("{line}");
    }
}

/// Prints a line of data or a result message on stdout.
pub(crate) fn stdout_line(text: impl Display) {
    let line = format!("{text}\n");
    if !captured_write(|b| &mut b.stdout, line.as_bytes()) {
        print!("{line}");
    }
}

/// Prints a message that is not data (such as "Wrote JSON report to ...") on stderr.
pub(crate) fn info(text: impl Display) {
    stderr_line(text);
}

/// Remembers the total a report computed, for a capturing caller.
pub(crate) fn record_total(total: f64) {
    CAPTURE.with(|c| {
        if let Some(buffers) = c.borrow_mut().as_mut() {
            buffers.total = Some(total);
        }
    });
}

/// Where a report's body goes: stdout, or the capture buffer.
pub(crate) struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if captured_write(|b| &mut b.stdout, buf) {
            Ok(buf.len())
        } else {
            std::io::stdout().lock().write(buf)
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stdout().lock().flush()
    }
}

/// Prints clap's usage error or help text where the command's output goes.
pub(crate) fn clap_output(err: &clap::Error) {
    let text = err.render().to_string();
    let pick: fn(&mut Buffers) -> &mut Vec<u8> = if err.use_stderr() {
        |b| &mut b.stderr
    } else {
        |b| &mut b.stdout
    };
    if !captured_write(pick, text.as_bytes()) {
        // Printing can only fail on a closed stream; nothing useful is left to say then.
        let _ = err.print();
    }
}

/// Prints an error and its chain of causes, one `Cause:` line each.
pub(crate) fn error(err: &anyhow::Error) {
    stderr_line(format_args!("ferrocov: error: {err}"));
    for cause in err.chain().skip(1) {
        stderr_line(format_args!("  Cause: {cause}"));
    }
}

/// Prints a warning in coverage.py's spirit: it never stops the command.
pub(crate) fn warning(text: impl Display) {
    stderr_line(format_args!("ferrocov: warning: {text}"));
}

/// Prints a line of `--debug` output.
pub(crate) fn debug(topic: &str, text: impl Display) {
    stderr_line(format_args!("ferrocov debug[{topic}]: {text}"));
}

/// Flushes stdout; a closed pipe is not an error worth reporting.
pub(crate) fn flush_stdout() -> std::io::Result<()> {
    std::io::Write::flush(&mut std::io::stdout())
}

/// Does this command's stdout reach a terminal (not a capture, pipe or file)? Only then may a
/// report use colour.
pub(crate) fn stdout_is_terminal() -> bool {
    use std::io::IsTerminal;
    CAPTURE.with(|c| c.borrow().is_none()) && std::io::stdout().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_collects_both_streams_and_the_total() {
        let ((), captured) = capture(|| {
            stdout_line("table");
            warning("careful");
            let _ = Stdout.write_all(b"body\n");
            record_total(87.5);
        });
        assert_eq!(captured.stdout, "table\nbody\n");
        assert_eq!(captured.stderr, "ferrocov: warning: careful\n");
        assert_eq!(captured.total, Some(87.5));
    }

    #[test]
    fn captures_nest_and_end() {
        let ((), outer) = capture(|| {
            stdout_line("outer");
            let ((), inner) = capture(|| stdout_line("inner"));
            assert_eq!(inner.stdout, "inner\n");
        });
        assert_eq!(outer.stdout, "outer\n");
        assert!(CAPTURE.with(|c| c.borrow().is_none()));
    }
}
