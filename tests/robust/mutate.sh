#!/usr/bin/env bash
# Mutation test: every capture, corrupted by editcap -E with fixed seeds, goes through tshark with the plugin
# (two-pass -V, and single pass -V with -z sipauth,stat) under strict allocators, a memory limit and a timeout.
# A crash, abort, timeout or "Dissector bug" with the plugin that tshark without the plugin does not show
# fails the test, naming the file, probability, offset and seed.
# Usage: tests/robust/mutate.sh PLUGIN.so [CAPTURE_DIR...]   (default: pcaps/ and pcaps/lab/)
# Environment:
#   MUTATE_VARIANTS  "probability:offset:seed ..." (default below); offset = bytes editcap leaves intact
#                    (42 keeps Ethernet/IPv4/UDP headers, so the corruption lands in SIP)
#   MUTATE_TIMEOUT   seconds per tshark run (default 60)
#   MUTATE_MEM_MB    virtual memory limit per tshark run (default 2048)
#   MUTATE_BUDGET    seconds after which no new capture is started (default 600); the counts say so
#   MUTATE_KEEP      directory to keep failing mutated captures in
set -euo pipefail
plugin=${1:?usage: mutate.sh PLUGIN.so [CAPTURE_DIR...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=("$robust_root/pcaps" "$robust_root/pcaps/lab")
read -r -a variants <<<"${MUTATE_VARIANTS:-0.002:0:11 0.01:42:12 0.05:42:13 0.2:0:14}"
limit_s=${MUTATE_TIMEOUT:-60}
limit_kb=$(( ${MUTATE_MEM_MB:-2048} * 1024 ))
budget=${MUTATE_BUDGET:-600}

command -v editcap >/dev/null || { echo "mutate: editcap is not installed (apt-get install wireshark-common)"; exit 1; }
work=$(mktemp -d /tmp/sipauth-mutate.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Strict allocators: wmem checks its blocks, GLib's slice allocator and glibc malloc check theirs.
export WIRESHARK_DEBUG_WMEM_OVERRIDE=strict G_SLICE=debug-blocks MALLOC_CHECK_=3 MALLOC_PERTURB_=165
malloc_debug=$(ls /lib/*/libc_malloc_debug.so.0 /usr/lib/*/libc_malloc_debug.so.0 2>/dev/null | head -1 || true)
# Since glibc 2.34 MALLOC_CHECK_ works only with this library preloaded.
preload=${malloc_debug:+LD_PRELOAD=$malloc_debug}

mapfile -t captures < <(list_captures "${dirs[@]}" | awk '!seen[$0]++')
if [ ${#captures[@]} -eq 0 ]; then
    echo "mutate: no capture found in ${dirs[*]}"
    exit 1
fi

stat_args=()
if "$robust_lib" with "$plugin" -z help 2>&1 | grep -q '^ *sipauth,stat'; then
    stat_args=(-z "sipauth,stat")
else
    echo "mutate: -z sipauth,stat is not registered; running without it"
fi

# run MODE OUT ARGS...: tshark (with or without the plugin) under the limits; prints its exit status.
run() {
    local mode=$1 out=$2 status=0
    shift 2
    # shellcheck disable=SC2086
    ( ulimit -v "$limit_kb"; exec env $preload timeout -k 5 "$limit_s" "$robust_lib" "$mode" "$@" ) \
        >"$out" 2>"$out.err" || status=$?
    echo "$status"
}

# verdict OUT STATUS: "ok" or what went wrong.
verdict() {
    local out=$1 status=$2
    case "$status" in
        0) ;;
        124|137) echo "timeout after ${limit_s}s"; return ;;
        3) echo "plugin not loaded"; return ;;
        *) echo "exit status $status$(grep -m1 -E 'Segmentation|Abort|corrupt|double free|free\(\)|CRITICAL|ERROR' "$out.err" | sed 's/^/: /')"; return ;;
    esac
    if grep -q 'Dissector bug' "$out" "$out.err"; then
        echo "Dissector bug: $(grep -h -m1 'Dissector bug' "$out" "$out.err")"; return
    fi
    if grep -q -E 'Malformed Packet: SIPAUTH|CRITICAL' "$out" "$out.err"; then
        grep -h -m1 -E 'Malformed Packet: SIPAUTH|CRITICAL' "$out" "$out.err"; return
    fi
    echo ok
}

start=$(date +%s)
mutated=0 runs=0 failed=0 tshark_own=0 skipped=0 subtrees=0
for capture in "${captures[@]}"; do
    if [ $(( $(date +%s) - start )) -ge "$budget" ]; then
        skipped=$((skipped + 1)); continue
    fi
    for variant in "${variants[@]}"; do
        IFS=: read -r prob offset seed <<<"$variant"
        base=$(basename "$capture")
        mutant="$work/${base%%.*}-E$prob-o$offset-s$seed.pcapng"
        editcap -F pcapng -E "$prob" -o "$offset" --seed "$seed" "$capture" "$mutant" >/dev/null 2>&1
        mutated=$((mutated + 1))
        for pass in two single; do
            if [ $pass = two ]; then args=(-n -2 -V -r "$mutant"); else args=(-n -V -r "$mutant" "${stat_args[@]}"); fi
            runs=$((runs + 1))
            result=$(verdict "$work/with" "$(run with "$work/with" "$plugin" "${args[@]}")")
            subtrees=$((subtrees + $(grep -c '^\[SIP Authentication Challenge Analysis' "$work/with" || true)))
            [ "$result" = ok ] && continue
            plain_args=("${args[@]}")
            [ $pass = single ] && plain_args=(-n -V -r "$mutant")
            plain=$(verdict "$work/plain" "$(run plain "$work/plain" "${plain_args[@]}")")
            if [ "$plain" != ok ]; then
                tshark_own=$((tshark_own + 1))
                echo "note: tshark fails without the plugin too ($plain): $(basename "$capture") -E $prob -o $offset --seed $seed ($pass pass)"
                continue
            fi
            failed=$((failed + 1))
            echo "FAIL $(basename "$capture") -E $prob -o $offset --seed $seed, $pass pass: $result"
            echo "     reproduce: editcap -E $prob -o $offset --seed $seed $capture m.pcapng &&" \
                 "tests/tools/tshark-plugin.sh PLUGIN.so ${args[*]/#$mutant/m.pcapng}"
            if [ -n "${MUTATE_KEEP:-}" ]; then mkdir -p "$MUTATE_KEEP"; cp "$mutant" "$MUTATE_KEEP/"; fi
        done
        rm -f "$mutant"
    done
done
echo "mutate: ${#captures[@]} captures, $mutated mutated captures, $runs tshark runs with the plugin in $(( $(date +%s) - start ))s;" \
     "$subtrees SIPAUTH subtrees shown; $failed failed, $tshark_own failing without the plugin too," \
     "$skipped captures left out by the ${budget}s budget"
[ "$failed" = 0 ] && [ "$mutated" -gt 0 ] && [ "$subtrees" -gt 0 ]
