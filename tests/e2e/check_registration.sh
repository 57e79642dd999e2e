#!/usr/bin/env bash
# Checks that tshark, loading the plugin, registers every name of SPEC sections 3-5 and 9.
set -euo pipefail
wrapper=$1 plugin=$2
fields=$("$wrapper" "$plugin" -G fields)
prefs=$("$wrapper" "$plugin" -G defaultprefs)
failed=0 passed=0
expect() {  # expect KIND NAME HAYSTACK-PATTERN
    if grep -qE "$3" <<<"$4"; then passed=$((passed + 1)); else echo "missing $1: $2"; failed=$((failed + 1)); fi
}
expect protocol sipauth $'^P\tSIP Authentication Challenge Analysis\tsipauth$' "$fields"
for f in flow role attempt challenge_code request_frame challenge_frame ack_frame retry_frame result_frame \
         result_code time_to_retry outcome heuristic verdict first_request_frame final_frame auth_time \
         result_reason refusals dns_queries dns_unanswered dns_frame; do
    expect field "sipauth.$f" $'^F\t[^\t]*\tsipauth\\.'"$f"$'\t' "$fields"
done
for e in missing_retry retry_challenged stale_nonce challenge_loop retry_failed retry_unanswered wrong_header \
         cseq_not_incremented nonce_mismatch realm_mismatch missing_challenge_header no_ack \
         challenge_retransmitted aka_resync challenge_answered analysis_truncated slow_retry; do
    expect expert "sipauth.$e" $'^F\t[^\t]*\tsipauth\\.'"$e"$'\tFT_NONE' "$fields"
done
for p in "track_401: TRUE" "retry_timeout: 32" "loop_threshold: 3" "heuristic_call_id: TRUE" "info_column: TRUE" \
         "slow_retry: 5"; do
    expect preference "sipauth.$p" "^#sipauth\\.${p}\$" "$prefs"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
