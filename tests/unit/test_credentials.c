/* Unit tests of the tracker's credential checks (SPEC section 10): each check that needs no secret on a retry,
 * and the verification with a credentials table, through whole call flows. The responses come from RFC 2617
 * section 3.5, RFC 7616 section 3.9.1 and 3GPP TS 35.208 test set 1. */
#include "scenario.h"
#include "sipauth/explain.h"
#include "sipauth/secrets.h"

#include <string.h>

/* RFC 2617 section 3.5 (MD5, qop=auth), as a SIP-shaped exchange: GET is the method the response covers. */
#define R2617 "testrealm@host.com"
#define N2617 "dcd98b7102dd2f0e8b11d0f600bfb0c093"
#define O2617 "5ccc069c403ebaf9f0171e9517f40e41"
#define CH2617 "Digest realm=\"" R2617 "\", qop=\"auth,auth-int\", nonce=\"" N2617 "\", opaque=\"" O2617 "\""
#define CR2617(extra) "Digest username=\"Mufasa\", realm=\"" R2617 "\", nonce=\"" N2617 "\", uri=\"/dir/index.html\", " \
    "qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", opaque=\"" O2617 "\"" extra

/* RFC 7616 section 3.9.1: one nonce, offered with SHA-256 and with MD5. */
#define R7616 "http-auth@example.org"
#define N7616 "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
#define O7616 "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
#define CH7616(alg) "Digest realm=\"" R7616 "\", qop=\"auth, auth-int\", algorithm=" alg ", nonce=\"" N7616 "\", " \
    "opaque=\"" O7616 "\""
#define CR7616(alg, response) "Digest username=\"Mufasa\", realm=\"" R7616 "\", uri=\"/dir/index.html\", " \
    "algorithm=" alg ", nonce=\"" N7616 "\", nc=00000001, cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", " \
    "qop=auth, response=\"" response "\", opaque=\"" O7616 "\""
#define RESP7616_MD5 "8ca523f5e9506fed4657c9700eebdbec"
#define RESP7616_SHA256 "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"

/* TS 35.208 test set 1. */
#define AKA_K   "465b5ce8b199b49faa5f0a2ee238a6bc"
#define AKA_OP  "cdc202d5123e20f62b6d676ac72cb318"
#define AKA_RES "a54211d5e3ba50bf"
#define AKA_IMPI "001010000000001@ims.example.net"
#define AKA_REALM "ims.example.net"

