/* The HSS behind the challenges (SPEC section 11, TS 29.228/29.229): Cx Multimedia-Auth and Server-Assignment
 * exchanges read from Diameter, each request paired with its answer, each vector linked to the challenge that
 * used it by what it carries (an AKA nonce is base64(RAND||AUTN), a digest vector is the user's realm and HA1),
 * never by time: the Cx link may be captured elsewhere, on another clock. Kept only where the capture has Cx,
 * in side tables: no SIP record grows. The vectors' XRES, CK, IK and HA1 are in the capture already; they are
 * kept here only to verify retries with, never shown, and wiped when the tracker is freed. */
#include "records.h"
#include "sipauth/diameter.h"

#include <ctype.h>

#define RAND_LEN 16
#define AUTN_LEN 16
#define XRES_MAX 16
#define KEY_LEN  16
#define HA1_MAX  128
/* Bounds against hostile input: records past them are not kept (the analysis says less, never wrong). */
#define MAX_CX_RECORDS   (1u << 20)
#define MAX_CX_SOURCES   64
#define MAX_USER_KEY     SA_MAX_STRING

/* One Multimedia-Auth exchange and the Server-Assignment that followed it for the same user. */
typedef struct cx_sar cx_sar_t;
typedef struct {
    const char *user;            /* public identity as a user key (see user_key), or the private one */
    gint64   mar_time, maa_time;
    guint32  mar_frame, maa_frame;
    guint32  result;
    guint    has_result : 1, experimental : 1, has_mar : 1;
    guint    unreadable : 1;     /* its items gave no vector (malformed, absurd): its user's challenge cannot link */
    cx_sar_t *sar;
} cx_auth_t;

struct cx_sar {
    guint32  sar_frame, saa_frame;
    guint32  result;
    guint    has_result : 1, experimental : 1;
};

/* An AKA vector of an MAA, found by its RAND. */
typedef struct {
    guint8   rand[RAND_LEN];
    guint8   autn[AUTN_LEN];
    guint8   xres[XRES_MAX];
    guint8   ck[KEY_LEN], ik[KEY_LEN];
    guint8   xres_len;
    guint8   has_keys;
    cx_auth_t *auth;
} cx_vector_t;

/* A digest vector of an MAA (SIP-Digest-Authenticate): realm and HA1 of a user. */
typedef struct {
    char       ha1[HA1_MAX + 1];
    cx_auth_t *auth;
} cx_digest_t;

/* A request waiting for its answer, by hop-by-hop and end-to-end identifier. */
typedef struct {
    guint32  hop_by_hop, end_to_end;
    guint32  command;
    guint32  frame;
    gint64   time;
    const char *user;
} cx_request_t;

/* An answer as a frame shows it, in frame order. */
typedef struct {
    sa_cx_answer_t shown;
    gboolean awaiting_sip;       /* an error whose SIP failure has not come yet */
} cx_answer_t;

typedef struct {
    guint8 len;
    guint8 bytes[SA_ADDR_MAX];
} cx_source_t;

struct sa_hss_state {
    GStringChunk *strings;
    sa_arena_t *records;         /* every record, freed (vectors wiped) with the state */
    guint       n_records;
    GHashTable *vectors;         /* RAND -> cx_vector_t */
    GHashTable *digest_by_private; /* "private\nrealm" -> cx_digest_t, the latest */
    GHashTable *digest_by_public;  /* "public\nrealm" -> cx_auth_t, the latest */
    GHashTable *latest_by_user;  /* user key -> cx_auth_t, the latest MAA: where the next SAR belongs */
    GHashTable *requests;        /* cx_request_t by identifiers */
    GHashTable *digest_links;    /* sa_attempt_t -> cx_auth_t: digest challenges, linked when they come */
    GArray     *answers;         /* cx_answer_t with an error, in frame order: what the answer frames show */
    GPtrArray  *spare;           /* answered requests' records, for the next requests */
    guint       awaiting;        /* answers with awaiting_sip */
    cx_source_t sources[MAX_CX_SOURCES]; /* who sent Multimedia-Auth requests: the S-CSCFs */
    guint       n_sources;
};

