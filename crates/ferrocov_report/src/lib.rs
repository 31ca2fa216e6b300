//! Every report coverage.py writes, from analysed files: text/markdown/total tables, JSON
//! format 3, Cobertura XML, LCOV and annotated sources, byte-identical to coverage.py 7.17
//! for line and branch coverage; and the HTML site, with coverage.py's layout and facts and
//! pages of our own.
//!
//! The crate takes its own input type, [`FileInput`], so it does not depend on the analysis
//! crate; the integrator converts a `FileAnalysis` plus executed lines into it.

pub mod annotate;
mod branches;
pub mod colour;
mod contexts;
mod error;
mod file;
pub mod html;
pub mod json;
pub mod lcov;
mod numbers;
pub mod pytext;
mod ranges;
pub mod text;
pub mod xml;

pub use branches::{Arc, BranchArcs, BranchFacts, BranchResults};
pub use contexts::LineContexts;
pub use error::ReportError;
pub use file::{FileInput, Narrowed, Region, RegionKind};
pub use numbers::{
    Numbers, display_covered, fail_under_message, fail_under_precision, should_fail_under,
};
pub use ranges::{format_lines, format_ranges};
