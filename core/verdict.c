/* The verdict of a flow (SPEC section 9): one answer per flow, read from how its last attempt ended and what
 * came before it, and the finding that states it on each challenge. */
#include "records.h"

/* Timer F (64*T1): a retry unanswered for this long is unanswered, not cut by the capture's end. */
#define SA_TIMER_F_NS (32 * SA_NS_PER_S)

static sa_verdict_t
verdict_of(const sa_flow_t *flow, sa_outcome_t last_outcome, sa_view_t view)
{
    if (last_outcome == SA_OUTCOME_ACCEPTED) {
        if (flow->refusals > 0)
            return SA_VERDICT_ACCEPTED_AFTER_REFUSAL;
        return flow->refreshes > 0 ? SA_VERDICT_ACCEPTED_AFTER_REFRESH : SA_VERDICT_ACCEPTED;
    }
    /* Single pass: only a final answer to the last retry decides a flow before the capture is read. */
    if (view == SA_VIEW_SO_FAR && last_outcome != SA_OUTCOME_REJECTED)
        return SA_VERDICT_UNKNOWN;
    if (flow->looped)
        return SA_VERDICT_CHALLENGE_LOOP;
    switch (last_outcome) {
    case SA_OUTCOME_REJECTED:
        return SA_VERDICT_REJECTED;
    case SA_OUTCOME_RETRY_UNANSWERED:
        return SA_VERDICT_RETRY_UNANSWERED;
    case SA_OUTCOME_NO_RETRY:
        /* The UA gave up after the server refused it: refused, not "no retry". */
        return flow->last->findings & SA_FINDING_BIT(SA_FINDING_RETRY_CHALLENGED) ? SA_VERDICT_REFUSED
                                                                                  : SA_VERDICT_NO_RETRY;
    default:
        return SA_VERDICT_UNKNOWN;
    }
}

/* How the last challenge was left without a retry, or its retry without an answer. */
static sa_end_t
end_of(const sa_tracker_t *tracker, const sa_attempt_t *last, sa_outcome_t outcome)
{
    if (outcome == SA_OUTCOME_NO_RETRY) {
        if (last->abandoned)
            return SA_END_STARTED_OVER;
        gint64 left = tracker->last_time - last->challenge_time;
        return left < (gint64)tracker->config.retry_timeout_s * SA_NS_PER_S ? SA_END_CAPTURE_ENDED : SA_END_GAVE_UP;
    }
    if (outcome == SA_OUTCOME_RETRY_UNANSWERED)
        return tracker->last_time - last->retry->request_time < SA_TIMER_F_NS ? SA_END_CAPTURE_ENDED : SA_END_GAVE_UP;
    return SA_END_NONE;
}

static sa_finding_t
statement_of(sa_verdict_t verdict)
{
    switch (verdict) {
    case SA_VERDICT_ACCEPTED:
    case SA_VERDICT_ACCEPTED_AFTER_REFRESH:
    case SA_VERDICT_ACCEPTED_AFTER_REFUSAL:
        return SA_FINDING_CHALLENGE_ANSWERED;
    case SA_VERDICT_REFUSED:
        return SA_FINDING_RETRY_CHALLENGED;
    case SA_VERDICT_CHALLENGE_LOOP:
        return SA_FINDING_CHALLENGE_LOOP;
    case SA_VERDICT_NO_RETRY:
        return SA_FINDING_MISSING_RETRY;
    case SA_VERDICT_REJECTED:
        return SA_FINDING_RETRY_FAILED;
    case SA_VERDICT_RETRY_UNANSWERED:
        return SA_FINDING_RETRY_UNANSWERED;
    case SA_VERDICT_RETRY_PROTECTED:
        return SA_FINDING_RETRY_IN_IPSEC;
    default:
        return SA_FINDING_COUNT;
    }
}

/* Undecided (single pass): the gravest of what the challenge already shows states what is known. */
static sa_finding_t
gravest_of(sa_finding_mask_t findings)
{
    static const sa_finding_t by_gravity[] = {
        SA_FINDING_CHALLENGE_LOOP, SA_FINDING_RETRY_CHALLENGED, SA_FINDING_MISSING_CHALLENGE_HEADER,
        SA_FINDING_MISSING_RETRY,
        SA_FINDING_STALE_NONCE,
    };
    for (gsize i = 0; i < G_N_ELEMENTS(by_gravity); i++)
        if (findings & SA_FINDING_BIT(by_gravity[i]))
            return by_gravity[i];
    return SA_FINDING_COUNT;
}

