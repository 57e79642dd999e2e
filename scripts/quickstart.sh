#!/usr/bin/env bash
# Quick start: installs the build dependencies, builds and installs sipauth, then shows it on a bundled capture.
# As root it installs into Wireshark's global plugin folder (root ignores personal plugins), else the personal one.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build

global=OFF
[ "$(id -u)" = 0 ] && global=ON
cmake -S . -B build -DSIPAUTH_INSTALL_GLOBAL=$global
cmake --build build -j "$(nproc)"
cmake --install build

demo=pcaps/invite-407-loop.pcap
echo
echo "== Packet list of $demo: each challenge tagged with its outcome"
tshark -n -2 -r "$demo" -Y sipauth
echo
echo "== The challenge chain, as the SIPAUTH tree shows it on each challenge"
tshark -n -2 -r "$demo" -Y 'sipauth.role == "challenge"' -O sipauth | grep -E '^(Frame [0-9]+|Session|SIP Auth|\[SIP Auth|    \[)' || true
echo
echo "== Expert infos"
tshark -n -2 -q -r "$demo" -z expert,sipauth
echo
echo "== Statistics (also in the GUI: Telephony > SIP Authentication Challenges)"
tshark -n -q -r "$demo" -z sipauth,stat -z sipauth,problems
