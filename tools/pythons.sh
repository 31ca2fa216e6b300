#!/usr/bin/env bash
# Lists one interpreter path per supported CPython minor version (3.10-3.13) found on this
# machine: pyenv's versions first, then python3.X on PATH. FERROCOV_PYTHONS overrides.
set -euo pipefail
if [ -n "${FERROCOV_PYTHONS:-}" ]; then
    tr ',' '\n' <<<"$FERROCOV_PYTHONS"
    exit 0
fi
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for minor in 10 11 12 13; do
    found=""
    for dir in $(ls -d "$root"/versions/3."$minor".* 2>/dev/null | grep -E '/3\.[0-9]+\.[0-9]+$' | sort -V -r); do
        if [ -x "$dir/bin/python3" ]; then found="$dir/bin/python3"; break; fi
    done
    if [ -z "$found" ] && command -v "python3.$minor" >/dev/null; then
        found=$(command -v "python3.$minor")
    fi
    [ -n "$found" ] && echo "$found"
done
exit 0
