#!/usr/bin/env bash
# Measures what sipauth adds to tshark: the same command with and without the plugin, runs alternated.
# Usage: bench/run.sh [options]   (bench/README.md explains the output)
#   --frames N           capture size in frames (default 1000000)
#   --smoke              small capture (5000 frames) for CI
#   --pairs N            runs of each variant per mode (default 5; 0 skips the timed modes)
#   --modes LIST         of filter,plain,stats (default all three)
#   --variants LIST      of plugin,floor,floor11,lua besides plain (default all four)
#   --plugin FILE        sipauth.so to measure (default build/sipauth.so, built if missing)
#   --capture FILE       measure this capture instead of generating one
#   --seed N             generator seed (default 1)
#   --memory             also memory per flow at --memory-flows (default 100000,1000000 flows)
#   --memory-flows LIST
#   --callgrind          also callgrind instruction counts on a --callgrind-frames capture (default 20000)
#   --callgrind-frames N
#   --cx-share F         that share of the generated REGISTER flows carries its S-CSCF's Diameter Cx exchange
#                        (MAR/MAA, SAR/SAA, AKAv1-MD5; gen_big.py --cx-share; default 0: none)
#   --credentials N      a credentials table of N users (the capture's u0000000...) in every variant's profile,
#                        so that the plugin verifies each retry of those users (default 0: no table)
#   --workdir DIR        keep captures, builds and raw results there (default: a temporary folder, removed)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

frames=1000000 pairs=5 modes=filter,plain,stats variants=plugin,floor,floor11,lua plugin='' capture='' seed=1
memory=0 memory_flows=100000,1000000 callgrind=0 callgrind_frames=20000 workdir='' credentials=0 cx_share=0
while [ $# -gt 0 ]; do
    case "$1" in
        --frames) frames=$2; shift ;;
        --smoke) frames=5000 ;;
        --pairs) pairs=$2; shift ;;
        --modes) modes=$2; shift ;;
        --variants) variants=$2; shift ;;
        --plugin) plugin=$2; shift ;;
        --capture) capture=$2; shift ;;
        --seed) seed=$2; shift ;;
        --memory) memory=1 ;;
        --memory-flows) memory_flows=$2; shift ;;
        --callgrind) callgrind=1 ;;
        --callgrind-frames) callgrind_frames=$2; shift ;;
        --workdir) workdir=$2; shift ;;
        --credentials) credentials=$2; shift ;;
        --cx-share) cx_share=$2; shift ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

die() { echo "run.sh: $*" >&2; exit 1; }
note() { echo "== $*"; }

# Tools. CI installs them with apt; on a developer's root shell a missing one is installed here.
need() {
    local cmd=$1 pkg=$2
    command -v "$cmd" >/dev/null 2>&1 && return
    if [ "$(id -u)" = 0 ] && [ "${CI:-}" != true ] && command -v apt-get >/dev/null; then
        apt-get install -y -q "$pkg" >/dev/null || die "cannot install $pkg"
    else
        die "$cmd is missing: apt-get install $pkg"
    fi
}
need tshark tshark
need /usr/bin/time time
need cmake cmake
need python3 python3
[ "$callgrind" = 0 ] || need valgrind valgrind

# Work folder: tshark runs as nobody when root, so it must be able to read the captures.
if [ -z "$workdir" ]; then
    workdir=$(mktemp -d "${TMPDIR:-/tmp}/sipauth-bench.XXXXXX")
    trap 'rm -rf "$workdir"' EXIT
fi
mkdir -p "$workdir"
chmod 755 "$workdir"
results=$workdir/results.txt
: >"$results"

# What to measure.
if [ -z "$plugin" ]; then
    plugin=$root/build/sipauth.so
    if [ ! -f "$plugin" ]; then
        note "building sipauth.so"
        cmake -S "$root" -B "$root/build" >/dev/null
        cmake --build "$root/build" --target sipauth >/dev/null
    fi
fi
[ -f "$plugin" ] || die "no plugin at $plugin"
floor=
if [[ ",$variants," == *,floor,* ]]; then
    note "building sipauth_floor.so"
    cmake -S "$here/floor" -B "$workdir/floor-build" >/dev/null
    cmake --build "$workdir/floor-build" >/dev/null
    floor=$workdir/floor-build/sipauth_floor.so
fi
# floor11: the same do-nothing post-dissector asking for the eleven SIP header fields sipauth 0.1 read.
floor11=
if [[ ",$variants," == *,floor11,* ]]; then
    note "building sipauth_floor11.so"
    cmake -S "$here/floor" -B "$workdir/floor11-build" -DCMAKE_C_FLAGS=-DSIPAUTH_FLOOR_ALL_FIELDS >/dev/null
    cmake --build "$workdir/floor11-build" >/dev/null
    floor11=$workdir/floor11-build/sipauth_floor11.so
    cp "$workdir/floor11-build/sipauth_floor.so" "$floor11"
fi
lua=$here/lua/sipauth_basic.lua
extra_of() {
    case "$1" in
        plain) echo none ;;
        plugin) echo "$plugin" ;;
        floor) echo "$floor" ;;
        floor11) echo "$floor11" ;;
        lua) echo "$lua" ;;
    esac
}
variant() { "$here/tshark-variant.sh" "$@"; }