static const sa_secrets_t *
table(void)
{
    static sa_secrets_t *secrets;
    if (secrets == NULL) {
        secrets = sa_secrets_new();
        const sa_secret_row_t rows[] = {
            { "Mufasa", R2617, "Circle Of Life", NULL, NULL, NULL, NULL, NULL },
            { "Mufasa", R7616, "Circle of Life", NULL, NULL, NULL, NULL, NULL },
            { "Mufasa", "", "never this one: the realm rows come first", NULL, NULL, NULL, NULL, NULL },
            { "Simba", R2617, "wrong password", NULL, NULL, NULL, NULL, NULL },
            { AKA_IMPI, AKA_REALM, NULL, NULL, AKA_K, AKA_OP, NULL, "b9b9" },
            { "other-keys@ims.example.net", AKA_REALM, NULL, NULL, "00112233445566778899aabbccddeeff", AKA_OP, NULL,
              NULL },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
            g_assert_true(sa_secrets_add(secrets, &rows[i]));
    }
    return secrets;
}

static sc_t *
with_table(void)
{
    sc_t *sc = sc_new(NULL);
    sc_set_secrets(sc, sa_secrets_lookup, table());
    return sc;
}

/* The findings of a retry that are about its credentials, as a set. */
static sa_finding_mask_t
credential_findings(sa_result_t r)
{
    static const sa_finding_t all[] = {
        SA_FINDING_URI_MISMATCH, SA_FINDING_ALGORITHM_NOT_OFFERED, SA_FINDING_ALGORITHM_DOWNGRADE,
        SA_FINDING_QOP_MISMATCH, SA_FINDING_NC_NOT_INCREMENTED, SA_FINDING_OPAQUE_MISMATCH,
        SA_FINDING_RESPONSE_MALFORMED, SA_FINDING_USERNAME_CHANGED, SA_FINDING_WRONG_CREDENTIALS,
        SA_FINDING_CREDENTIALS_CORRECT, SA_FINDING_CORRECT_CREDENTIALS_REFUSED, SA_FINDING_AKA_AUTN_INVALID,
    };
    sa_finding_mask_t set = 0;
    for (gsize i = 0; i < G_N_ELEMENTS(all); i++)
        if (sc_has(r, all[i]))
            set |= SA_FINDING_BIT(all[i]);
    return set;
}

#define ONLY(f) SA_FINDING_BIT(SA_FINDING_##f)

/* GET -> 401 -> retry with these credentials (-> 200 when ok_after): the retry's frame. */
static guint32
digest_flow(sc_t *sc, const char *challenge, const char *challenge2, const char *credentials, gboolean ok_after)
{
    SEND(sc, .at = 1.0, .method = "GET", .request_uri = "/dir/index.html");
    SEND(sc, .at = 1.1, .status = 401, .cseq_method = "GET", .www_authenticate = challenge,
         .www_authenticate2 = challenge2);
    guint32 retry = SEND(sc, .at = 1.3, .method = "GET", .cseq = 2, .request_uri = "/dir/index.html",
                         .authorization = credentials);
    if (ok_after)
        SEND(sc, .at = 1.4, .status = 200, .reason = "OK", .cseq = 2, .cseq_method = "GET");
    return retry;
}

static void
test_md5_correct(void)
{
    sc_t *sc = with_table();
    guint32 retry = digest_flow(sc, CH2617, NULL, CR2617(""), TRUE);
    sa_result_t r = sc_final(sc, retry);
    g_assert_cmpint(r.role, ==, SA_ROLE_RETRY);
    g_assert_cmpint(r.credentials, ==, SA_CREDENTIALS_CORRECT);
    g_assert_cmphex(credential_findings(r), ==, ONLY(CREDENTIALS_CORRECT));
    g_assert_cmpstr(r.algorithm, ==, "MD5");
    g_assert_cmpstr(r.qop, ==, "auth");
    g_assert_cmpstr(r.username, ==, "Mufasa");
    /* Known as soon as the retry is fed: the same in a single pass. */
    g_assert_cmpint(sc_so_far(sc, retry).credentials, ==, SA_CREDENTIALS_CORRECT);
    sc_free(sc);
}

static void
test_md5_wrong_and_unchecked(void)
{
    /* Simba's row holds another password than the one the response was computed with. */
    sc_t *sc = with_table();
    guint32 retry = digest_flow(sc, CH2617, NULL,
                                "Digest username=\"Simba\", realm=\"" R2617 "\", nonce=\"" N2617 "\", uri=\"/dir/index.html\", "
                                "qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
                                "opaque=\"" O2617 "\"", TRUE);
    sa_result_t r = sc_final(sc, retry);
    g_assert_cmpint(r.credentials, ==, SA_CREDENTIALS_WRONG);
    g_assert_cmphex(credential_findings(r), ==, ONLY(WRONG_CREDENTIALS));
    g_assert_cmpstr(sa_finding_text(SA_FINDING_WRONG_CREDENTIALS, &r), ==, sa_text(SA_TEXT_WRONG_CREDENTIALS));
    sc_free(sc);

    /* No table: not checked, and nothing said about it. */
    sc = sc_new(NULL);
    retry = digest_flow(sc, CH2617, NULL, CR2617(""), TRUE);
    r = sc_final(sc, retry);
    g_assert_cmpint(r.credentials, ==, SA_CREDENTIALS_NOT_CHECKED);
    g_assert_cmphex(credential_findings(r), ==, 0);
    sc_free(sc);

    /* A user the table does not have. */
    sc = with_table();
    retry = digest_flow(sc, CH2617, NULL,
                        "Digest username=\"Nala\", realm=\"" R2617 "\", nonce=\"" N2617 "\", uri=\"/dir/index.html\", "
                        "qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
                        "opaque=\"" O2617 "\"", TRUE);
    g_assert_cmpint(sc_final(sc, retry).credentials, ==, SA_CREDENTIALS_NOT_CHECKED);
    sc_free(sc);
}

/* RFC 8760: SHA-256 and MD5 offered for one realm; the SHA-256 answer is the strongest, the MD5 one is not. */
static void
test_sha256_and_downgrade(void)
{
    sc_t *sc = with_table();
    guint32 retry = digest_flow(sc, CH7616("SHA-256"), CH7616("MD5"), CR7616("SHA-256", RESP7616_SHA256), TRUE);
    sa_result_t r = sc_final(sc, retry);
    g_assert_cmpint(r.credentials, ==, SA_CREDENTIALS_CORRECT);
    g_assert_cmphex(credential_findings(r), ==, ONLY(CREDENTIALS_CORRECT));
    g_assert_cmpstr(r.algorithm, ==, "SHA-256");
    sc_free(sc);

    sc = with_table();
    retry = digest_flow(sc, CH7616("SHA-256"), CH7616("MD5"), CR7616("MD5", RESP7616_MD5), TRUE);
    r = sc_final(sc, retry);
    g_assert_cmpint(r.credentials, ==, SA_CREDENTIALS_CORRECT);
    g_assert_cmphex(credential_findings(r), ==, ONLY(CREDENTIALS_CORRECT) | ONLY(ALGORITHM_DOWNGRADE));
    sc_free(sc);

    /* Only MD5 offered, SHA-256 answered: not offered (and its response still verifies). */
    sc = with_table();
    retry = digest_flow(sc, CH7616("MD5"), NULL, CR7616("SHA-256", RESP7616_SHA256), TRUE);
    r = sc_final(sc, retry);
    g_assert_cmphex(credential_findings(r), ==, ONLY(CREDENTIALS_CORRECT) | ONLY(ALGORITHM_NOT_OFFERED));
    sc_free(sc);
}

/* The server challenges a retry whose response verifies, again and again: the server side is wrong. */
static void
test_correct_credentials_refused(void)
{
    sc_t *sc = with_table();
    guint32 retry = digest_flow(sc, CH2617, NULL, CR2617(""), FALSE);
    guint32 again = SEND(sc, .at = 1.4, .status = 401, .cseq = 2, .cseq_method = "GET", .www_authenticate = CH2617);
    sa_result_t r = sc_final(sc, retry);
    g_assert_cmpint(r.credentials, ==, SA_CREDENTIALS_CORRECT);
    g_assert_cmphex(credential_findings(r), ==, ONLY(CREDENTIALS_CORRECT) | ONLY(CORRECT_CREDENTIALS_REFUSED));
    sa_result_t c = sc_final(sc, again);
    g_assert_true(sc_has(c, SA_FINDING_CORRECT_CREDENTIALS_REFUSED));
    g_assert_true(sa_finding_is_detail(SA_FINDING_CORRECT_CREDENTIALS_REFUSED, &c));
    g_assert_true(sc_has(sc_so_far(sc, again), SA_FINDING_CORRECT_CREDENTIALS_REFUSED));
    /* The statement of the refused flow points at the server, not at the password. */
    g_assert_cmpint(c.verdict, ==, SA_VERDICT_REFUSED);
    g_assert_cmpint(sa_finding_text_id(c.statement, &c), ==, SA_TEXT_REFUSED_CORRECT);
    sc_free(sc);

    /* The same refused with 403. */
    sc = with_table();
    retry = digest_flow(sc, CH2617, NULL, CR2617(""), FALSE);
    guint32 forbidden = SEND(sc, .at = 1.4, .status = 403, .reason = "Forbidden", .cseq = 2, .cseq_method = "GET");
    g_assert_true(sc_has(sc_final(sc, retry), SA_FINDING_CORRECT_CREDENTIALS_REFUSED));
    sa_result_t f = sc_final(sc, forbidden);
    g_assert_true(sc_has(f, SA_FINDING_CORRECT_CREDENTIALS_REFUSED));
    g_assert_cmpint(sa_finding_text_id(SA_FINDING_RETRY_FAILED, &f), ==, SA_TEXT_FORBIDDEN_CORRECT);
    sc_free(sc);

    /* A wrong password refused: the statement names the UA. */
    sc = with_table();
    retry = digest_flow(sc, CH2617, NULL,
                        "Digest username=\"Simba\", realm=\"" R2617 "\", nonce=\"" N2617 "\", uri=\"/dir/index.html\", "
                        "qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
                        "opaque=\"" O2617 "\"", FALSE);
    again = SEND(sc, .at = 1.4, .status = 401, .cseq = 2, .cseq_method = "GET", .www_authenticate = CH2617);
    c = sc_final(sc, again);
    g_assert_false(sc_has(c, SA_FINDING_CORRECT_CREDENTIALS_REFUSED));
    g_assert_cmpint(sa_finding_text_id(c.statement, &c), ==, SA_TEXT_REFUSED_WRONG);
    sc_free(sc);
}

/* The checks that need no secret, one credentials header each (no table). */
static sa_finding_mask_t
unsecret(const char *challenge, const char *credentials, guint extra_vias)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 1.0, .method = "REGISTER", .request_uri = "sip:example.com");
    SEND(sc, .at = 1.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = challenge);
    guint32 retry = SEND(sc, .at = 1.3, .method = "REGISTER", .cseq = 2, .request_uri = "sip:example.com",
                         .extra_vias = extra_vias, .authorization = credentials);
    sa_finding_mask_t findings = credential_findings(sc_final(sc, retry));
    sc_free(sc);
    return findings;
}

