"""Write coverage.py's analysis of every analysis fixture, for the running Python, as JSON.

Run once per Python 3.10-3.13 with that version's venv (`tools/python-env.sh` prints its python):

    $PY crates/ferrocov_analysis/resources/expected/generate.py

For each `resources/*.py` it writes `resources/expected/<fixture>.py3X.json` (and removes the
running version's files of fixtures that are gone), and for the programs of coverage.py's
`tests/test_arcs.py` (`resources/test_arcs/`) one `resources/test_arcs/expected.py3X.json`.
`cargo test -p ferrocov_analysis --test expected` compares ferrocov's analysis with them, without
Python. The analysis is `oracle.py`'s: coverage.py's own `PythonParser` and `code_regions`, with
its default exclusion and partial-branch regexes. On a 3.12 before 3.12.6 the arcs are also
recorded as 3.12.6+ makes them (`with` exits through each context manager), under `"3.12.6"`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import coverage
import oracle
from coverage.config import DEFAULT_EXCLUDE

HERE = Path(__file__).resolve().parent
RESOURCES = HERE.parent
KEYS = ("statements", "excluded", "multiline", "regions")
BRANCH_KEYS = ("arcs", "exit_counts", "no_branch", "descriptions")
TEST_ARCS = RESOURCES / "test_arcs"


def emulate_3_12_6() -> bool:
    """Is this a 3.12 whose `with` arcs differ from 3.12.6's (then those are recorded too)?"""
    return sys.version_info[:2] == (3, 12) and sys.version_info[:3] < (3, 12, 6)


def stable(descriptions: dict[str, list[str]]) -> dict[str, list[str | None]]:
    """coverage.py orders the fragments of one arc as a set of its own iterates, which varies
    with string hashing between runs: the parts of a missing-arc description are written sorted,
    and the arc description (the first fragment's) only when there is one fragment."""
    out: dict[str, list[str | None]] = {}
    for arc, (first, missing) in descriptions.items():
        parts = sorted(missing.split(" or "))
        out[arc] = [first if len(parts) == 1 else None, " or ".join(parts)]
    return out


def branch_expectation(path: Path, exclude: list[str], partial: list[str]) -> dict[str, object]:
    """The branch facts of one file; on 3.12 before 3.12.6 also the 3.12.6 arcs."""
    found = oracle.analyze(str(path), exclude, partial=partial)
    if "error" in found:
        return {}
    out: dict[str, object] = {key: found[key] for key in BRANCH_KEYS}
    out["descriptions"] = stable(found["descriptions"])  # type: ignore[arg-type]
    if emulate_3_12_6():
        later = oracle.analyze(str(path), exclude, partial=partial, through_items=True)
        out["3.12.6"] = {key: later[key] for key in ("arcs", "exit_counts")}
    return out


def expectation(fixture: Path) -> dict[str, object]:
    """The facts to check in for one fixture on the running Python."""
    exclude = list(DEFAULT_EXCLUDE)
    partial = list(oracle.DEFAULT_PARTIALS)
    found = oracle.analyze(str(fixture), exclude)
    out: dict[str, object] = {
        "python": ".".join(map(str, sys.version_info[:3])),
        "coverage": coverage.__version__,
        "exclude": exclude,
        "partial": partial,
    }
    if "error" in found:
        message = str(found["error"]).replace(str(fixture), fixture.name)
        out["error"] = {
            "kind": found["error_kind"],
            "line": found["error_line"],
            "message": message,
        }
    else:
        out.update({key: found[key] for key in KEYS})
        out.update(branch_expectation(fixture, exclude, partial))
    return out


def test_arcs_expectations() -> dict[str, object]:
    """Branch facts of every extracted coverage.py branch-test program, with its regexes."""
    cases = json.loads((TEST_ARCS / "cases.json").read_text(encoding="utf-8"))
    out: dict[str, object] = {
        "python": ".".join(map(str, sys.version_info[:3])),
        "coverage": coverage.__version__,
    }
    for case in cases:
        exclude = [*DEFAULT_EXCLUDE, *case["excludes"]]
        partials = oracle.DEFAULT_PARTIALS
        partial = [*partials[:1], *case["partials"], *partials[1:]]
        facts = branch_expectation(TEST_ARCS / case["file"], exclude, partial)
        out[case["file"]] = {"exclude": exclude, "partial": partial, **facts}
    return out


def render(data: dict[str, object]) -> str:
    """One key a line, values compact: small diffs when an expectation changes."""
    lines = [f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main() -> None:
    tag = f"py{sys.version_info[0]}{sys.version_info[1]}"
    for stale in HERE.glob(f"*.{tag}.json"):
        stale.unlink()
    fixtures = sorted(RESOURCES.glob("*.py"))
    for fixture in fixtures:
        target = HERE / f"{fixture.stem}.{tag}.json"
        target.write_text(render(expectation(fixture)), encoding="utf-8")
    target = TEST_ARCS / f"expected.{tag}.json"
    target.write_text(render(test_arcs_expectations()), encoding="utf-8")
    print(f"{len(fixtures)} expectations for Python {tag[2]}.{tag[3:]} in {HERE}, and {target}")


if __name__ == "__main__":
    main()
