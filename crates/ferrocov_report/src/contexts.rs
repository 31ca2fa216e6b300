//! The contexts (tests) that ran each line of one file, in the compact form the JSON and HTML
//! reports share: every label once, each line a list of indexes into them.

use std::collections::{BTreeMap, BTreeSet};

/// coverage.py's `contexts_by_lineno` for one file: its keys are the lines as measured (not
/// translated to first lines), the empty context is `""`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineContexts {
    /// Every label that ran a line of the file, sorted, each once.
    pub labels: Vec<String>,
    /// Line -> indexes into [`LineContexts::labels`], ascending.
    pub lines: BTreeMap<u32, Vec<u32>>,
}

impl LineContexts {
    /// From each line's labels (any order, any repetition).
    pub fn new<'a>(by_line: impl IntoIterator<Item = (u32, Vec<&'a str>)>) -> Self {
        let by_line: Vec<(u32, Vec<&str>)> = by_line.into_iter().collect();
        let labels: BTreeSet<&str> = by_line
            .iter()
            .flat_map(|(_, l)| l.iter().copied())
            .collect();
        let index: BTreeMap<&str, u32> = labels
            .iter()
            .enumerate()
            .map(|(i, label)| (*label, i as u32))
            .collect();
        let mut lines: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (line, labels) in by_line {
            let entry = lines.entry(line).or_default();
            entry.extend(labels.iter().map(|l| index[l]));
            entry.sort_unstable();
            entry.dedup();
        }
        LineContexts {
            labels: labels.into_iter().map(str::to_owned).collect(),
            lines,
        }
    }

    /// The labels that ran `line`, sorted; empty when none did.
    pub fn labels_of(&self, line: u32) -> impl Iterator<Item = &str> {
        self.lines
            .get(&line)
            .into_iter()
            .flatten()
            .map(|&i| self.labels[i as usize].as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_shared_and_sorted() {
        let contexts = LineContexts::new([(3, vec!["b", "a"]), (1, vec!["", "b", "b"])]);
        assert_eq!(contexts.labels, ["", "a", "b"]);
        assert_eq!(contexts.lines[&1], [0, 2]);
        assert_eq!(contexts.labels_of(3).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(contexts.labels_of(2).count(), 0);
    }
}