#define CH "Digest realm=\"example.com\", nonce=\"n1\", opaque=\"op1\", algorithm=MD5, qop=\"auth\""
#define CR(uri, rest) "Digest username=\"alice\", realm=\"example.com\", nonce=\"n1\", uri=\"" uri "\", " \
    "response=\"0123456789abcdef0123456789abcdef\"" rest
#define GOOD ", opaque=\"op1\", algorithm=MD5, qop=auth, cnonce=\"c1\", nc=00000001"

static void
test_unsecret_checks(void)
{
    g_assert_cmphex(unsecret(CH, CR("sip:example.com", GOOD), 0), ==, 0);
    /* Compared as SIP URIs: host case and an escaped unreserved character are the same URI. */
    g_assert_cmphex(unsecret(CH, CR("sip:EXAMPLE.com", GOOD), 0), ==, 0);
    g_assert_cmphex(unsecret(CH, CR("sip:%65xample.com", GOOD), 0), ==, 0);
    g_assert_cmphex(unsecret(CH, CR("sip:192.0.2.1", GOOD), 0), ==, ONLY(URI_MISMATCH));
    /* Seen past a proxy, which may retarget the Request-URI: not judged. */
    g_assert_cmphex(unsecret(CH, CR("sip:192.0.2.1", GOOD), 2), ==, 0);
    g_assert_cmphex(unsecret(CH, "Digest username=\"alice\", realm=\"example.com\", nonce=\"n1\", "
                                 "response=\"0123456789abcdef0123456789abcdef\"" GOOD, 0), ==, ONLY(URI_MISMATCH));
    g_assert_cmphex(unsecret(CH, CR("sip:example.com", ", opaque=\"op1\", algorithm=SHA-256, qop=auth, cnonce=\"c\", "
                                    "nc=00000001"), 0),
                    ==, ONLY(ALGORITHM_NOT_OFFERED) | ONLY(RESPONSE_MALFORMED));
    g_assert_cmphex(unsecret(CH, CR("sip:example.com", ", opaque=\"op1\""), 0), ==, ONLY(QOP_MISMATCH));
    g_assert_cmphex(unsecret(CH, CR("sip:example.com", ", opaque=\"op1\", qop=auth"), 0), ==, ONLY(QOP_MISMATCH));
    g_assert_cmphex(unsecret("Digest realm=\"example.com\", nonce=\"n1\", opaque=\"op1\"",
                             CR("sip:example.com", GOOD), 0), ==, ONLY(QOP_MISMATCH));
    g_assert_cmphex(unsecret(CH, CR("sip:example.com", ", opaque=\"op2\", qop=auth, cnonce=\"c1\", nc=00000001"), 0),
                    ==, ONLY(OPAQUE_MISMATCH));
    g_assert_cmphex(unsecret(CH, CR("sip:example.com", ", qop=auth, cnonce=\"c1\", nc=00000001"), 0),
                    ==, ONLY(OPAQUE_MISMATCH));
    g_assert_cmphex(unsecret(CH, "Digest username=\"alice\", realm=\"example.com\", nonce=\"n1\", uri=\"sip:example.com\", "
                                 "response=\"0123\"" GOOD, 0), ==, ONLY(RESPONSE_MALFORMED));
    g_assert_cmphex(unsecret(CH, "Digest username=\"alice\", realm=\"example.com\", nonce=\"n1\", uri=\"sip:example.com\""
                                 GOOD, 0), ==, ONLY(RESPONSE_MALFORMED));
}

