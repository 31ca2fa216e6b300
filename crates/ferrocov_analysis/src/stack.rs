//! Stack safety for whatever walks the syntax tree: each step of a recursive walk gets enough
//! stack on any thread (a fresh heap segment when the caller's runs low), the tree's depth is
//! measured without recursion, and a deep tree is dropped without it, so no nesting overflows.

use std::cell::RefCell;

use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::visitor::transformer::{self, Transformer};
use ruff_python_ast::{
    AnyNodeRef, AtomicNodeIndex, Expr, ExprNoneLiteral, ModModule, Pattern, PatternMatchStar, Stmt,
    StmtPass,
};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// Stack one step of any walk here may use before its next check, with room to spare for debug
/// builds' large frames.
const RED_ZONE: usize = 256 * 1024;
/// The size of each segment added when the stack runs low.
const SEGMENT: usize = 4 * 1024 * 1024;

/// Run `f`, one step of a recursive walk, with at least `RED_ZONE` bytes of stack.
#[inline]
pub(crate) fn guard<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

/// How deep a tree is, counting the nodes CPython's AST has too, the module being 1 (as CPython's
/// AST construction and compiler count their recursion); or, past `limit`, the start of the first
/// node found that deep (the measure stops there).
fn depth_of(module: &ModModule, limit: usize) -> Result<usize, TextSize> {
    let mut pending: Vec<(AnyNodeRef<'_>, usize)> = vec![(AnyNodeRef::from(module), 1)];
    let mut children = Children::default();
    let mut deepest = 0;
    while let Some((node, depth)) = pending.pop() {
        if depth > limit {
            return Err(node.start());
        }
        deepest = deepest.max(depth);
        node.visit_source_order(&mut children);
        pending.extend(
            children
                .found
                .drain(..)
                .map(|child| (child, depth + usize::from(in_cpython_ast(child)))),
        );
    }
    Ok(deepest)
}

/// Is there a node of CPython's AST here? ruff adds wrappers CPython has not (a call's
/// `Arguments`, `ParameterWithDefault`, decorators, f-string parts, identifiers): they don't
/// count, so that a tree CPython takes is not refused for them.
fn in_cpython_ast(node: AnyNodeRef<'_>) -> bool {
    !matches!(
        node,
        AnyNodeRef::Arguments(_)
            | AnyNodeRef::ParameterWithDefault(_)
            | AnyNodeRef::PatternArguments(_)
            | AnyNodeRef::PatternKeyword(_)
            | AnyNodeRef::Decorator(_)
            | AnyNodeRef::TypeParams(_)
            | AnyNodeRef::FString(_)
            | AnyNodeRef::TString(_)
            | AnyNodeRef::StringLiteral(_)
            | AnyNodeRef::BytesLiteral(_)
            | AnyNodeRef::Identifier(_)
    )
}

/// Collects the direct children of one node without descending into them.
#[derive(Default)]
struct Children<'a> {
    found: Vec<AnyNodeRef<'a>>,
}

impl<'a> SourceOrderVisitor<'a> for Children<'a> {
    fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
        self.found.push(node);
        TraversalSignal::Skip
    }
}

/// A parsed module whose drop is safe at any depth: the compiler-generated drop of a `Box<Expr>`
/// chain recurses once per level and would overflow the stack on its own.
pub(crate) struct Tree {
    module: ModModule,
    /// Depth as `depth_of` counts it; `usize::MAX` until measured or when past the limit.
    depth: usize,
}

/// Trees up to this deep are dropped the ordinary way, on a stack with room for it: each level
/// of CPython's AST is at most a few drop frames (ruff's wrappers included), far under the
/// `DROP_RED_ZONE / SHALLOW` bytes it gets even in debug builds. Deeper ones are taken apart
/// one node at a time, which is slower but needs no stack.
const SHALLOW: usize = 200;
const DROP_RED_ZONE: usize = 2 * 1024 * 1024;

impl Tree {
    pub(crate) fn new(module: ModModule) -> Self {
        Self {
            module,
            depth: usize::MAX,
        }
    }

    pub(crate) fn module(&self) -> &ModModule {
        &self.module
    }

    /// Measure the tree (without recursion); past `limit`, the start of the first node found
    /// that deep.
    pub(crate) fn measure(&mut self, limit: usize) -> Result<(), TextSize> {
        let depth = depth_of(&self.module, limit)?;
        self.depth = depth;
        Ok(())
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let body = std::mem::take(&mut self.module.body);
        if self.depth <= SHALLOW {
            stacker::maybe_grow(DROP_RED_ZONE, SEGMENT, || drop(body));
        } else {
            let detached = Detached::default();
            detached.stmts.borrow_mut().extend(body);
            detached.drain();
        }
    }
}

