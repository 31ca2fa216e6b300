//! coverage.py's missing-lines text ("1-2, 5-11, 12->exit"): runs of missing statements
//! collapse across lines that are not statements; partial branches follow as `L->D`.

use std::collections::BTreeSet;

use crate::branches::BranchArcs;

/// Formats `lines` (a subset of `statements`) as coverage.py's `format_lines` does without
/// branch arcs: a range continues while each next statement is also in `lines`, however
/// many non-statement lines lie between.
pub fn format_ranges(lines: &BTreeSet<u32>, statements: &BTreeSet<u32>) -> String {
    format_lines(statements, lines, None)
}

/// coverage.py's `format_lines`: the ranges of `lines`, plus `L->D` (`L->exit` for a negative
/// D) for each missing branch arc whose ends are both not in `lines`, everything sorted by
/// (start line, text) as Python sorts the (line, text) tuples.
pub fn format_lines(
    statements: &BTreeSet<u32>,
    lines: &BTreeSet<u32>,
    arcs: Option<&BranchArcs>,
) -> String {
    let mut items: Vec<(i64, String)> = line_ranges(statements, lines)
        .into_iter()
        .map(|(a, b)| {
            let text = if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            };
            (i64::from(a), text)
        })
        .collect();
    let missing = |l: i32| u32::try_from(l).is_ok_and(|u| lines.contains(&u));
    for (&line, exits) in arcs.into_iter().flatten() {
        for &ex in exits {
            if !missing(line) && !missing(ex) {
                let dest = if ex > 0 {
                    ex.to_string()
                } else {
                    "exit".to_string()
                };
                items.push((i64::from(line), format!("{line}->{dest}")));
            }
        }
    }
    items.sort();
    items
        .into_iter()
        .map(|(_, text)| text)
        .collect::<Vec<_>>()
        .join(", ")
}

fn line_ranges(statements: &BTreeSet<u32>, lines: &BTreeSet<u32>) -> Vec<(u32, u32)> {
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut current: Option<(u32, u32)> = None;
    let mut remaining = lines.len();
    for &stmt in statements {
        if remaining == 0 {
            break;
        }
        if lines.contains(&stmt) {
            remaining -= 1;
            current = Some(match current {
                Some((start, _)) => (start, stmt),
                None => (stmt, stmt),
            });
        } else if let Some(pair) = current.take() {
            pairs.push(pair);
        }
    }
    pairs.extend(current);
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(v: &[u32]) -> BTreeSet<u32> {
        v.iter().copied().collect()
    }

    #[test]
    fn docstring_example() {
        let statements = set(&[1, 2, 3, 4, 5, 10, 11, 12, 13, 14]);
        let lines = set(&[1, 2, 5, 10, 11, 13, 14]);
        assert_eq!(format_ranges(&lines, &statements), "1-2, 5-11, 13-14");
    }

    #[test]
    fn singles_and_empty() {
        let statements = set(&[1, 3, 5, 7]);
        assert_eq!(format_ranges(&set(&[1, 5]), &statements), "1, 5");
        assert_eq!(format_ranges(&set(&[]), &statements), "");
        assert_eq!(format_ranges(&set(&[1, 3, 5, 7]), &statements), "1-7");
        assert_eq!(format_ranges(&set(&[7]), &statements), "7");
    }

    #[test]
    fn branch_arcs_sort_as_python_tuples() {
        let statements = set(&[1, 2, 3, 9, 12, 14, 20]);
        let arcs: BranchArcs = [(12, vec![-1, 9, 14]), (2, vec![3]), (20, vec![21])].into();
        // 2->3 is left out (3 is missing); the texts of one line sort as strings.
        assert_eq!(
            format_lines(&statements, &set(&[3, 20]), Some(&arcs)),
            "3, 12->14, 12->9, 12->exit, 20"
        );
    }
}
