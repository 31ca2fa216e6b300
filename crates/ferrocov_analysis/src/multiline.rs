//! coverage.py's multi-line map: every line of a logical line that spans several physical lines
//! maps to the line of its first token.

use std::collections::BTreeMap;

use ruff_python_ast::token::TokenKind;

use crate::syntax::Parsed;

/// Is this token ignored when looking for a statement's first token?
pub(crate) fn is_trivia(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Comment
            | TokenKind::NonLogicalNewline
            | TokenKind::Newline
            | TokenKind::Indent
            | TokenKind::Dedent
            | TokenKind::EndOfFile
    )
}

pub(crate) fn multiline_map(parsed: &Parsed) -> BTreeMap<u32, u32> {
    let mut map = BTreeMap::new();
    let mut first = 0u32;
    for tok in &parsed.tokens {
        if tok.kind == TokenKind::Newline {
            if first != 0 && tok.line != first {
                for line in first..=tok.line {
                    map.insert(line, first);
                }
            }
            first = 0;
        } else if !is_trivia(tok.kind) && first == 0 {
            first = tok.line;
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(src: &str) -> Vec<(u32, u32)> {
        let parsed = crate::syntax::parse(src, (3, 12)).unwrap();
        multiline_map(&parsed).into_iter().collect()
    }

    #[test]
    fn brackets_strings_and_backslashes() {
        assert_eq!(map("x = (1,\n  2)\ny = 3\n"), vec![(1, 1), (2, 1)]);
        assert_eq!(map("s = '''a\nb\nc'''\n"), vec![(1, 1), (2, 1), (3, 1)]);
        assert_eq!(map("x = 1 + \\\n  2\n"), vec![(1, 1), (2, 1)]);
        assert_eq!(map("x = 1\n"), vec![]);
    }

    #[test]
    fn comments_and_headers() {
        // A comment line before the statement doesn't start it; a compound header's colon ends it.
        assert_eq!(
            map("# c\nif (a and\n    b):  # x\n    pass\n"),
            vec![(2, 2), (3, 2)]
        );
        assert_eq!(
            map("def f(\n    a,\n):\n    pass\n"),
            vec![(1, 1), (2, 1), (3, 1)]
        );
    }
}
