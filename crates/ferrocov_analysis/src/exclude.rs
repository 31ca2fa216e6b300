//! Excluded lines as coverage.py finds them: regex matches (Python `re` syntax, translated for
//! fancy-regex), whole suites under a matched block opener, whole functions and classes under a
//! matched decorator or signature, and an irrefutable `case` whose body is all excluded.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{ExceptHandler, MatchCase, Pattern, Stmt};
use ruff_text_size::Ranged;

use crate::multiline::is_trivia;
use crate::stack;
use crate::syntax::{Lines, Parsed};

/// coverage.py's `join_regex`: one pattern as is, several as `(?:a)|(?:b)`.
pub fn join_regex(regexes: &[String]) -> String {
    match regexes {
        [one] => one.clone(),
        _ => regexes
            .iter()
            .map(|r| format!("(?:{r})"))
            .collect::<Vec<_>>()
            .join("|"),
    }
}

/// Rewrite a Python `re` pattern so fancy-regex means the same thing by it.
///
/// `\Z` is Python's absolute end (Rust `\z`); `[` inside a class is literal in Python but would
/// open a POSIX class or nested set in Rust; a `{` that isn't a quantifier is literal in Python.
pub fn translate_python_regex(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                let next = chars[i + 1];
                if next == 'Z' && !in_class {
                    out.push_str("\\z");
                } else {
                    out.push('\\');
                    out.push(next);
                }
                i += 2;
                continue;
            }
            '[' if in_class => out.push_str("\\["),
            '[' => {
                in_class = true;
                out.push('[');
                // `]` or `^]` right after the opener is a literal in both dialects; keep it.
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i + 1) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' | '-' if in_class && chars.get(i + 1) == Some(&c) => {
                // `&&`, `~~`, `--` are set operations in Rust classes, literals in Python.
                out.push('\\');
                out.push(c);
            }
            '{' if !in_class && !is_quantifier(&chars[i..]) => out.push_str("\\{"),
            '}' if !in_class => {
                // A `}` closing a quantifier was copied with it; a lone one is literal.
                out.push_str("\\}");
            }
            _ => out.push(c),
        }
        if c == '{' && !in_class && is_quantifier(&chars[i..]) {
            let end = chars[i..].iter().position(|&ch| ch == '}').unwrap_or(0);
            let body: String = chars[i + 1..i + end].iter().collect();
            // Python's `{,n}` means `{0,n}`.
            let body = if body.starts_with(',') {
                format!("0{body}")
            } else {
                body
            };
            out.push_str(&body);
            out.push('}');
            i += end + 1;
            continue;
        }
        i += 1;
    }
    out
}

/// `{m}`, `{m,}`, `{,n}`, `{m,n}` at the start of `rest`.
fn is_quantifier(rest: &[char]) -> bool {
    let Some(end) = rest.iter().position(|&c| c == '}') else {
        return false;
    };
    let body: String = rest[1..end].iter().collect();
    let mut parts = body.splitn(2, ',');
    let lo = parts.next().unwrap_or("");
    let hi = parts.next();
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    match hi {
        None => !lo.is_empty() && digits(lo),
        Some(hi) => digits(lo) && digits(hi) && !(lo.is_empty() && hi.is_empty()),
    }
}

/// The compiled exclusion regex, if any.
pub(crate) struct ExcludeMatcher {
    regex: Option<fancy_regex::Regex>,
}

/// Matchers compiled so far, by their patterns. A report analyses thousands of files with the
/// same few pattern lists: compiling once keeps both the compile and the lazy DFA the regex
/// builds while it searches (re-learned from nothing by every fresh regex) out of each file's
/// cost. A handful of lists at most, so the cache is never pruned.
type MatcherCache = Mutex<HashMap<Vec<String>, Arc<ExcludeMatcher>>>;

impl ExcludeMatcher {
    /// The matcher for `patterns`, compiled on first use in this process.
    pub(crate) fn shared(patterns: &[String]) -> Result<Arc<Self>, String> {
        static CACHE: OnceLock<MatcherCache> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        if let Some(found) = cache.lock().ok().and_then(|c| c.get(patterns).cloned()) {
            return Ok(found);
        }
        let matcher = Arc::new(Self::new(patterns)?);
        if let Ok(mut c) = cache.lock() {
            c.insert(patterns.to_vec(), Arc::clone(&matcher));
        }
        Ok(matcher)
    }

