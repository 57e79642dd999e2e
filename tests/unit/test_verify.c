/* Unit tests of the credential engine: RFC known answers, every algorithm, auth-int, userhash, username*,
 * AKAv1/AKAv2 end to end with MILENAGE, and every reason it cannot check. */
#include <string.h>
#include "sipauth/verify.h"
#include "milenage.h"

typedef struct {
    sa_digest_params_t credentials;
    sa_verify_input_t  input;
    sa_secret_t        secret;
    sa_verify_result_t result;
} check_t;

/* Reads the credentials header value and sets up a password secret; the text must outlive the check. */
static void
check_init(check_t *check, const char *method, const char *header)
{
    memset(check, 0, sizeof *check);
    sa_digest_parse(header, strlen(header), &check->credentials);
    check->input.credentials = &check->credentials;
    check->input.method = method;
}

static void
with_password(check_t *check, const char *password)
{
    check->secret.kind = SA_SECRET_PASSWORD;
    check->secret.password = password;
    check->secret.password_len = strlen(password);
}

static sa_credentials_t
run(check_t *check)
{
    sa_verify(&check->input, &check->secret, &check->result);
    return check->result.credentials;
}

static void
assert_cannot(check_t *check, sa_check_reason_t reason)
{
    g_assert_cmpint(run(check), ==, SA_CREDENTIALS_CANNOT_CHECK);
    g_assert_cmpint(check->result.reason, ==, reason);
}

/* RFC 2617 section 3.5: the "Mufasa" example, MD5 with qop=auth. */
#define RFC2617_HEADER \
    "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", " \
    "uri=\"/dir/index.html\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", " \
    "response=\"%s\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""

static void
test_rfc2617(void)
{
    check_t c;
    char *header = g_strdup_printf(RFC2617_HEADER, "6629fae49393a05397450978507c4ef1");
    check_init(&c, "GET", header);
    with_password(&c, "Circle Of Life");
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    g_assert_cmpint(c.result.reason, ==, SA_CHECK_NONE);
    with_password(&c, "Circle of Life");   /* RFC 7616's spelling is another password */
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);
    g_free(header);

    header = g_strdup_printf(RFC2617_HEADER, "6629FAE49393A05397450978507C4EF1");   /* hex in capitals */
    check_init(&c, "GET", header);
    with_password(&c, "Circle Of Life");
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    g_free(header);

    header = g_strdup_printf(RFC2617_HEADER, "6629fae49393a05397450978507c4ef2");   /* one digit off */
    check_init(&c, "GET", header);
    with_password(&c, "Circle Of Life");
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);
    g_free(header);
}

/* The same example with its HA1 (H(Mufasa:testrealm@host.com:Circle Of Life)) instead of the password. */
static void
test_ha1_secret(void)
{
    check_t c;
    char *header = g_strdup_printf(RFC2617_HEADER, "6629fae49393a05397450978507c4ef1");
    check_init(&c, "GET", header);
    c.secret.kind = SA_SECRET_HA1;
    c.secret.ha1_hex = "939E7578ED9E3C518A452ACEE763BCE9";
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    c.secret.ha1_hex = "939e7578ed9e3c518a452acee763bce8";
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);
    c.secret.ha1_hex = "939e7578ed9e3c518a452acee763bc";   /* not the length MD5 gives */
    assert_cannot(&c, SA_CHECK_SECRET);
    c.secret.ha1_hex = "939e7578ed9e3c518a452acee763bcxx";
    assert_cannot(&c, SA_CHECK_SECRET);
    g_free(header);
}

/* RFC 7616 section 3.9.1: the same credentials with MD5 and with SHA-256. */
#define RFC7616_HEADER \
    "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", algorithm=%s, " \
    "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, " \
    "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, response=\"%s\", " \
    "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""

