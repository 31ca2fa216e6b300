//! `CoverageData`: the in-memory form of measured data, path -> context -> line set, and for
//! branch data also path -> context -> arc set.

use std::collections::{BTreeMap, BTreeSet};

/// Lines executed per file and context. Paths and contexts are kept sorted, so everything
/// derived from this (data files, reports) is deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverageData {
    files: BTreeMap<String, BTreeMap<String, BTreeSet<u32>>>,
    /// Branch data: the arcs per file and context. The lines of such data (in `files`) are the
    /// positive ends of its arcs, as coverage.py's `lines()` gives them.
    arcs: BTreeMap<String, BTreeMap<String, BTreeSet<(i32, i32)>>>,
    has_arcs: bool,
}

/// An arc: (from line, to line); a negative line `-N` is the entry into or exit from the code
/// object whose first line is `N`.
pub type Arc = (i32, i32);

impl CoverageData {
    pub fn new() -> CoverageData {
        CoverageData::default()
    }

    /// Adds executed `lines` of `path` in `context` ("" is the default context). With no
    /// lines, the file and context are still recorded as measured.
    pub fn add_lines(&mut self, path: &str, context: &str, lines: impl IntoIterator<Item = u32>) {
        self.files
            .entry(path.to_owned())
            .or_default()
            .entry(context.to_owned())
            .or_default()
            .extend(lines);
    }

    /// Adds arcs taken in `path` in `context`, making this branch data (coverage.py's
    /// `add_arcs`). Their positive ends become the file's lines.
    pub fn add_arcs(&mut self, path: &str, context: &str, arcs: impl IntoIterator<Item = Arc>) {
        self.has_arcs = true;
        let arcs: BTreeSet<Arc> = arcs.into_iter().collect();
        let lines = arcs
            .iter()
            .flat_map(|&(a, b)| [a, b])
            .filter_map(|line| u32::try_from(line).ok().filter(|&l| l > 0));
        self.add_lines(path, context, lines);
        self.arcs
            .entry(path.to_owned())
            .or_default()
            .entry(context.to_owned())
            .or_default()
            .extend(arcs);
    }

    /// Marks this as branch data (or not) even before any arc is added.
    pub fn set_has_arcs(&mut self, has_arcs: bool) {
        self.has_arcs = has_arcs;
    }

    /// Whether this is branch data (coverage.py's `has_arcs()`).
    pub fn has_arcs(&self) -> bool {
        self.has_arcs
    }

    /// The arcs taken in `path` in any context; `None` if this is not branch data or the file
    /// was not measured (coverage.py's `arcs(filename)`).
    pub fn arcs(&self, path: &str) -> Option<BTreeSet<Arc>> {
        if !self.has_arcs || !self.files.contains_key(path) {
            return None;
        }
        Some(
            self.arcs
                .get(path)
                .map(|contexts| contexts.values().flatten().copied().collect())
                .unwrap_or_default(),
        )
    }

    /// The arcs of `path` per context; `None` if the file has none.
    pub fn arcs_by_context(&self, path: &str) -> Option<&BTreeMap<String, BTreeSet<Arc>>> {
        self.arcs.get(path)
    }

    /// Records `path` as measured without any context or line (coverage.py's `touch_file`).
    pub fn touch_file(&mut self, path: &str) {
        self.files.entry(path.to_owned()).or_default();
    }

    /// Measured file paths, sorted.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Number of measured files.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Lines executed in `path` in any context; `None` if the file was not measured.
    pub fn lines(&self, path: &str) -> Option<BTreeSet<u32>> {
        self.files
            .get(path)
            .map(|contexts| contexts.values().flatten().copied().collect())
    }

    /// Every context name used by any file, sorted.
    pub fn contexts(&self) -> BTreeSet<&str> {
        self.files
            .values()
            .flat_map(|contexts| contexts.keys().map(String::as_str))
            .collect()
    }

    /// The lines of `path` per context; `None` if the file was not measured.
    pub fn lines_by_context(&self, path: &str) -> Option<&BTreeMap<String, BTreeSet<u32>>> {
        self.files.get(path)
    }

    /// Keeps only the data measured in contexts `keep` accepts (coverage.py's
    /// `set_query_contexts`, applied to the data itself). Every file stays measured, with no
    /// lines when none of its contexts is kept, as coverage.py's `lines()` then gives `[]`.
    /// The first error `keep` returns stops the filtering and is returned.
    pub fn retain_contexts<E>(
        &mut self,
        mut keep: impl FnMut(&str) -> Result<bool, E>,
    ) -> Result<(), E> {
        let mut decided: BTreeMap<String, bool> = BTreeMap::new();
        for context in self.contexts() {
            decided.insert(context.to_owned(), keep(context)?);
        }
        let kept = |context: &String| decided.get(context).copied().unwrap_or(false);
        for contexts in self.files.values_mut() {
            contexts.retain(|context, _| kept(context));
        }
        for contexts in self.arcs.values_mut() {
            contexts.retain(|context, _| kept(context));
        }
        Ok(())
    }

