//! Which lines the compiler gives code to: coverage.py takes statements from the bytecode line
//! table (`co_lines()` of every code object); this reproduces that from the AST.
//!
//! Every statement emits code on its own line except `global`, `nonlocal`, `del ()`, and bare
//! annotations the compiler drops (see `bare_annotation_has_code`). `else:`/`finally:` lines emit
//! nothing; `try:`, `except`, `case` lines do. Code the compiler proves unreachable emits
//! nothing: whatever follows `return`/`raise`/`break`/`continue`/`assert <false constant>` in a
//! suite, suites after a statement none of whose paths falls through, the dead arm of a constant
//! `if`/`while`, a `case` with a false guard and cases after a catch-all. The test line of a
//! constant `if`/`while` stays (a `NOP`). Functions named `__annotate__` are skipped, as
//! coverage.py skips those code objects. Checked against CPython 3.10-3.13 (stdlib corpora), which
//! agree on all of this once lines are mapped to their statement's first line, except where noted
//! at `const_truth` and the 3.10/3.11 dead-code-object gap (see the crate README).

use std::collections::BTreeSet;

use ruff_python_ast::{ElifElseClause, ExceptHandler, Expr, Number, Stmt, UnaryOp};
use ruff_text_size::Ranged;

use crate::syntax::{Lines, Parsed};

/// Statement start lines that have code (before exclusion and docstring removal).
pub(crate) fn raw_statements(parsed: &Parsed, python: (u8, u8)) -> BTreeSet<u32> {
    let future_annotations = parsed.module.body.iter().any(|s| match s {
        Stmt::ImportFrom(i) => {
            i.module
                .as_ref()
                .is_some_and(|m| m.as_str() == "__future__")
                && i.names.iter().any(|n| n.name.as_str() == "annotations")
        }
        _ => false,
    });
    let mut c = Collector {
        lines: &parsed.lines,
        raw: BTreeSet::new(),
        python,
        future_annotations,
    };
    c.suite(&parsed.module.body, Scope::Module);
    c.raw
}

/// Lines of docstrings (module, class and function), all lines of each.
pub(crate) fn docstring_lines(parsed: &Parsed) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    collect_docstrings(&parsed.module.body, &parsed.lines, &mut out, true);
    out
}

fn docstring(body: &[Stmt]) -> Option<&Stmt> {
    match body.first() {
        Some(s @ Stmt::Expr(e)) if matches!(*e.value, Expr::StringLiteral(_)) => Some(s),
        _ => None,
    }
}

fn collect_docstrings(body: &[Stmt], lines: &Lines, out: &mut BTreeSet<u32>, owner: bool) {
    if owner && let Some(doc) = docstring(body) {
        out.extend(lines.start(doc.range())..=lines.end(doc.range()));
    }
    for stmt in body {
        match stmt {
            Stmt::FunctionDef(f) => collect_docstrings(&f.body, lines, out, true),
            Stmt::ClassDef(c) => collect_docstrings(&c.body, lines, out, true),
            _ => for_each_suite(stmt, |suite| collect_docstrings(suite, lines, out, false)),
        }
    }
}

/// Call `f` on each statement list directly inside a compound statement (not defs/classes).
pub(crate) fn for_each_suite(stmt: &Stmt, mut f: impl FnMut(&[Stmt])) {
    match stmt {
        Stmt::For(s) => {
            f(&s.body);
            f(&s.orelse);
        }
        Stmt::While(s) => {
            f(&s.body);
            f(&s.orelse);
        }
        Stmt::If(s) => {
            f(&s.body);
            for clause in &s.elif_else_clauses {
                f(&clause.body);
            }
        }
        Stmt::With(s) => f(&s.body),
        Stmt::Try(s) => {
            f(&s.body);
            for ExceptHandler::ExceptHandler(h) in &s.handlers {
                f(&h.body);
            }
            f(&s.orelse);
            f(&s.finalbody);
        }
        Stmt::Match(s) => {
            for case in &s.cases {
                f(&case.body);
            }
        }
        _ => {}
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Module,
    Class,
    Function,
}

/// How control can leave a statement or suite.
#[derive(Clone, Copy, Default)]
struct Flow {
    /// Control can reach the next statement.
    falls: bool,
    /// A `break` for the enclosing loop is reachable.
    breaks: bool,
}

impl Flow {
    const FALLS: Flow = Flow {
        falls: true,
        breaks: false,
    };
    const STOPS: Flow = Flow {
        falls: false,
        breaks: false,
    };
}

struct Collector<'a> {
    lines: &'a Lines,
    raw: BTreeSet<u32>,
    python: (u8, u8),
    /// `from __future__ import annotations` is in effect.
    future_annotations: bool,
}

