/* The challenge tracker: follows SIP 401/407 challenges from SIP message records, without epan. */
#ifndef SIPAUTH_TRACKER_H
#define SIPAUTH_TRACKER_H

#include <glib.h>
#include "sipauth/findings.h"
#include "sipauth/vocabulary.h"
#include "sipauth/secrets.h"
#include "sipauth/credcheck.h"
#include "sipauth/span.h"

G_BEGIN_DECLS

typedef struct sa_tracker sa_tracker_t;

/* Identifies one fed message; 0 means "not tracked" (provisional response, ICMP quote...). */
typedef guint32 sa_msg_id_t;

typedef struct {
    gboolean track_401;          /* follow 401/WWW-Authenticate too, not only 407 */
    guint    retry_timeout_s;    /* a retry that does not echo the nonce must come within this */
    guint    loop_threshold;     /* non-stale challenges in one flow that make a loop */
    gboolean heuristic_call_id;  /* link retries that use a new Call-ID */
    guint    slow_retry_s;       /* a retry later than this after its challenge is slow; 0: never */
    guint    attack_usernames;   /* distinct user names with failures from one source that make an attack; 0: never */
    guint    attack_window_s;    /* ... within this many seconds */
} sa_config_t;

void sa_config_init_defaults(sa_config_t *config);

/* A network address as the capture shows it (IPv4: 4 bytes, IPv6: 16); len 0 where unknown. */
#define SA_ADDR_MAX 16
typedef struct {
    const guint8 *bytes;
    guint len;
} sa_addr_t;

/* A list of header values, one per header line, in message order. */
typedef struct {
    const char *const *values;
    guint count;
} sa_header_list_t;

/*
 * One SIP message, as sa_sip_message_parse() reads it. Strings are the header
 * values (after "Name:"); NULL or an empty list where the header is absent.
 * The tracker copies what it keeps; the caller's strings may die after feed.
 */
typedef struct {
    guint32  frame;                  /* frame number, > 0 */
    gint64   time_ns;                /* absolute capture time */
    gboolean quoted_in_error;        /* SIP quoted inside an ICMP error: not part of any flow */
    gboolean truncated;              /* the reader already left part of the message out (its bytes past a
                                      * bound, header lines past a count): its results say so */
    const char *method;              /* request method; NULL for a response */
    const char *request_uri;         /* request: the Request-URI; NULL for a response */
    guint    status;                 /* response status code; 0 for a request */
    const char *reason;              /* response reason phrase; NULL for a request */
    const char *call_id;
    const char *cseq;                /* "314 INVITE" */
    const char *from;                /* From header value */
    const char *to;                  /* To header value */
    const char *user_agent;          /* User-Agent header value */
    const char *expires;             /* Expires header value */
    sa_header_list_t contact;
    sa_addr_t src;                   /* the frame's network source and destination (set by the caller) */
    sa_addr_t dst;
    guint16  src_port;               /* transport ports (set by the caller); 0 where unknown */
    guint16  dst_port;
    sa_header_list_t via;
    sa_header_list_t www_authenticate;
    sa_header_list_t proxy_authenticate;
    sa_header_list_t authorization;
    sa_header_list_t proxy_authorization;
    sa_header_list_t security_client;  /* RFC 3329 security agreement */
    sa_header_list_t security_server;
    sa_header_list_t security_verify;
    const guint8 *body;              /* the message body as captured (qop=auth-int hashes it); NULL if none */
    gsize    body_len;
    gboolean body_cut;               /* the body is not whole: Content-Length beyond the captured bytes */
} sa_event_t;

/* A DNS message: the tracker keeps the queries of the hosts that send any, to say what a UA did before a late
 * retry (the UA: the top-Via address of its challenged request). The client is the query's source, the
 * response's destination. */
typedef struct {
    guint32   frame;
    gint64    time_ns;
    sa_addr_t client;
    guint16   id;                    /* DNS transaction id */
    gboolean  response;
} sa_dns_event_t;

