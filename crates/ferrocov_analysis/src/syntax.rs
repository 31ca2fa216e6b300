//! The one place that touches the ruff parser (its API changes between 0.0.x releases):
//! parse with the target version's grammar, and keep the tokens and line index we need.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{ModModule, PythonVersion, Stmt};
use ruff_python_parser::{Mode, ParseOptions};
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextRange, TextSize};

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
    pub(crate) module: ModModule,
    pub(crate) tokens: Vec<Tok>,
    pub(crate) lines: Lines,
}

/// Parse `text` as the given Python version would. Errs with (line, message).
pub(crate) fn parse(text: &str, python: (u8, u8)) -> Result<Parsed, (u32, String)> {
    let version = PythonVersion {
        major: python.0,
        minor: python.1,
    };
    let options = ParseOptions::from(Mode::Module).with_target_version(version);
    let parsed = ruff_python_parser::parse_unchecked(text, options);
    let lines = Lines::new(text);
    if let Some(err) = parsed.errors().first() {
        return Err((lines.start(err.location), err.error.to_string()));
    }
    if let Some(err) = parsed.unsupported_syntax_errors().first() {
        return Err((lines.start(err.range()), err.to_string()));
    }
    let tokens = parsed
        .tokens()
        .iter()
        .map(|t| Tok {
            kind: t.kind(),
            line: lines.start(t.range()),
        })
        .collect();
    let module_ref = parsed.syntax().as_module();
    if let Some(module) = module_ref
        && let Some(err) = future_import_error(&module.body, &lines)
    {
        return Err(err);
    }
    let module = parsed
        .try_into_module()
        .ok_or((1, "not a module".to_owned()))?
        .into_syntax();
    Ok(Parsed {
        module,
        tokens,
        lines,
    })
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
