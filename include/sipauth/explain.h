/* What the analysis says: one fixed text per finding and case, declared once, so that alike cases group
 * together in expert summaries (tshark -z expert; the GUI's Expert Information groups by registered text, so
 * the plugin registers one expert info per text); frames and values are fields beside them. */
#ifndef SIPAUTH_EXPLAIN_H
#define SIPAUTH_EXPLAIN_H

#include "sipauth/tracker.h"

G_BEGIN_DECLS

#define SA_TEXT_CHECK_CREDS "check user name, realm and password (AKA keys in IMS)"
#define SA_TEXT_STALE_HINT "without stale=true, a UA may take the new challenge for refused credentials"
#define SA_TEXT_CUT "single pass: tshark -2 tells how it ended"
#define SA_TEXT_HSS_WRONG "the response does not verify with the HSS's vector (the MAA's XRES or HA1): the UE's keys " \
                          "(ISIM) or password are not the HSS's"
#define SA_TEXT_HSS_RIGHT "the response verifies with the HSS's vector (the MAA's XRES or HA1): look at the network " \
                          "(the S-CSCF, its Server-Assignment with the HSS), not the UE"
#define SA_TEXT_UA_WRONG "the response does not verify with the credentials table: the UA's password (or AKA keys) " \
                         "is wrong"
#define SA_TEXT_SERVER_SIDE "the response verifies with the credentials table: look at the server (its stored " \
                            "password or HA1, realm, nonce store, HSS)"

