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
