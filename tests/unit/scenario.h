/* Builds SIP message records for the tracker tests, so that each test reads like its call flow. */
#ifndef SIPAUTH_TEST_SCENARIO_H
#define SIPAUTH_TEST_SCENARIO_H

#include <glib.h>
#include "sipauth/tracker.h"

/* One message; unset fields take the defaults of a UA at 10.0.0.1 talking to one proxy. */
typedef struct {
    double      at;             /* seconds since the capture started */
    const char *method;         /* request method; NULL for a response */
    guint       status;
    const char *reason;         /* reason phrase of a response; default none */
    const char *call_id;        /* default "call-1@ua" */
    guint       cseq;           /* default 1 */
    const char *cseq_method;    /* default: method, or "INVITE" for responses */
    const char *branch;         /* default "z9hG4bK-<cseq>" (requests and their responses share it) */
    const char *via_host;       /* default "10.0.0.1" */
    guint       extra_vias;     /* Vias below the top one */
    const char *via;            /* whole Via value, overrides branch/via_host */
    const char *from;           /* default "<sip:alice@example.com>;tag=a1" */
    const char *www_authenticate;
    const char *www_authenticate2;
    const char *proxy_authenticate;
    const char *proxy_authenticate2;
    const char *authorization;
    const char *proxy_authorization;
    const char *proxy_authorization2;
    const char *request_uri;    /* request: the Request-URI; default none (its uri is then not compared) */
    const char *body;           /* request: the message body, for qop=auth-int */
    gboolean    body_cut;       /* the body is not whole in the capture */
    gboolean    in_icmp;
    const char *to;             /* To header; default none (a REGISTER's AOR is then its From URI) */
    const char *user_agent;
    const char *expires;        /* Expires header */
    const char *contact;        /* one Contact header */
    const char *src;            /* the frame's network source and destination, IPv4 text; default none */
    const char *dst;
} sc_msg_t;

/* The defaults of call_id and from. */
#define SC_CALL_ID "call-1@ua"
#define SC_FROM    "\"Alice\" <sip:alice@example.com>;tag=a1"

/* Every field of sc_msg_t but at, X(field), so that a recording copies and compares them all:
 * the identifying strings, the authentication headers, the numbers. */
#define SC_MSG_IDS(X) X(method) X(reason) X(call_id) X(cseq_method) X(branch) X(via_host) X(via) X(from) \
    X(request_uri) X(body) X(to) X(user_agent) X(expires) X(contact) X(src) X(dst)
#define SC_MSG_AUTH(X) X(www_authenticate) X(www_authenticate2) X(proxy_authenticate) X(proxy_authenticate2) \
    X(authorization) X(proxy_authorization) X(proxy_authorization2)
#define SC_MSG_STRINGS(X) SC_MSG_IDS(X) SC_MSG_AUTH(X)
#define SC_MSG_NUMBERS(X) X(status) X(cseq) X(extra_vias) X(body_cut) X(in_icmp)

/* Every message a scenario sends, kept for the replays that sc_free runs (replay.h). */
typedef struct sc_recording sc_recording_t;

typedef struct {
    sa_tracker_t *tracker;
    guint32       frames;
    GArray       *ids;          /* sa_msg_id_t per frame, index = frame */
    sc_recording_t *recording;
} sc_t;

sc_t *sc_new(const sa_config_t *config);   /* NULL: defaults */
/* Ends the scenario: after the test's own assertions, replays it (replay.h) and fails the test on a difference. */
void sc_free(sc_t *sc);
/* For a scenario that cannot be replayed (say why): keep these rare. */
void sc_no_replay(sc_t *sc, const char *reason);

/* Where the scenario's trackers (and its replays') take retries' secrets from; the source must live until the
 * test program ends (replays run after the test). */
void sc_set_secrets(sc_t *sc, sa_secret_source_t source, gconstpointer data);

/* Feeds one message as the next frame; returns its frame number. */
guint32 sc_send(sc_t *sc, const sc_msg_t *msg);
#define SEND(sc, ...) sc_send((sc), &(sc_msg_t){ __VA_ARGS__ })

/* A message's capture time; sc_feed feeds it to any tracker as frame, shift_ns later (sc_send, unrecorded). */
gint64 sc_time_ns(const sc_msg_t *msg);
sa_msg_id_t sc_feed(sa_tracker_t *tracker, guint32 frame, gint64 shift_ns, const sc_msg_t *msg);

/* The tracker's result for a frame; role NONE if the frame is in no flow. */
sa_result_t sc_final(sc_t *sc, guint32 frame);
sa_result_t sc_so_far(sc_t *sc, guint32 frame);
/* The tracker's message id of a frame. */
sa_msg_id_t sc_id(sc_t *sc, guint32 frame);

gboolean sc_has(sa_result_t r, sa_finding_t finding);

/* Digest header values used throughout the tests. */
#define CHALLENGE(realm, nonce) "Digest realm=\"" realm "\", nonce=\"" nonce "\", algorithm=MD5, qop=\"auth\""
#define STALE(realm, nonce) "Digest realm=\"" realm "\", nonce=\"" nonce "\", stale=TRUE, algorithm=MD5"
#define CREDS(realm, nonce) "Digest username=\"alice\", realm=\"" realm "\", nonce=\"" nonce "\", " \
    "uri=\"sip:example.com\", response=\"0123456789abcdef0123456789abcdef\", cnonce=\"c1\", nc=00000001, qop=auth"

#endif
