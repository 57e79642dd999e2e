/* Registrations (SPEC section 12): per address of record and username, what its REGISTERs became. */
#ifndef SIPAUTH_REGISTRATIONS_H
#define SIPAUTH_REGISTRATIONS_H

#include <glib.h>
#include "sipauth/tracker.h"

G_BEGIN_DECLS

/* Where a registration stands at the end of the capture (or of what was fed). */
#define SA_REG_STATES(X) \
    X(UNKNOWN,      "unknown") \
    X(REGISTERED,   "registered") \
    X(DEREGISTERED, "de-registered") \
    X(EXPIRED,      "de-registered (expired)") \
    X(FAILED,       "failed")

typedef enum {
#define SA_REG_STATE_ENUM(name, text) SA_REG_STATE_##name,
    SA_REG_STATES(SA_REG_STATE_ENUM)
#undef SA_REG_STATE_ENUM
} sa_reg_state_t;

/* Why the latest attempt failed. */
#define SA_REG_CAUSES(X) \
    X(NONE,     "") \
    X(REFUSED,  "refused") \
    X(NO_RETRY, "no retry") \
    X(CODE,     "")            /* the status code says it */ \
    X(TIMEOUT,  "timeout")

typedef enum {
#define SA_REG_CAUSE_ENUM(name, text) SA_REG_CAUSE_##name,
    SA_REG_CAUSES(SA_REG_CAUSE_ENUM)
#undef SA_REG_CAUSE_ENUM
} sa_reg_cause_t;

/* One address of record and username. Counts are of REGISTER requests (first transmissions). */
typedef struct {
    guint32     id;              /* 1-based, dense, stable: a table keys its rows by it */
    const char *aor;             /* To URI */
    const char *username;        /* NULL while the AOR has sent no credentials */
    guint       registers;
    guint       challenged;      /* answered 401/407 */
    guint       accepted;        /* answered 2xx */
    guint       refused;         /* with credentials, answered 401/407 as a refusal, or 403 */
    guint       failed;          /* another final failure, or no final response within Timer F */
    sa_reg_state_t state;
    sa_reg_cause_t cause;
    guint       cause_code;      /* SA_REG_CAUSE_CODE: the final status */
    /* RFC 6076 4.1 Registration Request Delay, over successful registration attempts */
    guint       rrd_count;
    gint64      rrd_min_ns, rrd_max_ns, rrd_sum_ns;
    /* RFC 6076 4.2 Ineffective Registration Attempts: ineffective of attempts */
    guint       attempts;
    guint       ineffective;
    gint64      auth_ns;         /* time the challenged attempts spent from their first challenge to the end */
    const char *user_agent;      /* of the latest REGISTER that had one */
    gint64      binding_until_ns; /* registered: when the longest binding expires; 0 if unknown */
} sa_registration_t;

/*
 * The registration a REGISTER request or response counts for, with its figures as far as the capture was
 * fed (the same in both views: after the whole capture, its end decides what time decides). Time decides
 * when a challenge gets no retry within the retry timeout, a REGISTER no final response within Timer F, or a
 * binding expires, as soon as a later message was fed. FALSE for any other message. The registrations are
 * built from the tracker's records on the first call, then kept up to date: a capture read without this view
 * pays nothing for it.
 */
gboolean sa_tracker_registration(sa_tracker_t *tracker, sa_msg_id_t id, sa_view_t view, sa_registration_t *out);

/* The rows that time changed (an attempt ended, a binding expired) since they were last returned here, one per
 * call; FALSE when none is left. A single pass reports them so that its tables end complete. */
gboolean sa_tracker_next_changed_registration(sa_tracker_t *tracker, sa_registration_t *out);

/* The state in words; "failed: CAUSE" is the state's name, then the cause's or the code. */
const char *sa_reg_state_name(sa_reg_state_t state);
const char *sa_reg_cause_name(sa_reg_cause_t cause);

/* RFC 3261 17.1.2.2 Timer F (64*T1): a REGISTER unanswered this long has timed out. */
#define SA_TIMER_F_NS (32 * G_GINT64_CONSTANT(1000000000))

G_END_DECLS

#endif
