/* Unit tests of SIP URI comparison: RFC 3261 section 19.1.4's examples and the parameter rules. */
#include <string.h>
#include "sipauth/sipuri.h"

static gboolean
uri_equal(const char *a, const char *b)
{
    sa_span_t sa = { a, strlen(a) };
    sa_span_t sb = { b, strlen(b) };
    gboolean equal = sa_sip_uri_equal(sa, sb);
    g_assert_cmpint(equal, ==, sa_sip_uri_equal(sb, sa));   /* symmetric */
    return equal;
}

static void
test_rfc3261_equivalent(void)
{
    g_assert_true(uri_equal("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
    g_assert_true(uri_equal("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
    g_assert_true(uri_equal("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
    g_assert_true(uri_equal("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"));
    g_assert_true(uri_equal("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                            "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
    g_assert_true(uri_equal("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                            "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
}

static void
test_rfc3261_not_equivalent(void)
{
    g_assert_false(uri_equal("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
    g_assert_false(uri_equal("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
    g_assert_false(uri_equal("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
    g_assert_false(uri_equal("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
    g_assert_false(uri_equal("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
    g_assert_false(uri_equal("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
}

static void
test_parts(void)
{
    g_assert_true(uri_equal("SIP:ims.example.net", "sip:IMS.Example.NET"));
    g_assert_false(uri_equal("sip:ims.example.net", "sips:ims.example.net"));
    g_assert_true(uri_equal("sip:bob@biloxi.com:5060", "sip:bob@biloxi.com:05060"));
    g_assert_false(uri_equal("sip:bob@biloxi.com:5060", "sip:bob@biloxi.com:5061"));
    g_assert_true(uri_equal("sip:bob:pw@biloxi.com", "sip:bob:pw@biloxi.com"));
    g_assert_false(uri_equal("sip:bob:pw@biloxi.com", "sip:bob:PW@biloxi.com"));
    g_assert_false(uri_equal("sip:bob@biloxi.com", "sip:biloxi.com"));
    g_assert_true(uri_equal("sip:[2001:DB8::1]:5060", "sip:[2001:db8::1]:5060"));
    g_assert_true(uri_equal("sip:+1-212-555-1212%3b@x.example;user=phone", "sip:+1-212-555-1212%3B@x.example;user=phone"));
    /* A reserved character escaped is not that character. */
    g_assert_false(uri_equal("sip:a%3bb@x.example", "sip:a;b@x.example"));
    g_assert_true(uri_equal("sip:alice@atlanta.com ", " sip:alice@atlanta.com"));
}

/* user, ttl, method, maddr, transport: in one URI only, the URIs differ; in both, they must match. */
static void
test_parameters(void)
{
    static const char *const special[] = { "user=phone", "ttl=15", "method=INVITE", "maddr=239.255.255.1",
                                           "transport=tcp" };
    for (guint i = 0; i < G_N_ELEMENTS(special); i++) {
        char *with = g_strdup_printf("sip:alice@atlanta.com;%s", special[i]);
        g_assert_false(uri_equal("sip:alice@atlanta.com", with));
        g_assert_true(uri_equal(with, with));
        g_free(with);
    }
    g_assert_false(uri_equal("sip:alice@atlanta.com;ttl=15", "sip:alice@atlanta.com;ttl=16"));
    g_assert_true(uri_equal("sip:alice@atlanta.com;lr;ttl=15", "sip:alice@atlanta.com;TTL=15"));
    g_assert_false(uri_equal("sip:alice@atlanta.com;lr=on", "sip:alice@atlanta.com;lr"));
    g_assert_true(uri_equal("sip:alice@atlanta.com;transport=TCP;foo", "sip:alice@atlanta.com;transport=tcp"));
}

static void
test_not_sip(void)
{
    g_assert_true(uri_equal("tel:+1-201-555-0123", "tel:+1-201-555-0123"));
    g_assert_false(uri_equal("tel:+1-201-555-0123", "TEL:+1-201-555-0123"));
    g_assert_true(uri_equal("/dir/index.html", "/dir/index.html"));
    g_assert_false(uri_equal("sip:", "sip:a"));
    g_assert_true(uri_equal("", ""));
    sa_span_t none = { NULL, 0 };
    sa_span_t some = { "sip:a", 5 };
    g_assert_false(sa_sip_uri_equal(none, some));
    g_assert_true(sa_sip_uri_equal(none, none));
}

/* Past SA_SIP_URI_MAX_PARAMS parameters the URIs compare as strings. */
static void
test_many_parameters(void)
{
    GString *a = g_string_new("sip:alice@atlanta.com");
    for (int i = 0; i < SA_SIP_URI_MAX_PARAMS + 1; i++)
        g_string_append_printf(a, ";p%d=%d", i, i);
    g_assert_true(uri_equal(a->str, a->str));
    GString *b = g_string_new(a->str);
    g_string_ascii_up(b);
    g_assert_false(uri_equal(a->str, b->str));
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sipuri/rfc3261/equivalent", test_rfc3261_equivalent);
    g_test_add_func("/sipuri/rfc3261/not_equivalent", test_rfc3261_not_equivalent);
    g_test_add_func("/sipuri/scheme_user_host_port", test_parts);
    g_test_add_func("/sipuri/parameters", test_parameters);
    g_test_add_func("/sipuri/other_schemes_as_strings", test_not_sip);
    g_test_add_func("/sipuri/many_parameters", test_many_parameters);
    return g_test_run();
}
