/* The tracker's records (transactions, attempts, flows, messages) and their storage, shared by its parts. */
#ifndef SIPAUTH_RECORDS_H
#define SIPAUTH_RECORDS_H

#include "sipauth/tracker.h"
#include "arena.h"
#include "keytable.h"
#include "sipparse.h"
#include "sipauth/digest.h"
#include "sipauth/sipuri.h"

#include <string.h>

/* Longer strings are cut: real Call-IDs, hosts and nonces are far shorter, hostile ones must not grow us. */
#define SA_MAX_STRING        512
/* Challenge realms / credentials examined per message (a forking proxy sends a few). */
#define SA_MAX_REALMS        8
/* Copies of a message closer than this are the same message seen twice, not a retransmission (T1 = 500 ms). */
#define SA_DUPLICATE_WINDOW_NS (10 * G_GINT64_CONSTANT(1000000))
#define SA_NS_PER_S          G_GINT64_CONSTANT(1000000000)

typedef struct sa_attempt sa_attempt_t;

/* The findings a transaction or attempt record keeps: 32 bits, not the 64 of a result, because a record is
 * paid for once per request. The findings they keep are the ones declared before the IMS ones, whose facts
 * live in the IMS records of the flows that have them. */
typedef guint32 sa_record_findings_t;
G_STATIC_ASSERT(SA_FINDING_CREDENTIAL_ATTACK < 32);

typedef enum {
    SA_MSG_REQUEST,
    SA_MSG_REQUEST_AGAIN,
    SA_MSG_ACK,
    SA_MSG_FINAL,
    SA_MSG_FINAL_AGAIN
} sa_msg_kind_t;

/* One challenge (realm, nonce) and what its retry's credentials are checked against. */
typedef struct {
    const char *realm;
    const char *nonce;
    guint32     opaque_hash;     /* of the unquoted opaque, when has_opaque */
    sa_digest_alg_set_t algorithms; /* offered (MD5 when the parameter is absent) */
    guint8      qop;             /* SA_QOP_* offered; 0: no qop */
    guint8      has_opaque : 1;
    guint8      digest : 1;      /* a Digest challenge (not Bearer...) */
} sa_realm_nonce_t;

/* Room for a key of four strings of at most SA_MAX_STRING bytes and one number. */
#define SA_KEY_MAX (4 * (SA_MAX_STRING + 1) + sizeof(guint32))

typedef struct {
    char     bytes[SA_KEY_MAX];
    gsize    len;
    gboolean cut;                /* a string was longer than SA_MAX_STRING */
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
    sa_record_findings_t retry_findings;
    guint16     final_code;
    guint       has_credentials : 1; /* credentials with a nonce or a response */
    guint       has_nonce_use : 1;   /* a sa_nonce_use_t follows the key bytes and the From URI */
    guint       has_user_agent : 1;  /* the tail holds its User-Agent (sa_txn_ext_t, stored in parts) */
    guint       has_to_uri : 1;      /* ... its To URI (a REGISTER's, when not the From URI) */
    guint       reg_kind : 2;        /* sa_reg_kind_t: a REGISTER request's bindings */
    guint       scanner_ua : 1;      /* its User-Agent names a known scanner */
    guint       attack_here : 1;     /* its final response made a source cross the attack threshold */
    char        key_bytes[];     /* key.bytes (read on every look-up, so next to the record), then from_uri */
} sa_txn_t;

/* The nonce a request's credentials used, and their nc: a later retry using that nonce again must count up.
 * Kept only for requests with credentials, in their record's tail. */
typedef struct {
    guint32 nonce_hash;          /* sa_digest_text_hash of the nonce */
    guint32 nc;
} sa_nonce_use_t;

