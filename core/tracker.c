/* The challenge tracker: SIP transactions, challenge attempts and flows, linked as messages arrive. */
#include "sipauth/tracker.h"
#include "sipauth/arena.h"
#include "sipauth/keytable.h"
#include "sipauth/sipparse.h"

#include <string.h>

/* Longer strings are cut: real Call-IDs, hosts and nonces are far shorter, hostile ones must not grow us. */
#define SA_MAX_STRING        512
/* Challenge realms / credentials examined per message (a forking proxy sends a few). */
#define SA_MAX_REALMS        8
/* Copies of a message closer than this are the same message seen twice, not a retransmission (T1 = 500 ms). */
#define SA_DUPLICATE_WINDOW_NS (10 * G_GINT64_CONSTANT(1000000))
#define SA_NS_PER_S          G_GINT64_CONSTANT(1000000000)

typedef struct sa_attempt sa_attempt_t;

typedef enum {
    SA_MSG_REQUEST,
    SA_MSG_REQUEST_AGAIN,
    SA_MSG_ACK,
    SA_MSG_FINAL,
    SA_MSG_FINAL_AGAIN
} sa_msg_kind_t;

typedef struct {
    const char *realm;
    const char *nonce;
} sa_realm_nonce_t;

/* Room for a key of four strings of at most SA_MAX_STRING bytes and one number. */
#define SA_KEY_MAX (4 * (SA_MAX_STRING + 1) + sizeof(guint32))

typedef struct {
    char  bytes[SA_KEY_MAX];
    gsize len;
} sa_key_builder_t;

/* One SIP transaction: a request and its final response, as seen at one hop. Kept small: there is one
 * per request, and every byte of it is a byte of page faults and cache misses on a large capture. */
typedef struct {
    sa_key_t    key;             /* Call-ID, top Via host, branch or From tag, method (INVITE for ACK), CSeq */
    const char *method;          /* CSeq method */
    const char *from_uri;
    const char *username;        /* of its credentials, if any */
    sa_attempt_t *challenged;    /* the attempt its challenge opened */
    sa_attempt_t *answers;       /* the attempt it is the authenticated retry of */
    gint64      request_time;
    gint64      final_last_time;
    guint32     cseq;
    guint32     via_count;       /* Via entries: with Call-ID, method and host, the hop its retry comes from */
    guint32     request_frame;
    guint32     final_frame;
    guint32     ack_frame;
    guint32     retry_findings;
    guint16     final_code;
    guint       has_credentials : 1; /* credentials with a nonce or a response */
    char        key_bytes[];     /* key.bytes (read on every look-up, so next to the record), then from_uri */
} sa_txn_t;

/* The key's first two strings. */
static const char *
txn_call_id(const sa_txn_t *txn)
{
    return txn->key_bytes;
}

static const char *
txn_host(const sa_txn_t *txn)
{
    return txn->key_bytes + strlen(txn->key_bytes) + 1;
}

typedef struct {
    guint32 id;
    guint   challenges;
    guint   nonstale_challenges;
} sa_flow_t;

G_STATIC_ASSERT(SA_MAX_REALMS <= G_MAXUINT8);

/* One challenge of a flow and what answered it. */
struct sa_attempt {
    sa_key_t   hop;              /* of the challenged request: where its retry comes from */
    sa_flow_t *flow;
    sa_txn_t  *request;          /* the challenged transaction */
    sa_txn_t  *retry;
    sa_realm_nonce_t *realms;    /* first_realm, or SA_MAX_REALMS in the arena once a second one comes */
    const char **retry_realms;   /* realms the retry had credentials for, in the arena */
    sa_realm_nonce_t first_realm;
    gint64     challenge_time;
    guint32    flow_id;          /* flow->id, here so that a result does not read the flow */
    guint32    number;
    guint32    challenge_frame;
    guint32    findings;         /* known when the challenge arrives */
    guint16    code;
    guint8     n_realms;
    guint8     n_retry_realms;
    guint      stale : 1;
    guint      heuristic : 1;
    guint      abandoned : 1;    /* a new request without credentials came instead of a retry */
    char       hop_bytes[];      /* hop.bytes */
};

