/* Unit tests of the credentials table: which rows it takes, which row a retry gets, and what it returns. */
#include "sipauth/secrets.h"

#include <string.h>

static sa_secret_query_t
query(const char *username, const char *realm, sa_digest_alg_t algorithm)
{
    sa_secret_query_t q = { username, strlen(username), realm, realm ? strlen(realm) : 0, FALSE, algorithm, NULL, 0 };
    return q;
}

static void
test_rows_refused(void)
{
    const sa_secret_row_t bad[] = {
        { "", "", "pw", NULL, NULL, NULL, NULL, NULL },                              /* no user */
        { "u", "", NULL, NULL, NULL, NULL, NULL, NULL },                            /* no secret */
        { "u", "", NULL, "abc", NULL, NULL, NULL, NULL },                           /* HA1 not 32/64 hex */
        { "u", "", NULL, NULL, "465b5ce8b199b49faa5f0a2ee238a6bc", NULL, NULL, NULL }, /* K without OP */
        { "u", "", NULL, NULL, "465b5ce8b199b49faa5f0a2ee238a6", "cdc202d5123e20f62b6d676ac72cb318", NULL, NULL },
        { "u", "", NULL, NULL, "465b5ce8b199b49faa5f0a2ee238a6bc", "cdc202d5123e20f62b6d676ac72cb318",
          "cd63cb71954a9f4e48a5994e37a02baf", NULL },                                /* OP and OPc */
        { "u", "", NULL, NULL, "465b5ce8b199b49faa5f0a2ee238a6bc", "cdc202d5123e20f62b6d676ac72cb318", NULL, "b9" },
    };
    sa_secrets_t *secrets = sa_secrets_new();
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        const char *why = sa_secrets_check_row(&bad[i]);
        g_assert_nonnull(why);
        /* The reason never quotes a value. */
        g_assert_null(strstr(why, "pw"));
        g_assert_null(strstr(why, "465b"));
        g_assert_false(sa_secrets_add(secrets, &bad[i]));
    }
    g_assert_cmpuint(sa_secrets_count(secrets), ==, 0);
    sa_secrets_free(secrets);
}

static void
test_lookup(void)
{
    sa_secrets_t *secrets = sa_secrets_new();
    const sa_secret_row_t rows[] = {
        { "alice", "", "any-realm", NULL, NULL, NULL, NULL, NULL },
        { "alice", "example.com", "exact-realm", NULL, NULL, NULL, NULL, NULL },
        { "bob", "", NULL, "0123456789ABCDEF0123456789ABCDEF", NULL, NULL, NULL, NULL },
        { "ue@ims", "", NULL, NULL, "46 5b 5c e8 b1 99 b4 9f aa 5f 0a 2e e2 38 a6 bc", NULL,
          "0xcd63cb71954a9f4e48a5994e37a02baf", "b9:b9" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
        g_assert_true(sa_secrets_add(secrets, &rows[i]));
    sa_secret_t secret;

    /* The exact realm's row wins over the any-realm one; its password comes back as its HA1, hashed once. */
    sa_secret_query_t q = query("alice", "example.com", SA_DIGEST_ALG_MD5);
    g_assert_true(sa_secrets_lookup(secrets, &q, &secret));
    g_assert_cmpint(secret.kind, ==, SA_SECRET_HA1);
    char *expected = g_compute_checksum_for_string(G_CHECKSUM_MD5, "alice:example.com:exact-realm", -1);
    g_assert_cmpstr(secret.ha1_hex, ==, expected);
    g_free(expected);
    q = query("alice", "other.net", SA_DIGEST_ALG_SHA256);
    g_assert_true(sa_secrets_lookup(secrets, &q, &secret));
    expected = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "alice:other.net:any-realm", -1);
    g_assert_cmpstr(secret.ha1_hex, ==, expected);
    g_free(expected);

    /* An HA1 row, lower-cased. */
    q = query("bob", "example.com", SA_DIGEST_ALG_MD5);
    g_assert_true(sa_secrets_lookup(secrets, &q, &secret));
    g_assert_cmpstr(secret.ha1_hex, ==, "0123456789abcdef0123456789abcdef");

    /* AKA needs the keys: the row with them, decoded whatever the separators. */
    q = query("ue@ims", "ims", SA_DIGEST_ALG_AKAV1_MD5);
    g_assert_true(sa_secrets_lookup(secrets, &q, &secret));
    g_assert_cmpint(secret.kind, ==, SA_SECRET_AKA_KEYS);
    g_assert_cmphex(secret.k[0], ==, 0x46);
    g_assert_cmphex(secret.opc[15], ==, 0xaf);
    g_assert_null(secret.op);
    g_assert_cmphex(secret.amf[0], ==, 0xb9);
    q = query("alice", "example.com", SA_DIGEST_ALG_AKAV1_MD5);
    g_assert_false(sa_secrets_lookup(secrets, &q, &secret));   /* a password is no AKA key */
    q = query("ue@ims", "ims", SA_DIGEST_ALG_MD5);
    g_assert_false(sa_secrets_lookup(secrets, &q, &secret));   /* keys are no password */
    q = query("carol", "example.com", SA_DIGEST_ALG_MD5);
    g_assert_false(sa_secrets_lookup(secrets, &q, &secret));

    /* userhash=true: the user name is H(username:realm). */
    char *hashed = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "alice:example.com", -1);
    q = query(hashed, "example.com", SA_DIGEST_ALG_SHA256);
    q.userhash = TRUE;
    g_assert_true(sa_secrets_lookup(secrets, &q, &secret));
    g_assert_cmpstr(secret.username, ==, "alice");
    expected = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "alice:example.com:exact-realm", -1);
    g_assert_cmpstr(secret.ha1_hex, ==, expected);   /* the realm's row, as by name */
    g_free(expected);
    g_free(hashed);
    sa_secrets_free(secrets);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/secrets/rows_refused", test_rows_refused);
    g_test_add_func("/secrets/lookup", test_lookup);
    return g_test_run();
}
