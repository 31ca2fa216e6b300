//! The per-file input every writer takes, and narrowing it to one function or class region.

use std::collections::BTreeSet;

use crate::branches::{BranchArcs, BranchFacts, BranchResults};
use crate::contexts::LineContexts;
use crate::numbers::Numbers;
use crate::pytext;

/// Whether a region is a function or a class (coverage.py's `CodeRegion.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionKind {
    Function,
    Class,
}

/// A function or class, as coverage.py's `regions.code_regions` finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub kind: RegionKind,
    /// Dotted qualified name, e.g. `Shape.area`.
    pub name: String,
    /// The line of the `def`/`class` keyword (decorators excluded).
    pub start: u32,
    /// Every physical line of the body (comments and blank lines too), minus nested regions
    /// of the same kind; a class also holds its methods' lines. The LCOV `FN` range and the
    /// JSON `""` region depend on these being physical lines, not only statements.
    pub lines: BTreeSet<u32>,
}

/// One measured file, as the reports need it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileInput {
    /// The file name as measured (absolute unless `relative_files`): coverage.py's
    /// `FileReporter.filename`; JSON and annotate order files by it.
    pub path: String,
    /// The name shown in reports: coverage.py's `relative_filename()`.
    pub display_name: String,
    /// Executable statement lines, excluded ones removed.
    pub statements: BTreeSet<u32>,
    /// Excluded lines, as coverage.py reports `excluded_lines`.
    pub excluded: BTreeSet<u32>,
    /// Executed lines, translated to first lines (anything outside `statements` is ignored).
    pub executed: BTreeSet<u32>,
    /// Decoded source. Line endings and form feeds are normalised the way coverage.py reads
    /// source, so raw text is fine.
    pub text: String,
    /// Functions and classes in source order.
    pub regions: Vec<Region>,
    /// Line -> first line of its statement, for the lines of multi-line statements
    /// (coverage.py's `multiline_map`): the HTML report dims continuation lines by it.
    pub multiline: std::collections::BTreeMap<u32, u32>,
    /// The identity of the file's inputs (source text, measured data, name), for reports that
    /// skip unchanged files next time (the HTML report's `input_hash`); `None` when not wanted.
    pub input_hash: Option<String>,
    /// Branch facts when the data file holds arcs (then every file of the report has them);
    /// `None` for line coverage.
    pub branches: Option<BranchFacts>,
    /// The contexts that ran each line, when a report shows them (JSON and HTML
    /// `show_contexts`); `None` otherwise.
    pub contexts: Option<LineContexts>,
}

/// A file's sets restricted to some lines (coverage.py's `AnalysisNarrower.narrow`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Narrowed {
    pub statements: BTreeSet<u32>,
    pub excluded: BTreeSet<u32>,
    pub executed: BTreeSet<u32>,
    pub missing: BTreeSet<u32>,
    /// The branch results, when the file has branch facts.
    pub branches: Option<BranchResults>,
}

impl Narrowed {
    pub fn numbers(&self) -> Numbers {
        let (branches, partial_branches, missing_branches) = self
            .branches
            .as_ref()
            .map_or((0, 0, 0), |b| b.counts(&self.excluded, &self.missing));
        Numbers {
            files: 1,
            statements: self.statements.len(),
            excluded: self.excluded.len(),
            missing: self.missing.len(),
            branches,
            partial_branches,
            missing_branches,
        }
    }

    /// `AnalysisNarrower.narrow`: these results restricted to `lines`.
    pub fn narrow(&self, lines: &BTreeSet<u32>) -> Narrowed {
        let keep =
            |set: &BTreeSet<u32>| -> BTreeSet<u32> { set.intersection(lines).copied().collect() };
        let statements = keep(&self.statements);
        let executed = keep(&self.executed);
        let missing = statements.difference(&executed).copied().collect();
        Narrowed {
            statements,
            excluded: keep(&self.excluded),
            executed,
            missing,
            branches: self.branches.as_ref().map(|b| b.narrow(lines)),
        }
    }

    /// Missing arcs from branch lines (`missing_branch_arcs`); empty without branches.
    pub fn missing_branch_arcs(&self) -> BranchArcs {
        self.branches
            .as_ref()
            .map(|b| b.missing_branch_arcs(&self.excluded))
            .unwrap_or_default()
    }

    /// Executed arcs from branch lines (`executed_branch_arcs`); empty without branches.
    pub fn executed_branch_arcs(&self) -> BranchArcs {
        self.branches
            .as_ref()
            .map(|b| b.executed_branch_arcs())
            .unwrap_or_default()
    }

    /// Per branch line, (exits, exits taken) (`branch_stats`); empty without branches.
    pub fn branch_stats(&self) -> std::collections::BTreeMap<i32, (usize, usize)> {
        self.branches
            .as_ref()
            .map(|b| b.branch_stats(&self.excluded))
            .unwrap_or_default()
    }
}

impl FileInput {
    /// Executed statements (`executed & statements`).
    pub fn executed_statements(&self) -> BTreeSet<u32> {
        self.executed
            .intersection(&self.statements)
            .copied()
            .collect()
    }

    /// Statements never executed.
    pub fn missing(&self) -> BTreeSet<u32> {
        self.statements
            .difference(&self.executed)
            .copied()
            .collect()
    }

    pub fn numbers(&self) -> Numbers {
        if self.branches.is_some() {
            return self.whole().numbers();
        }
        Numbers {
            files: 1,
            statements: self.statements.len(),
            excluded: self.excluded.len(),
            missing: self.statements.difference(&self.executed).count(),
            ..Numbers::default()
        }
    }

    /// Whether the report shows branches: any file has branch facts.
    pub fn any_branches(files: &[FileInput]) -> bool {
        files.iter().any(|f| f.branches.is_some())
    }

    /// The whole file as a [`Narrowed`] (nothing removed): coverage.py's `Analysis`.
    pub fn whole(&self) -> Narrowed {
        Narrowed {
            statements: self.statements.clone(),
            excluded: self.excluded.clone(),
            executed: self.executed_statements(),
            missing: self.missing(),
            branches: self.branches.as_ref().map(|b| b.results(&self.excluded)),
        }
    }

    /// The file restricted to `lines` (for many regions, narrow one [`FileInput::whole`]).
    pub fn narrow(&self, lines: &BTreeSet<u32>) -> Narrowed {
        self.whole().narrow(lines)
    }

    /// The source as coverage.py reads it: `\r\n` and `\r` become `\n`, form feeds become
    /// spaces, and a final newline is added when missing.
    pub fn source(&self) -> String {
        pytext::normalize_source(&self.text)
    }
}
