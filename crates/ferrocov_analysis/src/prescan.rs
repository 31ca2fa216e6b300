//! CPython's nesting limits, checked in one linear pass over the text before the parser sees it:
//! bracket depth, indentation depth, f-string nesting, and operator chains long enough that
//! CPython's parser stack must overflow. No recursion, so any text is safe here; what passes
//! bounds how deep the parser can recurse.
//!
//! The pass is a small tokenizer: it knows comments, strings (f-strings with their replacement
//! fields, as 3.12 tokenizes them), brackets, line continuations and indentation, and classifies
//! operators just enough to follow chains. Anything else it leaves to the parser.

mod chains;

use chains::{After, Chains};

/// The limits of CPython's tokenizer and parser (`Parser/tokenizer.h`, `Parser/parser.c`), the
/// same on 3.10-3.13.
const MAX_LEVEL: usize = 200;
const MAX_INDENT: usize = 100;
const MAX_FSTRING_LEVEL: usize = 150;
pub(crate) const MAX_STACK: u32 = 6000;

/// A limit the text goes past, and the line where it first does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Violation {
    pub(crate) line: u32,
    pub(crate) limit: Limit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    /// More than 200 open brackets: SyntaxError `too many nested parentheses`.
    Brackets,
    /// A 100th indentation level: IndentationError `too many levels of indentation`.
    Indentation,
    /// 3.12+: more than 150 nested f-strings: SyntaxError `too many nested f-strings`.
    FStrings,
    /// A chain of right-recursive constructs longer than the parser stack: MemoryError.
    ParserStack,
}

/// Check `text` against CPython's limits as the given Python version applies them.
pub(crate) fn check(text: &str, python: (u8, u8)) -> Result<(), Violation> {
    Scanner::new(text.as_bytes(), python).run()
}

/// Where the scanner is: plain code (at top level or inside an f-string's replacement field), an
/// f-string's literal text, or a replacement field's format spec.
#[derive(Clone, Copy)]
enum Mode {
    /// `field` is the bracket depth just inside the `{` of the replacement field this code is in.
    Code {
        field: Option<usize>,
    },
    FString {
        quote: u8,
        triple: bool,
        raw: bool,
    },
    /// Also the quote of the f-string, which ends it even here when the field is unterminated.
    FormatSpec {
        quote: u8,
        triple: bool,
    },
}

