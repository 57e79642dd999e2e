/* The tracker's credential checks (SPEC section 10): a retry's Digest credentials against the challenge it
 * answers, without a secret (uri, algorithm, qop, nc, opaque, response, user name) and with one from the
 * secret source. Run once per retry, when it is linked; nothing of the secret is kept. */
#include "records.h"
#include "sipauth/credcheck.h"
#include "sipauth/verify.h"

G_STATIC_ASSERT(SA_AUTN_NOT_CHECKED < SA_AUTN_VALID && SA_AUTN_VALID < SA_AUTN_INVALID);

/* Unquoted values up to this long are read on the stack; longer ones (hostile nonces) on the heap. */
#define STACK_VALUE 512

void
sa_tracker_set_secret_source(sa_tracker_t *tracker, sa_secret_source_t source, gconstpointer source_data)
{
    if (tracker == NULL)
        return;
    tracker->secret_source = source;
    tracker->secret_source_data = source_data;
}

void
sa_note_challenge_params(sa_realm_nonce_t *slot, const char *header_value, const sa_auth_params_t *params)
{
    /* The challenge was read once, by the linking parser: its parameters are taken from there. */
    if (header_value == NULL || sa_digest_scheme(header_value, strlen(header_value)) != SA_SCHEME_DIGEST)
        return;
    slot->digest = 1;
    sa_span_t alg = params->algorithm;
    slot->algorithms |= SA_DIGEST_ALG_BIT(alg.ptr ? sa_digest_alg_from_name(alg.ptr, alg.len) : SA_DIGEST_ALG_MD5);
    if (params->qop.ptr)
        slot->qop |= (guint8)sa_digest_qop_set(params->qop);
    if (!slot->has_opaque && params->opaque.ptr) {
        slot->has_opaque = 1;
        slot->opaque_hash = sa_digest_text_hash(params->opaque);
    }
}

/* A parameter's unquoted value, in buf when it fits, else in *heap (the caller frees it). */
static sa_span_t
unquoted(const sa_digest_params_t *params, sa_digest_param_t param, char *buf, char **heap)
{
    sa_span_t out = { NULL, 0 };
    sa_span_t raw = params->value[param];
    *heap = NULL;
    if (raw.ptr == NULL)
        return out;
    char *room = raw.len <= STACK_VALUE ? buf : (*heap = g_malloc(raw.len));
    out.ptr = room;
    out.len = sa_digest_unquote(params, param, room);
    return out;
}

/* Whether credentials answer this attempt's realm r (their realm as kept is the challenge's). */
static gboolean
answers_realm(const sa_digest_params_t *cred, const sa_realm_nonce_t *slot)
{
    sa_span_t realm = cred->value[SA_DIGEST_REALM];
    if (realm.ptr == NULL || slot->realm == NULL)
        return FALSE;
    realm.len = MIN(realm.len, SA_MAX_STRING);
    return strlen(slot->realm) == realm.len && memcmp(slot->realm, realm.ptr, realm.len) == 0;
}

static gboolean
nonce_is(const sa_digest_params_t *cred, const char *nonce)
{
    sa_span_t value = cred->value[SA_DIGEST_NONCE];
    if (value.ptr == NULL || nonce == NULL || *nonce == '\0')
        return FALSE;
    value.len = MIN(value.len, SA_MAX_STRING);
    return strnlen(value.ptr, value.len) == strlen(nonce) && memcmp(value.ptr, nonce, strlen(nonce)) == 0;
}

/* What the challenges of the credentials' realm offered, merged over its slots (RFC 8760: one per algorithm). */
typedef struct {
    gboolean known;              /* a Digest challenge of that realm */
    sa_digest_alg_set_t algorithms;
    guint    qop;
    gboolean has_opaque;
    guint32  opaque_hash;
} offer_t;

static offer_t
offer_for(const sa_attempt_t *attempt, const sa_digest_params_t *cred)
{
    offer_t offer = { FALSE, 0, 0, FALSE, 0 };
    const sa_realm_nonce_t *opaque_slot = NULL;
    for (guint r = 0; r < attempt->n_realms; r++) {
        const sa_realm_nonce_t *slot = &attempt->realms[r];
        if (!slot->digest || !answers_realm(cred, slot))
            continue;
        offer.known = TRUE;
        offer.algorithms |= slot->algorithms;
        offer.qop |= slot->qop;
        /* The opaque of the challenge whose nonce is answered, else the realm's first. */
        if (slot->has_opaque && (opaque_slot == NULL || nonce_is(cred, slot->nonce)))
            opaque_slot = slot;
    }
    if (opaque_slot) {
        offer.has_opaque = TRUE;
        offer.opaque_hash = opaque_slot->opaque_hash;
    }
    return offer;
}