static void
test_rfc7616_md5_and_sha256(void)
{
    static const struct {
        const char *algorithm, *response;
    } cases[] = {
        { "MD5", "8ca523f5e9506fed4657c9700eebdbec" },
        { "SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1" },
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        check_t c;
        char *header = g_strdup_printf(RFC7616_HEADER, cases[i].algorithm, cases[i].response);
        check_init(&c, "GET", header);
        with_password(&c, "Circle of Life");
        g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
        with_password(&c, "Circle Of Life");
        g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);
        c.input.method = "POST";
        with_password(&c, "Circle of Life");
        g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);
        g_free(header);
    }
    /* An MD5 response under algorithm=SHA-256 has the wrong length. */
    check_t c;
    char *header = g_strdup_printf(RFC7616_HEADER, "SHA-256", "8ca523f5e9506fed4657c9700eebdbec");
    check_init(&c, "GET", header);
    with_password(&c, "Circle of Life");
    assert_cannot(&c, SA_CHECK_MALFORMED_RESPONSE);
    g_free(header);
}

/*
 * SHA-512-256 with userhash and with username*, on RFC 7616 section 3.9.2's inputs. The expected values
 * were computed with Python's hashlib: the RFC's printed ones do not follow from its inputs (erratum 4897).
 */
#define SHA512_USERHASH "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b"
#define SHA512_RESPONSE "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5"
#define SHA512_REST \
    "realm=\"api@example.org\", uri=\"/doe.json\", algorithm=SHA-512-256, " \
    "nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", nc=00000001, " \
    "cnonce=\"NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v\", qop=auth, response=\"" SHA512_RESPONSE "\", " \
    "opaque=\"HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS\""
#define JASON "J\xc3\xa4s\xc3\xb8n Doe"

static void
test_sha512_256_userhash(void)
{
    check_t c;
    check_init(&c, "GET", "Digest username=\"" SHA512_USERHASH "\", userhash=true, " SHA512_REST);
    with_password(&c, "Secret, or not?");
    c.secret.username = JASON;
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    c.secret.username = "Jason Doe";   /* another user's hash */
    assert_cannot(&c, SA_CHECK_USER);
    c.secret.username = NULL;          /* the plain name is needed */
    assert_cannot(&c, SA_CHECK_MISSING_PARAMETER);
    c.secret.username = JASON;
    with_password(&c, "Secret, or not!");
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);
}

static void
test_username_ext(void)
{
    check_t c;
    check_init(&c, "GET", "Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, " SHA512_REST);
    with_password(&c, "Secret, or not?");
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    c.secret.username = JASON;
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    c.secret.username = "Jason Doe";
    assert_cannot(&c, SA_CHECK_USER);
}

/* -sess variants, no qop (RFC 2069 style), an escaped user name: values from Python's hashlib. */
static void
test_other_algorithms(void)
{
    static const struct {
        const char *header, *password;
    } cases[] = {
        { "Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\", uri=\"sip:example.com\", algorithm=MD5-sess,"
          " qop=auth, nc=00000001, cnonce=\"xyz\", response=\"8e799fe75b884b4edc570c1d5505dafe\"", "secret" },
        { "Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\", uri=\"sip:example.com\", "
          "algorithm=sha-256-sess, qop=auth, nc=00000001, cnonce=\"xyz\", "
          "response=\"093bcf4b6fe395d9fa39bd9793972473d1fb486feaee9db625198998642e1b14\"", "secret" },
        { "Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\", uri=\"sip:example.com\", "
          "algorithm=SHA-512-256-sess, qop=auth, nc=00000001, cnonce=\"xyz\", "
          "response=\"0241c27f3a3e04359043096041584316b3b5034f933f67c3c6d97be9fd33b865\"", "secret" },
        { "Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\", uri=\"sip:example.com\", "
          "response=\"dbe98f00688a08a2dbda0b12e8c71319\"", "secret" },
        { "Digest username=\"a\\\"b\", realm=\"example.com\", nonce=\"abc\", uri=\"sip:example.com\", qop=\"auth\","
          " nc=00000001, cnonce=\"xyz\", response=\"84a5e202c0296e4b2c734619026d5086\"", "secret" },
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        check_t c;
        check_init(&c, "REGISTER", cases[i].header);
        with_password(&c, cases[i].password);
        g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
        with_password(&c, "Secret");
        g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);
    }
}