struct Scanner<'t> {
    text: &'t [u8],
    pos: usize,
    line: u32,
    python: (u8, u8),
    modes: Vec<Mode>,
    /// Open brackets (replacement fields included), and for each, the chain total outside it.
    depth: usize,
    bases: Vec<u32>,
    chains: Chains,
    /// The chains of each enclosing bracket level.
    saved_chains: Vec<Chains>,
    /// CPython's count of open brackets, which on 3.10/3.11 restarts inside each f-string
    /// replacement field (its expression is compiled on its own, in parentheses).
    level: usize,
    saved_levels: Vec<usize>,
    fstrings: usize,
    /// Indentation columns of the open blocks.
    indents: Vec<usize>,
    at_line_start: bool,
    /// The previous token ends an operand (a name, literal or closing bracket).
    after_operand: bool,
    /// The previous token is `is` (so `not` is part of `is not`).
    after_is: bool,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t [u8], python: (u8, u8)) -> Self {
        Self {
            text,
            pos: 0,
            line: 1,
            python,
            modes: vec![Mode::Code { field: None }],
            depth: 0,
            bases: Vec::new(),
            chains: Chains::default(),
            saved_chains: Vec::new(),
            level: 0,
            saved_levels: Vec::new(),
            fstrings: 0,
            indents: Vec::new(),
            at_line_start: true,
            after_operand: false,
            after_is: false,
        }
    }

    fn fail(&self, limit: Limit) -> Result<(), Violation> {
        Err(Violation {
            line: self.line,
            limit,
        })
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.text.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn run(mut self) -> Result<(), Violation> {
        while self.pos < self.text.len() {
            match *self.modes.last().expect("a mode") {
                Mode::Code { field } => self.code(field)?,
                Mode::FString { quote, triple, raw } => self.fstring_text(quote, triple, raw)?,
                Mode::FormatSpec { quote, triple } => self.format_spec(quote, triple)?,
            }
        }
        Ok(())
    }

    /// One token (or run of blanks) of code.
    fn code(&mut self, field: Option<usize>) -> Result<(), Violation> {
        if self.at_line_start && self.depth == 0 {
            return self.indentation();
        }
        let c = self.peek(0);
        match c {
            b' ' | b'\t' | b'\x0c' | b'\r' => self.pos += 1,
            b'\n' => {
                self.pos += 1;
                self.line += 1;
                if self.depth == 0 {
                    self.at_line_start = true;
                    self.new_logical_line();
                }
            }
            b'\\' if self.peek(1) == b'\n' => {
                self.pos += 2;
                self.line += 1;
            }
            b'#' => {
                while self.pos < self.text.len() && self.peek(0) != b'\n' {
                    self.pos += 1;
                }
            }
            b'\'' | b'"' => self.string(c, "")?,
            b'0'..=b'9' => self.number(),
            b'.' if self.peek(1).is_ascii_digit() => self.number(),
            b'.' => {
                let dots = if self.peek(1) == b'.' && self.peek(2) == b'.' {
                    3
                } else {
                    1
                };
                self.pos += dots;
                // `...` is an operand; an attribute dot keeps the operand going.
                self.after_operand = true;
            }
            c if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => self.word()?,
            b'(' | b'[' | b'{' => self.open()?,
            b'}' if field == Some(self.depth) => self.close_field(),
            b')' | b']' | b'}' => self.close(),
            b':' if field == Some(self.depth) => {
                // A `:` at the top of a replacement field starts its format spec (even `:=`).
                self.pos += 1;
                let (quote, triple) = self.enclosing_quote();
                *self.modes.last_mut().expect("a mode") = Mode::FormatSpec { quote, triple };
            }
            _ => self.operator()?,
        }
        Ok(())
    }

    /// Leading blanks of a line: a blank or comment-only line is ignored; otherwise the column
    /// opens or closes indentation levels.
    fn indentation(&mut self) -> Result<(), Violation> {
        let mut column = 0;
        while self.pos < self.text.len() {
            match self.peek(0) {
                b' ' => column += 1,
                b'\t' => column = (column / 8 + 1) * 8,
                b'\x0c' => column = 0,
                _ => break,
            }
            self.pos += 1;
        }
        self.at_line_start = false;
        match self.peek(0) {
            b'\n' | b'#' | b'\r' | 0 => return Ok(()),
            _ => {}
        }
        let current = self.indents.last().copied().unwrap_or(0);
        if column > current {
            if self.indents.len() + 1 >= MAX_INDENT {
                return self.fail(Limit::Indentation);
            }
            self.indents.push(column);
        } else {
            while self.indents.last().is_some_and(|&c| c > column) {
                self.indents.pop();
            }
        }
        Ok(())
    }

    fn new_logical_line(&mut self) {
        self.chains = Chains::default();
        self.after_operand = false;
        self.after_is = false;
    }

    fn number(&mut self) {
        let start = self.pos;
        let radix = self.peek(0) == b'0' && matches!(self.peek(1) | 0x20, b'x' | b'o' | b'b');
        while self.pos < self.text.len() {
            let c = self.peek(0);
            let exponent_sign = !radix
                && matches!(c, b'+' | b'-')
                && self.pos > start
                && matches!(self.text[self.pos - 1], b'e' | b'E');
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exponent_sign {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.operand();
    }

    fn operand(&mut self) {
        self.after_operand = true;
        self.after_is = false;
    }

    /// A name or keyword, or the prefix of a string.
    fn word(&mut self) -> Result<(), Violation> {
        let start = self.pos;
        while self.pos < self.text.len() {
            let c = self.peek(0);
            if c == b'_' || c.is_ascii_alphanumeric() || c >= 0x80 {
                self.pos += 1;
            } else {
                break;
            }
        }
        let word = &self.text[start..self.pos];
        let quote = self.peek(0);
        if matches!(quote, b'\'' | b'"') && is_string_prefix(word) {
            let prefix = std::str::from_utf8(word).unwrap_or("");
            return self.string(quote, prefix);
        }
        let after = self.chains.word(word, self.after_operand, self.after_is);
        self.after_operand = after == After::Operand;
        self.after_is = after == After::Is;
        self.check_chains()
    }

    fn check_chains(&self) -> Result<(), Violation> {
        let base = self.bases.last().copied().unwrap_or(0);
        if base + self.chains.total() > MAX_STACK {
            return self.fail(Limit::ParserStack);
        }
        Ok(())
    }

    fn open(&mut self) -> Result<(), Violation> {
        self.pos += 1;
        self.push_level()?;
        self.after_operand = false;
        self.after_is = false;
        Ok(())
    }

    /// One more open bracket (or replacement field): the chains so far stay pending inside it,
    /// and the bracket is itself a level of the parser.
    fn push_level(&mut self) -> Result<(), Violation> {
        self.depth += 1;
        self.level += 1;
        if self.level > MAX_LEVEL {
            return self.fail(Limit::Brackets);
        }
        let base = self.bases.last().copied().unwrap_or(0) + self.chains.total() + 1;
        self.bases.push(base);
        self.saved_chains.push(self.chains);
        self.chains = Chains::default();
        self.check_chains()
    }

    fn close(&mut self) {
        self.pos += 1;
        self.pop_level();
        self.operand();
    }

    fn pop_level(&mut self) {
        if self.depth == 0 {
            // An unmatched closing bracket: the parser reports it.
            return;
        }
        self.depth -= 1;
        self.level = self.level.saturating_sub(1);
        self.bases.pop();
        self.chains = self.saved_chains.pop().unwrap_or_default();
    }

    /// The `}` that ends a replacement field: back to the f-string's text.
    fn close_field(&mut self) {
        self.pos += 1;
        self.end_field();
    }

    fn end_field(&mut self) {
        self.pop_level();
        if let Some(level) = self.saved_levels.pop() {
            self.level = level;
        }
        self.pop_mode();
    }

    /// The quote of the innermost f-string.
    fn enclosing_quote(&self) -> (u8, bool) {
        self.modes
            .iter()
            .rev()
            .find_map(|m| match *m {
                Mode::FString { quote, triple, .. } | Mode::FormatSpec { quote, triple } => {
                    Some((quote, triple))
                }
                Mode::Code { .. } => None,
            })
            .unwrap_or((b'"', false))
    }

    /// Back to the enclosing mode; the outermost code never ends, however unbalanced the text.
    fn pop_mode(&mut self) {
        if self.modes.len() > 1 {
            self.modes.pop();
        }
    }

    fn operator(&mut self) -> Result<(), Violation> {
        let len = chains::operator_len(&self.text[self.pos..]);
        let op = &self.text[self.pos..self.pos + len];
        self.pos += len;
        self.chains.operator(op, self.after_operand);
        self.after_operand = false;
        self.after_is = false;
        self.check_chains()
    }

    /// A string starting at the quote at `self.pos`, after `prefix`.
    fn string(&mut self, quote: u8, prefix: &str) -> Result<(), Violation> {
        let lower = prefix.to_ascii_lowercase();
        let raw = lower.contains('r');
        let triple = self.peek(1) == quote && self.peek(2) == quote;
        self.pos += if triple { 3 } else { 1 };
        if lower.contains('f') || lower.contains('t') {
            self.fstrings += 1;
            if self.python >= (3, 12) && self.fstrings >= MAX_FSTRING_LEVEL {
                return self.fail(Limit::FStrings);
            }
            self.modes.push(Mode::FString { quote, triple, raw });
            return Ok(());
        }
        while self.pos < self.text.len() {
            let c = self.peek(0);
            if c == b'\\' {
                if self.peek(1) == b'\n' {
                    self.line += 1;
                }
                self.pos += 2;
            } else if c == quote && (!triple || self.peek(1) == quote && self.peek(2) == quote) {
                self.pos += if triple { 3 } else { 1 };
                break;
            } else if c == b'\n' {
                self.line += 1;
                self.pos += 1;
                if !triple {
                    // Unterminated: the parser reports it.
                    self.at_line_start = self.depth == 0;
                    if self.depth == 0 {
                        self.new_logical_line();
                    }
                    return Ok(());
                }
            } else {
                self.pos += 1;
            }
        }
        self.operand();
        Ok(())
    }

    /// The literal text of an f-string, up to a replacement field or the closing quote.
    fn fstring_text(&mut self, quote: u8, triple: bool, raw: bool) -> Result<(), Violation> {
        let c = self.peek(0);
        match c {
            b'\\' => {
                let next = self.peek(1);
                if !raw && next == b'N' && self.peek(2) == b'{' {
                    // `\N{NAME}` is an escape, not a replacement field.
                    while self.pos < self.text.len() && self.peek(0) != b'}' {
                        self.pos += 1;
                    }
                    self.pos += 1;
                } else if matches!(next, b'{' | b'}') {
                    self.pos += 1;
                } else {
                    if next == b'\n' {
                        self.line += 1;
                    }
                    self.pos += 2;
                }
            }
            b'{' | b'}' if self.peek(1) == c => self.pos += 2,
            b'{' => {
                self.pos += 1;
                self.open_field()?;
            }
            b'\n' => {
                self.pos += 1;
                self.line += 1;
                if !triple {
                    // Unterminated: the parser reports it.
                    self.end_fstring();
                }
            }
            c if c == quote && (!triple || self.peek(1) == quote && self.peek(2) == quote) => {
                self.pos += if triple { 3 } else { 1 };
                self.end_fstring();
            }
            _ => self.pos += 1,
        }
        Ok(())
    }

    fn end_fstring(&mut self) {
        self.pop_mode();
        self.fstrings = self.fstrings.saturating_sub(1);
        self.operand();
    }

    /// A replacement field's `{`: code again, one bracket deeper. On 3.10/3.11 CPython compiles
    /// the field's expression on its own, wrapped in parentheses, so its count starts at 1.
    fn open_field(&mut self) -> Result<(), Violation> {
        self.saved_levels.push(self.level);
        if self.python < (3, 12) {
            self.level = 0;
        }
        self.push_level()?;
        self.after_operand = false;
        self.modes.push(Mode::Code {
            field: Some(self.depth),
        });
        Ok(())
    }

    /// A format spec: literal text with nested replacement fields, up to the field's `}`.
    fn format_spec(&mut self, quote: u8, triple: bool) -> Result<(), Violation> {
        let c = self.peek(0);
        match c {
            b'{' => {
                self.pos += 1;
                self.open_field()?;
            }
            b'}' => {
                self.pos += 1;
                self.end_field();
            }
            b'\\' => {
                if self.peek(1) == b'\n' {
                    self.line += 1;
                }
                self.pos += 2;
            }
            b'\n' if !triple => {
                // An unterminated field: the parser reports it; the f-string ends here.
                self.pos += 1;
                self.line += 1;
                self.end_field();
                self.end_fstring();
            }
            b'\n' => {
                self.pos += 1;
                self.line += 1;
            }
            c if c == quote && (!triple || self.peek(1) == quote && self.peek(2) == quote) => {
                // The f-string's own quote ends it, field unterminated: the parser reports it.
                self.pos += if triple { 3 } else { 1 };
                self.end_field();
                self.end_fstring();
            }
            _ => self.pos += 1,
        }
        Ok(())
    }
}

/// `r`, `b`, `u`, `f`, `t` and their two-letter combinations, in any case.
fn is_string_prefix(word: &[u8]) -> bool {
    let lower = word.to_ascii_lowercase();
    matches!(
        lower.as_slice(),
        b"r" | b"u" | b"b" | b"f" | b"t" | b"br" | b"rb" | b"fr" | b"rf" | b"tr" | b"rt"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violation(text: &str, python: (u8, u8)) -> Option<(u32, Limit)> {
        check(text, python).err().map(|v| (v.line, v.limit))
    }

    fn nested_ifs(n: usize) -> String {
        let mut text: String = (0..n)
            .map(|i| format!("{}if 1:\n", " ".repeat(i)))
            .collect();
        text.push_str(&format!("{}pass\n", " ".repeat(n)));
        text
    }

    #[test]
    fn brackets_up_to_200() {
        let nested = |n: usize| {
            format!(
                "x = 1\ny = {}1{}\n",
                "([{".repeat(n / 3) + &"(".repeat(n % 3),
                ")".repeat(n % 3) + &"}])".repeat(n / 3)
            )
        };
        assert_eq!(violation(&nested(200), (3, 12)), None);
        assert_eq!(violation(&nested(201), (3, 12)), Some((2, Limit::Brackets)));
        // Brackets in strings and comments don't count; on a later line they do.
        let text = format!(
            "s = '{0}'  # {0}\nt = (\n{1}1{2})\n",
            "(".repeat(300),
            "(".repeat(200),
            ")".repeat(201)
        );
        assert_eq!(violation(&text, (3, 10)), Some((3, Limit::Brackets)));
    }

    #[test]
    fn fstring_fields_count_as_312_counts_them() {
        let text = |n: usize| {
            format!(
                "x = {}f'{{{}1{}}}'{}\n",
                "(".repeat(100),
                "(".repeat(n),
                ")".repeat(n),
                ")".repeat(100)
            )
        };
        // 3.12+: one level for the field's brace; 3.10/3.11: the field is compiled on its own.
        assert_eq!(violation(&text(99), (3, 12)), None);
        assert_eq!(violation(&text(100), (3, 12)), Some((1, Limit::Brackets)));
        assert_eq!(violation(&text(199), (3, 11)), None);
        assert_eq!(violation(&text(200), (3, 11)), Some((1, Limit::Brackets)));
        // Doubled braces, `\N{...}` and format specs are text.
        assert_eq!(
            violation("x = f'{{{{ \\N{DASH} {y:{w}.{p}}} {z!r:>{{w}}}'\n", (3, 12)),
            None
        );
    }

    #[test]
    fn nested_fstrings_up_to_149_on_312() {
        let nested = |n: usize| format!("x = {}1{}\n", "f'{".repeat(n), "}'".repeat(n));
        assert_eq!(violation(&nested(149), (3, 12)), None);
        assert_eq!(violation(&nested(150), (3, 12)), Some((1, Limit::FStrings)));
    }

    #[test]
    fn indentation_up_to_99_levels() {
        assert_eq!(violation(&nested_ifs(99), (3, 12)), None);
        assert_eq!(
            violation(&nested_ifs(100), (3, 12)),
            Some((101, Limit::Indentation))
        );
        // Blank lines, comments, continuations and bracketed lines don't indent.
        let text = "if x:\n\n        # c\n    y = (1,\n            2)\n    z = \\\n  3\n";
        assert_eq!(violation(text, (3, 12)), None);
    }

    #[test]
    fn any_bytes_are_scanned() {
        for text in [
            "",
            "\u{feff}",
            "\0\0(",
            "f'{",
            "f'{x:",
            "'''",
            ")))]]}}}",
            "\\",
            "f'{a)}'}'",
        ] {
            let _ = check(text, (3, 12));
            let _ = check(text, (3, 10));
        }
    }
}
