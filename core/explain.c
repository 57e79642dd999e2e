/* The texts of findings: fixed per finding and case (no frame numbers or values in them). */
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

static const char *
failure_text(guint status)
{
    static const char *const texts[] = {
#define SA_FAILURE_TEXT(name, text) text,
        SA_FAILURES(SA_FAILURE_TEXT)
#undef SA_FAILURE_TEXT
    };
    sa_failure_t failure = sa_failure_of(status);
    return failure == SA_FAILURE_NONE ? texts[SA_FAILURE_OTHER] : texts[failure];
}

/* A verdict in words, on every challenge of the flow. */
static const char *
statement_text(const sa_result_t *r, sa_verdict_t verdict)
{
    switch (verdict) {
    case SA_VERDICT_ACCEPTED:
        return "Authentication step: the authenticated retry was accepted";
    case SA_VERDICT_ACCEPTED_AFTER_REFRESH:
        return "Authentication step: accepted after a nonce refresh";
    case SA_VERDICT_ACCEPTED_AFTER_REFUSAL:
        return "Accepted after refused credentials: a later retry got them right (count in sipauth.refusals)";
    case SA_VERDICT_REFUSED:
        switch (r->end) {
        case SA_END_STARTED_OVER:
            return "Credentials refused, then the UA started over without credentials: check user name, realm "
                   "and password (AKA keys in IMS)";
        case SA_END_CAPTURE_ENDED:
            return "Credentials refused; the capture ended before the UA tried again";
        case SA_END_NOT_YET:
            return "Credentials refused; no new try seen yet (single pass: tshark -2 tells how it ended)";
        default:
            return "Credentials refused, then the UA gave up: check user name, realm and password (AKA keys "
                   "in IMS)";
        }
    case SA_VERDICT_CHALLENGE_LOOP:
        return "Challenge loop: the credentials were refused again and again (password, AKA keys or realm)";
    case SA_VERDICT_NO_RETRY:
        if (r->no_challenge_header)
            return "No authenticated retry: the challenge carries no authenticate header to answer";
        if (r->last_was_refresh && r->end == SA_END_STARTED_OVER)
            return "No retry after a nonce refresh: the UA started over without credentials (without "
                   "stale=true, a UA may take the new challenge for refused credentials)";
        if (r->last_was_refresh && r->end == SA_END_GAVE_UP)
            return "No retry after a nonce refresh: the UA gave up (without stale=true, a UA may take the new "
                   "challenge for refused credentials)";
        switch (r->end) {
        case SA_END_STARTED_OVER:
            return "No authenticated retry: the UA started over without credentials (none configured for "
                   "this realm?)";
        case SA_END_CAPTURE_ENDED:
            return "No authenticated retry before the capture ended: the flow is cut by the capture, not "
                   "known to be broken";
        case SA_END_NOT_YET:
            return "No authenticated retry seen yet (single pass: tshark -2 tells how it ended)";
        default:
            return "No authenticated retry: the UA never answered the challenge (no credentials for this "
                   "realm, or the challenge did not reach it)";
        }
    case SA_VERDICT_REJECTED:
        return failure_text(r->failure_code);
    case SA_VERDICT_RETRY_UNANSWERED:
        if (r->end == SA_END_CAPTURE_ENDED)
            return "The authenticated retry got no final response before the capture ended";
        if (r->end == SA_END_NOT_YET)
            return "No final response to the authenticated retry seen yet (single pass: tshark -2 tells how it "
                   "ended)";
        return "The authenticated retry never got a final response: the server or the path beyond it did "
               "not answer";
    case SA_VERDICT_RETRY_PROTECTED:
        return "The authenticated retry went inside IPsec: its result is not visible in this capture";
    case SA_VERDICT_UNKNOWN:
    case SA_VERDICT_NONE:
        break;
    }
    return "Authentication flow";
}