/* qop=auth-int hashes the body: right body, other body, empty body, and a body the capture cut. */
#define AUTH_INT_HEADER \
    "Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\", uri=\"sip:bob@example.com\", " \
    "qop=auth-int, nc=00000001, cnonce=\"xyz\", response=\"%s\""
#define SDP "v=0\r\no=- 0 0 IN IP4 192.0.2.1\r\n"

static void
test_auth_int(void)
{
    check_t c;
    char *header = g_strdup_printf(AUTH_INT_HEADER, "23b09f22d3508cf460906d865d65a225");
    check_init(&c, "INVITE", header);
    with_password(&c, "secret");
    c.input.body = (const guint8 *)SDP;
    c.input.body_len = strlen(SDP);
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    c.input.body_len--;
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);
    c.input.body_cut = TRUE;
    assert_cannot(&c, SA_CHECK_BODY_CUT);
    g_free(header);

    header = g_strdup_printf(AUTH_INT_HEADER, "09ac3dca9c4c2fcd6eeb3bd0c6c837c8");
    check_init(&c, "INVITE", header);
    with_password(&c, "secret");
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);   /* no body: H("") */
    g_free(header);

    /* A cut body does not matter to qop=auth. */
    header = g_strdup_printf(RFC2617_HEADER, "6629fae49393a05397450978507c4ef1");
    check_init(&c, "GET", header);
    with_password(&c, "Circle Of Life");
    c.input.body_cut = TRUE;
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    g_free(header);
}

/* Input longer than the hasher gathers (a 1 KB body, a 700-byte nonce): streamed, with the same answers.
 * Values from Python's hashlib. */
#define PAD10 "0123456789"
#define PAD100 PAD10 PAD10 PAD10 PAD10 PAD10 PAD10 PAD10 PAD10 PAD10 PAD10
#define LONG_BODY "v=0\r\na=x-padding:" PAD100 PAD100 PAD100 PAD100 PAD100 PAD100 PAD100 PAD100 PAD100 PAD100 "\r\n"
#define N10 "nnnnnnnnnn"
#define N100 N10 N10 N10 N10 N10 N10 N10 N10 N10 N10
#define LONG_NONCE N100 N100 N100 N100 N100 N100 N100

static void
test_long_input(void)
{
    check_t c;
    check_init(&c, "INVITE", "Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\", "
                             "uri=\"sip:bob@example.com\", qop=auth-int, nc=00000001, cnonce=\"xyz\", "
                             "response=\"07d679eb62aac0ec2c6936d87a16145f\"");
    with_password(&c, "secret");
    c.input.body = (const guint8 *)LONG_BODY;
    c.input.body_len = strlen(LONG_BODY);
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    c.input.body_len--;
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);

    check_init(&c, "INVITE", "Digest username=\"alice\", realm=\"example.com\", nonce=\"" LONG_NONCE "\", "
                             "uri=\"sip:bob@example.com\", qop=auth, nc=00000001, cnonce=\"xyz\", "
                             "response=\"e7b6f6db9a82aa66ec5db88ee0d36c59\"");
    with_password(&c, "secret");
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    with_password(&c, "Secret");
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);

    check_init(&c, "INVITE", "Digest username=\"alice\", realm=\"example.com\", nonce=\"" LONG_NONCE "\", "
                             "uri=\"sip:bob@example.com\", algorithm=SHA-256-sess, qop=auth, nc=00000001, "
                             "cnonce=\"xyz\", response=\"83b4182ce41393b8b04f38761095f509d199d43d39d1b35222161c01b9305976\"");
    with_password(&c, "secret");
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
}