/* A challenge's nonce in the nonce index; entries stay in the arena after leaving the index. */
typedef struct {
    sa_key_t      key;           /* the stored nonce, up to its first NUL */
    sa_attempt_t *attempt;
} sa_nonce_entry_t;

/* A message: its transaction's address with the kind (low three bits) and the duplicate flag (bit 3) in
 * the bits that the arena's 16-byte alignment leaves zero. Eight bytes per message of the capture. */
typedef guintptr sa_msg_t;
#define SA_MSG_KIND_MASK ((guintptr)7)
#define SA_MSG_DUPLICATE ((guintptr)8)
#define SA_MSG_TXN_MASK  (~(guintptr)15)

/* The messages one frame got: ids first .. first + count - 1 (a frame's messages are fed together). */
typedef struct {
    guint32     frame;
    sa_msg_id_t first;
    guint32     count;
} sa_frame_msgs_t;

/* The credentials of a request, parsed once while it is fed. */
typedef struct {
    gboolean has_authorization;
    gboolean has_proxy_authorization;
    gboolean any_nonempty;
    gboolean auts;
    guint    n_auth;
    sa_auth_params_t auth[SA_MAX_REALMS];
    guint    n_proxy;
    sa_auth_params_t proxy[SA_MAX_REALMS];
} sa_credentials_t;

struct sa_tracker {
    sa_config_t  config;
    sa_arena_t  *records;        /* transactions, attempts, flows and nonce entries */
    GStringChunk *strings;       /* interned realms; nonces and user names */
    GString     *intern_buf;     /* NUL-terminates spans before interning */
    const char  *last_interned;  /* tried first by the next interning */
    GArray      *msgs;           /* sa_msg_t; index 0 unused so that id 0 means "none" */
    GArray      *frames;         /* sa_frame_msgs_t by frame number, only frames with tracked messages */
    guint        frames_cursor;  /* where the last look-up in frames ended */
    GPtrArray   *attempts;       /* sa_attempt_t, in challenge order */
    guint        n_flows;
    sa_keytable_t *txn_by_key;   /* txn->key -> sa_txn_t */
    sa_keytable_t *pending_by_hop; /* attempt->hop -> sa_attempt_t still waiting for its retry */
    sa_keytable_t *pending_by_nonce; /* nonce -> sa_nonce_entry_t, for retries with a new Call-ID */
};

static void
key_start(sa_key_builder_t *builder)
{
    builder->len = 0;
}

/* Adds a string cut to SA_MAX_STRING, and its NUL; an absent one adds an empty string. */
static void
key_add_span(sa_key_builder_t *builder, sa_span_t span)
{
    if (span.ptr) {
        gsize n = MIN(span.len, SA_MAX_STRING);
        memcpy(builder->bytes + builder->len, span.ptr, n);
        builder->len += n;
    }
    builder->bytes[builder->len++] = '\0';
}

static void
key_add_str(sa_key_builder_t *builder, const char *str)
{
    sa_span_t span = { str, str ? strlen(str) : 0 };
    key_add_span(builder, span);
}

static void
key_add_number(sa_key_builder_t *builder, guint32 number)
{
    memcpy(builder->bytes + builder->len, &number, sizeof number);
    builder->len += sizeof number;
}

/* A key pointing into the builder: valid until it is reused. */
static sa_key_t
key_finish(const sa_key_builder_t *builder)
{
    return sa_key_make(builder->bytes, builder->len);
}

void
sa_config_init_defaults(sa_config_t *config)
{
    config->track_401 = TRUE;
    config->retry_timeout_s = 32;
    config->loop_threshold = 3;
    config->heuristic_call_id = TRUE;
}

