/* The texts of findings: which fixed text (explain.h) a finding of a result is shown with. */
#include "sipauth/explain.h"

sa_failure_t
sa_failure_of(guint status)
{
    if (status < 300 || status == 401 || status == 407)
        return SA_FAILURE_NONE;
    switch (status) {
    case 403:
        return SA_FAILURE_FORBIDDEN;
    case 404: case 410: case 480: case 484: case 485: case 604:
        return SA_FAILURE_ROUTING;
    case 415: case 420: case 421: case 486: case 488: case 489: case 600: case 603: case 606:
        return SA_FAILURE_NOT_AUTH;
    case 423:
        return SA_FAILURE_INTERVAL;
    case 494:
        return SA_FAILURE_SECURITY;
    case 408:
        return SA_FAILURE_TIMEOUT;
    default:
        return status >= 500 && status < 600 ? SA_FAILURE_SERVER : SA_FAILURE_OTHER;
    }
}

static sa_text_t
failure_text(guint status, sa_credentials_t credentials, gboolean hss)
{
    switch (sa_failure_of(status)) {
    case SA_FAILURE_FORBIDDEN:
        if (credentials == SA_CREDENTIALS_WRONG)
            return hss ? SA_TEXT_FORBIDDEN_HSS_WRONG : SA_TEXT_FORBIDDEN_WRONG;
        if (credentials == SA_CREDENTIALS_CORRECT)
            return hss ? SA_TEXT_FORBIDDEN_HSS_RIGHT : SA_TEXT_FORBIDDEN_CORRECT;
        return SA_TEXT_FAILED_FORBIDDEN;
    case SA_FAILURE_ROUTING:   return SA_TEXT_FAILED_ROUTING;
    case SA_FAILURE_NOT_AUTH:  return SA_TEXT_FAILED_NOT_AUTH;
    case SA_FAILURE_INTERVAL:  return SA_TEXT_FAILED_INTERVAL;
    case SA_FAILURE_SECURITY:  return SA_TEXT_FAILED_SECURITY;
    case SA_FAILURE_TIMEOUT:   return SA_TEXT_FAILED_TIMEOUT;
    case SA_FAILURE_SERVER:    return SA_TEXT_FAILED_SERVER;
    case SA_FAILURE_NONE:
    case SA_FAILURE_OTHER:     break;
    }
    return SA_TEXT_FAILED_OTHER;
}

static sa_text_t
no_retry_text(const sa_result_t *r)
{
    if (r->no_challenge_header)
        return SA_TEXT_NO_RETRY_NO_HEADER;
    switch (r->end) {
    case SA_END_STARTED_OVER:
        return r->last_was_refresh ? SA_TEXT_NO_RETRY_REFRESH_STARTED_OVER : SA_TEXT_NO_RETRY_STARTED_OVER;
    case SA_END_CAPTURE_ENDED:
        return SA_TEXT_NO_RETRY_CAPTURE_END;
    case SA_END_NOT_YET:
        return SA_TEXT_NO_RETRY_NOT_YET;
    default:
        return r->last_was_refresh ? SA_TEXT_NO_RETRY_REFRESH_GAVE_UP : SA_TEXT_NO_RETRY_GAVE_UP;
    }
}

/* A verdict in words, on every challenge of the flow. */
static sa_text_t
statement_text(const sa_result_t *r, sa_verdict_t verdict)
{
    switch (verdict) {
    case SA_VERDICT_ACCEPTED:
        return SA_TEXT_ACCEPTED;
    case SA_VERDICT_ACCEPTED_AFTER_REFRESH:
        return SA_TEXT_ACCEPTED_REFRESH;
    case SA_VERDICT_ACCEPTED_AFTER_REFUSAL:
        return SA_TEXT_ACCEPTED_REFUSAL;
    case SA_VERDICT_REFUSED:
        if (r->refused_credentials == SA_CREDENTIALS_WRONG)
            return SA_TEXT_REFUSED_WRONG;
        if (r->refused_credentials == SA_CREDENTIALS_CORRECT)
            return SA_TEXT_REFUSED_CORRECT;
        switch (r->end) {
        case SA_END_STARTED_OVER:  return SA_TEXT_REFUSED_STARTED_OVER;
        case SA_END_CAPTURE_ENDED: return SA_TEXT_REFUSED_CAPTURE_END;
        case SA_END_NOT_YET:       return SA_TEXT_REFUSED_NOT_YET;
        default:                   return SA_TEXT_REFUSED_GAVE_UP;
        }
    case SA_VERDICT_CHALLENGE_LOOP:
        if (r->refused_credentials == SA_CREDENTIALS_WRONG)
            return SA_TEXT_LOOP_WRONG;
        return r->refused_credentials == SA_CREDENTIALS_CORRECT ? SA_TEXT_LOOP_CORRECT : SA_TEXT_LOOP;
    case SA_VERDICT_NO_RETRY:
        return no_retry_text(r);
    case SA_VERDICT_REJECTED:
        return failure_text(r->failure_code, r->refused_credentials, r->hss_verified);
    case SA_VERDICT_RETRY_UNANSWERED:
        if (r->end == SA_END_CAPTURE_ENDED)
            return SA_TEXT_UNANSWERED_CAPTURE_END;
        return r->end == SA_END_NOT_YET ? SA_TEXT_UNANSWERED_NOT_YET : SA_TEXT_UNANSWERED;
    case SA_VERDICT_RETRY_PROTECTED:
        return r->esp_null ? SA_TEXT_PROTECTED_NULL : SA_TEXT_PROTECTED_SA;
    case SA_VERDICT_UNKNOWN:
    case SA_VERDICT_NONE:
        break;
    }
    return SA_TEXT_COUNT;
}