/* What a REGISTER asks of its bindings. Any kind but NONE: the record's tail holds its sa_reg_tail_t. */
typedef enum {
    SA_REG_NONE,                 /* not a REGISTER (or its request was not seen) */
    SA_REG_BIND,                 /* adds or refreshes bindings */
    SA_REG_UNBIND,               /* de-registration: Expires 0, every Contact expires=0, or Contact: * */
    SA_REG_QUERY                 /* no Contact: asks for the bindings, changes nothing */
} sa_reg_kind_t;

#define SA_EXPIRES_NONE G_MAXUINT32
/* Who sent a request and, for a REGISTER, its bindings. Kept in the record's tail for requests with a
 * User-Agent and for REGISTERs only, so other transactions pay nothing. */
typedef struct {
    const char *user_agent;      /* interned; NULL if none */
    const char *to_uri;          /* REGISTER: the AOR when it is not the From URI; NULL: the From URI */
    guint32 request_expires;     /* REGISTER: the expiry it asked for (seconds), SA_EXPIRES_NONE if none */
    guint32 granted_expires;     /* REGISTER: the longest binding its 2xx granted, SA_EXPIRES_NONE while none */
    gint64  final_time;          /* REGISTER: capture time of its first final response; 0 while none */
} sa_txn_ext_t;

/* How a transaction's tail stores the extension: only the parts it has (a pointer each, and for a REGISTER its
 * expiries and the final response's delay in microseconds), 12 bytes for an ordinary REGISTER. */
typedef struct {
    guint32 request_expires;
    guint32 granted_expires;
    guint32 final_delay_us;      /* G_MAXUINT32: no final response yet */
} sa_reg_tail_t;

/* The key's first two strings. */
static inline const char *
txn_call_id(const sa_txn_t *txn)
{
    return txn->key_bytes;
}

static inline const char *
txn_host(const sa_txn_t *txn)
{
    return txn->key_bytes + strlen(txn->key_bytes) + 1;
}

/* Where a record's tail (after its key bytes and From URI) starts, and its extension within it. */
static inline gsize
txn_tail_offset(const sa_txn_t *txn)
{
    return txn->key.len + (txn->from_uri ? strlen(txn->from_uri) + 1 : 0);
}

static inline gsize
txn_ext_offset(const sa_txn_t *txn)
{
    return txn_tail_offset(txn) + (txn->has_nonce_use ? sizeof(sa_nonce_use_t) : 0);
}

/* A transaction's nonce use, after its key bytes and From URI (copied: the tail has no alignment). */
static inline gboolean
txn_nonce_use(const sa_txn_t *txn, sa_nonce_use_t *use)
{
    if (!txn->has_nonce_use)
        return FALSE;
    memcpy(use, txn->key_bytes + txn_tail_offset(txn), sizeof *use);
    return TRUE;
}

static inline gsize
txn_ext_size(gboolean user_agent, gboolean to_uri, gboolean reg)
{
    return (user_agent ? sizeof(const char *) : 0) + (to_uri ? sizeof(const char *) : 0)
         + (reg ? sizeof(sa_reg_tail_t) : 0);
}

/* A transaction's extension, from its parts in the tail (copied: the tail has no alignment); absent parts read
 * as NULL and expiries "none". FALSE when it has no part. */
static inline gboolean
txn_ext(const sa_txn_t *txn, sa_txn_ext_t *ext)
{
    memset(ext, 0, sizeof *ext);
    ext->request_expires = ext->granted_expires = SA_EXPIRES_NONE;
    const char *p = txn->key_bytes + txn_ext_offset(txn);
    if (txn->has_user_agent) {
        memcpy(&ext->user_agent, p, sizeof ext->user_agent);
        p += sizeof ext->user_agent;
    }
    if (txn->has_to_uri) {
        memcpy(&ext->to_uri, p, sizeof ext->to_uri);
        p += sizeof ext->to_uri;
    }
    if (txn->reg_kind != SA_REG_NONE) {
        sa_reg_tail_t reg;
        memcpy(&reg, p, sizeof reg);
        ext->request_expires = reg.request_expires;
        ext->granted_expires = reg.granted_expires;
        if (reg.final_delay_us != G_MAXUINT32)
            ext->final_time = txn->request_time + (gint64)reg.final_delay_us * 1000;
    }
    return txn->has_user_agent || txn->has_to_uri || txn->reg_kind != SA_REG_NONE;
}

