#!/usr/bin/env bash
# No harm: for every capture, tshark -V with and without the plugin (two-pass and single-pass) must differ
# only in SIPAUTH's own lines, and the plugin must add nothing to stderr.
# Usage: tests/robust/no-harm.sh PLUGIN.so [CAPTURE_DIR...]
#   default dirs: pcaps/ and pcaps/lab/ of the repository; more dirs (e.g. real captures) may be given,
#   unreadable or missing ones are skipped.
set -euo pipefail
plugin=${1:?usage: no-harm.sh PLUGIN.so [CAPTURE_DIR...]}
shift
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=("$robust_root/pcaps" "$robust_root/pcaps/lab")

work=$(mktemp -d /tmp/sipauth-noharm.XXXXXX)
trap 'rm -rf "$work"' EXIT

mapfile -t captures < <(list_captures "${dirs[@]}" | awk '!seen[$0]++')
if [ ${#captures[@]} -eq 0 ]; then
    echo "no-harm: no capture found in ${dirs[*]}"
    exit 1
fi

passed=0 failed=0 subtrees=0
for capture in "${captures[@]}"; do
    for pass in -2 ""; do
        name="$(basename "$capture") ${pass:-(single pass)}"
        # shellcheck disable=SC2086
        if ! timeout 300 "$robust_lib" with "$plugin" -n $pass -V -r "$capture" \
                >"$work/with.out" 2>"$work/with.err"; then
            echo "FAIL $name: tshark with the plugin failed"; sed -n 1,20p "$work/with.err"
            failed=$((failed + 1)); continue
        fi
        # shellcheck disable=SC2086
        if ! timeout 300 "$robust_lib" plain -n $pass -V -r "$capture" \
                >"$work/without.out" 2>"$work/without.err"; then
            echo "FAIL $name: tshark without the plugin failed"; sed -n 1,20p "$work/without.err"
            failed=$((failed + 1)); continue
        fi
        subtrees=$((subtrees + $(grep -c '^\[SIP Authentication Challenge Analysis' "$work/with.out" || true)))
        strip_sipauth <"$work/with.out" >"$work/with.stripped"
        if ! diff -u "$work/without.out" "$work/with.stripped" >"$work/diff"; then
            echo "FAIL $name: the plugin changed other output (first differing lines, - without, + with):"
            grep -E '^[-+@]' "$work/diff" | sed -n 3,30p
            failed=$((failed + 1)); continue
        fi
        if ! diff "$work/without.err" "$work/with.err" >"$work/diff"; then
            echo "FAIL $name: stderr differs with the plugin:"
            sed -n 1,20p "$work/diff"
            failed=$((failed + 1)); continue
        fi
        passed=$((passed + 1))
    done
done
echo "no-harm: ${#captures[@]} captures, $subtrees SIPAUTH subtrees stripped; $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$subtrees" -gt 0 ]
