"""The generated project the report benchmarks measure: N modules of varied code (classes,
branches, comprehensions, excluded lines, never-called functions), a driver that imports them
all and runs two thirds, and a small pytest suite doing the same."""

from __future__ import annotations

import random
from pathlib import Path

PACKAGE = "bigproj"
PART_SIZE = 500

MODULE_TEMPLATE = '''"""Generated module {index}: realistic shapes, partly executed."""
import os


class Widget{index}:
    """A class with methods, a property and a branchy method."""

    def __init__(self, size):
        self.size = size
        self.items = [i * {index} for i in range(size)]

    @property
    def total(self):
        return sum(self.items)

    def classify(self, value):
        if value < 0:
            return "negative"
        elif value == 0:
            return "zero"
        elif value < {limit}:
            return "small"
        else:
            return "large"

    def never_called(self):  # the report shows this as missing
        result = {{}}
        for key in ("a", "b", "c"):
            result[key] = [
                x for x in range(10)
                if x % 2
            ]
        return result


def helper_{index}(values):
    out = []
    for value in values:
        try:
            out.append(100 // value)
        except ZeroDivisionError:
            out.append(None)
    return out


def unused_{index}(path):
    if os.path.exists(path):  # pragma: no cover
        return open(path).read()
    while True:
        break
    return None


def run():
    w = Widget{index}({size})
    w.classify({value})
    helper_{index}([1, 0, 2])
    return w.total
'''


def generate(root: Path, count: int) -> None:
    """The package `bigproj` (parts of 500 modules) and `driver.py` under `root`."""
    rng = random.Random(1234)
    pkg = root / "bigproj"
    for chunk in range(0, count, PART_SIZE):
        sub = pkg / f"part{chunk // PART_SIZE:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / "__init__.py").write_text("")
        for index in range(chunk, min(chunk + PART_SIZE, count)):
            text = MODULE_TEMPLATE.format(
                index=index,
                limit=rng.randint(5, 50),
                size=rng.randint(1, 5),
                value=rng.randint(-3, 60),
            )
            (sub / f"mod{index:05d}.py").write_text(text)
    (pkg / "__init__.py").write_text("")
    driver = ["import importlib", f"for i in range({count}):"]
    driver.append("    m = importlib.import_module(f'bigproj.part{i // 500:02d}.mod{i:05d}')")
    driver.append("    if i % 3: m.run()")
    (root / "driver.py").write_text("\n".join(driver) + "\n")


TEST_TEMPLATE = '''"""Generated tests: each imports every module of one part of the project
and runs two thirds of them, as the driver does."""
import importlib

import pytest

COUNT = {count}


@pytest.mark.parametrize("part", range({parts}))
def test_part(part):
    for i in range(part * {part_size}, min((part + 1) * {part_size}, COUNT)):
        module = importlib.import_module(f"bigproj.part{{i // {part_size}:02d}}.mod{{i:05d}}")
        if i % 3:
            assert module.run() >= 0
'''


def write_tests(root: Path, count: int) -> None:
    """tests/test_bigproj.py, one test per part of the project generated with the same count."""
    tests = root / "tests"
    tests.mkdir(exist_ok=True)
    parts = (count + PART_SIZE - 1) // PART_SIZE
    text = TEST_TEMPLATE.format(count=count, parts=parts, part_size=PART_SIZE)
    (tests / "test_bigproj.py").write_text(text)