static void
test_not_checked_and_cannot_check(void)
{
    check_t c;
    check_init(&c, "GET", "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", "
                          "response=\"0123456789abcdef0123456789abcdef\"");
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_NOT_CHECKED);   /* no secret */
    g_assert_cmpint(c.result.reason, ==, SA_CHECK_NONE);
    sa_verify(&c.input, NULL, &c.result);
    g_assert_cmpint(c.result.credentials, ==, SA_CREDENTIALS_NOT_CHECKED);

    check_init(&c, "GET", "Bearer token=\"abc\"");
    assert_cannot(&c, SA_CHECK_SCHEME);   /* whatever the secret */
    with_password(&c, "x");
    assert_cannot(&c, SA_CHECK_SCHEME);

    static const struct {
        const char *header;
        sa_check_reason_t reason;
    } cases[] = {
        { "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", algorithm=SHA-1, "
          "response=\"0123456789abcdef0123456789abcdef\"", SA_CHECK_ALGORITHM },
        { "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", qop=auth-conf, nc=00000001, cnonce=\"c\", "
          "response=\"0123456789abcdef0123456789abcdef\"", SA_CHECK_QOP },
        { "Digest username=\"u\", realm=\"r\", uri=\"sip:r\", response=\"0123456789abcdef0123456789abcdef\"",
          SA_CHECK_MISSING_PARAMETER },
        { "Digest username=\"u\", nonce=\"n\", uri=\"sip:r\", response=\"0123456789abcdef0123456789abcdef\"",
          SA_CHECK_MISSING_PARAMETER },
        { "Digest username=\"u\", realm=\"r\", nonce=\"n\", response=\"0123456789abcdef0123456789abcdef\"",
          SA_CHECK_MISSING_PARAMETER },
        { "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", qop=auth, nc=00000001, "
          "response=\"0123456789abcdef0123456789abcdef\"", SA_CHECK_MISSING_PARAMETER },
        { "Digest realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"0123456789abcdef0123456789abcdef\"",
          SA_CHECK_MISSING_PARAMETER },
        { "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", algorithm=MD5-sess, "
          "response=\"0123456789abcdef0123456789abcdef\"", SA_CHECK_MISSING_PARAMETER },
        { "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\"", SA_CHECK_MALFORMED_RESPONSE },
        { "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"\"", SA_CHECK_MALFORMED_RESPONSE },
        { "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", "
          "response=\"0123456789abcdef0123456789abcdeg\"", SA_CHECK_MALFORMED_RESPONSE },
        { "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", algorithm=AKAv1-MD5, "
          "response=\"0123456789abcdef0123456789abcdef\"", SA_CHECK_SECRET },   /* a password for AKA */
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        check_init(&c, "GET", cases[i].header);
        with_password(&c, "x");
        assert_cannot(&c, cases[i].reason);
    }
    check_init(&c, "GET", "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", "
                          "response=\"0123456789abcdef0123456789abcdef\"");
    with_password(&c, "x");
    c.input.method = NULL;
    assert_cannot(&c, SA_CHECK_MISSING_PARAMETER);
    c.input.method = "GET";
    c.secret.username = "v";
    assert_cannot(&c, SA_CHECK_USER);
    c.secret.kind = SA_SECRET_AKA_RES;   /* a RES for plain Digest */
    assert_cannot(&c, SA_CHECK_SECRET);
}

static void
test_names(void)
{
    g_assert_cmpstr(sa_credentials_name(SA_CREDENTIALS_CORRECT), ==, "correct");
    g_assert_cmpstr(sa_credentials_name(SA_CREDENTIALS_WRONG), ==, "wrong");
    g_assert_cmpstr(sa_credentials_name(SA_CREDENTIALS_NOT_CHECKED), ==, "not checked");
    g_assert_cmpstr(sa_credentials_name(SA_CREDENTIALS_CANNOT_CHECK), ==, "cannot check");
    g_assert_cmpint(SA_CREDENTIALS_CORRECT, ==, 1);
    g_assert_cmpint(SA_CREDENTIALS_CANNOT_CHECK, ==, 4);
    g_assert_cmpstr(sa_check_reason_text(SA_CHECK_NONE), ==, "");
    g_assert_cmpstr(sa_check_reason_text(SA_CHECK_SCHEME), ==, "not the Digest scheme");
    g_assert_cmpstr(sa_autn_check_text(SA_AUTN_NOT_CHECKED), ==, "");
}

