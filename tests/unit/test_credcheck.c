/* Unit tests of the checks that need no secret: uri, algorithm offered and downgrade, qop, nc, opaque,
 * response length, user name. */
#include <string.h>
#include "sipauth/credcheck.h"

static sa_digest_params_t
credentials(const char *text)
{
    sa_digest_params_t params;
    sa_digest_parse(text, strlen(text), &params);
    return params;
}

static sa_span_t
span(const char *text)
{
    sa_span_t s = { text, text ? strlen(text) : 0 };
    return s;
}

static void
test_uri(void)
{
    sa_digest_params_t c = credentials("Digest uri=\"sip:%61lice@Atlanta.com;transport=TCP\"");
    g_assert_true(sa_check_uri_matches(&c, span("sip:alice@atlanta.com;transport=tcp")));
    g_assert_false(sa_check_uri_matches(&c, span("sip:alice@atlanta.com")));
    g_assert_false(sa_check_uri_matches(&c, span("sip:alice@atlanta.com:5060;transport=tcp")));
    c = credentials("Digest uri=\"sip:ims.example\\.net\"");   /* an escape in the quoted string */
    g_assert_true(sa_check_uri_matches(&c, span("sip:ims.example.net")));
    c = credentials("Digest realm=\"r\"");
    g_assert_false(sa_check_uri_matches(&c, span("sip:ims.example.net")));
}

static void
test_algorithm_offered(void)
{
    sa_digest_alg_set_t offered = SA_DIGEST_ALG_BIT(SA_DIGEST_ALG_SHA256) | SA_DIGEST_ALG_BIT(SA_DIGEST_ALG_MD5);
    g_assert_true(sa_check_algorithm_offered(offered, SA_DIGEST_ALG_MD5));
    g_assert_true(sa_check_algorithm_offered(offered, SA_DIGEST_ALG_SHA256));
    g_assert_false(sa_check_algorithm_offered(offered, SA_DIGEST_ALG_MD5_SESS));
    g_assert_false(sa_check_algorithm_offered(offered, SA_DIGEST_ALG_SHA512_256));
    g_assert_false(sa_check_algorithm_offered(offered, SA_DIGEST_ALG_UNKNOWN));
    g_assert_false(sa_check_algorithm_offered(0, SA_DIGEST_ALG_MD5));
}

/* RFC 8760: SHA-512-256 > SHA-256 > MD5, each -sess as strong as its base; AKA outside the order. */
static void
test_algorithm_downgrade(void)
{
    sa_digest_alg_set_t three = SA_DIGEST_ALG_BIT(SA_DIGEST_ALG_SHA512_256) | SA_DIGEST_ALG_BIT(SA_DIGEST_ALG_SHA256)
                              | SA_DIGEST_ALG_BIT(SA_DIGEST_ALG_MD5);
    g_assert_false(sa_check_algorithm_downgrade(three, SA_DIGEST_ALG_SHA512_256));
    g_assert_false(sa_check_algorithm_downgrade(three, SA_DIGEST_ALG_SHA512_256_SESS));
    g_assert_true(sa_check_algorithm_downgrade(three, SA_DIGEST_ALG_SHA256));
    g_assert_true(sa_check_algorithm_downgrade(three, SA_DIGEST_ALG_MD5));
    sa_digest_alg_set_t sess = SA_DIGEST_ALG_BIT(SA_DIGEST_ALG_SHA256_SESS) | SA_DIGEST_ALG_BIT(SA_DIGEST_ALG_SHA256);
    g_assert_false(sa_check_algorithm_downgrade(sess, SA_DIGEST_ALG_SHA256));
    sa_digest_alg_set_t one = SA_DIGEST_ALG_BIT(SA_DIGEST_ALG_SHA256);
    g_assert_false(sa_check_algorithm_downgrade(one, SA_DIGEST_ALG_MD5));   /* one challenge: not offered */
    sa_digest_alg_set_t aka = SA_DIGEST_ALG_BIT(SA_DIGEST_ALG_AKAV1_MD5) | SA_DIGEST_ALG_BIT(SA_DIGEST_ALG_SHA256);
    g_assert_false(sa_check_algorithm_downgrade(aka, SA_DIGEST_ALG_AKAV1_MD5));
    g_assert_cmpuint(sa_digest_alg_strength(SA_DIGEST_ALG_SHA512_256), >, sa_digest_alg_strength(SA_DIGEST_ALG_SHA256));
    g_assert_cmpuint(sa_digest_alg_strength(SA_DIGEST_ALG_SHA256), >, sa_digest_alg_strength(SA_DIGEST_ALG_MD5));
    g_assert_cmpuint(sa_digest_alg_strength(SA_DIGEST_ALG_MD5_SESS), ==, sa_digest_alg_strength(SA_DIGEST_ALG_MD5));
}

