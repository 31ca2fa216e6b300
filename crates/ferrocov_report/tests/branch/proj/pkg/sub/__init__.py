"""A package docstring."""
