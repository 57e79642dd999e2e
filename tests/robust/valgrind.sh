#!/usr/bin/env bash
# Valgrind memcheck on a few end-to-end runs: tshark with the plugin, through tests/tools/tshark-plugin.sh.
# Fails on any memcheck error (invalid read/write/free, use of uninitialised values) with a frame in
# sipauth's code; errors wholly inside tshark or its libraries are counted and ignored, and so are leaks.
# Usage: tests/robust/valgrind.sh PLUGIN.so [CAPTURE...]
#   default captures: a few of pcaps/ (and pcaps/lab/ when present) and the small hostile captures of
#   gen_hostile.py, each run two-pass -V and single pass -V with the statistics tables.
# Environment: VALGRIND_TIMEOUT (s per run, default 600).
set -euo pipefail
plugin=${1:?usage: valgrind.sh PLUGIN.so [CAPTURE...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
root=$robust_root
limit_s=${VALGRIND_TIMEOUT:-600}

command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)"; exit 1; }

captures=("$@")
if [ ${#captures[@]} -eq 0 ]; then
    for c in pcaps/invite-407-ok.pcap pcaps/tcp-two-messages-one-segment.pcap pcaps/register-401-stale.pcap \
             pcaps/new-call-id-retry.pcap pcaps/lab/invite_lossy.pcap; do
        [ -f "$root/$c" ] && captures+=("$root/$c")
    done
fi
[ ${#captures[@]} -gt 0 ] || { echo "valgrind: no capture to run"; exit 1; }

# Our code, as valgrind names it in stack frames (full source paths, --fullpath-after=): the module,
# or a source file of plugin/ or core/.
ours='sipauth\.so|/(plugin|core)/[A-Za-z0-9_-]+\.c:[0-9]+'

# tshark runs under valgrind only when it reads a capture (not for the wrapper's version/plugin checks):
# a shim named tshark first in PATH, where user nobody can run it; logs go to a directory nobody can write.
shim=$(mktemp -d /tmp/sipauth-vg.XXXXXX)
trap 'rm -rf "$shim"' EXIT
mkdir -p "$shim/bin" "$shim/logs"
cat >"$shim/bin/tshark" <<EOF
#!/bin/sh
for arg in "\$@"; do
    if [ "\$arg" = -r ]; then
        exec valgrind --tool=memcheck --leak-check=no --track-origins=yes --num-callers=40 --fullpath-after= \\
            --log-file="$shim/logs/vg.%p.log" $(command -v tshark) "\$@"
    fi
done
exec $(command -v tshark) "\$@"
EOF
chmod 755 "$shim" "$shim/bin" "$shim/bin/tshark"
chmod 1777 "$shim/logs"
export PATH=$shim/bin:$PATH

# And the small hostile captures, when no capture was named.
if [ $# -eq 0 ]; then
    mkdir -p "$shim/hostile"
    python3 "$here/gen_hostile.py" "$shim/hostile" >/dev/null
    for h in non-utf8-params cseq-extremes many-challenge-headers deep-via-and-truncated backwards-time; do
        captures+=("$shim/hostile/$h.pcap")
    done
fi

passed=0 failed=0 theirs=0 runs=0
for capture in "${captures[@]}"; do
    for variant in two single; do
        if [ $variant = two ]; then
            args=(-n -2 -V)
        else
            args=(-n -V -z "sipauth,stat" -z "sipauth,problems" -z "sipauth,registrations" -z "sipauth,sources")
        fi
        rm -f "$shim"/logs/*
        runs=$((runs + 1))
        name="$(basename "$capture") ($variant pass)"
        status=0
        timeout "$limit_s" "$SIPAUTH_TSHARK" "$plugin" "${args[@]}" -r "$capture" >"$shim/out" 2>"$shim/err" || status=$?
        if [ "$status" != 0 ]; then
            echo "FAIL $name: exit $status"; sed -n 1,20p "$shim/err"; failed=$((failed + 1)); continue
        fi
        grep -q '^\[SIP Authentication Challenge Analysis' "$shim/out" \
            || { echo "FAIL $name: no SIPAUTH output"; failed=$((failed + 1)); continue; }
        log=$(ls "$shim"/logs/vg.*.log 2>/dev/null | head -1 || true)
        [ -n "$log" ] || { echo "FAIL $name: valgrind wrote no log"; failed=$((failed + 1)); continue; }
        # Split the log into error blocks (they start with a line naming the error, end at a blank line).
        report=$(awk -v ours="$ours" '
            /^==[0-9]+== (Invalid|Conditional jump|Use of uninitialised|Mismatched|Syscall param|Source and destination|Argument .* fishy)/ {
                block = $0; inblock = 1; next }
            inblock && /^==[0-9]+== *$/ {
                if (block ~ ours) { mine++; if (mine <= 3) print block "\n" } else other++
                inblock = 0; next }
            inblock { block = block "\n" $0 }
            END { printf "COUNTS %d %d\n", mine, other }
        ' "$log")
        read -r _ mine other <<<"$(grep '^COUNTS' <<<"$report")"
        theirs=$((theirs + other))
        if [ "$mine" -gt 0 ]; then
            echo "FAIL $name: $mine memcheck errors in sipauth code:"
            grep -v '^COUNTS' <<<"$report" | sed -n 1,60p
            failed=$((failed + 1)); continue
        fi
        grep -q 'ERROR SUMMARY' "$log" || { echo "FAIL $name: valgrind did not finish"; failed=$((failed + 1)); continue; }
        echo "ok   $name: $(grep -o 'ERROR SUMMARY: [0-9]* errors' "$log" | tail -1) (none in sipauth)"
        passed=$((passed + 1))
    done
done
echo "valgrind: $runs runs, $passed passed, $failed failed; $theirs memcheck errors outside sipauth ignored"
[ "$failed" = 0 ]
