/* Unit tests of the Digest reader: challenges, credentials, quoting, username*, and hostile values. */
#include <string.h>
#include "sipauth/digest.h"

static gboolean
span_is(sa_span_t span, const char *expected)
{
    if (expected == NULL)
        return span.ptr == NULL;
    return span.ptr && span.len == strlen(expected) && memcmp(span.ptr, expected, span.len) == 0;
}

static sa_digest_scheme_t
parse(const char *text, sa_digest_params_t *params)
{
    return sa_digest_parse(text, strlen(text), params);
}

static void
test_challenge(void)
{
    sa_digest_params_t p;
    g_assert_cmpint(parse("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256,\r\n"
                          "  nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n"
                          "  opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", stale=FALSE,"
                          " domain=\"sip:a.example sip:b.example\", userhash=true, charset=UTF-8", &p),
                    ==, SA_SCHEME_DIGEST);
    g_assert_true(span_is(p.scheme_name, "Digest"));
    g_assert_true(span_is(p.value[SA_DIGEST_REALM], "http-auth@example.org"));
    g_assert_true(span_is(p.value[SA_DIGEST_NONCE], "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"));
    g_assert_true(span_is(p.value[SA_DIGEST_OPAQUE], "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"));
    g_assert_true(span_is(p.value[SA_DIGEST_DOMAIN], "sip:a.example sip:b.example"));
    g_assert_true(span_is(p.value[SA_DIGEST_CHARSET], "UTF-8"));
    g_assert_true(span_is(p.value[SA_DIGEST_ALGORITHM], "SHA-256"));
    g_assert_cmpint(p.algorithm, ==, SA_DIGEST_ALG_SHA256);
    g_assert_cmpuint(p.qop, ==, SA_QOP_AUTH | SA_QOP_AUTH_INT);
    g_assert_false(p.stale);
    g_assert_true(p.userhash);
    g_assert_cmpuint(p.quoted, ==, SA_DIGEST_BIT(SA_DIGEST_REALM) | SA_DIGEST_BIT(SA_DIGEST_QOP)
                                   | SA_DIGEST_BIT(SA_DIGEST_NONCE) | SA_DIGEST_BIT(SA_DIGEST_OPAQUE)
                                   | SA_DIGEST_BIT(SA_DIGEST_DOMAIN));
    g_assert_cmpuint(p.n_params, ==, 9);
    g_assert_cmpuint(p.problems, ==, 0);
    g_assert_null(p.next);
}

static void
test_credentials(void)
{
    sa_digest_params_t p;
    g_assert_cmpint(parse("Digest username=\"001010000000001@ims.example\",realm=\"ims.example\","
                          "uri=\"sip:ims.example\",nonce=\"bm9uY2U=\",response=\"0123456789abcdef0123456789abcdef\","
                          "algorithm=AKAv1-MD5,cnonce=\"0a1b\",nc=0000000a,qop=auth,opaque=\"op\",auts=\"AAAA\","
                          "integrity-protected=\"yes\"", &p), ==, SA_SCHEME_DIGEST);
    g_assert_true(span_is(p.value[SA_DIGEST_USERNAME], "001010000000001@ims.example"));
    g_assert_true(span_is(p.value[SA_DIGEST_URI], "sip:ims.example"));
    g_assert_true(span_is(p.value[SA_DIGEST_RESPONSE], "0123456789abcdef0123456789abcdef"));
    g_assert_true(span_is(p.value[SA_DIGEST_CNONCE], "0a1b"));
    g_assert_true(span_is(p.value[SA_DIGEST_NC], "0000000a"));
    g_assert_true(span_is(p.value[SA_DIGEST_AUTS], "AAAA"));
    g_assert_true(span_is(p.value[SA_DIGEST_INTEGRITY_PROTECTED], "yes"));
    g_assert_cmpint(p.algorithm, ==, SA_DIGEST_ALG_AKAV1_MD5);
    g_assert_cmpuint(p.qop, ==, SA_QOP_AUTH);
    guint32 nc = 0;
    g_assert_true(sa_digest_nc(&p, &nc));
    g_assert_cmpuint(nc, ==, 10);
}

