#!/usr/bin/env bash
# Shared helpers of the robustness scripts. Sourced for its functions, or run as
#   lib.sh plain TSHARK_ARGS...          tshark without the plugin
#   lib.sh with PLUGIN.so TSHARK_ARGS... tshark with the plugin (tests/tools/tshark-plugin.sh)
# so that timeout and ulimit can wrap either. Both run tshark the same way: a throw-away HOME,
# as user nobody when root, input copied where nobody can read it.

robust_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SIPAUTH_TSHARK=${SIPAUTH_TSHARK:-$robust_root/tests/tools/tshark-plugin.sh}

# No extcap discovery: tshark -G plugins would otherwise start every extcap binary (slow, and they
# hang when a sanitizer runtime is preloaded).
# shellcheck disable=SC2034  # used by the scripts that source this file
robust_lib=$robust_root/tests/robust/lib.sh
robust_noextcap=
if [ -z "${WIRESHARK_EXTCAP_DIR:-}" ]; then
    robust_noextcap=$(mktemp -d /tmp/sipauth-noextcap.XXXXXX)
    chmod 755 "$robust_noextcap"
    export WIRESHARK_EXTCAP_DIR=$robust_noextcap
fi

robust_is_ci() {
    case "${CI:-}" in true|1|yes) return 0 ;; esac
    return 1
}

# tshark_plain ARGS...: tshark without any personal plugin, run like tshark-plugin.sh runs it.
tshark_plain() {
    local home status=0 local_copy
    home=$(mktemp -d /tmp/sipauth-plain.XXXXXX)
    mkdir -p "$home/in"
    local args=()
    while [ $# -gt 0 ]; do
        if [ "$1" = -r ]; then
            shift
            local_copy="$home/in/$(basename "$1")"
            cp "$1" "$local_copy"
            args+=(-r "$local_copy")
        else
            args+=("$1")
        fi
        shift
    done
    chmod -R a+rX "$home"
    if [ "$(id -u)" = 0 ]; then
        chown -R nobody:nogroup "$home"
        setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$home" tshark "${args[@]}" || status=$?
    else
        env HOME="$home" tshark "${args[@]}" || status=$?
    fi
    rm -rf "$home"
    return "$status"
}

# tshark_with PLUGIN ARGS...
tshark_with() {
    "$SIPAUTH_TSHARK" "$@"
}

# Removes what SIPAUTH adds to tshark -V output: each SIPAUTH subtree (its top line and the indented
# lines under it) and any other line naming the protocol (SIPAUTH) or one of its fields or expert infos.
# Captures may say "sipauth" themselves (the lab's realm is sipauth.lab): those lines stay.
strip_sipauth() {
    awk '
        /^\[SIP Authentication Challenge Analysis/ { skip = 1; next }
        skip && /^[ \t]/ { next }
        { skip = 0 }
        /SIPAUTH/ { next }
        /sipauth\.(flow|role|attempt|challenge_code|request_frame|challenge_frame|ack_frame|retry_frame|result_frame|result_code|time_to_retry|outcome|heuristic|missing_retry|retry_challenged|stale_nonce|challenge_loop|retry_failed|retry_unanswered|wrong_header|cseq_not_incremented|nonce_mismatch|realm_mismatch|missing_challenge_header|no_ack|challenge_retransmitted|aka_resync|challenge_answered)([^a-z_]|$)/ { next }
        { print }
    '
}

# The capture files (pcap, pcapng) directly inside the given directories, sorted; missing dirs are skipped.
list_captures() {
    local dir
    for dir in "$@"; do
        if [ ! -d "$dir" ] || [ ! -r "$dir" ]; then continue; fi
        find "$dir" -maxdepth 1 -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' -o -name '*.pcap.gz' -o -name '*.pcapng.gz' \) -readable
    done | sort
}

robust_cleanup() {
    [ -z "$robust_noextcap" ] || rm -rf "$robust_noextcap"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    trap robust_cleanup EXIT
    mode=${1:?usage: lib.sh plain|with ARGS...}
    shift
    case "$mode" in
        plain) tshark_plain "$@" ;;
        with) tshark_with "$@" ;;
        *) echo "lib.sh: unknown mode $mode" >&2; exit 2 ;;
    esac
fi