static void
test_qop(void)
{
    sa_digest_params_t c = credentials("Digest qop=auth, nc=00000001, cnonce=\"c\"");
    g_assert_cmpint(sa_check_qop(SA_QOP_AUTH | SA_QOP_AUTH_INT, &c), ==, SA_QOP_CHECK_OK);
    g_assert_cmpint(sa_check_qop(SA_QOP_AUTH_INT, &c), ==, SA_QOP_CHECK_NOT_OFFERED);
    g_assert_cmpint(sa_check_qop(0, &c), ==, SA_QOP_CHECK_NOT_OFFERED);
    c = credentials("Digest realm=\"r\"");
    g_assert_cmpint(sa_check_qop(SA_QOP_AUTH, &c), ==, SA_QOP_CHECK_NOT_USED);
    g_assert_cmpint(sa_check_qop(0, &c), ==, SA_QOP_CHECK_OK);
    c = credentials("Digest qop=auth-int, nc=00000001");
    g_assert_cmpint(sa_check_qop(SA_QOP_AUTH_INT, &c), ==, SA_QOP_CHECK_NO_CNONCE_NC);
    c = credentials("Digest qop=auth, cnonce=\"c\"");
    g_assert_cmpint(sa_check_qop(SA_QOP_AUTH, &c), ==, SA_QOP_CHECK_NO_CNONCE_NC);
    g_assert_cmpstr(sa_qop_check_text(SA_QOP_CHECK_NOT_USED), ==, "qop offered but not used");
}

static void
test_nc(void)
{
    sa_digest_params_t c = credentials("Digest nc=00000002");
    g_assert_true(sa_check_nc_incremented(1, &c));
    g_assert_false(sa_check_nc_incremented(2, &c));
    g_assert_false(sa_check_nc_incremented(3, &c));
    c = credentials("Digest nc=zz");
    g_assert_false(sa_check_nc_incremented(0, &c));
    c = credentials("Digest realm=\"r\"");
    g_assert_false(sa_check_nc_incremented(0, &c));
}

static void
test_opaque(void)
{
    /* The challenge's opaque is kept as the hash of its unquoted value. */
    sa_digest_params_t ch = credentials("Digest opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
    guint32 offered = sa_digest_value_hash(&ch, SA_DIGEST_OPAQUE);
    sa_digest_params_t c = credentials("Digest opaque=5ccc069c403ebaf9f0171e9517f40e41");
    g_assert_true(sa_check_opaque_echoed(TRUE, offered, &c));
    c = credentials("Digest opaque=\"5ccc069c403ebaf9f0171e9517f40e42\"");
    g_assert_false(sa_check_opaque_echoed(TRUE, offered, &c));
    c = credentials("Digest opaque=\"5CCC069C403EBAF9F0171E9517F40E41\"");
    g_assert_false(sa_check_opaque_echoed(TRUE, offered, &c));
    g_assert_true(sa_check_opaque_echoed(FALSE, 0, &c));
    c = credentials("Digest realm=\"r\"");
    g_assert_false(sa_check_opaque_echoed(TRUE, offered, &c));
    g_assert_true(sa_check_opaque_echoed(FALSE, 0, &c));
}

static void
test_response_length(void)
{
    static const struct {
        const char *text;
        sa_response_check_t check;
    } cases[] = {
        { "Digest response=\"0123456789abcdef0123456789ABCDEF\"", SA_RESPONSE_CHECK_OK },
        { "Digest algorithm=AKAv1-MD5, response=\"0123456789abcdef0123456789abcdef\"", SA_RESPONSE_CHECK_OK },
        { "Digest algorithm=SHA-256, response=\"0123456789abcdef0123456789abcdef\"", SA_RESPONSE_CHECK_WRONG_LENGTH },
        { "Digest algorithm=SHA-512-256-sess, response=\"0123456789abcdef0123456789abcdef"
          "0123456789abcdef0123456789abcdef\"", SA_RESPONSE_CHECK_OK },
        { "Digest response=\"0123456789abcdef0123456789abcde\"", SA_RESPONSE_CHECK_WRONG_LENGTH },
        { "Digest response=\"\"", SA_RESPONSE_CHECK_WRONG_LENGTH },
        { "Digest response=\"0123456789abcdef0123456789abcdeZ\"", SA_RESPONSE_CHECK_NOT_HEX },
        { "Digest realm=\"r\"", SA_RESPONSE_CHECK_MISSING },
        { "Digest algorithm=Foo, response=\"abc\"", SA_RESPONSE_CHECK_OK },
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        sa_digest_params_t c = credentials(cases[i].text);
        g_assert_cmpint(sa_check_response(&c), ==, cases[i].check);
    }
}

static void
test_username_changed(void)
{
    sa_digest_params_t c = credentials("Digest username=\"alice\"");
    g_assert_false(sa_check_username_changed(span("alice"), &c));
    g_assert_true(sa_check_username_changed(span("Alice"), &c));
    g_assert_true(sa_check_username_changed(span("alice2"), &c));
    g_assert_true(sa_check_username_changed(span(NULL), &c));
    c = credentials("Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe");
    g_assert_false(sa_check_username_changed(span("J\xc3\xa4s\xc3\xb8n Doe"), &c));
    c = credentials("Digest username*=UTF-8''%FF");
    g_assert_true(sa_check_username_changed(span("x"), &c));
    c = credentials("Digest realm=\"r\"");
    g_assert_false(sa_check_username_changed(span(NULL), &c));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/credcheck/uri_mismatch", test_uri);
    g_test_add_func("/credcheck/algorithm_not_offered", test_algorithm_offered);
    g_test_add_func("/credcheck/algorithm_downgrade", test_algorithm_downgrade);
    g_test_add_func("/credcheck/qop_mismatch", test_qop);
    g_test_add_func("/credcheck/nc_not_incremented", test_nc);
    g_test_add_func("/credcheck/opaque_mismatch", test_opaque);
    g_test_add_func("/credcheck/response_malformed", test_response_length);
    g_test_add_func("/credcheck/username_changed", test_username_changed);
    return g_test_run();
}
