//! Hostile inputs: each one is analysed correctly or refused with CPython's words (or ours where
//! CPython only crashes), quickly, without a panic, on a thread with a 256 KiB stack.

use ferrocov_analysis::{AnalysisError, AnalysisOptions, FileAnalysis, analyze_source};

const PYTHONS: [(u8, u8); 4] = [(3, 10), (3, 11), (3, 12), (3, 13)];
const SMALL_STACK: usize = 256 * 1024;

fn analyze(source: impl Into<Vec<u8>>, python: (u8, u8)) -> Result<FileAnalysis, AnalysisError> {
    let source = source.into();
    let options = AnalysisOptions {
        python: (python.0, python.1, 0),
        ..AnalysisOptions::default()
    };
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || analyze_source(&source, "hostile.py", &options))
        .expect("thread")
        .join()
        .expect("the analysis does not panic")
}

/// Refused as CPython refuses it: coverage.py's NotPython with this message and line.
fn assert_not_python(source: impl Into<Vec<u8>>, python: (u8, u8), line: u32, message: &str) {
    match analyze(source, python) {
        Err(AnalysisError::NotPython {
            line: got_line,
            message: got,
            ..
        }) => assert_eq!((got_line, got.as_str()), (line, message), "{python:?}"),
        other => panic!("{python:?}: expected NotPython {message:?}, got {other:?}"),
    }
}

/// Refused as too deeply nested for CPython's parser or compiler.
fn assert_too_complex(source: impl Into<Vec<u8>>, python: (u8, u8), words: &str) {
    match analyze(source, python) {
        Err(err @ AnalysisError::TooComplex { .. }) => {
            assert!(err.to_string().contains(words), "{python:?}: {err}");
            assert!(
                err.to_string()
                    .starts_with("Couldn't parse 'hostile.py' as Python source: '")
            );
        }
        other => panic!("{python:?}: expected TooComplex {words:?}, got {other:?}"),
    }
}

fn statements(source: impl Into<Vec<u8>>, python: (u8, u8)) -> Vec<u32> {
    match analyze(source, python) {
        Ok(a) => a.statements.into_iter().collect(),
        Err(err) => panic!("{python:?}: {err}"),
    }
}

fn nested(open: &str, close: &str, n: usize) -> String {
    format!("x = 0\ny = {}1{}\n", open.repeat(n), close.repeat(n))
}

fn nested_ifs(n: usize) -> String {
    let mut text: String = (0..n)
        .map(|i| format!("{}if x:\n", " ".repeat(i)))
        .collect();
    text.push_str(&format!("{}pass\n", " ".repeat(n)));
    text
}

#[test]
fn brackets_past_200_are_refused() {
    for python in PYTHONS {
        for (open, close) in [("(", ")"), ("[", "]"), ("{", "}")] {
            assert_not_python(
                nested(open, close, 100_000),
                python,
                2,
                "too many nested parentheses",
            );
            assert_not_python(
                nested(open, close, 201),
                python,
                2,
                "too many nested parentheses",
            );
            assert_eq!(statements(nested(open, close, 200), python), [1, 2]);
        }
    }
}

#[test]
fn indentation_past_99_levels_is_refused() {
    for python in PYTHONS {
        // The 100th level (line 101 here) is one too many.
        assert_not_python(
            nested_ifs(100),
            python,
            101,
            "too many levels of indentation",
        );
        // 100,000 nested blocks would be 5 GB of indentation; the first 2,000 (2 MB) show that
        // the 100th level is where it ends.
        assert_not_python(
            nested_ifs(2_000),
            python,
            101,
            "too many levels of indentation",
        );
        // 100,000 `if`s nested on one line is invalid syntax, refused as such.
        let line = format!("{}pass\n", "if x: ".repeat(100_000));
        assert!(matches!(
            analyze(line, python),
            Err(AnalysisError::NotPython { line: 1, .. })
        ));
        assert_eq!(
            statements(nested_ifs(99), python),
            (1..=100).collect::<Vec<_>>()
        );
    }
}

#[test]
fn right_recursive_chains_overflow_the_parser_stack() {
    for python in PYTHONS {
        for link in ["not ", "-", "+", "~", "lambda: ", "1 if 1 else ", "2 ** "] {
            let text = format!("x = 1\ny = {}1\n", link.repeat(100_000));
            assert_too_complex(text, python, "Parser stack overflowed");
            let text = format!("x = 1\ny = {}1\n", link.repeat(10_000));
            assert_too_complex(text, python, "Parser stack overflowed");
        }
    }
}

#[test]
fn left_deep_chains_are_too_deep_for_ast_construction() {
    for python in PYTHONS {
        let words = if python < (3, 11) {
            "maximum recursion depth exceeded during compilation"
        } else {
            "maximum recursion depth exceeded during ast construction"
        };
        for text in [
            format!("x = 1\ny = {}1\n", "1 + ".repeat(100_000)),
            format!("x = 1\ny = a{}\n", ".b".repeat(100_000)),
            format!("x = 1\ny = f{}\n", "()".repeat(100_000)),
            format!("x = 1\ny = a{}\n", "[0]".repeat(100_000)),
        ] {
            assert_too_complex(text, python, words);
        }
    }
}

