#!/usr/bin/env bash
# Builds ferrocov for one CPython and installs it, with the test tools, into a venv kept under
# ~/.cache so later runs reuse it. Prints the venv's python path on the last line.
#   tools/python-env.sh /path/to/python3.X
set -euo pipefail
base_python=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${FERROCOV_CACHE:-$HOME/.cache/ferrocov}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$cache/target}
version=$("$base_python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
venv=$cache/venv-$version
if [ ! -x "$venv/bin/python" ]; then
    "$base_python" -m venv "$venv" >&2
fi
py=$venv/bin/python
"$py" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
"$py" -m pip install --quiet --disable-pip-version-check --upgrade \
    -r "$repo/tools/test-requirements.txt" >&2
if [ -f "$repo/tools/consumer-requirements.txt" ]; then
    "$py" -m pip install --quiet --disable-pip-version-check --upgrade \
        -r "$repo/tools/consumer-requirements.txt" >&2
fi
wheels=$cache/wheels-$version
rm -rf "$wheels"
(cd "$repo" && "$py" -m maturin build --release --quiet -i "$py" -o "$wheels") >&2
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/ferrocov-*.whl >&2
echo "$py"
