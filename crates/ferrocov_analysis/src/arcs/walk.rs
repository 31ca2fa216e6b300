//! Finding the code objects the analyzer starts from, in coverage.py's order
//! (`walk_statement_nodes`: depth first, last child first), without recursion.

use ruff_python_ast::{ElifElseClause, ExceptHandler, MatchCase, Stmt};

use super::analyzer::Analyzer;

enum Item<'a> {
    Stmt(&'a Stmt),
    Elif(&'a [ElifElseClause]),
    Handler(&'a ExceptHandler),
    Case(&'a MatchCase),
}

/// Run the analyzer on the module and on every function and class in it, in coverage.py's
/// order (which decides the order of descriptions sharing an arc).
pub(super) fn each_code_object<'a>(module: &'a [Stmt], analyzer: &mut Analyzer<'a>) {
    analyzer.module(module);
    let mut todo: Vec<Item<'a>> = module.iter().map(Item::Stmt).collect();
    while let Some(item) = todo.pop() {
        match item {
            Item::Stmt(stmt) => {
                match stmt {
                    Stmt::FunctionDef(f) => analyzer.function(stmt, f.name.as_str(), &f.body),
                    Stmt::ClassDef(c) => analyzer.class(stmt, c.name.as_str(), &c.body),
                    _ => {}
                }
                push_children(stmt, &mut todo);
            }
            Item::Elif(clauses) => {
                todo.extend(clauses[0].body.iter().map(Item::Stmt));
                push_orelse(&clauses[1..], &mut todo);
            }
            Item::Handler(ExceptHandler::ExceptHandler(h)) => {
                todo.extend(h.body.iter().map(Item::Stmt));
            }
            Item::Case(case) => todo.extend(case.body.iter().map(Item::Stmt)),
        }
    }
}

fn push_orelse<'a>(rest: &'a [ElifElseClause], todo: &mut Vec<Item<'a>>) {
    match rest.first() {
        Some(clause) if clause.test.is_some() => todo.push(Item::Elif(rest)),
        Some(clause) => todo.extend(clause.body.iter().map(Item::Stmt)),
        None => {}
    }
}

/// The statement-level children of `stmt`, in CPython's field order.
fn push_children<'a>(stmt: &'a Stmt, todo: &mut Vec<Item<'a>>) {
    let stmts =
        |todo: &mut Vec<Item<'a>>, body: &'a [Stmt]| todo.extend(body.iter().map(Item::Stmt));
    match stmt {
        Stmt::FunctionDef(f) => stmts(todo, &f.body),
        Stmt::ClassDef(c) => stmts(todo, &c.body),
        Stmt::For(f) => {
            stmts(todo, &f.body);
            stmts(todo, &f.orelse);
        }
        Stmt::While(w) => {
            stmts(todo, &w.body);
            stmts(todo, &w.orelse);
        }
        Stmt::If(i) => {
            stmts(todo, &i.body);
            push_orelse(&i.elif_else_clauses, todo);
        }
        Stmt::With(w) => stmts(todo, &w.body),
        Stmt::Try(t) => {
            stmts(todo, &t.body);
            todo.extend(t.handlers.iter().map(Item::Handler));
            stmts(todo, &t.orelse);
            stmts(todo, &t.finalbody);
        }
        Stmt::Match(m) => todo.extend(m.cases.iter().map(Item::Case)),
        _ => {}
    }
}