/*
 * AKA end to end, with TS 35.208 test set 1 (K, OP, OPc, RAND, SQN, AMF) and set 3's K and OPc as a
 * network with other keys. AUTN = SQN xor AK || AMF || MAC-A = 55f328b43577 b9b9 4a9ffac354dfafb3; the
 * nonce is base64(RAND || AUTN || "server-data"); the expected responses come from Python (hashlib, hmac).
 */
static const guint8 set1_k[16] = { 0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99, 0xb4, 0x9f,
                                   0xaa, 0x5f, 0x0a, 0x2e, 0xe2, 0x38, 0xa6, 0xbc };
static const guint8 set1_op[16] = { 0xcd, 0xc2, 0x02, 0xd5, 0x12, 0x3e, 0x20, 0xf6,
                                    0x2b, 0x6d, 0x67, 0x6a, 0xc7, 0x2c, 0xb3, 0x18 };
static const guint8 set1_opc[16] = { 0xcd, 0x63, 0xcb, 0x71, 0x95, 0x4a, 0x9f, 0x4e,
                                     0x48, 0xa5, 0x99, 0x4e, 0x37, 0xa0, 0x2b, 0xaf };
static const guint8 set1_rand[16] = { 0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37, 0xa8, 0x9d,
                                      0x21, 0x8a, 0xe6, 0x4d, 0xae, 0x47, 0xbf, 0x35 };
static const guint8 set1_sqn[6] = { 0xff, 0x9b, 0xb4, 0xd0, 0xb6, 0x07 };
static const guint8 set1_amf[2] = { 0xb9, 0xb9 };
static const guint8 set1_res[8] = { 0xa5, 0x42, 0x11, 0xd5, 0xe3, 0xba, 0x50, 0xbf };
static const guint8 set1_ck[16] = { 0xb4, 0x0b, 0xa9, 0xa3, 0xc5, 0x8b, 0x2a, 0x05,
                                    0xbb, 0xf0, 0xd9, 0x87, 0xb2, 0x1b, 0xf8, 0xcb };
static const guint8 set1_ik[16] = { 0xf7, 0x69, 0xbc, 0xd7, 0x51, 0x04, 0x46, 0x04,
                                    0x12, 0x76, 0x72, 0x71, 0x1c, 0x6d, 0x34, 0x41 };
static const guint8 set3_k[16] = { 0xfe, 0xc8, 0x6b, 0xa6, 0xeb, 0x70, 0x7e, 0xd0,
                                   0x89, 0x05, 0x75, 0x7b, 0x1b, 0xb4, 0x4b, 0x8f };
static const guint8 set3_opc[16] = { 0x10, 0x06, 0x02, 0x0f, 0x0a, 0x47, 0x8b, 0xf6,
                                     0xb6, 0x99, 0xf1, 0x5c, 0x06, 0x2e, 0x42, 0xb3 };

#define AKA_NONCE "I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7NzZXJ2ZXItZGF0YQ=="
#define AKA_HEADER \
    "Digest username=\"001010000000001@ims.mnc001.mcc001.3gppnetwork.org\", " \
    "realm=\"ims.mnc001.mcc001.3gppnetwork.org\", uri=\"sip:ims.mnc001.mcc001.3gppnetwork.org\", " \
    "nonce=\"%s\", algorithm=%s, qop=auth, nc=00000001, cnonce=\"0a1b2c3d\", response=\"%s\"%s"
#define AKAV1_RESPONSE "88b58d8bca62f3ce0e0c07cd2d3090e2"
#define AKAV2_RESPONSE "3a3e014896e0c48a5b2df76f3dc97f12"

static char *
aka_header(const char *nonce, const char *algorithm, const char *response, const char *extra)
{
    return g_strdup_printf(AKA_HEADER, nonce, algorithm, response, extra);
}

static void
with_keys(check_t *check, const guint8 *k, const guint8 *op, const guint8 *opc)
{
    check->secret.kind = SA_SECRET_AKA_KEYS;
    check->secret.k = k;
    check->secret.op = op;
    check->secret.opc = opc;
}

