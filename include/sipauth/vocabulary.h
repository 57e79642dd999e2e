/* The roles a message plays in its flow and the outcomes of a challenge, declared once: enums and names. */
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

#endif
