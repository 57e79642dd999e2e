#!/usr/bin/env bash
# The conversation filter "SIP auth flow" and the "SIP authentication" profile in the real Wireshark (Qt)
# under Xvfb, driven through its menus with XTEST keys and clicks (tests/profile/gui-session.sh).
#
# Usage: gui_check.sh conversation|profile PLUGIN.so REPO PROFILE_DIR
#   conversation: select a frame (-g N), apply Analyze > Conversation Filter > SIP auth flow or the packet
#       list's right-click Conversation Filter; Wireshark is quit with Ctrl+Q, and the display filter it
#       applied is read back from the display-filter history it writes to recent_common. A frame of two
#       flows gives `sipauth.flow in {1, 2}`; on a frame of no flow the entry is disabled, so the keyboard
#       skips it and lands on the entry above it (not a sipauth filter). Right-click Colorize Conversation
#       > SIP auth flow > Color 1 recolours exactly the rows of the flow (pixels of the packet list).
#   profile: `wireshark -C "SIP authentication"` with the profile only in the global profiles folder (a
#       private mirror of the data folder): it starts with that profile (recent_common's last used profile,
#       the profile's own recent file listing the profile's columns) and paints the rows of a broken flow
#       in the profile's red (pixels of the packet list).
# Exit 77 when Wireshark, Xvfb, xdotool or ImageMagick is missing.
set -Eeuo pipefail
what=${1:?usage: gui_check.sh conversation|profile PLUGIN.so REPO PROFILE_DIR}
plugin=$(realpath "${2:?}")
repo=$(realpath "${3:?}")
profile=${4:?}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../tools/plugin-set.sh
. "$here/../tools/plugin-set.sh"
# shellcheck source=profile-set.sh
. "$here/profile-set.sh"
# shellcheck source=gui-session.sh
. "$here/gui-session.sh"
gui_tools_or_skip
command -v convert >/dev/null || { echo "gui: convert is not installed: skipped"; exit 77; }

# A step that fails (xdotool, ImageMagick) says where, instead of ending the test silently.
trap 'echo "gui_check: line $LINENO failed: $BASH_COMMAND" >&2' ERR
work=$(mktemp -d /tmp/sipauth-gui.XXXXXX)
trap 'gui_cleanup; rm -rf "$work"' EXIT
failures=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Geometry of the packet list under the layout of gui-session.sh: row 1 is centred at y=120 (y=123 with the
# profile's filter buttons, whose toolbar is taller), 17 pixels a row.
row1=120
row_y() { echo $((row1 + 17 * ($1 - 1))); }
pixel() {  # pixel PNG ROW: the row's background, the commonest colour of a line across it, as r,g,b
    # (sed reads the whole sorted list: head would close the pipe on sort, and pipefail fail the test.)
    convert "$1" -crop "1200x1+0+$(row_y "$2")" -depth 8 -format %c histogram:info:- |
        sort -rn | sed -n '1s/^ *[0-9]*: *(\([0-9]*\),\([0-9]*\),\([0-9]*\)[,)].*/\1,\2,\3/p'
}

# The display filters Wireshark wrote to its history (recent_common), newest first.
applied_filters() { sed -n 's/^recent\.display_filter: //p' "$(gui_conf)/recent_common" 2>/dev/null || true; }

# Opens CAPTURE with frame FRAME selected.
open_at() {
    cp "$repo/pcaps/$1.pcap" "$work/in/"
    gui_layout
    gui_launch "$1" -r "$work/in/$1.pcap" -g "$2"
}

# Analyze > Conversation Filter, then the last enabled entry of the submenu (Up from its first one).
analyze_conversation_filter() {
    click 255 10; sleep 0.5                             # Analyze
    # Hover Conversation Filter (two moves: Qt highlights an item on motion inside the open menu).
    xdotool mousemove 300 200; sleep 0.5; xdotool mousemove 300 186; sleep 1
    # Into the submenu (over its first entry, disabled here), then Up: the last enabled entry.
    xdotool mousemove 450 186; sleep 0.3; xdotool mousemove 600 186; sleep 0.7
    key Up Return
    sleep 2
}

# The packet list's context menu on ROW (opens at the pointer): Conversation Filter or Colorize Conversation.
context_menu() {
    local row=$1 item=$2 y
    y=$(row_y "$row")
    click 300 "$y" 3
    sleep 0.5
    case "$item" in
        conversation) y=$((y + 216)) ;;
        colorize) y=$((y + 241)) ;;
    esac
    xdotool mousemove 400 $((y + 10)); sleep 0.5; xdotool mousemove 400 "$y"; sleep 1
    # Into the submenu that opened at the right of the menu, over its first entry.
    xdotool mousemove 600 "$y"; sleep 0.3; xdotool mousemove 700 "$y"; sleep 0.7
}

