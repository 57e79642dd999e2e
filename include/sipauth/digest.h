/* Reads Digest challenges and credentials (RFC 3261 section 25, RFC 7616, RFC 8760, RFC 3310, TS 24.229):
 * the scheme, every parameter as a span of the caller's string, and the algorithm and qop they name. */
#ifndef SIPAUTH_DIGEST_H
#define SIPAUTH_DIGEST_H

#include <glib.h>
#include "sipauth/span.h"

G_BEGIN_DECLS

/* X(ENUM, name on the wire): the parameters the reader keeps, challenge and credentials alike (each header
 * uses its own ones; the grammar is the same). Others are counted, not kept. */
#define SA_DIGEST_PARAMS(X) \
    X(REALM,               "realm") \
    X(NONCE,               "nonce") \
    X(OPAQUE,              "opaque") \
    X(ALGORITHM,           "algorithm") \
    X(QOP,                 "qop") \
    X(STALE,               "stale") \
    X(DOMAIN,              "domain") \
    X(USERHASH,            "userhash") \
    X(CHARSET,             "charset") \
    X(USERNAME,            "username") \
    X(USERNAME_EXT,        "username*") \
    X(URI,                 "uri") \
    X(RESPONSE,            "response") \
    X(CNONCE,              "cnonce") \
    X(NC,                  "nc") \
    X(AUTS,                "auts") \
    X(INTEGRITY_PROTECTED, "integrity-protected")

typedef enum {
#define SA_DIGEST_PARAM_ENUM(name, text) SA_DIGEST_##name,
    SA_DIGEST_PARAMS(SA_DIGEST_PARAM_ENUM)
#undef SA_DIGEST_PARAM_ENUM
    SA_DIGEST_PARAM_COUNT
} sa_digest_param_t;

#define SA_DIGEST_BIT(param) (1u << (param))
G_STATIC_ASSERT(SA_DIGEST_PARAM_COUNT <= 32);

/* The hash behind an algorithm. */
typedef enum {
    SA_HASH_NONE,
    SA_HASH_MD5,
    SA_HASH_SHA256,
    SA_HASH_SHA512_256
} sa_hash_t;

/*
 * X(ENUM, name, hash, session variant, strength): the algorithms the engine computes. Strength orders
 * RFC 8760's choice (SHA-512-256 > SHA-256 > MD5, a -sess variant as strong as its base); 0 is outside
 * that order (AKA: its strength is the USIM's, not the hash's).
 */
#define SA_DIGEST_ALGORITHMS(X) \
    X(MD5,             "MD5",              SA_HASH_MD5,        FALSE, 1) \
    X(MD5_SESS,        "MD5-sess",         SA_HASH_MD5,        TRUE,  1) \
    X(SHA256,          "SHA-256",          SA_HASH_SHA256,     FALSE, 2) \
    X(SHA256_SESS,     "SHA-256-sess",     SA_HASH_SHA256,     TRUE,  2) \
    X(SHA512_256,      "SHA-512-256",      SA_HASH_SHA512_256, FALSE, 3) \
    X(SHA512_256_SESS, "SHA-512-256-sess", SA_HASH_SHA512_256, TRUE,  3) \
    X(AKAV1_MD5,       "AKAv1-MD5",        SA_HASH_MD5,        FALSE, 0) \
    X(AKAV2_MD5,       "AKAv2-MD5",        SA_HASH_MD5,        FALSE, 0)

typedef enum {
#define SA_DIGEST_ALG_ENUM(name, text, hash, sess, strength) SA_DIGEST_ALG_##name,
    SA_DIGEST_ALGORITHMS(SA_DIGEST_ALG_ENUM)
#undef SA_DIGEST_ALG_ENUM
    SA_DIGEST_ALG_UNKNOWN
} sa_digest_alg_t;

/* Algorithms as a set (what the challenges of a realm offered): a bit per sa_digest_alg_t, UNKNOWN included. */
typedef guint16 sa_digest_alg_set_t;
#define SA_DIGEST_ALG_BIT(alg) ((sa_digest_alg_set_t)(1u << (alg)))
G_STATIC_ASSERT(SA_DIGEST_ALG_UNKNOWN < 16);

/* qop values, as a set: a challenge offers a list, credentials use one. */
#define SA_QOP_AUTH     (1u << 0)
#define SA_QOP_AUTH_INT (1u << 1)
#define SA_QOP_OTHER    (1u << 2)   /* a token that is neither */

typedef enum {
    SA_SCHEME_NONE,     /* empty or no scheme token */
    SA_SCHEME_DIGEST,
    SA_SCHEME_OTHER     /* Bearer, Basic, NTLM...: not ours to read, callers leave it alone */
} sa_digest_scheme_t;

