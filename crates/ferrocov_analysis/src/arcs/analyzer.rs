//! coverage.py's `AstArcAnalyzer`: the possible arcs of each code object (module, function,
//! class) from its statements, with the message fragments that describe each arc.
//!
//! The analyzer only keeps arcs of real branches and of leaving code objects; its arcs are not a
//! control-flow graph. Lambdas, comprehensions and generator expressions get no arcs.

use std::collections::{BTreeMap, BTreeSet};

use ferrocov_pytext::py_repr;
use ruff_python_ast::{ExceptHandler, MatchCase, Pattern, Stmt};

use super::blocks::{ArcStart, Block, Exits, Jump};
use super::constant::constant_test;
use super::node::{Body, LineFinder, Node};
use crate::stack;

/// Why an arc may not have run (a cause template) and what it does (an action), either absent.
pub(crate) type Fragment = (Option<&'static str>, Option<String>);

pub(super) struct Analyzer<'a> {
    pub(super) find: LineFinder<'a>,
    /// Lines with bytecode, mapped to first lines.
    pub(super) statements: BTreeSet<i32>,
    /// `exit_with_through_ctxmgr`: Python 3.12.6+ leaves a `with` through each context manager.
    pub(super) with_through_items: bool,
    pub(super) arcs: BTreeSet<(i32, i32)>,
    pub(super) fragments: BTreeMap<(i32, i32), Vec<Fragment>>,
    blocks: Vec<Block>,
    current_with_starts: BTreeSet<i32>,
    pub(super) all_with_starts: BTreeSet<i32>,
    pub(super) with_entries: BTreeSet<(i32, i32)>,
    pub(super) with_exits: BTreeSet<(i32, i32)>,
}

const LOOP_NEVER_STARTED: &str = "the loop on line {lineno} never started";
const LOOP_DIDNT_COMPLETE: &str = "the loop on line {lineno} didn't complete";
const NEVER_TRUE: &str = "the condition on line {lineno} was never true";
const ALWAYS_TRUE: &str = "the condition on line {lineno} was always true";
const PATTERN_ALWAYS: &str = "the pattern on line {lineno} always matched";
const PATTERN_NEVER: &str = "the pattern on line {lineno} never matched";
const EXCEPTION_DIDNT_HAPPEN: &str = "the exception caught by line {lineno} didn't happen";

impl<'a> Analyzer<'a> {
    pub(super) fn new(
        find: LineFinder<'a>,
        statements: BTreeSet<i32>,
        with_through_items: bool,
    ) -> Self {
        Self {
            find,
            statements,
            with_through_items,
            arcs: BTreeSet::new(),
            fragments: BTreeMap::new(),
            blocks: Vec::new(),
            current_with_starts: BTreeSet::new(),
            all_with_starts: BTreeSet::new(),
            with_entries: BTreeSet::new(),
            with_exits: BTreeSet::new(),
        }
    }

    fn add_arc(
        &mut self,
        start: i32,
        end: i32,
        cause: Option<&'static str>,
        action: Option<String>,
    ) {
        self.arcs.insert((start, end));
        if self.current_with_starts.contains(&start) {
            self.with_entries.insert((start, end));
        }
        if cause.is_some() || action.is_some() {
            self.fragments
                .entry((start, end))
                .or_default()
                .push((cause, action));
        }
    }

    pub(super) fn module(&mut self, body: &'a [Stmt]) {
        let start = self.find.first(1);
        if body.is_empty() {
            self.add_arc(start, -start, None, None);
            return;
        }
        let exits = self.process_body(Body::Stmts(body), Exits::new());
        for xit in exits {
            self.add_arc(
                xit.line,
                -start,
                Some(xit.cause),
                Some("exit the module".to_owned()),
            );
        }
    }

    pub(super) fn function(&mut self, def: &'a Stmt, name: &str, body: &'a [Stmt]) {
        let start = self.find.stmt(def);
        self.blocks.push(Block::Function {
            start,
            quoted: py_repr(name),
        });
        let exits = self.process_body(Body::Stmts(body), Exits::new());
        self.jump(Jump::Return, exits);
        self.blocks.pop();
    }

