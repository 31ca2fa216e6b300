"""Lay out a bigger branch corpus from the running interpreter's standard library.

    python stdlib_corpus.py /tmp/corpus
    FERROCOV_BRANCH_DIR=/tmp/corpus python gen.py          # once per Python version
    FERROCOV_BRANCH_DIR=/tmp/corpus cargo test -p ferrocov_report --test branch

Copies seven branchy modules into DIR/proj/lib and writes a main.py exercising them (about
2,400 statements and 1,100 branches, 150 of them partial). Not checked in: the copies are
CPython's code, and the fixtures are large.
"""

import os
import shutil
import sys

MODULES = ["difflib", "textwrap", "shlex", "fractions", "pprint", "string", "tokenize"]

MAIN = """import io
from lib import sl_difflib, sl_textwrap, sl_shlex, sl_fractions, sl_pprint, sl_string, sl_tokenize

a = ["one two three\\n", "four five\\n", "six\\n"] * 20
b = ["one two thre\\n", "four five six\\n", "seven\\n"] * 20
list(sl_difflib.unified_diff(a, b))
list(sl_difflib.ndiff(a[:10], b[:10]))
sl_difflib.HtmlDiff().make_table(a[:5], b[:5])
sl_difflib.get_close_matches("appel", ["ape", "apple", "peach", "puppy"])
sl_textwrap.fill("hello world " * 50, width=30)
sl_textwrap.dedent("    a\\n    b\\n")
sl_textwrap.shorten("Hello  world!", width=12)
sl_shlex.split("a 'b c' \\"d e\\" f\\\\ g # comment", comments=True)
sl_shlex.quote("it's")
sl_fractions.Fraction(3, 4) + sl_fractions.Fraction("1.25") * 2
sl_fractions.Fraction(1.1).limit_denominator(10)
sl_pprint.pformat({"a": [1, 2, {"b": (3, 4)}], "c": "x" * 100}, width=40)
sl_string.Template("$a and ${b}").safe_substitute(a=1)
sl_string.capwords("hello there world")
list(sl_tokenize.generate_tokens(io.StringIO("x = (1 +\\n 2)\\nif x:\\n    pass\\n").readline))"""


def main():
    target = os.path.join(sys.argv[1], "proj")
    lib = os.path.join(target, "lib")
    os.makedirs(lib, exist_ok=True)
    stdlib = os.path.dirname(os.__file__)
    for name in MODULES:
        shutil.copy(os.path.join(stdlib, name + ".py"), os.path.join(lib, f"sl_{name}.py"))
    open(os.path.join(lib, "__init__.py"), "w").close()
    with open(os.path.join(target, "main.py"), "w") as f:
        f.write(MAIN + "\n")


if __name__ == "__main__":
    main()
