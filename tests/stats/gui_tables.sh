#!/usr/bin/env bash
# GUI test: from a row of the problem flows (Statistics > Service Response Time > SIPAUTH, -z sipauth,srt)
# to the flow's frames in the real Wireshark, under Xvfb.
#
# Usage: gui_tables.sh PLUGIN.so PCAP_DIR [--no-action]
#   Opens stats-mix.pcap (written by gen_stats_capture.py) with the dialog, selects the first row,
#   right-click > Apply as Filter > Selected, quits with Ctrl+Q, and checks what Wireshark wrote to
#   recent_common at exit: the display filter history must hold sipauth.flow==N for a flow N that the
#   problems table (tshark -2 -z sipauth,problems) lists. --no-action does everything but the filter
#   action: then the check must fail (the self-check that the observable depends on the action).
# Exit: 0 pass, 1 fail, 77 skipped (no wireshark, Xvfb or xdotool; never a pass), 2 setup error.
# How the GUI is driven (plugin set, HOME, recent_common, XTEST): see docs/make-screenshots.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../tools/plugin-set.sh
. "$repo/tests/tools/plugin-set.sh"
plugin=$(realpath "${1:?usage: gui_tables.sh PLUGIN.so PCAP_DIR [--no-action]}")
act=1
[ "${3:-}" != --no-action ] || act=0

for tool in wireshark Xvfb xdotool python3; do
    command -v "$tool" >/dev/null || { echo "gui_tables: SKIP: $tool is not installed" >&2; exit 77; }
done
work=$(mktemp -d /tmp/sipauth-gui.XXXXXX)
xvfb_pid=
ws_pid=
cleanup() {
    [ -z "$ws_pid" ] || { kill "$ws_pid" 2>/dev/null || true; wait "$ws_pid" 2>/dev/null || true; }
    [ -z "$xvfb_pid" ] || { kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; }
    rm -rf "$work"
}
trap cleanup EXIT
# GUI_TABLES_SHOTS=DIR keeps a screenshot of each step there (to see what the GUI did).
snap() {
    [ -z "${GUI_TABLES_SHOTS:-}" ] || ! command -v import >/dev/null || import -window root "$GUI_TABLES_SHOTS/$1.png" || true
}
fail() { echo "gui_tables: FAIL: $*" >&2; [ ! -s "$work/wireshark.log" ] || tail -20 "$work/wireshark.log" >&2; exit 1; }

pset_make "$work" "$plugin" || exit 2
pset_check quiet || { echo "gui_tables: Wireshark would not run with exactly $plugin" >&2; exit 2; }
conf=$work/home/.config/wireshark
mkdir -p "$conf" "$work/xdg" "$work/in"
python3 "$here/gen_stats_capture.py" "$work/in" >/dev/null
# The main window fills the screen; the dialog covers its top left only, so that the pointer can reach the
# main window (no window manager: the focus follows the pointer).
{
    printf 'gui.geometry_main_x: 0\ngui.geometry_main_y: 0\ngui.geometry_main_maximized: FALSE\n'
    printf 'gui.geometry_main_width: 1280\ngui.geometry_main_height: 800\n'
    printf 'privs.warn_if_elevated: FALSE\nsys.warn_if_no_capture: FALSE\n'
    printf 'gui.geom.ServiceResponseTimeDialog.%s\n' 'x: 0' 'y: 0' 'width: 900' 'height: 360' 'maximized: FALSE'
} > "$conf/recent_common"
pset_fix_perms
chmod 700 "$work/xdg"

# The flows the problems table lists, from tshark (the truth the GUI's filter is held to).
problems=$("$repo/tests/tools/tshark-plugin.sh" "$plugin" -q -2 -r "$work/in/stats-mix.pcap" -z sipauth,problems |
           sed -n 's/^ *\([0-9][0-9]*\) |.*/\1/p' | tr '\n' ' ')
[ -n "$problems" ] || { echo "gui_tables: tshark listed no problem flow in stats-mix.pcap" >&2; exit 2; }

display=
for n in $(seq 140 180); do
    if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then display=:$n; break; fi
done
[ -n "$display" ] || { echo "gui_tables: no free X display" >&2; exit 2; }
"${pset_user[@]}" Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp -ac >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.2; done
xdotool getmouselocation >/dev/null 2>&1 || { echo "gui_tables: Xvfb did not start" >&2; exit 2; }

"${pset_user[@]}" env -i PATH=/usr/bin:/bin "${pset_vars[@]}" XDG_RUNTIME_DIR="$work/xdg" DISPLAY="$display" \
    wireshark -r "$work/in/stats-mix.pcap" -z sipauth,srt >"$work/wireshark.log" 2>&1 &
ws_pid=$!
dialog=
for _ in $(seq 120); do
    dialog=$(xdotool search --onlyvisible --name 'SIPAUTH Service Response Time' 2>/dev/null | head -1 || true)
    [ -z "$dialog" ] || break
    kill -0 "$ws_pid" 2>/dev/null || fail "Wireshark exited before the dialog opened"
    sleep 0.5
done
[ -n "$dialog" ] || fail "no 'SIPAUTH Service Response Time' dialog"
sleep 5                                   # the retap that fills it (the machine may be busy)
eval "$(xdotool getwindowgeometry --shell "$dialog")"
[ "$X" -lt 200 ] && [ "$Y" -lt 200 ] || fail "the dialog is not where recent_common put it ($X,$Y)"

snap 1-dialog
row_x=$((X + 200)) row_y=$((Y + 38))      # the first row, under the header
xdotool mousemove "$row_x" "$row_y" click 1; sleep 0.5
if [ "$act" = 1 ]; then
    xdotool mousemove "$row_x" "$row_y" click 3; sleep 0.7      # the row's context menu
    snap 2-menu
    xdotool key Down; sleep 0.3            # its first entry: Apply as Filter
    xdotool key Right; sleep 0.5           # the submenu, on its first entry: Selected
    snap 3-submenu
    xdotool key Return; sleep 3            # the filter is applied in the main window
fi
snap 4-after

# Quit through the main window (Ctrl+Q), so that Wireshark writes recent_common as at any normal exit; a
# click on its status bar makes it the active window first.
xdotool mousemove 600 790 click 1; sleep 0.5
xdotool key ctrl+q
sleep 1
snap 5-quit
for _ in $(seq 60); do kill -0 "$ws_pid" 2>/dev/null || break; sleep 0.5; done
kill -0 "$ws_pid" 2>/dev/null && fail "Wireshark did not quit on Ctrl+Q"
wait "$ws_pid" || true
ws_pid=

applied=$(sed -n 's/^recent\.display_filter: *//p' "$conf/recent_common")
echo "gui_tables: problem flows: $problems; display filters applied: ${applied:-none}"
flow=$(sed -n 's/^sipauth\.flow *== *\([0-9][0-9]*\)$/\1/p' <<<"$applied" | head -1)
[ -n "$flow" ] || fail "no filter sipauth.flow==N was applied from the row"
case " $problems " in
    *" $flow "*) ;;
    *) fail "flow $flow is not one of the problem flows ($problems)" ;;
esac
echo "gui_tables: PASS: the row led to the display filter sipauth.flow==$flow"