    pub(crate) fn new(exclude: &[String]) -> Result<Self, String> {
        if exclude.is_empty() {
            return Ok(Self { regex: None });
        }
        let joined = join_regex(exclude);
        if joined.is_empty() {
            return Ok(Self { regex: None });
        }
        let translated = format!("(?m){}", translate_python_regex(&joined));
        let regex = fancy_regex::Regex::new(&translated).map_err(|e| e.to_string())?;
        Ok(Self { regex: Some(regex) })
    }

    /// Lines touched by any match (coverage.py's `lines_matching`, whose multi-line map is
    /// still empty at that point, so these are physical lines).
    pub(crate) fn lines_matching(&self, text: &str, lines: &Lines) -> BTreeSet<u32> {
        let mut out = BTreeSet::new();
        let Some(regex) = &self.regex else { return out };
        for m in regex.find_iter(text) {
            let Ok(m) = m else { break };
            let start =
                lines.line(ruff_text_size::TextSize::try_from(m.start()).unwrap_or_default());
            let end = lines.line(ruff_text_size::TextSize::try_from(m.end()).unwrap_or_default());
            out.extend(start..=end);
        }
        out
    }
}

/// Grow the matched lines to coverage.py's final `excluded` set.
pub(crate) fn excluded_lines(
    parsed: &Parsed,
    matched: BTreeSet<u32>,
    multiline: &BTreeMap<u32, u32>,
    raw_statements: &BTreeSet<u32>,
) -> BTreeSet<u32> {
    let mut excluded = matched;
    suites_under_openers(parsed, &mut excluded);
    let mut excluded: BTreeSet<u32> = excluded
        .into_iter()
        .map(|l| multiline.get(&l).copied().unwrap_or(l))
        .collect();
    let mut walker = Walker {
        lines: &parsed.lines,
        excluded: &mut excluded,
        raw: raw_statements,
    };
    walker.suite(&parsed.module().body);
    excluded
}

/// A `:` at bracket depth 0 whose statement has an excluded line excludes the indented suite
/// that follows (the token walk of coverage.py's `_raw_parse`).
fn suites_under_openers(parsed: &Parsed, excluded: &mut BTreeSet<u32>) {
    let mut indent = 0i32;
    let mut exclude_indent = 0i32;
    let mut excluding = false;
    let mut first_line = 0u32;
    let mut nesting = 0i32;
    for tok in &parsed.tokens {
        match tok.kind {
            TokenKind::Indent => indent += 1,
            TokenKind::Dedent => indent -= 1,
            TokenKind::Colon if nesting == 0 => {
                let hit = excluded.range(first_line..=tok.line).next().is_some();
                if !excluding && hit {
                    excluded.insert(tok.line);
                    exclude_indent = indent;
                    excluding = true;
                }
            }
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => nesting += 1,
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => nesting -= 1,
            TokenKind::Newline => first_line = 0,
            _ => {}
        }
        if !is_trivia(tok.kind) && first_line == 0 {
            first_line = tok.line;
            if excluding && indent <= exclude_indent {
                excluding = false;
            }
            if excluding {
                excluded.insert(tok.line);
            }
        }
    }
}

struct Walker<'a> {
    lines: &'a Lines,
    excluded: &'a mut BTreeSet<u32>,
    raw: &'a BTreeSet<u32>,
}

impl Walker<'_> {
    fn suite(&mut self, body: &[Stmt]) {
        for stmt in body {
            self.stmt(stmt);
        }
    }

    fn definition(
        &mut self,
        stmt: &Stmt,
        decorators: &[ruff_python_ast::Decorator],
        name_line: u32,
    ) {
        let first = decorators
            .iter()
            .map(|d| self.lines.start(d.expression.range()))
            .min()
            .unwrap_or(name_line)
            .min(name_line);
        if self.excluded.range(first..=name_line).next().is_some() {
            let end = self.lines.end(stmt.range());
            self.excluded.extend(first..=end);
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        stack::guard(|| self.stmt_of(stmt));
    }

    fn stmt_of(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::FunctionDef(f) => {
                self.definition(stmt, &f.decorator_list, self.lines.start(f.name.range()));
                self.suite(&f.body);
            }
            Stmt::ClassDef(c) => {
                self.definition(stmt, &c.decorator_list, self.lines.start(c.name.range()));
                self.suite(&c.body);
            }
            Stmt::For(s) => {
                self.suite(&s.body);
                self.suite(&s.orelse);
            }
            Stmt::While(s) => {
                self.suite(&s.body);
                self.suite(&s.orelse);
            }
            Stmt::If(s) => {
                self.suite(&s.body);
                for clause in &s.elif_else_clauses {
                    self.suite(&clause.body);
                }
            }
            Stmt::With(s) => self.suite(&s.body),
            Stmt::Try(s) => {
                self.suite(&s.body);
                for ExceptHandler::ExceptHandler(h) in &s.handlers {
                    self.suite(&h.body);
                }
                self.suite(&s.orelse);
                self.suite(&s.finalbody);
            }
            Stmt::Match(s) => {
                for case in &s.cases {
                    self.case(case);
                    self.suite(&case.body);
                }
            }
            _ => {}
        }
    }

    /// An irrefutable `case` whose body statements are all excluded is excluded too.
    fn case(&mut self, case: &MatchCase) {
        if case.guard.is_some() || !irrefutable(&case.pattern) {
            return;
        }
        let (Some(first), Some(last)) = (case.body.first(), case.body.last()) else {
            return;
        };
        let body = self.lines.lineno(first)..=self.lines.end(last.range());
        let mut body_statements = self.raw.range(body).peekable();
        if body_statements.peek().is_none() {
            return;
        }
        if body_statements.all(|l| self.excluded.contains(l)) {
            let p = case.pattern.range();
            self.excluded
                .extend(self.lines.start(p)..=self.lines.end(p));
        }
    }
}