# The credentials table, in the profile of every variant alike (plain tshark has no such table and ignores it).
if [ "$credentials" -gt 0 ]; then
    export SIPAUTH_BENCH_CREDENTIALS=$workdir/sipauth_credentials
    awk -v n="$credentials" 'BEGIN { for (i = 0; i < n; i++) printf "\"u%07d\",\"\",\"bench-password-%d\",\"\",\"\",\"\",\"\",\"\"\n", i, i }' \
        >"$SIPAUTH_BENCH_CREDENTIALS"
    note "credentials table: $credentials users"
fi

# One timed run: appends "time MODE VARIANT RUN wall rss user sys" to the results.
measure() {
    local kind=$1 mode=$2 var=$3 run=$4 out=$5 flows=$6; shift 6
    local t=$workdir/time.txt
    if ! variant --time "$t" "$(extra_of "$var")" "$@" >"$out" 2>"$workdir/stderr.txt"; then
        cat "$workdir/stderr.txt" >&2
        die "tshark failed: $mode, $var"
    fi
    awk -v kind="$kind" -v mode="$mode" -v var="$var" -v run="$run" -v flows="$flows" '
        /Elapsed \(wall clock\)/ { n = split($NF, p, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + p[i] }
        /Maximum resident set size/ { rss = $NF }
        /User time/ { user = $NF }
        /System time/ { sys = $NF }
        END { print kind, mode, var, run, wall, rss, user, sys, flows }' "$t" >>"$results"
}

# Every generated capture (timed, memory, callgrind) has the same Cx share.
gen() {
    local out=$1; shift
    python3 "$here/gen_big.py" -o "$out" --seed "$seed" --cx-share "$cx_share" --quiet "$@"
    chmod 644 "$out"
}

machine() {
    echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)," \
         "$(tshark --version 2>/dev/null | head -1)"
}

# The capture.
if [ -n "$capture" ]; then
    [ -r "$capture" ] || die "cannot read $capture"
    cp "$capture" "$workdir/capture.pcap"
    chmod 644 "$workdir/capture.pcap"
    facts=
else
    note "generating a capture of about $frames frames"
    facts=$(gen "$workdir/capture.pcap" --frames "$frames")
fi
cap=$workdir/capture.pcap
note "capture: $(basename "$cap") $(stat -c %s "$cap") bytes ${facts}"

# Sanity: the plugin must really follow the generated flows, or the timings mean nothing.
if [ -n "$facts" ]; then
    fact() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" <<<"$facts"; }
    variant "$plugin" -G values 2>/dev/null | awk -F'\t' '$2 == "sipauth.outcome" { print $3, $4 }' >"$workdir/outcomes.txt"
    variant "$plugin" -n -2 -r "$cap" -Y 'sipauth.role == "challenge"' -T fields -e sipauth.outcome \
        >"$workdir/challenges.txt" 2>"$workdir/stderr.txt" || { cat "$workdir/stderr.txt" >&2; die "tshark failed"; }
    got=$(python3 - "$workdir/outcomes.txt" "$workdir/challenges.txt" <<'EOF'
import collections, sys
names = dict(line.rstrip("\n").split(" ", 1) for line in open(sys.argv[1]) if line.strip())
c = collections.Counter(names.get(v.strip(), v.strip()) for v in open(sys.argv[2]))
print(sum(c.values()), c["accepted"], c["no retry"], c["challenged again"])
EOF
)
    flows=$(fact flows) missing=$(fact missing) rechallenge=$(fact rechallenge)
    want="$((flows + rechallenge)) $((flows - missing)) $missing $rechallenge"
    [ "$got" = "$want" ] || die "plugin saw challenges/accepted/no retry/challenged again = $got, generator wrote $want"
    note "sanity: the plugin linked all $flows flows as generated"
fi

# Mode commands. The stats mode compares sipauth's table with the SIP dissector's own.
# (A command with no output, filter nor tap, such as "-q" alone, makes tshark skip dissection.)
stats_plugin=1
if [[ ",$modes," == *,stats,* ]] && ! variant "$plugin" -z help 2>&1 | grep -q '^ *sipauth,stat$'; then
    note "sipauth,stat is not registered by this plugin: the stats mode measures no plugin run"
    stats_plugin=0
fi
command_of() {
    local mode=$1 var=$2 file=$3
    case "$mode" in
        filter) echo "-n -2 -r $file -Y sip.Status-Code==407 -T fields -e frame.number" ;;
        plain) echo "-n -r $file" ;;
        stats) if [ "$var" = plugin ]; then echo "-n -q -r $file -z sipauth,stat"; else echo "-n -q -r $file -z sip,stat"; fi ;;
        *) die "unknown mode $mode" ;;
    esac
}

