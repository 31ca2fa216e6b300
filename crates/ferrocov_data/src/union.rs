//! `LineUnion`: the union of many inputs' line data, kept as numbits and united bytewise.
//!
//! Combining a thousand inputs repeats the same few hundred paths a thousand times, each with
//! a few hundred lines. Kept as numbits, adding an input is one OR per file and context, and
//! each distinct path goes through `[paths]` remapping once.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::coverage_data::CoverageData;
use crate::input_lines::InputLines;
use crate::numbits::{numbits_to_nums, nums_to_numbits};

/// One file of the union: its numbits per context. No contexts = measured but no line run
/// (coverage.py's "touched" file).
struct FileBits {
    path: String,
    contexts: Vec<(String, Vec<u8>)>,
    /// Branch data: the arcs per context.
    arcs: Vec<(String, FxHashSet<(i32, i32)>)>,
}

/// The union being built; paths are remapped as inputs come in.
pub(crate) struct LineUnion<'a> {
    remap: &'a dyn Fn(&str) -> String,
    /// Input path -> index into `files`. Looked up once per file of every input, so with a
    /// quicker hash than std's (the keys are paths from our own inputs, not an attacker's).
    by_input_path: FxHashMap<String, usize>,
    /// Remapped path -> index into `files`: two input paths may map to one file.
    by_path: FxHashMap<String, usize>,
    files: Vec<FileBits>,
    /// Branch data (true) or line data (false), once the first input said which.
    has_arcs: Option<bool>,
}

