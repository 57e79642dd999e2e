#!/bin/bash
# What the statistics tables cost (SPEC section 12): the four tables against -z sipauth,stat alone, one plugin,
# one capture, CPU time (user + sys).
#
# Usage: bench/tables.sh ROUNDS CAPTURE PLUGIN
#   Each round runs both commands at the same time, one per CPU, and the next round swaps the CPUs: a machine
#   shared with others slows both runs of a round alike, which sequential runs do not get (their times here
#   drift by 20 to 40 % within an hour), and the two CPUs of a virtual machine need not be equally fast (here
#   one ran the same command 6 % slower), which the swap cancels. With one CPU the two run in turn, in reverse
#   order every other round. Prints each round's ratio (tables / stat), then the median over pairs of rounds
#   of the pair's geometric mean (over single rounds when fewer than two), and each command's median.
# Example: bench/tables.sh 6 big.pcap build/sipauth.so   (bench/run.sh --workdir keeps a 1M-frame capture)
set -e
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: tables.sh ROUNDS CAPTURE PLUGIN"
rounds=${1:?$usage}
capture=${2:?$usage}
plugin=${3:?$usage}

stat_args=(-z "sipauth,stat")
tables_args=(-z "sipauth,stat" -z "sipauth,problems" -z "sipauth,registrations" -z "sipauth,sources")

# shellcheck source=workdir.sh
. "$here/workdir.sh"
bench_workdir "$capture"

cpus=$(nproc)
# run LABEL CPU ARGS...: one timed run (on that CPU when there are two), its CPU time to $work/LABEL.cpu
run() {
    local label=$1 cpu=$2; shift 2
    local pin=()
    [ "$cpus" -lt 2 ] || pin=(taskset -c "$cpu")
    "${pin[@]}" "$here/tshark-variant.sh" --time "$work/$label.time" "$plugin" -n -q -r "$capture" "$@" \
        > "$work/$label.out"
    awk -F: '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.2f\n", u + s}' "$work/$label.time" \
        > "$work/$label.cpu"
}

raw=$work/raw.txt
for round in $(seq 1 "$rounds"); do
    a=$((round % 2)) b=$(((round + 1) % 2))
    if [ "$cpus" -ge 2 ]; then
        run stat "$a" "${stat_args[@]}" & stat_pid=$!
        run tables "$b" "${tables_args[@]}" & tables_pid=$!
        wait "$stat_pid"
        wait "$tables_pid"
    elif [ "$a" = 1 ]; then
        run stat 0 "${stat_args[@]}"
        run tables 0 "${tables_args[@]}"
    else
        run tables 0 "${tables_args[@]}"
        run stat 0 "${stat_args[@]}"
    fi
    # The four tables must have been drawn, or the time means nothing.
    for title in Problems Registrations Sources; do
        grep -q "^SIP Authentication $title:" "$work/tables.out" \
            || { echo "tables.sh: no $title table in the output" >&2; exit 1; }
    done
    stat=$(cat "$work/stat.cpu") tables=$(cat "$work/tables.cpu")
    echo "$round $stat $tables" >> "$raw"
    awk -v r="$round" -v s="$stat" -v t="$tables" \
        'BEGIN { printf "round %d: stat %.2f s, four tables %.2f s, ratio %.3f\n", r, s, t, t / s }'
done
awk '
    function median(v, n,   i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    { n++; s[n] = $2; t[n] = $3; r[n] = $3 / $2 }
    END {
        for (i = 2; i <= n; i += 2) g[++pairs] = sqrt(r[i - 1] * r[i])
        if (pairs > 0)
            printf "four tables / stat: median ratio %.3f over %d pairs of rounds", median(g, pairs), pairs
        else
            printf "four tables / stat: median ratio %.3f over %d rounds", median(r, n), n
        printf " (stat median %.2f s, four tables %.2f s)\n", median(s, n), median(t, n)
    }
' "$raw"
