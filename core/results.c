/* The tracker's results: each message's role, links, outcome and findings, projected from the records. */
#include "records.h"
#include "sipauth/explain.h"

static void
fill_flow(sa_result_t *result, const sa_attempt_t *attempt, sa_role_t role)
{
    memset(result, 0, sizeof *result);
    const sa_txn_t *request = attempt->request;
    result->flow = attempt->flow_id;
    result->role = role;
    result->method = request->method;
    result->from_uri = request->from_uri;
    result->realm = attempt->n_realms > 0 ? attempt->realms[0].realm : NULL;
    if (attempt->n_realms > 0 && attempt->realms[0].digest)
        result->offered_algorithms = attempt->realms[0].algorithms;
    sa_txn_ext_t ext;
    txn_ext(request, &ext);
    result->user_agent = ext.user_agent;
    result->user_uri = request->reg_kind != SA_REG_NONE ? txn_aor(request, &ext) : request->from_uri;
}

/* Where a source crossed the attack threshold (or announced a scanner): the finding and its figures. */
static void
fill_attack(const sa_tracker_t *tracker, sa_result_t *result, gconstpointer site)
{
    const sa_attack_t *attack = sa_attacks_at(tracker, site);
    if (attack == NULL)
        return;
    result->findings |= SA_FINDING_BIT(SA_FINDING_CREDENTIAL_ATTACK);
    result->attack_source.bytes = attack->addr;
    result->attack_source.len = attack->addr_len;
    result->attack_usernames = attack->usernames;
    result->attack_user_agent = attack->user_agent;
}

gboolean
sa_result_user(const sa_result_t *result, sa_span_t *user)
{
    if (result->username && *result->username) {
        user->ptr = result->username;
        user->len = strlen(result->username);
        return TRUE;
    }
    sa_span_t uri = { result->user_uri, result->user_uri ? strlen(result->user_uri) : 0 };
    return result->user_uri != NULL && sa_sip_uri_user(uri, user);
}

sa_outcome_t
sa_attempt_outcome(const sa_attempt_t *attempt, sa_view_t view)
{
    const sa_txn_t *retry = attempt->retry;
    if (retry == NULL)
        return attempt->abandoned || view == SA_VIEW_FINAL ? SA_OUTCOME_NO_RETRY : SA_OUTCOME_UNKNOWN;
    if (retry->final_frame == 0)
        return view == SA_VIEW_FINAL ? SA_OUTCOME_RETRY_UNANSWERED : SA_OUTCOME_UNKNOWN;
    if (retry->challenged)
        return SA_OUTCOME_CHALLENGED_AGAIN;
    return retry->final_code < 300 ? SA_OUTCOME_ACCEPTED : SA_OUTCOME_REJECTED;
}

gboolean
sa_attempt_is_refresh(const sa_attempt_t *attempt)
{
    return attempt->stale || attempt->stale_by_reason || attempt->after_resync;
}

/* A retry later than the slow-retry preference: its delay, and what the UA did on DNS meanwhile. */
static void
fill_slow_retry(const sa_tracker_t *tracker, const sa_attempt_t *attempt, sa_result_t *result)
{
    gint64 slow_ns = (gint64)tracker->config.slow_retry_s * SA_NS_PER_S;
    if (tracker->config.slow_retry_s == 0 || result->time_to_retry_ns <= slow_ns)
        return;
    result->findings |= SA_FINDING_BIT(SA_FINDING_SLOW_RETRY);
    sa_fill_dns(tracker, txn_host(attempt->request), attempt->challenge_time, attempt->retry->request_time, result);
}

static const char *const qop_names[] = { NULL, "auth", "auth-int", "other" };

/* The retry of attempt's credentials, as checked when it was linked. */
static void
fill_credentials(const sa_tracker_t *tracker, sa_result_t *result, const sa_attempt_t *attempt)
{
    result->credentials = attempt->credentials;
    result->check_reason = attempt->check_reason;
    result->autn = attempt->autn;
    result->qop_check = attempt->qop_check;
    result->response_check = attempt->response_check;
    result->hss_verified = attempt->secret_hss;
    if (attempt->retry_digest) {
        result->algorithm = sa_digest_alg_name(attempt->retry_alg);
        if (attempt->retry_alg == SA_DIGEST_ALG_UNKNOWN && tracker->unknown_algs)
            result->algorithm = g_hash_table_lookup(tracker->unknown_algs, attempt);
        result->qop = qop_names[attempt->retry_qop];
    }
}

