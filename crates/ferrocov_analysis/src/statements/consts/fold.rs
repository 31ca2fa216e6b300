//! The constants CPython's AST optimizer folds: literals, tuples of constants, unary and binary
//! operations on them, within the limits where CPython declines to fold.

use ruff_python_ast::{Expr, Number, Operator, UnaryOp};
use ruff_text_size::Ranged;

use super::Key;
use crate::stack;
use crate::statements::const_truth;

/// The constant `expr` is once CPython's AST optimizer has folded it, if it is one.
pub(super) fn key(expr: &Expr, python: (u8, u8), text: &str) -> Option<Key> {
    stack::guard(|| key_of(expr, python, text))
}

fn key_of(expr: &Expr, python: (u8, u8), text: &str) -> Option<Key> {
    Some(match expr {
        Expr::StringLiteral(s) => {
            let value = s.value.to_str();
            let source = &text[s.range()];
            if value.contains('\u{FFFD}') && !source.contains('\u{FFFD}') {
                // Lone surrogates (`"\ud800"`) have no Rust form: tell them apart by their source.
                Key::Folded(format!("str {source}"))
            } else {
                Key::Str(value.to_owned())
            }
        }
        Expr::BytesLiteral(b) => Key::Bytes(b.value.bytes().collect()),
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => Key::Int(i.to_string()),
            Number::Float(f) => Key::Float(f.to_bits()),
            Number::Complex { real, imag } => Key::Complex(real.to_bits(), imag.to_bits()),
        },
        Expr::BooleanLiteral(b) if b.value => Key::True,
        Expr::BooleanLiteral(_) => Key::False,
        Expr::NoneLiteral(_) => Key::None,
        Expr::EllipsisLiteral(_) => Key::Ellipsis,
        Expr::Name(n) if n.id.as_str() == "__debug__" => Key::True,
        Expr::Tuple(t) => Key::Tuple(
            t.elts
                .iter()
                .map(|e| key(e, python, text))
                .collect::<Option<_>>()?,
        ),
        Expr::UnaryOp(u) => {
            let operand = key(&u.operand, python, text)?;
            match u.op {
                UnaryOp::Not => match const_truth(&u.operand, python) {
                    Some(true) => Key::False,
                    Some(false) => Key::True,
                    None => Key::Folded(format!("not {operand:?}")),
                },
                UnaryOp::USub => negate(operand),
                UnaryOp::UAdd => match operand {
                    Key::True => Key::Int("1".into()),
                    Key::False => Key::Int("0".into()),
                    k @ (Key::Int(_) | Key::Float(_) | Key::Complex(..)) => k,
                    k => Key::Folded(format!("+{k:?}")),
                },
                UnaryOp::Invert => match int(&operand) {
                    Some(i) => Key::Int((!i).to_string()),
                    None => Key::Folded(format!("~{operand:?}")),
                },
            }
        }
        Expr::BinOp(b) => binop(
            key(&b.left, python, text)?,
            b.op,
            key(&b.right, python, text)?,
        )?,
        Expr::Subscript(s) => {
            let (value, index) = (key(&s.value, python, text)?, key(&s.slice, python, text)?);
            Key::Folded(format!("{value:?}[{index:?}]"))
        }
        _ => return None,
    })
}

fn int(key: &Key) -> Option<i128> {
    match key {
        Key::Int(s) => s.parse().ok(),
        _ => None,
    }
}

fn negate(key: Key) -> Key {
    match key {
        Key::Int(s) if s == "0" => Key::Int(s),
        Key::Int(s) => Key::Int(match s.strip_prefix('-') {
            Some(positive) => positive.to_owned(),
            None => format!("-{s}"),
        }),
        Key::Float(f) => Key::Float((-f64::from_bits(f)).to_bits()),
        Key::Complex(r, i) => Key::Complex(
            (-f64::from_bits(r)).to_bits(),
            (-f64::from_bits(i)).to_bits(),
        ),
        Key::True => Key::Int("-1".into()),
        Key::False => Key::Int("0".into()),
        k => Key::Folded(format!("-{k:?}")),
    }
}

