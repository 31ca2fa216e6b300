//! The constant table of a code object as CPython 3.10/3.11 builds it, to tell which code
//! objects made in unreachable code survive.
//!
//! Those compilers compile unreachable code (making code objects for the defs, classes, lambdas
//! and comprehensions in it), drop its instructions, and then trim only the constants past the
//! highest index a remaining `LOAD_CONST`/`KW_NAMES` uses (3.12 removes every unused constant).
//! A constant's index is fixed when the compiler first adds it, in compile order, with equal
//! constants shared; constants the optimizer folds from a run of `LOAD_CONST`s (default-value and
//! annotation tuples) are appended after all others. So a dead code object survives exactly when
//! live code loads a constant first added after it. The walk below adds constants in compile
//! order for the statements and expressions that add them, with the version differences that
//! move them: 3.10 also loads each function's qualified name; 3.11 compiles a `try`'s `else:`
//! before its handlers, rewrites `"%s" % (x,)` into an f-string, and jumps on `x is None` without
//! loading None. What it does not model (the copies of a `finally` body that unwinding
//! `return`/`break` compiles, name mangling) only matters when the same constant is first added
//! on both sides of a dead code object.

use std::collections::{BTreeSet, HashMap};

use ruff_python_ast::{
    CmpOp, Comprehension, Expr, FStringPart, InterpolatedStringElement, InterpolatedStringElements,
    Keyword, Number, Operator, Parameters, Pattern, Singleton, Stmt, StmtFunctionDef, UnaryOp,
};
use ruff_text_size::Ranged;

use super::{Collector, Header, Scope, const_truth};

/// A constant, compared as CPython's `_PyCode_ConstantKey` compares them (type and value).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    None,
    True,
    False,
    Ellipsis,
    /// Decimal digits, `-` for negatives.
    Int(String),
    Float(u64),
    Complex(u64, u64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Key>),
    /// Elements sorted by their debug form: a frozenset's key ignores order.
    FrozenSet(Vec<Key>),
    /// The n-th code object made in this file.
    Code(usize),
    /// A value the AST optimizer folds that is not computed here, named by how it was made.
    Folded(String),
}

/// One code object's constants: where each sits, the highest index loaded by live code, and the
/// code objects made in unreachable code with the lines they would bring.
#[derive(Default)]
pub(super) struct ConstTable {
    index: HashMap<Key, usize>,
    /// Index 0 always stays (CPython keeps it for a docstring).
    max_loaded: usize,
    /// Folded by the optimizer after compilation: (constant, loaded by live code).
    appended: Vec<(Key, bool)>,
    dead_code: Vec<(usize, BTreeSet<u32>)>,
}

impl ConstTable {
    pub(super) fn add(&mut self, key: Key, loaded: bool) -> usize {
        let next = self.index.len();
        let i = *self.index.entry(key).or_insert(next);
        if loaded {
            self.max_loaded = self.max_loaded.max(i);
        }
        i
    }

    pub(super) fn add_dead_code(&mut self, key: Key, lines: BTreeSet<u32>) {
        let i = self.add(key, false);
        self.dead_code.push((i, lines));
    }

    /// Lines of the unreachable code objects that are not trimmed away.
    pub(super) fn surviving_lines(mut self) -> impl Iterator<Item = u32> {
        for (key, loaded) in std::mem::take(&mut self.appended) {
            self.add(key, loaded);
        }
        let max = self.max_loaded;
        self.dead_code
            .into_iter()
            .filter(move |(i, _)| *i <= max)
            .flat_map(|(_, lines)| lines)
    }
}