static void
test_algorithm_names(void)
{
    static const struct {
        const char *name;
        sa_digest_alg_t alg;
    } names[] = {
        { "MD5", SA_DIGEST_ALG_MD5 }, { "md5-SESS", SA_DIGEST_ALG_MD5_SESS },
        { "sha-256", SA_DIGEST_ALG_SHA256 }, { "SHA-256-sess", SA_DIGEST_ALG_SHA256_SESS },
        { "SHA-512-256", SA_DIGEST_ALG_SHA512_256 }, { "sha-512-256-Sess", SA_DIGEST_ALG_SHA512_256_SESS },
        { "akav1-md5", SA_DIGEST_ALG_AKAV1_MD5 }, { "AKAv2-MD5", SA_DIGEST_ALG_AKAV2_MD5 },
        { "SHA-1", SA_DIGEST_ALG_UNKNOWN }, { "MD5-", SA_DIGEST_ALG_UNKNOWN }, { "", SA_DIGEST_ALG_UNKNOWN },
    };
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        g_assert_cmpint(sa_digest_alg_from_name(names[i].name, strlen(names[i].name)), ==, names[i].alg);

    sa_digest_params_t p;
    parse("Digest realm=\"r\", nonce=\"n\"", &p);
    g_assert_cmpint(p.algorithm, ==, SA_DIGEST_ALG_MD5);   /* absent: MD5 */
    parse("Digest realm=\"r\", algorithm=\"SHA-512-256\"", &p);
    g_assert_cmpint(p.algorithm, ==, SA_DIGEST_ALG_SHA512_256);
    parse("Digest algorithm=Foo", &p);
    g_assert_cmpint(p.algorithm, ==, SA_DIGEST_ALG_UNKNOWN);

    g_assert_cmpuint(sa_digest_alg_hex_len(SA_DIGEST_ALG_MD5_SESS), ==, 32);
    g_assert_cmpuint(sa_digest_alg_hex_len(SA_DIGEST_ALG_AKAV2_MD5), ==, 32);
    g_assert_cmpuint(sa_digest_alg_hex_len(SA_DIGEST_ALG_SHA256), ==, 64);
    g_assert_cmpuint(sa_digest_alg_hex_len(SA_DIGEST_ALG_SHA512_256_SESS), ==, 64);
    g_assert_cmpuint(sa_digest_alg_hex_len(SA_DIGEST_ALG_UNKNOWN), ==, 0);
    g_assert_cmpstr(sa_digest_alg_name(SA_DIGEST_ALG_SHA512_256_SESS), ==, "SHA-512-256-sess");
}

static void
test_schemes(void)
{
    sa_digest_params_t p;
    g_assert_cmpint(parse("Bearer realm=\"ims\", token=\"abc\"", &p), ==, SA_SCHEME_OTHER);
    g_assert_true(span_is(p.scheme_name, "Bearer"));
    g_assert_true(span_is(p.value[SA_DIGEST_REALM], NULL));   /* another scheme's parameters are left alone */
    g_assert_cmpint(sa_digest_scheme("Basic dXNlcjpwYXNz", 18), ==, SA_SCHEME_OTHER);
    g_assert_cmpint(sa_digest_scheme("  digest realm=\"x\"", 18), ==, SA_SCHEME_DIGEST);
    g_assert_cmpint(sa_digest_scheme("", 0), ==, SA_SCHEME_NONE);
    g_assert_cmpint(sa_digest_scheme(NULL, 0), ==, SA_SCHEME_NONE);
    g_assert_cmpint(parse("realm=\"no scheme\"", &p), ==, SA_SCHEME_NONE);
    g_assert_cmpint(parse("Digest", &p), ==, SA_SCHEME_DIGEST);
    g_assert_cmpuint(p.n_params, ==, 0);
}