    /// The contexts that ran each line of `path` (coverage.py's `contexts_by_lineno`): for
    /// branch data the positive ends of the arcs, for line data the lines. Lines ascending, each
    /// with its contexts sorted; empty when the file was not measured.
    pub fn contexts_by_line(&self, path: &str) -> BTreeMap<u32, Vec<&str>> {
        let mut by_line: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
        if self.has_arcs {
            for (context, arcs) in self.arcs.get(path).into_iter().flatten() {
                let lines: BTreeSet<u32> = arcs
                    .iter()
                    .flat_map(|&(a, b)| [a, b])
                    .filter_map(|l| u32::try_from(l).ok().filter(|&l| l > 0))
                    .collect();
                for line in lines {
                    by_line.entry(line).or_default().push(context);
                }
            }
        } else {
            for (context, lines) in self.files.get(path).into_iter().flatten() {
                for &line in lines {
                    by_line.entry(line).or_default().push(context);
                }
            }
        }
        // Contexts come from a sorted map, so each line's list is sorted already.
        by_line
    }

    /// Adds everything in `other`, passing each of its paths through `remap` first
    /// (for `[paths]` aliases). Lines of files that map to the same path are united.
    pub fn merge(&mut self, other: CoverageData, remap: &dyn Fn(&str) -> String) {
        self.has_arcs |= other.has_arcs;
        for (path, contexts) in other.arcs {
            let target = self.arcs.entry(remap(&path)).or_default();
            for (context, arcs) in contexts {
                target.entry(context).or_default().extend(arcs);
            }
        }
        for (path, contexts) in other.files {
            let target = self.files.entry(remap(&path)).or_default();
            for (context, lines) in contexts {
                target.entry(context).or_default().extend(lines);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_and_query() {
        let mut data = CoverageData::new();
        data.add_lines("b.py", "", [3, 1]);
        data.add_lines("b.py", "test_x", [2, 3]);
        data.add_lines("a.py", "", []);
        data.touch_file("c.py");
        assert_eq!(data.files().collect::<Vec<_>>(), ["a.py", "b.py", "c.py"]);
        assert_eq!(data.lines("b.py").unwrap(), BTreeSet::from([1, 2, 3]));
        assert_eq!(data.lines("a.py").unwrap(), BTreeSet::new());
        assert_eq!(data.lines("c.py").unwrap(), BTreeSet::new());
        assert_eq!(data.lines("zzz.py"), None);
        assert_eq!(data.contexts(), BTreeSet::from(["", "test_x"]));
    }

    #[test]
    fn arcs_give_lines() {
        let mut data = CoverageData::new();
        assert!(!data.has_arcs());
        data.add_lines("a.py", "", [1]);
        assert_eq!(data.arcs("a.py"), None);
        data.add_arcs("b.py", "", [(-1, 1), (1, 2), (2, 2), (2, -1), (5, 5)]);
        data.touch_file("c.py");
        assert!(data.has_arcs());
        assert_eq!(data.lines("b.py").unwrap(), BTreeSet::from([1, 2, 5]));
        assert_eq!(data.arcs("b.py").unwrap().len(), 5);
        assert_eq!(data.arcs("c.py").unwrap(), BTreeSet::new());
        assert_eq!(data.arcs("zzz.py"), None);
    }

    #[test]
    fn retained_contexts_and_contexts_by_line() {
        let mut data = CoverageData::new();
        data.add_lines("a.py", "", [1]);
        data.add_lines("a.py", "test_x", [1, 2]);
        data.add_lines("a.py", "test_y", [3]);
        data.add_lines("b.py", "test_y", [5]);
        assert_eq!(
            data.contexts_by_line("a.py"),
            BTreeMap::from([
                (1, vec!["", "test_x"]),
                (2, vec!["test_x"]),
                (3, vec!["test_y"])
            ])
        );
        let mut filtered = data.clone();
        filtered
            .retain_contexts(|c| Ok::<_, ()>(c.ends_with('x')))
            .unwrap();
        assert_eq!(filtered.lines("a.py").unwrap(), BTreeSet::from([1, 2]));
        // A file none of whose contexts is kept is still measured, with no lines.
        assert_eq!(filtered.lines("b.py").unwrap(), BTreeSet::new());
        assert_eq!(filtered.contexts(), BTreeSet::from(["test_x"]));
        assert_eq!(data.clone().retain_contexts(|_| Err("bad")), Err("bad"));
    }

    #[test]
    fn arc_contexts_count_both_positive_ends() {
        let mut data = CoverageData::new();
        data.add_arcs("a.py", "t1", [(-1, 1), (1, 2), (2, -1)]);
        data.add_arcs("a.py", "t2", [(2, 3)]);
        assert_eq!(
            data.contexts_by_line("a.py"),
            BTreeMap::from([(1, vec!["t1"]), (2, vec!["t1", "t2"]), (3, vec!["t2"])])
        );
        data.retain_contexts(|c| Ok::<_, ()>(c == "t2")).unwrap();
        assert_eq!(data.arcs("a.py").unwrap(), BTreeSet::from([(2, 3)]));
        assert_eq!(data.lines("a.py").unwrap(), BTreeSet::from([2, 3]));
    }

    #[test]
    fn merge_remaps_and_unites() {
        let mut data = CoverageData::new();
        data.add_lines("/local/a.py", "", [1]);
        let mut other = CoverageData::new();
        other.add_lines("/ci/a.py", "", [2]);
        other.add_lines("/ci/b.py", "ctx", [5]);
        data.merge(other, &|p: &str| p.replace("/ci/", "/local/"));
        assert_eq!(data.lines("/local/a.py").unwrap(), BTreeSet::from([1, 2]));
        assert_eq!(data.lines("/local/b.py").unwrap(), BTreeSet::from([5]));
        assert_eq!(data.file_count(), 2);
    }
}