/* An ESP packet (RFC 4303): its SPI, and where it went. */
typedef struct {
    guint32   frame;
    gint64    time_ns;
    sa_addr_t src;
    sa_addr_t dst;
    guint32   spi;
} sa_esp_event_t;

/* One Diameter message, from its first byte (Cx: TS 29.229), and where it went. */
typedef struct {
    guint32       frame;
    gint64        time_ns;
    sa_addr_t     src;
    sa_addr_t     dst;
    const guint8 *data;
    gsize         len;
} sa_diameter_event_t;

/* A Cx answer (MAA or SAA) with an error (its code says the request failed), as the analysis reads it. */
typedef struct {
    guint32  command;            /* 303 Multimedia-Auth, 301 Server-Assignment */
    guint32  request_frame;      /* its request; 0 if not in the capture */
    guint32  answer_frame;
    gboolean has_hss_time;
    gint64   hss_time_ns;        /* request to answer */
    gboolean has_result;
    gboolean experimental;       /* the code is an Experimental-Result-Code */
    guint32  result_code;
    const char *user;            /* the public identity (scheme left out, lower-cased), else the private one */
    guint32  sip_frame;          /* the SIP failure to that user's REGISTER that followed; 0: none yet */
    guint    sip_status;
} sa_cx_answer_t;

/* What a query may assume about frames not fed yet. */
typedef enum {
    SA_VIEW_SO_FAR,   /* more frames may come (single pass): undecided outcomes stay unknown */
    SA_VIEW_FINAL     /* the whole capture was fed */
} sa_view_t;

/* How a flow's last step was left: its challenge without a retry, or its retry without an answer. */
typedef enum {
    SA_END_NONE,
    SA_END_GAVE_UP,              /* the retry timeout (Timer F for an answer) passed with nothing */
    SA_END_STARTED_OVER,         /* a new request without credentials came instead of a retry */
    SA_END_CAPTURE_ENDED,        /* the capture ended within that time: cut, not known to be broken */
    SA_END_NOT_YET               /* single pass: nothing yet, more frames may follow */
} sa_end_t;

/* What a challenged-again retry's next challenge was. */
typedef enum {
    SA_AGAIN_NONE,
    SA_AGAIN_REFUSAL,            /* in a realm the retry answered, without stale=true: credentials refused */
    SA_AGAIN_REFRESH,            /* stale=true, or a reason phrase about the nonce */
    SA_AGAIN_DOMAIN              /* only in other realms: a further authentication domain */
} sa_again_t;

