//! Branch analysis: coverage.py's possible arcs of a file (`PythonParser.arcs()`), the
//! descriptions of each arc, and the lines whose branches are never reported partial.
//!
//! An arc is `(from, to)` between first lines of statements; a negative line `-N` is the entry
//! to or exit from the code object whose first line is `N`. The arcs come from coverage.py's AST
//! analyzer (`analyzer`), then `with` exits are rewritten (`with_fix`) and both ends mapped to
//! first lines, dropping arcs that stay on one statement.

mod analyzer;
mod blocks;
mod constant;
mod describe;
mod node;
mod walk;
mod with_fix;

pub use with_fix::apply_with_chains;

use std::collections::{BTreeMap, BTreeSet};

use crate::syntax::Parsed;
use analyzer::{Analyzer, Fragment};
use node::LineFinder;

/// The possible arcs of a file and the message fragments of the analyzer's arcs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ArcFacts {
    pub(crate) arcs: BTreeSet<(i32, i32)>,
    /// The rewrite of `with` exits as it also applies to measured arcs: 7.17's form.
    pub(crate) with_jump_fixers: BTreeMap<(i32, i32), Option<(i32, i32)>>,
    /// 7.16's form (Python 3.10).
    pub(crate) with_jump_chains: crate::WithJumpChains,
    /// Keyed by the analyzer's own arcs (before the `with` rewrite), as coverage.py keys them.
    fragments: BTreeMap<(i32, i32), Vec<Fragment>>,
}

impl ArcFacts {
    pub(crate) fn arc_description(&self, start: i32, end: i32) -> String {
        describe::arc_description(self.fragments.get(&(start, end)).map(Vec::as_slice), end)
    }

    pub(crate) fn missing_arc_description(&self, start: i32, end: i32) -> String {
        let fragments = self.fragments.get(&(start, end)).map(Vec::as_slice);
        describe::missing_arc_description(fragments, start, end)
    }
}

/// coverage.py's `PythonParser.arcs()` for `python` (major, minor, micro): `raw_statements` are
/// the lines with bytecode, `multiline` the multi-line map.
pub(crate) fn possible_arcs(
    parsed: &Parsed,
    raw_statements: &BTreeSet<u32>,
    multiline: &BTreeMap<u32, u32>,
    python: (u8, u8, u8),
) -> ArcFacts {
    let find = LineFinder {
        lines: &parsed.lines,
        multiline,
    };
    let statements = raw_statements.iter().map(|&l| find.first(l)).collect();
    let mut analyzer = Analyzer::new(find, statements, python >= (3, 12, 6));
    walk::each_code_object(&parsed.module().body, &mut analyzer);
    let facts = with_fix::WithFacts {
        arcs: &analyzer.arcs,
        all_starts: &analyzer.all_with_starts,
        entries: &analyzer.with_entries,
        exits: &analyzer.with_exits,
    };
    // coverage.py 7.17 on 3.11+, 7.16.2 (the last for 3.10) on 3.10.
    let new_rules = (python.0, python.1) >= (3, 11);
    let fixed = with_fix::fix_with_jumps(&facts, new_rules);
    let (with_jump_fixers, with_jump_chains) = if new_rules {
        (facts.fixers(), BTreeMap::new())
    } else {
        (BTreeMap::new(), facts.old_fixers())
    };
    let first = |line: i32| {
        let mapped = |l: i32| {
            u32::try_from(l)
                .ok()
                .and_then(|l| multiline.get(&l))
                .map_or(l, |&f| i32::try_from(f).unwrap_or(l))
        };
        if line < 0 {
            -mapped(-line)
        } else {
            mapped(line)
        }
    };
    let arcs = fixed
        .into_iter()
        .map(|(a, b)| (first(a), first(b)))
        .filter(|(a, b)| a != b)
        .collect();
    ArcFacts {
        arcs,
        with_jump_fixers,
        with_jump_chains,
        fragments: std::mem::take(&mut analyzer.fragments),
    }
}
