/* The tracker's rules: feeding messages, linking challenges to their requests, ACKs and retries (RFC 3261),
 * and the checks on each retry. */
#include "records.h"
#include "sipauth/explain.h"

/* The credentials of a request, parsed once while it is fed. */
typedef struct {
    gboolean has_authorization;
    gboolean has_proxy_authorization;
    gboolean any_nonempty;
    gboolean auts;
    gboolean cut;                /* a bound left part of them out or cut a value */
    guint    n_auth;
    sa_auth_params_t auth[SA_MAX_REALMS];
    guint    n_proxy;
    sa_auth_params_t proxy[SA_MAX_REALMS];
} sa_request_creds_t;

void
sa_config_init_defaults(sa_config_t *config)
{
    config->track_401 = TRUE;
    config->retry_timeout_s = 32;
    config->loop_threshold = 3;
    config->heuristic_call_id = TRUE;
    config->slow_retry_s = 5;
    config->attack_usernames = 5;
    config->attack_window_s = 60;
}

static gboolean
is_tracked_challenge(const sa_tracker_t *tracker, guint status)
{
    return status == 407 || (status == 401 && tracker->config.track_401);
}

/* Parses up to SA_MAX_REALMS headers of a list; FALSE if the bound left some out. */
static gboolean
parse_auth_list(const sa_header_list_t *list, sa_auth_params_t *out, guint *n_out)
{
    *n_out = 0;
    if (list->values == NULL)
        return TRUE;
    guint i = 0;
    for (; i < list->count && *n_out < SA_MAX_REALMS; i++) {
        if (sa_parse_auth(list->values[i], &out[*n_out]))
            (*n_out)++;
    }
    /* Headers left unread past the bound: whether any would have counted is not worth finding out. */
    return i == list->count;
}

/* Both credential headers, Authorization first, as one list. */
static guint
credential_count(const sa_request_creds_t *creds)
{
    return creds->n_auth + creds->n_proxy;
}

static const sa_auth_params_t *
credential_at(const sa_request_creds_t *creds, guint i)
{
    return i < creds->n_auth ? &creds->auth[i] : &creds->proxy[i - creds->n_auth];
}

/* Credentials of another scheme (Bearer, RFC 8898) are credentials too, whatever their parameters. */
static gboolean
any_other_scheme(const sa_header_list_t *list)
{
    for (guint i = 0; list->values && i < list->count; i++)
        if (list->values[i] && sa_digest_scheme(list->values[i], strlen(list->values[i])) == SA_SCHEME_OTHER)
            return TRUE;
    return FALSE;
}

static void
parse_credentials(const sa_event_t *event, sa_request_creds_t *creds)
{
    memset(creds, 0, sizeof *creds);
    creds->has_authorization = event->authorization.count > 0;
    creds->has_proxy_authorization = event->proxy_authorization.count > 0;
    creds->cut = !parse_auth_list(&event->authorization, creds->auth, &creds->n_auth);
    creds->cut = !parse_auth_list(&event->proxy_authorization, creds->proxy, &creds->n_proxy) || creds->cut;
    for (guint i = 0; i < credential_count(creds); i++) {
        const sa_auth_params_t *params = credential_at(creds, i);
        /* IMS initial REGISTER: nonce="" and response="" are no credentials yet (TS 24.229). */
        if (!sa_span_is_empty(params->nonce) || !sa_span_is_empty(params->response))
            creds->any_nonempty = TRUE;
        if (params->auts.ptr)
            creds->auts = TRUE;
        /* Realms and nonces are compared as kept (cut to SA_MAX_STRING), user names kept so. */
        if (params->realm.len > SA_MAX_STRING || params->nonce.len > SA_MAX_STRING
                || params->username.len > SA_MAX_STRING)
            creds->cut = TRUE;
    }
    if (!creds->any_nonempty)
        creds->any_nonempty = any_other_scheme(&event->authorization) || any_other_scheme(&event->proxy_authorization);
}

static const sa_auth_params_t *
first_username(const sa_request_creds_t *creds)
{
    for (guint i = 0; i < creds->n_proxy; i++)
        if (creds->proxy[i].username.ptr)
            return &creds->proxy[i];
    for (guint i = 0; i < creds->n_auth; i++)
        if (creds->auth[i].username.ptr)
            return &creds->auth[i];
    return NULL;
}