/* The server refused a retry whose credentials verify: challenged again as a refusal, or 403. */
static gboolean
refused_correct(const sa_attempt_t *attempt)
{
    const sa_txn_t *retry = attempt->retry;
    if (attempt->credentials != SA_CREDENTIALS_CORRECT || retry == NULL)
        return FALSE;
    if (retry->challenged)
        return (retry->challenged->findings & SA_FINDING_BIT(SA_FINDING_RETRY_CHALLENGED)) != 0;
    return retry->final_frame != 0 && sa_failure_of(retry->final_code) == SA_FAILURE_FORBIDDEN;
}

static sa_again_t
challenged_again_by(const sa_attempt_t *next)
{
    if (next->findings & SA_FINDING_BIT(SA_FINDING_RETRY_CHALLENGED))
        return SA_AGAIN_REFUSAL;
    return sa_attempt_is_refresh(next) ? SA_AGAIN_REFRESH : SA_AGAIN_DOMAIN;
}

static void
fill_challenge(const sa_tracker_t *tracker, sa_result_t *result, const sa_attempt_t *attempt, sa_view_t view)
{
    const sa_txn_t *request = attempt->request;
    const sa_txn_t *retry = attempt->retry;
    fill_flow(result, attempt, SA_ROLE_CHALLENGE);
    result->attempt = attempt->number;
    result->challenge_code = attempt->code;
    result->request_frame = request->request_frame;
    result->ack_frame = request->ack_frame;
    result->stale = attempt->stale;
    result->stale_by_reason = attempt->stale_by_reason;
    result->findings = attempt->findings;
    result->refusal = (attempt->findings & SA_FINDING_BIT(SA_FINDING_RETRY_CHALLENGED)) != 0;
    if (attempt->findings & SA_FINDING_BIT(SA_FINDING_CREDENTIAL_ATTACK))
        fill_attack(tracker, result, attempt);
    if (request->answers) {
        result->answered_code = request->answers->code;
        if (refused_correct(request->answers))
            result->findings |= SA_FINDING_BIT(SA_FINDING_CORRECT_CREDENTIALS_REFUSED);
    }
    if (retry) {
        result->retry_frame = retry->request_frame;
        result->has_time_to_retry = TRUE;
        result->time_to_retry_ns = retry->request_time - attempt->challenge_time;
        result->result_frame = retry->final_frame;
        result->result_code = retry->final_code;
        result->result_reason = retry->final_frame ? attempt->result_reason : NULL;
        result->username = retry->username;
        fill_credentials(tracker, result, attempt);
        if (retry->challenged)
            result->again = challenged_again_by(retry->challenged);
        fill_slow_retry(tracker, attempt, result);
    }
    result->outcome = sa_attempt_outcome(attempt, view);
    result->flow_state = SA_OUTCOME_NO_RETRY;
    if (result->outcome == SA_OUTCOME_NO_RETRY)
        result->findings |= SA_FINDING_BIT(SA_FINDING_MISSING_RETRY);
    if (view == SA_VIEW_FINAL && request->ack_frame == 0 && g_strcmp0(request->method, "INVITE") == 0)
        result->findings |= SA_FINDING_BIT(SA_FINDING_NO_ACK);
}

/* Retries with auts in the attempt's flow before the attempt's own retry: one resynchronisation puts the
 * sequence numbers right (TS 33.102 6.3.5), a second one is a loop. The walk is bounded: a flow's attempts
 * are few, a hostile one's are cut. */
#define SA_RESYNC_WALK_MAX 64
guint
sa_resyncs_before(const sa_attempt_t *attempt)
{
    guint count = 0, steps = 0;
    for (const sa_attempt_t *a = attempt->flow->first; a && a != attempt && steps < SA_RESYNC_WALK_MAX; steps++) {
        const sa_txn_t *retry = a->retry;
        if (retry == NULL)
            break;
        if (retry->retry_findings & SA_FINDING_BIT(SA_FINDING_AKA_RESYNC))
            count++;
        a = retry->challenged;
    }
    return count;
}

