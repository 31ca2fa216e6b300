"""ferrocov: code coverage for Python, measured in Rust.

A drop-in replacement for coverage.py and pytest-cov: the same command lines, configuration and
data files, with every process measured and nothing lost when a process dies.
"""

from ferrocov._ferrocov import __version__

__all__ = ["__version__"]