check_filter() {  # check_filter WHAT WANT: the newest filter of the history is exactly WANT
    local got
    got=$(applied_filters | head -1)
    if [ "$got" = "$2" ]; then pass "$1: applied '$got'"; else fail "$1: applied '${got:-nothing}', want '$2'"; fi
}

if [ "$what" = conversation ]; then
    gui_start "$work" "$plugin"

    # Flow 2 of register-401-no-retry-restart (frames 3-6; frames 1-2 are flow 1), from the main menu.
    open_at register-401-no-retry-restart 3
    gui_shot "$work/menu.png"
    analyze_conversation_filter
    gui_quit
    check_filter "Analyze > Conversation Filter on frame 3 (flow 2)" "sipauth.flow == 2"

    # A frame carrying messages of flows 1 and 2 (TCP), from the right-click menu.
    rm -f "$(gui_conf)/recent_common"
    open_at tcp-two-messages-one-segment 5
    context_menu 5 conversation
    key Up Return                                       # the last enabled entry
    sleep 2
    gui_quit
    check_filter "right-click Conversation Filter on frame 5 (flows 1 and 2)" "sipauth.flow in {1, 2}"

    # A frame of no flow (the 100 Trying): the entry is disabled; the keyboard lands on another one.
    rm -f "$(gui_conf)/recent_common"
    open_at invite-407-ok 2
    analyze_conversation_filter
    gui_quit
    got=$(applied_filters | head -1)
    case "$got" in
        "") fail "frame 2 (no flow): no conversation filter applied at all, the menu was not reached" ;;
        *sipauth*) fail "frame 2 (no flow): the SIP auth flow entry was enabled and applied '$got'" ;;
        *) pass "frame 2 (no flow): SIP auth flow disabled, the entry above it applied '$got'" ;;
    esac

    # Colorize Conversation > SIP auth flow > Color 1 on frame 3: rows 3-6 (flow 2) take one new colour, rows
    # 1-2 (flow 1) keep theirs. Row 1 is selected for both pictures, so that no selected row hides a colour.
    rm -f "$(gui_conf)/recent_common"
    open_at register-401-no-retry-restart 1
    xdotool mousemove 300 "$(row_y 1)"
    gui_shot "$work/before.png"
    context_menu 3 colorize                             # the right click selects frame 3
    key Up                                              # the last entry: the SIP auth flow submenu
    key Right Return                                    # open it: Color 1
    sleep 1
    click 300 "$(row_y 1)"                              # select frame 1 again
    xdotool mousemove 640 600; sleep 1
    gui_shot "$work/after.png"
    gui_quit
    ok=1
    new=$(pixel "$work/after.png" 3)
    for row in 3 4 5 6; do
        got=$(pixel "$work/after.png" "$row") was=$(pixel "$work/before.png" "$row")
        [ "$got" = "$new" ] && [ "$got" != "$was" ] ||
            { ok=0; fail "colorize flow 2: row $row is $got (was $was), want the new colour of row 3, $new"; }
    done
    got=$(pixel "$work/after.png" 2) was=$(pixel "$work/before.png" 2)
    [ "$got" = "$was" ] || { ok=0; fail "colorize flow 2: row 2 (flow 1) changed from $was to $got"; }
    [ "$ok" = 0 ] || pass "colorize flow 2 from frame 3: rows 3-6 took colour $new, row 2 (flow 1) kept $was"