    pub(super) fn class(&mut self, def: &'a Stmt, name: &str, body: &'a [Stmt]) {
        let start = self.find.stmt(def);
        let exits = self.process_body(Body::Stmts(body), Exits::new());
        let action = format!("exit class {}", py_repr(name));
        for xit in exits {
            self.add_arc(xit.line, -start, Some(xit.cause), Some(action.clone()));
        }
    }

    /// Arcs from `prev` into the body and between its statements; the body's exits.
    fn process_body(&mut self, body: Body<'a>, mut prev: Exits) -> Exits {
        for node in body.nodes() {
            let line = self.find.node(node);
            if !self.statements.contains(&line) {
                continue;
            }
            for start in &prev {
                self.add_arc(start.line, line, Some(start.cause), None);
            }
            prev = stack::guard(|| self.node_exits(node));
        }
        prev
    }

    fn only(start: ArcStart) -> Exits {
        Exits::from([start])
    }

    /// Hand jump exits to the nearest block that takes them.
    fn jump(&mut self, kind: Jump, exits: Exits) {
        let mut arcs: Vec<(i32, i32, &'static str, Option<String>)> = Vec::new();
        for block in self.blocks.iter_mut().rev() {
            let taken = match (kind, block) {
                (Jump::Break, Block::Loop { breaks, .. }) => {
                    breaks.extend(exits.iter().copied());
                    true
                }
                (Jump::Continue, Block::Loop { start, .. }) => {
                    arcs.extend(exits.iter().map(|x| (x.line, *start, x.cause, None)));
                    true
                }
                (Jump::Raise | Jump::Return, Block::Function { start, quoted }) => {
                    let verb = if kind == Jump::Raise {
                        "except"
                    } else {
                        "return"
                    };
                    let action = format!("{verb} from function {quoted}");
                    arcs.extend(
                        exits
                            .iter()
                            .map(|x| (x.line, -*start, x.cause, Some(action.clone()))),
                    );
                    true
                }
                (Jump::Raise, Block::Try { handler_start }) => {
                    if let Some(handler) = handler_start {
                        arcs.extend(exits.iter().map(|x| (x.line, *handler, x.cause, None)));
                    }
                    true
                }
                _ => false,
            };
            if taken {
                break;
            }
        }
        for (start, end, cause, action) in arcs {
            self.add_arc(start, end, Some(cause), action);
        }
    }

    fn node_exits(&mut self, node: Node<'a>) -> Exits {
        let stmt = match node {
            Node::Elif(clauses) => {
                let clause = &clauses[0];
                return match clause.test.as_ref() {
                    Some(test) => self.handle_if(test, &clause.body, &clauses[1..]),
                    None => self.process_body(Body::Stmts(&clause.body), Exits::new()),
                };
            }
            Node::Stmt(stmt) => stmt,
        };
        match stmt {
            Stmt::Break(_) => {
                let here = self.find.stmt(stmt);
                self.jump(
                    Jump::Break,
                    Self::only(ArcStart::new(
                        here,
                        "the break on line {lineno} wasn't executed",
                    )),
                );
                Exits::new()
            }
            Stmt::Continue(_) => {
                let here = self.find.stmt(stmt);
                let cause = "the continue on line {lineno} wasn't executed";
                self.jump(Jump::Continue, Self::only(ArcStart::new(here, cause)));
                Exits::new()
            }
            Stmt::Raise(_) => {
                let here = self.find.stmt(stmt);
                let cause = "the raise on line {lineno} wasn't executed";
                self.jump(Jump::Raise, Self::only(ArcStart::new(here, cause)));
                Exits::new()
            }
            Stmt::Return(_) => {
                let here = self.find.stmt(stmt);
                let cause = "the return on line {lineno} wasn't executed";
                self.jump(Jump::Return, Self::only(ArcStart::new(here, cause)));
                Exits::new()
            }
            Stmt::FunctionDef(f) => {
                self.decorated(stmt, f.decorator_list.iter().map(|d| &d.expression))
            }
            Stmt::ClassDef(c) => {
                self.decorated(stmt, c.decorator_list.iter().map(|d| &d.expression))
            }
            Stmt::For(f) => self.handle_for(self.find.expr(&f.iter), &f.body, &f.orelse),
            Stmt::While(w) => self.handle_while(w),
            Stmt::If(i) => self.handle_if(&i.test, &i.body, &i.elif_else_clauses),
            Stmt::Match(m) => self.handle_match(stmt, &m.cases),
            Stmt::Try(t) => self.handle_try(stmt, t),
            Stmt::With(w) => self.handle_with(stmt, w),
            _ => Self::only(ArcStart::plain(self.find.stmt(stmt))),
        }
    }

    fn decorated<'e>(
        &mut self,
        stmt: &Stmt,
        decorators: impl Iterator<Item = &'e ruff_python_ast::Expr>,
    ) -> Exits {
        let main_line = self.find.lineno(stmt);
        let mut last: Option<i32> = None;
        for dec in decorators {
            let dec_start = self.find.expr(dec);
            if let Some(prev) = last
                && dec_start != prev
            {
                self.add_arc(prev, dec_start, None, None);
            }
            last = Some(dec_start);
        }
        if let Some(prev) = last {
            self.add_arc(prev, main_line, None, None);
        }
        Self::only(ArcStart::plain(main_line))
    }

