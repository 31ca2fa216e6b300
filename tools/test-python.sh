#!/usr/bin/env bash
# Runs the Python test suite on every supported CPython found (tools/pythons.sh), each in its own
# venv with a freshly built ferrocov. Fails if any version fails or none is found.
#   tools/test-python.sh [pytest args...]
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
pythons=$("$repo/tools/pythons.sh")
if [ -z "$pythons" ]; then
    echo "no CPython 3.10-3.13 found" >&2
    exit 1
fi
failed=()
for base in $pythons; do
    echo "=== $("$base" --version) ($base)"
    if ! py=$("$repo/tools/python-env.sh" "$base" | tail -n 1); then
        failed+=("$base (build)")
        continue
    fi
    if ! (cd "$repo" && "$py" -m pytest -n 2 -p no:cacheprovider "$@"); then
        failed+=("$base")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "Python tests failed on: ${failed[*]}" >&2
    exit 1
fi
