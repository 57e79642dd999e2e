#!/usr/bin/env bash
# Installs the Debian packages sipauth needs: "build" to build and run it, "test" for the whole test suite.
set -euo pipefail
build_pkgs=(build-essential cmake pkg-config libglib2.0-dev libgcrypt20-dev wireshark-dev libwireshark-dev tshark python3)
test_pkgs=(util-linux procps libpcap0.8 time valgrind clang libclang-rt-14-dev kamailio kamailio-sqlite-modules
           sip-tester baresip-core linphone-cli debootstrap dpkg-dev xvfb wireshark-qt xdotool imagemagick xauth)

case "${1:-build}" in
    build) pkgs=("${build_pkgs[@]}") ;;
    test) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
    *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
