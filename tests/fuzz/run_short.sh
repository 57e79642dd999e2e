#!/usr/bin/env bash
# A short, bounded fuzzing run of the tracker for CI: builds the fuzzer, replays the committed corpus,
# then fuzzes for a fixed time. Fails on any crash, sanitizer report or invariant violation.
# Usage: tests/fuzz/run_short.sh [WORK_DIR] [SECONDS] [MAX_RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-$here/../../build-fuzz}
seconds=${2:-120}
max_runs=${3:-3000000}

if ! command -v "${CLANG:-clang}" >/dev/null; then
    echo "fuzz: clang is not installed (apt-get install clang libclang-rt-14-dev)"
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
mkdir -p "$work"
"$here/build.sh" "$work"

# Fuzz into a scratch copy: the committed seed corpus stays small and unchanged.
rm -rf "$work/corpus" "$work/artifacts"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$here"/corpus/* "$work/corpus/"

echo "fuzz: replaying $(ls "$here/corpus" | wc -l) committed seeds"
"$work/fuzz_tracker" "$here"/corpus/* >"$work/replay.log" 2>&1 || {
    grep -a -E 'invariant|ERROR|runtime error|Running:' "$work/replay.log" | tail -20
    echo "fuzz: a committed seed fails; decode it with FUZZ_TRACE=1 $work/fuzz_tracker SEED"
    exit 1
}

status=0
"$work/fuzz_tracker" -max_total_time="$seconds" -runs="$max_runs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/fuzz.log" 2>&1 || status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -1)
grep -a -E '^#[0-9]+ +DONE|INITED' "$work/fuzz.log" | tail -2 || true
if [ "$status" != 0 ]; then
    grep -a -E 'invariant|ERROR:|runtime error|SUMMARY' "$work/fuzz.log" | head -20
    for a in "$work"/artifacts/*; do
        [ -e "$a" ] && echo "fuzz: reproducer $a (decode: FUZZ_TRACE=1 $work/fuzz_tracker $a)"
    done
    echo "fuzz: FAILED after ${runs:-?} executions"
    exit 1
fi
echo "fuzz: ${runs:-0} executions in at most ${seconds}s, no crash, no invariant violated"
[ "${runs:-0}" -gt 0 ]