/* Writes the parts the record has room for (txn_ext_size of its flags, chosen when it was made). */
static inline void
txn_set_ext(sa_txn_t *txn, const sa_txn_ext_t *ext)
{
    char *p = txn->key_bytes + txn_ext_offset(txn);
    if (txn->has_user_agent) {
        memcpy(p, &ext->user_agent, sizeof ext->user_agent);
        p += sizeof ext->user_agent;
    }
    if (txn->has_to_uri) {
        memcpy(p, &ext->to_uri, sizeof ext->to_uri);
        p += sizeof ext->to_uri;
    }
    if (txn->reg_kind != SA_REG_NONE) {
        gint64 delay_us = ext->final_time ? (ext->final_time - txn->request_time) / 1000 : -1;
        sa_reg_tail_t reg = { ext->request_expires, ext->granted_expires,
                              delay_us < 0 ? G_MAXUINT32 : (guint32)MIN(delay_us, (gint64)G_MAXUINT32 - 1) };
        memcpy(p, &reg, sizeof reg);
    }
}

/* The AOR of a REGISTER: its To URI. */
static inline const char *
txn_aor(const sa_txn_t *txn, const sa_txn_ext_t *ext)
{
    return ext->to_uri ? ext->to_uri : txn->from_uri;
}

/* One challenge flow: the attempts from its first challenged request to its end, and what its verdict reads.
 * 32 bytes (one per flow): the counters saturate, far beyond any loop threshold worth setting. */
#define SA_FLOW_COUNT_MAX 4095u
typedef struct {
    sa_attempt_t *first;         /* attempt 1: its request is the flow's first request */
    sa_attempt_t *last;          /* the latest attempt: how it ended is how the flow ended */
    gint64   accepted_time;      /* capture time of the 2xx that accepted the last attempt's retry */
    guint32  id;
    guint32  nonstale_challenges : 12;
    guint32  refusals : 12;      /* challenges that refused the retry before them (RETRY_CHALLENGED) */
    guint32  refreshes : 7;      /* challenges that refreshed the nonce of the retry before them (at most 127) */
    guint32  looped : 1;         /* reached loop_threshold non-stale challenges */
} sa_flow_t;
G_STATIC_ASSERT(sizeof(sa_flow_t) <= 32);

/* A host that sent DNS queries, by network address, and those queries: kept only where the capture has DNS,
 * so a SIP-only capture pays nothing; a challenged UA is found here by its request's top-Via address. */
typedef struct {
    sa_key_t key;                /* the address bytes */
    GArray  *queries;            /* sa_dns_query_t in capture order, the last SA_DNS_LOG_MAX at most */
    char     addr_bytes[SA_ADDR_MAX];
} sa_dns_client_t;

typedef struct {
    gint64  time_ns;
    guint32 frame;
    guint16 id;
    guint16 answered;
} sa_dns_query_t;

G_STATIC_ASSERT(SA_MAX_REALMS <= G_MAXUINT8);

