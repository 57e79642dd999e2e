# Library (sourced, bash): the real Wireshark (Qt) under a private Xvfb, with exactly one sipauth.so
# (tests/tools/plugin-set.sh) and, optionally, a profile installed (profile-set.sh). As in
# docs/make-screenshots.sh: no window manager, so geometry comes from recent_common, the focus follows the
# pointer, and keys and clicks go through XTEST to the window under the pointer.
#
#   gui_tools_or_skip             exit 77 unless wireshark, Xvfb, xdotool (and import) are installed
#   gui_start WORK PLUGIN [global|personal PROFILE_DIR]    the plugin set, HOME, and the X server
#   gui_launch PATTERN ARGS...    starts wireshark ARGS, waits for a visible window named like PATTERN
#   gui_quit                      File > Quit with the keyboard (Ctrl+Q), so that Wireshark writes its recent
#                                 files; waits for it to exit
#   gui_shot FILE [GEOMETRY]      a screenshot of the screen
#   gui_conf                      the personal configuration folder of the session
#   click X Y [BUTTON], key KEY...

gui_width=1280
gui_height=800
gui_xvfb_pid=''
gui_ws_pid=''

gui_tools_or_skip() {
    local tool
    for tool in wireshark Xvfb xdotool import; do
        command -v "$tool" >/dev/null || { echo "gui: $tool is not installed: skipped"; exit 77; }
    done
}

gui_cleanup() {
    [ -z "$gui_ws_pid" ] || { kill "$gui_ws_pid" 2>/dev/null || true; wait "$gui_ws_pid" 2>/dev/null || true; }
    [ -z "$gui_xvfb_pid" ] || { kill "$gui_xvfb_pid" 2>/dev/null || true; wait "$gui_xvfb_pid" 2>/dev/null || true; }
    gui_ws_pid='' gui_xvfb_pid=''
}

gui_conf() { echo "$pset_dir/home/.config/wireshark"; }

# The layout: main window at the top left, packet list and details only, no first-start dialogs.
gui_layout() {
    local conf
    conf=$(gui_conf)
    mkdir -p "$conf"
    {
        printf 'gui.geometry_main_x: 0\ngui.geometry_main_y: 0\n'
        printf 'gui.geometry_main_width: %d\ngui.geometry_main_height: %d\n' "$gui_width" "$gui_height"
        printf 'gui.geometry_main_maximized: FALSE\n'
        printf 'privs.warn_if_elevated: FALSE\nsys.warn_if_no_capture: FALSE\n'
    } > "$conf/recent_common"
    printf 'gui.byte_view_show: FALSE\ngui.geometry_main_upper_pane: 300\n' > "$conf/recent"
}

gui_start() {
    local work=$1 plugin=$2 mode=${3:-} profile=${4:-}
    pset_make "$work" "$plugin" || exit 2
    pset_check || { echo "gui: Wireshark would not run with exactly $plugin" >&2; exit 2; }
    [ -z "$mode" ] || prof_install "$mode" "$profile" || exit 2
    gui_layout
    mkdir -p "$work/xdg" "$work/in"
    chmod 700 "$work/xdg"
    pset_fix_perms

    local n display=''
    for n in $(seq 140 190); do
        if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then display=:$n; break; fi
    done
    [ -n "$display" ] || { echo "gui: no free X display" >&2; exit 1; }
    "${pset_user[@]}" Xvfb "$display" -screen 0 "${gui_width}x${gui_height}x24" -nolisten tcp -ac \
        >"$work/xvfb.log" 2>&1 &
    gui_xvfb_pid=$!
    export DISPLAY=$display
    local _
    for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && return 0; sleep 0.2; done
    echo "gui: Xvfb did not start" >&2
    cat "$work/xvfb.log" >&2
    exit 1
}

gui_launch() {
    local pattern=$1 window _
    shift
    pset_fix_perms
    chmod 700 "$pset_dir/xdg"
    "${pset_user[@]}" env -i PATH=/usr/bin:/bin "${pset_vars[@]}" XDG_RUNTIME_DIR="$pset_dir/xdg" \
        DISPLAY="$DISPLAY" wireshark "$@" >>"$pset_dir/wireshark.log" 2>&1 &
    gui_ws_pid=$!
    for _ in $(seq 120); do
        window=$(xdotool search --onlyvisible --name "$pattern" 2>/dev/null | head -1 || true)
        if [ -n "$window" ]; then sleep 3; return 0; fi
        kill -0 "$gui_ws_pid" 2>/dev/null || break
        sleep 0.5
    done
    echo "gui: no window '$pattern' from: wireshark $*" >&2
    cat "$pset_dir/wireshark.log" >&2
    exit 1
}

click() { xdotool mousemove "$1" "$2" click "${3:-1}"; sleep 1; }
key() { xdotool key "$@"; sleep 1; }

gui_quit() {
    local _
    [ -z "${GUI_DEBUG:-}" ] || gui_shot "$GUI_DEBUG/quit-$(date +%s%N).png"
    # A click on the status bar first: a window nobody clicked since it appeared is not active for Qt, and
    # ignores the shortcut.
    click 640 789
    key ctrl+q
    for _ in $(seq 40); do
        kill -0 "$gui_ws_pid" 2>/dev/null || { wait "$gui_ws_pid" 2>/dev/null || true; gui_ws_pid=''; return 0; }
        sleep 0.25
    done
    echo "gui: Wireshark did not quit on Ctrl+Q" >&2
    [ -z "${GUI_DEBUG:-}" ] || gui_shot "$GUI_DEBUG/quit-failed.png"
    return 1
}

gui_shot() {
    import -window root "$pset_dir/raw.png"
    if [ -n "${2:-}" ]; then convert "$pset_dir/raw.png" -crop "$2" +repage -strip "$1"; else cp "$pset_dir/raw.png" "$1"; fi
}
