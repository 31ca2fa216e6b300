//! A code object's constants in compile order: the statements and expressions that add them,
//! the displays and calls the optimizer folds into one tuple, patterns, defaults, annotations.

use ruff_python_ast::{
    CmpOp, Comprehension, Expr, FStringPart, Keyword, Parameters, Pattern, Singleton, Stmt,
    StmtFunctionDef, UnaryOp,
};
use ruff_text_size::Ranged;

use super::Key;
use super::fold::key;
use super::format::FormatPart;
use crate::stack;
use crate::statements::{Collector, Header, Scope, const_truth};

impl Collector<'_> {
    pub(in crate::statements) fn key_of(&self, expr: &Expr) -> Option<Key> {
        key(expr, self.python, self.text)
    }

    /// `LOAD_CONST key` here: loaded unless this code is unreachable.
    pub(in crate::statements) fn constant(&mut self, key: Key) {
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
    pub(in crate::statements) fn test(&mut self, test: &Expr, truth: Option<bool>) {
        if truth.is_some() {
            self.folded_test(test);
        } else {
            self.jump_test(test);
        }
    }

    /// A test that decides a jump. 3.11 turns `x is None` / `x is not None` there into
    /// `POP_JUMP_IF_[NOT_]NONE`: None is added but not loaded.
    fn jump_test(&mut self, test: &Expr) {
        stack::guard(|| self.jump_test_of(test))
    }

    fn jump_test_of(&mut self, test: &Expr) {
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
    pub(in crate::statements) fn expr(&mut self, expr: &Expr) {
        stack::guard(|| self.expr_of(expr))
    }

    fn expr_of(&mut self, expr: &Expr) {
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
}

impl Collector<'_> {
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
    pub(in crate::statements) fn iterable(&mut self, expr: &Expr) {
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
    pub(in crate::statements) fn target(&mut self, expr: &Expr) {
        stack::guard(|| self.target_of(expr))
    }

    fn target_of(&mut self, expr: &Expr) {
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
    pub(in crate::statements) fn call_args(
        &mut self,
        args: &[Expr],
        keywords: &[Keyword],
        class_bases: bool,
    ) {
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
    pub(in crate::statements) fn function_header<'f>(&mut self, f: &'f StmtFunctionDef) {
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
    pub(in crate::statements) fn pattern(&mut self, pattern: &Pattern) {
        stack::guard(|| self.pattern_of(pattern))
    }

    fn pattern_of(&mut self, pattern: &Pattern) {
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
    pub(in crate::statements) fn simple_stmt(&mut self, stmt: &Stmt, scope: Scope) {
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