#[test]
fn chains_cpython_accepts_are_analysed() {
    // The longest chains each Python takes (at the top of the stack, default recursion limit):
    // ours are not shorter. 3.10-3.12 share their limits; 3.10/3.11 also model constant tables,
    // which costs time quadratic in a chain of constants, so they get shorter chains here.
    for (python, n) in [
        ((3, 10), 1_000),
        ((3, 11), 1_000),
        ((3, 12), 2_991),
        ((3, 13), 9_994),
    ] {
        for text in [
            format!("x = 1\ny = {}1\n", "1 + ".repeat(n)),
            format!("x = 1\ny = a{}\n", ".b".repeat(n)),
            format!("x = 1\ny = f{}\n", "()".repeat(n)),
            format!("x = 1\ny = {}1\n", "not ".repeat(n.min(5_966))),
            format!("x = 1\ny = {}1\n", "-".repeat(n.min(5_966))),
            format!("x = 1\ny = {}1\n", "lambda: ".repeat(n.min(2_983))),
            format!("x = 1\ny = {}1\n", "1 if 1 else ".repeat(n.min(5_966))),
            format!("x = 1\ny = {}1\n", "2 ** ".repeat(n.min(2_983))),
        ] {
            assert_eq!(statements(text, python), [1, 2], "{python:?}");
        }
    }
}

#[test]
fn long_flat_code_is_analysed() {
    // A 1 MB line.
    let text = format!("x = '{}'\n", "a".repeat(1 << 20));
    assert_eq!(statements(text, (3, 12)), [1]);
    let text = format!("x = [{}]\n", "1, ".repeat(1 << 18));
    assert_eq!(statements(text, (3, 11)), [1]);
    for python in PYTHONS {
        // Many `elif`s: a flat list here, walked without recursion.
        let text = format!("if x:\n    pass\n{}", "elif x:\n    pass\n".repeat(20_000));
        assert_eq!(statements(text, python).len(), 40_002);
    }
}

#[test]
fn branch_analysis_of_deep_and_long_code() {
    for python in PYTHONS {
        // 20,000 `elif`s (nested `If`s in CPython's AST): arcs in linear time, no recursion.
        let text = format!("if x:\n    pass\n{}", "elif x:\n    pass\n".repeat(20_000));
        let a = analyze(text, python).expect("analysed");
        assert_eq!(a.exit_counts().get(&1), Some(&2));
        assert_eq!(a.arcs.len(), 60_003); // per test: into its body, on to the next; per body: out
        // 98 levels of loops, `try`, `with` and `match` on a small stack.
        let kinds = [
            "for i in x:",
            "while x:",
            "try:",
            "with x:",
            "if x:",
            "match x:",
        ];
        let mut text = String::new();
        let mut closers = Vec::new();
        let mut depth = 0;
        for i in 0..60 {
            let indent = "    ".repeat(depth);
            let kind = kinds[i % kinds.len()];
            text.push_str(&format!("{indent}{kind}\n"));
            depth += 1;
            if kind == "match x:" {
                text.push_str(&format!("{}case 1:\n", "    ".repeat(depth)));
                depth += 1;
            }
            if kind == "try:" {
                closers.push((depth - 1, "finally:"));
            }
        }
        text.push_str(&format!("{}break\n", "    ".repeat(depth)));
        for (level, closer) in closers.into_iter().rev() {
            let indent = "    ".repeat(level);
            text.push_str(&format!("{indent}{closer}\n{indent}    pass\n"));
        }
        let a = analyze(text, python).expect("analysed");
        assert!(a.arcs.len() > 60, "{python:?}: {} arcs", a.arcs.len());
    }
}

#[test]
fn a_megabyte_of_nesting_on_one_line_is_refused() {
    assert_not_python(
        "(".repeat(1 << 20),
        (3, 12),
        1,
        "too many nested parentheses",
    );
    let text = format!("x = {}1\n", "1+".repeat(1 << 19));
    assert_too_complex(text, (3, 13), "maximum recursion depth exceeded");
    let text = format!("x = {}1\n", "not ".repeat(1 << 18));
    assert_too_complex(text, (3, 10), "Parser stack overflowed");
}

#[test]
fn odd_bytes_are_not_python_or_analysed() {
    for python in PYTHONS {
        let message = "source code string cannot contain null bytes";
        assert_not_python(b"x = 1\ny = 2\0\n".to_vec(), python, 2, message);
        // Undecodable bytes where tokenize looks for a coding cookie: refused, as tokenize does.
        assert_not_python(
            b"x = '\xff\xfe'\n".to_vec(),
            python,
            1,
            "invalid or missing encoding declaration",
        );
        // Further down they are replaced, as coverage.py decodes with errors="replace".
        assert_eq!(
            statements(b"x = 1\ny = 2\nz = '\xff\xc3'\n".to_vec(), python),
            [1, 2, 3]
        );
        assert_eq!(statements(Vec::new(), python), Vec::<u32>::new());
        assert_eq!(
            statements(b"\xef\xbb\xbf".to_vec(), python),
            Vec::<u32>::new()
        );
    }
}