/// The constant `expr` is once CPython's AST optimizer has folded it, if it is one.
pub(super) fn key(expr: &Expr, python: (u8, u8), text: &str) -> Option<Key> {
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

/// Does a method in this class body use the `__class__` cell (zero-argument `super()`)? Then
/// the class body returns the cell instead of loading None.
pub(super) fn uses_class_cell(body: &[Stmt]) -> bool {
    use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
    struct Finder {
        in_function: bool,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                // A nested class has its own cell.
                Stmt::ClassDef(_) => {}
                Stmt::FunctionDef(_) => {
                    let outer = std::mem::replace(&mut self.in_function, true);
                    walk_stmt(self, stmt);
                    self.in_function = outer;
                }
                _ => walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Name(n) = expr
                && self.in_function
                && matches!(n.id.as_str(), "super" | "__class__")
            {
                self.found = true;
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        in_function: false,
        found: false,
    };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    finder.found
}

impl Collector<'_> {
    pub(super) fn key_of(&self, expr: &Expr) -> Option<Key> {
        key(expr, self.python, self.text)
    }

    /// `LOAD_CONST key` here: loaded unless this code is unreachable.
    pub(super) fn constant(&mut self, key: Key) {
        if self.track {
            let live = self.dead == 0;
            self.frame().consts.add(key, live);
        }
    }

    /// A tuple the optimizer folds from a `BUILD_TUPLE` of constants: appended at the end.
    fn folded_tuple(&mut self, keys: Vec<Key>) {
        let live = self.dead == 0;
        self.frame().consts.appended.push((Key::Tuple(keys), live));
    }

    /// The test of an `if`/`while`/`assert`/guard: folded away when its truth is known.
    pub(super) fn test(&mut self, test: &Expr, truth: Option<bool>) {
        if truth.is_some() {
            self.folded_test(test);
        } else {
            self.jump_test(test);
        }
    }

    /// A test that decides a jump. 3.11 turns `x is None` / `x is not None` there into
    /// `POP_JUMP_IF_[NOT_]NONE`: None is added but not loaded.
    fn jump_test(&mut self, test: &Expr) {
        match test {
            Expr::BoolOp(b) => b.values.iter().for_each(|v| self.jump_test(v)),
            Expr::UnaryOp(u) if u.op == UnaryOp::Not && self.key_of(test).is_none() => {
                self.jump_test(&u.operand);
            }
            Expr::Compare(c)
                if self.python >= (3, 11)
                    && matches!(*c.ops, [CmpOp::Is | CmpOp::IsNot])
                    && matches!(c.comparators.first(), Some(Expr::NoneLiteral(_))) =>
            {
                self.expr(&c.left);
                self.dead += 1;
                self.constant(Key::None);
                self.dead -= 1;
            }
            _ => self.expr(test),
        }
    }

    /// Add the constants of an expression in compile order, making its lambdas and
    /// comprehensions (their own code objects before 3.12).
    pub(super) fn expr(&mut self, expr: &Expr) {
        if !self.track {
            return;
        }
        if let Some(k) = self.key_of(expr) {
            self.constant(k);
            return;
        }
        match expr {
            Expr::BoolOp(b) => b.values.iter().for_each(|v| self.expr(v)),
            Expr::Named(n) => self.expr(&n.value),
            Expr::BinOp(b) => {
                if let Some(parts) = self.percent_format(b) {
                    for part in parts {
                        match part {
                            FormatPart::Literal(text) => self.constant(Key::Str(text)),
                            FormatPart::Value(value, spec) => {
                                self.expr(value);
                                if let Some(spec) = spec {
                                    self.constant(Key::Str(spec));
                                }
                            }
                        }
                    }
                    return;
                }
                self.expr(&b.left);
                self.expr(&b.right);
            }
            Expr::UnaryOp(u) => self.expr(&u.operand),
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.defaults(p);
                }
                let line = self.lines.start(l.range());
                self.code_object("<lambda>", true, Header::Always(line), |c| {
                    // None first, so a lambda never has a docstring.
                    c.constant(Key::None);
                    c.expr(&l.body);
                });
            }
            Expr::If(i) => {
                let truth = const_truth(&i.test, self.python);
                self.test(&i.test, truth);
                for (arm, dead) in [
                    (&i.body, truth == Some(false)),
                    (&i.orelse, truth == Some(true)),
                ] {
                    self.dead += u32::from(dead);
                    self.expr(arm);
                    self.dead -= u32::from(dead);
                }
            }
            Expr::Dict(d) => {
                let mut group: Vec<(&Expr, &Expr)> = Vec::new();
                for item in &d.items {
                    match &item.key {
                        Some(k) => group.push((k, &item.value)),
                        None => {
                            self.dict_group(&std::mem::take(&mut group));
                            self.expr(&item.value);
                        }
                    }
                }
                self.dict_group(&group);
            }
            Expr::Set(s) => self.display(&s.elts, true),
            Expr::List(l) => self.display(&l.elts, false),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.expr(e)),
            Expr::ListComp(c) => self.comprehension(expr, "<listcomp>", &c.generators, &[&c.elt]),
            Expr::SetComp(c) => self.comprehension(expr, "<setcomp>", &c.generators, &[&c.elt]),
            Expr::Generator(c) => self.comprehension(expr, "<genexpr>", &c.generators, &[&c.elt]),
            Expr::DictComp(c) => {
                let mut parts: Vec<&Expr> = c.key.iter().map(|k| &**k).collect();
                parts.push(&c.value);
                self.comprehension(expr, "<dictcomp>", &c.generators, &parts);
            }
            Expr::Await(a) => {
                self.expr(&a.value);
                self.constant(Key::None);
            }
            Expr::Yield(y) => match &y.value {
                Some(v) => self.expr(v),
                None => self.constant(Key::None),
            },
            Expr::YieldFrom(y) => {
                self.expr(&y.value);
                self.constant(Key::None);
            }
            Expr::Compare(c) => {
                self.expr(&c.left);
                let last = c.comparators.len().saturating_sub(1);
                for (i, (op, e)) in c.ops.iter().zip(c.comparators.iter()).enumerate() {
                    if i == last && matches!(op, CmpOp::In | CmpOp::NotIn) {
                        self.iterable(e);
                    } else {
                        self.expr(e);
                    }
                }
            }
            Expr::Call(c) => {
                self.expr(&c.func);
                self.call_args(&c.arguments.args, &c.arguments.keywords, false);
            }
            Expr::FString(f) => {
                let mut literal: Option<String> = None;
                for part in f.value.iter() {
                    match part {
                        FStringPart::Literal(l) => {
                            literal.get_or_insert_default().push_str(&l.value);
                        }
                        FStringPart::FString(f) => self.fstring(&f.elements, &mut literal),
                    }
                }
                if let Some(text) = literal {
                    self.constant(Key::Str(text));
                }
            }
            Expr::Attribute(a) => self.expr(&a.value),
            Expr::Subscript(s) => {
                self.expr(&s.value);
                self.expr(&s.slice);
            }
            Expr::Starred(s) => self.expr(&s.value),
            Expr::Slice(s) => {
                for bound in [&s.lower, &s.upper] {
                    match bound {
                        Some(b) => self.expr(b),
                        None => self.constant(Key::None),
                    }
                }
                if let Some(step) = &s.step {
                    self.expr(step);
                }
            }
            _ => {}
        }
    }

    /// 3.11's optimizer turns `"...%s..." % (a, b)` (only `%s`/`%r`/`%a` units, a tuple of
    /// as many items) into an f-string: literal runs, values and width/precision specs.
    fn percent_format<'e>(&self, b: &'e ruff_python_ast::ExprBinOp) -> Option<Vec<FormatPart<'e>>> {
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
    fn fstring(&mut self, elements: &InterpolatedStringElements, literal: &mut Option<String>) {
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

    /// A list or set display: three or more constants become one tuple/frozenset constant.
    fn display(&mut self, elts: &[Expr], set: bool) {
        let keys: Option<Vec<Key>> = elts.iter().map(|e| self.key_of(e)).collect();
        match keys {
            Some(keys) if keys.len() > 2 => self.constant(collection(keys, set)),
            _ => elts.iter().for_each(|e| self.expr(e)),
        }
    }

    fn dict_group(&mut self, group: &[(&Expr, &Expr)]) {
        let keys: Option<Vec<Key>> = group.iter().map(|(k, _)| self.key_of(k)).collect();
        match keys {
            Some(keys) if keys.len() > 1 => {
                group.iter().for_each(|(_, v)| self.expr(v));
                self.constant(Key::Tuple(keys));
            }
            _ => {
                for (k, v) in group {
                    self.expr(k);
                    self.expr(v);
                }
            }
        }
    }

    /// What a `for` loop or an `in` test iterates: a list or set of constants is folded.
    pub(super) fn iterable(&mut self, expr: &Expr) {
        let (elts, set) = match expr {
            Expr::List(l) => (&l.elts, false),
            Expr::Set(s) => (&s.elts, true),
            _ => return self.expr(expr),
        };
        match elts.iter().map(|e| self.key_of(e)).collect() {
            Some(keys) => self.constant(collection(keys, set)),
            None => elts.iter().for_each(|e| self.expr(e)),
        }
    }

    /// An assignment target: only the objects and subscripts it evaluates.
    pub(super) fn target(&mut self, expr: &Expr) {
        match expr {
            Expr::Name(_) => {}
            Expr::Attribute(a) => self.expr(&a.value),
            Expr::Subscript(s) => {
                self.expr(&s.value);
                self.expr(&s.slice);
            }
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.target(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.target(e)),
            Expr::Starred(s) => self.target(&s.value),
            _ => self.expr(expr),
        }
    }

    /// Arguments of a call (or, `class_bases`, of a class): keyword names go in a tuple
    /// constant after the values, or, with `*`/`**` unpacking, into the dicts built for them.
    pub(super) fn call_args(&mut self, args: &[Expr], keywords: &[Keyword], class_bases: bool) {
        let starred = args.iter().any(Expr::is_starred_expr);
        if !starred && !keywords.iter().any(|k| k.arg.is_none()) {
            args.iter().for_each(|a| self.expr(a));
            keywords.iter().for_each(|k| self.expr(&k.value));
            if !keywords.is_empty() {
                let names = keywords.iter().map(|k| Key::Str(name_of(k))).collect();
                self.constant(Key::Tuple(names));
            }
            return;
        }
        // The positional arguments become one tuple.
        let keys: Option<Vec<Key>> = args.iter().map(|a| self.key_of(a)).collect();
        match keys {
            Some(keys) if keys.len() > 2 => self.constant(Key::Tuple(keys)),
            Some(keys) if !class_bases => {
                // `BUILD_TUPLE` of constants (none at all, for `f(**kw)`) is folded.
                args.iter().for_each(|a| self.expr(a));
                self.folded_tuple(keys);
            }
            _ => args.iter().for_each(|a| self.expr(a)),
        }
        let mut group: Vec<&Keyword> = Vec::new();
        for k in keywords {
            if k.arg.is_some() {
                group.push(k);
                continue;
            }
            self.keyword_group(&std::mem::take(&mut group));
            self.expr(&k.value);
        }
        self.keyword_group(&group);
    }

    fn keyword_group(&mut self, group: &[&Keyword]) {
        if group.len() > 1 {
            group.iter().for_each(|k| self.expr(&k.value));
            let names = group.iter().map(|k| Key::Str(name_of(k))).collect();
            self.constant(Key::Tuple(names));
        } else if let Some(k) = group.first() {
            self.constant(Key::Str(name_of(k)));
            self.expr(&k.value);
        }
    }

    /// Default values: positional ones are built into a tuple (folded when all are constants),
    /// keyword-only ones into a dict keyed by a tuple of names.
    fn defaults(&mut self, p: &Parameters) {
        let positional: Vec<&Expr> = p
            .posonlyargs
            .iter()
            .chain(&p.args)
            .filter_map(|a| a.default.as_deref())
            .collect();
        positional.iter().for_each(|d| self.expr(d));
        let keys: Option<Vec<Key>> = positional.iter().map(|d| self.key_of(d)).collect();
        if let Some(keys) = keys
            && !keys.is_empty()
        {
            self.folded_tuple(keys);
        }
        let keyword: Vec<_> = p
            .kwonlyargs
            .iter()
            .filter(|a| a.default.is_some())
            .collect();
        for a in &keyword {
            self.expr(a.default.as_deref().expect("filtered"));
        }
        if !keyword.is_empty() {
            let names = keyword
                .iter()
                .map(|a| Key::Str(a.parameter.name.to_string()))
                .collect();
            self.constant(Key::Tuple(names));
        }
    }

    /// Decorators, defaults and annotations, evaluated before the function object is made.
    pub(super) fn function_header<'f>(&mut self, f: &'f StmtFunctionDef) {
        if !self.track {
            return;
        }
        for d in &f.decorator_list {
            self.expr(&d.expression);
        }
        self.defaults(&f.parameters);
        let p = &f.parameters;
        let mut annotated: Vec<(String, &'f Expr)> = Vec::new();
        let mut param = |name: &str, ann: Option<&'f Expr>| {
            if let Some(ann) = ann {
                annotated.push((name.to_owned(), ann));
            }
        };
        for a in p.args.iter().chain(&p.posonlyargs) {
            param(a.parameter.name.as_str(), a.parameter.annotation.as_deref());
        }
        if let Some(v) = &p.vararg {
            param(v.name.as_str(), v.annotation.as_deref());
        }
        for a in &p.kwonlyargs {
            param(a.parameter.name.as_str(), a.parameter.annotation.as_deref());
        }
        if let Some(k) = &p.kwarg {
            param(k.name.as_str(), k.annotation.as_deref());
        }
        param("return", f.returns.as_deref());
        // (name, annotation) pairs go into one tuple, folded when all are constants.
        let mut keys = Some(Vec::new());
        for (name, ann) in annotated.iter().map(|(n, a)| (n.clone(), *a)) {
            self.constant(Key::Str(name.clone()));
            let ann_key = if self.future_annotations {
                let k = Key::Str(self.text[ann.range()].to_owned());
                self.constant(k.clone());
                Some(k)
            } else {
                self.expr(ann);
                self.key_of(ann)
            };
            keys = keys.zip(ann_key).map(|(mut ks, k)| {
                ks.extend([Key::Str(name), k]);
                ks
            });
        }
        if let Some(keys) = keys
            && !keys.is_empty()
        {
            self.folded_tuple(keys);
        }
    }

    /// A comprehension: its own code object, then its first iterable evaluated outside it.
    fn comprehension(
        &mut self,
        expr: &Expr,
        name: &str,
        generators: &[Comprehension],
        parts: &[&Expr],
    ) {
        let line = self.lines.start(expr.range());
        self.code_object(name, true, Header::Always(line), |c| {
            for (i, g) in generators.iter().enumerate() {
                if i > 0 {
                    c.iterable(&g.iter);
                }
                c.target(&g.target);
                g.ifs.iter().for_each(|e| c.expr(e));
            }
            parts.iter().for_each(|e| c.expr(e));
        });
        if let Some(first) = generators.first() {
            self.iterable(&first.iter);
        }
    }

    /// The constants a `case` pattern loads: values, lengths, mapping keys, attribute names.
    pub(super) fn pattern(&mut self, pattern: &Pattern) {
        if !self.track {
            return;
        }
        match pattern {
            Pattern::MatchValue(v) => self.expr(&v.value),
            Pattern::MatchSingleton(s) => self.constant(match s.value {
                Singleton::None => Key::None,
                Singleton::True => Key::True,
                Singleton::False => Key::False,
            }),
            Pattern::MatchSequence(s) => {
                let star = s.patterns.iter().any(Pattern::is_match_star);
                let n = s.patterns.len() - usize::from(star);
                if !(star && n == 0) {
                    self.constant(Key::Int(n.to_string()));
                }
                s.patterns.iter().for_each(|p| self.pattern(p));
            }
            Pattern::MatchMapping(m) => {
                if !m.keys.is_empty() {
                    self.constant(Key::Int(m.keys.len().to_string()));
                }
                m.keys.iter().for_each(|k| self.expr(k));
                let keys: Option<Vec<Key>> = m.keys.iter().map(|k| self.key_of(k)).collect();
                if let Some(keys) = keys
                    && !keys.is_empty()
                {
                    self.folded_tuple(keys);
                }
                m.patterns.iter().for_each(|p| self.pattern(p));
            }
            Pattern::MatchClass(c) => {
                self.expr(&c.cls);
                if !c.arguments.keywords.is_empty() {
                    let names = c
                        .arguments
                        .keywords
                        .iter()
                        .map(|k| Key::Str(k.attr.to_string()))
                        .collect();
                    self.constant(Key::Tuple(names));
                }
                c.arguments.patterns.iter().for_each(|p| self.pattern(p));
                c.arguments
                    .keywords
                    .iter()
                    .for_each(|k| self.pattern(&k.pattern));
            }
            Pattern::MatchAs(a) => {
                if let Some(p) = &a.pattern {
                    self.pattern(p);
                }
            }
            Pattern::MatchOr(o) => o.patterns.iter().for_each(|p| self.pattern(p)),
            Pattern::MatchStar(_) => {}
        }
    }

    /// Constants of the statements without a body.
    pub(super) fn simple_stmt(&mut self, stmt: &Stmt, scope: Scope) {
        if !self.track {
            return;
        }
        match stmt {
            // A constant expression statement compiles to a NOP.
            Stmt::Expr(e) if self.key_of(&e.value).is_none() => self.expr(&e.value),
            Stmt::Assign(a) => {
                self.expr(&a.value);
                a.targets.iter().for_each(|t| self.target(t));
            }
            Stmt::AugAssign(a) => {
                self.target(&a.target);
                self.expr(&a.value);
            }
            Stmt::AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.expr(v);
                }
                self.target(&a.target);
                let evaluated = scope != Scope::Function;
                if a.simple && evaluated {
                    if self.future_annotations {
                        self.constant(Key::Str(self.text[a.annotation.range()].to_owned()));
                    } else {
                        self.expr(&a.annotation);
                    }
                    if let Expr::Name(n) = &*a.target {
                        self.constant(Key::Str(n.id.to_string()));
                    }
                } else if evaluated && !self.future_annotations {
                    self.expr(&a.annotation);
                }
            }
            Stmt::Delete(d) => d.targets.iter().for_each(|t| self.target(t)),
            Stmt::Import(i) => {
                for _ in &i.names {
                    self.constant(Key::Int("0".into()));
                    self.constant(Key::None);
                }
            }
            Stmt::ImportFrom(i) => {
                self.constant(Key::Int(i.level.to_string()));
                let names = i
                    .names
                    .iter()
                    .map(|a| Key::Str(a.name.to_string()))
                    .collect();
                self.constant(Key::Tuple(names));
            }
            _ => {}
        }
    }
}

