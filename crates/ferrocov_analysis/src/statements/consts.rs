//! The constant table of a code object as CPython 3.10/3.11 builds it, to tell which code
//! objects made in unreachable code survive.
//!
//! Those compilers compile unreachable code (making code objects for the defs, classes, lambdas
//! and comprehensions in it), drop its instructions, and then trim only the constants past the
//! highest index a remaining `LOAD_CONST`/`KW_NAMES` uses (3.12 removes every unused constant).
//! A constant's index is fixed when the compiler first adds it, in compile order, with equal
//! constants shared; constants the optimizer folds from a run of `LOAD_CONST`s (default-value and
//! annotation tuples) are appended after all others. So a dead code object survives exactly when
//! live code loads a constant first added after it. The walk below adds constants in compile
//! order for the statements and expressions that add them, with the version differences that
//! move them: 3.10 also loads each function's qualified name; 3.11 compiles a `try`'s `else:`
//! before its handlers, rewrites `"%s" % (x,)` into an f-string, and jumps on `x is None` without
//! loading None. What it does not model (the copies of a `finally` body that unwinding
//! `return`/`break` compiles, name mangling) only matters when the same constant is first added
//! on both sides of a dead code object.
//!
//! `fold` computes the constants the AST optimizer folds; `walk` adds a code object's constants
//! in compile order; `format` covers the strings 3.11 builds from `%`-formats and f-strings.

mod fold;
mod format;
mod walk;

use std::collections::{BTreeSet, HashMap};

use ruff_python_ast::{Expr, Stmt};

use crate::stack;

/// A constant, compared as CPython's `_PyCode_ConstantKey` compares them (type and value).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    None,
    True,
    False,
    Ellipsis,
    /// Decimal digits, `-` for negatives.
    Int(String),
    Float(u64),
    Complex(u64, u64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Key>),
    /// Elements sorted by their debug form: a frozenset's key ignores order.
    FrozenSet(Vec<Key>),
    /// The n-th code object made in this file.
    Code(usize),
    /// A value the AST optimizer folds that is not computed here, named by how it was made.
    Folded(String),
}

/// One code object's constants: where each sits, the highest index loaded by live code, and the
/// code objects made in unreachable code with the lines they would bring.
#[derive(Default)]
pub(super) struct ConstTable {
    index: HashMap<Key, usize>,
    /// Index 0 always stays (CPython keeps it for a docstring).
    max_loaded: usize,
    /// Folded by the optimizer after compilation: (constant, loaded by live code).
    appended: Vec<(Key, bool)>,
    dead_code: Vec<(usize, BTreeSet<u32>)>,
}

impl ConstTable {
    pub(super) fn add(&mut self, key: Key, loaded: bool) -> usize {
        let next = self.index.len();
        let i = *self.index.entry(key).or_insert(next);
        if loaded {
            self.max_loaded = self.max_loaded.max(i);
        }
        i
    }

    pub(super) fn add_dead_code(&mut self, key: Key, lines: BTreeSet<u32>) {
        let i = self.add(key, false);
        self.dead_code.push((i, lines));
    }

    /// Lines of the unreachable code objects that are not trimmed away.
    pub(super) fn surviving_lines(mut self) -> impl Iterator<Item = u32> {
        for (key, loaded) in std::mem::take(&mut self.appended) {
            self.add(key, loaded);
        }
        let max = self.max_loaded;
        self.dead_code
            .into_iter()
            .filter(move |(i, _)| *i <= max)
            .flat_map(|(_, lines)| lines)
    }
}

/// Does a method in this class body use the `__class__` cell (zero-argument `super()`)? Then
/// the class body returns the cell instead of loading None.
pub(super) fn uses_class_cell(body: &[Stmt]) -> bool {
    use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
    struct Finder {
        in_function: bool,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                // A nested class has its own cell.
                Stmt::ClassDef(_) => {}
                Stmt::FunctionDef(_) => {
                    let outer = std::mem::replace(&mut self.in_function, true);
                    stack::guard(|| walk_stmt(self, stmt));
                    self.in_function = outer;
                }
                _ => stack::guard(|| walk_stmt(self, stmt)),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Name(n) = expr
                && self.in_function
                && matches!(n.id.as_str(), "super" | "__class__")
            {
                self.found = true;
            }
            stack::guard(|| walk_expr(self, expr));
        }
    }
    let mut finder = Finder {
        in_function: false,
        found: false,
    };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    finder.found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalysisOptions, analyze_source};

    fn statements(src: &str, python: (u8, u8)) -> Vec<u32> {
        let options = AnalysisOptions {
            python: (python.0, python.1, 0),
            ..AnalysisOptions::default()
        };
        let analysis = analyze_source(src.as_bytes(), "t.py", &options).unwrap();
        analysis.statements.into_iter().collect()
    }

    #[test]
    fn a_dead_def_survives_only_before_a_new_constant() {
        let kept = "def f(v):\n    if v:\n        return\n        def g():\n            return 1\n    return 'new'\n";
        assert_eq!(statements(kept, (3, 10)), [1, 2, 3, 5, 6]);
        assert_eq!(statements(kept, (3, 11)), [1, 2, 3, 4, 5, 6]);
        assert_eq!(statements(kept, (3, 12)), [1, 2, 3, 6]);
        // None is the function's first constant: nothing new follows `g`.
        let trimmed = kept.replace("'new'", "None");
        assert_eq!(statements(&trimmed, (3, 10)), [1, 2, 3, 6]);
        assert_eq!(statements(&trimmed, (3, 11)), [1, 2, 3, 6]);
    }

    #[test]
    fn the_table_shares_equal_constants_and_appends_folded_tuples() {
        let mut table = ConstTable::default();
        assert_eq!(table.add(Key::None, false), 0);
        assert_eq!(table.add(Key::Int("1".into()), true), 1);
        table.add_dead_code(Key::Code(1), [7].into());
        assert_eq!(table.add(Key::Int("1".into()), true), 1);
        assert_eq!(table.surviving_lines().count(), 0);

        let mut table = ConstTable::default();
        table.add(Key::None, false);
        table.add_dead_code(Key::Code(1), [7].into());
        table.appended.push((Key::Tuple(vec![]), true));
        assert_eq!(table.surviving_lines().collect::<Vec<_>>(), [7]);
    }
}