sa_tracker_t *
sa_tracker_new(const sa_config_t *config)
{
    sa_tracker_t *tracker = g_new0(sa_tracker_t, 1);
    if (config)
        tracker->config = *config;
    else
        sa_config_init_defaults(&tracker->config);
    tracker->records = sa_arena_new();
    tracker->strings = g_string_chunk_new(64 * 1024);
    tracker->intern_buf = g_string_sized_new(256);
    tracker->msgs = g_array_sized_new(FALSE, TRUE, sizeof(sa_msg_t), 1024);
    g_array_set_size(tracker->msgs, 1);
    tracker->frames = g_array_sized_new(FALSE, FALSE, sizeof(sa_frame_msgs_t), 1024);
    tracker->attempts = g_ptr_array_new();
    tracker->txn_by_key = sa_keytable_new(G_STRUCT_OFFSET(sa_txn_t, key));
    tracker->pending_by_hop = sa_keytable_new(G_STRUCT_OFFSET(sa_attempt_t, hop));
    tracker->pending_by_nonce = sa_keytable_new(G_STRUCT_OFFSET(sa_nonce_entry_t, key));
    return tracker;
}

void
sa_tracker_free(sa_tracker_t *tracker)
{
    if (tracker == NULL)
        return;
    sa_keytable_free(tracker->pending_by_nonce);
    sa_keytable_free(tracker->pending_by_hop);
    sa_keytable_free(tracker->txn_by_key);
    g_ptr_array_free(tracker->attempts, TRUE);
    g_array_free(tracker->msgs, TRUE);
    g_array_free(tracker->frames, TRUE);
    g_string_free(tracker->intern_buf, TRUE);
    g_string_chunk_free(tracker->strings);
    sa_arena_free(tracker->records);
    g_free(tracker);
}

guint
sa_tracker_flow_count(const sa_tracker_t *tracker)
{
    return tracker->n_flows;
}

/* Whether a span, cut as it is stored, is the stored string; both absent counts as equal. */
static gboolean
span_is_stored(sa_span_t span, const char *stored)
{
    if (span.ptr == NULL || stored == NULL)
        return span.ptr == NULL && stored == NULL;
    gsize len = MIN(span.len, SA_MAX_STRING);
    return strlen(stored) == len && memcmp(span.ptr, stored, len) == 0;
}

/* Interns a span, cut to SA_MAX_STRING; NULL stays NULL. Realms are interned (compared by address); a
 * capture has few, so the last one is tried first. */
static const char *
intern_span(sa_tracker_t *tracker, sa_span_t span)
{
    if (span.ptr == NULL)
        return NULL;
    if (span_is_stored(span, tracker->last_interned))
        return tracker->last_interned;
    g_string_truncate(tracker->intern_buf, 0);
    g_string_append_len(tracker->intern_buf, span.ptr, (gssize)MIN(span.len, SA_MAX_STRING));
    tracker->last_interned = g_string_chunk_insert_const(tracker->strings, tracker->intern_buf->str);
    return tracker->last_interned;
}

/* Copies a span, cut to SA_MAX_STRING, without looking for an equal string (not for pointer comparison). */
static const char *
copy_span(sa_tracker_t *tracker, sa_span_t span)
{
    if (span.ptr == NULL)
        return NULL;
    return g_string_chunk_insert_len(tracker->strings, span.ptr, (gssize)MIN(span.len, SA_MAX_STRING));
}

static gboolean
is_tracked_challenge(const sa_tracker_t *tracker, guint status)
{
    return status == 407 || (status == 401 && tracker->config.track_401);
}

static sa_msg_id_t
add_msg(sa_tracker_t *tracker, sa_txn_t *txn, sa_msg_kind_t kind, gboolean duplicate)
{
    sa_msg_t msg = (guintptr)txn | (guintptr)kind | (duplicate ? SA_MSG_DUPLICATE : 0);
    g_array_append_val(tracker->msgs, msg);
    return tracker->msgs->len - 1;
}