/// Fold `l op r` as CPython's `ast_opt` would; `None` where it leaves the operation alone
/// (division by zero, results past its size limits, `%` on strings).
fn binop(l: Key, op: Operator, r: Key) -> Option<Key> {
    use Operator as Op;
    if let (Some(a), Some(b)) = (int(&l), int(&r)) {
        let v = match op {
            Op::Add => a.checked_add(b),
            Op::Sub => a.checked_sub(b),
            Op::Mult => a.checked_mul(b),
            Op::FloorDiv | Op::Mod if b == 0 => return None,
            Op::FloorDiv => a
                .checked_div_euclid(b)
                .zip(a.checked_rem_euclid(b))
                .and_then(|(q, r)| q.checked_sub(i128::from(b < 0 && r != 0))),
            Op::Mod => a
                .checked_rem_euclid(b)
                .map(|m| if b < 0 && m != 0 { m + b } else { m }),
            Op::Pow if b >= 0 => u32::try_from(b).ok().and_then(|e| a.checked_pow(e)),
            Op::LShift if (0..127).contains(&b) => a.checked_mul(1 << b),
            Op::RShift if b >= 0 => Some(a >> b.min(127)),
            Op::BitAnd => Some(a & b),
            Op::BitOr => Some(a | b),
            Op::BitXor => Some(a ^ b),
            Op::Div if b == 0 => return None,
            Op::Div => return Some(Key::Float((a as f64 / b as f64).to_bits())),
            Op::LShift | Op::RShift | Op::MatMult => return None,
            Op::Pow => return Some(Key::Folded(format!("{a}**{b}"))),
        };
        // Past 128 bits CPython declines to fold too.
        return v.map(|v| Key::Int(v.to_string()));
    }
    match (&l, op, &r) {
        (Key::Str(a), Op::Add, Key::Str(b)) => Some(Key::Str(format!("{a}{b}"))),
        (Key::Bytes(a), Op::Add, Key::Bytes(b)) => Some(Key::Bytes([&a[..], &b[..]].concat())),
        (Key::Tuple(a), Op::Add, Key::Tuple(b)) => Some(Key::Tuple([&a[..], &b[..]].concat())),
        (Key::Str(s), Op::Mult, n) | (n, Op::Mult, Key::Str(s)) if int(n).is_some() => {
            let n = usize::try_from(int(n)?.max(0)).ok()?;
            (s.chars().count().saturating_mul(n) <= 4096).then(|| Key::Str(s.repeat(n)))
        }
        (Key::Str(_) | Key::Bytes(_), Op::Mod, _) | (_, Op::MatMult, _) => None,
        _ => Some(Key::Folded(format!("{l:?} {op} {r:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_ast::Stmt;

    #[test]
    fn folding_follows_the_ast_optimizer() {
        let fold = |src: &str| {
            let parsed = crate::syntax::parse(src, (3, 11)).unwrap();
            let Stmt::Expr(e) = &parsed.module().body[0] else {
                panic!("not an expression")
            };
            key(&e.value, (3, 11), src)
        };
        assert_eq!(fold("-1\n"), Some(Key::Int("-1".into())));
        assert_eq!(fold("2 * 3 - 7\n"), Some(Key::Int("-1".into())));
        assert_eq!(fold("-7 // 2\n"), Some(Key::Int("-4".into())));
        assert_eq!(fold("-7 % 3\n"), Some(Key::Int("2".into())));
        assert_eq!(fold("'a' 'b' + 'c'\n"), Some(Key::Str("abc".into())));
        assert_eq!(
            fold("(1, (None,))\n"),
            Some(Key::Tuple(vec![
                Key::Int("1".into()),
                Key::Tuple(vec![Key::None])
            ]))
        );
        assert_eq!(fold("not __debug__\n"), Some(Key::False));
        assert_eq!(fold("-2 ** 126 * 2 // -1\n"), None);
        assert_eq!(
            fold("1 << 126\n"),
            Some(Key::Int((1i128 << 126).to_string()))
        );
        // Errors and formatting are left to run time.
        assert_eq!(fold("1 / 0\n"), None);
        assert_eq!(fold("'%s' % 'a'\n"), None);
        assert_eq!(fold("(1, x)\n"), None);
    }
}
