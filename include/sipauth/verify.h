/* The credential engine: recomputes a retry's Digest response from a secret the user or the HSS gives and
 * says whether the UA's response is right (SPEC section 10). It keeps nothing and prints nothing. */
#ifndef SIPAUTH_VERIFY_H
#define SIPAUTH_VERIFY_H

#include <glib.h>
#include "sipauth/digest.h"

G_BEGIN_DECLS

/* X(ENUM, value, name): the sipauth.credentials field and its value string. */
#define SA_CREDENTIALS(X) \
    X(CORRECT,      1, "correct") \
    X(WRONG,        2, "wrong") \
    X(NOT_CHECKED,  3, "not checked") \
    X(CANNOT_CHECK, 4, "cannot check")

typedef enum {
    SA_CREDENTIALS_NONE = 0,
#define SA_CREDENTIALS_ENUM(name, value, text) SA_CREDENTIALS_##name = value,
    SA_CREDENTIALS(SA_CREDENTIALS_ENUM)
#undef SA_CREDENTIALS_ENUM
} sa_credentials_t;

/* X(ENUM, text): why credentials cannot be checked, in the words the tree shows. */
#define SA_CHECK_REASONS(X) \
    X(NONE,               "") \
    X(SCHEME,             "not the Digest scheme") \
    X(ALGORITHM,          "unknown algorithm") \
    X(QOP,                "unknown qop") \
    X(BODY_CUT,           "qop=auth-int and the message body is not whole in the capture") \
    X(MALFORMED_RESPONSE, "response missing, or not the hex digest the algorithm gives") \
    X(MISSING_PARAMETER,  "a parameter the response is computed from is missing (realm, nonce, uri, cnonce, nc)") \
    X(RESYNC,             "AKA resynchronisation (auts): the UA sent no RES") \
    X(AKA_NONCE,          "the nonce does not carry RAND and AUTN") \
    X(SECRET,             "the secret does not fit the algorithm (HA1 length, RES, IK/CK, keys)") \
    X(USER,               "the credentials are for another user than the secret")

typedef enum {
#define SA_CHECK_REASON_ENUM(name, text) SA_CHECK_##name,
    SA_CHECK_REASONS(SA_CHECK_REASON_ENUM)
#undef SA_CHECK_REASON_ENUM
} sa_check_reason_t;

/* X(ENUM, text): an AKA challenge's AUTN against the user's K and OP/OPc. */
#define SA_AUTN_CHECKS(X) \
    X(NOT_CHECKED, "") \
    X(VALID,       "the challenge's AUTN verifies with the user's keys") \
    X(INVALID,     "the challenge's AUTN does not verify with the user's keys: the network has other keys")

typedef enum {
#define SA_AUTN_ENUM(name, text) SA_AUTN_##name,
    SA_AUTN_CHECKS(SA_AUTN_ENUM)
#undef SA_AUTN_ENUM
} sa_autn_check_t;

/* Where the secret comes from. */
typedef enum {
    SA_SECRET_NONE,      /* no entry, no MAA */
    SA_SECRET_PASSWORD,
    SA_SECRET_HA1,       /* hex H(username:realm:password), as a Diameter MAA or an htdigest file has it */
    SA_SECRET_AKA_RES,   /* RES or XRES (the MAA's), with IK and CK for AKAv2 */
    SA_SECRET_AKA_KEYS   /* K and OP or OPc: RES computed with MILENAGE from the nonce's RAND */
} sa_secret_kind_t;

/* The caller's secret, only read during sa_verify(); the caller owns and wipes it. */
typedef struct {
    sa_secret_kind_t kind;
    const char   *username;       /* the entry's plain user name, or NULL: needed for userhash=true, compared
                                   * with the credentials' otherwise */
    const char   *password;       /* PASSWORD: password_len bytes */
    gsize         password_len;
    const char   *ha1_hex;        /* HA1: NUL-terminated hex */
    const guint8 *res;            /* AKA_RES: res_len bytes (4 to 16) */
    gsize         res_len;
    const guint8 *ik, *ck;        /* AKA_RES: 16 bytes each, or NULL (AKAv2 needs them) */
    const guint8 *k;              /* AKA_KEYS: 16 bytes */
    const guint8 *op, *opc;       /* AKA_KEYS: one of them, 16 bytes */
    const guint8 *amf;            /* AKA_KEYS: 2 bytes, or NULL: compared with the AUTN's */
} sa_secret_t;

/* The retry whose response is checked. */
typedef struct {
    const sa_digest_params_t *credentials;
    const char   *method;         /* the request method, A2's first part */
    const guint8 *body;           /* the message body (qop=auth-int hashes it) */
    gsize         body_len;
    gboolean      body_cut;       /* the body is not whole: truncated frame, reassembly bound */
} sa_verify_input_t;

typedef struct {
    sa_credentials_t  credentials;
    sa_check_reason_t reason;      /* CANNOT_CHECK: why; NONE otherwise */
    sa_autn_check_t   autn;        /* AKA_KEYS: the challenge's AUTN (the nonce's) against the keys */
    gboolean          amf_differs; /* AKA_KEYS with an AMF: the AUTN carries another */
    gboolean          resync;      /* the credentials carry auts */
} sa_verify_result_t;

/*
 * Checks input's response against the secret. Order of the answers: scheme and algorithm first (cannot
 * check, whatever the secret), then no secret (not checked), then the rest. AKA with keys checks the
 * AUTN even when the response cannot be checked. Secrets in temporary buffers are wiped before return.
 */
void sa_verify(const sa_verify_input_t *input, const sa_secret_t *secret, sa_verify_result_t *result);

const char *sa_credentials_name(sa_credentials_t credentials);
const char *sa_check_reason_text(sa_check_reason_t reason);
const char *sa_autn_check_text(sa_autn_check_t autn);

G_END_DECLS

#endif
