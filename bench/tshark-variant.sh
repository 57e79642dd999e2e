#!/usr/bin/env bash
# Runs tshark for the benchmark with exactly one extra plugin (sipauth.so, sipauth_floor.so or a Lua script) or none.
# Usage: tshark-variant.sh [--time FILE] [--callgrind FILE] EXTRA|none [tshark arguments...]
# The plugin set of tests/tools/tshark-plugin.sh (tests/tools/plugin-set.sh: a private mirror of the global
# plugin folder without any sipauth*, plus EXTRA; a fresh HOME; nobody when root), so every variant pays
# the same and a stray global install cannot skew the baseline; unlike it, -r files are not copied
# (captures are large) and must be readable by nobody.
# --time wraps tshark in /usr/bin/time -v; --callgrind runs it under valgrind's callgrind.
set -euo pipefail
# shellcheck source=../tests/tools/plugin-set.sh
. "$(cd "$(dirname "$0")" && pwd)/../tests/tools/plugin-set.sh"

time_out='' callgrind_out=''
while [ $# -gt 0 ]; do
    case "$1" in
        --time) time_out=$2; shift 2 ;;
        --callgrind) callgrind_out=$2; shift 2 ;;
        *) break ;;
    esac
done
extra=${1:?usage: tshark-variant.sh [--time FILE] [--callgrind FILE] EXTRA|none [tshark args]}
shift

work=$(mktemp -d "${TMPDIR:-/tmp}/sipauth-bench-run.XXXXXX")
trap 'rm -rf "$work"' EXIT
files=()
case "$extra" in
    none) ;;
    *.so|*.lua) files=("$extra") ;;
    *) echo "tshark-variant: EXTRA must be none, a .so or a .lua file" >&2; exit 2 ;;
esac
pset_make "$work" "${files[@]}" || exit 2
# bench/run.sh --credentials: the same credentials table in every variant's profile.
if [ -n "${SIPAUTH_BENCH_CREDENTIALS:-}" ]; then
    mkdir -p "$pset_dir/home/.config/wireshark"
    cp "$SIPAUTH_BENCH_CREDENTIALS" "$pset_dir/home/.config/wireshark/sipauth_credentials"
    pset_fix_perms
fi
[ -z "$callgrind_out" ] || chmod a+w "$(dirname "$callgrind_out")"
pset_check || { echo "tshark-variant: tshark would not run with exactly ${extra}" >&2; exit 3; }
run() { pset_run "$@"; }

args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    if [ "${args[i]}" = -r ] && ! run test -r "${args[i+1]}"; then
        echo "tshark-variant: ${args[i+1]} is not readable by the user tshark runs as" >&2
        exit 2
    fi
done

prefix=()
[ -z "$time_out" ] || prefix=(/usr/bin/time -v -o "$time_out")
[ -z "$callgrind_out" ] || prefix+=(valgrind --tool=callgrind -q --callgrind-out-file="$callgrind_out")
if [ -n "$time_out" ]; then
    : >"$time_out"
    [ "$(id -u)" != 0 ] || chown nobody:nogroup "$time_out"
fi
run "${prefix[@]}" tshark "${args[@]}"
