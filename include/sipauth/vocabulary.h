/* The roles a message plays in its flow, the outcomes of a challenge and the verdicts of a flow, declared once:
 * enums and names. */
#ifndef SIPAUTH_VOCABULARY_H
#define SIPAUTH_VOCABULARY_H

/* X(ENUM, value, name): the value is what the sipauth.role field shows, the name its value string. */
#define SA_ROLES(X) \
    X(REQUEST,                  1, "request") \
    X(CHALLENGE,                2, "challenge") \
    X(CHALLENGE_RETRANSMISSION, 3, "challenge retransmission") \
    X(REQUEST_RETRANSMISSION,   4, "request retransmission") \
    X(ACK,                      5, "ACK") \
    X(RETRY,                    6, "retry") \
    X(RESULT,                   7, "result")

/* X(ENUM, value, name): sipauth.outcome. */
#define SA_OUTCOMES(X) \
    X(ACCEPTED,         1, "accepted") \
    X(CHALLENGED_AGAIN, 2, "challenged again") \
    X(REJECTED,         3, "rejected") \
    X(NO_RETRY,         4, "no retry") \
    X(RETRY_UNANSWERED, 5, "retry unanswered") \
    X(UNKNOWN,          6, "unknown (single pass)")

/* X(ENUM, value, name): sipauth.verdict, one answer per flow (SPEC section 9). */
#define SA_VERDICTS(X) \
    X(ACCEPTED,               1, "accepted") \
    X(ACCEPTED_AFTER_REFRESH, 2, "accepted after nonce refresh") \
    X(ACCEPTED_AFTER_REFUSAL, 3, "accepted after refusal") \
    X(REFUSED,                4, "refused") \
    X(CHALLENGE_LOOP,         5, "challenge loop") \
    X(NO_RETRY,               6, "no retry") \
    X(REJECTED,               7, "rejected") \
    X(RETRY_UNANSWERED,       8, "retry unanswered") \
    X(RETRY_PROTECTED,        9, "retry protected") \
    X(UNKNOWN,               10, "unknown (single pass)")

typedef enum {
    SA_ROLE_NONE = 0,
#define SA_ROLE_ENUM(name, value, text) SA_ROLE_##name = value,
    SA_ROLES(SA_ROLE_ENUM)
#undef SA_ROLE_ENUM
} sa_role_t;

typedef enum {
    SA_OUTCOME_NONE = 0,
#define SA_OUTCOME_ENUM(name, value, text) SA_OUTCOME_##name = value,
    SA_OUTCOMES(SA_OUTCOME_ENUM)
#undef SA_OUTCOME_ENUM
} sa_outcome_t;

typedef enum {
    SA_VERDICT_NONE = 0,
#define SA_VERDICT_ENUM(name, value, text) SA_VERDICT_##name = value,
    SA_VERDICTS(SA_VERDICT_ENUM)
#undef SA_VERDICT_ENUM
} sa_verdict_t;

#endif