static const char *
slow_retry_text(const sa_result_t *r)
{
    if (r->dns_queries == 0)
        return "Authenticated retry came late; the capture shows no DNS query from the UA in between (a "
               "password prompt, or traffic not captured)";
    if (r->dns_unanswered == r->dns_queries)
        return "Authenticated retry came late; in between, the UA's DNS queries went unanswered";
    if (r->dns_unanswered > 0)
        return "Authenticated retry came late; in between, some of the UA's DNS queries went unanswered";
    return "Authenticated retry came late; in between, the UA made DNS queries, all answered";
}

/* A finding's own text, wherever it stands. */
static const char *
own_text(sa_finding_t finding, const sa_result_t *r)
{
    gboolean proxy = r->challenge_code == 407;
    switch (finding) {
    case SA_FINDING_MISSING_RETRY:
        return "No authenticated retry after this challenge";
    case SA_FINDING_RETRY_CHALLENGED:
        return "The retry before this challenge was challenged again without stale=true: credentials refused";
    case SA_FINDING_STALE_NONCE:
        return r->stale_by_reason
            ? "Challenged again with a reason phrase about the nonce, without stale=true: a nonce refresh "
              "(a UA may read it as a refusal)"
            : "Challenged again with stale=true: a normal nonce refresh";
    case SA_FINDING_CHALLENGE_LOOP:
        return "Challenge loop: the credentials were refused again and again (password, AKA keys or realm)";
    case SA_FINDING_RETRY_FAILED:
        return failure_text(r->role == SA_ROLE_RESULT ? r->result_code : r->failure_code);
    case SA_FINDING_RETRY_UNANSWERED:
        return "No final response to this authenticated retry in the capture";
    case SA_FINDING_WRONG_HEADER:
        return proxy ? "Retry answers a 407 with Authorization instead of Proxy-Authorization"
                     : "Retry answers a 401 with Proxy-Authorization instead of Authorization";
    case SA_FINDING_CSEQ_NOT_INCREMENTED:
        return "Retry CSeq is not above the challenged request's CSeq (RFC 3261 22.2)";
    case SA_FINDING_NONCE_MISMATCH:
        return "Retry nonce is not the challenged nonce: stale or reused credentials";
    case SA_FINDING_REALM_MISMATCH:
        return "Retry realm is none of the challenged realms";
    case SA_FINDING_MISSING_CHALLENGE_HEADER:
        return proxy ? "407 without Proxy-Authenticate: the UA cannot answer this challenge"
                     : "401 without WWW-Authenticate: the UA cannot answer this challenge";
    case SA_FINDING_NO_ACK:
        return "This challenge to an INVITE was never ACKed: did the UA receive it?";
    case SA_FINDING_CHALLENGE_RETRANSMITTED:
        return "Challenge sent again: its ACK or the request retransmission was lost";
    case SA_FINDING_AKA_RESYNC:
        return "Retry carries auts: IMS AKA synchronisation failure (sequence number out of range)";
    case SA_FINDING_CHALLENGE_ANSWERED:
        return "Authentication step: the authenticated retry was accepted";
    case SA_FINDING_ANALYSIS_TRUNCATED:
        return "Analysis bound reached: part of this message was not analysed";
    case SA_FINDING_SLOW_RETRY:
        return slow_retry_text(r);
    case SA_FINDING_COUNT:
        break;
    }
    return "SIPAUTH finding";
}

gboolean
sa_finding_is_detail(sa_finding_t finding, const sa_result_t *result)
{
    return result->role == SA_ROLE_CHALLENGE && finding != result->statement;
}

const char *
sa_finding_text(sa_finding_t finding, const sa_result_t *result)
{
    if (result->role == SA_ROLE_CHALLENGE && finding == result->statement && result->verdict != SA_VERDICT_UNKNOWN)
        return statement_text(result, result->verdict);
    return own_text(finding, result);
}

const char *
sa_verdict_text(const sa_result_t *result)
{
    return statement_text(result, result->verdict_now);
}