/* The findings that need no secret, for one credentials header that answers the challenge. */
static sa_finding_mask_t
unsecret_findings(const sa_attempt_t *attempt, const sa_txn_t *retry, const sa_event_t *event,
                  const sa_digest_params_t *cred, sa_qop_check_t *qop_check, sa_response_check_t *response_check)
{
    sa_finding_mask_t findings = 0;
    /* Past the first hop a proxy may have retargeted the Request-URI (RFC 3261 section 16.5; an I-CSCF
     * rewrites it to the S-CSCF): only a request as its UA sent it (one Via) is held to its uri. */
    if (event->request_uri && retry->via_count == 1) {
        sa_span_t ruri = { event->request_uri, strlen(event->request_uri) };
        if (!sa_check_uri_matches(cred, ruri))
            findings |= SA_FINDING_BIT(SA_FINDING_URI_MISMATCH);
    }
    offer_t offer = offer_for(attempt, cred);
    if (offer.known) {
        if (!sa_check_algorithm_offered(offer.algorithms, cred->algorithm))
            findings |= SA_FINDING_BIT(SA_FINDING_ALGORITHM_NOT_OFFERED);
        else if (sa_check_algorithm_downgrade(offer.algorithms, cred->algorithm))
            findings |= SA_FINDING_BIT(SA_FINDING_ALGORITHM_DOWNGRADE);
        *qop_check = sa_check_qop(offer.qop, cred);
        if (*qop_check != SA_QOP_CHECK_OK)
            findings |= SA_FINDING_BIT(SA_FINDING_QOP_MISMATCH);
        if (!sa_check_opaque_echoed(offer.has_opaque, offer.opaque_hash, cred))
            findings |= SA_FINDING_BIT(SA_FINDING_OPAQUE_MISMATCH);
    }
    /* The nonce the challenged request's credentials used (a flow's previous retry, or a request that reused
     * a nonce), again: its nc must be above theirs. */
    sa_nonce_use_t used;
    if (txn_nonce_use(attempt->request, &used) && sa_digest_has(cred, SA_DIGEST_NC)
            && sa_digest_value_hash(cred, SA_DIGEST_NONCE) == used.nonce_hash
            && !sa_check_nc_incremented(used.nc, cred))
        findings |= SA_FINDING_BIT(SA_FINDING_NC_NOT_INCREMENTED);
    *response_check = sa_check_response(cred);
    if (*response_check != SA_RESPONSE_CHECK_OK)
        findings |= SA_FINDING_BIT(SA_FINDING_RESPONSE_MALFORMED);
    const sa_txn_t *request = attempt->request;
    if (request->has_credentials && request->username) {
        sa_span_t previous = { request->username, strlen(request->username) };
        if (sa_check_username_changed(previous, cred))
            findings |= SA_FINDING_BIT(SA_FINDING_USERNAME_CHANGED);
    }
    return findings;
}

/* An algorithm no RFC names is shown as the UA wrote it (rare: kept aside, not in every attempt). */
static void
note_unknown_algorithm(sa_tracker_t *tracker, const sa_attempt_t *attempt, const sa_digest_params_t *cred)
{
    if (tracker->unknown_algs == NULL)
        tracker->unknown_algs = g_hash_table_new(g_direct_hash, g_direct_equal);
    const char *name = sa_intern_span(tracker, cred->value[SA_DIGEST_ALGORITHM]);
    g_hash_table_insert(tracker->unknown_algs, (gpointer)attempt, (gpointer)name);
}

/* Verifies one credentials header with the source's secret. */
static void
verify_one(const sa_tracker_t *tracker, const sa_event_t *event, const sa_digest_params_t *cred,
           sa_verify_result_t *result, gboolean *from_hss)
{
    *from_hss = FALSE;
    sa_verify_input_t input = { cred, event->method, event->body, event->body_len, event->body_cut };
    sa_secret_t secret;
    gboolean have = FALSE;
    if ((tracker->secret_source || tracker->hss) && cred->scheme == SA_SCHEME_DIGEST) {
        char user_buf[STACK_VALUE], realm_buf[STACK_VALUE], nonce_buf[STACK_VALUE];
        char *realm_heap, *nonce_heap;
        sa_secret_query_t query;
        memset(&query, 0, sizeof query);
        gssize user_len = sa_digest_username(cred, user_buf, sizeof user_buf - 1);
        if (user_len >= 0)
            user_buf[user_len] = '\0';
        sa_span_t realm = unquoted(cred, SA_DIGEST_REALM, realm_buf, &realm_heap);
        sa_span_t nonce = unquoted(cred, SA_DIGEST_NONCE, nonce_buf, &nonce_heap);
        if (user_len >= 0) {
            query.username = user_buf;
            query.username_len = (gsize)user_len;
            query.realm = realm.ptr;
            query.realm_len = realm.len;
            query.userhash = cred->userhash;
            query.algorithm = cred->algorithm;
            query.nonce = nonce.ptr;
            query.nonce_len = nonce.len;
            /* The HSS's vector first: it is what the S-CSCF checked the response against. */
            have = *from_hss = tracker->hss && sa_hss_secret(tracker, &query, &secret);
            if (!have && tracker->secret_source)
                have = tracker->secret_source(tracker->secret_source_data, &query, &secret);
        }
        g_free(realm_heap);
        g_free(nonce_heap);
    }
    sa_verify(&input, have ? &secret : NULL, result);
}

