//! Function and class regions, as coverage.py's `code_regions()` finds them: dotted names, and
//! the physical lines of each body (nested functions leave their enclosing function; methods
//! count for both the function and its class; nested classes leave their enclosing class).

use std::collections::BTreeSet;

use ruff_python_ast::Stmt;
use ruff_text_size::Ranged;

use crate::stack;
use crate::syntax::{Lines, Parsed};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionKind {
    Function,
    Class,
}

impl RegionKind {
    /// coverage.py's word for it (`"function"` / `"class"`).
    pub fn as_str(self) -> &'static str {
        match self {
            RegionKind::Function => "function",
            RegionKind::Class => "class",
        }
    }
}

/// One function or class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRegion {
    pub kind: RegionKind,
    /// Dotted qualified name, e.g. `Outer.method.inner`.
    pub name: String,
    /// The `def`/`class` line.
    pub start: u32,
    /// Physical lines of the body (blank and comment lines included, as in coverage.py);
    /// intersect with statements/excluded to count.
    pub lines: BTreeSet<u32>,
}

/// `body_only`: coverage.py 7.16 (the last to run on Python 3.10) only looked in `body` fields,
/// missing definitions under `else`, `elif`, `except`, `finally` and `case`.
pub(crate) fn code_regions(parsed: &Parsed, body_only: bool) -> Vec<CodeRegion> {
    let mut finder = Finder {
        lines: &parsed.lines,
        regions: Vec::new(),
        context: Vec::new(),
        body_only,
    };
    finder.suite(&parsed.module().body);
    finder.regions
}

struct Finder<'a> {
    lines: &'a Lines,
    regions: Vec<CodeRegion>,
    /// Indexes into `regions` of the enclosing functions and classes.
    context: Vec<usize>,
    body_only: bool,
}

impl Finder<'_> {
    fn suite(&mut self, body: &[Stmt]) {
        for stmt in body {
            self.stmt(stmt);
        }
    }

    fn qualname(&self, name: &str) -> String {
        let mut parts: Vec<&str> = self.context.iter().map(|&i| self.leaf(i)).collect();
        parts.push(name);
        parts.join(".")
    }

    fn leaf(&self, i: usize) -> &str {
        self.regions[i].name.rsplit('.').next().unwrap_or("")
    }

    fn stmt(&mut self, stmt: &Stmt) {
        stack::guard(|| self.stmt_of(stmt));
    }

    fn stmt_of(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::FunctionDef(f) => {
                let (Some(first), Some(last)) = (f.body.first(), f.body.last()) else {
                    return;
                };
                let lines: BTreeSet<u32> =
                    (self.lines.lineno(first)..=self.lines.end(last.range())).collect();
                if let Some(&parent) = self.context.last()
                    && self.regions[parent].kind == RegionKind::Class
                {
                    self.regions[parent].lines.extend(lines.iter().copied());
                }
                if let Some(&func) = self
                    .context
                    .iter()
                    .rev()
                    .find(|&&i| self.regions[i].kind == RegionKind::Function)
                {
                    self.regions[func].lines.retain(|l| !lines.contains(l));
                }
                let region = CodeRegion {
                    kind: RegionKind::Function,
                    name: self.qualname(f.name.as_str()),
                    start: self.lines.start(f.name.range()),
                    lines,
                };
                self.enter(region, &f.body);
            }
            Stmt::ClassDef(c) => {
                let region = CodeRegion {
                    kind: RegionKind::Class,
                    name: self.qualname(c.name.as_str()),
                    start: self.lines.start(c.name.range()),
                    lines: BTreeSet::new(),
                };
                let me = self.enter(region, &c.body);
                let lines = self.regions[me].lines.clone();
                // Every enclosing class loses them, not just the nearest.
                for &outer in &self.context {
                    if self.regions[outer].kind == RegionKind::Class {
                        self.regions[outer].lines.retain(|l| !lines.contains(l));
                    }
                }
            }
            Stmt::For(s) if self.body_only => self.suite(&s.body),
            Stmt::While(s) if self.body_only => self.suite(&s.body),
            Stmt::If(s) if self.body_only => self.suite(&s.body),
            Stmt::Try(s) if self.body_only => self.suite(&s.body),
            Stmt::Match(_) if self.body_only => {}
            // coverage.py walks `body`, `orelse`, `finalbody`, then `handlers`.
            Stmt::Try(s) => {
                self.suite(&s.body);
                self.suite(&s.orelse);
                self.suite(&s.finalbody);
                for ruff_python_ast::ExceptHandler::ExceptHandler(h) in &s.handlers {
                    self.suite(&h.body);
                }
            }
            _ => crate::statements::for_each_suite(stmt, |suite| {
                for s in suite {
                    self.stmt(s);
                }
            }),
        }
    }

    fn enter(&mut self, region: CodeRegion, body: &[Stmt]) -> usize {
        let me = self.regions.len();
        self.regions.push(region);
        self.context.push(me);
        self.suite(body);
        self.context.pop();
        me
    }
}
