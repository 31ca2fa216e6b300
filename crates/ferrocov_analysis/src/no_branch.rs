//! coverage.py's `no_branch_lines()`: the lines the partial-branch regexes match, as first lines
//! of their statements. Their branches are never reported as partial.

use std::collections::{BTreeMap, BTreeSet};

use crate::exclude::{ExcludeMatcher, join_regex};
use crate::syntax::Lines;

pub(crate) fn no_branch_lines(
    text: &str,
    lines: &Lines,
    partial: &[String],
    multiline: &BTreeMap<u32, u32>,
) -> Result<BTreeSet<u32>, String> {
    let first = |l: u32| multiline.get(&l).copied().unwrap_or(l);
    if join_regex(partial).is_empty() {
        // An empty regex matches at every position, the end of the text included.
        let last = u32::try_from(text.matches('\n').count())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        return Ok((1..=last).map(first).collect());
    }
    let matcher = ExcludeMatcher::shared(partial)?;
    Ok(matcher
        .lines_matching(text, lines)
        .into_iter()
        .map(first)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, partial: &[&str]) -> Vec<u32> {
        let partial: Vec<String> = partial.iter().map(|s| (*s).to_owned()).collect();
        let multiline = BTreeMap::from([(2, 1), (3, 1)]);
        no_branch_lines(text, &Lines::new(text), &partial, &multiline)
            .unwrap()
            .into_iter()
            .collect()
    }

    #[test]
    fn matches_map_to_first_lines() {
        let text = "x = (1,\n  2,  # no branch\n  3)\nwhile True:\n    pass\n";
        assert_eq!(run(text, &["no branch", r"^\s*while True:"]), vec![1, 4]);
        assert_eq!(run(text, &[]), vec![1, 4, 5, 6]);
    }
}