/* X(ID, finding, text): every text a finding is shown with. */
#define SA_TEXTS(X) \
    /* the statements of the verdicts, on every challenge of a flow */ \
    X(ACCEPTED,            CHALLENGE_ANSWERED, "Authentication step: the authenticated retry was accepted") \
    X(ACCEPTED_REFRESH,    CHALLENGE_ANSWERED, "Authentication step: accepted after a nonce refresh") \
    X(ACCEPTED_REFUSAL,    CHALLENGE_ANSWERED, "Accepted after refused credentials: a later retry got them right " \
                                               "(count in sipauth.refusals)") \
    X(REFUSED_GAVE_UP,     RETRY_CHALLENGED,   "Credentials refused, then the UA gave up: " SA_TEXT_CHECK_CREDS) \
    X(REFUSED_STARTED_OVER, RETRY_CHALLENGED,  "Credentials refused, then the UA started over without credentials: " \
                                               SA_TEXT_CHECK_CREDS) \
    X(REFUSED_CAPTURE_END, RETRY_CHALLENGED,   "Credentials refused; the capture ended before the UA tried again") \
    X(REFUSED_NOT_YET,     RETRY_CHALLENGED,   "Credentials refused; no new try seen yet (" SA_TEXT_CUT ")") \
    X(LOOP,                CHALLENGE_LOOP,     "Challenge loop: the credentials were refused again and again " \
                                               "(password, AKA keys or realm)") \
    /* the same, where the credentials table verified the refused retry */ \
    X(REFUSED_WRONG,       RETRY_CHALLENGED,   "Credentials refused: " SA_TEXT_UA_WRONG) \
    X(REFUSED_CORRECT,     RETRY_CHALLENGED,   "Correct credentials refused: " SA_TEXT_SERVER_SIDE) \
    X(LOOP_WRONG,          CHALLENGE_LOOP,     "Challenge loop: " SA_TEXT_UA_WRONG) \
    X(LOOP_CORRECT,        CHALLENGE_LOOP,     "Challenge loop with correct credentials: " SA_TEXT_SERVER_SIDE) \
    X(NO_RETRY_NO_HEADER,  MISSING_RETRY,      "No authenticated retry: the challenge carries no authenticate " \
                                               "header to answer") \
    X(NO_RETRY_REFRESH_STARTED_OVER, MISSING_RETRY, "No retry after a nonce refresh: the UA started over " \
                                               "without credentials (" SA_TEXT_STALE_HINT ")") \
    X(NO_RETRY_REFRESH_GAVE_UP, MISSING_RETRY, "No retry after a nonce refresh: the UA gave up (" SA_TEXT_STALE_HINT ")") \
    X(NO_RETRY_STARTED_OVER, MISSING_RETRY,    "No authenticated retry: the UA started over without credentials " \
                                               "(none configured for this realm?)") \
    X(NO_RETRY_CAPTURE_END, MISSING_RETRY,     "No authenticated retry before the capture ended: the flow is cut by " \
                                               "the capture, not known to be broken") \
    X(NO_RETRY_NOT_YET,    MISSING_RETRY,      "No authenticated retry seen yet (" SA_TEXT_CUT ")") \
    X(NO_RETRY_GAVE_UP,    MISSING_RETRY,      "No authenticated retry: the UA never answered the challenge (no " \
                                               "credentials for this realm, or the challenge did not reach it)") \
    X(UNANSWERED_CAPTURE_END, RETRY_UNANSWERED, "The authenticated retry got no final response before the capture " \
                                               "ended") \
    X(UNANSWERED_NOT_YET,  RETRY_UNANSWERED,   "No final response to the authenticated retry seen yet (" SA_TEXT_CUT ")") \
    X(UNANSWERED,          RETRY_UNANSWERED,   "The authenticated retry never got a final response: the server or " \
                                               "the path beyond it did not answer") \
    X(PROTECTED_NULL,      RETRY_IN_IPSEC,     "Retry protected: no decoded retry, but ESP from the UE with the " \
                                               "offered SPI follows (ealg null: enable " \
                                               "esp.enable_null_encryption_decode_heuristic to decode it)") \
    X(PROTECTED_SA,        RETRY_IN_IPSEC,     "Retry protected: no decoded retry, but ESP from the UE with the " \
                                               "offered SPI follows (encrypted: add the SA to the ESP SA table to " \
                                               "decode it)") \
    /* a failed retry, by its status code (sa_failure_of): on the result, and stating a rejected flow */ \
    X(FAILED_FORBIDDEN,    RETRY_FAILED,       "Retry refused with 403: the server did not accept these credentials " \
                                               "(user name, realm, password or AKA keys)") \
    X(FORBIDDEN_WRONG,     RETRY_FAILED,       "Retry refused with 403: " SA_TEXT_UA_WRONG) \
    X(FORBIDDEN_CORRECT,   RETRY_FAILED,       "Correct credentials refused with 403: " SA_TEXT_SERVER_SIDE) \
    X(FORBIDDEN_HSS_WRONG, RETRY_FAILED,       "Retry refused with 403: " SA_TEXT_HSS_WRONG) \
    X(FORBIDDEN_HSS_RIGHT, RETRY_FAILED,       "Correct credentials refused with 403: " SA_TEXT_HSS_RIGHT) \
    X(FAILED_ROUTING,      RETRY_FAILED,       "Retry passed authentication, then was not routed (404, 480...): the " \
                                               "target is unknown or unreachable, not an authentication matter") \
    X(FAILED_NOT_AUTH,     RETRY_FAILED,       "Retry passed authentication, then was declined (busy, codec, event " \
                                               "package...): not an authentication matter") \
    X(FAILED_INTERVAL,     RETRY_FAILED,       "Retry refused with 423 Interval Too Brief: register again with the " \
                                               "server's Min-Expires") \
    X(FAILED_SECURITY,     RETRY_FAILED,       "Retry refused with 494 Security Agreement Required: a " \
                                               "Security-Client/Server agreement (RFC 3329) must come first") \
    X(FAILED_TIMEOUT,      RETRY_FAILED,       "Retry timed out (408): the next hop did not answer in time") \
    X(FAILED_SERVER,       RETRY_FAILED,       "Retry failed with a server error (5xx): the server or the network " \
                                               "behind it, not the credentials") \
    X(FAILED_OTHER,        RETRY_FAILED,       "Retry ended in a failure response: its reason phrase is in " \
                                               "sipauth.result_reason") \
    /* each finding's own text, where it does not state a verdict */ \
    X(MISSING_RETRY,       MISSING_RETRY,      "No authenticated retry after this challenge") \
    X(RETRY_CHALLENGED,    RETRY_CHALLENGED,   "The retry before this challenge was challenged again without " \
                                               "stale=true: credentials refused") \
    X(STALE_NONCE,         STALE_NONCE,        "Challenged again with stale=true: a normal nonce refresh") \
    X(STALE_BY_REASON,     STALE_NONCE,        "Challenged again with a reason phrase about the nonce, without " \
                                               "stale=true: a nonce refresh (a UA may read it as a refusal)") \
    X(RETRY_NO_ANSWER,     RETRY_UNANSWERED,   "No final response to this authenticated retry in the capture") \
    X(WRONG_HEADER_407,    WRONG_HEADER,       "Retry answers a 407 with Authorization instead of Proxy-Authorization") \
    X(WRONG_HEADER_401,    WRONG_HEADER,       "Retry answers a 401 with Proxy-Authorization instead of Authorization") \
    X(CSEQ_NOT_INCREMENTED, CSEQ_NOT_INCREMENTED, "Retry CSeq is not above the challenged request's CSeq (RFC 3261 " \
                                               "22.2)") \
    X(NONCE_MISMATCH,      NONCE_MISMATCH,     "Retry nonce is not the challenged nonce: stale or reused credentials") \
    X(REALM_MISMATCH,      REALM_MISMATCH,     "Retry realm is none of the challenged realms") \
    X(NO_HEADER_407,       MISSING_CHALLENGE_HEADER, "407 without Proxy-Authenticate: the UA cannot answer this " \
                                               "challenge") \
    X(NO_HEADER_401,       MISSING_CHALLENGE_HEADER, "401 without WWW-Authenticate: the UA cannot answer this challenge") \
    X(NO_ACK,              NO_ACK,             "This challenge to an INVITE was never ACKed: did the UA receive it?") \
    X(RETRANSMITTED,       CHALLENGE_RETRANSMITTED, "Challenge sent again: its ACK or the request retransmission was " \
                                               "lost") \
    X(SEC_SERVER_MISSING,  SEC_SERVER_MISSING, "401 to a REGISTER with Security-Client but without Security-Server " \
                                               "(TS 33.203 7.1): no security agreement offered") \
    X(SEC_VERIFY_MISMATCH, SEC_VERIFY_MISMATCH, "Retry without Security-Verify, or one that differs from the 401's " \
                                               "Security-Server (RFC 3329 2.3.1)") \
    X(RETRY_UNPROTECTED,   RETRY_UNPROTECTED,  "Retry sent in the clear to a port that is not the offered protected " \
                                               "port-s, although the 401 offered an SA") \
    X(HSS_ERROR_MAA,       HSS_ERROR,          "The HSS refused the Multimedia-Auth request: no authentication " \
                                               "vector, so the S-CSCF cannot challenge and the REGISTER fails") \
    X(HSS_ERROR_SAA,       HSS_ERROR,          "The HSS refused the Server-Assignment after the authentication: the " \
                                               "registration fails on the network side, whatever the credentials") \
    X(NO_AUTH_VECTOR,      NO_AUTH_VECTOR,     "S-CSCF challenge with no Multimedia-Auth answer giving its nonce, " \
                                               "although this S-CSCF's Cx traffic is in the capture (a vector " \
                                               "fetched before the capture, or another path to the HSS)") \
    X(RESYNC_LOOP,         RESYNC_LOOP,        "IMS AKA resynchronisation again: the UE sent auts a second time, the " \
                                               "new vector failed its sequence check too (SQN of ISIM and HSS out of " \
                                               "step, or the HSS did not take the AUTS)") \
    X(AKA_RESYNC,          AKA_RESYNC,         "Retry carries auts: IMS AKA synchronisation failure (sequence number " \
                                               "out of range)") \
    X(TRUNCATED,           ANALYSIS_TRUNCATED, "Analysis bound reached: part of this message was not analysed") \
    X(SLOW_NO_DNS,         SLOW_RETRY,         "Authenticated retry came late; the capture shows no DNS query from " \
                                               "the UA in between (a password prompt, or traffic not captured)") \
    X(SLOW_DNS_UNANSWERED, SLOW_RETRY,         "Authenticated retry came late; in between, the UA's DNS queries went " \
                                               "unanswered") \
    X(SLOW_DNS_SOME_UNANSWERED, SLOW_RETRY,    "Authenticated retry came late; in between, some of the UA's DNS " \
                                               "queries went unanswered") \
    X(SLOW_DNS_ANSWERED,   SLOW_RETRY,         "Authenticated retry came late; in between, the UA made DNS queries, " \
                                               "all answered") \
    /* the credentials of a retry (SPEC section 10) */ \
    X(URI_MISMATCH,        URI_MISMATCH,       "Credentials' uri is not the Request-URI (RFC 3261 22.4): the server " \
                                               "hashes another uri than the UA; fix the UA") \
    X(ALGORITHM_NOT_OFFERED, ALGORITHM_NOT_OFFERED, "Credentials use an algorithm no challenge of this realm offered: " \
                                               "the server cannot check them; fix the UA's algorithm") \
    X(ALGORITHM_DOWNGRADE, ALGORITHM_DOWNGRADE, "The UA answered a weaker algorithm than the strongest offered (RFC " \
                                               "8760): check its algorithm support") \
    X(QOP_NOT_USED,        QOP_MISMATCH,       "The challenge offered qop and the credentials use none (RFC 7616): " \
                                               "fix the UA") \
    X(QOP_NOT_OFFERED,     QOP_MISMATCH,       "Credentials use a qop the challenge did not offer: fix the UA") \
    X(QOP_NO_CNONCE_NC,    QOP_MISMATCH,       "Credentials use qop without cnonce or nc: the response cannot be " \
                                               "computed; fix the UA") \
    X(NC_NOT_INCREMENTED,  NC_NOT_INCREMENTED, "Nonce used again with a nonce count not above the previous one: the " \
                                               "server may take it for a replay; fix the UA's nc") \
    X(OPAQUE_MISMATCH,     OPAQUE_MISMATCH,    "Credentials do not echo the challenge's opaque unchanged: fix the UA " \
                                               "(or the proxy that rewrote it)") \
    X(RESPONSE_MISSING,    RESPONSE_MALFORMED, "Credentials carry no response: fix the UA") \
    X(RESPONSE_LENGTH,     RESPONSE_MALFORMED, "Credentials' response is not the length the algorithm gives: fix the " \
                                               "UA") \
    X(RESPONSE_NOT_HEX,    RESPONSE_MALFORMED, "Credentials' response is not hexadecimal: fix the UA") \
    X(USERNAME_CHANGED,    USERNAME_CHANGED,   "User name differs from the flow's previous attempt: the UA switched " \
                                               "account (or IMPI)") \
    X(WRONG_CREDENTIALS,   WRONG_CREDENTIALS,  "Response does not verify with the credentials table: the UA's " \
                                               "password (or AKA keys) is wrong") \
    X(CREDENTIALS_CORRECT, CREDENTIALS_CORRECT, "Response verifies with the credentials table: the UA's credentials " \
                                               "are correct") \
    X(CORRECT_REFUSED,     CORRECT_CREDENTIALS_REFUSED, "Correct credentials refused: " SA_TEXT_SERVER_SIDE) \
    X(WRONG_CREDENTIALS_HSS, WRONG_CREDENTIALS, "Response does not verify with the HSS's vector (the MAA's XRES or " \
                                               "HA1): the UE's keys (ISIM) or password are wrong") \
    X(CREDENTIALS_CORRECT_HSS, CREDENTIALS_CORRECT, "Response verifies with the HSS's vector (the MAA's XRES or HA1): " \
                                               "the UE's credentials are correct") \
    X(CORRECT_REFUSED_HSS, CORRECT_CREDENTIALS_REFUSED, "Correct credentials refused: " SA_TEXT_HSS_RIGHT) \
    X(AKA_AUTN_INVALID,    AKA_AUTN_INVALID,   "The challenge's AUTN does not verify with the user's K and OP/OPc: " \
                                               "the network (HSS) has other keys for this user") \
    /* a source's behaviour (SPEC section 12); the frame shows the source and the count after the text */ \
    X(ATTACK_USERNAMES,    CREDENTIAL_ATTACK,  "Credential attack: one source had credentials refused or challenges " \
                                               "left unanswered for many user names (brute force or scan)") \
    X(ATTACK_SCANNER,      CREDENTIAL_ATTACK,  "Credential attack: the source announces a known SIP scanner in its " \
                                               "User-Agent")