/* One challenge of a flow and what answered it. */
struct sa_attempt {
    sa_key_t   hop;              /* of the challenged request: where its retry comes from */
    sa_flow_t *flow;
    sa_txn_t  *request;          /* the challenged transaction */
    sa_txn_t  *retry;
    sa_realm_nonce_t *realms;    /* first_realm, or SA_MAX_REALMS in the arena once a second one comes */
    const char **retry_realms;   /* realms the retry had credentials for, in the arena */
    const char *result_reason;   /* reason phrase of the retry's final response, interned */
    sa_realm_nonce_t first_realm;
    gint64     challenge_time;
    guint32    flow_id;          /* flow->id, here so that a result does not read the flow */
    guint32    number;
    guint32    challenge_frame;
    sa_record_findings_t findings; /* known when the challenge arrives */
    guint16    code;
    guint8     n_realms;
    guint8     n_retry_realms;
    guint      stale : 1;
    guint      stale_by_reason : 1; /* no stale=true, but the reason phrase says the nonce changed */
    guint      heuristic : 1;
    guint      abandoned : 1;    /* a new request without credentials came instead of a retry */
    /* The retry's credentials, checked when it is linked (SPEC section 10). */
    guint      credentials : 3;  /* sa_credentials_t; 0 while no retry */
    guint      check_reason : 4; /* sa_check_reason_t */
    guint      autn : 2;         /* sa_autn_check_t */
    guint      retry_alg : 4;    /* sa_digest_alg_t of its credentials */
    guint      retry_qop : 2;    /* 0 none, 1 auth, 2 auth-int, 3 another token */
    guint      qop_check : 2;    /* sa_qop_check_t */
    guint      response_check : 2; /* sa_response_check_t */
    guint      retry_digest : 1; /* the retry carried Digest credentials for this challenge */
    guint      cx_challenger : 1; /* its sender had sent Cx Multimedia-Auth requests: an S-CSCF */
    guint      secret_hss : 1;   /* its retry was checked with the HSS's vector (an MAA in the capture) */
    guint      after_resync : 1; /* it answers a retry with auts: the new vector of an AKA resynchronisation */
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
/* The tags fit in the bits that every record address leaves zero. */
G_STATIC_ASSERT(((SA_MSG_KIND_MASK | SA_MSG_DUPLICATE) & ~(guintptr)(SA_ARENA_ALIGN - 1)) == 0);
G_STATIC_ASSERT(SA_MSG_TXN_MASK == ~(guintptr)(SA_ARENA_ALIGN - 1));

/* The messages one frame got: ids first .. first + count - 1 (a frame's messages are fed together). */
typedef struct {
    guint32     frame;
    sa_msg_id_t first;
    guint32     count;
} sa_frame_msgs_t;

typedef struct sa_attacks sa_attacks_t;
typedef struct sa_reg_index sa_reg_index_t;
typedef struct sa_sec_state sa_sec_state_t;
typedef struct sa_hss_state sa_hss_state_t;

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
    gboolean     feed_cut;       /* a bound applied while feeding the current message */
    GHashTable  *cut_msgs;       /* ids of messages a bound applied to; NULL until one does (hostile input) */
    GHashTable  *unknown_algs;   /* attempt -> its retry's algorithm as written, when no known one; NULL until one */
    gint64       last_time;      /* the latest capture time fed: where the capture ends */
    sa_keytable_t *dns_clients;  /* address -> sa_dns_client_t, the hosts that sent DNS queries */
    GPtrArray   *dns_logs;       /* every client's queries array, to free them */
    sa_secret_source_t secret_source; /* NULL: credentials are not checked */
    gconstpointer secret_source_data;
    GHashTable  *user_agents;    /* interned User-Agent -> GUINT_TO_POINTER(1 + is a scanner); NULL until one */
    /* The User-Agent interned last, and whether it is a scanner's: the next message nearly always has it. */
    const char  *last_user_agent;
    gboolean     last_user_agent_scanner;
    sa_attacks_t *attacks;
    sa_reg_index_t *registrations; /* built on the first registration query */
    sa_sec_state_t *sec;         /* security agreement (secagree.c); NULL until a Security-* header */
    sa_hss_state_t *hss;         /* Diameter Cx (hss.c); NULL until a Cx message */
};

/* Key building: inline, as every message builds one or two keys. */

static inline void
key_start(sa_key_builder_t *builder)
{
    builder->len = 0;
    builder->cut = FALSE;
}