static void
fill_retry(const sa_tracker_t *tracker, sa_result_t *result, const sa_txn_t *retry, sa_view_t view)
{
    const sa_attempt_t *attempt = retry->answers;
    fill_flow(result, attempt, SA_ROLE_RETRY);
    result->attempt = attempt->number;
    result->challenge_code = attempt->code;
    result->request_frame = attempt->request->request_frame;
    result->challenge_frame = attempt->challenge_frame;
    result->result_frame = retry->final_frame;
    result->result_code = retry->final_code;
    result->has_time_to_retry = TRUE;
    result->time_to_retry_ns = retry->request_time - attempt->challenge_time;
    result->heuristic = attempt->heuristic;
    result->username = retry->username;
    result->findings = retry->retry_findings;
    sa_txn_ext_t ext;
    if (txn_ext(retry, &ext) && ext.user_agent)
        result->user_agent = ext.user_agent;
    fill_credentials(tracker, result, attempt);
    if (refused_correct(attempt))
        result->findings |= SA_FINDING_BIT(SA_FINDING_CORRECT_CREDENTIALS_REFUSED);
    result->result_reason = retry->final_frame ? attempt->result_reason : NULL;
    fill_slow_retry(tracker, attempt, result);
    if ((retry->retry_findings & SA_FINDING_BIT(SA_FINDING_AKA_RESYNC)) && sa_resyncs_before(attempt) == 1)
        result->findings |= SA_FINDING_BIT(SA_FINDING_RESYNC_LOOP);
    result->flow_state = SA_OUTCOME_RETRY_UNANSWERED;
    if (view == SA_VIEW_FINAL && retry->final_frame == 0)
        result->findings |= SA_FINDING_BIT(SA_FINDING_RETRY_UNANSWERED);
}

/* The fill_* functions return the attempt whose flow the message is in, NULL for none. */
static const sa_attempt_t *
fill_request(const sa_tracker_t *tracker, sa_result_t *result, const sa_txn_t *txn, gboolean again, sa_view_t view)
{
    const sa_attempt_t *answered = txn->answers;
    const sa_attempt_t *challenged = txn->challenged;
    if (answered && !again) {
        fill_retry(tracker, result, txn, view);
        return answered;
    }
    if (answered) {
        fill_flow(result, answered, SA_ROLE_REQUEST_RETRANSMISSION);
        result->retransmission = TRUE;
        result->request_frame = txn->request_frame;
        result->challenge_frame = answered->challenge_frame;
        return answered;
    }
    if (challenged == NULL)
        return NULL;
    fill_flow(result, challenged, again ? SA_ROLE_REQUEST_RETRANSMISSION : SA_ROLE_REQUEST);
    result->retransmission = again;
    result->challenge_frame = challenged->challenge_frame;
    if (again)
        result->request_frame = txn->request_frame;
    else if (challenged->retry)
        result->retry_frame = challenged->retry->request_frame;
    return challenged;
}

static const sa_attempt_t *
fill_final(const sa_tracker_t *tracker, sa_result_t *result, const sa_txn_t *txn, sa_msg_t msg, sa_view_t view)
{
    gboolean again = (msg & SA_MSG_KIND_MASK) == SA_MSG_FINAL_AGAIN;
    const sa_attempt_t *challenged = txn->challenged;
    if (challenged && !again) {
        fill_challenge(tracker, result, challenged, view);
        return challenged;
    }
    if (challenged) {
        fill_flow(result, challenged, SA_ROLE_CHALLENGE_RETRANSMISSION);
        result->retransmission = TRUE;
        result->attempt = challenged->number;
        result->challenge_code = challenged->code;
        result->request_frame = txn->request_frame;
        result->challenge_frame = challenged->challenge_frame;
        if (!(msg & SA_MSG_DUPLICATE))
            result->findings = SA_FINDING_BIT(SA_FINDING_CHALLENGE_RETRANSMITTED);
        return challenged;
    }
    const sa_attempt_t *answered = txn->answers;
    if (answered == NULL)
        return NULL;
    fill_flow(result, answered, SA_ROLE_RESULT);
    result->retransmission = again;
    result->challenge_code = answered->code;
    result->result_code = txn->final_code;
    result->request_frame = txn->request_frame;
    result->challenge_frame = answered->challenge_frame;
    result->flow_state = txn->final_code < 300 ? SA_OUTCOME_ACCEPTED : SA_OUTCOME_REJECTED;
    if (!again && txn->final_code >= 300)
        result->findings = SA_FINDING_BIT(SA_FINDING_RETRY_FAILED);
    if (!again && refused_correct(answered))
        result->findings |= SA_FINDING_BIT(SA_FINDING_CORRECT_CREDENTIALS_REFUSED);
    result->refusal = !again && sa_failure_of(txn->final_code) == SA_FAILURE_FORBIDDEN;
    if (!again && txn->attack_here)
        fill_attack(tracker, result, txn);
    return answered;
}