    fn handle_for(&mut self, start: i32, body: &'a [Stmt], orelse: &'a [Stmt]) -> Exits {
        self.blocks.push(Block::Loop {
            start,
            breaks: Exits::new(),
        });
        let from_start = ArcStart::new(start, LOOP_NEVER_STARTED);
        let exits = self.process_body(Body::Stmts(body), Self::only(from_start));
        for xit in exits {
            self.add_arc(xit.line, start, Some(xit.cause), None);
        }
        let mut exits = self.pop_loop();
        let from_start = ArcStart::new(start, LOOP_DIDNT_COMPLETE);
        if orelse.is_empty() {
            exits.insert(from_start);
        } else {
            exits.extend(self.process_body(Body::Stmts(orelse), Self::only(from_start)));
        }
        exits
    }

    fn pop_loop(&mut self) -> Exits {
        match self.blocks.pop() {
            Some(Block::Loop { breaks, .. }) => breaks,
            _ => Exits::new(),
        }
    }

    fn handle_while(&mut self, node: &'a ruff_python_ast::StmtWhile) -> Exits {
        let start = self.find.expr(&node.test);
        let constant = constant_test(&node.test).is_some();
        self.blocks.push(Block::Loop {
            start,
            breaks: Exits::new(),
        });
        let from_start = ArcStart::new(start, NEVER_TRUE);
        let exits = self.process_body(Body::Stmts(&node.body), Self::only(from_start));
        for xit in exits {
            self.add_arc(xit.line, start, Some(xit.cause), None);
        }
        let mut exits = self.pop_loop();
        let from_start = ArcStart::new(start, ALWAYS_TRUE);
        if !node.orelse.is_empty() {
            exits.extend(self.process_body(Body::Stmts(&node.orelse), Self::only(from_start)));
        } else if !constant {
            exits.insert(from_start);
        }
        exits
    }

    /// An `if` and its `elif`s, which CPython nests (each in the `orelse` of the one before):
    /// walked as a loop with one set of exits, so long chains cost linear time and no stack.
    fn handle_if(
        &mut self,
        test: &'a ruff_python_ast::Expr,
        body: &'a [Stmt],
        rest: &'a [ruff_python_ast::ElifElseClause],
    ) -> Exits {
        let (mut test, mut body, mut rest) = (test, body, rest);
        let mut exits = Exits::new();
        loop {
            let start = self.find.expr(test);
            let constant = constant_test(test);
            if constant != Some(false) {
                let from_start = ArcStart::new(start, NEVER_TRUE);
                exits.extend(self.process_body(Body::Stmts(body), Self::only(from_start)));
            }
            if constant == Some(true) {
                return exits;
            }
            let from_start = ArcStart::new(start, ALWAYS_TRUE);
            let clauses = match Body::orelse(rest) {
                Body::Elif(clauses) => clauses,
                orelse => {
                    exits.extend(self.process_body(orelse, Self::only(from_start)));
                    return exits;
                }
            };
            // `process_body` of an `orelse` holding just the `elif`'s `If`.
            let line = self.find.node(Node::Elif(clauses));
            if !self.statements.contains(&line) {
                exits.insert(from_start);
                return exits;
            }
            self.add_arc(start, line, Some(from_start.cause), None);
            let Some(next_test) = clauses[0].test.as_ref() else {
                return exits;
            };
            (test, body, rest) = (next_test, &clauses[0].body, &clauses[1..]);
        }
    }