/* Adds a string cut to SA_MAX_STRING, and its NUL; an absent one adds an empty string. */
static inline void
key_add_span(sa_key_builder_t *builder, sa_span_t span)
{
    if (span.ptr) {
        builder->cut = builder->cut || span.len > SA_MAX_STRING;
        gsize n = MIN(span.len, SA_MAX_STRING);
        memcpy(builder->bytes + builder->len, span.ptr, n);
        builder->len += n;
    }
    builder->bytes[builder->len++] = '\0';
}

static inline void
key_add_str(sa_key_builder_t *builder, const char *str)
{
    sa_span_t span = { str, str ? strlen(str) : 0 };
    key_add_span(builder, span);
}

static inline void
key_add_number(sa_key_builder_t *builder, guint32 number)
{
    memcpy(builder->bytes + builder->len, &number, sizeof number);
    builder->len += sizeof number;
}

/* A key pointing into the builder: valid until it is reused. */
static inline sa_key_t
key_finish(const sa_key_builder_t *builder)
{
    return sa_key_make(builder->bytes, builder->len);
}

/* Copies a built key into room inside its record, where the key table will read it. */
static inline void
store_key(sa_key_t *stored, char *room, const sa_key_t *key)
{
    memcpy(room, key->bytes, key->len);
    stored->bytes = room;
    stored->len = key->len;
    stored->hash = key->hash;
}

static inline sa_msg_id_t
add_msg(sa_tracker_t *tracker, sa_txn_t *txn, sa_msg_kind_t kind, gboolean duplicate)
{
    sa_msg_t msg = (guintptr)txn | (guintptr)kind | (duplicate ? SA_MSG_DUPLICATE : 0);
    g_array_append_val(tracker->msgs, msg);
    return tracker->msgs->len - 1;
}

/* Storage (store.c): strings, the frame index. */

/* Whether a span, cut as it is stored, is the stored string; both absent counts as equal. */
gboolean sa_span_is_stored(sa_span_t span, const char *stored);
/* Interns a span, cut to SA_MAX_STRING (compared by address); NULL stays NULL. */
const char *sa_intern_span(sa_tracker_t *tracker, sa_span_t span);
/* Copies a span, cut to SA_MAX_STRING, without looking for an equal string. */
const char *sa_copy_span(sa_tracker_t *tracker, sa_span_t span);
/* A span as it is kept: cut to SA_MAX_STRING. */
static inline sa_span_t
span_as_kept(sa_span_t span)
{
    span.len = MIN(span.len, SA_MAX_STRING);
    return span;
}


/* Results (results.c, verdict.c). */
sa_outcome_t sa_attempt_outcome(const sa_attempt_t *attempt, sa_view_t view);
/* A nonce refresh rather than refused credentials: stale=true, or a reason phrase about the nonce. */
gboolean sa_attempt_is_refresh(const sa_attempt_t *attempt);
/* Sets the flow's fields of a result (verdict, first and final frames, auth time) and, on a challenge, the
 * finding that states the verdict. */
void sa_fill_verdict(const sa_tracker_t *tracker, const sa_flow_t *flow, sa_view_t view, sa_result_t *result);
/* The DNS queries of the host at a textual address (a top-Via host) between two times, into the result's dns_*
 * fields; nothing when the address is a name or sent no DNS. */
void sa_fill_dns(const sa_tracker_t *tracker, const char *host, gint64 from_ns, gint64 to_ns, sa_result_t *result);

/* Checks a retry's credentials against the challenge it answers (credentials.c): the findings that need no
 * secret into retry->retry_findings, the verification into the attempt. */
void sa_check_retry_credentials(sa_tracker_t *tracker, sa_attempt_t *attempt, sa_txn_t *retry,
                                const sa_event_t *event);
/* Reads a challenge header's parameters the retry is checked against into a realm slot. */
void sa_note_challenge_params(sa_realm_nonce_t *slot, const char *header_value, const sa_auth_params_t *params);

