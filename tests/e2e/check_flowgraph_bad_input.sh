#!/usr/bin/env bash
# Bad input through the Flow Graph: the hostile captures of tests/robust/gen_hostile.py and every capture of
# PCAPS_DIR corrupted by editcap -E, read with -q -z flow,sipauth,standard (in one pass and in two, in turn), under strict
# allocators, a memory limit and a timeout. Each run must exit 0 without a "Dissector bug" or a GLib CRITICAL,
# and the hostile captures must still give a graph (SIPAUTH ran).
# Usage: check_flowgraph_bad_input.sh WRAPPER PLUGIN PCAPS_DIR
set -euo pipefail
wrapper=$1 plugin=$2 pcaps=$3
here=$(cd "$(dirname "$0")" && pwd)
limit_s=${FLOWGRAPH_TIMEOUT:-300}
limit_kb=$(( ${FLOWGRAPH_MEM_MB:-2048} * 1024 ))
command -v editcap >/dev/null || { echo "editcap is not installed"; exit 1; }
work=$(mktemp -d /tmp/sipauth-flowgraph.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
mkdir -p "$work/hostile" "$work/mutated"
python3 "$here/../robust/gen_hostile.py" "$work/hostile" >/dev/null
i=0
for capture in "$pcaps"/*.pcap; do
    i=$((i + 1))
    editcap -F pcapng -E 0.02 -o 42 --seed "$i" "$capture" "$work/mutated/$(basename "$capture" .pcap)-E.pcapng" \
        >/dev/null 2>&1
done
chmod -R a+rX "$work"
export WIRESHARK_DEBUG_WMEM_OVERRIDE=strict G_SLICE=debug-blocks MALLOC_CHECK_=3 MALLOC_PERTURB_=165

failed=0 runs=0
# run CAPTURE PASS MIN_ITEMS: one tshark run and its verdict; MIN_ITEMS arrows must be drawn.
run() {
    local capture=$1 pass=$2 min=$3 status=0
    local args=(-n -q -r "$capture" -z flow,sipauth,standard)
    [ "$pass" = two ] && args+=(-2)
    runs=$((runs + 1))
    ( ulimit -v "$limit_kb"; exec timeout "$limit_s" "$wrapper" "$plugin" "${args[@]}" ) \
        >"$work/out" 2>"$work/err" || status=$?
    local items
    items=$(grep -c '|flow [0-9]*: ' "$work/out" || true)
    local problem=
    if [ "$status" != 0 ]; then
        problem="exit status $status (124: timeout; 3: plugin not loaded) $(head -c 300 "$work/err")"
    elif grep -q -E 'Dissector bug|CRITICAL|Malformed Packet: SIPAUTH' "$work/out" "$work/err"; then
        problem=$(grep -h -m1 -E 'Dissector bug|CRITICAL|Malformed Packet: SIPAUTH' "$work/out" "$work/err")
    elif [ "$items" -lt "$min" ]; then
        problem="$items arrows drawn, at least $min expected"
    fi
    if [ -n "$problem" ]; then
        failed=$((failed + 1)); echo "not ok - $(basename "$capture") ($pass pass): $problem"
    else
        echo "ok - $(basename "$capture") ($pass pass): $items arrows"
    fi
}

for capture in "$work"/hostile/*.pcap; do
    for pass in one two; do run "$capture" $pass 1; done
done
# The corrupted ones in one pass or two in turn: within the 600 s the compat chroots give a test on a busy machine.
n=0
for capture in "$work"/mutated/*.pcapng; do
    n=$((n + 1))
    if [ $((n % 2)) = 1 ]; then run "$capture" one 0; else run "$capture" two 0; fi
done
echo "$runs runs, $failed failed"
[ "$failed" = 0 ] && [ "$runs" -gt 0 ]
