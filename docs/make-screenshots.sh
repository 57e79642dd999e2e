#!/usr/bin/env bash
# Takes the GUI screenshots of docs/ with the real Wireshark (Qt) under Xvfb. Run by hand after a
# change that shows in the GUI; CI does not run it.
#
# Usage: docs/make-screenshots.sh [PLUGIN.so]          (default: build/sipauth.so)
# Needs: wireshark-qt (4.x), xvfb, xdotool, imagemagick, python3.
# Writes docs/screenshot-details.png, -expert.png, -stats.png, -problems.png, -problems-menu.png,
# -problems-action.png, -credentials.png, -flowgraph.png, -profile.png, -conversation-filter.png,
# -registrations.png, -sources.png and -hss-error.png.
#
# What Wireshark 4.0 needs under Xvfb with no window manager:
# - the plugin set of the tests (tests/tools/plugin-set.sh): a private mirror of the global plugin
#   folder without any installed sipauth, plus the plugin; as root everything runs as nobody (root
#   ignores it), with a throw-away HOME holding the config, and its own XDG_RUNTIME_DIR;
# - the main window and dialog geometry come only from recent_common in that config folder
#   (gui.geom.<dialog>.*), the -o gui.geometry_* overrides are ignored;
# - each -z opens one dialog at start, so each dialog gets its own launch;
# - Qt ignores events sent with xdotool --window, so keys and clicks go through XTEST to the
#   window under the pointer (without a window manager the focus follows the pointer).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/tools/plugin-set.sh
. "$repo/tests/tools/plugin-set.sh"
# shellcheck source=../tests/profile/profile-set.sh
. "$repo/tests/profile/profile-set.sh"
plugin=$(realpath "${1:-$repo/build/sipauth.so}")
profile=$(dirname "$plugin")/profile/"SIP authentication"      # built by cmake/Profile.cmake
out=$repo/docs
width=1280                  # main window; the screen is wider for the problems table's hints
height=800
screen_width=1600

for tool in wireshark Xvfb xdotool import convert python3; do
    command -v "$tool" >/dev/null || { echo "make-screenshots: $tool is not installed" >&2; exit 2; }
done
[ -r "$plugin" ] || { echo "make-screenshots: no plugin at $plugin (build it first)" >&2; exit 2; }
[ -d "$profile" ] || { echo "make-screenshots: no profile at $profile (configure the build first)" >&2; exit 2; }
work=$(mktemp -d /tmp/sipauth-shots.XXXXXX)
xvfb_pid=
ws_pid=
cleanup() {
    [ -z "$ws_pid" ] || { kill "$ws_pid" 2>/dev/null || true; wait "$ws_pid" 2>/dev/null || true; }
    [ -z "$xvfb_pid" ] || { kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; }
    rm -rf "$work"
}
trap cleanup EXIT

# ---- a user, the plugin set, a HOME with the window layout, and the captures

pset_make "$work" "$plugin" || exit 2
# tshark shares Wireshark's plugin loading: what it lists with this environment, Wireshark loads.
pset_check || { echo "make-screenshots: Wireshark would not run with exactly $plugin" >&2; exit 2; }
home=$work/home
conf=$home/.config/wireshark
mkdir -p "$conf" "$work/xdg" "$work/in"
cp "$repo/pcaps/invite-407-loop.pcap" "$repo/pcaps/lab/register_wrong_then_right.pcap" "$repo/pcaps/cred-verify-md5.pcap" \
   "$repo/pcaps/cred-refused.pcap" "$repo/pcaps/lab/brute_force.pcap" "$repo/pcaps/ims/cx-user-unknown-tcp.pcap" \
   "$work/in/"
# The credentials table of the lab's alice (Protocols > SIPAUTH > Credentials), for the verified retry.
printf '"alice","sipauth.lab","alice-secret","","","","",""\n' > "$conf/sipauth_credentials"
# And the rows of the credentials capture's e2e case, for the Flow Graph's verdicts.
grep '^args:' "$repo/tests/e2e/cases/cred-verify-md5.expect" | grep -o "uat:sipauth_credentials:[^']*" |
    sed 's/^uat:sipauth_credentials://' >> "$conf/sipauth_credentials"
python3 "$repo/tests/stats/gen_stats_capture.py" "$work/in" >/dev/null

