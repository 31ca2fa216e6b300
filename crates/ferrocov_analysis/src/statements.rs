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

mod consts;

use std::collections::BTreeSet;

use ruff_python_ast::{ElifElseClause, ExceptHandler, Expr, Number, Stmt, UnaryOp};
use ruff_text_size::Ranged;

use crate::stack;
use crate::syntax::{Lines, Parsed};
use consts::{ConstTable, Key};

/// Statement start lines that have code (before exclusion and docstring removal).
pub(crate) fn raw_statements(parsed: &Parsed, text: &str, python: (u8, u8)) -> BTreeSet<u32> {
    let future_annotations = parsed.module().body.iter().any(|s| match s {
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
        text,
        python,
        future_annotations,
        track: python < (3, 12),
        dead: 0,
        frames: vec![Frame::default()],
        qualnames: Vec::new(),
        codes: 0,
    };
    let body = &parsed.module().body;
    if let Some(Stmt::Expr(doc)) = docstring(body) {
        c.expr(&doc.value);
    }
    let flow = c.suite(body, Scope::Module);
    c.implicit_return(flow.falls);
    c.frames.pop().expect("module frame").finish()
}

/// Lines of docstrings (module, class and function), all lines of each.
pub(crate) fn docstring_lines(parsed: &Parsed) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    collect_docstrings(&parsed.module().body, &parsed.lines, &mut out, true);
    out
}

fn docstring(body: &[Stmt]) -> Option<&Stmt> {
    match body.first() {
        Some(s @ Stmt::Expr(e)) if matches!(*e.value, Expr::StringLiteral(_)) => Some(s),
        _ => None,
    }
}

fn collect_docstrings(body: &[Stmt], lines: &Lines, out: &mut BTreeSet<u32>, owner: bool) {
    stack::guard(|| collect_docstrings_of(body, lines, out, owner));
}

fn collect_docstrings_of(body: &[Stmt], lines: &Lines, out: &mut BTreeSet<u32>, owner: bool) {
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

    /// Either way out.
    fn or(self, other: Flow) -> Flow {
        Flow {
            falls: self.falls || other.falls,
            breaks: self.breaks || other.breaks,
        }
    }
}

/// One code object being collected: its lines, and (3.10/3.11) its constant table.
#[derive(Default)]
struct Frame {
    raw: BTreeSet<u32>,
    consts: ConstTable,
}

impl Frame {
    /// The code object's lines, with those of the unreachable code objects that survive.
    fn finish(self) -> BTreeSet<u32> {
        let mut raw = self.raw;
        raw.extend(self.consts.surviving_lines());
        raw
    }
}

/// The first line(s) a nested code object's own line table starts with, beyond its body.
#[derive(Clone, Copy)]
enum Header {
    /// Always this line (3.11 functions, all classes, lambdas, comprehensions).
    Always(u32),
    /// This line only when the body gave none (3.10 functions: the implicit `return None`).
    IfEmpty(u32),
}