IFS=, read -r -a mode_list <<<"$modes"
IFS=, read -r -a variant_list <<<"plain,$variants"
((pairs > 0)) || mode_list=()
for mode in "${mode_list[@]}"; do
    note "mode $mode: $pairs runs of each of ${variant_list[*]}"
    for ((run = 1; run <= pairs; run++)); do
        order=("${variant_list[@]}")
        if ((run % 2 == 0)); then
            order=()
            for ((i = ${#variant_list[@]} - 1; i >= 0; i--)); do order+=("${variant_list[i]}"); done
        fi
        for var in "${order[@]}"; do
            [ "$mode$var" != statsplugin ] || [ "$stats_plugin" = 1 ] || continue
            # shellcheck disable=SC2046
            measure time "$mode" "$var" "$run" "$workdir/out.$mode.$var" 0 $(command_of "$mode" "$var" "$cap")
        done
    done
    if [ "$mode" = filter ] && ((pairs > 0)); then
        for var in "${variant_list[@]}"; do
            cmp -s "$workdir/out.filter.plain" "$workdir/out.filter.$var" \
                || die "the filter output differs with $var: it must not change what the SIP dissector shows"
        done
    fi
done

if [ "$memory" = 1 ]; then
    IFS=, read -r -a flow_list <<<"$memory_flows"
    for flows in "${flow_list[@]}"; do
        note "memory: $flows flows"
        gen "$workdir/mem.pcap" --flows "$flows" >/dev/null
        for var in plain floor plugin; do
            [ "$var" != floor ] || [ -n "$floor" ] || continue
            # shellcheck disable=SC2046
            measure mem filter "$var" 1 /dev/null "$flows" $(command_of filter "$var" "$workdir/mem.pcap")
        done
        rm -f "$workdir/mem.pcap"
    done
fi

echo
machine
python3 "$here/summarize.py" "$results"

if [ "$callgrind" = 1 ]; then
    cg=$workdir/callgrind
    mkdir -p "$cg"
    gen "$cg/capture.pcap" --frames "$callgrind_frames" >/dev/null
    # Plugin functions are those whose object is the plugin; inclusive lines may lack the object, so go by name.
    top() {
        awk -v n="$1" -v object="/$(basename "$plugin")]" '
            function name(line) { sub(/ \[[^]]*\]$/, "", line); sub(/.*:/, "", line); sub(/'"'"'[0-9]+$/, "", line); return line }
            NR == FNR { if (substr($0, length($0) - length(object) + 1) == object) mine[name($0)] = 1; next }
            /^ *[0-9,]+ \(/ { f = name($0); if ((f in mine) && !(f in seen) && shown++ < n) { seen[f] = 1; printf "%s  %s\n", $1, f } }
        ' "$2" "$3"
    }
    for cg_mode in filter plain; do
        note "callgrind: $callgrind_frames frames, $cg_mode mode"
        : >"$cg/totals.$cg_mode.txt"
        for var in plain floor plugin; do
            [ "$var" != floor ] || [ -n "$floor" ] || continue
            out=$cg/$cg_mode.$var
            # shellcheck disable=SC2046
            variant --callgrind "$out.out" "$(extra_of "$var")" $(command_of "$cg_mode" "$var" "$cg/capture.pcap") \
                >/dev/null 2>&1 || die "valgrind failed on $var"
            callgrind_annotate --inclusive=yes --threshold=100 "$out.out" 2>/dev/null >"$out.incl.txt"
            callgrind_annotate --threshold=100 "$out.out" 2>/dev/null >"$out.self.txt"
            # Dissection alone: every epan_dissect_run*, without start-up, file reading and printing.
            awk -v var="$var" '
                { gsub(",", "", $1) }
                /PROGRAM TOTALS/ { total = $1 }
                /:epan_dissect_run_with_taps \[/ || /:epan_dissect_run \[/ { dissect += $1 }
                END { printf "%s %.0f %.0f\n", var, total, dissect }' "$out.incl.txt" >>"$cg/totals.$cg_mode.txt"
        done
        awk -v frames="$callgrind_frames" -v mode="$cg_mode" '
            { total[$1] = $2; dissect[$1] = $3; printf "Ir %s %-6s total %15.0f  dissection %15.0f  (%.0f per frame)\n", mode, $1, $2, $3, $3 / frames }
            END {
                if (!total["plain"]) exit
                printf "Ir %s ratio to plain: plugin total %.3f, dissection %.3f", mode, total["plugin"] / total["plain"], dissect["plugin"] / dissect["plain"]
                if (total["floor"]) printf "; floor total %.3f, dissection %.3f; plugin/floor dissection %.3f, %.0f Ir/frame over the floor",
                    total["floor"] / total["plain"], dissect["floor"] / dissect["plain"], dissect["plugin"] / dissect["floor"],
                    (dissect["plugin"] - dissect["floor"]) / frames
                printf "\n"
            }' "$cg/totals.$cg_mode.txt"
        echo "plugin functions in $cg_mode mode, inclusive Ir (with what they call in epan and GLib):"
        top 10 "$cg/$cg_mode.plugin.self.txt" "$cg/$cg_mode.plugin.incl.txt"
        echo "plugin functions in $cg_mode mode, self Ir:"
        top 10 "$cg/$cg_mode.plugin.self.txt" "$cg/$cg_mode.plugin.self.txt"
    done
fi