void
sa_fill_verdict(const sa_tracker_t *tracker, const sa_flow_t *flow, sa_view_t view, sa_result_t *result)
{
    const sa_attempt_t *first = flow->first;
    const sa_attempt_t *last = flow->last;
    /* The flow as it stands: what the verdict is if the capture ends here (all of it in the final view). */
    sa_outcome_t now = sa_attempt_outcome(last, SA_VIEW_FINAL);
    result->verdict_now = verdict_of(flow, now, SA_VIEW_FINAL);
    result->verdict = view == SA_VIEW_FINAL ? result->verdict_now : verdict_of(flow, sa_attempt_outcome(last, view), view);
    /* No decoded retry, but ESP from the UE with the offered SPI: the retry went inside IPsec (SPEC section 11). */
    gboolean null_ealg = FALSE;
    if (now == SA_OUTCOME_NO_RETRY && !flow->looped && tracker->sec && sa_sec_retry_protected(tracker, last, &null_ealg)) {
        result->verdict_now = result->verdict = SA_VERDICT_RETRY_PROTECTED;
        result->esp_null = null_ealg;
    }
    result->first_request_frame = first->request->request_frame;
    result->refusals = flow->refusals;
    result->statement = SA_FINDING_COUNT;
    const sa_txn_t *retry = last->retry;
    result->end = end_of(tracker, last, now);
    if (view == SA_VIEW_SO_FAR && result->end == SA_END_CAPTURE_ENDED)
        result->end = SA_END_NOT_YET;
    result->no_challenge_header = (last->findings & SA_FINDING_BIT(SA_FINDING_MISSING_CHALLENGE_HEADER)) != 0;
    result->last_was_refresh = (last->findings & SA_FINDING_BIT(SA_FINDING_STALE_NONCE)) != 0;
    if (now == SA_OUTCOME_REJECTED)
        result->failure_code = retry->final_code;
    /* The credentials the server refused last: a rejected last retry's, or those the last challenge refused. */
    if (now == SA_OUTCOME_REJECTED) {
        result->refused_credentials = last->credentials;
        result->hss_verified = result->hss_verified || last->secret_hss;
    } else if (last->request->answers && (last->findings & SA_FINDING_BIT(SA_FINDING_RETRY_CHALLENGED))) {
        result->refused_credentials = last->request->answers->credentials;
        result->hss_verified = result->hss_verified || last->request->answers->secret_hss;
    }
    if (result->verdict != SA_VERDICT_UNKNOWN)
        result->final_frame = retry && retry->final_frame ? retry->final_frame : last->challenge_frame;
    gboolean accepted = result->verdict == SA_VERDICT_ACCEPTED || result->verdict == SA_VERDICT_ACCEPTED_AFTER_REFRESH
                     || result->verdict == SA_VERDICT_ACCEPTED_AFTER_REFUSAL;
    /* A first request sent before the capture started has no time to count from. */
    if (accepted && first->request->request_frame != 0) {
        result->has_auth_time = TRUE;
        result->auth_time_ns = flow->accepted_time - first->request->request_time;
    }
    if (result->role != SA_ROLE_CHALLENGE)
        return;
    result->statement = result->verdict == SA_VERDICT_UNKNOWN ? gravest_of(result->findings)
                                                              : statement_of(result->verdict);
    /* A flow that ended unaccepted after resynchronising twice failed on the AKA sequence numbers: that is what
     * its challenges state. Only flows whose last challenge followed an auts retry walk their attempts. */
    if (!accepted && result->verdict != SA_VERDICT_UNKNOWN && last->after_resync && sa_resyncs_before(last) >= 2)
        result->statement = SA_FINDING_RESYNC_LOOP;
    /* A retry inside IPsec is no missing retry. */
    if (result->verdict == SA_VERDICT_RETRY_PROTECTED)
        result->findings &= ~SA_FINDING_BIT(SA_FINDING_MISSING_RETRY);
    if (result->statement != SA_FINDING_COUNT)
        result->findings |= SA_FINDING_BIT(result->statement);
}