/* The parts of a message that identify its transaction and hop. */
typedef struct {
    guint32   cseq;
    sa_span_t cseq_method;
    sa_via_t  top_via;
    guint     via_count;
    const char *from_value;
    gboolean  from_parsed;       /* From is read only when needed: for a new transaction or an RFC 2543 key */
    sa_from_t from;
} sa_ids_t;

static gboolean
read_ids(const sa_event_t *event, sa_ids_t *ids)
{
    memset(ids, 0, sizeof *ids);
    if (event->call_id == NULL || !sa_parse_cseq(event->cseq, &ids->cseq, &ids->cseq_method))
        return FALSE;
    for (guint i = 0; event->via.values && i < event->via.count; i++) {
        sa_via_t via;
        guint entries = sa_parse_via(event->via.values[i], &via);
        if (ids->via_count == 0 && entries > 0)
            ids->top_via = via;
        ids->via_count += entries;
    }
    ids->from_value = event->from;
    return TRUE;
}

static const sa_from_t *
ids_from(sa_ids_t *ids)
{
    if (!ids->from_parsed) {
        sa_parse_from(ids->from_value, &ids->from);
        ids->from_parsed = TRUE;
    }
    return &ids->from;
}

static gboolean
span_is_literal(sa_span_t span, const char *literal)
{
    gsize len = strlen(literal);
    return span.len == len && memcmp(span.ptr, literal, len) == 0;
}

/* RFC 3261 17.1.3: branch + CSeq; RFC 2543 peers: Call-ID + CSeq + From tag. ACK joins its INVITE. */
static sa_key_t
txn_key(sa_key_builder_t *builder, const sa_event_t *event, sa_ids_t *ids)
{
    key_start(builder);
    key_add_str(builder, event->call_id);
    key_add_span(builder, ids->top_via.host);
    const sa_span_t *branch = &ids->top_via.branch;
    if (branch->len > 7 && strncmp(branch->ptr, "z9hG4bK", 7) == 0)
        key_add_span(builder, *branch);
    else
        key_add_span(builder, ids_from(ids)->tag);
    if (span_is_literal(ids->cseq_method, "ACK"))
        key_add_str(builder, "INVITE");
    else
        key_add_span(builder, ids->cseq_method);
    key_add_number(builder, ids->cseq);
    return key_finish(builder);
}

/* Where a transaction's retry comes from: Call-ID + CSeq method + sender host + Via count. */
static sa_key_t
hop_key(sa_key_builder_t *builder, const sa_txn_t *txn)
{
    key_start(builder);
    key_add_str(builder, txn_call_id(txn));
    key_add_str(builder, txn->method);
    key_add_str(builder, txn_host(txn));
    key_add_number(builder, txn->via_count);
    return key_finish(builder);
}

static sa_txn_t *
new_txn(sa_tracker_t *tracker, sa_ids_t *ids, const sa_key_t *key, const sa_nonce_use_t *nonce_use,
        const sa_txn_ext_t *ext, sa_reg_kind_t reg_kind)
{
    /* The From URI follows the key bytes: one record, written in one place. */
    sa_span_t from_uri = ids_from(ids)->uri;
    gsize from_len = from_uri.ptr ? MIN(from_uri.len, SA_MAX_STRING) + 1 : 0;
    tracker->feed_cut = tracker->feed_cut || from_uri.len > SA_MAX_STRING;
    gboolean has_ua = ext && ext->user_agent, has_to = ext && ext->to_uri;
    gsize tail = (nonce_use ? sizeof *nonce_use : 0) + txn_ext_size(has_ua, has_to, reg_kind != SA_REG_NONE);
    sa_txn_t *txn = sa_arena_alloc0(tracker->records, sizeof *txn + key->len + from_len + tail);
    store_key(&txn->key, txn->key_bytes, key);
    if (from_uri.ptr) {
        char *stored = txn->key_bytes + key->len;
        memcpy(stored, from_uri.ptr, from_len - 1);
        txn->from_uri = stored;
    }
    if (nonce_use) {
        memcpy(txn->key_bytes + key->len + from_len, nonce_use, sizeof *nonce_use);
        txn->has_nonce_use = 1;
    }
    txn->has_user_agent = has_ua;
    txn->has_to_uri = has_to;
    txn->reg_kind = reg_kind;
    if (ext)
        txn_set_ext(txn, ext);
    sa_keytable_insert(tracker->txn_by_key, txn);
    const char *host = txn_host(txn);
    const char *branch = host + strlen(host) + 1;
    const char *key_method = branch + strlen(branch) + 1;
    /* The key says INVITE for ACK: a (nonsensical) response to an ACK keeps its own method. */
    txn->method = span_is_literal(ids->cseq_method, "ACK") ? "ACK" : key_method;
    txn->via_count = ids->via_count;
    txn->cseq = ids->cseq;
    return txn;
}

