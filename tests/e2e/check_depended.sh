#!/usr/bin/env bash
# Checks that a display filter keeping a frame keeps the earlier frames of its flow for export: tshark -2 -Y F -w
# writes the frames the kept ones were marked as depending on (SIPAUTH marks its flows' earlier frames).
# Usage: check_depended.sh WRAPPER PLUGIN PCAPS_DIR
set -euo pipefail
wrapper=$1 plugin=$2 pcaps=$3
work=$(mktemp -d /tmp/sipauth-depended.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 777 "$work"
failed=0 passed=0

# From 4.2 tshark's first pass counts every frame as displayed before filtering, and
# find_and_mark_frame_depended_upon() skips displayed frames: tshark -2 -w then writes only the frames the filter
# keeps, whatever a dissector marks (the GUI filters frame by frame and keeps them for export). There the test
# holds tshark to that: exactly the kept frames, the plugin adding none and losing none.
version=$("$wrapper" none -v | sed -n '1s/^TShark (Wireshark) \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
read -r major minor <<<"$version"
marks=1
if [ -z "$major" ] || [ "$major" -gt 4 ] || { [ "$major" = 4 ] && [ "$minor" -ge 2 ]; }; then
    marks=0
    echo "# tshark $major.$minor: -2 -w writes no depended-upon frame (its first pass marks every frame displayed)"
fi

# times FILE [FRAMES...]: the capture times of the frames (all when none given), one per line
times() {
    local file=$1; shift
    local filter=
    [ $# -eq 0 ] || filter=$(printf 'frame.number == %s || ' "$@" | sed 's/ || $//')
    "$wrapper" none -r "$file" ${filter:+-Y "$filter"} -T fields -e frame.time_epoch
}

# check PLUGIN|none PCAP FILTER KEPT-FRAMES -- EARLIER-FRAMES...: the written capture holds exactly the frames
# the filter keeps plus, where tshark writes depended-upon frames, the earlier ones
check() {
    local with=$1 name=$2 filter=$3 kept=$4; shift 4
    [ "${1:-}" != -- ] || shift
    local frames=("$@")
    [ "$marks" = 1 ] || frames=()
    set -- $(printf '%s\n' "${frames[@]}" "$kept" | sort -n)
    local pcap=$pcaps/$name
    rm -f "$work/out.pcap"
    "$wrapper" "$with" -r "$pcap" -2 -Y "$filter" -w "$work/out.pcap" >/dev/null
    local want got
    want=$(times "$pcap" "$@")
    got=$(times "$work/out.pcap")
    if [ "$want" = "$got" ]; then
        passed=$((passed + 1)); echo "ok - $name: '$filter' writes frames $*"
    else
        failed=$((failed + 1)); echo "not ok - $name: '$filter' should write frames $*"
        diff <(echo "$want") <(echo "$got") | sed 's/^/    /' || true
    fi
}

# The last challenge of the loop (frame 11) brings its request (the retry in 10) and the flow's first request.
check "$plugin" invite-407-loop.pcap 'sipauth.attempt == 4 && sipauth.role == 2' 11 -- 1 10
# The same frame kept by a SIP filter brings them too: the plugin marks whatever filter keeps the frame.
check "$plugin" invite-407-loop.pcap 'sip.Status-Code == 407 && frame.number == 11' 11 -- 1 10
# A result brings its retry, the challenge it answers and the first request (not the ACK, which it does not name).
check "$plugin" invite-407-ok.pcap 'sipauth.role == 7' 8 -- 1 3 5
# Without the plugin a filter keeps only its own frames.
check none invite-407-loop.pcap 'sip.Status-Code == 407 && frame.number == 11' 11 --
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
