/* The credentials table the user gives (SPEC section 10: the UAT sipauth_credentials), and the secret source
 * the tracker asks for a retry's secret. Secrets stay here, wiped when the table is freed; look-ups point into
 * it and copy nothing. */
#ifndef SIPAUTH_SECRETS_H
#define SIPAUTH_SECRETS_H

#include <glib.h>
#include "sipauth/verify.h"

G_BEGIN_DECLS

/* One row as the user wrote it (UAT field order); NULL or "" where empty. Hex fields may carry spaces or
 * colons between bytes and a 0x prefix. */
typedef struct {
    const char *username;
    const char *realm;      /* empty: any realm */
    const char *password;
    const char *ha1;        /* hex H(username:realm:password), instead of a password */
    const char *k;          /* IMS AKA: 16 bytes hex */
    const char *op;
    const char *opc;        /* op or opc, 16 bytes hex */
    const char *amf;        /* 2 bytes hex, optional */
} sa_secret_row_t;

typedef struct sa_secrets sa_secrets_t;

sa_secrets_t *sa_secrets_new(void);
/* Wipes every secret and frees the table; NULL is fine. */
void sa_secrets_free(sa_secrets_t *secrets);

/* Checks a row without adding it: NULL when usable, else why not (a fixed text without the values). */
const char *sa_secrets_check_row(const sa_secret_row_t *row);
/* Adds a row; FALSE (and the row left out) when sa_secrets_check_row() refuses it. */
gboolean sa_secrets_add(sa_secrets_t *secrets, const sa_secret_row_t *row);
guint sa_secrets_count(const sa_secrets_t *secrets);

/* What a retry asks for: its credentials' user name (NUL-terminated, username_len bytes) and realm
 * (unquoted), whether the user name is a userhash, the algorithm, and the nonce (an MAA source finds its
 * vector by the nonce). */
typedef struct {
    const char     *username;
    gsize           username_len;
    const char     *realm;
    gsize           realm_len;
    gboolean        userhash;
    sa_digest_alg_t algorithm;
    const char     *nonce;
    gsize           nonce_len;
} sa_secret_query_t;

/* A source of secrets: fills *secret (pointing into the source's own storage, valid until the source
 * changes) and returns TRUE when it has one for the query. */
typedef gboolean (*sa_secret_source_t)(gconstpointer source_data, const sa_secret_query_t *query,
                                       sa_secret_t *secret);

/* The table as a source: the row of the user for that realm (a realm-specific row before an any-realm one);
 * for an AKA algorithm a row with K and OP/OPc, otherwise one with a password or HA1. */
gboolean sa_secrets_lookup(gconstpointer secrets, const sa_secret_query_t *query, sa_secret_t *secret);

G_END_DECLS

#endif