impl Collector<'_> {
    /// Does `target: annotation` (no value) compile to anything?  A plain name stores its
    /// annotation only in a module or class; an attribute or subscript target evaluates its
    /// object (and subscript) everywhere; any other target evaluates the annotation only in a
    /// module or class, and not at all under `from __future__ import annotations`.
    fn bare_annotation_has_code(&self, a: &ruff_python_ast::StmtAnnAssign, scope: Scope) -> bool {
        let module_or_class = scope != Scope::Function;
        match &*a.target {
            Expr::Name(_) if a.simple => module_or_class,
            Expr::Attribute(_) | Expr::Subscript(_) => true,
            _ => module_or_class && !self.future_annotations,
        }
    }

    fn emit(&mut self, range: impl Ranged) {
        self.raw.insert(self.lines.start(range.range()));
    }

    /// Visit the reachable part of a suite.
    fn suite(&mut self, body: &[Stmt], scope: Scope) -> Flow {
        let mut breaks = false;
        for stmt in body {
            let flow = self.stmt(stmt, scope);
            breaks |= flow.breaks;
            if !flow.falls {
                return Flow {
                    falls: false,
                    breaks,
                };
            }
        }
        Flow {
            falls: true,
            breaks,
        }
    }

    fn body_of_def(&mut self, body: &[Stmt], scope: Scope) {
        let rest = if docstring(body).is_some() {
            &body[1..]
        } else {
            body
        };
        self.suite(rest, scope);
    }

    fn stmt(&mut self, stmt: &Stmt, scope: Scope) -> Flow {
        match stmt {
            Stmt::Global(_) | Stmt::Nonlocal(_) => Flow::FALLS,
            Stmt::Delete(d) if d.targets.iter().all(empty_target) => Flow::FALLS,
            Stmt::AnnAssign(a) if a.value.is_none() && !self.bare_annotation_has_code(a, scope) => {
                Flow::FALLS
            }
            Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.emit(d.expression.range());
                }
                self.emit(f.name.range());
                if f.name.as_str() == "__annotate__" {
                    // coverage.py skips code objects named `__annotate__` (deferred annotations);
                    // only definitions nested inside still count.
                    self.nested_only(&f.body);
                } else {
                    self.body_of_def(&f.body, Scope::Function);
                }
                Flow::FALLS
            }
            Stmt::ClassDef(c) => {
                for d in &c.decorator_list {
                    self.emit(d.expression.range());
                }
                self.emit(c.name.range());
                self.body_of_def(&c.body, Scope::Class);
                Flow::FALLS
            }
            Stmt::Return(_) | Stmt::Raise(_) | Stmt::Continue(_) => {
                self.emit(stmt);
                Flow::STOPS
            }
            Stmt::Break(_) => {
                self.emit(stmt);
                Flow {
                    falls: false,
                    breaks: true,
                }
            }
            Stmt::Assert(a) => {
                self.emit(stmt);
                Flow {
                    falls: const_truth(&a.test, self.python) != Some(false),
                    breaks: false,
                }
            }
            Stmt::If(s) => self.if_chain(Some(&s.test), stmt, &s.body, &s.elif_else_clauses, scope),
            Stmt::While(s) => {
                self.emit(stmt);
                match const_truth(&s.test, self.python) {
                    Some(true) => {
                        let body = self.suite(&s.body, scope);
                        Flow {
                            falls: body.breaks,
                            breaks: false,
                        }
                    }
                    Some(false) => self.suite(&s.orelse, scope),
                    None => self.loop_flow(&s.body, &s.orelse, scope),
                }
            }
            Stmt::For(s) => {
                self.emit(stmt);
                self.loop_flow(&s.body, &s.orelse, scope)
            }
            Stmt::With(s) => {
                self.emit(stmt);
                let body = self.suite(&s.body, scope);
                // A context manager may swallow an exception, so the end is always reachable.
                Flow {
                    falls: true,
                    breaks: body.breaks,
                }
            }
            Stmt::Try(s) => {
                self.emit(stmt);
                let body = self.suite(&s.body, scope);
                let mut breaks = body.breaks;
                let mut falls = false;
                for ExceptHandler::ExceptHandler(h) in &s.handlers {
                    self.emit(h.range());
                    let flow = self.suite(&h.body, scope);
                    falls |= flow.falls;
                    breaks |= flow.breaks;
                }
                if body.falls {
                    let orelse = self.suite(&s.orelse, scope);
                    falls |= orelse.falls;
                    breaks |= orelse.breaks;
                }
                if !s.finalbody.is_empty() {
                    let fin = self.suite(&s.finalbody, scope);
                    breaks |= fin.breaks;
                    falls &= fin.falls;
                }
                Flow { falls, breaks }
            }
            Stmt::Match(s) => {
                self.emit(stmt);
                let mut breaks = false;
                let mut falls = false;
                let mut catch_all = false;
                for case in &s.cases {
                    self.emit(case.pattern.range());
                    let guard = case.guard.as_deref().map(|g| const_truth(g, self.python));
                    if guard == Some(Some(false)) {
                        // `case ... if False:` never runs its body.
                        continue;
                    }
                    let flow = self.suite(&case.body, scope);
                    breaks |= flow.breaks;
                    falls |= flow.falls;
                    if case.pattern.is_irrefutable() && guard.is_none_or(|g| g == Some(true)) {
                        // Later cases can't be reached.
                        catch_all = true;
                        break;
                    }
                }
                if !catch_all {
                    falls = true;
                }
                Flow { falls, breaks }
            }
            _ => {
                self.emit(stmt);
                Flow::FALLS
            }
        }
    }

    /// Emit only the `def`/`class` statements found (at any depth) in a skipped code object.
    /// Their own code objects still count (which also carry the `def`/`class` line on 3.11+).
    fn nested_only(&mut self, body: &[Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {
                    self.stmt(stmt, Scope::Function);
                }
                _ => for_each_suite(stmt, |suite| self.nested_only(suite)),
            }
        }
    }

    fn loop_flow(&mut self, body: &[Stmt], orelse: &[Stmt], scope: Scope) -> Flow {
        let body = self.suite(body, scope);
        let orelse = self.suite(orelse, scope);
        Flow {
            falls: orelse.falls || body.breaks,
            breaks: orelse.breaks,
        }
    }

    /// `if`/`elif`/`else`: an `elif` is a nested `if` in the `else` arm.
    fn if_chain(
        &mut self,
        test: Option<&Expr>,
        header: impl Ranged,
        body: &[Stmt],
        rest: &[ElifElseClause],
        scope: Scope,
    ) -> Flow {
        let Some(test) = test else {
            // A plain `else:` arm.
            return self.suite(body, scope);
        };
        self.emit(header.range());
        let truth = const_truth(test, self.python);
        let then = if truth == Some(false) {
            Flow::STOPS
        } else {
            self.suite(body, scope)
        };
        let other = if truth == Some(true) {
            Flow::STOPS
        } else if let Some((next, more)) = rest.split_first() {
            self.if_chain(next.test.as_ref(), next.range(), &next.body, more, scope)
        } else {
            Flow::FALLS
        };
        Flow {
            falls: then.falls || other.falls,
            breaks: then.breaks || other.breaks,
        }
    }
}

