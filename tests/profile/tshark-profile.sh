#!/usr/bin/env bash
# Runs the real tshark with exactly one sipauth.so (tests/tools/plugin-set.sh) and a configuration profile
# installed globally or personally (profile-set.sh), in a throw-away HOME.
# Usage: tshark-profile.sh PLUGIN.so global|personal PROFILE_DIR [tshark arguments...]
# Input files given with -r are copied where the plugin set's user can read them.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../tools/plugin-set.sh
. "$here/../tools/plugin-set.sh"
# shellcheck source=profile-set.sh
. "$here/profile-set.sh"

plugin=${1:?usage: tshark-profile.sh PLUGIN.so global|personal PROFILE_DIR [tshark arguments...]}
mode=${2:?}
profile=${3:?}
shift 3
work=$(mktemp -d /tmp/sipauth-profile.XXXXXX)
trap 'rm -rf "$work"' EXIT
pset_make "$work" "$plugin" || exit 2
prof_install "$mode" "$profile" || exit 2

args=()
mkdir "$work/in"
while [ $# -gt 0 ]; do
    case "$1" in
        -r) shift; cp "$1" "$work/in/"; args+=(-r "$work/in/$(basename "$1")") ;;
        *) args+=("$1") ;;
    esac
    shift
done
pset_fix_perms
pset_check || { echo "tshark-profile: tshark would not run with exactly $plugin" >&2; exit 3; }
pset_run tshark "${args[@]}"
