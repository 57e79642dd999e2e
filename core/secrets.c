/* The user's credentials table: rows by user name, secrets decoded once and wiped on free. */
#include "sipauth/secrets.h"
#include "hash.h"
#include "milenage.h"

#include <string.h>

typedef struct {
    char   *username;
    char   *realm;               /* NULL: any realm */
    char   *password;            /* NULL when none */
    gsize   password_len;
    char   *ha1;                 /* lower-case hex, NULL when none */
    gboolean has_keys;
    gboolean has_opc;
    gboolean has_amf;
    guint8  k[SA_AKA_KEY_LEN];
    guint8  op_or_opc[SA_AKA_KEY_LEN];
    guint8  amf[SA_AKA_AMF_LEN];
    /* The HA1 of the password for the last realm and hash a retry needed: one user's retries all hash the same
     * A1, so each one costs two hashes instead of three. A secret as the password is, wiped alike. */
    char   *cached_realm;
    sa_hash_t cached_hash;
    char    cached_ha1[SA_HASH_HEX_MAX + 1];
} secret_row_t;

struct sa_secrets {
    GPtrArray  *rows;            /* secret_row_t, in the user's order */
    GHashTable *by_username;     /* username -> GPtrArray of its rows (not owned) */
};

static gboolean
is_empty(const char *text)
{
    return text == NULL || *text == '\0';
}

/* Hex to bytes, skipping a 0x prefix and separators; exactly len bytes or FALSE. */
static gboolean
decode_hex(const char *text, guint8 *out, gsize len)
{
    gsize n = 0;
    int high = -1;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        text += 2;
    for (const char *p = text; *p; p++) {
        if (*p == ' ' || *p == ':' || *p == '-')
            continue;
        int digit = g_ascii_xdigit_value(*p);
        if (digit < 0 || n == len)
            return FALSE;
        if (high < 0) {
            high = digit;
        } else {
            out[n++] = (guint8)(high << 4 | digit);
            high = -1;
        }
    }
    return n == len && high < 0;
}

static gboolean
is_hex_of(const char *text, gsize digits)
{
    gsize n = strlen(text);
    if (n != digits)
        return FALSE;
    for (gsize i = 0; i < n; i++)
        if (!g_ascii_isxdigit(text[i]))
            return FALSE;
    return TRUE;
}

const char *
sa_secrets_check_row(const sa_secret_row_t *row)
{
    guint8 scratch[SA_AKA_KEY_LEN];
    if (is_empty(row->username))
        return "a user name is required";
    gboolean has_key = !is_empty(row->k);
    gboolean has_op = !is_empty(row->op) || !is_empty(row->opc);
    if (is_empty(row->password) && is_empty(row->ha1) && !has_key)
        return "give a password, an HA1 or the AKA keys (K with OP or OPc)";
    /* HA1 is MD5 (32 digits) or SHA-256 / SHA-512-256 (64). */
    if (!is_empty(row->ha1) && !is_hex_of(row->ha1, 32) && !is_hex_of(row->ha1, 64))
        return "HA1 must be 32 or 64 hexadecimal digits";
    if (has_key != has_op)
        return "AKA needs K and one of OP or OPc";
    if (!is_empty(row->op) && !is_empty(row->opc))
        return "give OP or OPc, not both";
    gboolean keys_ok = !has_key || (decode_hex(row->k, scratch, sizeof scratch)
                                    && decode_hex(!is_empty(row->op) ? row->op : row->opc, scratch, sizeof scratch));
    gboolean amf_ok = is_empty(row->amf) || decode_hex(row->amf, scratch, SA_AKA_AMF_LEN);
    sa_wipe(scratch, sizeof scratch);
    if (!keys_ok)
        return "K, OP and OPc must be 16 bytes of hexadecimal";
    if (!amf_ok)
        return "AMF must be 2 bytes of hexadecimal";
    return NULL;
}

static void
wipe_string(char *text)
{
    if (text) {
        sa_wipe(text, strlen(text));
        g_free(text);
    }
}

static void
free_row(gpointer data)
{
    secret_row_t *row = data;
    g_free(row->username);
    g_free(row->realm);
    if (row->password) {
        sa_wipe(row->password, row->password_len);
        g_free(row->password);
    }
    wipe_string(row->ha1);
    g_free(row->cached_realm);
    sa_wipe(row, sizeof *row);
    g_free(row);
}

sa_secrets_t *
sa_secrets_new(void)
{
    sa_secrets_t *secrets = g_new0(sa_secrets_t, 1);
    secrets->rows = g_ptr_array_new_with_free_func(free_row);
    secrets->by_username = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                                 (GDestroyNotify)g_ptr_array_unref);
    return secrets;
}

void
sa_secrets_free(sa_secrets_t *secrets)
{
    if (secrets == NULL)
        return;
    g_hash_table_destroy(secrets->by_username);
    g_ptr_array_free(secrets->rows, TRUE);
    g_free(secrets);
}

gboolean
sa_secrets_add(sa_secrets_t *secrets, const sa_secret_row_t *in)
{
    if (sa_secrets_check_row(in) != NULL)
        return FALSE;
    secret_row_t *row = g_new0(secret_row_t, 1);
    row->username = g_strdup(in->username);
    row->realm = is_empty(in->realm) ? NULL : g_strdup(in->realm);
    if (!is_empty(in->password)) {
        row->password = g_strdup(in->password);
        row->password_len = strlen(in->password);
    }
    if (!is_empty(in->ha1))
        row->ha1 = g_ascii_strdown(in->ha1, -1);
    if (!is_empty(in->k)) {
        row->has_keys = TRUE;
        row->has_opc = is_empty(in->op);
        decode_hex(in->k, row->k, sizeof row->k);
        decode_hex(row->has_opc ? in->opc : in->op, row->op_or_opc, sizeof row->op_or_opc);
    }
    if (!is_empty(in->amf))
        row->has_amf = decode_hex(in->amf, row->amf, sizeof row->amf);
    g_ptr_array_add(secrets->rows, row);
    GPtrArray *same_user = g_hash_table_lookup(secrets->by_username, row->username);
    if (same_user == NULL) {
        same_user = g_ptr_array_new();
        g_hash_table_insert(secrets->by_username, row->username, same_user);
    }
    g_ptr_array_add(same_user, row);
    return TRUE;
}

