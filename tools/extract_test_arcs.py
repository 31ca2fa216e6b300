#!/usr/bin/env python3
"""Extract the programs of coverage.py's branch tests into a fixture corpus.

    python tools/extract_test_arcs.py SDIST_DIR

SDIST_DIR is an unpacked coverage.py source distribution
(`pip download coverage==7.17.5 --no-binary :all: --no-deps`). Every
`self.check_coverage(TEXT, ..., branchz=...)` call of its `tests/test_arcs.py` and
`tests/test_coverage.py` becomes
`crates/ferrocov_analysis/resources/test_arcs/<class>.<test>.<n>.py` (the text dedented as
coverage.py's `make_file` does), and `cases.json` there records each case's origin and its
`excludes`/`partials` regexes. The texts are test data; they are compared against coverage.py's
own parser by `tests/analysis/test_arc_parity.py`, never against coverage.py's expectations.
"""

from __future__ import annotations

import ast
import json
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "crates/ferrocov_analysis/resources/test_arcs"


def constant_list(node: ast.expr | None) -> list[str]:
    if node is None:
        return []
    value = ast.literal_eval(node)
    return [str(v) for v in value]


SOURCES = ("tests/test_arcs.py", "tests/test_coverage.py")


def extract(sdist: Path, relative: str) -> list[dict[str, object]]:
    source = sdist / relative
    tree = ast.parse(source.read_text(encoding="utf-8"))
    cases: list[dict[str, object]] = []
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef):
            continue
        for func in cls.body:
            if not isinstance(func, ast.FunctionDef):
                continue
            n = 0
            for node in ast.walk(func):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "check_coverage"
                    and node.args
                ):
                    continue
                keywords = {k.arg: k.value for k in node.keywords}
                if "branchz" not in keywords:
                    continue
                try:
                    text = ast.literal_eval(node.args[0])
                except ValueError:
                    continue  # a computed text: not a fixed program
                n += 1
                name = f"{cls.name}.{func.name}.{n}.py"
                text = textwrap.dedent(text)
                if text and not text.endswith("\n"):
                    text += "\n"
                cases.append(
                    {
                        "file": name,
                        "origin": f"coverage.py {sdist.name.split('-')[-1]}: "
                        f"{relative} line {node.lineno}",
                        "excludes": constant_list(keywords.get("excludes")),
                        "partials": constant_list(keywords.get("partials")),
                        "text": text,
                    }
                )
    return cases


def main() -> None:
    sdist = Path(sys.argv[1])
    cases = [case for relative in SOURCES for case in extract(sdist, relative)]
    names = [case["file"] for case in cases]
    assert len(names) == len(set(names)), "two cases with one name"
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.py"):
        old.unlink()
    for case in cases:
        (OUT / str(case["file"])).write_text(str(case.pop("text")), encoding="utf-8")
    manifest = json.dumps(cases, indent=1) + "\n"
    (OUT / "cases.json").write_text(manifest, encoding="utf-8")
    print(f"{len(cases)} cases in {OUT}")


if __name__ == "__main__":
    main()
