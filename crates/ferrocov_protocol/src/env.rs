//! Every environment variable ferrocov reads or sets.
//!
//! The `COVERAGE_*` names keep coverage.py's meaning so existing CI setups
//! keep working; the `FERROCOV_*` names are ferrocov's own plumbing between a
//! parent run and the processes it starts.

/// Data file to use instead of `[run] data_file` (coverage.py compatible).
pub const COVERAGE_FILE: &str = "COVERAGE_FILE";

/// Configuration file to read when no `--rcfile` is given. An explicitly named
/// file that cannot be read is an error (coverage.py compatible).
pub const COVERAGE_RCFILE: &str = "COVERAGE_RCFILE";

/// Comma-separated debug options added to `[run] debug` (coverage.py compatible).
pub const COVERAGE_DEBUG: &str = "COVERAGE_DEBUG";

/// Measurement core to use, overriding `[run] core` (coverage.py compatible).
pub const COVERAGE_CORE: &str = "COVERAGE_CORE";

/// Shard directory of the active run. A child process started with this set
/// measures itself into that directory, so its data survives even if it is
/// killed before it can write a data file.
pub const FERROCOV_RUN_DIR: &str = "FERROCOV_RUN_DIR";

/// Serialized settings handed to child processes, so that a child measures
/// with exactly the parent's configuration without re-reading config files
/// (whose relative paths may resolve differently in the child's cwd).
pub const FERROCOV_CONFIG: &str = "FERROCOV_CONFIG";

/// The measurement context of the process that started this one, when it is not the run's
/// static context: a child measures under its parent's context at its start (the test that
/// started it, with `pytest --cov-context=test`). Set by the run's processes at each switch.
pub const FERROCOV_CONTEXT: &str = "FERROCOV_CONTEXT";

/// When set to a non-empty value, ferrocov does not start measuring in this
/// process (an escape hatch for debuggers and for processes that must not be
/// measured).
pub const FERROCOV_DISABLE: &str = "FERROCOV_DISABLE";

/// Set to `off` (any case) to keep the Python 3.10/3.11 frame gate off: the PEP 523 hook that
/// runs frames of unmeasured code untraced. Every frame is then traced by the plain C trace
/// function, which measures the same lines, only more slowly; `_ferrocov.status()["frame_gate"]`
/// reports it. For ruling the gate out when something looks wrong. Unset, or any other value,
/// leaves the gate to its start-up checks. Inherited by the processes a run starts; no effect on
/// 3.12+, which has no gate.
pub const FERROCOV_FRAME_GATE: &str = "FERROCOV_FRAME_GATE";

/// Branch measurement on 3.10/3.11: `off` (any case) keeps every code object of measured files
/// traced for good; a number is how many times a code object starts before its file is analysed
/// to find when it has no arc left to record (default 32; `0` analyses at the first start, as
/// the tests do). Reports are the same either way; `off` rules the mechanism out when something
/// looks wrong. No effect on 3.12+.
pub const FERROCOV_BRANCH_CLOSURE: &str = "FERROCOV_BRANCH_CLOSURE";

/// Python 3.12/3.13: `off` (any case) keeps the LINE event of every measured code object on for
/// good, instead of turning it off once the code object has reported all its lines in the
/// current context. Reports are the same either way; `off` rules the mechanism out when
/// something looks wrong. No effect on 3.10/3.11.
pub const FERROCOV_LINE_COMPLETION: &str = "FERROCOV_LINE_COMPLETION";

/// For ferrocov's own tests, not for users: the name of one of the frame gate's start-up checks
/// (as `status()["frame_gate"]` names them) to treat as failed, so the suite can run the fallback
/// a real mismatch leads to. It can only turn the gate off, never on.
pub const FERROCOV_FRAME_GATE_TEST_FAIL: &str = "FERROCOV_FRAME_GATE_TEST_FAIL";

/// Any value turns the text report's colours off, even on a terminal (no-color.org).
pub const NO_COLOR: &str = "NO_COLOR";

/// Every variable above by a short key, for `ferrocov debug sys` and the Python shell
/// (`_ferrocov.ENV["run_dir"]` is `"FERROCOV_RUN_DIR"`).
pub const ALL: [(&str, &str); 13] = [
    ("coverage_file", COVERAGE_FILE),
    ("coverage_rcfile", COVERAGE_RCFILE),
    ("coverage_debug", COVERAGE_DEBUG),
    ("coverage_core", COVERAGE_CORE),
    ("run_dir", FERROCOV_RUN_DIR),
    ("config", FERROCOV_CONFIG),
    ("context", FERROCOV_CONTEXT),
    ("disable", FERROCOV_DISABLE),
    ("frame_gate", FERROCOV_FRAME_GATE),
    ("frame_gate_test_fail", FERROCOV_FRAME_GATE_TEST_FAIL),
    ("branch_closure", FERROCOV_BRANCH_CLOSURE),
    ("line_completion", FERROCOV_LINE_COMPLETION),
    ("no_color", NO_COLOR),
];
