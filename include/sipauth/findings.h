/* The findings the tracker reports, declared once: enum, filter name, and expert group/severity. */
#ifndef SIPAUTH_FINDINGS_H
#define SIPAUTH_FINDINGS_H

#include <glib.h>

/*
 * X(ENUM, abbreviation suffix, expert group, expert severity, summary)
 * The summary is the registered one; the text a frame shows is fixed per finding and case (explain.h).
 * The group and severity tokens are Wireshark's PI_* names without the prefix;
 * the tracker never uses them, the plugin pastes them onto PI_.
 */
#define SA_FINDINGS(X) \
    X(MISSING_RETRY,            "missing_retry",            SEQUENCE,      WARN, "Challenge never followed by an authenticated retry") \
    X(RETRY_CHALLENGED,         "retry_challenged",         SEQUENCE,      WARN, "Authenticated retry challenged again: credentials refused") \
    X(STALE_NONCE,              "stale_nonce",              SEQUENCE,      NOTE, "Challenged again with stale=true: normal nonce refresh") \
    X(CHALLENGE_LOOP,           "challenge_loop",           SEQUENCE,      ERROR, "Challenge loop: credentials refused again and again") \
    X(RETRY_FAILED,             "retry_failed",             RESPONSE_CODE, WARN, "Authenticated retry ended in a failure response") \
    X(RETRY_UNANSWERED,         "retry_unanswered",         SEQUENCE,      WARN, "Authenticated retry never got a final response") \
    X(WRONG_HEADER,             "wrong_header",             PROTOCOL,      WARN, "Retry carries the wrong credentials header for this challenge") \
    X(CSEQ_NOT_INCREMENTED,     "cseq_not_incremented",     PROTOCOL,      WARN, "Retry CSeq not above the challenged CSeq") \
    X(NONCE_MISMATCH,           "nonce_mismatch",           PROTOCOL,      WARN, "Retry nonce is not the challenged nonce") \
    X(REALM_MISMATCH,           "realm_mismatch",           PROTOCOL,      WARN, "Retry realm is none of the challenged realms") \
    X(MISSING_CHALLENGE_HEADER, "missing_challenge_header", MALFORMED,     ERROR, "Challenge without its authenticate header") \
    X(NO_ACK,                   "no_ack",                   SEQUENCE,      WARN, "INVITE challenge never ACKed") \
    X(CHALLENGE_RETRANSMITTED,  "challenge_retransmitted",  SEQUENCE,      NOTE, "Challenge sent again") \
    X(AKA_RESYNC,               "aka_resync",               SEQUENCE,      NOTE, "IMS AKA synchronisation failure (auts)") \
    X(CHALLENGE_ANSWERED,       "challenge_answered",       SEQUENCE,      CHAT, "Challenge answered and accepted") \
    X(ANALYSIS_TRUNCATED,       "analysis_truncated",       MALFORMED,     NOTE, "Analysis bound reached: part of this message was not analysed") \
    X(SLOW_RETRY,               "slow_retry",               SEQUENCE,      NOTE, "Authenticated retry came late") \
    X(URI_MISMATCH,             "uri_mismatch",             PROTOCOL,      WARN, "Credentials' uri is not the Request-URI") \
    X(ALGORITHM_NOT_OFFERED,    "algorithm_not_offered",    PROTOCOL,      WARN, "Credentials use an algorithm the challenge did not offer") \
    X(ALGORITHM_DOWNGRADE,      "algorithm_downgrade",      PROTOCOL,      NOTE, "Credentials answer a weaker algorithm than the strongest offered") \
    X(QOP_MISMATCH,             "qop_mismatch",             PROTOCOL,      WARN, "Credentials' qop does not fit the challenge") \
    X(NC_NOT_INCREMENTED,       "nc_not_incremented",       PROTOCOL,      WARN, "Nonce used again without a higher nonce count") \
    X(OPAQUE_MISMATCH,          "opaque_mismatch",          PROTOCOL,      WARN, "Credentials do not echo the challenge's opaque") \
    X(RESPONSE_MALFORMED,       "response_malformed",       PROTOCOL,      WARN, "Credentials' response missing or malformed") \
    X(USERNAME_CHANGED,         "username_changed",         PROTOCOL,      NOTE, "User name changed from the previous attempt") \
    X(WRONG_CREDENTIALS,        "wrong_credentials",        SECURITY,      WARN, "Response does not verify: wrong password or keys on the UA") \
    X(CREDENTIALS_CORRECT,      "credentials_correct",      SECURITY,      CHAT, "Response verifies: the credentials are correct") \
    X(CORRECT_CREDENTIALS_REFUSED, "correct_credentials_refused", SECURITY, WARN, "Correct credentials refused by the server") \
    X(AKA_AUTN_INVALID,         "aka_autn_invalid",         SECURITY,      WARN, "IMS AKA: the challenge's AUTN does not verify with the user's keys") \
    X(CREDENTIAL_ATTACK,        "credential_attack",        SECURITY,      WARN, "Credential attack: one source failing for many user names, or a scanner") \
    X(SEC_SERVER_MISSING,       "sec_server_missing",       PROTOCOL,      WARN, "401 to a REGISTER with Security-Client but without Security-Server") \
    X(SEC_VERIFY_MISMATCH,      "sec_verify_mismatch",      PROTOCOL,      WARN, "Retry without Security-Verify, or one that differs from the Security-Server") \
    X(RETRY_UNPROTECTED,        "retry_unprotected",        SECURITY,      WARN, "Retry sent in the clear to an unprotected port although an SA was offered") \
    X(RETRY_IN_IPSEC,           "retry_in_ipsec",           DECRYPTION,    NOTE, "No decoded retry, but ESP from the UE with the offered SPI follows: retry protected") \
    X(HSS_ERROR,                "hss_error",                RESPONSE_CODE, WARN, "The HSS answered the S-CSCF's Cx request with an error") \
    X(NO_AUTH_VECTOR,           "no_auth_vector",           SEQUENCE,      WARN, "S-CSCF challenge without a Multimedia-Auth answer in a capture with its Cx traffic") \
    X(RESYNC_LOOP,              "resync_loop",              SEQUENCE,      ERROR, "IMS AKA resynchronisation repeated without success")

typedef enum {
#define SA_FINDING_ENUM(name, abbrev, group, severity, summary) SA_FINDING_##name,
    SA_FINDINGS(SA_FINDING_ENUM)
#undef SA_FINDING_ENUM
    SA_FINDING_COUNT
} sa_finding_t;

/* A set of findings: room for all of them (IMS adds past 32). */
typedef guint64 sa_finding_mask_t;
#define SA_FINDING_BIT(f) (G_GUINT64_CONSTANT(1) << (f))
G_STATIC_ASSERT(SA_FINDING_COUNT <= 64);

#endif