#[test]
fn lone_surrogates_in_a_declared_utf8_file() {
    for python in PYTHONS {
        // An encoded surrogate (invalid UTF-8) past the cookie lines is replaced.
        let text = b"# -*- coding: utf-8 -*-\nx = 1\ny = '\xed\xa0\x80'\n".to_vec();
        assert_eq!(statements(text, python), [2, 3]);
        // On a line tokenize decodes to look for the cookie, it is refused.
        let text = b"# \xed\xa0\x80\n# -*- coding: utf-8 -*-\nx = 1\n".to_vec();
        assert_not_python(text, python, 1, "invalid or missing encoding declaration");
        // Surrogate escapes are just text, and distinct constants.
        let text = "# coding: utf-8\nx = '\\ud800'\ny = '\\udc00'\n";
        assert_eq!(statements(text, python), [2, 3]);
    }
}

/// A small deterministic generator (xorshift), so a failure reproduces from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: [&str; 40] = [
    "(", ")", "[", "]", "{", "}", "\n", "    ", "\t", ":", ",", ";", "=", "+", "-", "*", "**",
    "not ", "lambda ", "if ", "else ", "for ", "in ", "def ", "class ", "return ", "x", "1", "'",
    "\"", "'''", "f'", "{x}", "#", "\\\n", "async ", "await ", "match ", "case ", "\0",
];

#[test]
fn random_text_never_panics() {
    let mut rng = Rng(0x5eed_f00d_cafe_beef);
    for round in 0..3_000 {
        let mut source = Vec::new();
        let len = rng.below(400);
        if round % 3 == 0 {
            source.extend((0..len).map(|_| rng.next() as u8));
        } else {
            for _ in 0..len {
                source.extend_from_slice(PIECES[rng.below(PIECES.len())].as_bytes());
            }
        }
        let python = PYTHONS[rng.below(PYTHONS.len())];
        let options = AnalysisOptions {
            python: (python.0, python.1, 0),
            ..AnalysisOptions::default()
        };
        match analyze_source(&source, "random.py", &options) {
            Ok(_) | Err(AnalysisError::NotPython { .. } | AnalysisError::TooComplex { .. }) => {}
            Err(err) => panic!(
                "round {round}: {err} for {:?}",
                String::from_utf8_lossy(&source)
            ),
        }
    }
}

const STATEMENTS: [&str; 18] = [
    "x = {}",
    "if {}:",
    "elif {}:",
    "else:",
    "def f(a, b={}, *c, d, **e):",
    "class C({}):",
    "for i in {}:",
    "while {}:",
    "try:",
    "except E as e:",
    "finally:",
    "return {}",
    "with {} as y:",
    "match {}:",
    "case [a, *b] if {}:",
    "yield {}",
    "@dec({})",
    "del {}",
];
const EXPRESSIONS: [&str; 14] = [
    "a",
    "1",
    "'s'",
    "f'{a!r:>{w}}'",
    "(a, {})",
    "[{} for a in b if c]",
    "{{a: {}}}",
    "not {}",
    "-{}",
    "{} if a else {}",
    "lambda a: {}",
    "{} + {} * {}",
    "a.b({}, k={})",
    "...",
];

fn expression(rng: &mut Rng, depth: u32) -> String {
    let template = EXPRESSIONS[rng.below(EXPRESSIONS.len())];
    let mut out = String::new();
    for (i, part) in template.split("{}").enumerate() {
        if i > 0 {
            out.push_str(&if depth > 4 {
                "a".to_owned()
            } else {
                expression(rng, depth + 1)
            });
        }
        out.push_str(part);
    }
    out
}

#[test]
fn random_programs_are_analysed_or_refused() {
    let mut rng = Rng(0x0dd_c0de_1234_5678);
    let mut analysed = 0;
    for round in 0..1_000 {
        let mut source = String::new();
        let mut indent = 0;
        for _ in 0..rng.below(30) {
            let statement =
                STATEMENTS[rng.below(STATEMENTS.len())].replace("{}", &expression(&mut rng, 0));
            source.push_str(&format!("{}{statement}\n", "    ".repeat(indent)));
            if statement.ends_with(':') {
                indent += 1;
                source.push_str(&format!("{}pass\n", "    ".repeat(indent)));
            } else if indent > 0 && rng.below(3) == 0 {
                indent -= 1;
            }
        }
        let python = PYTHONS[round % PYTHONS.len()];
        let options = AnalysisOptions {
            python: (python.0, python.1, 0),
            ..AnalysisOptions::default()
        };
        match analyze_source(source.as_bytes(), "random.py", &options) {
            Ok(_) => analysed += 1,
            Err(AnalysisError::NotPython { .. }) => {}
            Err(err) => panic!("round {round}: {err} for {source}"),
        }
    }
    assert!(
        analysed > 30,
        "only {analysed} of the random programs parse"
    );
}
