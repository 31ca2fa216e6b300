"""Write coverage.py's analysis of every analysis fixture, for the running Python, as JSON.

Run once per Python 3.10-3.13 with that version's venv (`tools/python-env.sh` prints its python):

    $PY crates/ferrocov_analysis/resources/expected/generate.py

For each `resources/*.py` it writes `resources/expected/<fixture>.py3X.json` (and removes the
running version's files of fixtures that are gone). `cargo test -p ferrocov_analysis --test
expected` compares ferrocov's analysis with them, without Python. The analysis is `oracle.py`'s:
coverage.py's own `PythonParser` and `code_regions`, with its default exclusion regexes.
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


def expectation(fixture: Path) -> dict[str, object]:
    """The facts to check in for one fixture on the running Python."""
    exclude = list(DEFAULT_EXCLUDE)
    found = oracle.analyze(str(fixture), exclude)
    out: dict[str, object] = {
        "python": ".".join(map(str, sys.version_info[:3])),
        "coverage": coverage.__version__,
        "exclude": exclude,
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
    print(f"{len(fixtures)} expectations for Python {tag[2]}.{tag[3:]} in {HERE}")


if __name__ == "__main__":
    main()
