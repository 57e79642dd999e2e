#!/usr/bin/env bash
# Runs the real tshark with exactly one given sipauth.so, or with none, whatever sipauth is installed.
# Usage: tshark-plugin.sh PLUGIN.so|none [tshark arguments...]
# The plugin set comes from plugin-set.sh: a private mirror of the global plugin folder without any
# sipauth* as WIRESHARK_PLUGIN_DIR, the plugin copied into it, a fresh HOME, user nobody when root.
# Input files given with -r are copied where nobody can read them. Before running, tshark -G plugins
# must list the copy of PLUGIN.so at its exact path and nothing from outside the mirror (with "none":
# no sipauth at all); otherwise it exits 3, so no test can pass with another copy or without one.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=plugin-set.sh
. "$here/plugin-set.sh"

plugin=${1:?usage: tshark-plugin.sh PLUGIN.so|none [tshark arguments...]}
shift
files=()
if [ "$plugin" != none ]; then
    [ -r "$plugin" ] || { echo "tshark-plugin: no plugin at $plugin" >&2; exit 2; }
    files=("$plugin")
fi

work=$(mktemp -d /tmp/sipauth-tshark.XXXXXX)
trap 'rm -rf "$work"' EXIT
pset_make "$work" "${files[@]}" || exit 2

args=()
mkdir "$work/in"
while [ $# -gt 0 ]; do
    case "$1" in
        -r)
            shift
            local_copy="$work/in/$(basename "$1")"
            cp "$1" "$local_copy"
            args+=(-r "$local_copy")
            ;;
        *) args+=("$1") ;;
    esac
    shift
done
pset_fix_perms

if ! pset_check; then
    echo "tshark-plugin: tshark would not run with exactly ${files[*]:-no sipauth plugin}" >&2
    exit 3
fi
pset_run tshark "${args[@]}"
