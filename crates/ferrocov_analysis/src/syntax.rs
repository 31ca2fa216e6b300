//! The one place that touches the ruff parser (its API changes between 0.0.x releases): check
//! CPython's nesting limits, parse with the target version's grammar on enough stack, refuse
//! trees too deep to be worth analysing, and keep the tokens and line index we need.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{ModModule, PythonVersion, Stmt};
use ruff_python_parser::{Mode, ParseOptions};
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::prescan::{self, Limit};
use crate::stack::{self, Tree};

/// A token kind with 1-based start and end lines.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub(crate) kind: TokenKind,
    pub(crate) line: u32,
}

/// 1-based line lookups for byte offsets.
pub(crate) struct Lines {
    index: LineIndex,
}

impl Lines {
    pub(crate) fn new(text: &str) -> Self {
        Self {
            index: LineIndex::from_source_text(text),
        }
    }

    /// The 1-based line holding byte `offset`; equals 1 + the number of `\n` before it.
    pub(crate) fn line(&self, offset: TextSize) -> u32 {
        self.index.line_index(offset).get() as u32
    }

    pub(crate) fn start(&self, range: TextRange) -> u32 {
        self.line(range.start())
    }

    /// Python's `lineno` of a statement: for a decorated `def`/`class`, the keyword's line, not
    /// the first decorator's (ruff's range starts at the decorators).
    pub(crate) fn lineno(&self, stmt: &Stmt) -> u32 {
        match stmt {
            Stmt::FunctionDef(f) if !f.decorator_list.is_empty() => self.line(f.name.start()),
            Stmt::ClassDef(c) if !c.decorator_list.is_empty() => self.line(c.name.start()),
            _ => self.start(stmt.range()),
        }
    }

    /// The line of the last character of `range` (Python's `end_lineno`).
    pub(crate) fn end(&self, range: TextRange) -> u32 {
        if range.is_empty() {
            self.line(range.start())
        } else {
            self.line(range.end() - TextSize::from(1))
        }
    }
}

pub(crate) struct Parsed {
    tree: Tree,
    pub(crate) tokens: Vec<Tok>,
    pub(crate) lines: Lines,
}

impl Parsed {
    pub(crate) fn module(&self) -> &ModModule {
        self.tree.module()
    }
}

/// Why a text is not Python this version compiles.
#[derive(Debug)]
pub(crate) enum Failure {
    /// What CPython reports as a SyntaxError (or IndentationError): coverage.py's NotPython.
    Syntax { line: u32, message: String },
    /// Nesting past what CPython's parser or compiler can take: a MemoryError or RecursionError
    /// in CPython, which coverage.py does not catch.
    TooComplex { line: u32, message: String },
}

/// The deepest syntax tree analysed, in nodes of CPython's AST (`Tree::measure`). CPython
/// builds the AST of a file (3.11+) and compiles it (all) only up to a depth: called at the top
/// of the stack with the default recursion limit, the longest `1+1+...`, `a.b.b...`, `f()()...`
/// chain 3.10 and 3.12 take has 2,991 links (a tree 2,994 deep), 3.11's 2,988 (its limit scales
/// with `sys.getrecursionlimit()`), 3.13's 9,994 (9,997 deep); deeper is a RecursionError. Our
/// limits are those rounded up, never below, so no file the running Python takes is refused.
/// (Called deeper in the stack, as coverage.py calls it, CPython's limit is lower. A 3.10/3.11
/// whose recursion limit was raised takes deeper trees, which we still refuse: the constant-table
/// model those versions need is quadratic in a chain's length. Every walk here is stack-safe at
/// any depth, so the limit only bounds time and memory.)
fn max_tree_depth(python: (u8, u8)) -> usize {
    if python >= (3, 13) { 10_000 } else { 3_000 }
}