static guint
rand_hash(gconstpointer key)
{
    const guint8 *p = key;
    return (guint)p[0] | (guint)p[1] << 8 | (guint)p[2] << 16 | (guint)p[3] << 24;
}

static gboolean
rand_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, RAND_LEN) == 0;
}

static guint
request_hash(gconstpointer key)
{
    const cx_request_t *r = key;
    return r->hop_by_hop ^ (r->end_to_end * 31u);
}

static gboolean
request_equal(gconstpointer a, gconstpointer b)
{
    const cx_request_t *x = a, *y = b;
    return x->hop_by_hop == y->hop_by_hop && x->end_to_end == y->end_to_end;
}

static sa_hss_state_t *
hss_state(sa_tracker_t *tracker)
{
    if (tracker->hss == NULL) {
        sa_hss_state_t *hss = g_new0(sa_hss_state_t, 1);
        hss->strings = g_string_chunk_new(4096);
        hss->records = sa_arena_new();
        hss->vectors = g_hash_table_new(rand_hash, rand_equal);
        hss->digest_by_private = g_hash_table_new(g_str_hash, g_str_equal);
        hss->digest_by_public = g_hash_table_new(g_str_hash, g_str_equal);
        hss->latest_by_user = g_hash_table_new(g_str_hash, g_str_equal);
        hss->requests = g_hash_table_new(request_hash, request_equal);
        hss->digest_links = g_hash_table_new(g_direct_hash, g_direct_equal);
        hss->answers = g_array_new(FALSE, FALSE, sizeof(cx_answer_t));
        hss->spare = g_ptr_array_new();
        tracker->hss = hss;
    }
    return tracker->hss;
}

static gpointer
record_new(sa_hss_state_t *hss, gsize size)
{
    if (hss->n_records >= MAX_CX_RECORDS)
        return NULL;
    hss->n_records++;
    return sa_arena_alloc0(hss->records, size);
}

void
sa_hss_free(sa_hss_state_t *hss)
{
    if (hss == NULL)
        return;
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init(&iter, hss->vectors);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        memset(value, 0, sizeof(cx_vector_t));
    g_hash_table_iter_init(&iter, hss->digest_by_private);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        memset(value, 0, sizeof(cx_digest_t));
    sa_arena_free(hss->records);
    g_hash_table_destroy(hss->vectors);
    g_hash_table_destroy(hss->digest_by_private);
    g_hash_table_destroy(hss->digest_by_public);
    g_hash_table_destroy(hss->latest_by_user);
    g_hash_table_destroy(hss->requests);
    g_hash_table_destroy(hss->digest_links);
    g_array_free(hss->answers, TRUE);
    g_ptr_array_free(hss->spare, TRUE);
    g_string_chunk_free(hss->strings);
    g_free(hss);
}

/* A user as both sides write it, in buf: an IMS public identity (sip:, sips: or tel: URI, in angle brackets or
 * not, parameters left out) with the scheme dropped and lower-cased; anything else (a private identity) as it
 * is, lower-cased. Empty when there is nothing. */
static const char *
user_key(const char *text, gsize len, char *buf, gsize size)
{
    gsize start = 0;
    for (gsize i = 0; i + 4 <= len; i++) {
        if (g_ascii_strncasecmp(text + i, "sip:", 4) == 0 || g_ascii_strncasecmp(text + i, "tel:", 4) == 0) {
            start = i + 4;
            break;
        }
        if (i + 5 <= len && g_ascii_strncasecmp(text + i, "sips:", 5) == 0) {
            start = i + 5;
            break;
        }
    }
    gsize n = 0;
    for (gsize i = start; i < len && n + 1 < size; i++) {
        char c = text[i];
        if (c == ';' || c == '>' || c == '?' || c == ',' || c == ' ' || c == '\t' || c == '\0')
            break;
        buf[n++] = (char)g_ascii_tolower(c);
    }
    buf[n] = '\0';
    return buf;
}