/* What went wrong while reading, as a set; the reader always goes on. */
#define SA_DIGEST_UNTERMINATED (1u << 0)   /* a quoted string ran to the end of the value */
#define SA_DIGEST_DUPLICATE    (1u << 1)   /* a kept parameter came twice (the first is kept) */
#define SA_DIGEST_GARBAGE      (1u << 2)   /* text that is no parameter was skipped */

/*
 * One header value read. Values are spans of the caller's text, valid as long as it is: the text between
 * the quotes of a quoted string (escapes kept: see `escaped`), or the token.
 */
typedef struct {
    sa_digest_scheme_t scheme;
    sa_span_t   scheme_name;
    sa_span_t   value[SA_DIGEST_PARAM_COUNT];   /* by sa_digest_param_t; ptr NULL when absent */
    guint32     quoted;        /* SA_DIGEST_BIT set: the value was a quoted string */
    guint32     escaped;       /* SA_DIGEST_BIT set: a quoted value with backslash escapes */
    guint32     duplicated;    /* SA_DIGEST_BIT set: the parameter came more than once */
    guint       problems;      /* SA_DIGEST_UNTERMINATED | ... */
    guint       n_params;      /* every parameter read, unknown ones included */
    const char *next;          /* where a further challenge in the same value starts ("..., Bearer x=y"), or NULL */

    sa_digest_alg_t algorithm; /* MD5 when absent (RFC 7616 section 3.3) */
    guint       qop;           /* SA_QOP_* set of the qop value or list; 0 when absent */
    gboolean    stale;         /* stale=true */
    gboolean    userhash;      /* userhash=true: the username is H(username:realm) */
} sa_digest_params_t;

/* The scheme of a header value: only its first token is read. */
sa_digest_scheme_t sa_digest_scheme(const char *value, gsize len);

/* Reads value[0..len) into *params; a value of another scheme is left unread (its params empty).
 * Returns the scheme. Linear in len whatever the input. */
sa_digest_scheme_t sa_digest_parse(const char *value, gsize len, sa_digest_params_t *params);

static inline gboolean
sa_digest_has(const sa_digest_params_t *params, sa_digest_param_t param)
{
    return params->value[param].ptr != NULL;
}

/* The algorithm a name gives, case-insensitively; UNKNOWN for any other name. */
sa_digest_alg_t sa_digest_alg_from_name(const char *name, gsize len);
const char *sa_digest_alg_name(sa_digest_alg_t alg);
sa_hash_t sa_digest_alg_hash(sa_digest_alg_t alg);
gboolean sa_digest_alg_is_sess(sa_digest_alg_t alg);
gboolean sa_digest_alg_is_aka(sa_digest_alg_t alg);
guint sa_digest_alg_strength(sa_digest_alg_t alg);
/* Hex digits of the algorithm's response: 32 for MD5 and AKA, 64 for SHA-256 and SHA-512-256; 0 if unknown. */
gsize sa_digest_alg_hex_len(sa_digest_alg_t alg);

/* The value of a parameter without its quoting: out must hold value.len bytes; returns the length. */
gsize sa_digest_unquote(const sa_digest_params_t *params, sa_digest_param_t param, char *out);

/* The qop set of a qop value or list ("auth", "auth,auth-int"). */
guint sa_digest_qop_set(sa_span_t list);

/* sa_digest_value_hash() of a value read by another parser: the text between its quotes (escapes kept). */
guint32 sa_digest_text_hash(sa_span_t quoted_text);

/* A hash of a parameter's value once unquoted: equal values hash equal, so a challenge's opaque is compared
 * with its echo without keeping it. */
guint32 sa_digest_value_hash(const sa_digest_params_t *params, sa_digest_param_t param);

/* Whether a parameter's value, once unquoted, is the plain text given (FALSE when absent). */
gboolean sa_digest_value_is(const sa_digest_params_t *params, sa_digest_param_t param, sa_span_t plain);

/* Whether two parameter values are the same once unquoted (absent equals absent only). */
gboolean sa_digest_value_equal(const sa_digest_params_t *a, sa_digest_param_t param_a,
                               const sa_digest_params_t *b, sa_digest_param_t param_b);

/*
 * The user name the credentials carry: username*'s RFC 5987 ext-value decoded (UTF-8''J%C3%A4s...) when
 * there is one, the unquoted username otherwise. Writes at most out_size bytes; returns the length, or -1
 * when there is none, username* is not UTF-8 or badly escaped, or out is too small.
 */
gssize sa_digest_username(const sa_digest_params_t *params, char *out, gsize out_size);

/* Decodes an RFC 5987 ext-value (charset UTF-8 only, any language); -1 as above. */
gssize sa_digest_ext_value_decode(sa_span_t ext_value, char *out, gsize out_size);

/* The nonce count: TRUE and *nc when nc is 1 to 8 hex digits. */
gboolean sa_digest_nc(const sa_digest_params_t *params, guint32 *nc);
/* The same, of an nc value read by another parser. */
gboolean sa_digest_nc_value(sa_span_t value, guint32 *nc);

G_END_DECLS

#endif