# Dialogs are placed at the top left and sized to show their whole table.
geom() {
    printf 'gui.geom.%s.x: 0\ngui.geom.%s.y: 0\ngui.geom.%s.width: %d\ngui.geom.%s.height: %d\n' \
        "$1" "$1" "$1" "$2" "$1" "$3"
    printf 'gui.geom.%s.maximized: FALSE\n' "$1"
}
{
    printf 'gui.geometry_main_x: 0\ngui.geometry_main_y: 0\n'
    printf 'gui.geometry_main_width: %d\ngui.geometry_main_height: %d\n' "$width" "$height"
    printf 'gui.geometry_main_maximized: FALSE\n'
    printf 'privs.warn_if_elevated: FALSE\nsys.warn_if_no_capture: FALSE\n'
    geom ExpertInfoDialog "$width" 560
    geom "SIP Authentication Challenges" 1100 250
    geom "SIP Authentication Problems" "$screen_width" 330
    geom "SIP Authentication Registrations" "$screen_width" 330
    geom "SIP Authentication Sources" 1100 200
    # The problem flows' SRT dialog, below the main window's filter bar and packet list (see step 4b).
    printf 'gui.geom.ServiceResponseTimeDialog.%s\n' 'x: 0' 'y: 440' "width: $width" 'height: 360' 'maximized: FALSE'
    geom SequenceDialog "$width" 620
} > "$conf/recent_common"
# Packet list and details only, the list sized to show the whole flow of invite-407-loop.pcap.
printf 'gui.byte_view_show: FALSE\ngui.geometry_main_upper_pane: 250\n' > "$conf/recent"
# The "SIP authentication" profile as a personal install puts it; its window: the whole of cred-refused.pcap.
prof_install personal "$profile"
printf 'gui.byte_view_show: FALSE\ngui.geometry_main_upper_pane: 480\n' >> "$conf/profiles/SIP authentication/recent"

chmod 700 "$work/xdg"
chmod 755 "$work"
[ "$(id -u)" != 0 ] || chown -R nobody:nogroup "$work"
# spawn CMD... &: as the user of the plugin set; the command replaces the background subshell, so that
# $! is its own PID.
spawn() { exec "${pset_user[@]}" "$@"; }

# ---- an X server of our own

display=
for n in $(seq 90 130); do
    if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then display=:$n; break; fi
done
[ -n "$display" ] || { echo "make-screenshots: no free X display" >&2; exit 1; }
spawn Xvfb "$display" -screen 0 "${screen_width}x${height}x24" -nolisten tcp -ac >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.2; done

# Starts Wireshark with the given arguments and waits for a visible window whose name matches $1.
launch() {
    local pattern=$1; shift
    spawn env -i PATH=/usr/bin:/bin "${pset_vars[@]}" XDG_RUNTIME_DIR="$work/xdg" DISPLAY="$display" \
        wireshark "$@" >>"$work/wireshark.log" 2>&1 &
    ws_pid=$!
    for _ in $(seq 120); do
        window=$(xdotool search --onlyvisible --name "$pattern" 2>/dev/null | head -1 || true)
        if [ -n "$window" ]; then sleep 3; return 0; fi
        kill -0 "$ws_pid" 2>/dev/null || break
        sleep 0.5
    done
    echo "make-screenshots: no window '$pattern' from: wireshark $*" >&2
    cat "$work/wireshark.log" >&2
    exit 1
}

quit() {
    kill "$ws_pid" 2>/dev/null || true
    wait "$ws_pid" 2>/dev/null || true
    ws_pid=
}

# Saves window $1 (an X window id, or root), cropped to $3 (WxH+X+Y, or "" for all), as docs/$2.
shot() {
    local raw=$work/raw.png
    import -window "$1" "$raw"
    convert "$raw" ${3:+-crop "$3" +repage} -strip "$out/$2"
    echo "wrote docs/$2 ($(stat -c %s "$out/$2") bytes)"
}

click() { xdotool mousemove "$1" "$2" click "${3:-1}"; sleep 0.5; }
key() { xdotool key "$@"; sleep 0.5; }

# The X window id of the visible window whose name matches $1.
window_of() { xdotool search --onlyvisible --name "$1" | head -1; }

# Opens capture $3 (of $work/in) with -z $4, saves the dialog titled $1 as docs/$2, and quits.
shoot_table() {
    launch "$1" -r "$work/in/$3" -z "$4"
    shot "$(window_of "$1")" "$2"
    quit
}