static void
test_quoting(void)
{
    sa_digest_params_t p;
    parse("Digest username=\"a\\\"b\\\\c\", realm = \"r\" , uri=\"sip:x\"", &p);
    g_assert_true(span_is(p.value[SA_DIGEST_USERNAME], "a\\\"b\\\\c"));
    g_assert_cmpuint(p.escaped, ==, SA_DIGEST_BIT(SA_DIGEST_USERNAME));
    char plain[16];
    gsize len = sa_digest_unquote(&p, SA_DIGEST_USERNAME, plain);
    g_assert_cmpuint(len, ==, 5);
    g_assert_true(memcmp(plain, "a\"b\\c", 5) == 0);
    g_assert_true(span_is(p.value[SA_DIGEST_REALM], "r"));

    sa_span_t expected = { "a\"b\\c", 5 };
    g_assert_true(sa_digest_value_is(&p, SA_DIGEST_USERNAME, expected));
    sa_digest_params_t q;
    parse("Digest username=\"a\\\"b\\\\c\", opaque=\"a\\\"b\\\\c\"", &q);
    g_assert_true(sa_digest_value_equal(&p, SA_DIGEST_USERNAME, &q, SA_DIGEST_USERNAME));
    g_assert_false(sa_digest_value_equal(&p, SA_DIGEST_USERNAME, &q, SA_DIGEST_REALM));
    parse("Digest opaque=\"a\"", &q);
    g_assert_false(sa_digest_value_equal(&p, SA_DIGEST_USERNAME, &q, SA_DIGEST_OPAQUE));
}

static void
test_duplicates_first_wins(void)
{
    sa_digest_params_t p;
    parse("Digest realm=\"first\", nonce=\"n1\", realm=\"second\", nonce=\"n2\", qop=auth", &p);
    g_assert_true(span_is(p.value[SA_DIGEST_REALM], "first"));
    g_assert_true(span_is(p.value[SA_DIGEST_NONCE], "n1"));
    g_assert_cmpuint(p.duplicated, ==, SA_DIGEST_BIT(SA_DIGEST_REALM) | SA_DIGEST_BIT(SA_DIGEST_NONCE));
    g_assert_cmpuint(p.problems, ==, SA_DIGEST_DUPLICATE);
    g_assert_cmpuint(p.n_params, ==, 5);
}

static void
test_unterminated_quote(void)
{
    sa_digest_params_t p;
    parse("Digest realm=\"ims.example\", nonce=\"abc, response=x", &p);
    g_assert_true(span_is(p.value[SA_DIGEST_REALM], "ims.example"));
    g_assert_true(span_is(p.value[SA_DIGEST_NONCE], "abc, response=x"));
    g_assert_true(span_is(p.value[SA_DIGEST_RESPONSE], NULL));
    g_assert_cmpuint(p.problems, ==, SA_DIGEST_UNTERMINATED);
    /* A quote missing in the middle: the next value's opening quote ends this one, the rest is skipped. */
    parse("Digest nonce=\"abc, response=\"x\", realm=\"r\"", &p);
    g_assert_true(span_is(p.value[SA_DIGEST_NONCE], "abc, response="));
    g_assert_true(span_is(p.value[SA_DIGEST_REALM], "r"));
    g_assert_cmpuint(p.problems, ==, SA_DIGEST_GARBAGE);
    parse("Digest realm=\"r\\", &p);
    g_assert_true(span_is(p.value[SA_DIGEST_REALM], "r\\"));
    g_assert_cmpuint(p.problems, ==, SA_DIGEST_UNTERMINATED);
}

static void
test_next_challenge(void)
{
    sa_digest_params_t p;
    const char *text = "Digest realm=\"a\", nonce=\"n\", Bearer realm=\"b\"";
    parse(text, &p);
    g_assert_true(span_is(p.value[SA_DIGEST_REALM], "a"));
    g_assert_nonnull(p.next);
    g_assert_cmpstr(p.next, ==, "Bearer realm=\"b\"");
}

