/* Unit tests of the SIP message reader (start line, headers) and of the tracker's frame index. */
#include <string.h>
#include "sipauth/sipmsg.h"

/* A message parsed from a copy of exactly len + 1 bytes whose last byte is a sentinel the parser may
 * overwrite with the NUL ending the last value. */
typedef struct {
    char *text;
    gsize len;
    gboolean ok;
    sa_sip_message_t msg;
} parsed_t;

#define SENTINEL '#'

static parsed_t *
parse_bytes(const char *bytes, gsize len)
{
    parsed_t *p = g_new0(parsed_t, 1);
    p->text = g_malloc(len + 1);
    memcpy(p->text, bytes, len);
    p->text[len] = SENTINEL;
    p->len = len;
    p->ok = sa_sip_message_parse(p->text, len, &p->msg);
    return p;
}

/* sizeof, not strlen: the literal may hold NUL bytes. */
#define PARSE(literal) parse_bytes(literal, sizeof literal - 1)

static void
parsed_free(parsed_t *p)
{
    g_free(p->text);
    g_free(p);
}

/* Values are NUL-terminated in place: the string and its NUL lie inside text[0..len]. */
static void
assert_in_text(const parsed_t *p, const char *value)
{
    g_assert_nonnull(value);
    g_assert_true(value >= p->text && value <= p->text + p->len);
    g_assert_true(value + strlen(value) <= p->text + p->len);
}

static void
assert_list(const parsed_t *p, const sa_header_list_t *list, const char *const *expected)
{
    guint n = expected ? g_strv_length((gchar **)expected) : 0;
    g_assert_cmpuint(list->count, ==, n);
    for (guint i = 0; i < n; i++) {
        assert_in_text(p, list->values[i]);
        g_assert_cmpstr(list->values[i], ==, expected[i]);
    }
}

