#!/usr/bin/env bash
# Runs the real tshark with a given sipauth.so loaded from a throw-away personal plugin folder.
# Usage: tshark-plugin.sh PLUGIN.so [tshark arguments...]
# tshark ignores personal plugins when run as root, so as root it runs as nobody; input
# files given with -r are copied where nobody can read them. It fails if the plugin did
# not load, so no test can pass silently without it.
set -euo pipefail
plugin=$1; shift
[ -r "$plugin" ] || { echo "tshark-plugin: no plugin at $plugin" >&2; exit 2; }

ver=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
[ -n "$ver" ] || { echo "tshark-plugin: cannot read tshark's version" >&2; exit 2; }

home=$(mktemp -d /tmp/sipauth-home.XXXXXX)
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/.local/lib/wireshark/plugins/$ver/epan" "$home/in" "$home/extcap"
# No extcap helpers: they are not needed here, slow every start, and hang under a preloaded sanitizer.
export WIRESHARK_EXTCAP_DIR="$home/extcap"
cp "$plugin" "$home/.local/lib/wireshark/plugins/$ver/epan/sipauth.so"

args=()
while [ $# -gt 0 ]; do
    case "$1" in
        -r)
            shift
            local_copy="$home/in/$(basename "$1")"
            cp "$1" "$local_copy"
            args+=(-r "$local_copy")
            ;;
        *) args+=("$1") ;;
    esac
    shift
done
chmod -R a+rX "$home"

run() {
    if [ "$(id -u)" = 0 ]; then
        chown -R nobody:nogroup "$home"
        setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$home" "$@"
    else
        env HOME="$home" "$@"
    fi
}

if ! run tshark -G plugins 2>/dev/null | grep -q 'sipauth\.so'; then
    echo "tshark-plugin: tshark did not load $plugin" >&2
    exit 3
fi
run tshark "${args[@]}"