guint
sa_secrets_count(const sa_secrets_t *secrets)
{
    return secrets ? secrets->rows->len : 0;
}

static gboolean
row_fits(const secret_row_t *row, const sa_secret_query_t *query)
{
    return sa_digest_alg_is_aka(query->algorithm) ? row->has_keys : (row->password || row->ha1);
}

static gboolean
realm_is(const secret_row_t *row, const sa_secret_query_t *query)
{
    return row->realm && query->realm && strlen(row->realm) == query->realm_len
        && memcmp(row->realm, query->realm, query->realm_len) == 0;
}

/* The best row among a user's: its realm's first, then one for any realm. */
static const secret_row_t *
best_row(const GPtrArray *rows, const sa_secret_query_t *query)
{
    const secret_row_t *any = NULL;
    for (guint i = 0; i < rows->len; i++) {
        const secret_row_t *row = g_ptr_array_index(rows, i);
        if (!row_fits(row, query))
            continue;
        if (realm_is(row, query))
            return row;
        if (row->realm == NULL && any == NULL)
            any = row;
    }
    return any;
}

/* RFC 7616 section 3.4.4: with userhash=true the user name is H(username ":" realm), in the algorithm's hash. */
static gboolean
userhash_matches(const secret_row_t *row, const sa_secret_query_t *query)
{
    sa_hash_t hash = sa_digest_alg_hash(query->algorithm);
    if (hash == SA_HASH_NONE)
        return FALSE;
    char hex[SA_HASH_HEX_MAX + 1];
    sa_hasher_t *hasher = sa_hasher_new(hash, FALSE);
    if (hasher == NULL)
        return FALSE;
    sa_hasher_add_str(hasher, row->username);
    sa_hasher_add(hasher, ":", 1);
    if (query->realm)
        sa_hasher_add(hasher, query->realm, query->realm_len);
    gsize n = sa_hasher_finish_hex(hasher, hex);
    return n == query->username_len && g_ascii_strncasecmp(hex, query->username, n) == 0;
}

/* H(username ":" realm ":" password) for the query's realm and hash, computed once per row, realm and hash. */
static gboolean
cached_ha1(secret_row_t *row, const sa_secret_query_t *query)
{
    sa_hash_t hash = sa_digest_alg_hash(query->algorithm);
    if (hash == SA_HASH_NONE || query->realm == NULL)
        return FALSE;
    if (row->cached_realm && row->cached_hash == hash && strlen(row->cached_realm) == query->realm_len
            && memcmp(row->cached_realm, query->realm, query->realm_len) == 0)
        return TRUE;
    sa_hasher_t *hasher = sa_hasher_new(hash, TRUE);
    if (hasher == NULL)
        return FALSE;
    sa_hasher_add_str(hasher, row->username);
    sa_hasher_add(hasher, ":", 1);
    sa_hasher_add(hasher, query->realm, query->realm_len);
    sa_hasher_add(hasher, ":", 1);
    sa_hasher_add(hasher, row->password, row->password_len);
    sa_hasher_finish_hex(hasher, row->cached_ha1);
    g_free(row->cached_realm);
    row->cached_realm = g_strndup(query->realm, query->realm_len);
    row->cached_hash = hash;
    return TRUE;
}

gboolean
sa_secrets_lookup(gconstpointer data, const sa_secret_query_t *query, sa_secret_t *secret)
{
    const sa_secrets_t *secrets = data;
    memset(secret, 0, sizeof *secret);
    if (secrets == NULL || query->username == NULL || secrets->rows->len == 0)
        return FALSE;
    const secret_row_t *row = NULL;
    if (query->userhash) {
        /* No index can hold every realm's hash: a scan, paid only by userhash retries. */
        for (guint any = 0; any < 2 && row == NULL; any++)     /* the realm's rows first, as by name */
            for (guint i = 0; i < secrets->rows->len && row == NULL; i++) {
                const secret_row_t *candidate = g_ptr_array_index(secrets->rows, i);
                if (row_fits(candidate, query) && (any ? candidate->realm == NULL : realm_is(candidate, query))
                        && userhash_matches(candidate, query))
                    row = candidate;
            }
    } else {
        const GPtrArray *rows = g_hash_table_lookup(secrets->by_username, query->username);
        row = rows ? best_row(rows, query) : NULL;
    }
    if (row == NULL)
        return FALSE;
    secret->username = row->username;
    if (sa_digest_alg_is_aka(query->algorithm)) {
        secret->kind = SA_SECRET_AKA_KEYS;
        secret->k = row->k;
        if (row->has_opc)
            secret->opc = row->op_or_opc;
        else
            secret->op = row->op_or_opc;
        secret->amf = row->has_amf ? row->amf : NULL;
    } else if (row->password && cached_ha1((secret_row_t *)row, query)) {
        secret->kind = SA_SECRET_HA1;
        secret->ha1_hex = row->cached_ha1;
    } else if (row->password) {
        secret->kind = SA_SECRET_PASSWORD;
        secret->password = row->password;
        secret->password_len = row->password_len;
    } else {
        secret->kind = SA_SECRET_HA1;
        secret->ha1_hex = row->ha1;
    }
    return TRUE;
}