typedef enum {
#define SA_TEXT_ENUM(id, finding, text) SA_TEXT_##id,
    SA_TEXTS(SA_TEXT_ENUM)
#undef SA_TEXT_ENUM
    SA_TEXT_COUNT
} sa_text_t;

/* Why an authenticated retry failed, read from its final status code. */
typedef enum {
    SA_FAILURE_NONE,             /* 1xx-2xx, or the challenges 401/407 */
    SA_FAILURE_FORBIDDEN,        /* 403 */
    SA_FAILURE_ROUTING,          /* 404 410 480 484 485 604: authenticated, then not routed */
    SA_FAILURE_NOT_AUTH,         /* 415 420 421 486 488 489 600 603 606: authenticated, then declined */
    SA_FAILURE_INTERVAL,         /* 423 */
    SA_FAILURE_SECURITY,         /* 494 */
    SA_FAILURE_TIMEOUT,          /* 408 */
    SA_FAILURE_SERVER,           /* 5xx */
    SA_FAILURE_OTHER
} sa_failure_t;

sa_failure_t sa_failure_of(guint status);

/* The text of a finding of a result: on a challenge, the statement of the flow's verdict when the finding
 * states it (result->statement), otherwise the finding's own text for its case. */
sa_text_t sa_finding_text_id(sa_finding_t finding, const sa_result_t *result);
/* The flow's verdict as it stands at this result (verdict_now) in words: what a table's hint says;
 * SA_TEXT_COUNT for an unknown verdict. */
sa_text_t sa_verdict_text_id(const sa_result_t *result);

/* The text of a Cx answer's hss_error (the plugin shows it on the answer's frame). */
sa_text_t sa_cx_answer_text_id(const sa_cx_answer_t *answer);

const char *sa_text(sa_text_t text);            /* never NULL */
sa_finding_t sa_text_finding(sa_text_t text);

/* The same, as strings. */
const char *sa_finding_text(sa_finding_t finding, const sa_result_t *result);
const char *sa_verdict_text(const sa_result_t *result);

/* Whether a finding of this result is a detail under the frame's verdict, shown at Note at most. */
gboolean sa_finding_is_detail(sa_finding_t finding, const sa_result_t *result);

G_END_DECLS

#endif