static sa_text_t
slow_retry_text(const sa_result_t *r)
{
    if (r->dns_queries == 0)
        return SA_TEXT_SLOW_NO_DNS;
    if (r->dns_unanswered == r->dns_queries)
        return SA_TEXT_SLOW_DNS_UNANSWERED;
    return r->dns_unanswered > 0 ? SA_TEXT_SLOW_DNS_SOME_UNANSWERED : SA_TEXT_SLOW_DNS_ANSWERED;
}

/* A finding's own text, wherever it stands. */
static sa_text_t
own_text(sa_finding_t finding, const sa_result_t *r)
{
    gboolean proxy = r->challenge_code == 407;
    switch (finding) {
    case SA_FINDING_MISSING_RETRY:            return SA_TEXT_MISSING_RETRY;
    case SA_FINDING_RETRY_CHALLENGED:         return SA_TEXT_RETRY_CHALLENGED;
    case SA_FINDING_STALE_NONCE:              return r->stale_by_reason ? SA_TEXT_STALE_BY_REASON : SA_TEXT_STALE_NONCE;
    case SA_FINDING_CHALLENGE_LOOP:           return SA_TEXT_LOOP;
    case SA_FINDING_RETRY_FAILED:
        return failure_text(r->role == SA_ROLE_RESULT ? r->result_code : r->failure_code, r->refused_credentials,
                            r->hss_verified);
    case SA_FINDING_RETRY_UNANSWERED:         return SA_TEXT_RETRY_NO_ANSWER;
    case SA_FINDING_WRONG_HEADER:             return proxy ? SA_TEXT_WRONG_HEADER_407 : SA_TEXT_WRONG_HEADER_401;
    case SA_FINDING_CSEQ_NOT_INCREMENTED:     return SA_TEXT_CSEQ_NOT_INCREMENTED;
    case SA_FINDING_NONCE_MISMATCH:           return SA_TEXT_NONCE_MISMATCH;
    case SA_FINDING_REALM_MISMATCH:           return SA_TEXT_REALM_MISMATCH;
    case SA_FINDING_MISSING_CHALLENGE_HEADER: return proxy ? SA_TEXT_NO_HEADER_407 : SA_TEXT_NO_HEADER_401;
    case SA_FINDING_NO_ACK:                   return SA_TEXT_NO_ACK;
    case SA_FINDING_CHALLENGE_RETRANSMITTED:  return SA_TEXT_RETRANSMITTED;
    case SA_FINDING_AKA_RESYNC:               return SA_TEXT_AKA_RESYNC;
    case SA_FINDING_CHALLENGE_ANSWERED:       return SA_TEXT_ACCEPTED;
    case SA_FINDING_ANALYSIS_TRUNCATED:       return SA_TEXT_TRUNCATED;
    case SA_FINDING_SLOW_RETRY:               return slow_retry_text(r);
    case SA_FINDING_URI_MISMATCH:             return SA_TEXT_URI_MISMATCH;
    case SA_FINDING_ALGORITHM_NOT_OFFERED:    return SA_TEXT_ALGORITHM_NOT_OFFERED;
    case SA_FINDING_ALGORITHM_DOWNGRADE:      return SA_TEXT_ALGORITHM_DOWNGRADE;
    case SA_FINDING_QOP_MISMATCH:
        if (r->qop_check == SA_QOP_CHECK_NOT_USED)
            return SA_TEXT_QOP_NOT_USED;
        return r->qop_check == SA_QOP_CHECK_NOT_OFFERED ? SA_TEXT_QOP_NOT_OFFERED : SA_TEXT_QOP_NO_CNONCE_NC;
    case SA_FINDING_NC_NOT_INCREMENTED:       return SA_TEXT_NC_NOT_INCREMENTED;
    case SA_FINDING_OPAQUE_MISMATCH:          return SA_TEXT_OPAQUE_MISMATCH;
    case SA_FINDING_RESPONSE_MALFORMED:
        if (r->response_check == SA_RESPONSE_CHECK_MISSING)
            return SA_TEXT_RESPONSE_MISSING;
        return r->response_check == SA_RESPONSE_CHECK_NOT_HEX ? SA_TEXT_RESPONSE_NOT_HEX : SA_TEXT_RESPONSE_LENGTH;
    case SA_FINDING_USERNAME_CHANGED:         return SA_TEXT_USERNAME_CHANGED;
    case SA_FINDING_WRONG_CREDENTIALS:
        return r->hss_verified ? SA_TEXT_WRONG_CREDENTIALS_HSS : SA_TEXT_WRONG_CREDENTIALS;
    case SA_FINDING_CREDENTIALS_CORRECT:
        return r->hss_verified ? SA_TEXT_CREDENTIALS_CORRECT_HSS : SA_TEXT_CREDENTIALS_CORRECT;
    case SA_FINDING_CORRECT_CREDENTIALS_REFUSED:
        return r->hss_verified ? SA_TEXT_CORRECT_REFUSED_HSS : SA_TEXT_CORRECT_REFUSED;
    case SA_FINDING_AKA_AUTN_INVALID:         return SA_TEXT_AKA_AUTN_INVALID;
    case SA_FINDING_CREDENTIAL_ATTACK:
        return r->attack_usernames > 0 ? SA_TEXT_ATTACK_USERNAMES : SA_TEXT_ATTACK_SCANNER;
    case SA_FINDING_SEC_SERVER_MISSING:       return SA_TEXT_SEC_SERVER_MISSING;
    case SA_FINDING_SEC_VERIFY_MISMATCH:      return SA_TEXT_SEC_VERIFY_MISMATCH;
    case SA_FINDING_RETRY_UNPROTECTED:        return SA_TEXT_RETRY_UNPROTECTED;
    case SA_FINDING_RETRY_IN_IPSEC:           return r->esp_null ? SA_TEXT_PROTECTED_NULL : SA_TEXT_PROTECTED_SA;
    case SA_FINDING_HSS_ERROR:                return SA_TEXT_HSS_ERROR_MAA;   /* a SIP result has none: see sa_cx_answer_text */
    case SA_FINDING_NO_AUTH_VECTOR:           return SA_TEXT_NO_AUTH_VECTOR;
    case SA_FINDING_RESYNC_LOOP:              return SA_TEXT_RESYNC_LOOP;
    case SA_FINDING_COUNT:                    break;
    }
    return SA_TEXT_TRUNCATED;
}

