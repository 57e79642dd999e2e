#!/bin/bash
# A/B of builds in one mode, for changes smaller than the noise of run.sh's five runs.
#
# Usage: bench/ab.sh ROUNDS CAPTURE LABEL=PLUGIN... [-- TSHARK ARGS]
#   PLUGIN is a .so, a .lua or "none"; the first LABEL is the base of the ratios. The variants run in
#   turn, in reverse order every other round, with the tshark arguments (default: -n, the plain mode).
#   Prints each variant's median CPU time (user + sys), its ratio of medians to the base and the median
#   of its per-round ratios (which cancels the machine's slow drifts).
# Example: bench/ab.sh 7 big.pcap floor=floor.so old=old/sipauth.so new=build/sipauth.so
set -e
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:?usage: ab.sh ROUNDS CAPTURE LABEL=PLUGIN... [-- TSHARK ARGS]}
capture=${2:?usage: ab.sh ROUNDS CAPTURE LABEL=PLUGIN... [-- TSHARK ARGS]}
shift 2
specs=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do specs+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(-n)
[ ${#specs[@]} -ge 2 ] || { echo "ab.sh: give at least two LABEL=PLUGIN" >&2; exit 2; }

# shellcheck source=workdir.sh
. "$here/workdir.sh"
bench_workdir "$capture"
raw=$work/raw.txt
for round in $(seq 1 "$rounds"); do
    order=("${specs[@]}")
    if [ $((round % 2)) = 0 ]; then
        order=()
        for ((i = ${#specs[@]} - 1; i >= 0; i--)); do order+=("${specs[$i]}"); done
    fi
    for spec in "${order[@]}"; do
        label=${spec%%=*}
        "$here/tshark-variant.sh" --time "$work/time.txt" "${spec#*=}" "${args[@]}" -r "$capture" > /dev/null
        cpu=$(awk -F: '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.2f", u + s}' "$work/time.txt")
        echo "$round $label $cpu" >> "$raw"
    done
done

python3 - "$raw" "${specs[@]}" <<'EOF'
import statistics
import sys

rows = [line.split() for line in open(sys.argv[1])]
labels = [spec.split('=', 1)[0] for spec in sys.argv[2:]]
cpu = {label: {} for label in labels}
for round_, label, seconds in rows:
    cpu[label][int(round_)] = float(seconds)
base = labels[0]
for label in labels:
    times = [cpu[label][r] for r in sorted(cpu[label])]
    line = f"{label:>10}: median {statistics.median(times):7.2f} s  runs {' '.join(f'{t:.2f}' for t in times)}"
    if label != base:
        per_round = [cpu[label][r] / cpu[base][r] for r in cpu[label]]
        line += (f"  / {base}: {statistics.median(times) / statistics.median(cpu[base].values()):.3f}"
                 f" (per-round median {statistics.median(per_round):.3f})")
    print(line)
EOF
