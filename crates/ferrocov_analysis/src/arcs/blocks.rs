//! The block stack of coverage.py's arc analyzer: where `break`, `continue`, `raise` and
//! `return` go from inside loops, functions and `try` statements.

use std::collections::BTreeSet;

/// Where an arc starts, with the template of why it might not have run ("{lineno}" is the
/// arc's start line). An empty cause is still a cause: coverage.py words it "because ".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct ArcStart {
    pub(super) line: i32,
    pub(super) cause: &'static str,
}

impl ArcStart {
    pub(super) fn new(line: i32, cause: &'static str) -> Self {
        Self { line, cause }
    }

    pub(super) fn plain(line: i32) -> Self {
        Self { line, cause: "" }
    }
}

pub(super) type Exits = BTreeSet<ArcStart>;

pub(super) enum Block {
    Loop {
        start: i32,
        breaks: Exits,
    },
    Function {
        start: i32,
        /// The name as coverage.py quotes it: `repr(name)`.
        quoted: String,
    },
    Try {
        /// The first `except` line while the `try` body is being walked; `None` after it.
        handler_start: Option<i32>,
    },
}

/// The kinds of jump a block may take.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Jump {
    Break,
    Continue,
    Raise,
    Return,
}