static const char *
intern_user(sa_hss_state_t *hss, sa_span_t span)
{
    if (span.ptr == NULL || span.len == 0)
        return NULL;
    char buf[MAX_USER_KEY + 1];
    user_key(span.ptr, span.len, buf, sizeof buf);
    return *buf ? g_string_chunk_insert_const(hss->strings, buf) : NULL;
}

/* "user\nrealm", interned. */
static const char *
user_realm_key(sa_hss_state_t *hss, const char *user, sa_span_t realm)
{
    char buf[2 * MAX_USER_KEY + 2];
    gsize ulen = MIN(strlen(user), (gsize)MAX_USER_KEY);
    gsize rlen = MIN(realm.len, (gsize)MAX_USER_KEY);
    memcpy(buf, user, ulen);
    buf[ulen] = '\n';
    memcpy(buf + ulen + 1, realm.ptr, rlen);
    buf[ulen + 1 + rlen] = '\0';
    return g_string_chunk_insert_const(hss->strings, buf);
}

static void
note_source(sa_hss_state_t *hss, sa_addr_t src)
{
    if (src.len == 0 || src.len > SA_ADDR_MAX)
        return;
    for (guint i = 0; i < hss->n_sources; i++)
        if (hss->sources[i].len == src.len && memcmp(hss->sources[i].bytes, src.bytes, src.len) == 0)
            return;
    if (hss->n_sources == MAX_CX_SOURCES)
        return;
    hss->sources[hss->n_sources].len = (guint8)src.len;
    memcpy(hss->sources[hss->n_sources].bytes, src.bytes, src.len);
    hss->n_sources++;
}

static gboolean
is_source(const sa_hss_state_t *hss, sa_addr_t addr)
{
    for (guint i = 0; i < hss->n_sources; i++)
        if (hss->sources[i].len == addr.len && memcmp(hss->sources[i].bytes, addr.bytes, addr.len) == 0)
            return TRUE;
    return FALSE;
}

static gboolean
span_is(sa_span_t span, const char *literal)
{
    return span.ptr && span.len == strlen(literal) && g_ascii_strncasecmp(span.ptr, literal, span.len) == 0;
}

/* An item's AKA vector: RAND||AUTN (server data may follow), and XRES of a length RFC 3310 allows. */
static gboolean
keep_aka_vector(sa_hss_state_t *hss, const sa_cx_auth_item_t *item, cx_auth_t *auth)
{
    if (item->authenticate.len < RAND_LEN + AUTN_LEN || item->authenticate.len > SA_DIAMETER_AUTH_MAX
            || item->authorization.len < 4 || item->authorization.len > XRES_MAX)
        return FALSE;
    cx_vector_t *vector = g_hash_table_lookup(hss->vectors, item->authenticate.ptr);
    if (vector == NULL) {
        vector = record_new(hss, sizeof *vector);
        if (vector == NULL)
            return FALSE;
        memcpy(vector->rand, item->authenticate.ptr, RAND_LEN);
        g_hash_table_insert(hss->vectors, vector->rand, vector);
    }
    memcpy(vector->autn, item->authenticate.ptr + RAND_LEN, AUTN_LEN);
    memcpy(vector->xres, item->authorization.ptr, item->authorization.len);
    vector->xres_len = (guint8)item->authorization.len;
    vector->has_keys = item->confidentiality_key.len == KEY_LEN && item->integrity_key.len == KEY_LEN;
    if (vector->has_keys) {
        memcpy(vector->ck, item->confidentiality_key.ptr, KEY_LEN);
        memcpy(vector->ik, item->integrity_key.ptr, KEY_LEN);
    }
    vector->auth = auth;
    return TRUE;
}

static gboolean
is_hex(sa_span_t span)
{
    for (gsize i = 0; i < span.len; i++)
        if (!g_ascii_isxdigit(span.ptr[i]))
            return FALSE;
    return TRUE;
}

