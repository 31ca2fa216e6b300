#!/usr/bin/env bash
# Runs the Python test suite on every supported CPython found (tools/pythons.sh), each in its own
# venv with a freshly built ferrocov, then prints per version how many tests ran and were skipped
# (tools/test-summary.py). Fails if any version fails or none is found; with FERROCOV_CI set
# (.ci/run), also when one of CPython 3.10-3.13 is missing or an oracle test was skipped.
#   tools/test-python.sh [pytest args...]
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${FERROCOV_CACHE:-$HOME/.cache/ferrocov}
pythons=$("$repo/tools/pythons.sh")
if [ -z "$pythons" ]; then
    echo "no CPython 3.10-3.13 found" >&2
    exit 1
fi
failed=()
if [ -n "${FERROCOV_CI:-}" ]; then
    for minor in 10 11 12 13; do
        found=""
        for base in $pythons; do
            if [ "$("$base" -c 'import sys; print(sys.version_info[1])')" = "$minor" ]; then found=1; fi
        done
        [ -n "$found" ] || failed+=("3.$minor (interpreter missing)")
    done
fi
reports=()
for base in $pythons; do
    echo "=== $("$base" --version) ($base)"
    if ! py=$("$repo/tools/python-env.sh" "$base" | tail -n 1); then
        failed+=("$base (build)")
        continue
    fi
    version=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    junit="$cache/junit-$version.xml"
    rm -f "$junit"
    if ! (cd "$repo" && "$py" -m pytest -n 2 -p no:cacheprovider --junitxml="$junit" \
        -o junit_suite_name="python-$version" "$@"); then
        failed+=("$base")
    fi
    [ -f "$junit" ] && reports+=("$junit")
done
if [ ${#reports[@]} -gt 0 ]; then
    echo "=== tests per Python version"
    if ! "$(echo "$pythons" | tail -n 1)" "$repo/tools/test-summary.py" "${reports[@]}"; then
        [ -n "${FERROCOV_CI:-}" ] && failed+=("oracle tests skipped")
    fi
fi
if [ ${#failed[@]} -gt 0 ]; then
    echo "Python tests failed on: ${failed[*]}" >&2
    exit 1
fi