/// `()` / `[]` (nested) as a `del` target: nothing to delete, no code.
fn empty_target(expr: &Expr) -> bool {
    match expr {
        Expr::Tuple(t) => t.elts.iter().all(empty_target),
        Expr::List(l) => l.elts.iter().all(empty_target),
        _ => false,
    }
}

/// The truth value of a test the compiler folds to a constant, if it does.
fn const_truth(expr: &Expr, python: (u8, u8)) -> Option<bool> {
    match expr {
        Expr::BooleanLiteral(b) => Some(b.value),
        Expr::NoneLiteral(_) => Some(false),
        Expr::EllipsisLiteral(_) => Some(true),
        Expr::StringLiteral(s) => Some(!s.value.is_empty()),
        Expr::BytesLiteral(b) => Some(!b.value.is_empty()),
        Expr::NumberLiteral(n) => Some(match &n.value {
            Number::Int(i) => *i != ruff_python_ast::Int::ZERO,
            Number::Float(f) => *f != 0.0,
            Number::Complex { real, imag } => *real != 0.0 || *imag != 0.0,
        }),
        Expr::Name(n) if n.id.as_str() == "__debug__" => Some(true),
        Expr::FString(f) => {
            // An f-string without replacement fields is a constant; CPython folds a non-empty
            // one everywhere, an empty one only from 3.13.
            let mut text = String::new();
            for part in f.value.iter() {
                match part {
                    ruff_python_ast::FStringPart::Literal(l) => text.push_str(&l.value),
                    ruff_python_ast::FStringPart::FString(f) => {
                        for element in f.elements.iter() {
                            match element {
                                ruff_python_ast::InterpolatedStringElement::Literal(l) => {
                                    text.push_str(&l.value);
                                }
                                ruff_python_ast::InterpolatedStringElement::Interpolation(_) => {
                                    return None;
                                }
                            }
                        }
                    }
                }
            }
            if !text.is_empty() {
                Some(true)
            } else if python >= (3, 13) {
                Some(false)
            } else {
                None
            }
        }
        Expr::UnaryOp(u) => match u.op {
            UnaryOp::Not => const_truth(&u.operand, python).map(|t| !t),
            UnaryOp::UAdd | UnaryOp::USub if matches!(*u.operand, Expr::NumberLiteral(_)) => {
                const_truth(&u.operand, python)
            }
            _ => None,
        },
        Expr::BinOp(b) => {
            let (Expr::NumberLiteral(l), Expr::NumberLiteral(r)) = (&*b.left, &*b.right) else {
                return None;
            };
            let (Number::Int(l), Number::Int(r)) = (&l.value, &r.value) else {
                return None;
            };
            let (l, r) = (l.as_i64()? as i128, r.as_i64()? as i128);
            use ruff_python_ast::Operator as Op;
            let v = match b.op {
                Op::Add => l + r,
                Op::Sub => l - r,
                Op::Mult => l * r,
                _ => return None,
            };
            Some(v != 0)
        }
        Expr::Tuple(t) if t.elts.is_empty() => Some(false),
        // The AST optimizer folds a tuple of constants into one constant.
        Expr::Tuple(t) if t.elts.iter().all(|e| const_truth(e, python).is_some()) => Some(true),
        // A constant operand decides the jump: `x and False` never enters, `x or True` always.
        Expr::BoolOp(b) => {
            let (decisive, other) = match b.op {
                ruff_python_ast::BoolOp::And => (false, true),
                ruff_python_ast::BoolOp::Or => (true, false),
            };
            let truths: Vec<Option<bool>> =
                b.values.iter().map(|v| const_truth(v, python)).collect();
            if truths.contains(&Some(decisive)) {
                Some(decisive)
            } else if truths.iter().all(|t| *t == Some(other)) {
                Some(other)
            } else {
                None
            }
        }
        _ => None,
    }
}
