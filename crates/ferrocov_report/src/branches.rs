//! coverage.py's results layer for branch coverage (`results.Analysis`): executed arcs
//! translated to first lines, self-arcs resolved, branch lines from exit counts, missing and
//! partial branches, `no_branch` lines, and narrowing to a region (`AnalysisNarrower`).
//!
//! The inputs are plain data ([`BranchFacts`]) so the caller only copies what source analysis
//! and the data file already hold.

use std::collections::{BTreeMap, BTreeSet};

pub use ferrocov_analysis::Arc;
use ferrocov_analysis::WithJumpChains;

/// What source analysis and the data file know about one file's branches.
///
/// Give every file of a report a `Some` when the data file holds arcs (coverage.py's
/// `has_arcs()`), even a file with no arcs executed: the reports show branch columns and
/// fields as soon as one file has them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BranchFacts {
    /// The possible arcs (coverage.py's `parser.arcs()`), both ends first lines.
    pub possible_arcs: BTreeSet<Arc>,
    /// Lines whose branches are never reported missing: the first lines of statements that
    /// match `partial_branches`/`partial_branches_always` (`no_branch_lines()`).
    pub no_branch: BTreeSet<u32>,
    /// The arcs the data file recorded for this file, untranslated (`CoverageData.arcs`).
    pub executed_arcs: BTreeSet<Arc>,
    /// Line -> first line of its statement, for the lines of multi-line statements
    /// (`multiline_map`); lines not in it are their own first line.
    pub multiline: BTreeMap<u32, u32>,
    /// The `with` jump fixers (`_with_jump_fixers`): a measured arc replaced by another, or
    /// dropped when `None`. Empty before Python 3.12.6.
    pub with_jump_fixers: BTreeMap<Arc, Option<Arc>>,
    /// coverage.py 7.16's form of the fixers (the last release for Python 3.10): an arc back
    /// to a `with` start -> (start -> next, end -> next), chained through nested `with`s.
    /// When not empty it is used instead of [`BranchFacts::with_jump_fixers`].
    pub with_jump_chains: WithJumpChains,
    /// coverage.py's `arc_description(start, end)` of the possible arcs, e.g.
    /// "jump to line 12" or "return from function 'f'": LCOV's `BRDA` names.
    pub descriptions: BTreeMap<Arc, String>,
    /// coverage.py's `missing_arc_description(start, end)` of the possible arcs, e.g. "line 2
    /// didn't jump to line 4 because the condition on line 2 was always true": the HTML
    /// report's partial-branch sentences. Only filled when an HTML report is made.
    pub missing_descriptions: BTreeMap<Arc, String>,
}

impl BranchFacts {
    /// `first_line`: negative numbers map through the table too, keeping their sign.
    pub fn first_line(&self, line: i32) -> i32 {
        let map = |l: i32| -> i32 {
            u32::try_from(l)
                .ok()
                .and_then(|u| self.multiline.get(&u))
                .map_or(l, |&f| f as i32)
        };
        if line < 0 { -map(-line) } else { map(line) }
    }

    /// `translate_arcs`: the `with` jump fixers, then both ends to first lines.
    pub fn translate_arcs<'a>(&self, arcs: impl IntoIterator<Item = &'a Arc>) -> BTreeSet<Arc> {
        let fixed: BTreeSet<Arc> = if self.with_jump_chains.is_empty() {
            arcs.into_iter()
                .filter_map(|arc| match self.with_jump_fixers.get(arc) {
                    Some(fixed) => *fixed,
                    None => Some(*arc),
                })
                .collect()
        } else {
            let arcs: BTreeSet<Arc> = arcs.into_iter().copied().collect();
            ferrocov_analysis::apply_with_chains(&arcs, &self.with_jump_chains)
        };
        fixed
            .into_iter()
            .map(|(a, b)| (self.first_line(a), self.first_line(b)))
            .collect()
    }

    /// The executed lines of arc data (`CoverageData.lines` with arcs: every positive end),
    /// translated to first lines: what [`crate::FileInput::executed`] holds for arc data.
    pub fn executed_lines(&self) -> BTreeSet<u32> {
        self.executed_arcs
            .iter()
            .flat_map(|&(a, b)| [a, b])
            .filter(|&l| l > 0)
            .map(|l| self.first_line(l) as u32)
            .collect()
    }

    /// `exit_counts()`: exits per line, leaving out excluded lines and arcs into them.
    pub fn exit_counts(&self, excluded: &BTreeSet<u32>) -> BTreeMap<i32, usize> {
        let is_excluded = |l: i32| u32::try_from(l).is_ok_and(|u| excluded.contains(&u));
        let mut counts = BTreeMap::new();
        for &(a, b) in &self.possible_arcs {
            if is_excluded(a) || is_excluded(b) {
                continue;
            }
            *counts.entry(a).or_insert(0) += 1;
        }
        counts
    }

    /// `analysis_from_file_reporter`'s arc part: executed arcs translated, a self-arc `(L, L)`
    /// becoming `(L, D)` when D is L's only possible destination (other self-arcs dropped),
    /// translated again.
    pub fn results(&self, excluded: &BTreeSet<u32>) -> BranchResults {
        let mut dests: BTreeMap<i32, BTreeSet<i32>> = BTreeMap::new();
        for &(a, b) in &self.possible_arcs {
            dests.entry(a).or_default().insert(b);
        }
        let arcs = self.translate_arcs(&self.executed_arcs);
        let new_arcs: BTreeSet<Arc> = arcs
            .into_iter()
            .filter_map(|(a, b)| {
                if a != b {
                    return Some((a, b));
                }
                match dests.get(&a) {
                    Some(only) if only.len() == 1 => only.first().map(|&d| (a, d)),
                    _ => None,
                }
            })
            .collect();
        BranchResults {
            possible: self.possible_arcs.clone(),
            executed: self.translate_arcs(&new_arcs),
            exit_counts: self.exit_counts(excluded),
            no_branch: self.no_branch.clone(),
        }
    }
}