gboolean
sa_finding_is_detail(sa_finding_t finding, const sa_result_t *result)
{
    /* An attack is about the source, not this flow: it keeps its severity wherever it is raised. */
    return result->role == SA_ROLE_CHALLENGE && finding != result->statement
        && finding != SA_FINDING_CREDENTIAL_ATTACK;
}

sa_text_t
sa_finding_text_id(sa_finding_t finding, const sa_result_t *result)
{
    if (result->role == SA_ROLE_CHALLENGE && finding == result->statement && result->verdict != SA_VERDICT_UNKNOWN) {
        sa_text_t text = statement_text(result, result->verdict);
        if (text != SA_TEXT_COUNT && sa_text_finding(text) == finding)
            return text;
    }
    return own_text(finding, result);
}

sa_text_t
sa_verdict_text_id(const sa_result_t *result)
{
    return statement_text(result, result->verdict_now);
}

const char *
sa_text(sa_text_t text)
{
    static const char *const texts[] = {
#define SA_TEXT_STRING(id, finding, string) string,
        SA_TEXTS(SA_TEXT_STRING)
#undef SA_TEXT_STRING
    };
    return (guint)text < SA_TEXT_COUNT ? texts[text] : "";
}

sa_finding_t
sa_text_finding(sa_text_t text)
{
    static const sa_finding_t findings[] = {
#define SA_TEXT_FINDING(id, finding, string) SA_FINDING_##finding,
        SA_TEXTS(SA_TEXT_FINDING)
#undef SA_TEXT_FINDING
    };
    return (guint)text < SA_TEXT_COUNT ? findings[text] : SA_FINDING_COUNT;
}

const char *
sa_finding_text(sa_finding_t finding, const sa_result_t *result)
{
    return sa_text(sa_finding_text_id(finding, result));
}

const char *
sa_verdict_text(const sa_result_t *result)
{
    return sa_text(sa_verdict_text_id(result));
}

sa_text_t
sa_cx_answer_text_id(const sa_cx_answer_t *answer)
{
    return answer->command == 301 ? SA_TEXT_HSS_ERROR_SAA : SA_TEXT_HSS_ERROR_MAA;
}