#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void
test_request_line(void)
{
    parsed_t *p = PARSE("INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: c1@ua\r\n\r\n");
    g_assert_true(p->ok);
    g_assert_cmpstr(p->msg.event.method, ==, "INVITE");
    assert_in_text(p, p->msg.event.method);
    g_assert_cmpuint(p->msg.event.status, ==, 0);
    g_assert_cmpstr(p->msg.event.call_id, ==, "c1@ua");
    /* Only the message fields are set: the caller fills in frame and time. */
    g_assert_cmpuint(p->msg.event.frame, ==, 0);
    g_assert_cmpint(p->msg.event.time_ns, ==, 0);
    g_assert_false(p->msg.event.quoted_in_error);
    parsed_free(p);

    /* Any method token and any URI scheme; three characters with a colon after the first are enough. */
    const char *const accepted[][2] = {
        { "REGISTER sips:registrar.example.com SIP/2.0\r\n", "REGISTER" },
        { "MESSAGE tel:+4930123456 SIP/2.0\r\n", "MESSAGE" },
        { "X-CUSTOM a:b SIP/2.0\r\n", "X-CUSTOM" },
        { "invite sip:lower@example.com SIP/2.0\r\n", "invite" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(accepted); i++) {
        p = parse_bytes(accepted[i][0], strlen(accepted[i][0]));
        g_assert_true(p->ok);
        g_assert_cmpstr(p->msg.event.method, ==, accepted[i][1]);
        g_assert_cmpuint(p->msg.event.status, ==, 0);
        parsed_free(p);
    }
}

static void
test_status_line(void)
{
    const struct {
        const char *text;
        guint status;
    } accepted[] = {
        { "SIP/2.0 407 Proxy Authentication Required\r\n", 407 },
        { "SIP/2.0 100 Trying\r\n", 100 },
        { "SIP/2.0 200 \r\n", 200 },          /* empty Reason-Phrase */
        { "SIP/2.0 999 Odd But Three Digits\r\n", 999 },
        { "SIP/2.0 401 Unauthorized", 401 },  /* no line end at all */
    };
    for (gsize i = 0; i < G_N_ELEMENTS(accepted); i++) {
        parsed_t *p = parse_bytes(accepted[i].text, strlen(accepted[i].text));
        g_assert_true(p->ok);
        g_assert_null(p->msg.event.method);
        g_assert_cmpuint(p->msg.event.status, ==, accepted[i].status);
        parsed_free(p);
    }
}

/* A provisional response is read to its start line only; a final one to the end of its headers. */
static void
test_provisional_start_line_only(void)
{
    parsed_t *p = PARSE("SIP/2.0 180 Ringing\r\nCall-ID: c1@ua\r\nCSeq: 1 INVITE\r\n\r\n");
    g_assert_true(p->ok);
    g_assert_cmpuint(p->msg.event.status, ==, 180);
    g_assert_null(p->msg.event.call_id);
    g_assert_null(p->msg.event.cseq);
    parsed_free(p);
    p = PARSE("SIP/2.0 200 OK\r\nCall-ID: c1@ua\r\nCSeq: 1 INVITE\r\n\r\n");
    g_assert_cmpstr(p->msg.event.call_id, ==, "c1@ua");
    g_assert_cmpstr(p->msg.event.cseq, ==, "1 INVITE");
    parsed_free(p);
}

/* Lines the SIP dissector would not take as a start line: a body continuation, garbage, near misses. */
static void
test_not_a_start_line(void)
{
    const char *const rejected[] = {
        "",
        "\r\n",
        "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n",          /* SDP: a TCP continuation */
        "Call-ID: c1@ua\r\n\r\n",                       /* headers without a start line */
        " INVITE sip:a@b SIP/2.0\r\n",                  /* empty method */
        "INVITE example.com SIP/2.0\r\n",               /* URI without a colon */
        "INVITE :example SIP/2.0\r\n",                  /* the colon must follow the first character */
        "INVITE a: SIP/2.0\r\n",                        /* URI shorter than 3 characters */
        "INVITE sip:a@b sip/2.0\r\n",                   /* the version is strict */
        "INVITE sip:a@b SIP/2.1\r\n",
        "INVITE sip:a@b SIP/2.0 \r\n",                  /* trailing space: the version is "SIP/2.0 " */
        "INVITE sip:a@b\r\n",                           /* no version */
        "INVITE\r\n",
        "INVITEsip:a@bSIP/2.0\r\n",                     /* no spaces */
        "INVITE\tsip:a@b\tSIP/2.0\r\n",                 /* tabs are no separators */
        "SIP/2.0 40x Bad\r\n",
        "SIP/2.0 4070 Too Long\r\n",
        "SIP/2.0 40 Too Short\r\n",
        "SIP/2.0  407 Double Space\r\n",
        "SIP/2.0 407\r\n",                              /* no space after the code */
        "sip/2.0 200 OK\r\n",                           /* the version is strict in Status-Lines too */
        "SIP/2.00 200 OK\r\n",
        "INVITE sip:a@b\r\n SIP/2.0\r\n",               /* the start line is not folded */
        "\r\nINVITE sip:a@b SIP/2.0\r\n",               /* leading empty line */
    };
    for (gsize i = 0; i < G_N_ELEMENTS(rejected); i++) {
        parsed_t *p = parse_bytes(rejected[i], strlen(rejected[i]));
        if (p->ok)
            g_error("accepted as a start line: \"%s\"", g_strescape(rejected[i], NULL));
        parsed_free(p);
    }
}

static void
assert_basic_headers(const parsed_t *p)
{
    g_assert_true(p->ok);
    g_assert_cmpstr(p->msg.event.method, ==, "REGISTER");
    g_assert_cmpstr(p->msg.event.call_id, ==, "reg-1@ua");
    g_assert_cmpstr(p->msg.event.cseq, ==, "7 REGISTER");
    g_assert_cmpstr(p->msg.event.from, ==, "<sip:alice@example.com>;tag=a1");
    assert_list(p, &p->msg.event.via, LIST("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1"));
    assert_in_text(p, p->msg.event.call_id);
    assert_in_text(p, p->msg.event.cseq);
    assert_in_text(p, p->msg.event.from);
}

static void
test_line_ends(void)
{
    parsed_t *p = PARSE("REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
                        "Call-ID: reg-1@ua\r\nCSeq: 7 REGISTER\r\nFrom: <sip:alice@example.com>;tag=a1\r\n\r\n");
    assert_basic_headers(p);
    parsed_free(p);

    p = PARSE("REGISTER sip:example.com SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\n"
              "Call-ID: reg-1@ua\nCSeq: 7 REGISTER\nFrom: <sip:alice@example.com>;tag=a1\n\n");
    assert_basic_headers(p);
    parsed_free(p);

    p = PARSE("REGISTER sip:example.com SIP/2.0\rVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r"
              "Call-ID: reg-1@ua\rCSeq: 7 REGISTER\rFrom: <sip:alice@example.com>;tag=a1\r\r");
    assert_basic_headers(p);
    parsed_free(p);

    /* Mixed in one message, as broken stacks send them. */
    p = PARSE("REGISTER sip:example.com SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r"
              "Call-ID: reg-1@ua\r\nCSeq: 7 REGISTER\nFrom: <sip:alice@example.com>;tag=a1\r\n\n");
    assert_basic_headers(p);
    parsed_free(p);
}

static void
test_folding(void)
{
    /* The line break becomes spaces; the continuation's own white space stays. */
    parsed_t *p = PARSE("INVITE sip:bob@example.com SIP/2.0\r\n"
                        "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa,\r\n SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKb\r\n"
                        "Proxy-Authorization: Digest username=\"alice\",\n\trealm=\"example.com\",\r  nonce=\"n1\"\r\n"
                        "Call-ID:\r\n folded-only@ua\r\n"
                        "CSeq: 1 INVITE\r\n\r\n");
    g_assert_true(p->ok);
    assert_list(p, &p->msg.event.via,
                LIST("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa,   SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKb"));
    assert_list(p, &p->msg.event.proxy_authorization,
                LIST("Digest username=\"alice\", \trealm=\"example.com\",   nonce=\"n1\""));
    /* Leading white space of the value includes the folded line break. */
    g_assert_cmpstr(p->msg.event.call_id, ==, "folded-only@ua");
    g_assert_cmpstr(p->msg.event.cseq, ==, "1 INVITE");
    parsed_free(p);

    /* A folded line just before the empty line does not swallow the body. */
    p = PARSE("SIP/2.0 200 OK\r\nCall-ID: a\r\n b\r\n\r\nCSeq: 9 BODY\r\n");
    g_assert_true(p->ok);
    g_assert_cmpstr(p->msg.event.call_id, ==, "a   b");
    g_assert_null(p->msg.event.cseq);
    parsed_free(p);
}

static void
test_compact_forms(void)
{
    parsed_t *p = PARSE("BYE sip:bob@example.com SIP/2.0\r\n"
                        "v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nV: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2\r\n"
                        "i: compact@ua\r\nf: <sip:alice@example.com>;tag=c\r\nCSeq: 3 BYE\r\n"
                        "t: <sip:bob@example.com>\r\nm: <sip:alice@10.0.0.1>\r\n\r\n");
    g_assert_true(p->ok);
    assert_list(p, &p->msg.event.via,
                LIST("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1", "SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2"));
    g_assert_cmpstr(p->msg.event.call_id, ==, "compact@ua");
    g_assert_cmpstr(p->msg.event.from, ==, "<sip:alice@example.com>;tag=c");
    parsed_free(p);

    p = PARSE("BYE sip:bob@example.com SIP/2.0\r\nI: upper@ua\r\nF: <sip:x@example.com>\r\n\r\n");
    g_assert_cmpstr(p->msg.event.call_id, ==, "upper@ua");
    g_assert_cmpstr(p->msg.event.from, ==, "<sip:x@example.com>");
    parsed_free(p);
}

static void
test_case_insensitive_names(void)
{
    parsed_t *p = PARSE("SIP/2.0 401 Unauthorized\r\n"
                        "VIA: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\ncall-id: lower@ua\r\nCSEQ: 1 REGISTER\r\n"
                        "fRoM: <sip:alice@example.com>\r\nwww-authenticate: Digest realm=\"a\"\r\n"
                        "PROXY-AUTHENTICATE: Digest realm=\"b\"\r\nauthorization: Digest username=\"c\"\r\n"
                        "Proxy-authorization: Digest username=\"d\"\r\n\r\n");
    g_assert_true(p->ok);
    g_assert_cmpuint(p->msg.event.status, ==, 401);
    assert_list(p, &p->msg.event.via, LIST("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1"));
    g_assert_cmpstr(p->msg.event.call_id, ==, "lower@ua");
    g_assert_cmpstr(p->msg.event.cseq, ==, "1 REGISTER");
    g_assert_cmpstr(p->msg.event.from, ==, "<sip:alice@example.com>");
    assert_list(p, &p->msg.event.www_authenticate, LIST("Digest realm=\"a\""));
    assert_list(p, &p->msg.event.proxy_authenticate, LIST("Digest realm=\"b\""));
    assert_list(p, &p->msg.event.authorization, LIST("Digest username=\"c\""));
    assert_list(p, &p->msg.event.proxy_authorization, LIST("Digest username=\"d\""));
    parsed_free(p);
}

/* The name is exactly what precedes the colon, as the SIP dissector matches it: no trimming, no prefixes. */
static void
test_names_as_written(void)
{
    parsed_t *p = PARSE("INVITE sip:bob@example.com SIP/2.0\r\n"
                        "Via : SIP/2.0/UDP spaced;branch=z9hG4bKs\r\nVia\t: SIP/2.0/UDP tabbed\r\n"
                        "Call-ID : spaced@ua\r\nX-Call-ID: prefixed@ua\r\nCall-Info: <http://x>\r\n"
                        "Call_ID: underscore@ua\r\nCall\x0dID: cr@ua\r\n"
                        "Fromage: cheese\r\nv : compact-spaced\r\nAuthorization-Info: nextnonce=\"x\"\r\n"
                        "WWW-Authenticate Digest realm=\"no colon\"\r\n"
                        "CSeq: 1 INVITE\r\n\r\n");
    g_assert_true(p->ok);
    g_assert_cmpuint(p->msg.event.via.count, ==, 0);
    g_assert_null(p->msg.event.call_id);
    g_assert_null(p->msg.event.from);
    g_assert_cmpuint(p->msg.event.authorization.count, ==, 0);
    g_assert_cmpuint(p->msg.event.www_authenticate.count, ==, 0);
    g_assert_cmpstr(p->msg.event.cseq, ==, "1 INVITE");
    parsed_free(p);
}

static void
test_multiple_headers(void)
{
    parsed_t *p = PARSE("SIP/2.0 407 Proxy Authentication Required\r\n"
                        "Via: SIP/2.0/UDP p1;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP p2;branch=z9hG4bK2\r\n"
                        "Call-ID: m@ua\r\n"
                        "Via: SIP/2.0/UDP ua;branch=z9hG4bK3\r\n"
                        "Proxy-Authenticate: Digest realm=\"one\", nonce=\"n1\"\r\n"
                        "WWW-Authenticate: Digest realm=\"www\", nonce=\"w1\"\r\n"
                        "Proxy-Authenticate: Digest realm=\"two\", nonce=\"n2\"\r\n"
                        "Authorization: Digest username=\"a1\"\r\nAuthorization: Digest username=\"a2\"\r\n"
                        "Proxy-Authorization: Digest username=\"p1\"\r\n\r\n");
    g_assert_true(p->ok);
    assert_list(p, &p->msg.event.via,
                LIST("SIP/2.0/UDP p1;branch=z9hG4bK1", "SIP/2.0/UDP p2;branch=z9hG4bK2",
                     "SIP/2.0/UDP ua;branch=z9hG4bK3"));
    assert_list(p, &p->msg.event.proxy_authenticate,
                LIST("Digest realm=\"one\", nonce=\"n1\"", "Digest realm=\"two\", nonce=\"n2\""));
    assert_list(p, &p->msg.event.www_authenticate, LIST("Digest realm=\"www\", nonce=\"w1\""));
    assert_list(p, &p->msg.event.authorization, LIST("Digest username=\"a1\"", "Digest username=\"a2\""));
    assert_list(p, &p->msg.event.proxy_authorization, LIST("Digest username=\"p1\""));
    parsed_free(p);
}

static void
test_caps(void)
{
    GString *text = g_string_new("SIP/2.0 407 Proxy Authentication Required\r\n");
    for (guint i = 0; i < 300; i++)
        g_string_append_printf(text, "Via: SIP/2.0/UDP hop%u;branch=z9hG4bK%u\r\n", i, i);
    for (guint i = 0; i < 10; i++)
        g_string_append_printf(text, "Proxy-Authenticate: Digest realm=\"r%u\"\r\n", i);
    /* Headers after the dropped ones are still read. */
    g_string_append(text, "Call-ID: after-caps@ua\r\nWWW-Authenticate: Digest realm=\"w\"\r\n\r\n");

    parsed_t *p = parse_bytes(text->str, text->len);
    g_assert_true(p->ok);
    g_assert_cmpuint(p->msg.event.via.count, ==, SA_MSG_MAX_VIA);
    g_assert_true(p->msg.event.via.values == p->msg.via);
    g_assert_cmpstr(p->msg.event.via.values[0], ==, "SIP/2.0/UDP hop0;branch=z9hG4bK0");
    g_assert_cmpstr(p->msg.event.via.values[255], ==, "SIP/2.0/UDP hop255;branch=z9hG4bK255");
    g_assert_cmpuint(p->msg.event.proxy_authenticate.count, ==, SA_MSG_MAX_AUTH);
    g_assert_cmpstr(p->msg.event.proxy_authenticate.values[0], ==, "Digest realm=\"r0\"");
    g_assert_cmpstr(p->msg.event.proxy_authenticate.values[7], ==, "Digest realm=\"r7\"");
    g_assert_cmpstr(p->msg.event.call_id, ==, "after-caps@ua");
    assert_list(p, &p->msg.event.www_authenticate, LIST("Digest realm=\"w\""));
    parsed_free(p);
    g_string_free(text, TRUE);
}

static void
test_first_single_header_wins(void)
{
    parsed_t *p = PARSE("INVITE sip:bob@example.com SIP/2.0\r\n"
                        "i: first@ua\r\nCall-ID: second@ua\r\nCSeq: 1 INVITE\r\nCSeq: 2 INVITE\r\n"
                        "From: <sip:first@example.com>\r\nf: <sip:second@example.com>\r\n\r\n");
    g_assert_cmpstr(p->msg.event.call_id, ==, "first@ua");
    g_assert_cmpstr(p->msg.event.cseq, ==, "1 INVITE");
    g_assert_cmpstr(p->msg.event.from, ==, "<sip:first@example.com>");
    parsed_free(p);
}

static void
test_body_is_not_headers(void)
{
    parsed_t *p = PARSE("INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: head@ua\r\nContent-Type: message/sip\r\n\r\n"
                        "Via: SIP/2.0/UDP body;branch=z9hG4bKbody\r\nCSeq: 99 BODY\r\nFrom: body\r\n"
                        "Proxy-Authorization: Digest username=\"body\"\r\n");
    g_assert_true(p->ok);
    g_assert_cmpstr(p->msg.event.call_id, ==, "head@ua");
    g_assert_cmpuint(p->msg.event.via.count, ==, 0);
    g_assert_null(p->msg.event.cseq);
    g_assert_null(p->msg.event.from);
    g_assert_cmpuint(p->msg.event.proxy_authorization.count, ==, 0);
    parsed_free(p);

    /* The empty line is a lone LF or a lone CR just as well. */
    p = PARSE("SIP/2.0 200 OK\nCSeq: 1 INVITE\n\nCall-ID: body@ua\n");
    g_assert_cmpstr(p->msg.event.cseq, ==, "1 INVITE");
    g_assert_null(p->msg.event.call_id);
    parsed_free(p);
    p = PARSE("SIP/2.0 200 OK\rCSeq: 1 INVITE\r\rCall-ID: body@ua\r");
    g_assert_cmpstr(p->msg.event.cseq, ==, "1 INVITE");
    g_assert_null(p->msg.event.call_id);
    parsed_free(p);
}

/* The empty line ends the headers even when the body's first line starts with white space: the SIP
 * dissector checks for the empty line before it joins continuation lines. */
static void
test_body_starting_with_white_space(void)
{
    const char *const messages[] = {
        "SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n body line\r\nCall-ID: from-body\r\n"
        "Via: SIP/2.0/UDP body;branch=z9hG4bKbody\r\n",
        "SIP/2.0 200 OK\nCSeq: 1 INVITE\n\n\tbody line\nCall-ID: from-body\n",
    };
    for (gsize i = 0; i < G_N_ELEMENTS(messages); i++) {
        parsed_t *p = parse_bytes(messages[i], strlen(messages[i]));
        g_assert_true(p->ok);
        g_assert_cmpstr(p->msg.event.cseq, ==, "1 INVITE");
        g_assert_null(p->msg.event.call_id);
        g_assert_cmpuint(p->msg.event.via.count, ==, 0);
        parsed_free(p);
    }
}

static void
test_no_final_line_end(void)
{
    /* The last value ends at text[len]: the parser puts the NUL in the extra byte. */
    parsed_t *p = PARSE("SIP/2.0 200 OK\r\nCSeq: 5 REGISTER\r\nCall-ID: last@ua");
    g_assert_true(p->ok);
    g_assert_cmpstr(p->msg.event.call_id, ==, "last@ua");
    assert_in_text(p, p->msg.event.call_id);
    g_assert_cmpint(p->text[p->len], ==, '\0');
    parsed_free(p);

    p = PARSE("INVITE sip:bob@example.com SIP/2.0");
    g_assert_true(p->ok);
    g_assert_cmpstr(p->msg.event.method, ==, "INVITE");
    g_assert_null(p->msg.event.call_id);
    parsed_free(p);

    p = PARSE("SIP/2.0 407 Proxy Authentication Required\r\nProxy-Authenticate: Digest realm=\"x\",\r\n nonce=\"y\"");
    assert_list(p, &p->msg.event.proxy_authenticate, LIST("Digest realm=\"x\",   nonce=\"y\""));
    parsed_free(p);
}

static void
test_empty_values(void)
{
    parsed_t *p = PARSE("INVITE sip:bob@example.com SIP/2.0\r\nCall-ID:\r\nCSeq:   \t\r\nFrom:\r\n"
                        "Via:\r\nAuthorization: \r\nProxy-Authorization:");
    g_assert_true(p->ok);
    g_assert_cmpstr(p->msg.event.call_id, ==, "");
    g_assert_cmpstr(p->msg.event.cseq, ==, "");
    g_assert_cmpstr(p->msg.event.from, ==, "");
    assert_list(p, &p->msg.event.via, LIST(""));
    assert_list(p, &p->msg.event.authorization, LIST(""));
    assert_list(p, &p->msg.event.proxy_authorization, LIST(""));
    parsed_free(p);
}

static void
test_non_utf8_bytes(void)
{
    parsed_t *p = PARSE("INV\xffITE sip:bob@example.com SIP/2.0\r\n"
                        "From: \"J\xfcrgen\" <sip:j@example.com>\r\n"
                        "Call-ID: \xc3\xa9t\xc3\xa9@ua\r\n"                  /* valid UTF-8 stays */
                        "Via: SIP/2.0/UDP h\xc0\xafst;branch=z9hG4bK1\r\n"   /* overlong encoding of '/' */
                        "X-Other: \xfe\xfe\r\n"                               /* not kept, not touched */
                        "Authorization: Digest username=\"\xed\xa0\x80\"\r\n" /* a UTF-16 surrogate */
                        "CSeq: 1 INVITE\xe2\x82");                            /* truncated at the end */
    g_assert_true(p->ok);
    g_assert_cmpstr(p->msg.event.method, ==, "INV?ITE");
    g_assert_cmpstr(p->msg.event.from, ==, "\"J?rgen\" <sip:j@example.com>");
    g_assert_cmpstr(p->msg.event.call_id, ==, "\xc3\xa9t\xc3\xa9@ua");
    assert_list(p, &p->msg.event.via, LIST("SIP/2.0/UDP h??st;branch=z9hG4bK1"));
    assert_list(p, &p->msg.event.authorization, LIST("Digest username=\"???\""));
    g_assert_cmpstr(p->msg.event.cseq, ==, "1 INVITE??");
    g_assert_true(g_utf8_validate(p->msg.event.cseq, -1, NULL));
    parsed_free(p);
}

static void
test_embedded_nul(void)
{
    /* A NUL ends a value early (it is a C string) and never makes the parser read past len. */
    parsed_t *p = PARSE("INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: ab\0cd\r\nCSeq: 1 INVITE\r\n"
                        "\0Via: SIP/2.0/UDP hidden\r\nV\0a: x\r\nFrom: \xff\0\xff\r\n\r\n");
    g_assert_true(p->ok);
    g_assert_cmpstr(p->msg.event.call_id, ==, "ab");
    g_assert_cmpstr(p->msg.event.cseq, ==, "1 INVITE");
    g_assert_cmpuint(p->msg.event.via.count, ==, 0);
    g_assert_cmpstr(p->msg.event.from, ==, "?");
    parsed_free(p);

    p = PARSE("SIP/2.0 200 O\0K\r\nCall-ID: \0\r\n");
    g_assert_true(p->ok);
    g_assert_cmpuint(p->msg.event.status, ==, 200);
    g_assert_cmpstr(p->msg.event.call_id, ==, "");
    parsed_free(p);

    p = PARSE("\0NVITE sip:bob@example.com SIP/2.0\r\n");
    if (p->ok)
        g_assert_nonnull(p->msg.event.method);
    parsed_free(p);

    char zeros[64] = { 0 };
    p = parse_bytes(zeros, sizeof zeros);
    g_assert_false(p->ok);
    parsed_free(p);
}

/* Parses text and feeds it as frame; returns the id (0 when not parsed or not tracked). */
static sa_msg_id_t
feed_text(sa_tracker_t *tracker, guint32 frame, double at, const char *text)
{
    parsed_t *p = parse_bytes(text, strlen(text));
    g_assert_true(p->ok);
    p->msg.event.frame = frame;
    p->msg.event.time_ns = (gint64)(at * 1e9);
    sa_msg_id_t id = sa_tracker_feed(tracker, &p->msg.event);
    parsed_free(p);         /* the tracker copies what it keeps */
    return id;
}

#define VIA1   "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;rport\r\n"
#define VIA2   "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-2;rport\r\n"
#define DIALOG "From: \"Alice\" <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\nCall-ID: flow-407@ua\r\n"
#define NONCE  "ea9c8e88df84f1cec4341ae6cbe5a359"

static const char invite[] =
    "INVITE sip:bob@example.com SIP/2.0\r\n" VIA1 DIALOG "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
    "Content-Type: application/sdp\r\nContent-Length: 10\r\n\r\nv=0\r\ns=-\r\n";
static const char trying[] = "SIP/2.0 100 Trying\r\n" VIA1 DIALOG "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
static const char challenge[] =
    "SIP/2.0 407 Proxy Authentication Required\r\n" VIA1 DIALOG "CSeq: 1 INVITE\r\n"
    "Proxy-Authenticate: Digest realm=\"example.com\", nonce=\"" NONCE "\", algorithm=MD5, qop=\"auth\"\r\n"
    "Content-Length: 0\r\n\r\n";
static const char ack[] = "ACK sip:bob@example.com SIP/2.0\r\n" VIA1 DIALOG "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
static const char retry[] =
    "INVITE sip:bob@example.com SIP/2.0\r\n" VIA2 DIALOG "CSeq: 2 INVITE\r\n"
    "Proxy-Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"" NONCE "\",\r\n"
    " uri=\"sip:bob@example.com\", response=\"6629fae49393a05397450978507c4ef1\", qop=auth, nc=00000001,\r\n"
    "\tcnonce=\"0a4f113b\"\r\nContent-Length: 0\r\n\r\n";
static const char ok[] = "SIP/2.0 200 OK\r\n" VIA2 DIALOG "CSeq: 2 INVITE\r\nContent-Length: 0\r\n\r\n";

static sa_result_t
final_result(sa_tracker_t *tracker, sa_msg_id_t id)
{
    sa_result_t result;
    g_assert_true(sa_tracker_result(tracker, id, SA_VIEW_FINAL, &result));
    return result;
}

static void
test_parsed_407_flow(void)
{
    sa_tracker_t *tracker = sa_tracker_new(NULL);
    sa_msg_id_t invite_id = feed_text(tracker, 1, 0.0, invite);
    sa_msg_id_t trying_id = feed_text(tracker, 2, 0.01, trying);
    sa_msg_id_t challenge_id = feed_text(tracker, 3, 0.02, challenge);
    sa_msg_id_t ack_id = feed_text(tracker, 4, 0.03, ack);
    sa_msg_id_t retry_id = feed_text(tracker, 5, 0.25, retry);
    sa_msg_id_t ok_id = feed_text(tracker, 6, 0.5, ok);
    g_assert_cmpuint(trying_id, ==, 0);

    sa_result_t r = final_result(tracker, invite_id);
    g_assert_cmpint(r.role, ==, SA_ROLE_REQUEST);
    g_assert_cmpuint(r.challenge_frame, ==, 3);
    g_assert_cmpuint(r.retry_frame, ==, 5);

    r = final_result(tracker, challenge_id);
    g_assert_cmpint(r.role, ==, SA_ROLE_CHALLENGE);
    g_assert_cmpuint(r.challenge_code, ==, 407);
    g_assert_cmpuint(r.request_frame, ==, 1);
    g_assert_cmpuint(r.ack_frame, ==, 4);
    g_assert_cmpuint(r.retry_frame, ==, 5);
    g_assert_cmpuint(r.result_frame, ==, 6);
    g_assert_cmpuint(r.result_code, ==, 200);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_ACCEPTED);
    g_assert_cmpstr(r.realm, ==, "example.com");
    g_assert_cmpstr(r.username, ==, "alice");
    g_assert_cmpstr(r.method, ==, "INVITE");
    g_assert_cmpstr(r.from_uri, ==, "sip:alice@example.com");

    g_assert_cmpint(final_result(tracker, ack_id).role, ==, SA_ROLE_ACK);
    r = final_result(tracker, retry_id);
    g_assert_cmpint(r.role, ==, SA_ROLE_RETRY);
    g_assert_cmpuint(r.challenge_frame, ==, 3);
    g_assert_false(r.heuristic);
    r = final_result(tracker, ok_id);
    g_assert_cmpint(r.role, ==, SA_ROLE_RESULT);
    g_assert_cmpuint(r.request_frame, ==, 5);
    g_assert_cmpuint(sa_tracker_flow_count(tracker), ==, 1);
    sa_tracker_free(tracker);
}