/* The nonce is RAND || AUTN as MILENAGE computes them for test set 1: the test data build it. */
static void
test_aka_nonce_from_milenage(void)
{
    guint8 mac_a[8], ak[6], nonce[32 + 11];
    g_assert_true(sa_milenage_f1(set1_k, set1_opc, set1_rand, set1_sqn, set1_amf, mac_a, NULL));
    g_assert_true(sa_milenage_f2345(set1_k, set1_opc, set1_rand, NULL, NULL, NULL, ak));
    memcpy(nonce, set1_rand, 16);
    for (int i = 0; i < 6; i++)
        nonce[16 + i] = set1_sqn[i] ^ ak[i];
    memcpy(nonce + 22, set1_amf, 2);
    memcpy(nonce + 24, mac_a, 8);
    memcpy(nonce + 32, "server-data", 11);
    char *base64 = g_base64_encode(nonce, sizeof nonce);
    g_assert_cmpstr(base64, ==, AKA_NONCE);
    g_free(base64);
}

static void
test_akav1_keys(void)
{
    check_t c;
    char *header = aka_header(AKA_NONCE, "AKAv1-MD5", AKAV1_RESPONSE, "");
    check_init(&c, "REGISTER", header);
    with_keys(&c, set1_k, NULL, set1_opc);
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    g_assert_cmpint(c.result.autn, ==, SA_AUTN_VALID);
    g_assert_false(c.result.resync);
    with_keys(&c, set1_k, set1_op, NULL);   /* OP instead of OPc */
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    g_assert_cmpint(c.result.autn, ==, SA_AUTN_VALID);
    c.secret.amf = set1_amf;
    run(&c);
    g_assert_false(c.result.amf_differs);
    static const guint8 other_amf[2] = { 0x80, 0x00 };
    c.secret.amf = other_amf;
    run(&c);
    g_assert_true(c.result.amf_differs);

    /* The network's keys are other keys: AUTN fails with the user's, and the RES they give is not the UA's. */
    with_keys(&c, set3_k, NULL, set3_opc);
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);
    g_assert_cmpint(c.result.autn, ==, SA_AUTN_INVALID);
    g_free(header);

    /* RAND || AUTN alone, base64 without its padding, is still read. */
    header = aka_header("I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M", "AKAv1-MD5", AKAV1_RESPONSE, "");
    check_init(&c, "REGISTER", header);
    with_keys(&c, set1_k, NULL, set1_opc);
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);   /* the response was for the longer nonce */
    g_assert_cmpint(c.result.autn, ==, SA_AUTN_VALID);
    g_free(header);

    /* The UA's keys are other keys: AUTN verifies, its response does not. */
    header = aka_header(AKA_NONCE, "AKAv1-MD5", "88b58d8bca62f3ce0e0c07cd2d3090e3", "");
    check_init(&c, "REGISTER", header);
    with_keys(&c, set1_k, NULL, set1_opc);
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);
    g_assert_cmpint(c.result.autn, ==, SA_AUTN_VALID);
    g_free(header);
}

/* The MAA's XRES instead of keys: no AUTN check. */
static void
test_akav1_xres(void)
{
    check_t c;
    char *header = aka_header(AKA_NONCE, "AKAv1-MD5", AKAV1_RESPONSE, "");
    check_init(&c, "REGISTER", header);
    c.secret.kind = SA_SECRET_AKA_RES;
    c.secret.res = set1_res;
    c.secret.res_len = sizeof set1_res;
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    g_assert_cmpint(c.result.autn, ==, SA_AUTN_NOT_CHECKED);
    c.secret.res_len = 7;
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);
    c.secret.res_len = 3;
    assert_cannot(&c, SA_CHECK_SECRET);
    g_free(header);
}