static gboolean
keep_digest_vector(sa_hss_state_t *hss, const sa_cx_auth_item_t *item, cx_auth_t *auth, const char *private_user)
{
    if (item->digest_realm.ptr == NULL || item->digest_ha1.len == 0 || item->digest_ha1.len > HA1_MAX
            || !is_hex(item->digest_ha1))
        return FALSE;
    if (auth->user)
        g_hash_table_insert(hss->digest_by_public, (gpointer)user_realm_key(hss, auth->user, item->digest_realm), auth);
    if (private_user == NULL)
        return TRUE;
    const char *key = user_realm_key(hss, private_user, item->digest_realm);
    cx_digest_t *digest = g_hash_table_lookup(hss->digest_by_private, key);
    if (digest == NULL) {
        digest = record_new(hss, sizeof *digest);
        if (digest == NULL)
            return TRUE;
        g_hash_table_insert(hss->digest_by_private, (gpointer)key, digest);
    }
    memset(digest->ha1, 0, sizeof digest->ha1);
    memcpy(digest->ha1, item->digest_ha1.ptr, item->digest_ha1.len);
    digest->auth = auth;
    return TRUE;
}

static void
add_answer(sa_hss_state_t *hss, const sa_diameter_event_t *event, const sa_diameter_msg_t *msg,
           const cx_request_t *request, const char *user)
{
    /* Only an error shows on its own frame; a successful answer's figures go to the SIP messages. */
    if (!(msg->has_result && sa_diameter_code_is_error(msg->result_code)) || hss->answers->len >= MAX_CX_RECORDS)
        return;
    cx_answer_t answer;
    memset(&answer, 0, sizeof answer);
    answer.shown.command = msg->command;
    answer.shown.answer_frame = event->frame;
    answer.shown.request_frame = request ? request->frame : 0;
    answer.shown.has_hss_time = request != NULL && event->time_ns >= request->time;
    answer.shown.hss_time_ns = answer.shown.has_hss_time ? event->time_ns - request->time : 0;
    answer.shown.has_result = msg->has_result;
    answer.shown.result_code = msg->result_code;
    answer.shown.experimental = msg->experimental;
    answer.shown.user = user;
    answer.awaiting_sip = user != NULL;
    hss->awaiting += answer.awaiting_sip;
    /* Frames come in order on the first pass; a frame fed again is not added twice. */
    if (hss->answers->len > 0) {
        const cx_answer_t *last = &g_array_index(hss->answers, cx_answer_t, hss->answers->len - 1);
        if (last->shown.answer_frame > event->frame)
            return;
    }
    g_array_append_val(hss->answers, answer);
}

