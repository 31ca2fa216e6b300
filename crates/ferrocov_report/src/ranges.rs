//! coverage.py's missing-lines text ("1-2, 5-11"): runs of missing statements collapse
//! across lines that are not statements.

use std::collections::BTreeSet;

/// Formats `lines` (a subset of `statements`) as coverage.py's `format_lines` does without
/// branch arcs: a range continues while each next statement is also in `lines`, however
/// many non-statement lines lie between.
pub fn format_ranges(lines: &BTreeSet<u32>, statements: &BTreeSet<u32>) -> String {
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
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
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
}