/* sa_tracker_frame_messages: the ids a frame got. */

static void
assert_frame(sa_tracker_t *tracker, guint32 frame, sa_msg_id_t expected_first, guint expected_count)
{
    sa_msg_id_t first = 12345;
    g_assert_cmpuint(sa_tracker_frame_messages(tracker, frame, &first), ==, expected_count);
    g_assert_cmpuint(first, ==, expected_first);
}

static void
test_frame_messages_in_order(void)
{
    sa_tracker_t *tracker = sa_tracker_new(NULL);
    sa_msg_id_t ids[7] = { 0 };
    ids[1] = feed_text(tracker, 1, 0.0, invite);
    ids[3] = feed_text(tracker, 3, 0.02, challenge);
    ids[4] = feed_text(tracker, 4, 0.03, ack);
    ids[6] = feed_text(tracker, 6, 0.25, retry);
    for (guint32 frame = 1; frame <= 6; frame++)
        assert_frame(tracker, frame, ids[frame], ids[frame] ? 1 : 0);
    g_assert_cmpuint(ids[1], !=, 0);
    g_assert_cmpuint(ids[6], !=, ids[4]);
    sa_tracker_free(tracker);
}

/* A TCP segment with two messages: both ids, consecutive. */
static void
test_frame_messages_two_in_one_frame(void)
{
    sa_tracker_t *tracker = sa_tracker_new(NULL);
    sa_msg_id_t invite_id = feed_text(tracker, 1, 0.0, invite);
    sa_msg_id_t challenge_id = feed_text(tracker, 2, 0.02, challenge);
    sa_msg_id_t ack_id = feed_text(tracker, 3, 0.03, ack);
    sa_msg_id_t retry_id = feed_text(tracker, 3, 0.03, retry);
    sa_msg_id_t ok_id = feed_text(tracker, 4, 0.5, ok);
    assert_frame(tracker, 1, invite_id, 1);
    assert_frame(tracker, 2, challenge_id, 1);
    assert_frame(tracker, 3, ack_id, 2);
    g_assert_cmpuint(retry_id, ==, ack_id + 1);
    assert_frame(tracker, 4, ok_id, 1);
    g_assert_cmpint(final_result(tracker, retry_id).role, ==, SA_ROLE_RETRY);
    sa_tracker_free(tracker);
}