static void
test_qop_and_response_texts(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 1.0, .method = "REGISTER", .request_uri = "sip:example.com");
    SEND(sc, .at = 1.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CH);
    guint32 retry = SEND(sc, .at = 1.3, .method = "REGISTER", .cseq = 2, .request_uri = "sip:example.com",
                         .authorization = "Digest username=\"alice\", realm=\"example.com\", nonce=\"n1\", "
                                          "uri=\"sip:example.com\", response=\"zz23456789abcdef0123456789abcdef\", "
                                          "opaque=\"op1\"");
    sa_result_t r = sc_final(sc, retry);
    g_assert_cmpint(sa_finding_text_id(SA_FINDING_QOP_MISMATCH, &r), ==, SA_TEXT_QOP_NOT_USED);
    g_assert_cmpint(sa_finding_text_id(SA_FINDING_RESPONSE_MALFORMED, &r), ==, SA_TEXT_RESPONSE_NOT_HEX);
    sc_free(sc);
}

/* A retry challenged again with the same nonce, answered with the same nc; then another user name. */
static void
test_nc_and_username(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 1.0, .method = "REGISTER", .request_uri = "sip:example.com");
    SEND(sc, .at = 1.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CH);
    guint32 retry1 = SEND(sc, .at = 1.3, .method = "REGISTER", .cseq = 2, .request_uri = "sip:example.com",
                          .authorization = CR("sip:example.com", GOOD));
    SEND(sc, .at = 1.4, .status = 401, .cseq = 2, .cseq_method = "REGISTER", .www_authenticate = CH);
    guint32 retry2 = SEND(sc, .at = 1.6, .method = "REGISTER", .cseq = 3, .request_uri = "sip:example.com",
                          .authorization = CR("sip:example.com", GOOD));
    SEND(sc, .at = 1.7, .status = 401, .cseq = 3, .cseq_method = "REGISTER", .www_authenticate = CH);
    guint32 retry3 = SEND(sc, .at = 1.9, .method = "REGISTER", .cseq = 4, .request_uri = "sip:example.com",
                          .authorization = "Digest username=\"bob\", realm=\"example.com\", nonce=\"n1\", "
                                           "uri=\"sip:example.com\", response=\"0123456789abcdef0123456789abcdef\", "
                                           "opaque=\"op1\", algorithm=MD5, qop=auth, cnonce=\"c1\", nc=00000003");
    g_assert_cmphex(credential_findings(sc_final(sc, retry1)), ==, 0);
    g_assert_cmphex(credential_findings(sc_final(sc, retry2)), ==, ONLY(NC_NOT_INCREMENTED));
    g_assert_cmphex(credential_findings(sc_final(sc, retry3)), ==, ONLY(USERNAME_CHANGED));
    sc_free(sc);
}

