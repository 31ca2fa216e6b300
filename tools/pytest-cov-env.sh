#!/usr/bin/env bash
# Builds the pytest-cov reference venv for one CPython (tools/pytest-cov-requirements.txt, and no
# ferrocov) under ~/.cache so later runs reuse it. Prints the venv's python path on the last line.
# Once installed, a run with the same requirements touches no network.
#   tools/pytest-cov-env.sh /path/to/python3.X
set -euo pipefail
base_python=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${FERROCOV_CACHE:-$HOME/.cache/ferrocov}
requirements=$repo/tools/pytest-cov-requirements.txt
version=$("$base_python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
venv=$cache/pytest-cov-venv-$version
py=$venv/bin/python
stamp=$venv/requirements.done
mkdir -p "$cache"
# Concurrent callers (pytest-xdist workers) build it once; the others wait for it.
exec 9>"$cache/pytest-cov-venv-$version.lock"
flock 9
if [ ! -x "$py" ] || ! cmp -s "$requirements" "$stamp"; then
    # Built afresh: a venv whose build was interrupted may lack pip itself.
    rm -rf "$venv"
    "$base_python" -m venv "$venv" >&2
    "$py" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
    cp "$requirements" "$stamp"
fi
# The reference must measure with pytest-cov alone.
if "$py" -c 'import importlib.util as u, sys; sys.exit(u.find_spec("ferrocov") is None)'; then
    echo "ferrocov is importable in $venv: it must hold pytest-cov alone" >&2
    exit 1
fi
echo "$py"