static void
test_frame_messages_none(void)
{
    sa_tracker_t *tracker = sa_tracker_new(NULL);
    assert_frame(tracker, 1, 0, 0);                 /* nothing fed yet */
    sa_msg_id_t invite_id = feed_text(tracker, 1, 0.0, invite);
    g_assert_cmpuint(feed_text(tracker, 2, 0.01, trying), ==, 0);
    assert_frame(tracker, 1, invite_id, 1);
    assert_frame(tracker, 2, 0, 0);                 /* only a provisional response */
    assert_frame(tracker, 0, 0, 0);
    assert_frame(tracker, 99, 0, 0);                /* never fed */
    assert_frame(tracker, G_MAXUINT32, 0, 0);
    /* An untracked message between two tracked ones of a frame does not split it. */
    sa_msg_id_t challenge_id = feed_text(tracker, 3, 0.02, challenge);
    g_assert_cmpuint(feed_text(tracker, 3, 0.02, trying), ==, 0);
    sa_msg_id_t ack_id = feed_text(tracker, 3, 0.03, ack);
    assert_frame(tracker, 3, challenge_id, 2);
    g_assert_cmpuint(ack_id, ==, challenge_id + 1);

    sa_msg_id_t first = 12345;
    g_assert_cmpuint(sa_tracker_frame_messages(NULL, 1, &first), ==, 0);
    g_assert_cmpuint(first, ==, 0);
    sa_tracker_free(tracker);
}