/* RFC 8898: a Bearer challenge and a Bearer retry are followed, and nothing is said of their credentials. */
static void
test_bearer_left_alone(void)
{
    sc_t *sc = with_table();
    SEND(sc, .at = 1.0, .method = "REGISTER", .request_uri = "sip:example.com");
    guint32 challenge = SEND(sc, .at = 1.1, .status = 401, .cseq_method = "REGISTER",
                             .www_authenticate = "Bearer realm=\"example.com\", "
                                                 "authz_server=\"https://as.example.com/token\"");
    guint32 retry = SEND(sc, .at = 1.3, .method = "REGISTER", .cseq = 2, .request_uri = "sip:example.com",
                         .authorization = "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc");
    SEND(sc, .at = 1.4, .status = 200, .reason = "OK", .cseq = 2, .cseq_method = "REGISTER");
    sa_result_t r = sc_final(sc, retry);
    g_assert_cmpint(r.role, ==, SA_ROLE_RETRY);
    g_assert_cmpint(r.credentials, ==, SA_CREDENTIALS_CANNOT_CHECK);
    g_assert_cmpint(r.check_reason, ==, SA_CHECK_SCHEME);
    g_assert_cmphex(r.findings & ~ONLY(CHALLENGE_ANSWERED), ==, 0);
    g_assert_cmpint(sc_final(sc, challenge).verdict, ==, SA_VERDICT_ACCEPTED);
    sc_free(sc);
}