fi

if [ "$what" = profile ]; then
    gui_start "$work" "$plugin" global "$profile"
    row1=123
    name=$(basename "$profile")
    cp "$repo/pcaps/invite-407-loop.pcap" "$repo/pcaps/register-401-refused.pcap" "$work/in/"
    gui_launch 'invite-407-loop' -C "$name" -r "$work/in/invite-407-loop.pcap" -g 1
    click 300 "$(row_y 12)"                             # select the last row: rows 1-11 show their colours
    xdotool mousemove 640 600; sleep 0.5
    gui_shot "$work/profile.png"
    gui_quit
    conf=$(gui_conf)
    last=$(sed -n 's/^gui\.last_used_profile: //p' "$conf/recent_common" 2>/dev/null || true)
    [ "$last" = "$name" ] && pass "recent_common: last used profile '$last'" ||
        fail "recent_common: last used profile '${last:-none}', want '$name'"
    if [ -f "$conf/profiles/$name/recent" ] && grep -q 'Cus:sipauth\.verdict' "$conf/profiles/$name/recent"; then
        pass "the profile's own recent file lists its columns: $(grep -o 'Cus:sipauth\.[a-z_]*' "$conf/profiles/$name/recent" | tr '\n' ' ')"
    else
        fail "no recent file with the profile's columns in $conf/profiles/$name"
    fi
    # The broken flow's rows in the profile's red (the first rule's background, 16 bits to 8).
    red=$(sed -n 's/^@SIP auth: broken flow@[^@]*@\[\([0-9]*\),\([0-9]*\),\([0-9]*\)\].*/\1 \2 \3/p' "$profile/colorfilters" |
          awk '{ printf "%d,%d,%d", int($1 / 256), int($2 / 256), int($3 / 256) }')
    ok=1
    for row in 1 2 5 11; do
        got=$(pixel "$work/profile.png" "$row")
        [ "$got" = "$red" ] || { ok=0; fail "row $row of invite-407-loop (challenge loop) is $got, not the profile's red $red"; }
    done
    [ "$ok" = 0 ] || pass "rows of the challenge loop painted $red"

    # Refused credentials in orange, the OPTIONS keepalives after them (no flow) in Wireshark's UDP colour.
    gui_launch 'register-401-refused' -C "$name" -r "$work/in/register-401-refused.pcap" -g 12
    gui_shot "$work/refused.png"
    gui_quit
    orange=$(sed -n 's/^@SIP auth: credentials refused@[^@]*@\[\([0-9]*\),\([0-9]*\),\([0-9]*\)\].*/\1 \2 \3/p' "$profile/colorfilters" |
             awk '{ printf "%d,%d,%d", int($1 / 256), int($2 / 256), int($3 / 256) }')
    ok=1
    for row in 1 2 3 4; do
        got=$(pixel "$work/refused.png" "$row")
        [ "$got" = "$orange" ] || { ok=0; fail "row $row of register-401-refused (refused) is $got, not the profile's orange $orange"; }
    done
    for row in 5 6 7 8; do
        got=$(pixel "$work/refused.png" "$row")
        case "$got" in "$orange"|"$red") ok=0; fail "row $row of register-401-refused (no flow) is $got, a sipauth colour" ;; esac
    done
    [ "$ok" = 0 ] || pass "refused rows painted $orange, rows outside the flow $(pixel "$work/refused.png" 5)"
fi

[ "$failures" = 0 ] || { echo "gui_check $what: $failures failure(s); Wireshark's log:"; cat "$work/wireshark.log"; exit 1; }
echo "gui_check $what: all passed"
