#!/usr/bin/env bash
# The Flow Graph in the real GUI (Wireshark Qt under Xvfb): opens a capture with a credentials table, Statistics >
# Flow Graph, chooses "SIP authentication" in the Flow type combo, saves the graph with the dialog's Export as
# ASCII, and compares that file with the graph tshark must print (tests/e2e/flowgraph/cred-verify-md5.flow, checked
# by hand). So the GUI's retap draws what tshark draws, and the analysis is the combo's. Without X tools: 77.
# Usage: check_flowgraph_gui.sh PLUGIN.so
# How Wireshark 4.0 is driven with no window manager: docs/make-screenshots.sh.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
plugin=$(realpath "$1")
case_file=$repo/tests/e2e/flowgraph/cred-verify-md5.flow
for tool in wireshark Xvfb xdotool python3; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (the GUI test needs wireshark-qt, xvfb, xdotool)"; exit 77; }
done
# shellcheck source=../tools/plugin-set.sh
. "$repo/tests/tools/plugin-set.sh"
work=$(mktemp -d /tmp/sipauth-gui-flow.XXXXXX)
xvfb_pid= ws_pid=
cleanup() {
    [ -z "$ws_pid" ] || { kill "$ws_pid" 2>/dev/null || true; wait "$ws_pid" 2>/dev/null || true; }
    [ -z "$xvfb_pid" ] || { kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; }
    rm -rf "$work"
}
trap cleanup EXIT
pset_make "$work" "$plugin" || exit 1
pset_check || { echo "Wireshark would not run with exactly $plugin"; exit 1; }
conf=$work/home/.config/wireshark
mkdir -p "$conf" "$work/xdg" "$work/in" "$work/out"
cp "$repo/pcaps/cred-verify-md5.pcap" "$work/in/"
# The case's credentials table, as the GUI keeps it (Protocols > SIPAUTH > Credentials).
grep '^args:' "$repo/tests/e2e/cases/cred-verify-md5.expect" | grep -o "uat:sipauth_credentials:[^']*" |
    sed 's/^uat:sipauth_credentials://' > "$conf/sipauth_credentials"
{
    printf 'gui.geometry_main_x: 0\ngui.geometry_main_y: 0\ngui.geometry_main_width: 1280\n'
    printf 'gui.geometry_main_height: 800\ngui.geometry_main_maximized: FALSE\n'
    printf 'privs.warn_if_elevated: FALSE\nsys.warn_if_no_capture: FALSE\n'
    printf 'gui.geom.SequenceDialog.x: 0\ngui.geom.SequenceDialog.y: 0\ngui.geom.SequenceDialog.width: 1280\n'
    printf 'gui.geom.SequenceDialog.height: 620\ngui.geom.SequenceDialog.maximized: FALSE\n'
} > "$conf/recent_common"
printf 'gui.byte_view_show: FALSE\ngui.geometry_main_upper_pane: 250\n' > "$conf/recent"
chmod 700 "$work/xdg"; chmod 755 "$work"; chmod 777 "$work/out"
[ "$(id -u)" != 0 ] || chown -R nobody:nogroup "$work"
spawn() { exec "${pset_user[@]}" "$@"; }

display=
for n in $(seq 131 170); do
    if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then display=:$n; break; fi
done
[ -n "$display" ] || { echo "no free X display"; exit 1; }
spawn Xvfb "$display" -screen 0 1600x800x24 -nolisten tcp -ac >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.2; done

# wait_window PATTERN: the id of the first visible window whose name matches, within 60 s.
wait_window() {
    for _ in $(seq 120); do
        local w
        w=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1 || true)
        if [ -n "$w" ]; then sleep 2; echo "$w"; return 0; fi
        kill -0 "$ws_pid" 2>/dev/null || break
        sleep 0.5
    done
    echo "no window '$1'" >&2; cat "$work/wireshark.log" >&2; return 1
}
click() { xdotool mousemove "$1" "$2" click 1; sleep 0.7; }
key() { xdotool key "$@"; sleep 0.7; }

spawn env -i PATH=/usr/bin:/bin "${pset_vars[@]}" XDG_RUNTIME_DIR="$work/xdg" DISPLAY="$display" \
    wireshark -r "$work/in/cred-verify-md5.pcap" >>"$work/wireshark.log" 2>&1 &
ws_pid=$!
wait_window 'cred-verify-md5' >/dev/null
click 325 10                       # the Statistics menu
click 356 436                      # Flow Graph
flow=$(wait_window 'Flow')
echo "# opened: $(xdotool getwindowname "$flow")"
click 675 564                      # the Flow type combo
key s Return                       # its only entry starting with S: SIP authentication (the combo lists by name)
sleep 2
click 1055 596                     # Export
dialog=$(wait_window 'Save Graph')
eval "$(xdotool getwindowgeometry --shell "$dialog")"
click $((X + 315)) $((Y + 391))    # Files of type
key End Return                     # its last entry: ASCII (*.txt)
click $((X + 315)) $((Y + 359))    # File name
xdotool type --delay 20 "$work/out/graph.txt"; sleep 0.5
key Return
for _ in $(seq 20); do [ -s "$work/out/graph.txt" ] && break; sleep 0.5; done
[ -s "$work/out/graph.txt" ] || { echo "not ok - the dialog saved no graph"; exit 1; }

if diff <(grep -v '^# ' "$case_file") "$work/out/graph.txt" >"$work/diff"; then
    echo "ok - the GUI's SIP authentication Flow Graph, saved as ASCII, is the one tshark prints ($(wc -l <"$work/out/graph.txt") lines)"
else
    echo "not ok - the GUI's graph differs from $case_file:"; head -40 "$work/diff"; exit 1
fi
