#!/usr/bin/env bash
# A short, bounded fuzzing run for CI: builds the fuzzers (fuzz_tracker: tracker records; fuzz_sipmsg:
# raw SIP messages through the message reader into the tracker; fuzz_diameter: Cx messages and REGISTER steps), replays each committed corpus, then
# fuzzes each for an equal share of the time left. Fails on any crash, sanitizer report or invariant violation.
# Usage: tests/fuzz/run_short.sh [WORK_DIR] [SECONDS] [MAX_RUNS]
#   SECONDS bounds the whole run, build and replay included; MAX_RUNS applies to each fuzzer.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-$here/../../build-fuzz}
seconds=${2:-120}
max_runs=${3:-3000000}
SECONDS=0       # bash's elapsed-time counter: the fuzzers share what build and replay leave

if ! command -v "${CLANG:-clang}" >/dev/null; then
    echo "fuzz: clang is not installed (apt-get install clang libclang-rt-14-dev)"
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
mkdir -p "$work"
"$here/build.sh" "$work"

# fuzzer name -> committed seed corpus
declare -A seeds=([fuzz_tracker]=corpus [fuzz_sipmsg]=corpus_sipmsg [fuzz_diameter]=corpus_diameter)
fuzzers=(fuzz_tracker fuzz_sipmsg fuzz_diameter)

replay() {
    local fuzzer=$1 corpus=$here/${seeds[$1]}
    echo "fuzz: $fuzzer: replaying $(ls "$corpus" | wc -l) committed seeds"
    "$work/$fuzzer" "$corpus"/* >"$work/$fuzzer.replay.log" 2>&1 || {
        grep -a -E 'invariant|ERROR|runtime error|Running:' "$work/$fuzzer.replay.log" | tail -20
        echo "fuzz: $fuzzer: a committed seed fails; decode it with FUZZ_TRACE=1 $work/$fuzzer SEED"
        exit 1
    }
}

# Fuzzes into a scratch copy of the corpus: the committed seeds stay small and unchanged.
fuzz() {
    local fuzzer=$1 budget=$2 dir=$work/$1.run
    rm -rf "$dir"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    cp "$here/${seeds[$fuzzer]}"/* "$dir/corpus/"
    local dict=()
    [ -f "$here/$fuzzer.dict" ] && dict=(-dict="$here/$fuzzer.dict")
    local status=0
    "$work/$fuzzer" -max_total_time="$budget" -runs="$max_runs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
        ${dict[@]+"${dict[@]}"} -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "$dir/corpus" \
        >"$dir/fuzz.log" 2>&1 || status=$?
    local runs
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -1)
    grep -a -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$dir/fuzz.log" | tail -2 || true
    if [ "$status" != 0 ]; then
        grep -a -E 'invariant|ERROR:|runtime error|SUMMARY' "$dir/fuzz.log" | head -20
        for a in "$dir"/artifacts/*; do
            [ -e "$a" ] && echo "fuzz: reproducer $a (decode: FUZZ_TRACE=1 $work/$fuzzer $a)"
        done
        echo "fuzz: $fuzzer: FAILED after ${runs:-?} executions"
        return 1
    fi
    echo "fuzz: $fuzzer: ${runs:-0} executions in at most ${budget}s, no crash, no invariant violated"
    [ "${runs:-0}" -gt 0 ]
}

for fuzzer in "${fuzzers[@]}"; do
    replay "$fuzzer"
done

failed=0
left=${#fuzzers[@]}
for fuzzer in "${fuzzers[@]}"; do
    # An equal share of the time left, less about 1 s each for libFuzzer to load its corpus and stop;
    # libFuzzer reads 0 as "no limit", so at least 1 s.
    budget=$(( (seconds - SECONDS - left) / left ))
    [ "$budget" -ge 1 ] || budget=1
    left=$((left - 1))
    fuzz "$fuzzer" "$budget" || failed=1
done
echo "fuzz: done in ${SECONDS}s of ${seconds}s"
exit "$failed"
