#!/usr/bin/env bash
# Compile-checks every workspace crate for each platform ferrocov ships to, with clippy's lints
# as errors: Linux x86_64 and aarch64, macOS x86_64 and arm64, Windows x86_64. The binding crate
# is checked through PyO3's cross-compilation settings for a Python before 3.12 (the C trace
# function and frame gate) and one from 3.12 on (sys.monitoring). Nothing is linked, so no
# target's SDK is needed; the C in the build (bundled SQLite, psm's assembly) is compiled by zig,
# from PyPI's `ziglang`, installed into a venv under the cache. Prints one line per target and
# exits non-zero if any target has a compile error or a clippy warning.
#
#   tools/cross-check.sh                  # all five targets
#   FERROCOV_CROSS_TARGETS="x86_64-apple-darwin" tools/cross-check.sh
#
# Runs on a Linux x86_64 machine with rustup and python3. All targets share one
# CARGO_TARGET_DIR, so a second run only checks what changed (seconds when nothing did; a first
# run compiles every dependency for five targets: about 10 CPU-minutes).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
cache=${FERROCOV_CACHE:-$HOME/.cache/ferrocov}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$cache/target}
export CARGO_TERM_COLOR=never

targets=(${FERROCOV_CROSS_TARGETS:-x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu
    x86_64-apple-darwin aarch64-apple-darwin x86_64-pc-windows-msvc})
# One Python per set of cfgs the binding crate has: 3.10 and 3.11 (the C trace function, two
# frame gate layouts), 3.12 (sys.monitoring; 3.13 compiles the same code).
pythons=(${FERROCOV_CROSS_PYTHONS:-3.10 3.11 3.12})
ziglang_version=0.17.1

# zig's own name for each target's C compiler. Windows MSVC headers are not redistributable,
# so its C is compiled for the GNU ABI: enough for a check, where nothing is linked.
zig_target() {
    case $1 in
        aarch64-unknown-linux-gnu) echo aarch64-linux-gnu ;;
        x86_64-apple-darwin) echo x86_64-macos ;;
        aarch64-apple-darwin) echo aarch64-macos ;;
        x86_64-pc-windows-msvc) echo x86_64-windows-gnu ;;
        *) return 1 ;;
    esac
}

installed=$(rustup target list --installed)
for target in "${targets[@]}"; do
    if ! grep -qx "$target" <<<"$installed"; then
        echo "=== rustup target add $target"
        rustup target add "$target"
    fi
done

# zig, and a compiler and archiver wrapper per cross target that cc-rs picks up from CC_<target>
# and AR_<target>. cc-rs also passes clang a --target of Rust's spelling: zig takes its own.
zig_venv=$cache/ziglang-$ziglang_version
if [ ! -x "$zig_venv/bin/python" ] || ! "$zig_venv/bin/python" -m ziglang version >/dev/null 2>&1; then
    echo "=== installing ziglang $ziglang_version into $zig_venv"
    rm -rf "$zig_venv"
    python3 -m venv "$zig_venv"
    "$zig_venv/bin/python" -m pip install --quiet --disable-pip-version-check "ziglang==$ziglang_version"
fi
zig=$("$zig_venv/bin/python" -c 'import os, ziglang; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')
# zig keeps its compiled C runtimes here, under the cache like everything else.
export ZIG_GLOBAL_CACHE_DIR=$cache/zig-cache ZIG_LOCAL_CACHE_DIR=$cache/zig-cache
wrappers=$cache/cross-cc
mkdir -p "$wrappers"
for target in "${targets[@]}"; do
    zt=$(zig_target "$target") || continue
    var=${target//-/_}
    cat >"$wrappers/cc-$target" <<EOF
#!/usr/bin/env bash
args=()
for arg in "\$@"; do
    case \$arg in --target=*) ;; *) args+=("\$arg") ;; esac
done
exec "$zig" cc -target $zt "\${args[@]}"
EOF
    # On MSVC targets cc-rs hands the archiver lib.exe's arguments: zig's llvm-lib takes them.
    if [[ $target == *-msvc ]]; then archiver=lib; else archiver=ar; fi
    cat >"$wrappers/ar-$target" <<EOF
#!/usr/bin/env bash
exec "$zig" $archiver "\$@"
EOF
    chmod +x "$wrappers/cc-$target" "$wrappers/ar-$target"
    export "CC_$var=$wrappers/cc-$target" "AR_$var=$wrappers/ar-$target"
done

logs=$cache/cross-check-logs
mkdir -p "$logs"
# PyO3 configures for the version it is told, with no interpreter of the target's (PYO3_CROSS
# forces that for the host triple too).
export PYO3_CROSS=1
failed=0
summary=()
for target in "${targets[@]}"; do
    log=$logs/$target.log
    : >"$log"
    start=$SECONDS
    failures=()
    # Every crate, tests and examples included, with the binding crate for the last Python;
    # then the binding crate alone for each other Python.
    last=${pythons[${#pythons[@]}-1]}
    if ! PYO3_CROSS_PYTHON_VERSION=$last cargo clippy --keep-going --workspace --all-targets \
        --target "$target" --quiet -- -D warnings >>"$log" 2>&1; then
        failures+=("workspace with Python $last")
    fi
    for i in "${!pythons[@]}"; do
        py=${pythons[$i]}
        [ "$py" = "$last" ] && continue
        # Cargo keeps one build of a crate per target and profile, and PyO3's crates read the
        # Python version from the environment: each run would rebuild them once per version. A
        # per-crate profile setting that means nothing to a check gives each version its own.
        split=()
        for crate in pyo3-ffi pyo3 ferrocov_python; do
            split+=(--config "profile.dev.package.$crate.codegen-units=$((200 + i))")
        done
        if ! PYO3_CROSS_PYTHON_VERSION=$py cargo clippy --keep-going "${split[@]}" \
            -p ferrocov_python --all-targets --target "$target" --quiet -- -D warnings \
            >>"$log" 2>&1; then
            failures+=("ferrocov_python with Python $py")
        fi
    done
    if [ ${#failures[@]} -eq 0 ]; then
        status=ok
    else
        status="FAILED: ${failures[0]}"
        for more in "${failures[@]:1}"; do status+=", $more"; done
    fi
    line=$(printf '%-28s %4ds  %s' "$target" $((SECONDS - start)) "$status")
    summary+=("$line")
    echo "$line"
    if [ ${#failures[@]} -ne 0 ]; then
        failed=1
        tail -n 40 "$log" | sed 's/^/    /'
        echo "    (whole log: $log)"
    fi
done

echo "=== cross-check: clippy -D warnings, Pythons ${pythons[*]}"
printf '%s\n' "${summary[@]}"
exit $failed
