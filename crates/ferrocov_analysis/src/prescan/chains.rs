//! Operator chains each of whose links is one more level of CPython's recursive-descent parser,
//! kept for one bracket level: a lower bound on that parser's stack depth. A token that might
//! end a chain resets it; resetting too often only lowers the bound, it never makes it wrong.

/// What the token read leaves the next one after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum After {
    /// A name, literal or closing bracket: a following `-` is binary, `not` starts `not in`.
    Operand,
    /// An operator or keyword: a following `-` is unary.
    Operator,
    /// `is`, so that a following `not` is `is not`.
    Is,
}

#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Chains {
    /// `lambda` bodies, ternary `else` arms, and `yield`/`:=`/`async` (which nest only in code
    /// that does not compile, but the parser still recurses on them).
    outer: u32,
    /// `not` operators.
    inversion: u32,
    /// Unary `-`/`+`/`~`, `await`, `*`/`**` unpacking, and the right operands of `**`.
    factor: u32,
    /// `lambda`s whose `:` is still to come.
    lambdas: u32,
}

impl Chains {
    pub(super) fn total(&self) -> u32 {
        self.outer + self.inversion + self.factor
    }

    /// A delimiter: every chain ends (a `lambda` still waits for its `:`).
    fn reset(&mut self) {
        *self = Chains {
            lambdas: self.lambdas,
            ..Chains::default()
        };
    }

    /// A name or keyword, after an operand (`after_operand`) or after `is`.
    pub(super) fn word(&mut self, word: &[u8], after_operand: bool, after_is: bool) -> After {
        match word {
            // `not in` / `is not`: a comparison.
            b"not" if after_operand || after_is => self.factor = 0,
            b"not" => {
                self.factor = 0;
                self.inversion += 1;
            }
            b"is" => {
                self.factor = 0;
                return After::Is;
            }
            b"in" => self.factor = 0,
            b"and" | b"or" | b"if" => {
                self.factor = 0;
                self.inversion = 0;
            }
            // After an operand, `else` is a ternary's; otherwise it starts a block.
            b"else" if after_operand => {
                self.factor = 0;
                self.inversion = 0;
                self.outer += 1;
            }
            b"lambda" => {
                // `lambdef: 'lambda' [params] ':' expression`: two levels per lambda.
                self.factor = 0;
                self.inversion = 0;
                self.outer += 2;
                self.lambdas += 1;
            }
            b"await" => self.factor += 1,
            b"yield" | b"async" => self.outer += 1,
            b"for" | b"from" | b"import" | b"as" | b"with" | b"del" | b"return" | b"raise"
            | b"assert" | b"global" | b"nonlocal" | b"while" | b"elif" | b"except" | b"else"
            | b"try" | b"finally" | b"def" | b"class" | b"pass" | b"break" | b"continue" => {
                self.reset();
            }
            _ => return After::Operand,
        }
        After::Operator
    }

    /// An operator token (see `operator_len`), after an operand or not.
    pub(super) fn operator(&mut self, op: &[u8], after_operand: bool) {
        match op {
            // `power: primary '**' factor`: each right operand is two levels deeper (`factor`,
            // then `power`); `**` unpacking nests one.
            b"**" => self.factor += if after_operand { 2 } else { 1 },
            b":=" => self.outer += 1,
            b"-" | b"+" | b"~" | b"*" if !after_operand => self.factor += 1,
            b":" if self.lambdas > 0 => self.lambdas -= 1,
            b";" => *self = Chains::default(),
            b":" | b"," | b"=" | b"->" => self.reset(),
            b"==" | b"!=" | b"<=" | b">=" => self.factor = 0,
            // Augmented assignment.
            [.., b'='] => self.reset(),
            // Any other binary operator (or a stray character) ends a unary chain.
            _ => self.factor = 0,
        }
    }
}

/// The length of the operator (or other character) token at the start of `rest`.
pub(super) fn operator_len(rest: &[u8]) -> usize {
    const LONGEST_FIRST: [&[u8]; 23] = [
        b"**=", b"//=", b">>=", b"<<=", b"**", b"//", b"<<", b">>", b"<=", b">=", b"==", b"!=",
        b"->", b":=", b"+=", b"-=", b"*=", b"/=", b"%=", b"@=", b"&=", b"|=", b"^=",
    ];
    LONGEST_FIRST
        .iter()
        .find(|op| rest.starts_with(op))
        .map_or(1, |op| op.len())
}

#[cfg(test)]
mod tests {
    use super::super::{Limit, check};

    fn violation(text: &str, python: (u8, u8)) -> Option<(u32, Limit)> {
        check(text, python).err().map(|v| (v.line, v.limit))
    }

    #[test]
    fn chains_longer_than_the_parser_stack() {
        let chain = |link: &str, n: usize| format!("x = 1\ny = {}1\n", link.repeat(n));
        for link in ["not ", "-", "~", "1 if 1 else ", "await "] {
            assert_eq!(violation(&chain(link, 6000), (3, 12)), None, "{link}");
            assert_eq!(
                violation(&chain(link, 6001), (3, 12)),
                Some((2, Limit::ParserStack)),
                "{link}"
            );
        }
        // `**` and `lambda` are two levels of CPython's parser per link.
        for link in ["2**", "lambda: "] {
            assert_eq!(violation(&chain(link, 3000), (3, 12)), None);
            assert_eq!(
                violation(&chain(link, 3001), (3, 12)),
                Some((2, Limit::ParserStack))
            );
        }
        // Chains that end don't add up: operands and lower-precedence operators end them.
        let text = format!("x = {}\n", "-1 - ".repeat(10_000) + "1");
        assert_eq!(violation(&text, (3, 12)), None);
        let text = format!("x = {}\n", "not a and ".repeat(10_000) + "1");
        assert_eq!(violation(&text, (3, 12)), None);
        let text = format!("x = [{}]\n", "lambda: 1, ".repeat(10_000));
        assert_eq!(violation(&text, (3, 12)), None);
        // Pending links carry into brackets: 150 levels of 40 `not`s and a bracket.
        let level = format!("{}(", "not ".repeat(40));
        let text = format!("x = {}1{}\n", level.repeat(150), ")".repeat(150));
        assert_eq!(violation(&text, (3, 12)), Some((1, Limit::ParserStack)));
        let level = format!("{}(", "not ".repeat(38));
        let text = format!("x = {}1{}\n", level.repeat(150), ")".repeat(150));
        assert_eq!(violation(&text, (3, 12)), None);
    }
}