static void
feed_answer_of(sa_hss_state_t *hss, const sa_diameter_event_t *event, const sa_diameter_msg_t *msg,
               const cx_request_t *request)
{
    const char *user = request && request->user ? request->user : intern_user(hss, msg->public_identity);
    if (user == NULL)
        user = intern_user(hss, msg->user_name);
    add_answer(hss, event, msg, request, user);

    if (msg->command == SA_CX_MULTIMEDIA_AUTH) {
        /* The same MAA seen again (a second capture point, a retransmission): the first copy keeps its vectors. */
        for (guint i = 0; i < msg->n_items; i++)
            if (msg->items[i].authenticate.len >= RAND_LEN + AUTN_LEN
                    && g_hash_table_contains(hss->vectors, msg->items[i].authenticate.ptr))
                return;
        cx_auth_t *auth = record_new(hss, sizeof *auth);
        if (auth == NULL)
            return;
        auth->user = user;
        auth->maa_frame = event->frame;
        auth->maa_time = event->time_ns;
        auth->has_result = msg->has_result;
        auth->experimental = msg->experimental;
        auth->result = msg->result_code;
        if (request) {
            auth->has_mar = 1;
            auth->mar_frame = request->frame;
            auth->mar_time = request->time;
        }
        const char *private_user = NULL;   /* a digest vector's key only: AKA users do not pay for it */
        gboolean kept = FALSE;
        for (guint i = 0; i < msg->n_items; i++) {
            const sa_cx_auth_item_t *item = &msg->items[i];
            if (item->digest_ha1.ptr || span_is(item->scheme, "SIP Digest")) {
                if (private_user == NULL)
                    private_user = intern_user(hss, msg->user_name);
                kept = keep_digest_vector(hss, item, auth, private_user) || kept;
            } else {
                kept = keep_aka_vector(hss, item, auth) || kept;
            }
        }
        auth->unreadable = !kept && (msg->malformed || msg->items_seen > 0);
        if (user)
            g_hash_table_insert(hss->latest_by_user, (gpointer)user, auth);
        return;
    }
    /* A Server-Assignment belongs to the user's latest Multimedia-Auth that has none yet. */
    cx_auth_t *auth = user ? g_hash_table_lookup(hss->latest_by_user, user) : NULL;
    if (auth == NULL || auth->sar != NULL)
        return;
    cx_sar_t *sar = record_new(hss, sizeof *sar);
    if (sar == NULL)
        return;
    sar->sar_frame = request ? request->frame : 0;
    sar->saa_frame = event->frame;
    sar->has_result = msg->has_result;
    sar->experimental = msg->experimental;
    sar->result = msg->result_code;
    auth->sar = sar;
}

/* An answer ends its request: the request's record serves the next one (a Cx link keeps only what it copied). */
static void
feed_answer(sa_hss_state_t *hss, const sa_diameter_event_t *event, const sa_diameter_msg_t *msg)
{
    cx_request_t probe = { msg->hop_by_hop, msg->end_to_end, 0, 0, 0, NULL };
    cx_request_t *request = g_hash_table_lookup(hss->requests, &probe);
    if (request && request->command != msg->command)
        request = NULL;
    if (request)
        g_hash_table_remove(hss->requests, request);
    feed_answer_of(hss, event, msg, request);
    if (request)
        g_ptr_array_add(hss->spare, request);
}

void
sa_tracker_feed_diameter(sa_tracker_t *tracker, const sa_diameter_event_t *event)
{
    if (tracker == NULL || event == NULL || event->frame == 0)
        return;
    sa_diameter_msg_t msg;
    if (!sa_diameter_parse(event->data, event->len, &msg) || msg.application != SA_DIAMETER_APP_CX)
        return;
    if (msg.command != SA_CX_MULTIMEDIA_AUTH && msg.command != SA_CX_SERVER_ASSIGNMENT)
        return;
    sa_hss_state_t *hss = hss_state(tracker);
    if (!msg.request) {
        feed_answer(hss, event, &msg);
        return;
    }
    if (msg.command == SA_CX_MULTIMEDIA_AUTH)
        note_source(hss, event->src);
    cx_request_t probe = { msg.hop_by_hop, msg.end_to_end, 0, 0, 0, NULL };
    cx_request_t *request = g_hash_table_lookup(hss->requests, &probe);
    if (request == NULL) {
        if (g_hash_table_size(hss->requests) >= MAX_CX_RECORDS)
            return;
        if (hss->spare->len > 0) {
            request = g_ptr_array_steal_index_fast(hss->spare, hss->spare->len - 1);
            memset(request, 0, sizeof *request);
        } else if ((request = record_new(hss, sizeof *request)) == NULL) {
            return;
        }
        request->hop_by_hop = msg.hop_by_hop;
        request->end_to_end = msg.end_to_end;
        g_hash_table_add(hss->requests, request);
    } else if (request->frame != 0) {
        return;   /* a retransmission (RFC 6733 5.5.4: the same identifiers): the first copy times the HSS */
    }
    request->command = msg.command;
    request->frame = event->frame;
    request->time = event->time_ns;
    request->user = intern_user(hss, msg.public_identity);
    if (request->user == NULL)
        request->user = intern_user(hss, msg.user_name);
}

