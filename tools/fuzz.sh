#!/usr/bin/env bash
# Runs each fuzz target in fuzz/ for FUZZ_SECONDS (default 60) and fails if any finds a crash.
# cargo-fuzz needs a nightly compiler: `+nightly` when rustup has one, else the stable compiler
# with RUSTC_BOOTSTRAP=1 (which is what makes its -Z flags work on stable; FUZZ_STABLE=1 forces it).
#   FUZZ_SECONDS=300 tools/fuzz.sh [TARGET...]
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-60}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(analysis shard config)
cd "$repo/fuzz"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2
    exit 2
fi
if [ -z "${FUZZ_STABLE:-}" ] && rustup run nightly rustc --version >/dev/null 2>&1; then
    fuzz=(cargo +nightly fuzz)
else
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
fi

# Seeds from the repository's fixtures, rebuilt each time (fuzz/seeds is not checked in).
cargo run --quiet --example seeds || exit 2

declare -A max_len=([analysis]=20000 [shard]=65536 [config]=8192)
failed=()
summary=()
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    log=$(mktemp)
    echo "== $target: ${seconds}s"
    "${fuzz[@]}" run --debug-assertions "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -max_len="${max_len[$target]:-4096}" -timeout=20 \
        -rss_limit_mb=2048 -print_final_stats=1 2>&1 | tee "$log" | grep -E "^(#[0-9]+ +(INITED|DONE)|==[0-9]+==|Done|SUMMARY|thread .* panicked)" 
    status=${PIPESTATUS[0]}
    runs=$(grep -oE "^Done [0-9]+ runs" "$log" | grep -oE "[0-9]+" || true)
    runs=${runs:-$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" || true)}
    if [ "$status" -ne 0 ]; then
        failed+=("$target")
        summary+=("$target: ${runs:-?} runs, CRASH (see fuzz/artifacts/$target/, log $log)")
    else
        summary+=("$target: ${runs:-?} runs, no crash")
        rm -f "$log"
    fi
done
printf '%s\n' "${summary[@]}"
[ ${#failed[@]} -eq 0 ]