static void
test_garbage(void)
{
    sa_digest_params_t p;
    parse("Digest ,,, = \"lost\" realm=\"r\" junk, nonce=\"n\"x, stale=TRUE, lonely", &p);
    g_assert_true(span_is(p.value[SA_DIGEST_REALM], "r"));
    g_assert_true(span_is(p.value[SA_DIGEST_NONCE], "n"));
    g_assert_true(p.stale);
    g_assert_cmpuint(p.problems, ==, SA_DIGEST_GARBAGE);
    const char *junk[] = { "Digest =", "Digest \"", "Digest \\", "Digest a=", "Digest a=\"", "Digest ,=,=\"=\"",
                           "Digest realm", "Digest realm=\"\"", "Digest ====\"\"\"\"", NULL };
    for (int i = 0; junk[i]; i++)
        g_assert_cmpint(parse(junk[i], &p), ==, SA_SCHEME_DIGEST);
    parse("Digest realm=\"\"", &p);
    g_assert_true(span_is(p.value[SA_DIGEST_REALM], ""));
}

static void
test_username_ext(void)
{
    sa_digest_params_t p;
    char name[64];
    parse("Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=\"api@example.org\"", &p);
    gssize len = sa_digest_username(&p, name, sizeof name);
    g_assert_cmpint(len, ==, 11);
    g_assert_true(memcmp(name, "J\xc3\xa4s\xc3\xb8n Doe", 11) == 0);
    g_assert_cmpint(sa_digest_username(&p, name, 10), ==, -1);   /* too small */

    parse("Digest username*=utf-8'en'%41b", &p);
    g_assert_cmpint(sa_digest_username(&p, name, sizeof name), ==, 2);
    g_assert_true(memcmp(name, "Ab", 2) == 0);

    const char *bad[] = { "Digest username*=ISO-8859-1''%E4", "Digest username*=UTF-8'%41",
                          "Digest username*=UTF-8''%4", "Digest username*=UTF-8''%G1", "Digest username*=UTF-8''%FF",
                          "Digest username*=noquotes", NULL };
    for (int i = 0; bad[i]; i++) {
        parse(bad[i], &p);
        g_assert_cmpint(sa_digest_username(&p, name, sizeof name), ==, -1);
    }
    parse("Digest username=\"plain\\\"user\"", &p);
    g_assert_cmpint(sa_digest_username(&p, name, sizeof name), ==, 10);
    g_assert_true(memcmp(name, "plain\"user", 10) == 0);
    parse("Digest realm=\"r\"", &p);
    g_assert_cmpint(sa_digest_username(&p, name, sizeof name), ==, -1);
}

static void
test_nc(void)
{
    sa_digest_params_t p;
    guint32 nc = 99;
    parse("Digest nc=00000001", &p);
    g_assert_true(sa_digest_nc(&p, &nc));
    g_assert_cmpuint(nc, ==, 1);
    parse("Digest nc=\"FFFFFFFF\"", &p);
    g_assert_true(sa_digest_nc(&p, &nc));
    g_assert_cmpuint(nc, ==, 0xffffffffu);
    const char *bad[] = { "Digest nc=0000000g", "Digest nc=123456789", "Digest nc=", "Digest realm=x", NULL };
    for (int i = 0; bad[i]; i++) {
        parse(bad[i], &p);
        g_assert_false(sa_digest_nc(&p, &nc));
    }
}

