#!/usr/bin/env bash
# Builds the .deb with CPack, installs it with apt, checks that tshark loads sipauth from the global plugin
# folder for root and for an unprivileged user, then removes it again.
# Usage (as root): tests/compat/deb-test.sh BUILD_DIR
# Exits 77 (skipped) when not root, unless CI=true, where that is a failure.
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
if [ "$(id -u)" != 0 ]; then
    echo "deb-test: needs root to install a package"
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
export DEBIAN_FRONTEND=noninteractive

fail() { echo "deb-test: FAIL: $*" >&2; exit 1; }
name=$(sed -n 's/^SIPAUTH_DEB_NAME:[A-Z]*=//p' "$build/CMakeCache.txt")
[ -n "$name" ] || fail "$build was not configured with cmake/Packaging.cmake"

global=$(tshark -G folders 2>/dev/null | sed -n 's/^Global Plugins:[[:space:]]*//p')
[ -n "$global" ] || fail "tshark does not report a global plugin folder"
target=$global/epan/sipauth.so

# Never overwrite or remove a sipauth someone installed by other means.
if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'ok installed'; then
    fail "$name is already installed; remove it first (apt-get remove $name)"
fi
[ ! -e "$target" ] || fail "$target already exists and is not from $name; move it away first"

timeout 600 cmake --build "$build" --target sipauth -j "$(nproc)" >/dev/null
rm -f "$build/${name}"_*.deb
(cd "$build" && timeout 300 cpack -G DEB) >"$build/deb-test-cpack.log" 2>&1 ||
    { cat "$build/deb-test-cpack.log" >&2; fail "cpack -G DEB"; }
debs=("$build/${name}"_*.deb)
[ ${#debs[@]} = 1 ] && [ -f "${debs[0]}" ] || fail "cpack made no single ${name}_*.deb in $build"
deb=${debs[0]}
echo "package: $deb"
dpkg-deb --field "$deb" Package Version Architecture Depends

# The package's file lands where this tshark looks, and it depends on the libwireshark tshark uses.
dpkg-deb --contents "$deb" | grep -q " \.${target}\$" || fail "the package does not hold .$target"
libwireshark=$(dpkg-query --search "$(readlink -f "$(ldd "$(command -v tshark)" | awk '$1 ~ /^libwireshark\.so/ { print $3 }')")" |
    sed 's/[:,].*//')
dpkg-deb --field "$deb" Depends | grep -q "\\b$libwireshark\\b" ||
    fail "Depends does not name $libwireshark, which tshark uses"

installed=0
cleanup() {
    if [ "$installed" = 1 ]; then
        timeout 300 apt-get remove -y "$name" >/dev/null 2>&1 || dpkg --remove "$name" >/dev/null 2>&1 || true
    fi
    rm -rf "${home:-}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# apt reads a local file as _apt when it can; a build directory under /root is not readable to it.
timeout 300 apt-get install -y -o APT::Sandbox::User=root "$deb" >"$build/deb-test-apt.log" 2>&1 ||
    { cat "$build/deb-test-apt.log" >&2; fail "apt-get install $deb"; }
installed=1
dpkg-query -W -f='${Status}\n' "$name" | grep -q 'install ok installed' || fail "$name is not installed"
[ -f "$target" ] || fail "$target missing after installing"

home=$(mktemp -d /tmp/sipauth-deb-home.XXXXXX)
chmod 0755 "$home"
chown nobody:nogroup "$home"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$home" "$@"; }
as_root() { env HOME="$home/root" "$@"; }

failed=0
for who in as_root as_nobody; do
    listed=$($who timeout 120 tshark -G plugins 2>&1 | grep 'sipauth\.so' || true)
    if [[ "$listed" != *"$target"* ]]; then
        echo "FAIL ${who#as_}: tshark -G plugins does not list $target${listed:+ (got: $listed)}"
        failed=1
    elif [[ "$listed" != *dissector* ]]; then
        # Wireshark 4.4+ shows what plugin_describe() returns; "unknown" means the plugin does not say.
        echo "FAIL ${who#as_}: tshark -G plugins does not list sipauth as a dissector: $listed"
        failed=1
    else
        echo "PASS ${who#as_}: $listed"
    fi
    if $who timeout 120 tshark -G fields 2>/dev/null | grep -q $'^P\tSIP Authentication Challenge Analysis\tsipauth$'; then
        echo "PASS ${who#as_}: protocol sipauth registered"
    else
        echo "FAIL ${who#as_}: protocol sipauth not registered"
        failed=1
    fi
done

timeout 300 apt-get remove -y "$name" >>"$build/deb-test-apt.log" 2>&1 || fail "apt-get remove $name"
installed=0
[ ! -e "$target" ] || fail "$target left behind after removing $name"
if tshark -G plugins 2>/dev/null | grep -q 'sipauth\.so'; then fail "tshark still lists sipauth after removal"; fi
echo "PASS removed: $target gone"
exit "$failed"
