//! Source lines split into classed tokens for the HTML report, one entry per physical line: the
//! text each line shows (tabs expanded to 8 columns, trailing blanks outside tokens dropped) and
//! the token class of each piece, named as coverage.py's report names them (`key`, `nam`, `op`,
//! `num`, `str`, `com`, `fst`, `tst`), so a page can be checked against coverage.py's.

use ruff_python_ast::token::TokenKind;

use crate::syntax;

/// One piece of a line: its class (`None` for plain whitespace) and its text.
pub type TokenPiece = (Option<&'static str>, String);

/// The pieces of each line of `text` (newlines normalised to `\n`), as the given Python version
/// tokenizes it: line N of the result is line N of the text. Text the parser rejects still gets
/// its lines, classed as far as the tokens go.
pub fn source_token_lines(text: &str, python: (u8, u8)) -> Vec<Vec<TokenPiece>> {
    let spans = merged_spans(text, python);
    let mut lines = LineBuilder::default();
    let mut cursor = 0;
    for (class, start, end) in spans {
        if start < cursor {
            continue;
        }
        lines.push(None, &text[cursor..start]);
        lines.push(Some(class), &text[start..end]);
        cursor = end;
    }
    lines.push(None, &text[cursor..]);
    lines.finish()
}

/// The classed spans in order. Before 3.12 an f-string is one STRING token to Python's
/// tokenizer, so its parts are merged into one `str` span there.
fn merged_spans(text: &str, python: (u8, u8)) -> Vec<(&'static str, usize, usize)> {
    let tokens = syntax::token_spans(text, python);
    let mut spans = Vec::with_capacity(tokens.len());
    let mut line_start = true;
    let mut i = 0;
    while i < tokens.len() {
        let (kind, start, end) = tokens[i];
        i += 1;
        if matches!(
            kind,
            TokenKind::Newline | TokenKind::NonLogicalNewline | TokenKind::EndOfFile
        ) {
            line_start = true;
            continue;
        }
        if matches!(kind, TokenKind::Indent | TokenKind::Dedent) || start == end {
            continue;
        }
        if python < (3, 12) && kind == TokenKind::FStringStart {
            let mut depth = 1;
            let mut last = end;
            while i < tokens.len() && depth > 0 {
                let (k, _, e) = tokens[i];
                match k {
                    TokenKind::FStringStart => depth += 1,
                    TokenKind::FStringEnd => depth -= 1,
                    _ => {}
                }
                last = e;
                i += 1;
            }
            spans.push(("str", start, last));
            line_start = false;
            continue;
        }
        let class = class_of(kind, line_start);
        // A token may span lines (a long string): only its first piece starts where its line does.
        line_start = false;
        if matches!(kind, TokenKind::FStringMiddle | TokenKind::TStringMiddle) {
            split_at_escaped_braces(text, class, start, end, &mut spans);
        } else {
            spans.push((class, start, end));
        }
    }
    spans
}

/// Python's tokenizer ends the literal part of an f-string after each escaped brace (`{{`,
/// `}}`), so one literal is several tokens there.
fn split_at_escaped_braces(
    text: &str,
    class: &'static str,
    start: usize,
    end: usize,
    spans: &mut Vec<(&'static str, usize, usize)>,
) {
    let bytes = text.as_bytes();
    let mut piece = start;
    let mut i = start;
    while i + 1 < end {
        if (bytes[i] == b'{' || bytes[i] == b'}') && bytes[i + 1] == bytes[i] {
            spans.push((class, piece, i + 2));
            piece = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    if piece < end {
        spans.push((class, piece, end));
    }
}

/// The class Python's tokenizer gives a token (the first three letters of its name), `key` for
/// keywords; soft keywords only count at the start of their line, as coverage.py marks them.
fn class_of(kind: TokenKind, line_start: bool) -> &'static str {
    match kind {
        k if k.is_soft_keyword() => {
            if line_start {
                "key"
            } else {
                "nam"
            }
        }
        k if k.is_keyword() => "key",
        TokenKind::Name => "nam",
        TokenKind::Int | TokenKind::Float | TokenKind::Complex => "num",
        TokenKind::String => "str",
        TokenKind::FStringStart | TokenKind::FStringMiddle | TokenKind::FStringEnd => "fst",
        TokenKind::TStringStart | TokenKind::TStringMiddle | TokenKind::TStringEnd => "tst",
        TokenKind::Comment => "com",
        TokenKind::Unknown => "err",
        _ => "op",
    }
}

/// Splits pieces into lines, expanding tabs and dropping blanks that end a line outside a token.
#[derive(Default)]
struct LineBuilder {
    lines: Vec<Vec<TokenPiece>>,
    current: Vec<TokenPiece>,
    column: usize,
}

impl LineBuilder {
    fn push(&mut self, class: Option<&'static str>, text: &str) {
        let mut parts = text.split('\n');
        if let Some(first) = parts.next() {
            self.add(class, first);
        }
        for part in parts {
            self.end_line();
            self.add(class, part);
        }
    }

    fn add(&mut self, class: Option<&'static str>, text: &str) {
        if text.is_empty() {
            return;
        }
        let text = text.strip_suffix('\r').unwrap_or(text);
        let mut expanded = String::with_capacity(text.len());
        for c in text.chars() {
            if c == '\t' {
                let spaces = 8 - self.column % 8;
                expanded.extend(std::iter::repeat_n(' ', spaces));
                self.column += spaces;
            } else {
                expanded.push(c);
                self.column += 1;
            }
        }
        // A backslash continuing a line is outside every token: coverage.py adds a token of
        // its own for it, of a type Python's tokenizer has no name for (`xx`).
        let class = match class {
            None if expanded.trim_end().ends_with('\\') => {
                if let Some(at) = expanded.rfind('\\') {
                    let (blank, slash) = expanded.split_at(at);
                    if !blank.is_empty() {
                        self.current.push((None, blank.to_owned()));
                    }
                    self.current.push((Some("xx"), slash.trim_end().to_owned()));
                    return;
                }
                None
            }
            other => other,
        };
        self.current.push((class, expanded));
    }

    fn end_line(&mut self) {
        while let Some((None, text)) = self.current.last_mut() {
            let kept = text.trim_end().len();
            if kept == 0 {
                self.current.pop();
            } else {
                text.truncate(kept);
                break;
            }
        }
        self.lines.push(std::mem::take(&mut self.current));
        self.column = 0;
    }

    fn finish(mut self) -> Vec<Vec<TokenPiece>> {
        if !self.current.is_empty() {
            self.end_line();
        }
        self.lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(lines: &[Vec<TokenPiece>]) -> Vec<String> {
        lines
            .iter()
            .map(|line| {
                line.iter()
                    .map(|(class, text)| match class {
                        Some(c) => format!("<{c}>{text}"),
                        None => text.clone(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn classes_and_whitespace() {
        let lines = source_token_lines("def f(a):  \n\treturn a + 1  # done\n\n", (3, 12));
        assert_eq!(
            shown(&lines),
            [
                "<key>def <nam>f<op>(<nam>a<op>)<op>:",
                "        <key>return <nam>a <op>+ <num>1  <com># done",
                "",
            ]
        );
    }

    #[test]
    fn strings_across_lines_keep_their_blanks() {
        let lines = source_token_lines("x = '''a  \n  b'''\ny = 1 + \\\n    2\n", (3, 12));
        assert_eq!(
            shown(&lines),
            [
                "<nam>x <op>= <str>'''a  ",
                "<str>  b'''",
                "<nam>y <op>= <num>1 <op>+ <xx>\\",
                "    <num>2",
            ]
        );
    }

    #[test]
    fn soft_keywords_and_fstrings_by_version() {
        let src = "match x:\n    case 1:\n        match = f'{x}!'\n";
        let on_312 = shown(&source_token_lines(src, (3, 12)));
        assert_eq!(on_312[0], "<key>match <nam>x<op>:");
        assert_eq!(on_312[1], "    <key>case <num>1<op>:");
        assert_eq!(
            on_312[2],
            "        <nam>match <op>= <fst>f'<op>{<nam>x<op>}<fst>!<fst>'"
        );
        let braces = shown(&source_token_lines("f'a {{b}} {c}'\n", (3, 12)));
        assert_eq!(
            braces[0],
            "<fst>f'<fst>a {{<fst>b}}<fst> <op>{<nam>c<op>}<fst>'"
        );
        let on_311 = shown(&source_token_lines(src, (3, 11)));
        assert_eq!(on_311[2], "        <nam>match <op>= <str>f'{x}!'");
    }
}