static void
parse_auth_list(const sa_header_list_t *list, sa_auth_params_t *out, guint *n_out)
{
    *n_out = 0;
    if (list->values == NULL)
        return;
    for (guint i = 0; i < list->count && *n_out < SA_MAX_REALMS; i++) {
        if (sa_parse_auth(list->values[i], &out[*n_out]))
            (*n_out)++;
    }
}

/* Both credential headers, Authorization first, as one list. */
static guint
credential_count(const sa_credentials_t *creds)
{
    return creds->n_auth + creds->n_proxy;
}

static const sa_auth_params_t *
credential_at(const sa_credentials_t *creds, guint i)
{
    return i < creds->n_auth ? &creds->auth[i] : &creds->proxy[i - creds->n_auth];
}

static void
parse_credentials(const sa_event_t *event, sa_credentials_t *creds)
{
    memset(creds, 0, sizeof *creds);
    creds->has_authorization = event->authorization.count > 0;
    creds->has_proxy_authorization = event->proxy_authorization.count > 0;
    parse_auth_list(&event->authorization, creds->auth, &creds->n_auth);
    parse_auth_list(&event->proxy_authorization, creds->proxy, &creds->n_proxy);
    for (guint i = 0; i < credential_count(creds); i++) {
        const sa_auth_params_t *params = credential_at(creds, i);
        /* IMS initial REGISTER: nonce="" and response="" are no credentials yet (TS 24.229). */
        if (!sa_span_is_empty(params->nonce) || !sa_span_is_empty(params->response))
            creds->any_nonempty = TRUE;
        if (params->auts.ptr)
            creds->auts = TRUE;
    }
}

static const sa_auth_params_t *
first_username(const sa_credentials_t *creds)
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

/* Copies a built key into room inside its record, where the key table will read it. */
static void
store_key(sa_key_t *stored, char *room, const sa_key_t *key)
{
    memcpy(room, key->bytes, key->len);
    stored->bytes = room;
    stored->len = key->len;
    stored->hash = key->hash;
}

