#!/usr/bin/env bash
# ctest harness_shadow: a different sipauth.so in the global plugin folder must neither shadow the build
# under test, nor stand in for it, nor slip into a run without the plugin.
# Usage: tests/tools/harness-shadow.sh PLUGIN.so
#
# The planted plugin is bench/floor built and named sipauth.so (a post-dissector of another protocol,
# sipauth_floor, that shows nothing). It goes into a global plugin folder of its own: a copy (links) of
# the real one plus the plant, which tshark uses because WIRESHARK_PLUGIN_DIR names it, as it would use
# any global folder. The real folder is never written to, so other tests and users on the machine are
# not disturbed. The harness is then run with that environment, as a test would run it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
plugin=$(realpath "${1:?usage: harness-shadow.sh PLUGIN.so}")
wrapper=$here/tshark-plugin.sh
capture=$root/pcaps/invite-407-loop.pcap

work=$(mktemp -d /tmp/sipauth-shadow.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
as_user=()
[ "$(id -u)" != 0 ] || as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

passed=0 failed=0
check() {  # check WHAT COMMAND...: the command's status is the verdict
    local what=$1; shift
    if "$@"; then echo "PASS $what"; passed=$((passed + 1)); else echo "FAIL $what"; failed=$((failed + 1)); fi
}
# paths: the file column of tshark -G plugins.
paths() { awk -F'\t' '{ print $NF }'; }

# 1. The plant.
cmake -S "$root/bench/floor" -B "$work/floor-build" >"$work/floor.log" 2>&1 &&
    cmake --build "$work/floor-build" >>"$work/floor.log" 2>&1 || { cat "$work/floor.log"; exit 1; }

# 2. The global folder holding it, made from the one tshark uses for this user without WIRESHARK_PLUGIN_DIR.
mkdir -p "$work/home" && chmod 755 "$work/home"
folders=$("${as_user[@]}" env -u WIRESHARK_PLUGIN_DIR HOME="$work/home" WIRESHARK_EXTCAP_DIR="$work/home" tshark -G folders)
real_lua=$(sed -n 's/^Global Lua Plugins:[[:space:]]*//p' <<<"$folders")
real_global=$(sed -n 's/^Global Plugins:[[:space:]]*//p' <<<"$folders")
rel=${real_global#"$real_lua"/}
global=$work/global
mkdir -p "$global/$rel/epan"
[ ! -d "$real_lua" ] || cp -rs "$real_lua/." "$global/"
rm -f "$global/$rel/epan/sipauth.so"
cp "$work/floor-build/sipauth_floor.so" "$global/$rel/epan/sipauth.so"
planted=$global/$rel/epan/sipauth.so
# A marker only this folder has: the harness's mirror must be made from it, not from elsewhere.
echo '-- harness_shadow marker: does nothing' >"$global/shadow_marker.lua"
chmod -R a+rX "$work"
echo "planted $planted (bench/floor: protocol sipauth_floor); real global folder $real_global"

# 3. It does shadow the build when loaded the old way (the build as a personal plugin, fresh HOME).
old=$work/old-home
mkdir -p "$old/.local/lib/wireshark/plugins/$rel/epan"
cp "$plugin" "$old/.local/lib/wireshark/plugins/$rel/epan/sipauth.so"
chmod -R a+rX "$old"
old_run() { "${as_user[@]}" env HOME="$old" WIRESHARK_PLUGIN_DIR="$global" WIRESHARK_EXTCAP_DIR="$work/home" tshark "$@"; }
old_listed=$(old_run -G plugins 2>"$work/old.err" | paths | grep '/sipauth[^/]*$' || true)
old_protocols=$(old_run -G protocols 2>/dev/null | awk -F'\t' '{ print $3 }')
sed 's/^/    (tshark said: /; s/$/)/' "$work/old.err"
check "premise: without the harness the planted sipauth.so loads and the personal build is skipped" \
    test "$old_listed" = "$planted"
check "premise: without the harness protocol sipauth_floor is registered, sipauth is not" \
    bash -c 'grep -qx sipauth_floor <<<"$1" && ! grep -qx sipauth <<<"$1"' _ "$old_protocols"

# 4. The harness, with that global folder in the environment.
export WIRESHARK_PLUGIN_DIR=$global
listed=$("$wrapper" "$plugin" -G plugins | paths || true)
mirror_lua=$(grep '/shadow_marker\.lua$' <<<"$listed" || true)
mirror=${mirror_lua%/shadow_marker.lua}
check "harness: its mirror is made from the planted folder (marker at $mirror_lua)" \
    test -n "$mirror_lua" -a "$mirror" != "$global"
check "harness: the only sipauth loaded is the build's copy at $mirror/$rel/epan/sipauth.so" \
    test "$(grep '/sipauth[^/]*$' <<<"$listed")" = "$mirror/$rel/epan/sipauth.so"
protocols=$("$wrapper" "$plugin" -G protocols | awk -F'\t' '{ print $3 }' || true)
check "harness: protocol sipauth is registered, sipauth_floor is not" \
    bash -c 'grep -qx sipauth <<<"$1" && ! grep -qx sipauth_floor <<<"$1"' _ "$protocols"
check "harness: the e2e case invite-407-loop (two-pass) passes" \
    python3 "$root/tests/e2e/run_e2e.py" "$wrapper" "$plugin" "$root/tests/e2e/cases/invite-407-loop.expect" --mode two-pass
sipauth_lines=$({ "$wrapper" "$plugin" -n -2 -V -r "$capture" || true; } | grep -c '^\[SIP Authentication Challenge Analysis' || true)
check "harness: tshark -2 -V shows the SIPAUTH tree ($sipauth_lines subtrees)" test "$sipauth_lines" -gt 0
plain_protocols=$("$wrapper" none -G protocols | awk -F'\t' '{ print $3 }' || true)
check "harness without the plugin: neither sipauth nor sipauth_floor is registered" \
    bash -c '! grep -qx -e sipauth -e sipauth_floor <<<"$1"' _ "$plain_protocols"
plain=$("$wrapper" none -n -2 -V -r "$capture" || true)
check "harness without the plugin: tshark -2 -V dissects the capture, without any SIPAUTH line" \
    bash -c 'grep -q "^Session Initiation Protocol" <<<"$1" && ! grep -q SIPAUTH <<<"$1"' _ "$plain"

# 5. The check is not vacuous: a stray sipauth in the private folder, beside the file under test or in a
# run without it, makes it fail.
# shellcheck source=plugin-set.sh
. "$here/plugin-set.sh"
stray() {  # stray [FILE]: a plugin set with FILE, the plant added as sipauth_stray.so; pset_check's status
    local dir
    dir=$(mktemp -d "$work/set.XXXXXX")
    pset_make "$dir" "$@" || return 2
    cp "$work/floor-build/sipauth_floor.so" "$dir/plugins/$rel/epan/sipauth_stray.so"
    pset_fix_perms
    pset_check quiet
}
status=0; stray "$plugin" || status=$?
check "check: a stray sipauth_stray.so beside the build is refused (status $status)" test "$status" = 3
status=0; stray || status=$?
check "check: a stray sipauth_stray.so in a run without the plugin is refused (status $status)" test "$status" = 3

# 6. The real global folder as it is: when it holds a sipauth (scripts/quickstart.sh as root installs
# one), the harness loads the build's copy instead.
unset WIRESHARK_PLUGIN_DIR
installed=$(find "$real_global" -iname 'sipauth*' 2>/dev/null | head -n 1)
if [ -n "$installed" ]; then
    listed=$({ "$wrapper" "$plugin" -G plugins || true; } | paths | grep '/sipauth[^/]*$' || true)
    check "real global folder holds $installed: the harness loads ${listed:-nothing} instead" \
        bash -c '[ -n "$1" ] && [ "$1" != "$2" ] && [[ "$1" != "$3"/* ]]' _ "$listed" "$installed" "$real_lua"
else
    echo "note: the real global folder $real_global holds no sipauth (run scripts/quickstart.sh as root to test that too)"
fi

echo "harness_shadow: $passed passed, $failed failed"
[ "$failed" = 0 ]