/* Of several credentials checked (one per challenged realm), the answer that matters most. */
static guint
credentials_rank(sa_credentials_t credentials)
{
    switch (credentials) {
    case SA_CREDENTIALS_WRONG:        return 4;
    case SA_CREDENTIALS_CANNOT_CHECK: return 3;
    case SA_CREDENTIALS_NOT_CHECKED:  return 2;
    case SA_CREDENTIALS_CORRECT:      return 1;
    case SA_CREDENTIALS_NONE:         break;
    }
    return 0;
}

static guint
qop_code(guint qop)
{
    if (qop & SA_QOP_AUTH_INT)
        return 2;
    if (qop & SA_QOP_AUTH)
        return 1;
    return qop ? 3 : 0;
}

void
sa_check_retry_credentials(sa_tracker_t *tracker, sa_attempt_t *attempt, sa_txn_t *retry, const sa_event_t *event)
{
    /* The header of the challenge's kind; the other one when the UA answered with the wrong header. */
    const sa_header_list_t *list = attempt->code == 407 ? &event->proxy_authorization : &event->authorization;
    if (list->count == 0)
        list = attempt->code == 407 ? &event->authorization : &event->proxy_authorization;
    if (list->values == NULL || list->count == 0)
        return;
    guint n = MIN(list->count, SA_MAX_REALMS);
    sa_finding_mask_t findings = 0;
    sa_verify_result_t chosen;
    memset(&chosen, 0, sizeof chosen);
    gboolean any = FALSE, chosen_hss = FALSE;
    sa_qop_check_t qop_check = SA_QOP_CHECK_OK;
    sa_response_check_t response_check = SA_RESPONSE_CHECK_OK;
    sa_autn_check_t autn = SA_AUTN_NOT_CHECKED;
    sa_digest_params_t cred;
    for (guint pass = 0; pass < 2 && !any; pass++) {
        /* First the credentials for a challenged realm; failing those, the first header whatever its realm. */
        for (guint i = 0; i < n; i++) {
            const char *value = list->values[i];
            if (value == NULL)
                continue;
            sa_digest_parse(value, strlen(value), &cred);
            gboolean answers = FALSE;
            for (guint r = 0; r < attempt->n_realms && !answers; r++)
                answers = answers_realm(&cred, &attempt->realms[r]);
            if (pass == 0 && !answers)
                continue;
            sa_verify_result_t result;
            gboolean from_hss;
            verify_one(tracker, event, &cred, &result, &from_hss);
            if (cred.scheme == SA_SCHEME_DIGEST) {
                sa_qop_check_t q = SA_QOP_CHECK_OK;
                sa_response_check_t rc = SA_RESPONSE_CHECK_OK;
                findings |= unsecret_findings(attempt, retry, event, &cred, &q, &rc);
                qop_check = qop_check ? qop_check : q;
                response_check = response_check ? response_check : rc;
                if (!attempt->retry_digest) {
                    attempt->retry_digest = 1;
                    attempt->retry_alg = cred.algorithm;
                    if (cred.algorithm == SA_DIGEST_ALG_UNKNOWN)
                        note_unknown_algorithm(tracker, attempt, &cred);
                    attempt->retry_qop = qop_code(cred.qop);
                }
            }
            if (!any || credentials_rank(result.credentials) > credentials_rank(chosen.credentials)) {
                chosen = result;
                chosen_hss = from_hss;
            }
            /* An AUTN that does not verify in any realm's challenge is said. */
            autn = MAX(autn, result.autn);
            any = TRUE;
            if (pass == 1)
                break;
        }
    }
    attempt->credentials = chosen.credentials;
    attempt->check_reason = chosen.reason;
    attempt->secret_hss = chosen_hss;
    attempt->autn = autn;
    attempt->qop_check = qop_check;
    attempt->response_check = response_check;
    if (chosen.credentials == SA_CREDENTIALS_WRONG)
        findings |= SA_FINDING_BIT(SA_FINDING_WRONG_CREDENTIALS);
    else if (chosen.credentials == SA_CREDENTIALS_CORRECT)
        findings |= SA_FINDING_BIT(SA_FINDING_CREDENTIALS_CORRECT);
    if (autn == SA_AUTN_INVALID) {
        findings |= SA_FINDING_BIT(SA_FINDING_AKA_AUTN_INVALID);
        attempt->findings |= SA_FINDING_BIT(SA_FINDING_AKA_AUTN_INVALID);
    }
    retry->retry_findings |= findings;
}
