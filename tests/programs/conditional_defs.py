"""Conditionally defined functions, fallbacks and TYPE_CHECKING blocks."""
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

try:
    import tomllib as toml_reader
except ImportError:
    toml_reader = None

if hasattr(sys, "getrefcount"):
    def platform_word():
        return "modern"
else:
    def platform_word():
        return "ancient"

if sys.maxsize > 2 ** 40:
    BITS = 64
else:
    BITS = 32


def total(values: "Sequence[int]") -> int:
    return sum(values)


print(platform_word(), BITS, total([1, 2, 3]))
print("has tomllib" if toml_reader else "no tomllib", sys.version_info >= (3, 10))
