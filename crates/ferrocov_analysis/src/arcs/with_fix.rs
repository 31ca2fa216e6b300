//! Leaving a `with` block: CPython jumps from the end of the body back to the `with` line (each
//! context manager's line from 3.12.6 on) before going on; coverage.py shows it as one arc from
//! the end of the body to where it goes on. Two generations of that rewrite: coverage.py 7.17's,
//! and 7.16's (used on Python 3.10, whose last coverage.py is 7.16.2).

use std::collections::{BTreeMap, BTreeSet};

use crate::{Arc, WithJumpChains};

/// What the analyzer recorded about `with` statements.
pub(super) struct WithFacts<'a> {
    pub(super) arcs: &'a BTreeSet<Arc>,
    pub(super) all_starts: &'a BTreeSet<i32>,
    pub(super) entries: &'a BTreeSet<Arc>,
    pub(super) exits: &'a BTreeSet<Arc>,
}

impl WithFacts<'_> {
    /// Each `with` start's one onward arc that does not enter its body; `None` when some start
    /// has several (coverage.py asserts there is one, and fails on the file otherwise).
    fn nexts(&self) -> Option<BTreeMap<i32, i32>> {
        let mut nexts: BTreeMap<i32, BTreeSet<i32>> = BTreeMap::new();
        for arc in self.arcs {
            if self.all_starts.contains(&arc.0) && !self.entries.contains(arc) {
                nexts.entry(arc.0).or_default().insert(arc.1);
            }
        }
        let mut out = BTreeMap::new();
        for (start, ends) in nexts {
            if ends.len() != 1 {
                return None;
            }
            out.extend(ends.first().map(|&end| (start, end)));
        }
        Some(out)
    }

    /// coverage.py 7.17: arcs to replace (`Some`) or drop (`None`).
    pub(super) fn fixers(&self) -> BTreeMap<Arc, Option<Arc>> {
        let mut fixers = BTreeMap::new();
        let Some(nexts) = self.nexts() else {
            return fixers;
        };
        let final_next = |mut start: i32| {
            let mut next = nexts[&start];
            // A with ending the body of an outer one goes on through the outer one's start.
            for _ in 0..=nexts.len() {
                match nexts.get(&next) {
                    Some(&after) if self.exits.contains(&(start, next)) => {
                        (start, next) = (next, after);
                    }
                    _ => break,
                }
            }
            next
        };
        for &(end, start) in self.exits {
            if nexts.contains_key(&start) {
                fixers.insert((end, start), Some((end, final_next(start))));
            }
        }
        for (&start, &next) in &nexts {
            if !self.exits.contains(&(start, start)) {
                fixers.insert((start, next), None);
            }
        }
        fixers
    }

    /// coverage.py 7.16: for each arc back to a start, (start -> next, end -> next).
    pub(super) fn old_fixers(&self) -> WithJumpChains {
        let mut fixers = BTreeMap::new();
        let Some(nexts) = self.nexts() else {
            return fixers;
        };
        for (&start, &next) in &nexts {
            for &(end, to) in self.exits {
                if to == start {
                    fixers.insert((end, start), ((start, next), (end, next)));
                }
            }
        }
        fixers
    }
}

/// The analyzer's arcs with `with` exits rewritten, as coverage.py of this generation does.
pub(super) fn fix_with_jumps(facts: &WithFacts<'_>, new_rules: bool) -> BTreeSet<Arc> {
    if new_rules {
        let fixers = facts.fixers();
        return facts
            .arcs
            .iter()
            .filter_map(|arc| fixers.get(arc).copied().unwrap_or(Some(*arc)))
            .collect();
    }
    apply_with_chains(facts.arcs, &facts.old_fixers())
}

/// coverage.py 7.16's `fix_with_jumps` on any set of arcs (the analyzer's, or measured ones): an
/// arc back to a `with` start becomes one from its end to where the (outermost) `with` goes next,
/// and the arcs it chains through are removed.
pub fn apply_with_chains(arcs: &BTreeSet<Arc>, chains: &WithJumpChains) -> BTreeSet<Arc> {
    if chains.is_empty() {
        return arcs.clone();
    }
    let mut remove = BTreeSet::new();
    let mut add = BTreeSet::new();
    for arc in arcs {
        let Some(&(mut start_next, mut end_next)) = chains.get(arc) else {
            continue;
        };
        remove.insert(*arc);
        // Bounded: a chain longer than the table would loop.
        for _ in 0..=chains.len() {
            let Some(&(s, e)) = chains.get(&start_next) else {
                break;
            };
            remove.insert(start_next);
            (start_next, end_next) = (s, e);
            remove.insert(end_next);
        }
        add.insert((arc.0, end_next.1));
        remove.insert(start_next);
    }
    arcs.union(&add)
        .filter(|arc| !remove.contains(*arc))
        .copied()
        .collect()
}
