#!/usr/bin/env bash
# Measures how the -z sipauth,problems table's cost grows with its flows: its extra CPU over -z sipauth,stat
# alone on captures of growing size with half the flows left unretried (the rows that stay in the table).
# Usage: bench/problems_scaling.sh [--plugin FILE] [--runs N] [FLOWS...]   (default 12000 48000, 3 runs)
# Prints per size the median CPU (user+sys) of both commands and the difference; linear growth means the
# difference grows about as the flows do (x4 flows, x4 time), quadratic as their square.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
plugin=$root/build/sipauth.so runs=3 sizes=()
while [ $# -gt 0 ]; do
    case "$1" in
        --plugin) plugin=$2; shift ;;
        --runs) runs=$2; shift ;;
        *) sizes+=("$1") ;;
    esac
    shift
done
[ ${#sizes[@]} -gt 0 ] || sizes=(12000 48000)
[ -f "$plugin" ] || { echo "problems_scaling: no plugin at $plugin (build first)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/sipauth-scaling.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

# CPU seconds of one run, from /usr/bin/time -v.
cpu() {
    local t=$work/time.txt
    "$here/tshark-variant.sh" --time "$t" "$plugin" "$@" >/dev/null
    awk '/User time/ { u = $NF } /System time/ { s = $NF } END { printf "%.3f\n", u + s }' "$t"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%8s %12s %16s %10s\n' flows "stat (s)" "stat+problems (s)" "extra (s)"
for flows in "${sizes[@]}"; do
    cap=$work/cap-$flows.pcap
    python3 "$here/gen_big.py" -o "$cap" --flows "$flows" --missing-share 0.5 --seed 1 --quiet
    chmod 644 "$cap"
    stat=() both=()
    for _ in $(seq "$runs"); do
        stat+=("$(cpu -n -q -r "$cap" -z sipauth,stat)")
        both+=("$(cpu -n -q -r "$cap" -z sipauth,stat -z sipauth,problems)")
    done
    s=$(printf '%s\n' "${stat[@]}" | median)
    b=$(printf '%s\n' "${both[@]}" | median)
    awk -v f="$flows" -v s="$s" -v b="$b" 'BEGIN { printf "%8s %12s %16s %10.3f\n", f, s, b, b - s }'
done
