#!/usr/bin/env bash
# Hostile captures (tests/robust/gen_hostile.py) through tshark with the plugin, two-pass -V and single-pass
# with the statistics, each under a time and memory limit. Each run must exit 0, the plugin must cause no
# "Dissector bug" or "Malformed" (compared with a run without it), and SIPAUTH must show its analysis.
# Usage: tests/robust/hostile.sh PLUGIN.so [WORK_DIR]
# Environment: HOSTILE_TIMEOUT (s per run, default 180), HOSTILE_MEM_MB (virtual memory, default 2048;
# 0 for no limit, as AddressSanitizer needs: tests/robust/asan-e2e.sh runs this script with it).
set -euo pipefail
plugin=${1:?usage: hostile.sh PLUGIN.so [WORK_DIR]}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
limit_s=${HOSTILE_TIMEOUT:-180}
limit_kb=$(( ${HOSTILE_MEM_MB:-2048} * 1024 ))
[ "$limit_kb" -gt 0 ] || limit_kb=unlimited

work=${2:-}
if [ -z "$work" ]; then
    work=$(mktemp -d /tmp/sipauth-hostile.XXXXXX)
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/pcaps"
python3 "$here/gen_hostile.py" "$work/pcaps" >/dev/null

# SIPAUTH subtrees each capture must show at least (two-pass): every SIP message of a flow has one.
# backwards-time: the MESSAGE "retried" 40 s before its challenge without echoing the nonce is no retry.
declare -A min_subtrees=(
    [huge-call-id-tcp]=5 [huge-call-id-udp-fragments]=5 [many-challenge-headers]=5 [cseq-extremes]=15
    [non-utf8-params]=20 [only-challenges]=5000 [ten-thousand-challenges]=20000 [backwards-time]=17
    [many-messages-one-segment]=1 [deep-via-and-truncated]=2
)

# run_limited OUT ERR lib-mode ARGS...: exit status of tshark under the limits.
run_limited() {
    local out=$1 err=$2
    shift 2
    local status=0
    ( ulimit -v "$limit_kb"; exec timeout "$limit_s" "$robust_lib" "$@" ) >"$out" 2>"$err" || status=$?
    return "$status"
}

count() { grep -c -F -- "$1" "$2" || true; }

passed=0 failed=0 total_subtrees=0
fail() { echo "FAIL $name: $*"; failed=$((failed + 1)); }
for capture in "$work"/pcaps/*.pcap; do
    name=$(basename "$capture" .pcap)
    start=$(date +%s)
    status=0
    run_limited "$work/with.out" "$work/with.err" with "$plugin" -n -2 -V -r "$capture" || status=$?
    if [ "$status" != 0 ]; then
        fail "tshark -2 -V with the plugin exited $status (124: timeout after ${limit_s}s; 3: plugin not loaded)"
        sed -n 1,10p "$work/with.err"; continue
    fi
    status=0
    run_limited "$work/plain.out" "$work/plain.err" plain -n -2 -V -r "$capture" || status=$?
    if [ "$status" != 0 ]; then
        fail "tshark -2 -V without the plugin exited $status"; continue
    fi
    subtrees=$(grep -c '^\[SIP Authentication Challenge Analysis' "$work/with.out" || true)
    total_subtrees=$((total_subtrees + subtrees))
    problems=()
    # SIPAUTH never legitimately says "Malformed Packet" or "Dissector bug" (its missing_challenge_header
    # finding is an expert info): every such line must also be there without the plugin.
    for word in "Dissector bug" "[Malformed Packet" "Expert Info (Error/Malformed)"; do
        plain=$(count "$word" "$work/plain.out")
        if [ "$word" = "Expert Info (Error/Malformed)" ]; then
            with=$(strip_sipauth <"$work/with.out" | grep -c -F -- "$word" || true)
        else
            with=$(grep -c -F -- "$word" "$work/with.out" || true)
        fi
        [ "$with" -le "$plain" ] || problems+=("'$word': $with with the plugin, $plain without")
    done
    if grep -qE 'Dissector bug|AddressSanitizer|runtime error|CRITICAL|assertion' "$work/with.err"; then
        problems+=("tshark reported on stderr: $(grep -m1 -E 'Dissector bug|AddressSanitizer|runtime error|CRITICAL|assertion' "$work/with.err")")
    fi
    [ "$subtrees" -ge "${min_subtrees[$name]:-1}" ] \
        || problems+=("$subtrees SIPAUTH subtrees, expected at least ${min_subtrees[$name]:-1}")

    status=0
    run_limited "$work/stat.out" "$work/stat.err" with "$plugin" -n -q -r "$capture" -z sipauth,stat -z sipauth,problems \
        || status=$?
    [ "$status" = 0 ] || problems+=("single pass with -z sipauth,stat,problems exited $status")
    grep -q '^Total' "$work/stat.out" || problems+=("no Total row in -z sipauth,stat")

    if [ ${#problems[@]} -gt 0 ]; then
        for p in "${problems[@]}"; do fail "$p"; done
        continue
    fi
    echo "ok   $name: $subtrees SIPAUTH subtrees, $(( $(date +%s) - start ))s"
    passed=$((passed + 1))
done
echo "hostile: $passed passed, $failed failed, $total_subtrees SIPAUTH subtrees"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