/// Statements, expressions and patterns cut from their parents, to be dropped one at a time:
/// each is emptied of its children (replaced by leaves) before it is dropped, so every drop is
/// shallow. Only the structures between them (arguments, parameters, f-string parts) are
/// dropped the ordinary way, and their nesting is bounded by the bracket limit.
#[derive(Default)]
struct Detached {
    stmts: RefCell<Vec<Stmt>>,
    exprs: RefCell<Vec<Expr>>,
    patterns: RefCell<Vec<Pattern>>,
}

impl Detached {
    fn drain(&self) {
        loop {
            let stmt = self.stmts.borrow_mut().pop();
            if let Some(mut stmt) = stmt {
                transformer::walk_stmt(self, &mut stmt);
                continue;
            }
            let expr = self.exprs.borrow_mut().pop();
            if let Some(mut expr) = expr {
                transformer::walk_expr(self, &mut expr);
                continue;
            }
            let pattern = self.patterns.borrow_mut().pop();
            if let Some(mut pattern) = pattern {
                transformer::walk_pattern(self, &mut pattern);
                continue;
            }
            break;
        }
    }
}

impl Transformer for Detached {
    fn visit_stmt(&self, stmt: &mut Stmt) {
        let leaf = Stmt::Pass(StmtPass {
            range: TextRange::default(),
            node_index: AtomicNodeIndex::NONE,
        });
        self.stmts.borrow_mut().push(std::mem::replace(stmt, leaf));
    }

    fn visit_expr(&self, expr: &mut Expr) {
        let leaf = Expr::NoneLiteral(ExprNoneLiteral::default());
        self.exprs.borrow_mut().push(std::mem::replace(expr, leaf));
    }

    fn visit_pattern(&self, pattern: &mut Pattern) {
        let leaf = Pattern::MatchStar(PatternMatchStar {
            range: TextRange::default(),
            node_index: AtomicNodeIndex::NONE,
            name: None,
        });
        self.patterns
            .borrow_mut()
            .push(std::mem::replace(pattern, leaf));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::{Mode, ParseOptions};

    fn parse(src: &str) -> Tree {
        let parsed = ruff_python_parser::parse_unchecked(src, ParseOptions::from(Mode::Module));
        Tree::new(parsed.try_into_module().expect("a module").into_syntax())
    }

    fn deeper_than(tree: &Tree, limit: usize) -> Option<TextSize> {
        depth_of(tree.module(), limit).err()
    }

    /// Run `f` on a thread with a small stack: recursion anywhere in it would overflow.
    fn on_small_stack(f: impl FnOnce() + Send + 'static) {
        std::thread::Builder::new()
            .stack_size(128 * 1024)
            .spawn(f)
            .expect("thread")
            .join()
            .expect("no panic");
    }

    #[test]
    fn depth_counts_nesting() {
        let tree = parse("x = -(-1)\n");
        // Module, Assign, UnaryOp, UnaryOp, NumberLiteral.
        assert!(deeper_than(&tree, 5).is_none());
        assert_eq!(deeper_than(&tree, 4), Some(TextSize::from(7)));
        // Call arguments are no level of CPython's AST: Module, Expr, Call, Call, Name.
        let tree = parse("f(g(x))\n");
        assert!(deeper_than(&tree, 5).is_none());
        assert!(deeper_than(&tree, 4).is_some());
    }

    #[test]
    fn shallow_and_deep_trees_drop_on_a_small_stack() {
        for n in [SHALLOW - 10, SHALLOW + 10, 30_000] {
            let src = format!("x = a{}\ny = f({})\n", ".b".repeat(n), "1, ".repeat(n));
            let mut tree = parse(&src);
            tree.measure(100_000).expect("under the limit");
            assert_eq!(tree.depth, n + 3);
            on_small_stack(move || drop(tree));
        }
    }

    #[test]
    fn deep_chains_measure_and_drop_on_a_small_stack() {
        let src = format!(
            "x = a{}\ny = {}1\n",
            ".b".repeat(50_000),
            "1+".repeat(50_000)
        );
        let tree = parse(&src);
        on_small_stack(move || {
            assert!(deeper_than(&tree, 40_000).is_some());
            assert!(deeper_than(&tree, 60_000).is_none());
            drop(tree);
        });
    }

    #[test]
    fn guard_grows_the_stack() {
        fn down(n: u32) -> u32 {
            // A frame of a few KiB per level: 1,000 levels need far more than the thread has.
            let buffer = std::hint::black_box([n as u8; 4096]);
            if n == 0 {
                0
            } else {
                guard(|| down(n - 1)) + u32::from(buffer[4095] == n as u8)
            }
        }
        on_small_stack(|| assert_eq!(down(1000), 1000));
    }
}
