#!/usr/bin/env bash
# Shared helpers of the robustness scripts. Sourced for its functions, or run as
#   lib.sh plain TSHARK_ARGS...          tshark without any sipauth plugin
#   lib.sh with PLUGIN.so TSHARK_ARGS... tshark with exactly that plugin
# so that timeout and ulimit can wrap either. Both are tests/tools/tshark-plugin.sh (SIPAUTH_TSHARK), so
# both runs have the same plugin folders (a private mirror of the global one), HOME, user and no extcaps.

robust_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SIPAUTH_TSHARK=${SIPAUTH_TSHARK:-$robust_root/tests/tools/tshark-plugin.sh}

# shellcheck disable=SC2034  # used by the scripts that source this file
robust_lib=$robust_root/tests/robust/lib.sh

robust_is_ci() {
    case "${CI:-}" in true|1|yes) return 0 ;; esac
    return 1
}

# tshark_plain ARGS...: tshark with no sipauth at all (a mirror of the global plugin folder without it).
tshark_plain() {
    "$SIPAUTH_TSHARK" none "$@"
}

# tshark_with PLUGIN ARGS...: tshark with exactly that plugin.
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

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    mode=${1:?usage: lib.sh plain|with ARGS...}
    shift
    case "$mode" in
        plain) tshark_plain "$@" ;;
        with) tshark_with "$@" ;;
        *) echo "lib.sh: unknown mode $mode" >&2; exit 2 ;;
    esac
fi