/* The AKA vector whose RAND||AUTN is the nonce's first 32 bytes. */
static const cx_vector_t *
vector_of_nonce(const sa_hss_state_t *hss, const char *nonce, gsize nonce_len)
{
    if (nonce == NULL || nonce_len < 43)
        return NULL;
    char chars[44];
    memcpy(chars, nonce, 43);
    chars[43] = '=';
    for (gsize i = 0; i < 43; i++)
        if (!(g_ascii_isalnum(chars[i]) || chars[i] == '+' || chars[i] == '/'))
            return NULL;
    guint8 decoded[33];
    gint state = 0;
    guint save = 0;
    gsize len = g_base64_decode_step(chars, sizeof chars, decoded, &state, &save);
    if (len < RAND_LEN + AUTN_LEN)
        return NULL;
    const cx_vector_t *vector = g_hash_table_lookup(hss->vectors, decoded);
    if (vector == NULL || memcmp(vector->autn, decoded + RAND_LEN, AUTN_LEN) != 0)
        return NULL;
    return vector;
}

/* The Multimedia-Auth that gave an attempt its challenge: an AKA nonce's vector, or the digest link made when
 * the challenge came. */
static const cx_auth_t *
auth_of(const sa_hss_state_t *hss, const sa_attempt_t *attempt)
{
    for (guint r = 0; r < attempt->n_realms; r++) {
        const char *nonce = attempt->realms[r].nonce;
        const cx_vector_t *vector = nonce ? vector_of_nonce(hss, nonce, strlen(nonce)) : NULL;
        if (vector)
            return vector->auth;
    }
    return g_hash_table_lookup(hss->digest_links, attempt);
}

void
sa_hss_note_challenge(sa_tracker_t *tracker, sa_attempt_t *attempt, const sa_event_t *event)
{
    sa_hss_state_t *hss = tracker->hss;
    attempt->cx_challenger = is_source(hss, event->src);
    if (g_hash_table_size(hss->digest_by_public) == 0 || event->to == NULL || attempt->n_realms == 0)
        return;
    char buf[MAX_USER_KEY + 1];
    user_key(event->to, strlen(event->to), buf, sizeof buf);
    for (guint r = 0; r < attempt->n_realms; r++) {
        const char *realm = attempt->realms[r].realm;
        if (realm == NULL)
            continue;
        sa_span_t realm_span = { realm, strlen(realm) };
        cx_auth_t *auth = g_hash_table_lookup(hss->digest_by_public, user_realm_key(hss, buf, realm_span));
        if (auth) {
            g_hash_table_insert(hss->digest_links, attempt, auth);
            return;
        }
    }
}

void
sa_hss_note_sip_failure(sa_tracker_t *tracker, const sa_event_t *event)
{
    sa_hss_state_t *hss = tracker->hss;
    if (hss->awaiting == 0 || event->to == NULL || event->cseq == NULL || strstr(event->cseq, "REGISTER") == NULL)
        return;
    char buf[MAX_USER_KEY + 1];
    user_key(event->to, strlen(event->to), buf, sizeof buf);
    /* The oldest error of that user that is waiting becomes this failure. */
    for (guint i = 0; i < hss->answers->len; i++) {
        cx_answer_t *answer = &g_array_index(hss->answers, cx_answer_t, i);
        if (!answer->awaiting_sip || strcmp(answer->shown.user, buf) != 0)
            continue;
        answer->awaiting_sip = FALSE;
        hss->awaiting--;
        answer->shown.sip_frame = event->frame;
        answer->shown.sip_status = event->status;
        return;
    }
}

