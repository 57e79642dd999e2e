/* Unit tests of the header value parsers. */
#include <string.h>
#include "sipparse.h"

static gboolean
span_is(sa_span_t span, const char *expected)
{
    if (expected == NULL)
        return span.ptr == NULL;
    return span.ptr && span.len == strlen(expected) && memcmp(span.ptr, expected, span.len) == 0;
}

static void
test_auth_digest(void)
{
    sa_auth_params_t p;
    g_assert_true(sa_parse_auth("Digest realm=\"ims.example.net\", nonce=\"abc123\", stale=TRUE, algorithm=MD5", &p));
    g_assert_true(span_is(p.realm, "ims.example.net"));
    g_assert_true(span_is(p.nonce, "abc123"));
    g_assert_true(p.stale);
    g_assert_true(span_is(p.response, NULL));
}

static void
test_auth_empty_and_escaped(void)
{
    sa_auth_params_t p;
    g_assert_true(sa_parse_auth("Digest username=\"u\\\"x\",realm=\"r\",nonce=\"\",response=\"\",auts=\"AAA=\"", &p));
    g_assert_true(span_is(p.username, "u\\\"x"));
    g_assert_true(span_is(p.nonce, ""));
    g_assert_true(span_is(p.response, ""));
    g_assert_true(span_is(p.auts, "AAA="));
    g_assert_false(p.stale);
}

static void
test_auth_garbage(void)
{
    sa_auth_params_t p;
    g_assert_false(sa_parse_auth(NULL, &p));
    const char *junk[] = { "", "Digest", "Digest ,,,==", "Digest realm=\"unterminated", "=\"x\"", "Digest nonce=",
                           "Digest stale=false, stale", NULL };
    for (int i = 0; junk[i]; i++)
        g_assert_true(sa_parse_auth(junk[i], &p));
    g_assert_true(sa_parse_auth("Digest realm=\"unterminated", &p));
    g_assert_true(span_is(p.realm, "unterminated"));
}

static void
test_via(void)
{
    sa_via_t via;
    g_assert_cmpuint(sa_parse_via("SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bK776", &via), ==, 1);
    g_assert_true(span_is(via.host, "10.0.0.1"));
    g_assert_true(span_is(via.branch, "z9hG4bK776"));
    g_assert_cmpuint(sa_parse_via("SIP/2.0/TCP [2001:db8::1]:6100;branch=z9hG4bKa, SIP/2.0/UDP p.example;branch=z9hG4bKb",
                                  &via), ==, 2);
    g_assert_true(span_is(via.host, "2001:db8::1"));
    g_assert_true(span_is(via.branch, "z9hG4bKa"));
    g_assert_cmpuint(sa_parse_via("SIP / 2.0 / UDP host.example ; branch = z9hG4bKs", &via), ==, 1);
    g_assert_true(span_is(via.host, "host.example"));
    g_assert_true(span_is(via.branch, "z9hG4bKs"));
    g_assert_cmpuint(sa_parse_via("", &via), ==, 0);
    g_assert_cmpuint(sa_parse_via(NULL, &via), ==, 0);
    g_assert_cmpuint(sa_parse_via(",,,", &via), ==, 0);
}

static void
test_from(void)
{
    sa_from_t from;
    g_assert_true(sa_parse_from("\"Alice\" <sip:alice@example.com;transport=udp>;tag=1928301774", &from));
    g_assert_true(span_is(from.uri, "sip:alice@example.com;transport=udp"));
    g_assert_true(span_is(from.tag, "1928301774"));
    g_assert_true(sa_parse_from("sip:bob@example.com ;tag=x", &from));
    g_assert_true(span_is(from.uri, "sip:bob@example.com"));
    g_assert_true(span_is(from.tag, "x"));
    g_assert_true(sa_parse_from("<sip:nobody@example.com", &from));
    g_assert_true(span_is(from.tag, NULL));
}

static void
test_cseq(void)
{
    guint32 n;
    sa_span_t method;
    g_assert_true(sa_parse_cseq("314159 INVITE", &n, &method));
    g_assert_cmpuint(n, ==, 314159);
    g_assert_true(span_is(method, "INVITE"));
    g_assert_true(sa_parse_cseq("4294967295 REGISTER", &n, &method));
    g_assert_cmpuint(n, ==, 4294967295u);
    g_assert_false(sa_parse_cseq("4294967296 REGISTER", &n, &method));
    g_assert_false(sa_parse_cseq("INVITE", &n, &method));
    g_assert_false(sa_parse_cseq("12", &n, &method));
    g_assert_false(sa_parse_cseq(NULL, &n, &method));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/parse/auth/digest", test_auth_digest);
    g_test_add_func("/parse/auth/empty_and_escaped", test_auth_empty_and_escaped);
    g_test_add_func("/parse/auth/garbage", test_auth_garbage);
    g_test_add_func("/parse/via", test_via);
    g_test_add_func("/parse/from", test_from);
    g_test_add_func("/parse/cseq", test_cseq);
    return g_test_run();
}
