//! `InputLines`: one input's line data, packed into a few buffers while it is read.
//!
//! An input holds a few hundred files; as one small allocation per path, context and numbits
//! blob, reading and then dropping a thousand inputs cost more instructions in malloc and free
//! than SQLite spent reading them. Packed, an input is four vectors.

use std::ops::Range;

/// Every path and context name in `text`, every numbits blob in `bits`; entries refer to them
/// by range.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct InputLines {
    text: String,
    bits: Vec<u8>,
    /// The measured files' paths, each once.
    files: Vec<Range<usize>>,
    /// (index into `files`, context name, numbits)
    lines: Vec<(usize, Range<usize>, Range<usize>)>,
    /// Branch data: (index into `files`, context name, range of `arc_data`).
    arcs: Vec<(usize, Range<usize>, Range<usize>)>,
    arc_data: Vec<(i32, i32)>,
    /// The input is branch data (its lines are its arcs' ends).
    pub(crate) has_arcs: bool,
}

impl InputLines {
    /// Records a measured file; returns its index for [`InputLines::add_lines`].
    pub(crate) fn add_file(&mut self, path: &str) -> usize {
        let range = self.push_text(path);
        self.files.push(range);
        self.files.len() - 1
    }

    /// Records the numbits of file `file` (an index from `add_file`) in `context`.
    pub(crate) fn add_lines(&mut self, file: usize, context: &str, numbits: &[u8]) {
        let name = self.push_text(context);
        let start = self.bits.len();
        self.bits.extend_from_slice(numbits);
        self.lines.push((file, name, start..self.bits.len()));
    }

    /// Records arcs of file `file` in `context` (branch data).
    pub(crate) fn add_arcs(&mut self, file: usize, context: &str, arcs: &[(i32, i32)]) {
        let name = self.push_text(context);
        let start = self.arc_data.len();
        self.arc_data.extend_from_slice(arcs);
        self.arcs.push((file, name, start..self.arc_data.len()));
    }

    /// (file index, context, arcs) for every arc entry, in the order they were added.
    pub(crate) fn arcs(&self) -> impl Iterator<Item = (usize, &str, &[(i32, i32)])> {
        self.arcs.iter().map(|(file, name, arcs)| {
            (
                *file,
                &self.text[name.clone()],
                &self.arc_data[arcs.clone()],
            )
        })
    }

    fn push_text(&mut self, text: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(text);
        start..self.text.len()
    }

    /// The files' paths, by index.
    pub(crate) fn files(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|range| &self.text[range.clone()])
    }

    pub(crate) fn file_count(&self) -> usize {
        self.files.len()
    }

    /// (file index, context, numbits) for every entry, in the order they were added.
    pub(crate) fn lines(&self) -> impl Iterator<Item = (usize, &str, &[u8])> {
        self.lines
            .iter()
            .map(|(file, name, bits)| (*file, &self.text[name.clone()], &self.bits[bits.clone()]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_gives_back() {
        let mut input = InputLines::default();
        let a = input.add_file("/p/a.py");
        let b = input.add_file("/p/é.py");
        input.add_file("/p/touched.py");
        input.add_lines(b, "", &[0x0e]);
        input.add_lines(a, "test_x", &[0, 2]);
        input.add_lines(a, "", &[]);
        assert_eq!(
            input.files().collect::<Vec<_>>(),
            ["/p/a.py", "/p/é.py", "/p/touched.py"]
        );
        assert_eq!(input.file_count(), 3);
        assert_eq!(
            input.lines().collect::<Vec<_>>(),
            [
                (1, "", &[0x0e][..]),
                (0, "test_x", &[0, 2][..]),
                (0, "", &[][..])
            ]
        );
    }
}