impl<'a> LineUnion<'a> {
    /// An empty union whose inputs' paths go through `remap`.
    pub(crate) fn new(remap: &'a dyn Fn(&str) -> String) -> LineUnion<'a> {
        LineUnion {
            remap,
            by_input_path: FxHashMap::default(),
            by_path: FxHashMap::default(),
            files: Vec::new(),
            has_arcs: None,
        }
    }

    /// Whether data of this kind may join the union: the first input decides, as coverage.py's
    /// data takes the kind of the first data added to it.
    pub(crate) fn accepts(&self, has_arcs: bool) -> bool {
        self.has_arcs.is_none_or(|kind| kind == has_arcs)
    }

    /// Adds data as it is, paths not remapped (the existing data file, with `--append`).
    pub(crate) fn add_base(&mut self, data: &CoverageData) {
        self.has_arcs = Some(data.has_arcs());
        for path in data.files() {
            if data.has_arcs() {
                let index = self.slot_for_mapped(path.to_owned());
                for (context, arcs) in data.arcs_by_context(path).into_iter().flatten() {
                    let arcs: Vec<(i32, i32)> = arcs.iter().copied().collect();
                    unite_arcs(&mut self.files[index].arcs, context, &arcs);
                }
                continue;
            }
            let index = self.slot_for_mapped(path.to_owned());
            for (context, lines) in data.lines_by_context(path).into_iter().flatten() {
                let numbits = nums_to_numbits(lines.iter().copied());
                unite(&mut self.files[index].contexts, context, &numbits);
            }
        }
    }

    /// Adds one input's files, each path remapped. The caller checks [`accepts`](Self::accepts)
    /// first.
    pub(crate) fn add_input(&mut self, input: &InputLines) {
        self.has_arcs = Some(input.has_arcs);
        let mut slots = Vec::with_capacity(input.file_count());
        for path in input.files() {
            let index = match self.by_input_path.get(path) {
                Some(&index) => index,
                None => {
                    let index = self.slot_for_mapped((self.remap)(path));
                    self.by_input_path.insert(path.to_owned(), index);
                    index
                }
            };
            slots.push(index);
        }
        for (file, context, numbits) in input.lines() {
            unite(&mut self.files[slots[file]].contexts, context, numbits);
        }
        for (file, context, arcs) in input.arcs() {
            unite_arcs(&mut self.files[slots[file]].arcs, context, arcs);
        }
    }

    fn slot_for_mapped(&mut self, path: String) -> usize {
        if let Some(&index) = self.by_path.get(&path) {
            return index;
        }
        let index = self.files.len();
        self.by_path.insert(path.clone(), index);
        self.files.push(FileBits {
            path,
            contexts: Vec::new(),
            arcs: Vec::new(),
        });
        index
    }

    /// The union as `CoverageData` (sorted, so what is written does not depend on the order
    /// the inputs came in).
    pub(crate) fn into_coverage_data(self) -> CoverageData {
        let mut data = CoverageData::new();
        data.set_has_arcs(self.has_arcs == Some(true));
        for file in self.files {
            data.touch_file(&file.path);
            for (context, numbits) in file.contexts {
                data.add_lines(&file.path, &context, numbits_to_nums(&numbits));
            }
            for (context, arcs) in file.arcs {
                data.add_arcs(&file.path, &context, arcs);
            }
        }
        data
    }
}

/// Adds `arcs` to the entry for `context`.
fn unite_arcs(
    contexts: &mut Vec<(String, FxHashSet<(i32, i32)>)>,
    context: &str,
    arcs: &[(i32, i32)],
) {
    let set = match contexts.iter().position(|(name, _)| name == context) {
        Some(at) => &mut contexts[at].1,
        None => {
            contexts.push((context.to_owned(), FxHashSet::default()));
            &mut contexts.last_mut().expect("just pushed").1
        }
    };
    set.extend(arcs.iter().copied());
}

/// ORs `numbits` into the entry for `context` (a file has one or a few contexts, so a short
/// list beats a map).
fn unite(contexts: &mut Vec<(String, Vec<u8>)>, context: &str, numbits: &[u8]) {
    // Nearly every context is "", and `==` on two empty strings still calls memcmp with the
    // dangling pointers of empty strings, which cost a slow masked load each in the profile.
    let same = |name: &str| name.len() == context.len() && (context.is_empty() || name == context);
    let bits = match contexts.iter().position(|(name, _)| same(name)) {
        Some(at) => &mut contexts[at].1,
        None => {
            contexts.push((context.to_owned(), Vec::with_capacity(numbits.len())));
            &mut contexts.last_mut().expect("just pushed").1
        }
    };
    if bits.len() < numbits.len() {
        bits.resize(numbits.len(), 0);
    }
    for (out, &byte) in bits.iter_mut().zip(numbits) {
        *out |= byte;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// A file's lines per context.
    type Contexts<'a> = &'a [(&'a str, &'a [u32])];

    /// One input of (path, lines per context) files.
    fn input(files: &[(&str, Contexts<'_>)]) -> InputLines {
        let mut input = InputLines::default();
        for (path, contexts) in files {
            let file = input.add_file(path);
            for (context, lines) in *contexts {
                input.add_lines(file, context, &nums_to_numbits(lines.iter().copied()));
            }
        }
        input
    }

    #[test]
    fn unites_remaps_and_keeps_touched_files() {
        let remap = |p: &str| p.replace("/ci/", "/local/");
        let mut union = LineUnion::new(&remap);
        let mut base = CoverageData::new();
        base.add_lines("/ci/kept.py", "", [4]);
        union.add_base(&base);
        union.add_input(&input(&[
            ("/ci/a.py", &[("", &[1, 20])]),
            ("/ci/t.py", &[]),
        ]));
        union.add_input(&input(&[
            ("/local/a.py", &[("", &[2]), ("test_x", &[3])]),
            ("/ci/a.py", &[("", &[300])]),
        ]));
        let data = union.into_coverage_data();
        assert_eq!(
            data.files().collect::<Vec<_>>(),
            ["/ci/kept.py", "/local/a.py", "/local/t.py"]
        );
        assert_eq!(
            data.lines("/local/a.py").unwrap(),
            BTreeSet::from([1, 2, 3, 20, 300])
        );
        let by_context = data.lines_by_context("/local/a.py").unwrap();
        assert_eq!(by_context[""], BTreeSet::from([1, 2, 20, 300]));
        assert_eq!(by_context["test_x"], BTreeSet::from([3]));
        assert!(data.lines_by_context("/local/t.py").unwrap().is_empty());
        assert_eq!(data.lines("/ci/kept.py").unwrap(), BTreeSet::from([4]));
    }

    #[test]
    fn an_empty_context_stays_recorded() {
        let identity = |p: &str| p.to_owned();
        let mut union = LineUnion::new(&identity);
        union.add_input(&input(&[("/a.py", &[("", &[])])]));
        let data = union.into_coverage_data();
        assert_eq!(data.lines_by_context("/a.py").unwrap().len(), 1);
    }

    #[test]
    fn remap_runs_once_per_input_path() {
        let calls = std::cell::Cell::new(0);
        let remap = |p: &str| {
            calls.set(calls.get() + 1);
            p.to_owned()
        };
        let mut union = LineUnion::new(&remap);
        for _ in 0..5 {
            union.add_input(&input(&[("/a.py", &[("", &[1])]), ("/b.py", &[])]));
        }
        assert_eq!(calls.get(), 2);
    }
}