/// A piece of a `%`-format turned into an f-string.
enum FormatPart<'e> {
    Literal(String),
    Value(&'e Expr, Option<String>),
}

fn collection(keys: Vec<Key>, set: bool) -> Key {
    if set {
        let mut keys = keys;
        keys.sort_by_key(|k| format!("{k:?}"));
        keys.dedup();
        Key::FrozenSet(keys)
    } else {
        Key::Tuple(keys)
    }
}

fn name_of(k: &Keyword) -> String {
    k.arg.as_ref().map(ToString::to_string).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalysisOptions, analyze_source};

    fn statements(src: &str, python: (u8, u8)) -> Vec<u32> {
        let options = AnalysisOptions {
            python,
            ..AnalysisOptions::default()
        };
        let analysis = analyze_source(src.as_bytes(), "t.py", &options).unwrap();
        analysis.statements.into_iter().collect()
    }

    #[test]
    fn a_dead_def_survives_only_before_a_new_constant() {
        let kept = "def f(v):\n    if v:\n        return\n        def g():\n            return 1\n    return 'new'\n";
        assert_eq!(statements(kept, (3, 10)), [1, 2, 3, 5, 6]);
        assert_eq!(statements(kept, (3, 11)), [1, 2, 3, 4, 5, 6]);
        assert_eq!(statements(kept, (3, 12)), [1, 2, 3, 6]);
        // None is the function's first constant: nothing new follows `g`.
        let trimmed = kept.replace("'new'", "None");
        assert_eq!(statements(&trimmed, (3, 10)), [1, 2, 3, 6]);
        assert_eq!(statements(&trimmed, (3, 11)), [1, 2, 3, 6]);
    }

    #[test]
    fn the_table_shares_equal_constants_and_appends_folded_tuples() {
        let mut table = ConstTable::default();
        assert_eq!(table.add(Key::None, false), 0);
        assert_eq!(table.add(Key::Int("1".into()), true), 1);
        table.add_dead_code(Key::Code(1), [7].into());
        assert_eq!(table.add(Key::Int("1".into()), true), 1);
        assert_eq!(table.surviving_lines().count(), 0);

        let mut table = ConstTable::default();
        table.add(Key::None, false);
        table.add_dead_code(Key::Code(1), [7].into());
        table.appended.push((Key::Tuple(vec![]), true));
        assert_eq!(table.surviving_lines().collect::<Vec<_>>(), [7]);
    }

    #[test]
    fn folding_follows_the_ast_optimizer() {
        let fold = |src: &str| {
            let parsed = crate::syntax::parse(src, (3, 11)).unwrap();
            let Stmt::Expr(e) = &parsed.module.body[0] else {
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
