#!/usr/bin/env bash
# Runs tshark for the benchmark with exactly one extra plugin (sipauth.so, sipauth_floor.so or a Lua script) or none.
# Usage: tshark-variant.sh [--time FILE] [--callgrind FILE] [--dry-check] EXTRA|none [tshark arguments...]
# Same mechanism as tests/tools/tshark-plugin.sh (throw-away HOME with a personal plugin folder, run as
# nobody when root) so every variant pays the same; unlike it, -r files are not copied (captures are
# large) and must be readable by nobody. The global plugin folder is replaced by a private mirror of
# the system one without any sipauth plugin, so a stray global install cannot skew the baseline.
# --time wraps tshark in /usr/bin/time -v; --callgrind runs it under valgrind's callgrind.
set -euo pipefail

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

ver=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
[ -n "$ver" ] || { echo "tshark-variant: cannot read tshark's version" >&2; exit 2; }
global=$(tshark -G folders 2>/dev/null | sed -n 's/^Global Plugins:[[:space:]]*//p')
[ -d "$global" ] || { echo "tshark-variant: cannot find tshark's global plugin folder" >&2; exit 2; }

home=$(mktemp -d "${TMPDIR:-/tmp}/sipauth-bench-home.XXXXXX")
trap 'rm -rf "$home"' EXIT
personal="$home/.local/lib/wireshark/plugins"
mkdir -p "$personal/$ver/epan" "$home/global/$ver"
(cd "$global" && find . -name '*.so' ! -name 'sipauth*') | while read -r so; do
    mkdir -p "$home/global/$ver/$(dirname "$so")"
    ln -s "$global/$so" "$home/global/$ver/$so"
done

expect=
case "$extra" in
    none) ;;
    *.so) cp "$extra" "$personal/$ver/epan/"; expect=$(basename "$extra") ;;
    *.lua) cp "$extra" "$personal/"; expect=$(basename "$extra") ;;
    *) echo "tshark-variant: EXTRA must be none, a .so or a .lua file" >&2; exit 2 ;;
esac
chmod -R a+rX "$home"
[ -z "$callgrind_out" ] || chmod a+w "$(dirname "$callgrind_out")"

run() {
    if [ "$(id -u)" = 0 ]; then
        chown -R nobody:nogroup "$home"
        setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$home" WIRESHARK_PLUGIN_DIR="$home/global" "$@"
    else
        env HOME="$home" WIRESHARK_PLUGIN_DIR="$home/global" "$@"
    fi
}

loaded=$(run tshark -G plugins 2>/dev/null | awk -F'\t' '{print $NF}' | sed 's,.*/,,' | grep -E '^sipauth' || true)
if [ "$loaded" != "$expect" ]; then
    echo "tshark-variant: expected extra plugin '${expect:-none}', tshark loaded '${loaded:-none}'" >&2
    exit 3
fi

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