/* The nonce and nc of a request's credentials (the first with both), for a later retry that uses it again. */
static gboolean
nonce_use_of(const sa_request_creds_t *creds, sa_nonce_use_t *use)
{
    for (guint i = 0; i < credential_count(creds); i++) {
        const sa_auth_params_t *params = credential_at(creds, i);
        if (!sa_span_is_empty(params->nonce) && sa_digest_nc_value(params->nc, &use->nc)) {
            use->nonce_hash = sa_digest_text_hash(params->nonce);
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean
credentials_echo_nonce(const sa_request_creds_t *creds, const sa_attempt_t *attempt)
{
    for (guint i = 0; i < credential_count(creds); i++) {
        const sa_auth_params_t *params = credential_at(creds, i);
        if (sa_span_is_empty(params->nonce))
            continue;
        for (guint r = 0; r < attempt->n_realms; r++) {
            const char *nonce = attempt->realms[r].nonce;
            if (nonce && *nonce && sa_span_is_stored(params->nonce, nonce))
                return TRUE;
        }
    }
    return FALSE;
}

/* Whether a span, cut as it is kept, is a kept string (never when the string is absent). */
static gboolean
span_is_str(sa_span_t span, const char *str)
{
    if (str == NULL)
        return FALSE;
    sa_span_t other = { str, strlen(str) };
    return sa_span_equal(span.ptr ? span_as_kept(span) : span, other);
}

/* The checks of RFC 3261 22.2-22.3 on a retry against the challenge it answers. */
static sa_finding_mask_t
retry_findings(const sa_attempt_t *attempt, const sa_txn_t *retry, const sa_request_creds_t *creds)
{
    sa_finding_mask_t findings = 0;
    gboolean proxy = attempt->code == 407;
    gboolean has_right = proxy ? creds->has_proxy_authorization : creds->has_authorization;
    if (!has_right)
        findings |= SA_FINDING_BIT(SA_FINDING_WRONG_HEADER);
    if (retry->cseq <= attempt->request->cseq)
        findings |= SA_FINDING_BIT(SA_FINDING_CSEQ_NOT_INCREMENTED);
    if (creds->auts)
        findings |= SA_FINDING_BIT(SA_FINDING_AKA_RESYNC);

    if (attempt->n_realms == 0)
        return findings;
    const sa_auth_params_t *list = proxy ? creds->proxy : creds->auth;
    guint n = proxy ? creds->n_proxy : creds->n_auth;
    if (!has_right) {
        list = proxy ? creds->auth : creds->proxy;
        n = proxy ? creds->n_auth : creds->n_proxy;
    }
    /* A resent challenge may carry a new nonce (stateless proxies): any challenged nonce of the realm counts. */
    gboolean realm_found = FALSE;
    gboolean any_realm = FALSE;      /* credentials of another scheme (Bearer) name none: not ours to judge */
    for (guint i = 0; i < n; i++) {
        any_realm = any_realm || list[i].realm.ptr != NULL;
        gboolean realm_known = FALSE;
        gboolean nonce_known = FALSE;
        for (guint r = 0; r < attempt->n_realms; r++) {
            if (!span_is_str(list[i].realm, attempt->realms[r].realm))
                continue;
            realm_known = TRUE;
            nonce_known = nonce_known || span_is_str(list[i].nonce, attempt->realms[r].nonce);
        }
        realm_found = realm_found || realm_known;
        if (realm_known && !nonce_known)
            findings |= SA_FINDING_BIT(SA_FINDING_NONCE_MISMATCH);
    }
    if (any_realm && !realm_found)
        findings |= SA_FINDING_BIT(SA_FINDING_REALM_MISMATCH);
    return findings;
}

static void
forget_pending(sa_tracker_t *tracker, sa_attempt_t *attempt)
{
    sa_keytable_remove(tracker->pending_by_hop, attempt);
    for (guint r = 0; r < attempt->n_realms; r++) {
        const char *nonce = attempt->realms[r].nonce;
        if (nonce == NULL)
            continue;
        sa_key_t key = sa_key_make(nonce, strlen(nonce));
        sa_nonce_entry_t *entry = sa_keytable_lookup(tracker->pending_by_nonce, &key);
        if (entry && entry->attempt == attempt)
            sa_keytable_remove(tracker->pending_by_nonce, entry);
    }
}

static void
link_retry(sa_tracker_t *tracker, sa_attempt_t *attempt, sa_txn_t *retry, const sa_event_t *event,
           const sa_request_creds_t *creds, gboolean heuristic)
{
    attempt->retry = retry;
    attempt->heuristic = heuristic;
    guint with_realm = 0;
    for (guint i = 0; i < credential_count(creds); i++)
        with_realm += credential_at(creds, i)->realm.ptr != NULL;
    tracker->feed_cut = tracker->feed_cut || with_realm > SA_MAX_REALMS;
    with_realm = MIN(with_realm, SA_MAX_REALMS);
    if (with_realm > 0)
        attempt->retry_realms = sa_arena_alloc0(tracker->records, with_realm * sizeof(const char *));
    for (guint i = 0; i < credential_count(creds) && attempt->n_retry_realms < with_realm; i++) {
        const sa_auth_params_t *params = credential_at(creds, i);
        if (params->realm.ptr)
            attempt->retry_realms[attempt->n_retry_realms++] = sa_intern_span(tracker, params->realm);
    }
    retry->answers = attempt;
    retry->retry_findings = retry_findings(attempt, retry, creds);
    sa_sec_note_retry(tracker, attempt, event);
    sa_check_retry_credentials(tracker, attempt, retry, event);
    forget_pending(tracker, attempt);
}

static gboolean
within_timeout(const sa_tracker_t *tracker, const sa_attempt_t *attempt, gint64 time_ns)
{
    gint64 delay = time_ns - attempt->challenge_time;
    return delay >= 0 && delay <= (gint64)tracker->config.retry_timeout_s * SA_NS_PER_S;
}

/* A non-compliant UA retries with a new Call-ID: find its challenge by the nonce it echoes. */
static sa_attempt_t *
find_by_nonce(sa_tracker_t *tracker, const sa_txn_t *txn, const sa_request_creds_t *creds)
{
    for (guint i = 0; i < credential_count(creds); i++) {
        const sa_auth_params_t *params = credential_at(creds, i);
        if (sa_span_is_empty(params->nonce))
            continue;
        /* Stored nonces are cut to SA_MAX_STRING and end at their first NUL: so does the one looked up. */
        sa_span_t nonce = span_as_kept(params->nonce);
        sa_key_t key = sa_key_make(nonce.ptr, strnlen(nonce.ptr, nonce.len));
        const sa_nonce_entry_t *entry = sa_keytable_lookup(tracker->pending_by_nonce, &key);
        sa_attempt_t *attempt = entry ? entry->attempt : NULL;
        if (attempt == NULL || attempt->retry || attempt->abandoned)
            continue;
        const sa_txn_t *challenged = attempt->request;
        if (g_strcmp0(txn_call_id(challenged), txn_call_id(txn)) == 0
                || g_strcmp0(challenged->method, txn->method) != 0
                || challenged->from_uri == NULL
                || g_strcmp0(challenged->from_uri, txn->from_uri) != 0
                || !within_timeout(tracker, attempt, txn->request_time))
            continue;
        for (guint r = 0; r < attempt->n_realms; r++)
            if (span_is_str(params->realm, attempt->realms[r].realm))
                return attempt;
    }
    return NULL;
}

/* A new request: the retry of a pending challenge, the sign it was abandoned, or neither. */
static void
link_new_request(sa_tracker_t *tracker, sa_txn_t *txn, const sa_event_t *event, const sa_request_creds_t *creds)
{
    sa_key_builder_t builder;
    sa_key_t hop = hop_key(&builder, txn);
    sa_attempt_t *pending = sa_keytable_lookup(tracker->pending_by_hop, &hop);
    if (pending && pending->request != txn) {
        if (!creds->any_nonempty) {
            pending->abandoned = TRUE;
            forget_pending(tracker, pending);
            return;
        }
        if (credentials_echo_nonce(creds, pending) || within_timeout(tracker, pending, txn->request_time)) {
            link_retry(tracker, pending, txn, event, creds, FALSE);
            return;
        }
        forget_pending(tracker, pending);
    }
    if (creds->any_nonempty && tracker->config.heuristic_call_id) {
        sa_attempt_t *by_nonce = find_by_nonce(tracker, txn, creds);
        if (by_nonce)
            link_retry(tracker, by_nonce, txn, event, creds, TRUE);
    }
}

/* Records the realms and nonces of a challenge or of a resent copy of it, which a stateless proxy fills
 * with a fresh nonce. When the list is full the last slot keeps the newest nonce, the one a UA answers. */
static void
add_challenge_params(sa_tracker_t *tracker, sa_attempt_t *attempt, const sa_event_t *event)
{
    const sa_header_list_t *headers = event->status == 407 ? &event->proxy_authenticate
                                                           : &event->www_authenticate;
    sa_auth_params_t params[SA_MAX_REALMS];
    const char *values[SA_MAX_REALMS];
    guint n_params = 0;
    for (guint h = 0; headers->values && h < headers->count; h++) {
        if (n_params == SA_MAX_REALMS) {
            tracker->feed_cut = TRUE;
            break;
        }
        if (sa_parse_auth(headers->values[h], &params[n_params]))
            values[n_params++] = headers->values[h];
    }
    for (guint i = 0; i < n_params; i++) {
        const char *realm = sa_intern_span(tracker, params[i].realm);
        gboolean known = FALSE;
        for (guint r = 0; r < attempt->n_realms && !known; r++)
            known = attempt->realms[r].realm == realm && sa_span_is_stored(params[i].nonce, attempt->realms[r].nonce);
        if (known) {
            /* The same realm and nonce again (one header per algorithm, RFC 8760): what it offers joins. */
            for (guint r = 0; r < attempt->n_realms; r++)
                if (attempt->realms[r].realm == realm && sa_span_is_stored(params[i].nonce, attempt->realms[r].nonce))
                    sa_note_challenge_params(&attempt->realms[r], values[i], &params[i]);
            continue;
        }
        /* Nonces are copied, not interned: each is new, and the interning table would only grow. */
        const char *nonce = sa_copy_span(tracker, params[i].nonce);
        attempt->stale = attempt->stale || params[i].stale;
        if (attempt->n_realms == 1 && attempt->realms == &attempt->first_realm) {
            attempt->realms = sa_arena_alloc0(tracker->records, SA_MAX_REALMS * sizeof *attempt->realms);
            attempt->realms[0] = attempt->first_realm;
        }
        tracker->feed_cut = tracker->feed_cut || attempt->n_realms == SA_MAX_REALMS;
        guint slot = MIN(attempt->n_realms, SA_MAX_REALMS - 1);
        memset(&attempt->realms[slot], 0, sizeof attempt->realms[slot]);
        attempt->realms[slot].realm = realm;
        attempt->realms[slot].nonce = nonce;
        sa_note_challenge_params(&attempt->realms[slot], values[i], &params[i]);
        attempt->n_realms = (guint8)(slot + 1);
        if (nonce && *nonce && attempt->retry == NULL && !attempt->abandoned) {
            sa_nonce_entry_t *entry = sa_arena_alloc0(tracker->records, sizeof *entry);
            entry->key = sa_key_make(nonce, strlen(nonce));
            entry->attempt = attempt;
            sa_keytable_insert(tracker->pending_by_nonce, entry);
        }
    }
}

/* Refused credentials are challenged again in a realm they answered; a challenge only in other realms
 * is a further authentication domain (a proxy's 407, then the callee's 401). */
static gboolean
challenges_answered_realm(const sa_attempt_t *challenge, const sa_attempt_t *answered)
{
    if (challenge->n_realms == 0 || answered->n_retry_realms == 0)
        return TRUE;
    for (guint r = 0; r < challenge->n_realms; r++)
        for (guint a = 0; a < answered->n_retry_realms; a++)
            if (g_strcmp0(challenge->realms[r].realm, answered->retry_realms[a]) == 0)
                return TRUE;
    return FALSE;
}

/* Servers that refresh a nonce without stale=true say so in the reason phrase ("401 nonce has changed",
 * "Stale nonce"): that is a nonce refresh, not refused credentials. */
static gboolean
reason_says_nonce_refresh(const char *reason)
{
    if (reason == NULL)
        return FALSE;
    for (const char *p = reason; *p; p++)
        if (g_ascii_strncasecmp(p, "nonce", 5) == 0 || g_ascii_strncasecmp(p, "stale", 5) == 0)
            return TRUE;
    return FALSE;
}

static void
open_attempt(sa_tracker_t *tracker, sa_txn_t *txn, const sa_event_t *event)
{
    sa_key_builder_t builder;
    sa_key_t hop = hop_key(&builder, txn);
    sa_attempt_t *attempt = sa_arena_alloc0(tracker->records, sizeof *attempt + hop.len);
    store_key(&attempt->hop, attempt->hop_bytes, &hop);
    g_ptr_array_add(tracker->attempts, attempt);
    attempt->request = txn;
    attempt->challenge_frame = event->frame;
    attempt->challenge_time = event->time_ns;
    attempt->code = (guint16)event->status;
    attempt->realms = &attempt->first_realm;
    txn->challenged = attempt;

    if ((event->status == 407 ? event->proxy_authenticate.count : event->www_authenticate.count) == 0)
        attempt->findings |= SA_FINDING_BIT(SA_FINDING_MISSING_CHALLENGE_HEADER);
    add_challenge_params(tracker, attempt, event);
    if (tracker->sec || event->security_server.count)
        sa_sec_note_challenge(tracker, attempt, event);
    if (tracker->hss)
        sa_hss_note_challenge(tracker, attempt, event);
    sa_flow_t *flow;
    if (txn->answers) {
        flow = txn->answers->flow;
        attempt->number = txn->answers->number + 1;
    } else {
        flow = sa_arena_alloc0(tracker->records, sizeof *flow);
        flow->id = ++tracker->n_flows;
        flow->first = attempt;
        attempt->number = 1;
    }
    attempt->flow = flow;
    attempt->flow_id = flow->id;
    flow->last = attempt;

    if ((txn->answers || txn->has_credentials) && !attempt->stale && reason_says_nonce_refresh(event->reason))
        attempt->stale_by_reason = 1;
    /* The challenge after an auts retry brings the HSS's new vector (TS 33.203 6.1.2): a refresh, not a
     * refusal; a second resynchronisation is resync_loop. */
    if (txn->answers && (txn->retry_findings & SA_FINDING_BIT(SA_FINDING_AKA_RESYNC)))
        attempt->after_resync = 1;
    gboolean refresh = sa_attempt_is_refresh(attempt);
    if (!refresh && flow->nonstale_challenges < SA_FLOW_COUNT_MAX)
        flow->nonstale_challenges++;
    if (txn->answers || txn->has_credentials) {
        if (refresh) {
            if (!attempt->after_resync)
                attempt->findings |= SA_FINDING_BIT(SA_FINDING_STALE_NONCE);
            flow->refreshes += flow->refreshes < 127u;
        } else if (txn->answers && challenges_answered_realm(attempt, txn->answers)) {
            attempt->findings |= SA_FINDING_BIT(SA_FINDING_RETRY_CHALLENGED);
            flow->refusals += flow->refusals < SA_FLOW_COUNT_MAX;
            sa_attacks_note_refusal(tracker, attempt, FALSE, event->dst, txn, event->time_ns);
        }
    }
    sa_attacks_note_challenge(tracker, event->dst);
    if (txn->scanner_ua) {
        sa_txn_ext_t ext;
        txn_ext(txn, &ext);
        sa_attacks_note_scanner(tracker, attempt, event->dst, ext.user_agent);
    }
    if (!refresh && tracker->config.loop_threshold > 0
            && flow->nonstale_challenges >= tracker->config.loop_threshold) {
        attempt->findings |= SA_FINDING_BIT(SA_FINDING_CHALLENGE_LOOP);
        flow->looped = 1;
    }

    sa_keytable_insert(tracker->pending_by_hop, attempt);
}

/* Interns a User-Agent (few distinct ones per capture; past a bound, hostile input: not kept) and says whether
 * it names a scanner. */
#define SA_MAX_USER_AGENTS 4096
static const char *
intern_user_agent(sa_tracker_t *tracker, const char *value, gboolean *scanner)
{
    *scanner = FALSE;
    if (value == NULL || *value == '\0')
        return NULL;
    /* strncmp also compares the end: equal means the same text, or the same cut of a longer one */
    if (tracker->last_user_agent && strncmp(tracker->last_user_agent, value, SA_MAX_STRING) == 0) {
        *scanner = tracker->last_user_agent_scanner;
        return tracker->last_user_agent;
    }
    if (tracker->user_agents == NULL)
        tracker->user_agents = g_hash_table_new(g_str_hash, g_str_equal);
    gpointer stored, flags;
    char cut[SA_MAX_STRING + 1];
    g_strlcpy(cut, value, sizeof cut);
    if (g_hash_table_lookup_extended(tracker->user_agents, cut, &stored, &flags)) {
        *scanner = GPOINTER_TO_UINT(flags) == 2;
        tracker->last_user_agent = stored;
        tracker->last_user_agent_scanner = *scanner;
        return stored;
    }
    *scanner = sa_user_agent_is_scanner(cut);
    if (g_hash_table_size(tracker->user_agents) >= SA_MAX_USER_AGENTS)
        return NULL;
    char *copy = g_string_chunk_insert(tracker->strings, cut);
    g_hash_table_insert(tracker->user_agents, copy, GUINT_TO_POINTER(1u + (*scanner ? 1u : 0u)));
    tracker->last_user_agent = copy;
    tracker->last_user_agent_scanner = *scanner;
    return copy;
}

/* What a new request's record keeps besides its key: its User-Agent, and a REGISTER's AOR and bindings.
 * FALSE when there is nothing to keep (no extension). */
static gboolean
request_ext(sa_tracker_t *tracker, const sa_event_t *event, sa_ids_t *ids, sa_txn_ext_t *ext,
            sa_reg_kind_t *kind, gboolean *scanner)
{
    memset(ext, 0, sizeof *ext);
    ext->request_expires = ext->granted_expires = SA_EXPIRES_NONE;
    *kind = SA_REG_NONE;
    ext->user_agent = intern_user_agent(tracker, event->user_agent, scanner);
    if (g_strcmp0(event->method, "REGISTER") != 0)
        return ext->user_agent != NULL;
    sa_from_t to;
    if (sa_parse_from(event->to, &to) && to.uri.ptr && !sa_span_equal(to.uri, ids_from(ids)->uri))
        ext->to_uri = sa_copy_span(tracker, to.uri);
    sa_bindings_t bindings;
    sa_parse_bindings(event->contact.values, event->contact.count, event->expires, &bindings);
    if (bindings.star || bindings.all_zero)
        *kind = SA_REG_UNBIND;
    else
        *kind = bindings.contacts > 0 ? SA_REG_BIND : SA_REG_QUERY;
    ext->request_expires = bindings.star ? 0 : bindings.max_expires;
    return TRUE;
}

/* A REGISTER's first final response: when it came and, for a 2xx, the AOR's bindings it lists (RFC 3261 10.3
 * step 8): the longest is how long the AOR stays registered; none left is 0. */
static void
note_register_final(sa_txn_t *txn, const sa_event_t *event)
{
    sa_txn_ext_t ext;
    if (txn->reg_kind == SA_REG_NONE || !txn_ext(txn, &ext))
        return;
    ext.final_time = event->time_ns;
    if (event->status >= 300) {
        txn_set_ext(txn, &ext);
        return;
    }
    sa_bindings_t bindings;
    sa_parse_bindings(event->contact.values, event->contact.count, event->expires, &bindings);
    if (bindings.contacts == 0)
        ext.granted_expires = 0;
    else
        ext.granted_expires = bindings.max_expires != SA_EXPIRES_NONE ? bindings.max_expires : ext.request_expires;
    txn_set_ext(txn, &ext);
}

static void
set_request(sa_tracker_t *tracker, sa_txn_t *txn, const sa_event_t *event, const sa_request_creds_t *creds)
{
    txn->request_frame = event->frame;
    txn->request_time = event->time_ns;
    txn->has_credentials = creds->any_nonempty;
    const sa_auth_params_t *with_user = first_username(creds);
    txn->username = with_user ? sa_copy_span(tracker, with_user->username) : NULL;
}

static sa_msg_id_t
feed_request(sa_tracker_t *tracker, const sa_event_t *event, sa_ids_t *ids)
{
    sa_key_builder_t builder;
    sa_key_t key = txn_key(&builder, event, ids);
    tracker->feed_cut = tracker->feed_cut || builder.cut;
    sa_txn_t *txn = sa_keytable_lookup(tracker->txn_by_key, &key);

    if (g_strcmp0(event->method, "ACK") == 0) {
        if (txn == NULL || txn->challenged == NULL)
            return 0;
        if (txn->ack_frame == 0)
            txn->ack_frame = event->frame;
        return add_msg(tracker, txn, SA_MSG_ACK, FALSE);
    }
    if (g_strcmp0(event->method, "CANCEL") == 0)
        return 0;

    sa_request_creds_t creds;
    if (txn) {
        /* A late copy after its retry was linked (a slower capture point) is no longer the request. */
        if (txn->request_frame != 0 || (txn->challenged && txn->challenged->retry))
            return add_msg(tracker, txn, SA_MSG_REQUEST_AGAIN, FALSE);
        /* Reordered capture: the response came first; too late to link this as a retry. */
        parse_credentials(event, &creds);
        tracker->feed_cut = tracker->feed_cut || creds.cut;
        set_request(tracker, txn, event, &creds);
        return add_msg(tracker, txn, SA_MSG_REQUEST, FALSE);
    }
    parse_credentials(event, &creds);
    sa_nonce_use_t nonce_use;
    sa_txn_ext_t ext;
    sa_reg_kind_t reg_kind;
    gboolean scanner;
    gboolean has_ext = request_ext(tracker, event, ids, &ext, &reg_kind, &scanner);
    txn = new_txn(tracker, ids, &key, nonce_use_of(&creds, &nonce_use) ? &nonce_use : NULL, has_ext ? &ext : NULL,
                  reg_kind);
    txn->scanner_ua = scanner;
    tracker->feed_cut = tracker->feed_cut || creds.cut;
    set_request(tracker, txn, event, &creds);
    if (event->security_client.count)
        sa_sec_note_request(tracker, txn, event);
    link_new_request(tracker, txn, event, &creds);
    return add_msg(tracker, txn, SA_MSG_REQUEST, FALSE);
}

static sa_msg_id_t
feed_final_response(sa_tracker_t *tracker, const sa_event_t *event, sa_ids_t *ids)
{
    sa_key_builder_t builder;
    sa_key_t key = txn_key(&builder, event, ids);
    tracker->feed_cut = tracker->feed_cut || builder.cut;
    sa_txn_t *txn = sa_keytable_lookup(tracker->txn_by_key, &key);
    if (txn == NULL)
        txn = new_txn(tracker, ids, &key, NULL, NULL, SA_REG_NONE);

    if (txn->final_frame != 0) {
        gboolean duplicate = event->time_ns - txn->final_last_time < SA_DUPLICATE_WINDOW_NS
                          && event->time_ns >= txn->final_last_time;
        txn->final_last_time = event->time_ns;
        if (txn->challenged && event->status == txn->final_code)
            add_challenge_params(tracker, txn->challenged, event);
        return add_msg(tracker, txn, SA_MSG_FINAL_AGAIN, duplicate);
    }
    txn->final_frame = event->frame;
    txn->final_last_time = event->time_ns;
    txn->final_code = (guint16)event->status;
    note_register_final(txn, event);
    if (tracker->hss && event->status >= 300 && event->status != 401 && event->status != 407)
        sa_hss_note_sip_failure(tracker, event);
    sa_attempt_t *answered = txn->answers;
    if (answered && sa_failure_of(event->status) == SA_FAILURE_FORBIDDEN)
        sa_attacks_note_refusal(tracker, txn, TRUE, event->dst, txn, event->time_ns);
    if (answered) {
        sa_span_t reason = { event->reason, event->reason ? strlen(event->reason) : 0 };
        answered->result_reason = sa_intern_span(tracker, reason);
        if (event->status < 300 && answered->flow->last == answered)
            answered->flow->accepted_time = event->time_ns;
    }
    if (is_tracked_challenge(tracker, event->status))
        open_attempt(tracker, txn, event);
    return add_msg(tracker, txn, SA_MSG_FINAL, FALSE);
}

sa_msg_id_t
sa_tracker_feed(sa_tracker_t *tracker, const sa_event_t *event)
{
    if (tracker == NULL || event == NULL || event->frame == 0 || event->quoted_in_error)
        return 0;
    gboolean is_request = event->method != NULL && *event->method != '\0';
    if (!is_request && (event->status < 200 || event->status > 699))
        return 0;
    sa_ids_t ids;
    if (!read_ids(event, &ids))
        return 0;
    tracker->feed_cut = event->truncated;
    tracker->last_time = MAX(tracker->last_time, event->time_ns);
    sa_attacks_advance(tracker, event->time_ns);
    sa_msg_id_t id = is_request ? feed_request(tracker, event, &ids)
                                : feed_final_response(tracker, event, &ids);
    if (id != 0)
        sa_note_frame(tracker, event->frame, id);
    if (id != 0 && tracker->feed_cut)
        sa_note_cut(tracker, id);
    return id;
}