    fn handle_match(&mut self, stmt: &Stmt, cases: &'a [MatchCase]) -> Exits {
        let start = self.find.stmt(stmt);
        let mut last_start = start;
        let mut exits = Exits::new();
        for case in cases {
            let case_start = self.find.pattern(&case.pattern);
            self.add_arc(last_start, case_start, Some(PATTERN_ALWAYS), None);
            let from_start = ArcStart::new(case_start, PATTERN_NEVER);
            exits.extend(self.process_body(Body::Stmts(&case.body), Self::only(from_start)));
            last_start = case_start;
        }
        if let Some(last) = cases.last()
            && !is_irrefutable(last)
        {
            exits.insert(ArcStart::new(last_start, PATTERN_ALWAYS));
        }
        exits
    }

    fn handle_try(&mut self, stmt: &Stmt, node: &'a ruff_python_ast::StmtTry) -> Exits {
        let handler_lines: Vec<i32> = node
            .handlers
            .iter()
            .map(|ExceptHandler::ExceptHandler(h)| self.find.of(h))
            .collect();
        self.blocks.push(Block::Try {
            handler_start: handler_lines.first().copied(),
        });
        let start = self.find.stmt(stmt);
        let mut exits =
            self.process_body(Body::Stmts(&node.body), Self::only(ArcStart::plain(start)));
        if node.finalbody.is_empty() {
            self.blocks.pop();
        } else if let Some(Block::Try { handler_start }) = self.blocks.last_mut() {
            // The `try` body is done: its block no longer catches, but stays for the `finally`.
            *handler_start = None;
        }
        let mut handler_exits = Exits::new();
        for (ExceptHandler::ExceptHandler(handler), line) in node.handlers.iter().zip(handler_lines)
        {
            let from_start = ArcStart::new(line, EXCEPTION_DIDNT_HAPPEN);
            handler_exits
                .extend(self.process_body(Body::Stmts(&handler.body), Self::only(from_start)));
        }
        if !node.orelse.is_empty() {
            exits = self.process_body(Body::Stmts(&node.orelse), exits);
        }
        exits.extend(handler_exits);
        if !node.finalbody.is_empty() {
            self.blocks.pop();
            let final_exits = self.process_body(Body::Stmts(&node.finalbody), exits.clone());
            if !exits.is_empty() {
                exits = final_exits;
            }
        }
        exits
    }

    fn handle_with(&mut self, stmt: &Stmt, node: &'a ruff_python_ast::StmtWith) -> Exits {
        let starts: Vec<i32> = if self.with_through_items {
            node.items
                .iter()
                .map(|item| self.find.expr(&item.context_expr))
                .collect()
        } else {
            vec![self.find.stmt(stmt)]
        };
        let Some(&start) = starts.last() else {
            return Exits::new();
        };
        for &s in &starts {
            self.current_with_starts.insert(s);
            self.all_with_starts.insert(s);
        }
        let exits = self.process_body(Body::Stmts(&node.body), Self::only(ArcStart::plain(start)));
        self.current_with_starts.remove(&start);
        if exits.is_empty() {
            return exits;
        }
        for xit in exits {
            self.add_arc(xit.line, start, None, None);
            self.with_exits.insert((xit.line, start));
        }
        Self::only(ArcStart::plain(start))
    }
}

/// coverage.py's `_case_is_irrefutable`: no guard, and a wildcard or bare capture, looking
/// through the last alternative of `|` and through `as`.
pub(crate) fn is_irrefutable(case: &MatchCase) -> bool {
    if case.guard.is_some() {
        return false;
    }
    let mut pattern = &case.pattern;
    while let Pattern::MatchOr(or) = pattern {
        match or.patterns.last() {
            Some(last) => pattern = last,
            None => return false,
        }
    }
    while let Pattern::MatchAs(as_) = pattern {
        match &as_.pattern {
            Some(inner) => pattern = inner,
            None => return true,
        }
    }
    false
}