/* qop=auth-int covers the body: a body cut by the capture cannot be checked. */
static void
test_auth_int_body_cut(void)
{
    sc_t *sc = with_table();
    SEND(sc, .at = 1.0, .method = "GET", .request_uri = "/dir/index.html", .body = "v=0\r\n");
    SEND(sc, .at = 1.1, .status = 401, .cseq_method = "GET", .www_authenticate = CH2617);
    guint32 retry = SEND(sc, .at = 1.3, .method = "GET", .cseq = 2, .request_uri = "/dir/index.html",
                         .body = "v=0\r\n", .body_cut = TRUE,
                         .authorization = "Digest username=\"Mufasa\", realm=\"" R2617 "\", nonce=\"" N2617 "\", "
                                          "uri=\"/dir/index.html\", qop=auth-int, nc=00000001, cnonce=\"0a4f113b\", "
                                          "response=\"6629fae49393a05397450978507c4ef1\", opaque=\"" O2617 "\"");
    sa_result_t r = sc_final(sc, retry);
    g_assert_cmpint(r.credentials, ==, SA_CREDENTIALS_CANNOT_CHECK);
    g_assert_cmpint(r.check_reason, ==, SA_CHECK_BODY_CUT);
    g_assert_cmpstr(r.qop, ==, "auth-int");
    g_assert_cmphex(credential_findings(r), ==, 0);
    sc_free(sc);
}

/* IMS AKA: the nonce is base64(RAND || AUTN) of TS 35.208 test set 1; AKAv1-MD5's password is RES. */
#define AKA_NONCE "I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M="

static char *
md5_hex(const guint8 *data, gsize len)
{
    return g_compute_checksum_for_data(G_CHECKSUM_MD5, data, len);
}

static char *
aka_response(const char *username)
{
    static const guint8 res[] = { 0xa5, 0x42, 0x11, 0xd5, 0xe3, 0xba, 0x50, 0xbf };
    GByteArray *a1 = g_byte_array_new();
    char *prefix = g_strdup_printf("%s:%s:", username, AKA_REALM);
    g_byte_array_append(a1, (const guint8 *)prefix, (guint)strlen(prefix));
    g_byte_array_append(a1, res, sizeof res);
    char *ha1 = md5_hex(a1->data, a1->len);
    char *ha2 = g_compute_checksum_for_string(G_CHECKSUM_MD5, "REGISTER:sip:" AKA_REALM, -1);
    char *kd = g_strdup_printf("%s:%s:00000001:c1:auth:%s", ha1, AKA_NONCE, ha2);
    char *response = g_compute_checksum_for_string(G_CHECKSUM_MD5, kd, -1);
    g_byte_array_free(a1, TRUE);
    g_free(prefix);
    g_free(ha1);
    g_free(ha2);
    g_free(kd);
    return response;
}