/* The result of a message by its kind; the attempt whose flow it is in, NULL for none. */
static const sa_attempt_t *
message_result(const sa_tracker_t *tracker, sa_msg_id_t id, sa_view_t view, sa_result_t *result)
{
    sa_msg_t msg = g_array_index(tracker->msgs, sa_msg_t, id);
    const sa_txn_t *txn = (const sa_txn_t *)(msg & SA_MSG_TXN_MASK);
    switch ((sa_msg_kind_t)(msg & SA_MSG_KIND_MASK)) {
    case SA_MSG_REQUEST:
        return fill_request(tracker, result, txn, FALSE, view);
    case SA_MSG_REQUEST_AGAIN:
        return fill_request(tracker, result, txn, TRUE, view);
    case SA_MSG_ACK:
        fill_flow(result, txn->challenged, SA_ROLE_ACK);
        result->request_frame = txn->request_frame;
        result->challenge_frame = txn->challenged->challenge_frame;
        return txn->challenged;
    case SA_MSG_FINAL:
    case SA_MSG_FINAL_AGAIN:
        return fill_final(tracker, result, txn, msg, view);
    }
    return NULL;
}

gboolean
sa_tracker_result(const sa_tracker_t *tracker, sa_msg_id_t id, sa_view_t view, sa_result_t *result)
{
    memset(result, 0, sizeof *result);
    if (tracker == NULL || id == 0 || id >= tracker->msgs->len)
        return FALSE;
    const sa_attempt_t *attempt = message_result(tracker, id, view, result);
    if (attempt == NULL)
        return FALSE;
    if (tracker->sec)
        sa_sec_fill(tracker, attempt, result);
    if (tracker->hss)
        sa_hss_fill(tracker, attempt, result);
    sa_fill_verdict(tracker, attempt->flow, view, result);
    if (sa_msg_was_cut(tracker, id))
        result->findings |= SA_FINDING_BIT(SA_FINDING_ANALYSIS_TRUNCATED);
    return TRUE;
}

sa_msg_id_t
sa_tracker_challenged_request(sa_tracker_t *tracker, sa_msg_id_t challenge)
{
    if (tracker == NULL || challenge == 0 || challenge >= tracker->msgs->len)
        return 0;
    sa_msg_t msg = g_array_index(tracker->msgs, sa_msg_t, challenge);
    const sa_txn_t *txn = (const sa_txn_t *)(msg & SA_MSG_TXN_MASK);
    if ((msg & SA_MSG_KIND_MASK) != SA_MSG_FINAL || txn->challenged == NULL || txn->request_frame == 0)
        return 0;
    sa_msg_id_t first;
    guint count = sa_tracker_frame_messages(tracker, txn->request_frame, &first);
    for (sa_msg_id_t id = first; id < first + count; id++) {
        sa_msg_t m = g_array_index(tracker->msgs, sa_msg_t, id);
        if ((m & SA_MSG_KIND_MASK) == SA_MSG_REQUEST && (const sa_txn_t *)(m & SA_MSG_TXN_MASK) == txn)
            return id;
    }
    return 0;
}

void
sa_tracker_foreach_challenge(const sa_tracker_t *tracker, sa_view_t view,
                             sa_challenge_func_t func, gpointer user_data)
{
    for (guint i = 0; i < tracker->attempts->len; i++) {
        sa_result_t result;
        const sa_attempt_t *attempt = g_ptr_array_index(tracker->attempts, i);
        fill_challenge(tracker, &result, attempt, view);
        sa_fill_verdict(tracker, attempt->flow, view, &result);
        func(&result, user_data);
    }
}

const char *
sa_role_name(sa_role_t role)
{
    switch (role) {
#define SA_ROLE_CASE(name, value, text) case SA_ROLE_##name: return text;
    SA_ROLES(SA_ROLE_CASE)
#undef SA_ROLE_CASE
    case SA_ROLE_NONE: break;
    }
    return "none";
}

const char *
sa_outcome_name(sa_outcome_t outcome)
{
    switch (outcome) {
#define SA_OUTCOME_CASE(name, value, text) case SA_OUTCOME_##name: return text;
    SA_OUTCOMES(SA_OUTCOME_CASE)
#undef SA_OUTCOME_CASE
    case SA_OUTCOME_NONE: break;
    }
    return "none";
}

const char *
sa_verdict_name(sa_verdict_t verdict)
{
    switch (verdict) {
#define SA_VERDICT_CASE(name, value, text) case SA_VERDICT_##name: return text;
    SA_VERDICTS(SA_VERDICT_CASE)
#undef SA_VERDICT_CASE
    case SA_VERDICT_NONE: break;
    }
    return "none";
}

const char *
sa_finding_abbrev(sa_finding_t finding)
{
    static const char *const abbrevs[] = {
#define SA_FINDING_ABBREV(name, abbrev, group, severity, summary) abbrev,
        SA_FINDINGS(SA_FINDING_ABBREV)
#undef SA_FINDING_ABBREV
    };
    return (guint)finding < SA_FINDING_COUNT ? abbrevs[finding] : "unknown";
}