struct Collector<'a> {
    lines: &'a Lines,
    text: &'a str,
    python: (u8, u8),
    /// `from __future__ import annotations` is in effect.
    future_annotations: bool,
    /// 3.10/3.11: walk unreachable code too and model constant tables.
    track: bool,
    /// > 0 while walking code the compiler proves unreachable (or a folded test).
    dead: u32,
    /// The code objects being collected, innermost last.
    frames: Vec<Frame>,
    /// Qualified names of the enclosing defs/classes and whether each is a function (3.10 loads
    /// a function's qualname as a constant).
    qualnames: Vec<(String, bool)>,
    /// Code objects made so far (each is a distinct constant).
    codes: usize,
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
        if self.dead == 0 {
            let line = self.lines.start(range.range());
            self.frame().raw.insert(line);
        }
    }

    fn frame(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("a code object is open")
    }

    /// Visit the reachable part of a suite (and, on 3.10/3.11, the rest as dead code).
    fn suite(&mut self, body: &[Stmt], scope: Scope) -> Flow {
        let mut breaks = false;
        for (i, stmt) in body.iter().enumerate() {
            let flow = self.stmt(stmt, scope);
            breaks |= flow.breaks;
            if !flow.falls {
                self.dead_suite(&body[i + 1..], scope);
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

    /// Walk code the compiler drops: nothing but its constants and code objects matter, and only
    /// on 3.10/3.11.
    fn dead_suite(&mut self, body: &[Stmt], scope: Scope) {
        if self.track && !body.is_empty() {
            self.dead += 1;
            self.suite(body, scope);
            self.dead -= 1;
        }
    }

    /// Visit a test the compiler folds to a constant: its constants are added but never loaded.
    fn folded_test(&mut self, test: &Expr) {
        self.dead += 1;
        self.expr(test);
        self.dead -= 1;
    }

    /// The `return None` the compiler appends when the end of a body is reachable.
    fn implicit_return(&mut self, falls: bool) {
        if self.track {
            self.dead += u32::from(!falls);
            self.constant(Key::None);
            self.dead -= u32::from(!falls);
        }
    }

    /// Collect a nested code object whose body `fill` visits, then make it a constant of the
    /// enclosing one: live, its lines join the enclosing lines; dead (3.10/3.11), they count only
    /// if the constant survives the trimming of trailing unused constants.
    fn code_object(
        &mut self,
        name: &str,
        is_function: bool,
        header: Header,
        fill: impl FnOnce(&mut Self),
    ) {
        let dead = self.dead;
        if dead > 0 && !self.track {
            return;
        }
        let qualname = self.qualname(name);
        self.dead = 0;
        self.frames.push(Frame::default());
        self.qualnames.push((qualname.clone(), is_function));
        fill(self);
        self.qualnames.pop();
        let mut lines = self.frames.pop().expect("nested frame").finish();
        self.dead = dead;
        if !self.track {
            self.frame().raw.extend(lines);
            return;
        }
        self.codes += 1;
        let key = Key::Code(self.codes);
        if dead > 0 {
            match header {
                Header::Always(line) => {
                    lines.insert(line);
                }
                Header::IfEmpty(line) if lines.is_empty() => {
                    lines.insert(line);
                }
                Header::IfEmpty(_) => {}
            }
            self.frame().consts.add_dead_code(key, lines);
        } else {
            self.frame().raw.extend(lines);
            self.constant(key);
        }
        if self.python < (3, 11) {
            // 3.10's MAKE_FUNCTION takes the qualified name from the stack.
            self.constant(Key::Str(qualname));
        }
    }

    /// The `__qualname__` CPython gives a code object named `name` made here.
    fn qualname(&self, name: &str) -> String {
        match self.qualnames.last() {
            None => name.to_owned(),
            Some((outer, true)) => format!("{outer}.<locals>.{name}"),
            Some((outer, false)) => format!("{outer}.{name}"),
        }
    }

    fn body_of_def(&mut self, body: &[Stmt], scope: Scope) -> Flow {
        let rest = if docstring(body).is_some() {
            &body[1..]
        } else {
            body
        };
        self.suite(rest, scope)
    }

    fn stmt(&mut self, stmt: &Stmt, scope: Scope) -> Flow {
        stack::guard(|| self.stmt_flow(stmt, scope))
    }

    fn stmt_flow(&mut self, stmt: &Stmt, scope: Scope) -> Flow {
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
                    return Flow::FALLS;
                }
                self.function_header(f);
                let first = self.lines.start(stmt.range());
                let header = if self.python >= (3, 11) {
                    Header::Always(first)
                } else {
                    Header::IfEmpty(first)
                };
                self.code_object(f.name.as_str(), true, header, |c| {
                    let doc = match docstring(&f.body) {
                        Some(Stmt::Expr(e)) => c.key_of(&e.value),
                        _ => None,
                    };
                    // A function's first constant is its docstring, or None.
                    c.dead += 1;
                    c.constant(doc.unwrap_or(Key::None));
                    c.dead -= 1;
                    let flow = c.body_of_def(&f.body, Scope::Function);
                    c.implicit_return(flow.falls);
                });
                Flow::FALLS
            }
            Stmt::ClassDef(cls) => {
                for d in &cls.decorator_list {
                    self.emit(d.expression.range());
                }
                self.emit(cls.name.range());
                for d in &cls.decorator_list {
                    self.expr(&d.expression);
                }
                let first = self.lines.start(stmt.range());
                self.code_object(cls.name.as_str(), false, Header::Always(first), |c| {
                    // `__qualname__ = '...'`, then `__doc__ = '...'`.
                    let qualname = c.qualnames.last().map(|q| q.0.clone()).unwrap_or_default();
                    c.constant(Key::Str(qualname));
                    if let Some(Stmt::Expr(doc)) = docstring(&cls.body) {
                        c.expr(&doc.value);
                        // `__doc__ = '...'` has the docstring's line (dropped later as a
                        // docstring line, but the arc analysis sees it).
                        c.emit(doc.range());
                    }
                    let flow = c.body_of_def(&cls.body, Scope::Class);
                    // With a `__class__` cell the body returns the cell, not None.
                    let returns_none = flow.falls && !consts::uses_class_cell(&cls.body);
                    c.implicit_return(returns_none);
                });
                self.constant(Key::Str(cls.name.to_string()));
                if let Some(args) = &cls.arguments {
                    self.call_args(&args.args, &args.keywords, true);
                }
                Flow::FALLS
            }
            Stmt::Return(r) => {
                self.emit(stmt);
                match &r.value {
                    Some(v) => self.expr(v),
                    None => self.constant(Key::None),
                }
                Flow::STOPS
            }
            Stmt::Raise(r) => {
                self.emit(stmt);
                for e in [&r.exc, &r.cause].into_iter().flatten() {
                    self.expr(e);
                }
                Flow::STOPS
            }
            Stmt::Continue(_) => {
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
                let truth = const_truth(&a.test, self.python);
                self.test(&a.test, truth);
                if let Some(msg) = &a.msg {
                    // The message is only evaluated when the assertion can fail.
                    self.dead += u32::from(truth == Some(true));
                    self.expr(msg);
                    self.dead -= u32::from(truth == Some(true));
                }
                Flow {
                    falls: truth != Some(false),
                    breaks: false,
                }
            }
            Stmt::If(s) => self.if_chain(Some(&s.test), stmt, &s.body, &s.elif_else_clauses, scope),
            Stmt::While(s) => {
                self.emit(stmt);
                let truth = const_truth(&s.test, self.python);
                self.test(&s.test, truth);
                match truth {
                    Some(true) => {
                        let body = self.suite(&s.body, scope);
                        self.dead_suite(&s.orelse, scope);
                        Flow {
                            falls: body.breaks,
                            breaks: false,
                        }
                    }
                    Some(false) => {
                        self.dead_suite(&s.body, scope);
                        self.suite(&s.orelse, scope)
                    }
                    None => self.loop_flow(&s.body, &s.orelse, scope),
                }
            }
            Stmt::For(s) => {
                self.emit(stmt);
                self.iterable(&s.iter);
                if s.is_async {
                    self.constant(Key::None);
                }
                self.target(&s.target);
                self.loop_flow(&s.body, &s.orelse, scope)
            }
            Stmt::With(s) => {
                self.emit(stmt);
                for item in &s.items {
                    self.expr(&item.context_expr);
                    if s.is_async {
                        self.constant(Key::None);
                    }
                    if let Some(vars) = &item.optional_vars {
                        self.target(vars);
                    }
                }
                let body = self.suite(&s.body, scope);
                // `__exit__(None, None, None)`.
                self.constant(Key::None);
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
                let orelse = |c: &mut Self| {
                    if body.falls {
                        c.suite(&s.orelse, scope)
                    } else {
                        c.dead_suite(&s.orelse, scope);
                        Flow::STOPS
                    }
                };
                // 3.11 compiles `else:` before the handlers, 3.10 after them.
                let else_first = self.python >= (3, 11);
                let mut else_flow = Flow::STOPS;
                if else_first {
                    else_flow = orelse(self);
                }
                for ExceptHandler::ExceptHandler(h) in &s.handlers {
                    self.emit(h.range());
                    if let Some(t) = &h.type_ {
                        self.expr(t);
                    }
                    let flow = self.suite(&h.body, scope);
                    if h.name.is_some() {
                        // `name = None; del name` when the handler ends.
                        self.constant(Key::None);
                    }
                    falls |= flow.falls;
                    breaks |= flow.breaks;
                }
                if !else_first {
                    else_flow = orelse(self);
                }
                falls |= else_flow.falls;
                breaks |= else_flow.breaks;
                if !s.finalbody.is_empty() {
                    let fin = self.suite(&s.finalbody, scope);
                    breaks |= fin.breaks;
                    falls &= fin.falls;
                }
                Flow { falls, breaks }
            }
            Stmt::Match(s) => {
                self.emit(stmt);
                self.expr(&s.subject);
                let mut breaks = false;
                let mut falls = false;
                let mut catch_all = false;
                let mut deadened = 0;
                for case in &s.cases {
                    if catch_all {
                        if !self.track {
                            break;
                        }
                        // Later cases can't be reached.
                        if deadened == 0 {
                            deadened = 1;
                            self.dead += 1;
                        }
                    }
                    self.emit(case.pattern.range());
                    self.pattern(&case.pattern);
                    let guard = case.guard.as_deref().map(|g| const_truth(g, self.python));
                    if let (Some(g), Some(truth)) = (&case.guard, guard) {
                        self.test(g, truth);
                    }
                    if guard == Some(Some(false)) {
                        // `case ... if False:` never runs its body.
                        self.dead_suite(&case.body, scope);
                        continue;
                    }
                    let flow = self.suite(&case.body, scope);
                    if !catch_all {
                        breaks |= flow.breaks;
                        falls |= flow.falls;
                        catch_all =
                            case.pattern.is_irrefutable() && guard.is_none_or(|g| g == Some(true));
                    }
                }
                self.dead -= deadened;
                if !catch_all {
                    falls = true;
                }
                Flow { falls, breaks }
            }
            _ => {
                self.emit(stmt);
                self.simple_stmt(stmt, scope);
                Flow::FALLS
            }
        }
    }

    /// Emit only the `def`/`class` statements found (at any depth) in a skipped code object.
    /// Their own code objects still count (which also carry the `def`/`class` line on 3.11+).
    fn nested_only(&mut self, body: &[Stmt]) {
        stack::guard(|| self.nested_only_in(body));
    }

    fn nested_only_in(&mut self, body: &[Stmt]) {
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

    /// `if`/`elif`/`else`: an `elif` is a nested `if` in the `else` arm. Walked as a loop, not
    /// by recursion: a chain can have any number of `elif`s.
    fn if_chain(
        &mut self,
        test: Option<&Expr>,
        header: impl Ranged,
        body: &[Stmt],
        rest: &[ElifElseClause],
        scope: Scope,
    ) -> Flow {
        let mut flow = Flow::STOPS;
        // Past an arm whose test is always true, the rest is dead and its flow doesn't count.
        let mut counts = true;
        let mut deadened = 0;
        let (mut test, mut header, mut body, mut rest) = (test, header.range(), body, rest);
        loop {
            let Some(condition) = test else {
                // A plain `else:` arm.
                let arm = self.suite(body, scope);
                if counts {
                    flow = flow.or(arm);
                }
                break;
            };
            self.emit(header);
            let truth = const_truth(condition, self.python);
            self.test(condition, truth);
            let then = if truth == Some(false) {
                self.dead_suite(body, scope);
                Flow::STOPS
            } else {
                self.suite(body, scope)
            };
            if counts {
                flow = flow.or(then);
            }
            let Some((next, more)) = rest.split_first() else {
                if counts && truth != Some(true) {
                    flow.falls = true;
                }
                break;
            };
            if truth == Some(true) {
                if !self.track {
                    break;
                }
                self.dead += 1;
                deadened += 1;
                counts = false;
            }
            (test, header, body, rest) = (next.test.as_ref(), next.range(), &next.body, more);
        }
        self.dead -= deadened;
        flow
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
    stack::guard(|| const_truth_of(expr, python))
}

fn const_truth_of(expr: &Expr, python: (u8, u8)) -> Option<bool> {
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