static sa_result_t
aka_flow(const char *username, const char *nonce, const char *response)
{
    sc_t *sc = with_table();
    char *challenge = g_strdup_printf("Digest realm=\"%s\", nonce=\"%s\", algorithm=AKAv1-MD5, qop=\"auth\"",
                                      AKA_REALM, nonce);
    char *credentials = g_strdup_printf("Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"sip:%s\", "
                                        "response=\"%s\", algorithm=AKAv1-MD5, cnonce=\"c1\", qop=auth, nc=00000001",
                                        username, AKA_REALM, nonce, AKA_REALM, response);
    SEND(sc, .at = 1.0, .method = "REGISTER", .request_uri = "sip:" AKA_REALM);
    guint32 challenged = SEND(sc, .at = 1.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = challenge);
    guint32 retry = SEND(sc, .at = 1.3, .method = "REGISTER", .cseq = 2, .request_uri = "sip:" AKA_REALM,
                         .authorization = credentials);
    sa_result_t r = sc_final(sc, retry);
    /* What the retry says of the AUTN, the challenge says too. */
    g_assert_cmpint(sc_has(sc_final(sc, challenged), SA_FINDING_AKA_AUTN_INVALID), ==,
                    sc_has(r, SA_FINDING_AKA_AUTN_INVALID));
    sc_free(sc);
    g_free(challenge);
    g_free(credentials);
    return r;
}

static void
test_aka(void)
{
    char *right = aka_response(AKA_IMPI);
    sa_result_t r = aka_flow(AKA_IMPI, AKA_NONCE, right);
    g_assert_cmpint(r.credentials, ==, SA_CREDENTIALS_CORRECT);
    g_assert_cmpint(r.autn, ==, SA_AUTN_VALID);
    g_assert_cmphex(credential_findings(r), ==, ONLY(CREDENTIALS_CORRECT));
    g_assert_cmpstr(r.algorithm, ==, "AKAv1-MD5");
    /* A RES that is not the USIM's. */
    r = aka_flow(AKA_IMPI, AKA_NONCE, "0123456789abcdef0123456789abcdef");
    g_assert_cmpint(r.credentials, ==, SA_CREDENTIALS_WRONG);
    g_assert_cmphex(credential_findings(r), ==, ONLY(WRONG_CREDENTIALS));
    /* Keys that are not the network's: the AUTN does not verify. */
    char *other = aka_response("other-keys@ims.example.net");
    r = aka_flow("other-keys@ims.example.net", AKA_NONCE, other);
    g_assert_cmpint(r.autn, ==, SA_AUTN_INVALID);
    g_assert_true(sc_has(r, SA_FINDING_AKA_AUTN_INVALID));
    g_free(right);
    g_free(other);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/credentials/md5_correct", test_md5_correct);
    g_test_add_func("/credentials/md5_wrong_and_unchecked", test_md5_wrong_and_unchecked);
    g_test_add_func("/credentials/sha256_and_downgrade", test_sha256_and_downgrade);
    g_test_add_func("/credentials/correct_credentials_refused", test_correct_credentials_refused);
    g_test_add_func("/credentials/unsecret_checks", test_unsecret_checks);
    g_test_add_func("/credentials/qop_and_response_texts", test_qop_and_response_texts);
    g_test_add_func("/credentials/nc_and_username", test_nc_and_username);
    g_test_add_func("/credentials/bearer_left_alone", test_bearer_left_alone);
    g_test_add_func("/credentials/auth_int_body_cut", test_auth_int_body_cut);
    g_test_add_func("/credentials/aka", test_aka);
    return g_test_run();
}
