//! coverage.py's compile-time constant tests (`is_constant_test_expr`): the `if`/`while` tests
//! whose outcome is known without running them, so one side of the branch is not possible.

use ruff_python_ast::{BoolOp, Expr, Number, UnaryOp};

use crate::stack;

/// `Some(value)` when `test` is a constant test, with its truth value. Like coverage.py this is
/// syntactic: literals, `True`/`False`/`None`/`__debug__`, `not` and `and`/`or` of those;
/// no folding of arithmetic (`-1`, `1 + 1` are not constant here).
pub(super) fn constant_test(test: &Expr) -> Option<bool> {
    stack::guard(|| match test {
        Expr::BooleanLiteral(b) => Some(b.value),
        Expr::NoneLiteral(_) => Some(false),
        Expr::EllipsisLiteral(_) => Some(true),
        Expr::StringLiteral(s) => Some(!s.value.is_empty()),
        Expr::BytesLiteral(b) => Some(!b.value.is_empty()),
        Expr::NumberLiteral(n) => Some(match &n.value {
            Number::Int(i) => i.as_u64() != Some(0),
            Number::Float(f) => *f != 0.0,
            Number::Complex { real, imag } => *real != 0.0 || *imag != 0.0,
        }),
        Expr::Name(name) => (name.id.as_str() == "__debug__").then_some(true),
        Expr::UnaryOp(op) if op.op == UnaryOp::Not => constant_test(&op.operand).map(|v| !v),
        Expr::BoolOp(op) => {
            let mut values = Vec::with_capacity(op.values.len());
            for value in &op.values {
                values.push(constant_test(value)?);
            }
            Some(match op.op {
                BoolOp::Or => values.iter().any(|&v| v),
                BoolOp::And => values.iter().all(|&v| v),
            })
        }
        _ => None,
    })
}