/// coverage.py's `_case_is_irrefutable` on the pattern (the guard is checked by the caller).
fn irrefutable(pattern: &Pattern) -> bool {
    let mut p = pattern;
    while let Pattern::MatchOr(or) = p {
        match or.patterns.last() {
            Some(last) => p = last,
            None => return false,
        }
    }
    while let Pattern::MatchAs(a) = p {
        match &a.pattern {
            Some(inner) => p = inner,
            None => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_like_coverage() {
        assert_eq!(join_regex(&["a".into()]), "a");
        assert_eq!(join_regex(&["a".into(), "b|c".into()]), "(?:a)|(?:b|c)");
    }

    #[test]
    fn translates_python_only_syntax() {
        assert_eq!(translate_python_regex(r"foo\Z"), r"foo\z");
        assert_eq!(translate_python_regex(r"[[:alpha:]]"), r"[\[:alpha:]]");
        assert_eq!(translate_python_regex(r"[a[b]"), r"[a\[b]");
        assert_eq!(translate_python_regex(r"[]x]"), r"[\]x]");
        assert_eq!(translate_python_regex(r"a{2,3}b{,4}"), r"a{2,3}b{0,4}");
        assert_eq!(translate_python_regex(r"x{y}"), r"x\{y\}");
        assert_eq!(
            translate_python_regex(r"#\s*(pragma|PRAGMA)[:\s]?"),
            r"#\s*(pragma|PRAGMA)[:\s]?"
        );
    }

    #[test]
    fn translated_patterns_compile_and_match() {
        for (pat, text, hit) in [
            (r"end\Z", "the end\n", false),
            (r"[[:]x", ":x", true),
            (r"(?P<n>ab)(?P=n)", "abab", true),
            (r"a{,2}z", "aaz", true),
            (r"(?<!no)cover", "nocover", false),
        ] {
            let m = ExcludeMatcher::new(&[pat.to_owned()]).unwrap();
            let found = m.regex.as_ref().unwrap().is_match(text).unwrap();
            assert_eq!(found, hit, "{pat} on {text:?}");
        }
    }

    #[test]
    fn matchers_are_compiled_once_per_pattern_list() {
        let a = ExcludeMatcher::shared(&["nocover".into()]).unwrap();
        let again = ExcludeMatcher::shared(&["nocover".into()]).unwrap();
        let other = ExcludeMatcher::shared(&["other".into()]).unwrap();
        assert!(Arc::ptr_eq(&a, &again));
        assert!(!Arc::ptr_eq(&a, &other));
        let text = "x = 1  # other\ny = 2  # nocover\n";
        let lines = Lines::new(text);
        assert_eq!(a.lines_matching(text, &lines), BTreeSet::from([2]));
        assert_eq!(other.lines_matching(text, &lines), BTreeSet::from([1]));
        // A bad pattern is an error each time, never a cached matcher.
        assert!(ExcludeMatcher::shared(&["(".into()]).is_err());
        assert!(ExcludeMatcher::shared(&["(".into()]).is_err());
    }

    #[test]
    fn lines_matching_spans_lines() {
        let text = "a = 1\n\n\ndef f(): ...\nb = 2  # nocover\n";
        let lines = Lines::new(text);
        let m = ExcludeMatcher::new(&[r"^\s*def .*\.\.\.".into(), "nocover".into()]).unwrap();
        let got: Vec<u32> = m.lines_matching(text, &lines).into_iter().collect();
        // `^\s*` starts on the blank line 2 and runs through line 4.
        assert_eq!(got, vec![2, 3, 4, 5]);
    }
}