/* A 10 KB nonce is kept whole; a 10 KB unterminated one too, flagged. */
static void
test_hostile_long_values(void)
{
    GString *text = g_string_new("Digest realm=\"r\", nonce=\"");
    for (int i = 0; i < 10240; i++)
        g_string_append_c(text, "ab\\\"c"[i % 5]);
    g_string_append(text, "\", response=\"x\"");
    sa_digest_params_t p;
    g_assert_cmpint(sa_digest_parse(text->str, text->len, &p), ==, SA_SCHEME_DIGEST);
    g_assert_cmpuint(p.value[SA_DIGEST_NONCE].len, ==, 10240);
    g_assert_true(span_is(p.value[SA_DIGEST_RESPONSE], "x"));
    g_assert_cmpuint(p.problems, ==, 0);

    g_string_truncate(text, text->len - strlen("\", response=\"x\""));
    g_string_append_c(text, 'z');
    sa_digest_parse(text->str, text->len, &p);
    g_assert_cmpuint(p.value[SA_DIGEST_NONCE].len, ==, 10241);
    g_assert_cmpuint(p.problems, ==, SA_DIGEST_UNTERMINATED);
    g_string_free(text, TRUE);
}

/* 1,000 parameters: unknown ones counted, known ones found wherever they are, duplicates flagged. */
static void
test_hostile_many_params(void)
{
    GString *text = g_string_new("Digest ");
    for (int i = 0; i < 1000; i++) {
        if (i == 500)
            g_string_append(text, "nonce=\"middle\", ");
        else if (i == 700)
            g_string_append(text, "nonce=\"again\", ");
        else
            g_string_append_printf(text, "p%d=\"v%d\", ", i, i);
    }
    g_string_append(text, "realm=\"last\"");
    sa_digest_params_t p;
    sa_digest_parse(text->str, text->len, &p);
    g_assert_cmpuint(p.n_params, ==, 1001);
    g_assert_true(span_is(p.value[SA_DIGEST_NONCE], "middle"));
    g_assert_true(span_is(p.value[SA_DIGEST_REALM], "last"));
    g_assert_cmpuint(p.duplicated, ==, SA_DIGEST_BIT(SA_DIGEST_NONCE));
    g_string_free(text, TRUE);
}

/* Megabytes of the worst characters take linear time: a quadratic reader would not end within the bound. */
static void
test_hostile_linear_time(void)
{
    static const char *const patterns[] = { "a=b,", "\"", "=", ",", "\\", "a ", "a=\"\\\"", "realm=\"x\"," };
    for (guint i = 0; i < G_N_ELEMENTS(patterns); i++) {
        GString *text = g_string_new("Digest ");
        while (text->len < 2 * 1024 * 1024)
            g_string_append(text, patterns[i]);
        sa_digest_params_t p;
        GTimer *timer = g_timer_new();
        g_assert_cmpint(sa_digest_parse(text->str, text->len, &p), ==, SA_SCHEME_DIGEST);
        g_assert_cmpfloat(g_timer_elapsed(timer, NULL), <, 5.0);
        g_timer_destroy(timer);
        g_string_free(text, TRUE);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/digest/challenge/all_parameters", test_challenge);
    g_test_add_func("/digest/credentials/all_parameters", test_credentials);
    g_test_add_func("/digest/algorithm/names_any_case_absent_md5", test_algorithm_names);
    g_test_add_func("/digest/scheme/other_schemes_left_alone", test_schemes);
    g_test_add_func("/digest/quoting/escapes", test_quoting);
    g_test_add_func("/digest/duplicates/first_wins_flagged", test_duplicates_first_wins);
    g_test_add_func("/digest/unterminated_quote", test_unterminated_quote);
    g_test_add_func("/digest/next_challenge_in_same_value", test_next_challenge);
    g_test_add_func("/digest/garbage_skipped", test_garbage);
    g_test_add_func("/digest/username_ext/rfc5987", test_username_ext);
    g_test_add_func("/digest/nc", test_nc);
    g_test_add_func("/digest/hostile/ten_kb_values", test_hostile_long_values);
    g_test_add_func("/digest/hostile/thousand_params", test_hostile_many_params);
    g_test_add_func("/digest/hostile/linear_time", test_hostile_linear_time);
    return g_test_run();
}