/* What one message is to its flow. Frame numbers are 0 where unknown. */
typedef struct {
    guint32      flow;               /* 1-based flow number */
    sa_role_t    role;
    guint32      attempt;            /* challenge, retry: 1 for the first challenge */
    guint        challenge_code;     /* 401 or 407 on the challenge (and its retry) */
    guint32      request_frame;
    guint32      challenge_frame;
    guint32      ack_frame;
    guint32      retry_frame;
    guint32      result_frame;
    guint        result_code;        /* final status of the retry; 0 if none */
    gboolean     has_time_to_retry;
    gint64       time_to_retry_ns;
    sa_outcome_t outcome;            /* on challenges */
    sa_outcome_t flow_state;         /* challenge, retry, result: the outcome of the flow's latest attempt as
                                      * far as this message shows it (a challenge: no retry yet; a retry:
                                      * unanswered yet; a result: accepted or rejected); for tables that
                                      * must be right at any point of a single pass */
    guint        answered_code;      /* challenge of attempt > 1: the code of the challenge its request answered */
    gboolean     retransmission;     /* a later copy of a message already fed */
    gboolean     heuristic;          /* the retry was matched by the new-Call-ID heuristic */
    gboolean     stale;              /* the challenge said stale=true */
    sa_finding_mask_t findings;      /* SA_FINDING_BIT() set */
    const char  *method;             /* CSeq method of the challenged request */
    const char  *realm;              /* first challenged realm, or NULL */
    guint        offered_algorithms; /* sa_digest_alg_set_t the first realm's Digest challenge offered; 0: not Digest */
    const char  *username;           /* username of the retry's credentials, or NULL */
    const char  *from_uri;           /* From URI of the challenged request, or NULL */

    /* The flow as a whole (every message of it): one verdict, and where to look. */
    sa_verdict_t verdict;
    sa_verdict_t verdict_now;        /* the verdict if the capture ended at this message: the same in the final
                                      * view; for tables that must be right at any point of a single pass */
    sa_finding_t statement;          /* challenge: the finding that states the verdict, shown at its own
                                      * severity; the frame's other findings are details (at most Note).
                                      * SA_FINDING_COUNT: none (no challenge, or nothing known yet) */
    guint32      first_request_frame; /* the flow's first challenged request; 0 if before the capture */
    guint32      final_frame;        /* the flow's last final response; 0 while undecided */
    gboolean     has_auth_time;
    gint64       auth_time_ns;       /* accepted flows: first request to the accepting 2xx */
    guint        refusals;           /* retries of the flow challenged again in a realm they answered */
    sa_end_t     end;                /* no retry, refused, unanswered: how the last step was left (the end of
                                      * the capture is where the tracker is) */
    gboolean     no_challenge_header; /* the last challenge had no authenticate header to answer */
    gboolean     last_was_refresh;   /* the last challenge refreshed the nonce of the retry before it */
    guint        failure_code;       /* rejected: the failing final status (rules in explain.h) */

    /* This message's own step. */
    const char  *result_reason;      /* challenge, retry: reason phrase of the retry's final response */
    sa_again_t   again;              /* challenge challenged again: what the next challenge was */
    gboolean     stale_by_reason;    /* stale_nonce said by the reason phrase, without stale=true */
    guint        dns_queries;        /* slow retry: the UA's DNS queries between challenge and retry */
    guint        dns_unanswered;     /* of which no response was seen */
    guint32      dns_frame;          /* the first of them */

    /* The retry's credentials (SPEC section 10): on the retry, and on the challenge it answers. */
    sa_credentials_t credentials;    /* NONE where not a retry */
    sa_check_reason_t check_reason;  /* CANNOT_CHECK: why */
    sa_autn_check_t autn;            /* IMS AKA with keys: the challenge's AUTN */
    const char  *algorithm;          /* the credentials' algorithm name, NULL when no Digest credentials */
    const char  *qop;                /* their qop, NULL when none */
    sa_qop_check_t qop_check;
    sa_response_check_t response_check;
    sa_credentials_t refused_credentials; /* the flow's refused (or 403) retry's credentials, for the statement */
    gboolean     hss_verified;       /* credentials (or refused_credentials) were checked with the HSS's vector, the
                                      * MAA's XRES or HA1, not with the credentials table */

    /* Who (SPEC section 12). */
    const char  *user_uri;           /* the challenged request's AOR (To URI of a REGISTER) or From URI: whose
                                      * user name a flow without credentials probed (sa_result_user) */
    const char  *user_agent;         /* User-Agent of the challenged request (or of the retry), NULL if none */
    gboolean     refusal;            /* this message refused a retry: a challenge refusing the retry before it
                                      * (retry_challenged), or a 403 to a retry */
    sa_addr_t    attack_source;      /* credential_attack: the source; attack_usernames its distinct user names
                                      * with failures within the window (0: a scanner's User-Agent) */
    guint        attack_usernames;
    const char  *attack_user_agent;  /* credential_attack by User-Agent: the one announced */

    /* Security agreement (SPEC section 11): a REGISTER's 401 and its retry. */
    const char  *sec_mechanism;      /* the 401's Security-Server ipsec-3gpp offer ("ipsec-3gpp hmac-md5-96 null"),
                                      * NULL if none */
    guint32      spi_c, spi_s;       /* its SPIs (has_spi_*) and ports (0: absent) */
    guint32      port_c, port_s;
    gboolean     has_spi_c, has_spi_s;
    guint32      esp_frame;          /* challenge without a decoded retry: the first ESP from the UE with spi-s */
    gboolean     esp_null;           /* ... and the offer's ealg is null */

    /* The HSS behind the challenge (SPEC section 11, Diameter Cx); frames 0 where not in the capture. */
    guint32      mar_frame, maa_frame; /* challenge: the Multimedia-Auth that gave it its vector */
    gboolean     has_hss_time;
    gint64       hss_time_ns;        /* ... MAR to MAA */
    guint32      sar_frame, saa_frame; /* result: the Server-Assignment that followed that Multimedia-Auth */
    gboolean     has_hss_result;
    guint32      hss_result;         /* challenge: the MAA's code; result: the SAA's */
} sa_result_t;

