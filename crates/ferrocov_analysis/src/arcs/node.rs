//! The statements the arc analyzer walks, as CPython's AST has them, and the line each one is
//! known by (coverage.py's `line_for_node`, mapped to the first line of its statement).
//!
//! ruff keeps `elif`/`else` clauses flat on the `if`; CPython nests each `elif` as an `If` in
//! the `orelse` of the one before, and the analyzer's arcs follow that shape, so an `elif`
//! clause is a node of its own here ([`Node::Elif`]).

use std::collections::BTreeMap;

use ruff_python_ast::{ElifElseClause, Expr, Pattern, Stmt};
use ruff_text_size::Ranged;

use crate::syntax::Lines;

#[derive(Clone, Copy)]
pub(super) enum Node<'a> {
    Stmt(&'a Stmt),
    /// An `elif` clause (the first one) and the clauses after it.
    Elif(&'a [ElifElseClause]),
}

/// A suite: statements, or the `orelse` of an `if`/`elif`.
#[derive(Clone, Copy)]
pub(super) enum Body<'a> {
    Stmts(&'a [Stmt]),
    Elif(&'a [ElifElseClause]),
}

impl<'a> Body<'a> {
    /// The `orelse` of an `if` or `elif` whose later clauses are `rest`.
    pub(super) fn orelse(rest: &'a [ElifElseClause]) -> Self {
        match rest.first() {
            None => Body::Stmts(&[]),
            Some(clause) if clause.test.is_some() => Body::Elif(rest),
            Some(clause) => Body::Stmts(&clause.body),
        }
    }

    pub(super) fn nodes(self) -> impl Iterator<Item = Node<'a>> {
        let (stmts, elif) = match self {
            Body::Stmts(s) => (s, None),
            Body::Elif(c) => (&[][..], Some(Node::Elif(c))),
        };
        stmts.iter().map(Node::Stmt).chain(elif)
    }
}

/// Line lookups as the analyzer needs them: Python's line of a node, through the multi-line map.
pub(super) struct LineFinder<'a> {
    pub(super) lines: &'a Lines,
    pub(super) multiline: &'a BTreeMap<u32, u32>,
}

impl LineFinder<'_> {
    pub(super) fn first(&self, line: u32) -> i32 {
        let line = self.multiline.get(&line).copied().unwrap_or(line);
        i32::try_from(line).unwrap_or(i32::MAX)
    }

    fn at(&self, node: &impl Ranged) -> u32 {
        self.lines.start(node.range())
    }

    pub(super) fn node(&self, node: Node<'_>) -> i32 {
        match node {
            Node::Stmt(stmt) => self.stmt(stmt),
            Node::Elif(clauses) => self.first(self.at(&clauses[0])),
        }
    }

    pub(super) fn stmt(&self, stmt: &Stmt) -> i32 {
        let line = match stmt {
            Stmt::FunctionDef(f) => match f.decorator_list.first() {
                Some(dec) => self.at(&dec.expression),
                None => self.lines.lineno(stmt),
            },
            Stmt::ClassDef(c) => match c.decorator_list.first() {
                Some(dec) => self.at(&dec.expression),
                None => self.lines.lineno(stmt),
            },
            Stmt::Assign(a) => return self.expr(&a.value),
            _ => self.at(stmt),
        };
        self.first(line)
    }

    /// `_line__Dict`, `_line__List`, else the expression's own line.
    pub(super) fn expr(&self, expr: &Expr) -> i32 {
        let mut expr = expr;
        // `_line__List` recurses into the first element; written as a loop for deep nesting.
        loop {
            match expr {
                Expr::List(list) if !list.elts.is_empty() => expr = &list.elts[0],
                Expr::Dict(dict) if !dict.items.is_empty() => {
                    let item = &dict.items[0];
                    let line = match &item.key {
                        Some(key) => self.at(key),
                        None => self.at(&item.value),
                    };
                    return self.first(line);
                }
                _ => return self.first(self.at(expr)),
            }
        }
    }

    pub(super) fn pattern(&self, pattern: &Pattern) -> i32 {
        self.first(self.at(pattern))
    }

    /// Python's `lineno` of a statement, not mapped (the `def` line of a decorated function).
    pub(super) fn lineno(&self, stmt: &Stmt) -> i32 {
        i32::try_from(self.lines.lineno(stmt)).unwrap_or(i32::MAX)
    }

    pub(super) fn of(&self, node: &impl Ranged) -> i32 {
        self.first(self.at(node))
    }
}
