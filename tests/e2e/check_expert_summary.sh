#!/usr/bin/env bash
# Checks that expert summaries group: on a generated capture of 1,500 flows of many kinds (accepted, refreshed,
# refused, re-challenged, missing retries, retransmissions, TCP) tshark -2 -q -z expert prints at most a few
# dozen SIPAUTH lines, and the same lines whatever the number of flows (fixed texts, no frame numbers).
# Usage: check_expert_summary.sh WRAPPER PLUGIN
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
wrapper=$1 plugin=$2
work=$(mktemp -d /tmp/sipauth-expert.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0 passed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; }

summaries() {   # the SIPAUTH lines of -z expert, without their counts
    "$wrapper" "$plugin" -r "$1" -2 -q -z expert | grep 'SIPAUTH' | sed -E 's/^ *[0-9]+ +//' | sort
}
for flows in 300 1500; do
    python3 "$here/../../bench/gen_big.py" -o "$work/$flows.pcap" --flows "$flows" --missing-share 0.08 \
        --rechallenge-share 0.1 --retrans-share 0.05 --tcp-share 0.2 --seed 7 --quiet
    summaries "$work/$flows.pcap" > "$work/$flows.txt"
done
lines=$(wc -l < "$work/1500.txt")
if [ "$lines" -ge 3 ] && [ "$lines" -le 36 ]; then ok "1500 flows: $lines SIPAUTH summary lines"; else
    not_ok "1500 flows: $lines SIPAUTH summary lines, expected 3..36"; cat "$work/1500.txt"; fi
if cmp -s "$work/300.txt" "$work/1500.txt"; then ok "the same summaries for 300 and 1500 flows"; else
    not_ok "summaries differ between 300 and 1500 flows"; diff "$work/300.txt" "$work/1500.txt" | head -20; fi
if ! grep -qiE 'frame [0-9]|in [0-9]+ ' "$work/1500.txt"; then ok "no frame number in a summary"; else
    not_ok "a summary names a frame"; grep -iE 'frame [0-9]|in [0-9]+ ' "$work/1500.txt" | head; fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