/* Credential attacks (attacks.c). */
/* Where one was found: the source, its distinct user names with failures in the window (0: a scanner's
 * User-Agent, then named). */
typedef struct {
    guint8      addr[SA_ADDR_MAX];
    guint       addr_len;
    guint       usernames;
    const char *user_agent;
} sa_attack_t;
sa_attacks_t *sa_attacks_new(void);
void sa_attacks_free(sa_attacks_t *attacks);
gboolean sa_user_agent_is_scanner(const char *user_agent);
/* A retry refused at site (the refusing challenge's attempt, or the retry's transaction for a 403). */
void sa_attacks_note_refusal(sa_tracker_t *tracker, gconstpointer site, gboolean site_is_txn, sa_addr_t src,
                             const sa_txn_t *retry, gint64 time_ns);
/* The challenge just opened (the last of tracker->attempts) went to src: a failure if no retry comes within
 * the retry timeout. */
void sa_attacks_note_challenge(sa_tracker_t *tracker, sa_addr_t src);
/* The capture reached now: challenges older than the retry timeout without a retry are failures. */
void sa_attacks_advance(sa_tracker_t *tracker, gint64 now_ns);
/* A challenge to a request whose User-Agent names a scanner. */
void sa_attacks_note_scanner(sa_tracker_t *tracker, sa_attempt_t *attempt, sa_addr_t src, const char *user_agent);
const sa_attack_t *sa_attacks_at(const sa_tracker_t *tracker, gconstpointer site);

/* A transaction's user name: its credentials' username, else the user part of its AOR (REGISTER) or From URI. */
gboolean sa_txn_user(const sa_txn_t *txn, sa_span_t *user);

/* Registrations (registrations.c). */
void sa_reg_index_free(sa_reg_index_t *index);

/* Records that message id belongs to frame. */
/* Security agreement (secagree.c): notes from feeding, and what a result and a verdict read of them. */
void sa_sec_free(sa_sec_state_t *sec);
void sa_sec_note_request(sa_tracker_t *tracker, sa_txn_t *txn, const sa_event_t *event);
void sa_sec_note_challenge(sa_tracker_t *tracker, sa_attempt_t *attempt, const sa_event_t *event);
void sa_sec_note_retry(sa_tracker_t *tracker, const sa_attempt_t *attempt, const sa_event_t *event);
void sa_sec_fill(const sa_tracker_t *tracker, const sa_attempt_t *attempt, sa_result_t *result);
gboolean sa_sec_retry_protected(const sa_tracker_t *tracker, const sa_attempt_t *attempt, gboolean *null_ealg);

/* The HSS (hss.c): notes from feeding SIP where Cx was seen, what a result reads, and the vectors as a secret
 * source (tried before the user's table: the HSS's vector is what the S-CSCF checked). */
void sa_hss_free(sa_hss_state_t *hss);
void sa_hss_note_challenge(sa_tracker_t *tracker, sa_attempt_t *attempt, const sa_event_t *event);
void sa_hss_note_sip_failure(sa_tracker_t *tracker, const sa_event_t *event);
void sa_hss_fill(const sa_tracker_t *tracker, const sa_attempt_t *attempt, sa_result_t *result);
gboolean sa_hss_secret(const sa_tracker_t *tracker, const sa_secret_query_t *query, sa_secret_t *secret);

/* Retries with auts in attempt's flow before attempt's own retry (a bounded walk). */
guint sa_resyncs_before(const sa_attempt_t *attempt);

void sa_note_frame(sa_tracker_t *tracker, guint32 frame, sa_msg_id_t id);
/* Records that a bound applied to message id, and asks whether one did. */
void sa_note_cut(sa_tracker_t *tracker, sa_msg_id_t id);
gboolean sa_msg_was_cut(const sa_tracker_t *tracker, sa_msg_id_t id);

#endif