static sa_txn_t *
new_txn(sa_tracker_t *tracker, sa_ids_t *ids, const sa_key_t *key)
{
    /* The From URI follows the key bytes: one record, written in one place. */
    sa_span_t from_uri = ids_from(ids)->uri;
    gsize from_len = from_uri.ptr ? MIN(from_uri.len, SA_MAX_STRING) + 1 : 0;
    sa_txn_t *txn = sa_arena_alloc0(tracker->records, sizeof *txn + key->len + from_len);
    store_key(&txn->key, txn->key_bytes, key);
    if (from_uri.ptr) {
        char *stored = txn->key_bytes + key->len;
        memcpy(stored, from_uri.ptr, from_len - 1);
        txn->from_uri = stored;
    }
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

static gboolean
credentials_echo_nonce(const sa_credentials_t *creds, const sa_attempt_t *attempt)
{
    for (guint i = 0; i < credential_count(creds); i++) {
        const sa_auth_params_t *params = credential_at(creds, i);
        if (sa_span_is_empty(params->nonce))
            continue;
        for (guint r = 0; r < attempt->n_realms; r++) {
            const char *nonce = attempt->realms[r].nonce;
            if (nonce && *nonce && params->nonce.len == strlen(nonce)
                    && memcmp(params->nonce.ptr, nonce, params->nonce.len) == 0)
                return TRUE;
        }
    }
    return FALSE;
}

static gboolean
span_is_str(sa_span_t span, const char *str)
{
    if (str == NULL)
        return FALSE;
    sa_span_t other = { str, strlen(str) };
    return sa_span_equal(span, other);
}

/* The checks of RFC 3261 22.2-22.3 on a retry against the challenge it answers. */
static guint32
retry_findings(const sa_attempt_t *attempt, const sa_txn_t *retry, const sa_credentials_t *creds)
{
    guint32 findings = 0;
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
    for (guint i = 0; i < n; i++) {
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
    if (n > 0 && !realm_found)
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
link_retry(sa_tracker_t *tracker, sa_attempt_t *attempt, sa_txn_t *retry,
           const sa_credentials_t *creds, gboolean heuristic)
{
    attempt->retry = retry;
    attempt->heuristic = heuristic;
    guint with_realm = 0;
    for (guint i = 0; i < credential_count(creds); i++)
        with_realm += credential_at(creds, i)->realm.ptr != NULL;
    with_realm = MIN(with_realm, SA_MAX_REALMS);
    if (with_realm > 0)
        attempt->retry_realms = sa_arena_alloc0(tracker->records, with_realm * sizeof(const char *));
    for (guint i = 0; i < credential_count(creds) && attempt->n_retry_realms < with_realm; i++) {
        const sa_auth_params_t *params = credential_at(creds, i);
        if (params->realm.ptr)
            attempt->retry_realms[attempt->n_retry_realms++] = intern_span(tracker, params->realm);
    }
    retry->answers = attempt;
    retry->retry_findings = retry_findings(attempt, retry, creds);
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
find_by_nonce(sa_tracker_t *tracker, const sa_txn_t *txn, const sa_credentials_t *creds)
{
    for (guint i = 0; i < credential_count(creds); i++) {
        const sa_auth_params_t *params = credential_at(creds, i);
        if (sa_span_is_empty(params->nonce) || params->nonce.len > SA_MAX_STRING)
            continue;
        /* Stored nonces end at their first NUL: so does the one looked up. */
        sa_key_t key = sa_key_make(params->nonce.ptr, strnlen(params->nonce.ptr, params->nonce.len));
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
link_new_request(sa_tracker_t *tracker, sa_txn_t *txn, const sa_credentials_t *creds)
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
            link_retry(tracker, pending, txn, creds, FALSE);
            return;
        }
        forget_pending(tracker, pending);
    }
    if (creds->any_nonempty && tracker->config.heuristic_call_id) {
        sa_attempt_t *by_nonce = find_by_nonce(tracker, txn, creds);
        if (by_nonce)
            link_retry(tracker, by_nonce, txn, creds, TRUE);
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
    guint n_params;
    parse_auth_list(headers, params, &n_params);
    for (guint i = 0; i < n_params; i++) {
        const char *realm = intern_span(tracker, params[i].realm);
        gboolean known = FALSE;
        for (guint r = 0; r < attempt->n_realms && !known; r++)
            known = attempt->realms[r].realm == realm && span_is_stored(params[i].nonce, attempt->realms[r].nonce);
        if (known)
            continue;
        /* Nonces are copied, not interned: each is new, and the interning table would only grow. */
        const char *nonce = copy_span(tracker, params[i].nonce);
        attempt->stale = attempt->stale || params[i].stale;
        if (attempt->n_realms == 1 && attempt->realms == &attempt->first_realm) {
            attempt->realms = sa_arena_alloc0(tracker->records, SA_MAX_REALMS * sizeof *attempt->realms);
            attempt->realms[0] = attempt->first_realm;
        }
        guint slot = MIN(attempt->n_realms, SA_MAX_REALMS - 1);
        attempt->realms[slot].realm = realm;
        attempt->realms[slot].nonce = nonce;
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
    sa_flow_t *flow;
    if (txn->answers) {
        flow = txn->answers->flow;
        attempt->number = txn->answers->number + 1;
    } else {
        flow = sa_arena_alloc0(tracker->records, sizeof *flow);
        flow->id = ++tracker->n_flows;
        attempt->number = 1;
    }
    attempt->flow = flow;
    attempt->flow_id = flow->id;
    flow->challenges++;
    if (!attempt->stale)
        flow->nonstale_challenges++;

    if (txn->answers || txn->has_credentials) {
        if (attempt->stale)
            attempt->findings |= SA_FINDING_BIT(SA_FINDING_STALE_NONCE);
        else if (txn->answers && challenges_answered_realm(attempt, txn->answers))
            attempt->findings |= SA_FINDING_BIT(SA_FINDING_RETRY_CHALLENGED);
    }
    if (!attempt->stale && tracker->config.loop_threshold > 0
            && flow->nonstale_challenges >= tracker->config.loop_threshold)
        attempt->findings |= SA_FINDING_BIT(SA_FINDING_CHALLENGE_LOOP);

    sa_keytable_insert(tracker->pending_by_hop, attempt);
}

static void
set_request(sa_tracker_t *tracker, sa_txn_t *txn, const sa_event_t *event, const sa_credentials_t *creds)
{
    txn->request_frame = event->frame;
    txn->request_time = event->time_ns;
    txn->has_credentials = creds->any_nonempty;
    const sa_auth_params_t *with_user = first_username(creds);
    txn->username = with_user ? copy_span(tracker, with_user->username) : NULL;
}

static sa_msg_id_t
feed_request(sa_tracker_t *tracker, const sa_event_t *event, sa_ids_t *ids)
{
    sa_key_builder_t builder;
    sa_key_t key = txn_key(&builder, event, ids);
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

    sa_credentials_t creds;
    if (txn) {
        /* A late copy after its retry was linked (a slower capture point) is no longer the request. */
        if (txn->request_frame != 0 || (txn->challenged && txn->challenged->retry))
            return add_msg(tracker, txn, SA_MSG_REQUEST_AGAIN, FALSE);
        /* Reordered capture: the response came first; too late to link this as a retry. */
        parse_credentials(event, &creds);
        set_request(tracker, txn, event, &creds);
        return add_msg(tracker, txn, SA_MSG_REQUEST, FALSE);
    }
    txn = new_txn(tracker, ids, &key);
    parse_credentials(event, &creds);
    set_request(tracker, txn, event, &creds);
    link_new_request(tracker, txn, &creds);
    return add_msg(tracker, txn, SA_MSG_REQUEST, FALSE);
}

static sa_msg_id_t
feed_final_response(sa_tracker_t *tracker, const sa_event_t *event, sa_ids_t *ids)
{
    sa_key_builder_t builder;
    sa_key_t key = txn_key(&builder, event, ids);
    sa_txn_t *txn = sa_keytable_lookup(tracker->txn_by_key, &key);
    if (txn == NULL)
        txn = new_txn(tracker, ids, &key);

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
    if (is_tracked_challenge(tracker, event->status))
        open_attempt(tracker, txn, event);
    return add_msg(tracker, txn, SA_MSG_FINAL, FALSE);
}

/* Index of the first entry of tracker->frames whose frame is not below frame. */
static guint
frames_lower_bound(const sa_tracker_t *tracker, guint32 frame)
{
    guint low = 0;
    guint high = tracker->frames->len;
    while (low < high) {
        guint mid = low + (high - low) / 2;
        if (g_array_index(tracker->frames, sa_frame_msgs_t, mid).frame < frame)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

/* Frames come in order on Wireshark's first pass: appending keeps the index sorted. */
static void
note_frame(sa_tracker_t *tracker, guint32 frame, sa_msg_id_t id)
{
    GArray *frames = tracker->frames;
    guint at = frames->len;
    if (frames->len > 0) {
        const sa_frame_msgs_t *last = &g_array_index(frames, sa_frame_msgs_t, frames->len - 1);
        if (last->frame >= frame)
            at = last->frame == frame ? frames->len - 1 : frames_lower_bound(tracker, frame);
    }
    sa_frame_msgs_t entry = { frame, id, 1 };
    if (at == frames->len) {
        g_array_append_val(frames, entry);
        return;
    }
    sa_frame_msgs_t *same = &g_array_index(frames, sa_frame_msgs_t, at);
    if (same->frame == frame) {
        /* The same frame again: its next message, or a later feeding that keeps the first one's ids. */
        if (same->first + same->count == id)
            same->count++;
        return;
    }
    g_array_insert_val(frames, at, entry);
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
    sa_msg_id_t id = is_request ? feed_request(tracker, event, &ids)
                                : feed_final_response(tracker, event, &ids);
    if (id != 0)
        note_frame(tracker, event->frame, id);
    return id;
}

/* Whether frame belongs at index at: the first entry not below it. */
static gboolean
frames_position_is(const GArray *frames, guint at, guint32 frame)
{
    if (at > frames->len)
        return FALSE;
    if (at < frames->len && g_array_index(frames, sa_frame_msgs_t, at).frame < frame)
        return FALSE;
    return at == 0 || g_array_index(frames, sa_frame_msgs_t, at - 1).frame < frame;
}

guint
sa_tracker_frame_messages(sa_tracker_t *tracker, guint32 frame, sa_msg_id_t *first)
{
    *first = 0;
    if (tracker == NULL)
        return 0;
    /* Wireshark's passes read frames in order: the answer is where the last look-up ended, or just
     * after it, so a pass costs no search; a random look-up (a click in the GUI) searches. */
    GArray *frames = tracker->frames;
    guint at = tracker->frames_cursor;
    if (!frames_position_is(frames, at, frame) && !frames_position_is(frames, ++at, frame))
        at = frames_lower_bound(tracker, frame);
    tracker->frames_cursor = at;
    if (at >= frames->len)
        return 0;
    const sa_frame_msgs_t *entry = &g_array_index(frames, sa_frame_msgs_t, at);
    if (entry->frame != frame)
        return 0;
    *first = entry->first;
    return entry->count;
}

static void
fill_flow(sa_result_t *result, const sa_attempt_t *attempt, sa_role_t role)
{
    memset(result, 0, sizeof *result);
    result->flow = attempt->flow_id;
    result->role = role;
    result->method = attempt->request->method;
    result->from_uri = attempt->request->from_uri;
    result->realm = attempt->n_realms > 0 ? attempt->realms[0].realm : NULL;
}

static sa_outcome_t
attempt_outcome(const sa_attempt_t *attempt, sa_view_t view)
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

static void
fill_challenge(sa_result_t *result, const sa_attempt_t *attempt, sa_view_t view)
{
    const sa_txn_t *request = attempt->request;
    const sa_txn_t *retry = attempt->retry;
    fill_flow(result, attempt, SA_ROLE_CHALLENGE);
    result->attempt = attempt->number;
    result->challenge_code = attempt->code;
    result->request_frame = request->request_frame;
    result->ack_frame = request->ack_frame;
    result->stale = attempt->stale;
    result->findings = attempt->findings;
    if (request->answers)
        result->answered_code = request->answers->code;
    if (retry) {
        result->retry_frame = retry->request_frame;
        result->has_time_to_retry = TRUE;
        result->time_to_retry_ns = retry->request_time - attempt->challenge_time;
        result->result_frame = retry->final_frame;
        result->result_code = retry->final_code;
        result->username = retry->username;
    }
    result->outcome = attempt_outcome(attempt, view);
    result->flow_state = SA_OUTCOME_NO_RETRY;
    if (result->outcome == SA_OUTCOME_NO_RETRY)
        result->findings |= SA_FINDING_BIT(SA_FINDING_MISSING_RETRY);
    if (result->outcome == SA_OUTCOME_ACCEPTED)
        result->findings |= SA_FINDING_BIT(SA_FINDING_CHALLENGE_ANSWERED);
    if (view == SA_VIEW_FINAL && request->ack_frame == 0 && g_strcmp0(request->method, "INVITE") == 0)
        result->findings |= SA_FINDING_BIT(SA_FINDING_NO_ACK);
}

static void
fill_retry(sa_result_t *result, const sa_txn_t *retry, sa_view_t view)
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
    result->flow_state = SA_OUTCOME_RETRY_UNANSWERED;
    if (view == SA_VIEW_FINAL && retry->final_frame == 0)
        result->findings |= SA_FINDING_BIT(SA_FINDING_RETRY_UNANSWERED);
}

static gboolean
fill_request(sa_result_t *result, const sa_txn_t *txn, gboolean again, sa_view_t view)
{
    const sa_attempt_t *answered = txn->answers;
    const sa_attempt_t *challenged = txn->challenged;
    if (answered && !again) {
        fill_retry(result, txn, view);
        return TRUE;
    }
    if (answered) {
        fill_flow(result, answered, SA_ROLE_REQUEST_RETRANSMISSION);
        result->retransmission = TRUE;
        result->request_frame = txn->request_frame;
        result->challenge_frame = answered->challenge_frame;
        return TRUE;
    }
    if (challenged == NULL)
        return FALSE;
    fill_flow(result, challenged, again ? SA_ROLE_REQUEST_RETRANSMISSION : SA_ROLE_REQUEST);
    result->retransmission = again;
    result->challenge_frame = challenged->challenge_frame;
    if (again)
        result->request_frame = txn->request_frame;
    else if (challenged->retry)
        result->retry_frame = challenged->retry->request_frame;
    return TRUE;
}

static gboolean
fill_final(sa_result_t *result, const sa_txn_t *txn, sa_msg_t msg, sa_view_t view)
{
    gboolean again = (msg & SA_MSG_KIND_MASK) == SA_MSG_FINAL_AGAIN;
    const sa_attempt_t *challenged = txn->challenged;
    if (challenged && !again) {
        fill_challenge(result, challenged, view);
        return TRUE;
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
        return TRUE;
    }
    const sa_attempt_t *answered = txn->answers;
    if (answered == NULL)
        return FALSE;
    fill_flow(result, answered, SA_ROLE_RESULT);
    result->retransmission = again;
    result->challenge_code = answered->code;
    result->result_code = txn->final_code;
    result->request_frame = txn->request_frame;
    result->challenge_frame = answered->challenge_frame;
    result->flow_state = txn->final_code < 300 ? SA_OUTCOME_ACCEPTED : SA_OUTCOME_REJECTED;
    if (!again && txn->final_code >= 300)
        result->findings = SA_FINDING_BIT(SA_FINDING_RETRY_FAILED);
    return TRUE;
}

gboolean
sa_tracker_result(const sa_tracker_t *tracker, sa_msg_id_t id, sa_view_t view, sa_result_t *result)
{
    memset(result, 0, sizeof *result);
    if (tracker == NULL || id == 0 || id >= tracker->msgs->len)
        return FALSE;
    sa_msg_t msg = g_array_index(tracker->msgs, sa_msg_t, id);
    const sa_txn_t *txn = (const sa_txn_t *)(msg & SA_MSG_TXN_MASK);
    switch ((sa_msg_kind_t)(msg & SA_MSG_KIND_MASK)) {
    case SA_MSG_REQUEST:
        return fill_request(result, txn, FALSE, view);
    case SA_MSG_REQUEST_AGAIN:
        return fill_request(result, txn, TRUE, view);
    case SA_MSG_ACK:
        fill_flow(result, txn->challenged, SA_ROLE_ACK);
        result->request_frame = txn->request_frame;
        result->challenge_frame = txn->challenged->challenge_frame;
        return TRUE;
    case SA_MSG_FINAL:
    case SA_MSG_FINAL_AGAIN:
        return fill_final(result, txn, msg, view);
    }
    return FALSE;
}

void
sa_tracker_foreach_challenge(const sa_tracker_t *tracker, sa_view_t view,
                             sa_challenge_func_t func, gpointer user_data)
{
    for (guint i = 0; i < tracker->attempts->len; i++) {
        sa_result_t result;
        fill_challenge(&result, g_ptr_array_index(tracker->attempts, i), view);
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
sa_finding_abbrev(sa_finding_t finding)
{
    static const char *const abbrevs[] = {
#define SA_FINDING_ABBREV(name, abbrev, group, severity, summary) abbrev,
        SA_FINDINGS(SA_FINDING_ABBREV)
#undef SA_FINDING_ABBREV
    };
    return (guint)finding < SA_FINDING_COUNT ? abbrevs[finding] : "unknown";
}