sa_tracker_t *sa_tracker_new(const sa_config_t *config);
/* Where retries' secrets come from (the credentials table, an HSS's vectors); NULL: none, every retry is
 * "not checked". The source must outlive the tracker or be replaced first. */
void sa_tracker_set_secret_source(sa_tracker_t *tracker, sa_secret_source_t source, gconstpointer source_data);
void sa_tracker_free(sa_tracker_t *tracker);

/* Feeds messages in capture order; returns the id to query the message with later. */
sa_msg_id_t sa_tracker_feed(sa_tracker_t *tracker, const sa_event_t *event);

/* Feeds an ESP packet (in capture order with the SIP messages); costs nothing until a Security-* header
 * was fed. */
void sa_tracker_feed_esp(sa_tracker_t *tracker, const sa_esp_event_t *event);

/* Feeds a Diameter message (in capture order with the SIP messages); only Cx Multimedia-Auth and
 * Server-Assignment are kept, and a capture without them pays nothing. */
void sa_tracker_feed_diameter(sa_tracker_t *tracker, const sa_diameter_event_t *event);

/* The Cx answers with an error of a frame (fed with sa_tracker_feed_diameter), at most max into out; returns
 * how many. A successful answer shows nothing on its own frame. */
guint sa_tracker_cx_answers(const sa_tracker_t *tracker, guint32 frame, sa_cx_answer_t *out, guint max);

/* Feeds a DNS message (in capture order with the SIP messages). */
void sa_tracker_feed_dns(sa_tracker_t *tracker, const sa_dns_event_t *event);

/* The tracked messages of a frame: ids *first .. *first + count - 1; returns the count (0: none).
 * Frames are fed in increasing order on Wireshark's first pass; a frame fed again later keeps the
 * ids of its first feeding (and of a feeding whose ids follow them directly). Look-ups in frame
 * order cost no search (a pass); others a binary search. */
guint sa_tracker_frame_messages(sa_tracker_t *tracker, guint32 frame, sa_msg_id_t *first);

/* Fills *result for a fed message; FALSE if the message belongs to no flow. */
gboolean sa_tracker_result(const sa_tracker_t *tracker, sa_msg_id_t id, sa_view_t view,
                           sa_result_t *result);

/* For a challenge: the message that carried the request it challenged, 0 if not fed (single pass: that
 * request joined the flow only with its challenge). Not for the per-frame path: it may cost a search. */
sa_msg_id_t sa_tracker_challenged_request(sa_tracker_t *tracker, sa_msg_id_t challenge);

/* Calls func with the challenge's result for every challenge (first transmissions), in frame order. */
typedef void (*sa_challenge_func_t)(const sa_result_t *challenge, gpointer user_data);
void sa_tracker_foreach_challenge(const sa_tracker_t *tracker, sa_view_t view,
                                  sa_challenge_func_t func, gpointer user_data);

guint sa_tracker_flow_count(const sa_tracker_t *tracker);

/* The user name of a result's flow: its retry's credentials' username, else the user part of user_uri. */
gboolean sa_result_user(const sa_result_t *result, sa_span_t *user);

const char *sa_role_name(sa_role_t role);
const char *sa_outcome_name(sa_outcome_t outcome);
const char *sa_finding_abbrev(sa_finding_t finding);
const char *sa_verdict_name(sa_verdict_t verdict);

G_END_DECLS

#endif
