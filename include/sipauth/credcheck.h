/* The checks of a retry's credentials that need no secret (SPEC section 10): each a pure function whose
 * answer the tracker turns into a finding (uri_mismatch, algorithm_not_offered, ...). */
#ifndef SIPAUTH_CREDCHECK_H
#define SIPAUTH_CREDCHECK_H

#include <glib.h>
#include "sipauth/digest.h"

G_BEGIN_DECLS

/* X(ENUM, text): qop_mismatch and its cases. */
#define SA_QOP_CHECKS(X) \
    X(OK,           "") \
    X(NOT_USED,     "qop offered but not used") \
    X(NOT_OFFERED,  "qop used but not offered") \
    X(NO_CNONCE_NC, "qop used without cnonce or a valid nc")

typedef enum {
#define SA_QOP_CHECK_ENUM(name, text) SA_QOP_CHECK_##name,
    SA_QOP_CHECKS(SA_QOP_CHECK_ENUM)
#undef SA_QOP_CHECK_ENUM
} sa_qop_check_t;

/* X(ENUM, text): response_malformed and its cases. */
#define SA_RESPONSE_CHECKS(X) \
    X(OK,           "") \
    X(MISSING,      "response missing") \
    X(WRONG_LENGTH, "response not the length the algorithm gives") \
    X(NOT_HEX,      "response not hexadecimal")

typedef enum {
#define SA_RESPONSE_CHECK_ENUM(name, text) SA_RESPONSE_CHECK_##name,
    SA_RESPONSE_CHECKS(SA_RESPONSE_CHECK_ENUM)
#undef SA_RESPONSE_CHECK_ENUM
} sa_response_check_t;

/* uri_mismatch: FALSE when the credentials' uri is not request_uri as a SIP URI, or is missing. */
gboolean sa_check_uri_matches(const sa_digest_params_t *credentials, sa_span_t request_uri);

/* algorithm_not_offered: whether used is among the algorithms the realm's challenges offered (an unknown one
 * only when an unknown one was). */
gboolean sa_check_algorithm_offered(sa_digest_alg_set_t offered, sa_digest_alg_t used);

/* algorithm_downgrade (RFC 8760): several algorithms offered and a stronger one than used among them.
 * Algorithms outside the strength order (AKA, unknown) are never a downgrade. */
gboolean sa_check_algorithm_downgrade(sa_digest_alg_set_t offered, sa_digest_alg_t used);

/* qop_mismatch: offered is the challenge's qop set (0: the challenge had no qop). */
sa_qop_check_t sa_check_qop(guint offered, const sa_digest_params_t *credentials);

/* nc_not_incremented: with a nonce used again, whether its nc is above the previous use's; an absent or
 * unreadable nc counts as 0. */
gboolean sa_check_nc_incremented(guint32 previous_nc, const sa_digest_params_t *credentials);

/* opaque_mismatch: offered_hash is sa_digest_value_hash() of the challenge's opaque (offered FALSE: none was
 * offered, always TRUE). */
gboolean sa_check_opaque_echoed(gboolean offered, guint32 offered_hash, const sa_digest_params_t *credentials);

/* response_malformed: the response against the length of its algorithm (an unknown one is not judged). */
sa_response_check_t sa_check_response(const sa_digest_params_t *credentials);

/* username_changed: previous is the user name of the flow's previous attempt (as sa_digest_username gives
 * it); an unreadable user name counts as changed. */
gboolean sa_check_username_changed(sa_span_t previous, const sa_digest_params_t *credentials);

const char *sa_qop_check_text(sa_qop_check_t check);
const char *sa_response_check_text(sa_response_check_t check);

G_END_DECLS

#endif