/// Parse `text` as the given Python version would.
pub(crate) fn parse(text: &str, python: (u8, u8)) -> Result<Parsed, Failure> {
    if u32::try_from(text.len()).is_err() {
        // ruff's offsets are 32-bit.
        return Err(Failure::TooComplex {
            line: 1,
            message: "too large to analyse: 4 GiB or more".to_owned(),
        });
    }
    let lines = Lines::new(text);
    if let Some(nul) = text.find('\0') {
        // CPython refuses the whole text before tokenizing it (a SyntaxError from 3.12 on, with
        // no line; a ValueError before).
        let line = lines.line(TextSize::try_from(nul).unwrap_or_default());
        return Err(syntax(line, "source code string cannot contain null bytes"));
    }
    if let Err(violation) = prescan::check(text, python) {
        let line = violation.line;
        let message = match violation.limit {
            Limit::Brackets => "too many nested parentheses",
            Limit::Indentation => "too many levels of indentation",
            Limit::FStrings => "too many nested f-strings",
            Limit::ParserStack => {
                return Err(Failure::TooComplex {
                    line,
                    message: PARSER_STACK.to_owned(),
                });
            }
        };
        return Err(syntax(line, message));
    }
    let version = PythonVersion {
        major: python.0,
        minor: python.1,
    };
    let options = ParseOptions::from(Mode::Module).with_target_version(version);
    let parsed = stack::guard(|| ruff_python_parser::parse_unchecked(text, options));
    // Everything needed from the parse result is taken before the tree is owned by a `Tree`,
    // whose drop is the only one safe at any depth.
    let first_error = parsed
        .errors()
        .first()
        .map(|err| (lines.start(err.location), err.error.to_string()))
        .or_else(|| {
            parsed
                .unsupported_syntax_errors()
                .first()
                .map(|err| (lines.start(err.range()), err.to_string()))
        });
    let tokens = parsed
        .tokens()
        .iter()
        .map(|t| Tok {
            kind: t.kind(),
            line: lines.start(t.range()),
        })
        .collect();
    let Some(module) = parsed.try_into_module() else {
        return Err(syntax(1, "not a module"));
    };
    let mut tree = Tree::new(module.into_syntax());
    if let Some((line, message)) = first_error {
        return Err(Failure::Syntax { line, message });
    }
    if let Err(offset) = tree.measure(max_tree_depth(python)) {
        let message = if python < (3, 11) {
            "maximum recursion depth exceeded during compilation"
        } else {
            "maximum recursion depth exceeded during ast construction"
        };
        return Err(Failure::TooComplex {
            line: lines.line(offset),
            message: message.to_owned(),
        });
    }
    if let Some((line, message)) = future_import_error(&tree.module().body, &lines) {
        return Err(Failure::Syntax { line, message });
    }
    Ok(Parsed {
        tree,
        tokens,
        lines,
    })
}

/// Every token of `text` with its byte range, for highlighting: the parser's tokens, so soft
/// keywords (`match`, `case`, `type`) are keywords only where the grammar made them so. Only
/// for text [`parse`] accepted (its nesting is known to be bounded).
pub(crate) fn token_spans(text: &str, python: (u8, u8)) -> Vec<(TokenKind, usize, usize)> {
    let version = PythonVersion {
        major: python.0,
        minor: python.1,
    };
    let options = ParseOptions::from(Mode::Module).with_target_version(version);
    let parsed = stack::guard(|| ruff_python_parser::parse_unchecked(text, options));
    let spans = parsed
        .tokens()
        .iter()
        .map(|t| (t.kind(), t.start().to_usize(), t.end().to_usize()))
        .collect();
    // The tree is dropped through `Tree`, the only drop safe at any depth.
    if let Some(module) = parsed.try_into_module() {
        drop(Tree::new(module.into_syntax()));
    }
    spans
}

/// CPython 3.12's words for its parser's stack overflow (3.10/3.11 raise a bare MemoryError).
const PARSER_STACK: &str = "Parser stack overflowed - Python source too complex to parse";

fn syntax(line: u32, message: &str) -> Failure {
    Failure::Syntax {
        line,
        message: message.to_owned(),
    }
}

/// The compile-time errors CPython raises for `from __future__ import ...` that the parser
/// accepts: misplaced imports, unknown features, and `braces`.
fn future_import_error(body: &[Stmt], lines: &Lines) -> Option<(u32, String)> {
    const FEATURES: [&str; 10] = [
        "nested_scopes",
        "generators",
        "division",
        "absolute_import",
        "with_statement",
        "print_function",
        "unicode_literals",
        "barry_as_FLUFL",
        "generator_stop",
        "annotations",
    ];
    let mut leading = true;
    for (i, stmt) in body.iter().enumerate() {
        let is_docstring = i == 0
            && matches!(stmt, Stmt::Expr(e) if matches!(*e.value, ruff_python_ast::Expr::StringLiteral(_)));
        match stmt {
            Stmt::ImportFrom(imp)
                if imp
                    .module
                    .as_ref()
                    .is_some_and(|m| m.as_str() == "__future__")
                    && imp.level == 0 =>
            {
                let line = lines.start(imp.range());
                if !leading {
                    return Some((
                        line,
                        "from __future__ imports must occur at the beginning of the file"
                            .to_owned(),
                    ));
                }
                for alias in &imp.names {
                    let name = alias.name.as_str();
                    if name == "braces" {
                        return Some((line, "not a chance".to_owned()));
                    }
                    if !FEATURES.contains(&name) {
                        return Some((line, format!("future feature {name} is not defined")));
                    }
                }
            }
            _ if is_docstring => {}
            _ => leading = false,
        }
    }
    None
}
