//! Strings 3.11 builds at compile time: `"%s" % (x,)` rewritten into an f-string, and the literal
//! runs of f-strings.

use ruff_python_ast::{Expr, InterpolatedStringElement, InterpolatedStringElements, Operator};

use super::Key;
use crate::statements::Collector;

/// A piece of a `%`-format turned into an f-string.
pub(super) enum FormatPart<'e> {
    Literal(String),
    Value(&'e Expr, Option<String>),
}

impl Collector<'_> {
    /// 3.11's optimizer turns `"...%s..." % (a, b)` (only `%s`/`%r`/`%a` units, a tuple of
    /// as many items) into an f-string: literal runs, values and width/precision specs.
    pub(super) fn percent_format<'e>(
        &self,
        b: &'e ruff_python_ast::ExprBinOp,
    ) -> Option<Vec<FormatPart<'e>>> {
        if self.python < (3, 11) || b.op != Operator::Mod {
            return None;
        }
        let (Some(Key::Str(format)), Expr::Tuple(items)) = (self.key_of(&b.left), &*b.right) else {
            return None;
        };
        if items.elts.iter().any(Expr::is_starred_expr) || self.key_of(&b.right).is_some() {
            return None;
        }
        let chars: Vec<char> = format.chars().collect();
        let mut parts = Vec::new();
        let mut items = items.elts.iter();
        let mut pos = 0;
        loop {
            let mut literal = String::new();
            while pos < chars.len() {
                if chars[pos] != '%' {
                    literal.push(chars[pos]);
                    pos += 1;
                } else if chars.get(pos + 1) == Some(&'%') {
                    literal.push('%');
                    pos += 2;
                } else {
                    break;
                }
            }
            if !literal.is_empty() {
                parts.push(FormatPart::Literal(literal));
            }
            if pos >= chars.len() {
                break;
            }
            let item = items.next()?;
            pos += 1;
            let mut left = false;
            while let Some(c @ ('-' | '+' | ' ' | '#' | '0')) = chars.get(pos) {
                left |= *c == '-';
                pos += 1;
            }
            let digits = |pos: &mut usize| {
                let start = *pos;
                while chars.get(*pos).is_some_and(char::is_ascii_digit) {
                    *pos += 1;
                }
                let text: String = chars[start..*pos].iter().collect();
                text.parse::<i32>().ok().map(|n| (n, *pos > start))
            };
            let width = digits(&mut pos).map(|(n, _)| n);
            let mut precision = None;
            if chars.get(pos) == Some(&'.') {
                pos += 1;
                precision = Some(digits(&mut pos).map_or(0, |(n, _)| n));
            }
            let conversion = chars.get(pos)?;
            pos += 1;
            if !matches!(conversion, 's' | 'r' | 'a') {
                return None;
            }
            let mut spec = String::new();
            if let Some(w) = width {
                if !left && w > 0 {
                    spec.push('>');
                }
                spec.push_str(&w.to_string());
            }
            if let Some(p) = precision {
                spec.push_str(&format!(".{p}"));
            }
            parts.push(FormatPart::Value(item, (!spec.is_empty()).then_some(spec)));
        }
        items.next().is_none().then_some(parts)
    }

    /// The elements of an f-string: literal runs become one constant each.
    pub(super) fn fstring(
        &mut self,
        elements: &InterpolatedStringElements,
        literal: &mut Option<String>,
    ) {
        for element in elements.iter() {
            match element {
                InterpolatedStringElement::Literal(l) => {
                    literal.get_or_insert_default().push_str(&l.value);
                }
                InterpolatedStringElement::Interpolation(i) => {
                    if let Some(debug) = &i.debug_text {
                        // `f"{x=}"` puts its text, `x=`, before the value.
                        literal.get_or_insert_default().push_str(debug.as_str());
                    }
                    if let Some(text) = literal.take() {
                        self.constant(Key::Str(text));
                    }
                    self.expr(&i.expression);
                    if let Some(spec) = &i.format_spec {
                        let mut inner = None;
                        self.fstring(&spec.elements, &mut inner);
                        if let Some(text) = inner {
                            self.constant(Key::Str(text));
                        }
                    }
                }
            }
        }
    }
}