/// The branch half of coverage.py's `Analysis` for a file or a region of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BranchResults {
    /// `arc_possibilities_set`.
    pub possible: BTreeSet<Arc>,
    /// `arcs_executed_set`: translated executed arcs.
    pub executed: BTreeSet<Arc>,
    /// Exits per line (`exit_counts`); a line with more than one is a branch line.
    pub exit_counts: BTreeMap<i32, usize>,
    pub no_branch: BTreeSet<u32>,
}

/// Branch lines to their destinations, both in ascending order.
pub type BranchArcs = BTreeMap<i32, Vec<i32>>;

impl BranchResults {
    fn is_branch_line(&self, line: i32) -> bool {
        self.exit_counts.get(&line).is_some_and(|&n| n > 1)
    }

    /// `_total_branches`.
    pub fn total_branches(&self) -> usize {
        self.exit_counts.values().filter(|&&n| n > 1).sum()
    }

    /// `arcs_missing`: possible, not executed, not from a `no_branch` line, not into an
    /// excluded line.
    pub fn arcs_missing(&self, excluded: &BTreeSet<u32>) -> Vec<Arc> {
        self.possible
            .iter()
            .filter(|&&(a, b)| {
                !self.executed.contains(&(a, b))
                    && !u32::try_from(a).is_ok_and(|u| self.no_branch.contains(&u))
                    && !u32::try_from(b).is_ok_and(|u| excluded.contains(&u))
            })
            .copied()
            .collect()
    }

    /// `missing_branch_arcs`: the missing arcs from branch lines.
    pub fn missing_branch_arcs(&self, excluded: &BTreeSet<u32>) -> BranchArcs {
        let mut mba = BranchArcs::new();
        for (a, b) in self.arcs_missing(excluded) {
            if self.is_branch_line(a) {
                mba.entry(a).or_default().push(b);
            }
        }
        mba
    }

    /// `executed_branch_arcs`: executed arcs from branch lines that were possible.
    pub fn executed_branch_arcs(&self) -> BranchArcs {
        let mut eba = BranchArcs::new();
        for &(a, b) in &self.executed {
            if a != b && self.possible.contains(&(a, b)) && self.is_branch_line(a) {
                eba.entry(a).or_default().push(b);
            }
        }
        eba
    }

    /// `branch_stats`: per branch line, (exits, exits taken).
    pub fn branch_stats(&self, excluded: &BTreeSet<u32>) -> BTreeMap<i32, (usize, usize)> {
        let missing = self.missing_branch_arcs(excluded);
        self.exit_counts
            .iter()
            .filter(|&(_, &n)| n > 1)
            .map(|(&line, &exits)| {
                let not_taken = missing.get(&line).map_or(0, Vec::len);
                (line, (exits, exits.saturating_sub(not_taken)))
            })
            .collect()
    }

    /// `(branches, partial branches, missing branches)` as `Analysis.__post_init__` counts
    /// them: a missing arc from a line that never ran is missing but not partial.
    pub fn counts(
        &self,
        excluded: &BTreeSet<u32>,
        missing: &BTreeSet<u32>,
    ) -> (usize, usize, usize) {
        let mba = self.missing_branch_arcs(excluded);
        let partial = mba
            .iter()
            .filter(|(l, _)| !u32::try_from(**l).is_ok_and(|u| missing.contains(&u)))
            .map(|(_, v)| v.len())
            .sum();
        let missing_branches = mba.values().map(Vec::len).sum();
        (self.total_branches(), partial, missing_branches)
    }