gboolean
sa_hss_secret(const sa_tracker_t *tracker, const sa_secret_query_t *query, sa_secret_t *secret)
{
    const sa_hss_state_t *hss = tracker->hss;
    memset(secret, 0, sizeof *secret);
    if (query->algorithm == SA_DIGEST_ALG_AKAV1_MD5 || query->algorithm == SA_DIGEST_ALG_AKAV2_MD5) {
        const cx_vector_t *vector = vector_of_nonce(hss, query->nonce, query->nonce_len);
        if (vector == NULL)
            return FALSE;
        secret->kind = SA_SECRET_AKA_RES;
        secret->res = vector->xres;
        secret->res_len = vector->xres_len;
        if (vector->has_keys) {
            secret->ck = vector->ck;
            secret->ik = vector->ik;
        }
        return TRUE;
    }
    if (query->username == NULL || query->realm == NULL || g_hash_table_size(hss->digest_by_private) == 0)
        return FALSE;
    char user[MAX_USER_KEY + 1], key[2 * MAX_USER_KEY + 2];
    user_key(query->username, query->username_len, user, sizeof user);
    g_snprintf(key, sizeof key, "%s\n%.*s", user, (int)MIN(query->realm_len, (gsize)MAX_USER_KEY), query->realm);
    const cx_digest_t *digest = g_hash_table_lookup(hss->digest_by_private, key);
    if (digest == NULL)
        return FALSE;
    secret->kind = SA_SECRET_HA1;
    secret->ha1_hex = digest->ha1;
    return TRUE;
}

static void
fill_auth(const cx_auth_t *auth, sa_result_t *result)
{
    result->mar_frame = auth->has_mar ? auth->mar_frame : 0;
    result->maa_frame = auth->maa_frame;
    result->has_hss_time = auth->has_mar && auth->maa_time >= auth->mar_time;
    result->hss_time_ns = result->has_hss_time ? auth->maa_time - auth->mar_time : 0;
    result->has_hss_result = auth->has_result;
    result->hss_result = auth->result;
}

/* Whether the latest MAA of the challenge's user came, but with items that gave no vector: the challenge
 * cannot link, and that is no missing vector (the MAA frame is Wireshark's to call malformed). */
static gboolean
user_vector_unreadable(const sa_hss_state_t *hss, const sa_result_t *result)
{
    if (result->user_uri == NULL)
        return FALSE;
    char buf[MAX_USER_KEY + 1];
    user_key(result->user_uri, strlen(result->user_uri), buf, sizeof buf);
    const cx_auth_t *auth = g_hash_table_lookup(hss->latest_by_user, buf);
    return auth && auth->unreadable;
}

void
sa_hss_fill(const sa_tracker_t *tracker, const sa_attempt_t *attempt, sa_result_t *result)
{
    const sa_hss_state_t *hss = tracker->hss;
    switch (result->role) {
    case SA_ROLE_CHALLENGE:
    case SA_ROLE_CHALLENGE_RETRANSMISSION: {
        const cx_auth_t *auth = auth_of(hss, attempt);
        if (auth)
            fill_auth(auth, result);
        else if (attempt->cx_challenger && result->role == SA_ROLE_CHALLENGE && !user_vector_unreadable(hss, result))
            result->findings |= SA_FINDING_BIT(SA_FINDING_NO_AUTH_VECTOR);
        break;
    }
    case SA_ROLE_RESULT: {
        const cx_auth_t *auth = auth_of(hss, attempt);
        if (auth && auth->sar) {
            result->sar_frame = auth->sar->sar_frame;
            result->saa_frame = auth->sar->saa_frame;
            result->has_hss_result = auth->sar->has_result;
            result->hss_result = auth->sar->result;
        }
        break;
    }
    default:
        break;
    }
}

guint
sa_tracker_cx_answers(const sa_tracker_t *tracker, guint32 frame, sa_cx_answer_t *out, guint max)
{
    if (tracker == NULL || tracker->hss == NULL || max == 0)
        return 0;
    const GArray *answers = tracker->hss->answers;
    guint lo = 0, hi = answers->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(answers, cx_answer_t, mid).shown.answer_frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    guint n = 0;
    for (guint i = lo; i < answers->len && n < max; i++) {
        const cx_answer_t *answer = &g_array_index(answers, cx_answer_t, i);
        if (answer->shown.answer_frame != frame)
            break;
        out[n++] = answer->shown;
    }
    return n;
}