# Opens capture $2 (of $work/in) on frame $3, expands its SIPAUTH tree and the verdict under it, saves the
# main window as docs/$1, and quits. With $4 = leaf the tree's first field has nothing under it (a frame
# without a verdict): Right on it would scroll the pane sideways.
shoot_verdict() {
    launch "${2%.pcap}" -r "$work/in/$2" -g "$3"
    click 300 353        # first row of the details pane (the frame), given the layout of recent
    key End              # the last top-level item: the SIPAUTH tree, added by the post-dissector
    key Right            # expand it
    key Down             # select its first field, the verdict, so that the tree's colour shows
    [ "${4:-}" = leaf ] || key Right   # expand the verdict: its statement and the details (expert infos) under it
    shot root "$1" "${width}x700+0+0"
    quit
}

# ---- 1. packet list and details: the third 407 of the loop, its SIPAUTH tree expanded

shoot_verdict screenshot-details.png invite-407-loop.pcap 8      # an Error verdict: the tree is red

# ---- 2. Expert Information, every group expanded

launch 'Expert Information' -r "$work/in/stats-mix.pcap" -z expert
click 400 45 3           # right click on the first group: the context menu
key Up Return            # its last entry: Expand All
click 400 58             # select the first packet, so that the group rows keep their colours
shot "$(window_of 'Expert Information')" screenshot-expert.png
quit

# ---- 3. and 4. the two statistics tables

shoot_table 'SIP Authentication Challenges' screenshot-stats.png stats-mix.pcap sipauth,stat
shoot_table 'SIP Authentication Problems' screenshot-problems.png stats-mix.pcap sipauth,problems

# ---- 4b. from a problem flow to its frames: Statistics > Service Response Time > SIPAUTH, a row's
# context menu, Apply as Filter > Selected; then the main window shows only that flow

launch 'SIPAUTH Service Response Time' -r "$work/in/stats-mix.pcap" -z sipauth,srt
click 200 478            # the first row of the dialog (at y 440, under its header)
click 200 478 3          # its context menu
key Down                 # Apply as Filter
key Right                # its submenu, on Selected
shot root screenshot-problems-menu.png "${width}x360+0+440"
key Return               # sipauth.flow==N in the main window's display filter
sleep 2
shot root screenshot-problems-action.png "${width}x${height}+0+0"
quit

# ---- 5. a verified retry: the lab's right REGISTER retry, the table holding alice's password

# Its expert infos: the credentials verify, the uri is not the Request-URI.
shoot_verdict screenshot-credentials.png register_wrong_then_right.pcap 5

# ---- 6. the Flow Graph of SIP authentication: Statistics > Flow Graph, "SIP authentication" in the Flow type combo

launch 'cred-verify-md5' -r "$work/in/cred-verify-md5.pcap"
click 325 10             # the Statistics menu
click 356 436            # Flow Graph
click 675 564            # the Flow type combo (tests/e2e/check_flowgraph_gui.sh drives the same dialog)
key s Return             # its only entry starting with S: SIP authentication
sleep 2
shot "$(window_of 'Flow')" screenshot-flowgraph.png "${width}x580+0+0"
quit

# ---- 7. the "SIP authentication" profile: its columns and colours on flows refused, rejected and accepted,
# ---- and 8. Analyze > Conversation Filter > SIP auth flow on a frame of flow 2

launch 'cred-refused' -C "SIP authentication" -r "$work/in/cred-refused.pcap" -g 7
shot root screenshot-profile.png "${width}x610+0+0"
click 255 10                 # Analyze
xdotool mousemove 300 200; sleep 0.5; xdotool mousemove 300 186; sleep 1     # hover Conversation Filter
xdotool mousemove 450 186; sleep 0.3; xdotool mousemove 600 186; sleep 0.5; key Up   # its last entry
shot root screenshot-conversation-filter.png "780x600+0+0"
quit

# ---- 9. registrations and sources: the lab's brute force (one source, many user names, wrong passwords)

shoot_table 'SIP Authentication Registrations' screenshot-registrations.png brute_force.pcap sipauth,registrations
shoot_table 'SIP Authentication Sources' screenshot-sources.png brute_force.pcap sipauth,sources

# ---- 10. the HSS behind a REGISTER: the S-CSCF's MAA refusing the user (DIAMETER_ERROR_USER_UNKNOWN), its
# MAR, the HSS time and the 403 it became

shoot_verdict screenshot-hss-error.png cx-user-unknown-tcp.pcap 6 leaf