/* RFC 4169: the password is base64(HMAC-MD5(RES || IK || CK, "http-digest-akav2-password")). */
static void
test_akav2(void)
{
    check_t c;
    char *header = aka_header(AKA_NONCE, "AKAv2-MD5", AKAV2_RESPONSE, "");
    check_init(&c, "REGISTER", header);
    with_keys(&c, set1_k, NULL, set1_opc);
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    g_assert_cmpint(c.result.autn, ==, SA_AUTN_VALID);

    c.secret.kind = SA_SECRET_AKA_RES;
    c.secret.res = set1_res;
    c.secret.res_len = sizeof set1_res;
    c.secret.ik = set1_ik;
    c.secret.ck = set1_ck;
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_CORRECT);
    c.secret.ik = set1_ck;   /* IK and CK swapped */
    c.secret.ck = set1_ik;
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);
    c.secret.ik = c.secret.ck = NULL;   /* an XRES alone is not enough for AKAv2 */
    assert_cannot(&c, SA_CHECK_SECRET);
    g_free(header);

    /* AKAv1's response under AKAv2 is wrong: the passwords differ. */
    header = aka_header(AKA_NONCE, "AKAv2-MD5", AKAV1_RESPONSE, "");
    check_init(&c, "REGISTER", header);
    with_keys(&c, set1_k, NULL, set1_opc);
    g_assert_cmpint(run(&c), ==, SA_CREDENTIALS_WRONG);
    g_free(header);
}

/* A resynchronisation carries auts and no RES: nothing to check, but the AUTN still is. */
static void
test_aka_resync(void)
{
    check_t c;
    char *header = aka_header(AKA_NONCE, "AKAv1-MD5", "82a00fa0f3e942ba2f08acdaab88090a",
                              ", auts=\"AAAAAAAAAAAAAAAAAAAA\"");
    check_init(&c, "REGISTER", header);
    with_keys(&c, set1_k, NULL, set1_opc);
    assert_cannot(&c, SA_CHECK_RESYNC);
    g_assert_true(c.result.resync);
    g_assert_cmpint(c.result.autn, ==, SA_AUTN_VALID);
    g_free(header);
}

static void
test_aka_bad_nonce(void)
{
    static const char *const nonces[] = {
        "", "short", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7", "I1U8vpY3qJ0hiuZNrke/NVXz KLQ1d7m5Sp/6w1Tfr7NzZXJ2ZXI",
    };
    for (guint i = 0; i < G_N_ELEMENTS(nonces); i++) {
        check_t c;
        char *header = aka_header(nonces[i], "AKAv1-MD5", AKAV1_RESPONSE, "");
        check_init(&c, "REGISTER", header);
        with_keys(&c, set1_k, NULL, set1_opc);
        assert_cannot(&c, SA_CHECK_AKA_NONCE);
        g_assert_cmpint(c.result.autn, ==, SA_AUTN_NOT_CHECKED);
        g_free(header);
    }
    check_t c;
    char *header = aka_header(AKA_NONCE, "AKAv1-MD5", AKAV1_RESPONSE, "");
    check_init(&c, "REGISTER", header);
    with_keys(&c, set1_k, NULL, NULL);   /* neither OP nor OPc */
    assert_cannot(&c, SA_CHECK_SECRET);
    g_free(header);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/verify/rfc2617/mufasa", test_rfc2617);
    g_test_add_func("/verify/secret/ha1", test_ha1_secret);
    g_test_add_func("/verify/rfc7616/md5_and_sha256", test_rfc7616_md5_and_sha256);
    g_test_add_func("/verify/sha512_256/userhash", test_sha512_256_userhash);
    g_test_add_func("/verify/username_ext", test_username_ext);
    g_test_add_func("/verify/sess_no_qop_escaped_user", test_other_algorithms);
    g_test_add_func("/verify/auth_int/body_whole_and_cut", test_auth_int);
    g_test_add_func("/verify/long_input_streamed", test_long_input);
    g_test_add_func("/verify/not_checked_and_cannot_check", test_not_checked_and_cannot_check);
    g_test_add_func("/verify/names", test_names);
    g_test_add_func("/verify/aka/nonce_from_milenage", test_aka_nonce_from_milenage);
    g_test_add_func("/verify/aka/v1_with_keys", test_akav1_keys);
    g_test_add_func("/verify/aka/v1_with_xres", test_akav1_xres);
    g_test_add_func("/verify/aka/v2", test_akav2);
    g_test_add_func("/verify/aka/resync_auts", test_aka_resync);
    g_test_add_func("/verify/aka/bad_nonce", test_aka_bad_nonce);
    return g_test_run();
}
