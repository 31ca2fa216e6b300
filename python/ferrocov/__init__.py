"""ferrocov: code coverage for Python, measured in Rust.

A drop-in replacement for coverage.py and pytest-cov: the same command lines, configuration and
data files, with every process measured and nothing lost when a process dies.

PYTEST_DONT_REWRITE: the start-up hook imports this package before pytest can rewrite it (it is
the package of a pytest plugin); the marker keeps pytest from warning about that.
"""

from ferrocov._ferrocov import __version__

__all__ = ["__version__"]