    /// `AnalysisNarrower.narrow`: arcs with either end in `lines`, the exit counts and
    /// `no_branch` lines of `lines`.
    pub fn narrow(&self, lines: &BTreeSet<u32>) -> BranchResults {
        let inside = |l: i32| u32::try_from(l).is_ok_and(|u| lines.contains(&u));
        let keep = |arcs: &BTreeSet<Arc>| -> BTreeSet<Arc> {
            arcs.iter()
                .filter(|&&(a, b)| inside(a) || inside(b))
                .copied()
                .collect()
        };
        BranchResults {
            possible: keep(&self.possible),
            executed: keep(&self.executed),
            exit_counts: self
                .exit_counts
                .iter()
                .filter(|(l, _)| inside(**l))
                .map(|(&l, &n)| (l, n))
                .collect(),
            no_branch: self.no_branch.intersection(lines).copied().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(possible: &[Arc], executed: &[Arc]) -> BranchFacts {
        BranchFacts {
            possible_arcs: possible.iter().copied().collect(),
            executed_arcs: executed.iter().copied().collect(),
            ..BranchFacts::default()
        }
    }

    #[test]
    fn self_arc_becomes_the_only_destination() {
        // Line 3 is a branch line of a multi-line `if`; 5 has one exit.
        let f = facts(
            &[(3, 4), (3, 6), (5, 6)],
            &[(-1, 3), (3, 3), (5, 5), (3, 4)],
        );
        let r = f.results(&BTreeSet::new());
        // (3, 3) is dropped (two destinations), (5, 5) becomes (5, 6).
        assert_eq!(r.executed, [(-1, 3), (3, 4), (5, 6)].into());
    }

    #[test]
    fn translation_maps_negative_ends_and_fixes_with_jumps() {
        let mut f = facts(&[], &[(-3, 3), (4, 1), (1, 5)]);
        f.multiline.insert(4, 3);
        f.with_jump_fixers.insert((4, 1), Some((4, 5)));
        f.with_jump_fixers.insert((1, 5), None);
        assert_eq!(f.translate_arcs(&f.executed_arcs), [(-3, 3), (3, 5)].into());
        assert_eq!(f.first_line(-4), -3);
        assert_eq!(f.executed_lines(), [1, 3, 5].into());
    }

    #[test]
    fn coverage_716_with_chains() {
        // with on 1 (body 2-3, then 4) inside a with on 10 (next 20): 3 -> 1 -> 10 -> 20.
        let mut f = facts(&[], &[]);
        f.with_jump_chains.insert((3, 1), ((1, 10), (3, 10)));
        f.with_jump_chains.insert((1, 10), ((10, 20), (1, 20)));
        let fixed = f.translate_arcs(&[(2, 3), (3, 1), (1, 10), (10, 20), (5, 6)]);
        assert_eq!(fixed, [(2, 3), (3, 20), (5, 6)].into());
    }

    #[test]
    fn missing_partial_and_no_branch() {
        let mut f = facts(
            &[(1, 2), (1, 4), (2, 3), (2, -1), (4, 5), (4, 6)],
            &[(1, 2), (2, 3)],
        );
        f.no_branch.insert(2);
        let excluded = [6].into();
        let r = f.results(&excluded);
        // 4 -> 6 goes into an excluded line: line 4 has one exit, it is no branch line.
        assert_eq!(r.exit_counts, [(1, 2), (2, 2), (4, 1)].into());
        assert_eq!(r.missing_branch_arcs(&excluded), [(1, vec![4])].into());
        assert_eq!(
            r.executed_branch_arcs(),
            [(1, vec![2]), (2, vec![3])].into()
        );
        assert_eq!(r.branch_stats(&excluded), [(1, (2, 1)), (2, (2, 2))].into());
        // Line 1 ran: partial. Had it not, the branch would be missing only.
        assert_eq!(r.counts(&excluded, &BTreeSet::new()), (4, 1, 1));
        assert_eq!(r.counts(&excluded, &[1].into()), (4, 0, 1));
        let narrowed = r.narrow(&[2, 3].into());
        assert_eq!(narrowed.possible, [(1, 2), (2, 3), (2, -1)].into());
        assert_eq!(narrowed.exit_counts, [(2, 2)].into());
    }
}
