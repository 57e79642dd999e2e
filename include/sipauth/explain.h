/* What the analysis says: one fixed text per finding and case, so that alike cases group together in expert
 * summaries (tshark -z expert, the GUI's Expert Information); frames and values are fields beside them. */
#ifndef SIPAUTH_EXPLAIN_H
#define SIPAUTH_EXPLAIN_H

#include "sipauth/tracker.h"

G_BEGIN_DECLS

/* X(ENUM, text): why an authenticated retry failed, read from its final status code (sa_failure_of). */
#define SA_FAILURES(X) \
    X(NONE,      "") \
    X(FORBIDDEN, "Retry refused with 403: the server did not accept these credentials (user name, realm, " \
                 "password or AKA keys)") \
    X(ROUTING,   "Retry passed authentication, then was not routed (404, 480...): the target is unknown or " \
                 "unreachable, not an authentication matter") \
    X(NOT_AUTH,  "Retry passed authentication, then was declined (busy, codec, event package...): not an " \
                 "authentication matter") \
    X(INTERVAL,  "Retry refused with 423 Interval Too Brief: register again with the server's Min-Expires") \
    X(SECURITY,  "Retry refused with 494 Security Agreement Required: a Security-Client/Server agreement " \
                 "(RFC 3329) must come first") \
    X(TIMEOUT,   "Retry timed out (408): the next hop did not answer in time") \
    X(SERVER,    "Retry failed with a server error (5xx): the server or the network behind it, not the " \
                 "credentials") \
    X(OTHER,     "Retry ended in a failure response: its reason phrase is in sipauth.result_reason")

typedef enum {
#define SA_FAILURE_ENUM(name, text) SA_FAILURE_##name,
    SA_FAILURES(SA_FAILURE_ENUM)
#undef SA_FAILURE_ENUM
} sa_failure_t;

/* The kind of failure of a final status code; NONE for 1xx-2xx and for the challenges 401/407. */
sa_failure_t sa_failure_of(guint status);

/* The text of a finding of a result: on a challenge, the statement of the flow's verdict when the finding
 * states it (result->statement), otherwise the finding's own text for its case. Never NULL. */
const char *sa_finding_text(sa_finding_t finding, const sa_result_t *result);

/* The flow's verdict as it stands at this result (verdict_now) in words: what a table's hint says. */
const char *sa_verdict_text(const sa_result_t *result);

/* Whether a finding of this result is a detail under the frame's verdict, shown at Note at most. */
gboolean sa_finding_is_detail(sa_finding_t finding, const sa_result_t *result);

G_END_DECLS

#endif
