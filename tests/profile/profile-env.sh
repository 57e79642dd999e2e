#!/usr/bin/env bash
# Makes a plugin set (tests/tools/plugin-set.sh) with exactly one sipauth.so and a configuration profile
# installed globally or personally (profile-set.sh) in WORKDIR, checks that tshark loads exactly that
# plugin, and prints the command prefix that runs a program there (one word per line), for a test that
# runs tshark many times in one set. The caller deletes WORKDIR; files to read go into WORKDIR/in.
# Usage: profile-env.sh WORKDIR PLUGIN.so global|personal PROFILE_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../tools/plugin-set.sh
. "$here/../tools/plugin-set.sh"
# shellcheck source=profile-set.sh
. "$here/profile-set.sh"

work=${1:?usage: profile-env.sh WORKDIR PLUGIN.so global|personal PROFILE_DIR}
plugin=${2:?} mode=${3:?} profile=${4:?}
pset_make "$work" "$plugin" || exit 2
prof_install "$mode" "$profile" || exit 2
mkdir -p "$work/in"
pset_fix_perms
pset_check || { echo "profile-env: tshark would not run with exactly $plugin" >&2; exit 3; }
printf '%s\n' "${pset_user[@]}" env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u WIRESHARK_CONFIG_DIR "${pset_vars[@]}"