/* Frames fed out of order land in the index in frame order; a frame fed again keeps its first messages. */
static void
test_frame_messages_out_of_order(void)
{
    sa_tracker_t *tracker = sa_tracker_new(NULL);
    /* Requests and final responses are always tracked (an ACK only after a challenge). */
    sa_msg_id_t invite_id = feed_text(tracker, 10, 0.0, invite);
    sa_msg_id_t ok_id = feed_text(tracker, 30, 0.5, ok);
    sa_msg_id_t challenge_id = feed_text(tracker, 20, 0.02, challenge);    /* before 30 */
    sa_msg_id_t early_id = feed_text(tracker, 5, 0.25, retry);            /* before everything */
    g_assert_cmpuint(early_id, !=, 0);
    assert_frame(tracker, 5, early_id, 1);
    assert_frame(tracker, 10, invite_id, 1);
    assert_frame(tracker, 20, challenge_id, 1);
    assert_frame(tracker, 30, ok_id, 1);
    assert_frame(tracker, 15, 0, 0);

    /* Fed again later (a second pass that should not feed): the index keeps the first ids. */
    sa_msg_id_t again_10 = feed_text(tracker, 10, 0.0, invite);
    sa_msg_id_t again_20 = feed_text(tracker, 20, 0.02, challenge);
    g_assert_cmpuint(again_10, !=, 0);
    g_assert_cmpuint(again_20, !=, 0);
    assert_frame(tracker, 10, invite_id, 1);
    assert_frame(tracker, 20, challenge_id, 1);
    sa_msg_id_t again_30 = feed_text(tracker, 30, 0.5, ok);
    g_assert_cmpuint(again_30, !=, 0);
    assert_frame(tracker, 30, ok_id, 1);

    /* Two messages of one frame fed behind a later frame are both found. */
    static const char invite_other[] = "OPTIONS sip:x@example.com SIP/2.0\r\n"
        "Via: SIP/2.0/TCP h.example.com;branch=z9hG4bK-o1\r\nCall-ID: other@ua\r\nCSeq: 1 OPTIONS\r\n\r\n";
    static const char ok_other[] = "SIP/2.0 200 OK\r\n"
        "Via: SIP/2.0/TCP h.example.com;branch=z9hG4bK-o2\r\nCall-ID: other2@ua\r\nCSeq: 7 OPTIONS\r\n\r\n";
    sa_msg_id_t first_of_25 = feed_text(tracker, 25, 0.03, invite_other);
    sa_msg_id_t second_of_25 = feed_text(tracker, 25, 0.03, ok_other);
    g_assert_cmpuint(second_of_25, ==, first_of_25 + 1);
    assert_frame(tracker, 25, first_of_25, 2);

    /* Look-ups in any order give the same answers (the look-up cursor is only a hint). */
    assert_frame(tracker, 30, ok_id, 1);
    assert_frame(tracker, 5, early_id, 1);
    assert_frame(tracker, 31, 0, 0);
    assert_frame(tracker, 20, challenge_id, 1);
    assert_frame(tracker, 25, first_of_25, 2);
    assert_frame(tracker, 4, 0, 0);

    /* A new frame after all of them appends again. */
    sa_msg_id_t late_id = feed_text(tracker, 40, 0.6, invite);
    assert_frame(tracker, 40, late_id, 1);
    assert_frame(tracker, 30, ok_id, 1);
    sa_tracker_free(tracker);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sipmsg/start/request_line", test_request_line);
    g_test_add_func("/sipmsg/start/status_line", test_status_line);
    g_test_add_func("/sipmsg/start/provisional_start_line_only", test_provisional_start_line_only);
    g_test_add_func("/sipmsg/start/not_a_start_line", test_not_a_start_line);
    g_test_add_func("/sipmsg/lines/crlf_lf_cr", test_line_ends);
    g_test_add_func("/sipmsg/lines/folding", test_folding);
    g_test_add_func("/sipmsg/lines/no_final_line_end", test_no_final_line_end);
    g_test_add_func("/sipmsg/headers/compact_forms", test_compact_forms);
    g_test_add_func("/sipmsg/headers/case_insensitive", test_case_insensitive_names);
    g_test_add_func("/sipmsg/headers/names_as_written", test_names_as_written);
    g_test_add_func("/sipmsg/headers/multiple", test_multiple_headers);
    g_test_add_func("/sipmsg/headers/caps", test_caps);
    g_test_add_func("/sipmsg/headers/first_wins", test_first_single_header_wins);
    g_test_add_func("/sipmsg/headers/empty_values", test_empty_values);
    g_test_add_func("/sipmsg/body_is_not_headers", test_body_is_not_headers);
    g_test_add_func("/sipmsg/body_starting_with_white_space", test_body_starting_with_white_space);
    g_test_add_func("/sipmsg/bytes/non_utf8", test_non_utf8_bytes);
    g_test_add_func("/sipmsg/bytes/embedded_nul", test_embedded_nul);
    g_test_add_func("/sipmsg/tracker/invite_407_flow", test_parsed_407_flow);
    g_test_add_func("/tracker/frame_messages/in_order", test_frame_messages_in_order);
    g_test_add_func("/tracker/frame_messages/two_in_one_frame", test_frame_messages_two_in_one_frame);
    g_test_add_func("/tracker/frame_messages/none", test_frame_messages_none);
    g_test_add_func("/tracker/frame_messages/out_of_order", test_frame_messages_out_of_order);
    return g_test_run();
}
