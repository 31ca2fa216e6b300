//! The rows of the three index pages (files, functions, classes) and their totals, with
//! coverage.py's rules: every file or region counts in the total, even one `skip_covered` or
//! `skip_empty` leaves out; a function or class index has one row per region and one for the
//! code outside every region of that kind.

use std::collections::BTreeSet;

use crate::file::{FileInput, Narrowed};
use crate::numbers::Numbers;
use crate::pytext;
use crate::{Region, RegionKind};

/// Which index page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IndexKind {
    Files,
    Functions,
    Classes,
}

impl IndexKind {
    pub(crate) fn file_name(self) -> &'static str {
        match self {
            IndexKind::Files => "index.html",
            IndexKind::Functions => "function_index.html",
            IndexKind::Classes => "class_index.html",
        }
    }

    /// The button label.
    pub(crate) fn label(self) -> &'static str {
        match self {
            IndexKind::Files => "Files",
            IndexKind::Functions => "Functions",
            IndexKind::Classes => "Classes",
        }
    }

    pub(crate) fn noun(self) -> &'static str {
        match self {
            IndexKind::Files => "file",
            IndexKind::Functions => "function",
            IndexKind::Classes => "class",
        }
    }

    pub(crate) fn from_noun(noun: &str) -> Option<IndexKind> {
        [IndexKind::Functions, IndexKind::Classes]
            .into_iter()
            .find(|k| k.noun() == noun)
    }

    fn region_kind(self) -> Option<RegionKind> {
        match self {
            IndexKind::Files => None,
            IndexKind::Functions => Some(RegionKind::Function),
            IndexKind::Classes => Some(RegionKind::Class),
        }
    }
}

/// One row: a file, or a region of one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Row {
    /// The page (and `#tN` anchor) the row links to.
    pub(crate) url: String,
    pub(crate) file: String,
    /// The region's qualified name; `None` on the file index and for the code outside regions.
    pub(crate) region: Option<String>,
    pub(crate) numbers: Numbers,
}

impl Row {
    /// The name the region column sorts by: the last part of the name, leading `_` ignored.
    pub(crate) fn sort_name(&self) -> String {
        let name = self.region.as_deref().unwrap_or("");
        let last = name.rsplit('.').next().unwrap_or(name);
        last.trim_start_matches('_').to_owned()
    }
}

/// One index page's contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IndexPage {
    pub(crate) kind: IndexKind,
    pub(crate) rows: Vec<Row>,
    pub(crate) totals: Numbers,
    pub(crate) skipped_covered: usize,
    pub(crate) skipped_empty: usize,
}

/// What leaves a row out.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Skips {
    pub(crate) covered: bool,
    pub(crate) empty: bool,
}

impl IndexPage {
    pub(crate) fn new(kind: IndexKind) -> Self {
        IndexPage {
            kind,
            rows: Vec::new(),
            totals: Numbers::default(),
            skipped_covered: 0,
            skipped_empty: 0,
        }
    }

    /// Counts `numbers` in the total, and says whether their row is shown.
    pub(crate) fn admit(&mut self, numbers: Numbers, skips: Skips) -> bool {
        self.totals += numbers;
        if skips.covered && numbers.missing == 0 && numbers.partial_branches == 0 {
            self.skipped_covered += 1;
            return false;
        }
        if skips.empty && numbers.statements == 0 {
            self.skipped_empty += 1;
            return false;
        }
        true
    }

    /// Adds `rows` of this page's kind, those the skips allow, counting all in the total.
    pub(crate) fn add_rows<'a>(
        &mut self,
        rows: impl IntoIterator<Item = &'a (IndexKind, Row)>,
        skips: Skips,
    ) {
        for (kind, row) in rows {
            if *kind == self.kind && self.admit(row.numbers, skips) {
                self.rows.push(row.clone());
            }
        }
    }
}

/// Every function and class row of one file (its page is `page`), none skipped yet: per kind,
/// one row per region in source order, then the code outside every region of that kind.
pub(crate) fn region_rows(file: &FileInput, whole: &Narrowed, page: &str) -> Vec<(IndexKind, Row)> {
    let line_count = pytext::splitlines(&file.source(), false).len() as u32;
    let mut rows = Vec::new();
    for index_kind in [IndexKind::Functions, IndexKind::Classes] {
        let Some(kind) = index_kind.region_kind() else {
            continue;
        };
        let regions: Vec<&Region> = file.regions.iter().filter(|r| r.kind == kind).collect();
        let mut outside: BTreeSet<u32> = (1..=line_count).collect();
        for region in &regions {
            outside.retain(|l| !region.lines.contains(l));
        }
        for region in regions {
            rows.push((
                index_kind,
                Row {
                    url: format!("{page}#t{}", region.start),
                    file: file.display_name.clone(),
                    region: Some(region.name.clone()),
                    numbers: whole.narrow(&region.lines).numbers(),
                },
            ));
        }
        rows.push((
            index_kind,
            Row {
                url: page.to_owned(),
                file: file.display_name.clone(),
                region: None,
                numbers: whole.narrow(&outside).numbers(),
            },
        ));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(kind: RegionKind, name: &str, start: u32, lines: &[u32]) -> Region {
        Region {
            kind,
            name: name.into(),
            start,
            lines: lines.iter().copied().collect(),
        }
    }

    #[test]
    fn regions_and_the_code_outside_them() {
        let file = FileInput {
            display_name: "m.py".into(),
            text: "class C:\n    def f(self):\n        pass\nx = 1\n".into(),
            statements: [1, 2, 3, 4].into(),
            executed: [1, 2, 4].into(),
            regions: vec![
                region(RegionKind::Class, "C", 1, &[2, 3]),
                region(RegionKind::Function, "C.f", 2, &[3]),
            ],
            ..FileInput::default()
        };
        let whole = file.whole();
        let rows = region_rows(&file, &whole, "m_py.html");
        let mut functions = IndexPage::new(IndexKind::Functions);
        functions.add_rows(&rows, Skips::default());
        assert_eq!(functions.rows.len(), 2);
        assert_eq!(functions.rows[0].url, "m_py.html#t2");
        assert_eq!(functions.rows[0].numbers.missing, 1);
        assert_eq!(functions.rows[0].sort_name(), "f");
        assert_eq!(functions.rows[1].region, None);
        assert_eq!(functions.rows[1].numbers.statements, 3);
        // Covered rows are left out but still counted.
        let mut classes = IndexPage::new(IndexKind::Classes);
        let skips = Skips {
            covered: true,
            empty: false,
        };
        classes.add_rows(&rows, skips);
        assert_eq!(classes.rows.len(), 1);
        assert_eq!(classes.skipped_covered, 1);
        assert_eq!(classes.totals.statements, 4);
    }
}
