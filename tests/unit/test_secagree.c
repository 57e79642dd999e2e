/* Unit tests of the security agreement (SPEC section 11): the Security-* parser, and the checks on a REGISTER
 * from the UE, its 401, its retry and the ESP after it, fed straight to a tracker. */
#include "sipauth/secagree.h"
#include "sipauth/explain.h"

#include <stdio.h>
#include <string.h>

#define SEC G_GINT64_CONSTANT(1000000000)

static const char *const client_value =
    "ipsec-3gpp;alg=hmac-md5-96;ealg=null;spi-c=1111;spi-s=2222;port-c=5100;port-s=6100;prot=esp;mod=trans";
static const char *const server_value =
    "ipsec-3gpp;q=0.1;alg=hmac-md5-96;ealg=null;spi-c=100;spi-s=101;port-c=5100;port-s=6100;prot=esp;mod=trans";

static sa_header_list_t
one(const char **value)
{
    sa_header_list_t list = { value, *value ? 1 : 0 };
    return list;
}

static void
test_parse_one(void)
{
    const char *value = server_value;
    sa_header_list_t list = one(&value);
    sa_sec_mech_t mechs[SA_SEC_MAX_MECHS];
    g_assert_cmpuint(sa_sec_parse_list(&list, mechs, SA_SEC_MAX_MECHS), ==, 1);
    g_assert_cmpstr(mechs[0].mechanism, ==, "ipsec-3gpp");
    g_assert_cmpstr(mechs[0].alg, ==, "hmac-md5-96");
    g_assert_cmpstr(mechs[0].ealg, ==, "null");
    g_assert_cmpuint(mechs[0].spi_c, ==, 100);
    g_assert_cmpuint(mechs[0].spi_s, ==, 101);
    g_assert_cmpuint(mechs[0].port_c, ==, 5100);
    g_assert_cmpuint(mechs[0].port_s, ==, 6100);
    g_assert_cmpuint(mechs[0].q_milli, ==, 100);
    g_assert_true(mechs[0].has_spi_c && mechs[0].has_spi_s && mechs[0].has_port_c && mechs[0].has_port_s);
    char text[80];
    sa_sec_mech_text(&mechs[0], text, sizeof text);
    g_assert_cmpstr(text, ==, "ipsec-3gpp hmac-md5-96 null");
}

/* Several mechanisms per header and several headers; case, spaces and quotes as RFC 3329 allows; the best
 * ipsec-3gpp by q. */
static void
test_parse_many(void)
{
    const char *values[] = {
        "digest;d-alg=md5;q=0.9 , IPSEC-3GPP ; Alg=HMAC-SHA-1-96 ; ealg=aes-cbc ; spi-c = 7 ; spi-s=8;port-c=1;"
        "port-s=2;q=0.5",
        "ipsec-3gpp;alg=hmac-md5-96;spi-c=9;spi-s=10;port-c=3;port-s=4;q=0.7, tls;q=0.2",
    };
    sa_header_list_t list = { values, 2 };
    sa_sec_mech_t mechs[SA_SEC_MAX_MECHS];
    g_assert_cmpuint(sa_sec_parse_list(&list, mechs, SA_SEC_MAX_MECHS), ==, 4);
    g_assert_cmpstr(mechs[0].mechanism, ==, "digest");
    g_assert_cmpstr(mechs[1].mechanism, ==, "ipsec-3gpp");
    g_assert_cmpstr(mechs[1].alg, ==, "hmac-sha-1-96");
    g_assert_cmpstr(mechs[1].ealg, ==, "aes-cbc");
    g_assert_cmpuint(mechs[1].spi_c, ==, 7);
    g_assert_cmpstr(mechs[3].mechanism, ==, "tls");
    sa_sec_mech_t best;
    g_assert_true(sa_sec_best_ipsec(mechs, 4, &best));
    g_assert_cmpuint(best.spi_s, ==, 10);           /* q=0.7 beats q=0.5 */
    g_assert_true(sa_sec_ealg_null(&best));          /* ealg absent: null */
    g_assert_false(sa_sec_ealg_null(&mechs[1]));
    /* At most max mechanisms are read. */
    g_assert_cmpuint(sa_sec_parse_list(&list, mechs, 2), ==, 2);
    g_assert_false(sa_sec_best_ipsec(mechs, 1, &best));
}

/* Bad input: no name, absurd numbers, no '=' - nothing crashes, nothing is invented. */
static void
test_parse_bad(void)
{
    const char *values[] = { "", ";;;", ",,", "ipsec-3gpp;spi-c=99999999999;port-s=70000;q=2;spi-s=-1;alg",
                             "ipsec-3gpp;spi-s=12a;port-c=;q=0.1234" };
    sa_header_list_t list = { values, G_N_ELEMENTS(values) };
    sa_sec_mech_t mechs[SA_SEC_MAX_MECHS];
    g_assert_cmpuint(sa_sec_parse_list(&list, mechs, SA_SEC_MAX_MECHS), ==, 2);
    for (guint i = 0; i < 2; i++) {
        g_assert_false(mechs[i].has_spi_c || mechs[i].has_spi_s || mechs[i].has_port_c || mechs[i].has_port_s);
        g_assert_cmpuint(mechs[i].q_milli, ==, 1000);
        g_assert_cmpstr(mechs[i].alg, ==, "");
    }
}

static void
test_verify_matches(void)
{
    const char *server[] = { server_value, "ipsec-3gpp;q=0.05;alg=hmac-sha-1-96;spi-c=5;spi-s=6;port-c=7;port-s=8" };
    const char *same[] = { "ipsec-3gpp;alg=hmac-sha-1-96;spi-c=5;spi-s=6;port-c=7;port-s=8;q=0.05",
                           "ipsec-3gpp; q=0.1; alg=hmac-md5-96; ealg=null; spi-c=100; spi-s=101; port-c=5100; "
                           "port-s=6100; prot=esp; mod=trans" };
    const char *other_spi[] = { "ipsec-3gpp;alg=hmac-md5-96;ealg=null;spi-c=100;spi-s=102;port-c=5100;port-s=6100" };
    sa_header_list_t ls = { server, 2 }, lv = { same, 2 }, lo = { other_spi, 1 }, l1 = { server, 1 };
    sa_sec_mech_t s[SA_SEC_MAX_MECHS], v[SA_SEC_MAX_MECHS], o[SA_SEC_MAX_MECHS], s1[SA_SEC_MAX_MECHS];
    guint ns = sa_sec_parse_list(&ls, s, SA_SEC_MAX_MECHS), nv = sa_sec_parse_list(&lv, v, SA_SEC_MAX_MECHS);
    guint no = sa_sec_parse_list(&lo, o, SA_SEC_MAX_MECHS), n1 = sa_sec_parse_list(&l1, s1, SA_SEC_MAX_MECHS);
    g_assert_true(sa_sec_verify_matches(s, ns, v, nv));
    g_assert_false(sa_sec_verify_matches(s1, n1, o, no));
    g_assert_false(sa_sec_verify_matches(s, ns, s1, n1));      /* one mechanism left out */
    g_assert_false(sa_sec_verify_matches(s, ns, v, 0));        /* no Security-Verify */
}

/* ---- the checks, on a tracker ---- */

static const guint8 ue_ip[4] = { 10, 45, 0, 2 }, pcscf_ip[4] = { 172, 22, 0, 21 };

typedef struct {
    sa_tracker_t *tracker;
    guint32 frame;
    guint32 frames[16];
} t_t;

typedef struct {
    double at;
    const char *method;          /* NULL: a response */
    guint status;
    guint cseq;
    gboolean to_ue;
    guint16 dst_port;
    guint vias;                  /* default 1 */
    const char *client, *server, *verify;
    const char *www, *auth;
} m_t;

static guint32
feed(t_t *t, const m_t *m)
{
    char cseq[32], via2[] = "SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK-p";
    snprintf(cseq, sizeof cseq, "%u REGISTER", m->cseq ? m->cseq : 1);
    char via[64];
    snprintf(via, sizeof via, "SIP/2.0/UDP 10.45.0.2:5100;branch=z9hG4bK-%u", m->cseq ? m->cseq : 1);
    const char *vias[2] = { via, via2 };
    const char *client = m->client, *server = m->server, *verify = m->verify, *www = m->www, *auth = m->auth;
    sa_event_t e;
    memset(&e, 0, sizeof e);
    e.frame = ++t->frame;
    e.time_ns = (gint64)(m->at * 1e9);
    e.method = m->method;
    e.request_uri = m->method ? "sip:ims.example.net" : NULL;
    e.status = m->status;
    e.reason = m->method ? NULL : "Unauthorized";
    e.call_id = "reg-1@ue";
    e.cseq = cseq;
    e.from = "<sip:001010000000001@ims.example.net>;tag=u1";
    e.to = "<sip:001010000000001@ims.example.net>";
    e.via.values = vias;
    e.via.count = m->vias ? m->vias : 1;
    sa_addr_t ue = { ue_ip, 4 }, pcscf = { pcscf_ip, 4 };
    e.src = m->to_ue ? pcscf : ue;
    e.dst = m->to_ue ? ue : pcscf;
    e.dst_port = m->dst_port ? m->dst_port : (m->to_ue ? 5100 : 5060);
    if (client) e.security_client = one(&client);
    if (server) e.security_server = one(&server);
    if (verify) e.security_verify = one(&verify);
    if (www) e.www_authenticate = one(&www);
    if (auth) e.authorization = one(&auth);
    sa_tracker_feed(t->tracker, &e);
    return e.frame;
}

static guint32
esp(t_t *t, double at, guint32 spi, gboolean from_ue)
{
    sa_addr_t ue = { ue_ip, 4 }, pcscf = { pcscf_ip, 4 };
    sa_esp_event_t e = { ++t->frame, (gint64)(at * 1e9), from_ue ? ue : pcscf, from_ue ? pcscf : ue, spi };
    sa_tracker_feed_esp(t->tracker, &e);
    return e.frame;
}

static sa_result_t
result(t_t *t, guint32 frame, sa_view_t view)
{
    sa_msg_id_t first;
    sa_result_t r;
    memset(&r, 0, sizeof r);
    if (sa_tracker_frame_messages(t->tracker, frame, &first) > 0)
        sa_tracker_result(t->tracker, first, view, &r);
    return r;
}

#define HAS(r, f) (((r).findings & SA_FINDING_BIT(SA_FINDING_##f)) != 0)
#define WWW "Digest realm=\"ims.example.net\", nonce=\"bm9uY2U=\", algorithm=AKAv1-MD5, qop=\"auth\""
#define AUTH "Digest username=\"001010000000001@ims.example.net\", realm=\"ims.example.net\", " \
             "nonce=\"bm9uY2U=\", uri=\"sip:ims.example.net\", response=\"0123456789abcdef0123456789abcdef\", " \
             "algorithm=AKAv1-MD5, cnonce=\"c\", nc=00000001, qop=auth"

static t_t *
t_new(void)
{
    t_t *t = g_new0(t_t, 1);
    sa_config_t config;
    sa_config_init_defaults(&config);
    t->tracker = sa_tracker_new(&config);
    return t;
}

static void
t_free(t_t *t)
{
    sa_tracker_free(t->tracker);
    g_free(t);
}

/* The good case: offer, Security-Verify equal, retry to port-s; nothing to say but the fields. */
static void
test_agreement_ok(void)
{
    t_t *t = t_new();
    feed(t, &(m_t){ .at = 1, .method = "REGISTER", .client = client_value });
    guint32 c = feed(t, &(m_t){ .at = 1.1, .status = 401, .to_ue = TRUE, .server = server_value, .www = WWW });
    guint32 retry = feed(t, &(m_t){ .at = 1.3, .method = "REGISTER", .cseq = 2, .client = client_value,
                                    .verify = server_value, .auth = AUTH, .dst_port = 6100 });
    feed(t, &(m_t){ .at = 1.4, .status = 200, .cseq = 2, .to_ue = TRUE, .dst_port = 5100 });
    sa_result_t r = result(t, c, SA_VIEW_FINAL);
    g_assert_cmpint(r.verdict, ==, SA_VERDICT_ACCEPTED);
    g_assert_cmpstr(r.sec_mechanism, ==, "ipsec-3gpp hmac-md5-96 null");
    g_assert_cmpuint(r.spi_c, ==, 100);
    g_assert_cmpuint(r.spi_s, ==, 101);
    g_assert_cmpuint(r.port_c, ==, 5100);
    g_assert_cmpuint(r.port_s, ==, 6100);
    g_assert_cmpuint(r.esp_frame, ==, 0);
    g_assert_false(HAS(r, SEC_SERVER_MISSING) || HAS(r, RETRY_IN_IPSEC));
    sa_result_t rr = result(t, retry, SA_VIEW_FINAL);
    g_assert_false(HAS(rr, SEC_VERIFY_MISMATCH) || HAS(rr, RETRY_UNPROTECTED));
    t_free(t);
}

static void
test_server_missing(void)
{
    t_t *t = t_new();
    feed(t, &(m_t){ .at = 1, .method = "REGISTER", .client = client_value });
    guint32 c = feed(t, &(m_t){ .at = 1.1, .status = 401, .to_ue = TRUE, .www = WWW });
    sa_result_t r = result(t, c, SA_VIEW_FINAL);
    g_assert_true(HAS(r, SEC_SERVER_MISSING));
    g_assert_null(r.sec_mechanism);
    g_assert_true(sa_finding_is_detail(SA_FINDING_SEC_SERVER_MISSING, &r));
    /* Single pass too: known when the 401 comes. */
    g_assert_true(HAS(result(t, c, SA_VIEW_SO_FAR), SEC_SERVER_MISSING));
    t_free(t);

    /* Not from the UE (two Vias: a P-CSCF's REGISTER onward), or without Security-Client: nothing. */
    t = t_new();
    feed(t, &(m_t){ .at = 1, .method = "REGISTER", .client = client_value, .vias = 2 });
    c = feed(t, &(m_t){ .at = 1.1, .status = 401, .to_ue = TRUE, .www = WWW, .vias = 2 });
    g_assert_false(HAS(result(t, c, SA_VIEW_FINAL), SEC_SERVER_MISSING));
    t_free(t);
    t = t_new();
    feed(t, &(m_t){ .at = 1, .method = "REGISTER" });
    c = feed(t, &(m_t){ .at = 1.1, .status = 401, .to_ue = TRUE, .www = WWW });
    g_assert_false(HAS(result(t, c, SA_VIEW_FINAL), SEC_SERVER_MISSING));
    t_free(t);
}

static void
test_verify_mismatch_and_unprotected(void)
{
    const char *verifies[] = { NULL, "ipsec-3gpp;alg=hmac-md5-96;ealg=null;spi-c=100;spi-s=999;port-c=5100;port-s=6100",
                               server_value };
    for (guint i = 0; i < G_N_ELEMENTS(verifies); i++) {
        t_t *t = t_new();
        feed(t, &(m_t){ .at = 1, .method = "REGISTER", .client = client_value });
        guint32 c = feed(t, &(m_t){ .at = 1.1, .status = 401, .to_ue = TRUE, .server = server_value, .www = WWW });
        /* the last one goes in the clear to 5060 */
        guint16 port = i + 1 < G_N_ELEMENTS(verifies) ? 6100 : 5060;
        guint32 retry = feed(t, &(m_t){ .at = 1.3, .method = "REGISTER", .cseq = 2, .client = client_value,
                                        .verify = verifies[i], .auth = AUTH, .dst_port = port });
        sa_result_t rr = result(t, retry, SA_VIEW_FINAL);
        g_assert_cmpint(rr.role, ==, SA_ROLE_RETRY);
        g_assert_cmpint(HAS(rr, SEC_VERIFY_MISMATCH), ==, i + 1 < G_N_ELEMENTS(verifies));
        g_assert_cmpint(HAS(rr, RETRY_UNPROTECTED), ==, port == 5060);
        g_assert_cmpint(HAS(result(t, retry, SA_VIEW_SO_FAR), SEC_VERIFY_MISMATCH), ==, HAS(rr, SEC_VERIFY_MISMATCH));
        /* The challenge states the verdict; the retry's own findings are the retry's. */
        g_assert_false(HAS(result(t, c, SA_VIEW_FINAL), SEC_VERIFY_MISMATCH));
        t_free(t);
    }
}

/* No decoded retry; ESP from the UE with spi-s follows: retry protected, not missing_retry. */
static void
test_retry_in_ipsec(void)
{
    t_t *t = t_new();
    feed(t, &(m_t){ .at = 1, .method = "REGISTER", .client = client_value });
    guint32 c = feed(t, &(m_t){ .at = 1.1, .status = 401, .to_ue = TRUE, .server = server_value, .www = WWW });
    esp(t, 1.2, 101, FALSE);            /* from the P-CSCF: not the UE's */
    esp(t, 1.25, 100, TRUE);            /* the UE's, but spi-c: not toward the protected server port */
    guint32 e = esp(t, 1.3, 101, TRUE);
    esp(t, 1.4, 101, TRUE);
    sa_result_t r = result(t, c, SA_VIEW_FINAL);
    g_assert_cmpint(r.verdict, ==, SA_VERDICT_RETRY_PROTECTED);
    g_assert_cmpuint(r.esp_frame, ==, e);
    g_assert_cmpint(r.statement, ==, SA_FINDING_RETRY_IN_IPSEC);
    g_assert_true(HAS(r, RETRY_IN_IPSEC));
    g_assert_false(HAS(r, MISSING_RETRY));
    g_assert_nonnull(strstr(sa_finding_text(SA_FINDING_RETRY_IN_IPSEC, &r),
                            "esp.enable_null_encryption_decode_heuristic"));
    /* Single pass, once the ESP came: the same. */
    sa_result_t s = result(t, c, SA_VIEW_SO_FAR);
    g_assert_cmpint(s.verdict, ==, SA_VERDICT_RETRY_PROTECTED);
    t_free(t);

    /* An encrypted SA: the text points at the ESP SA table. */
    t = t_new();
    feed(t, &(m_t){ .at = 1, .method = "REGISTER", .client = client_value });
    c = feed(t, &(m_t){ .at = 1.1, .status = 401, .to_ue = TRUE, .www = WWW,
                        .server = "ipsec-3gpp;alg=hmac-sha-1-96;ealg=aes-cbc;spi-c=5;spi-s=6;port-c=7;port-s=8" });
    esp(t, 1.3, 6, TRUE);
    r = result(t, c, SA_VIEW_FINAL);
    g_assert_cmpint(r.verdict, ==, SA_VERDICT_RETRY_PROTECTED);
    g_assert_nonnull(strstr(sa_finding_text(SA_FINDING_RETRY_IN_IPSEC, &r), "ESP SA table"));
    t_free(t);

    /* ESP after the retry timeout, or before any offer: still no retry. */
    t = t_new();
    esp(t, 0.5, 101, TRUE);
    feed(t, &(m_t){ .at = 1, .method = "REGISTER", .client = client_value });
    c = feed(t, &(m_t){ .at = 1.1, .status = 401, .to_ue = TRUE, .server = server_value, .www = WWW });
    esp(t, 100, 101, TRUE);
    r = result(t, c, SA_VIEW_FINAL);
    g_assert_cmpint(r.verdict, ==, SA_VERDICT_NO_RETRY);
    g_assert_true(HAS(r, MISSING_RETRY));
    g_assert_cmpuint(r.esp_frame, ==, 0);
    t_free(t);
}

/* The retry decoded from the ESP (the null heuristic on): it links, and the ESP is no hidden retry. */
static void
test_decoded_retry(void)
{
    t_t *t = t_new();
    feed(t, &(m_t){ .at = 1, .method = "REGISTER", .client = client_value });
    guint32 c = feed(t, &(m_t){ .at = 1.1, .status = 401, .to_ue = TRUE, .server = server_value, .www = WWW });
    feed(t, &(m_t){ .at = 1.3, .method = "REGISTER", .cseq = 2, .client = client_value, .verify = server_value,
                    .auth = AUTH, .dst_port = 6100 });
    esp(t, 1.3, 101, TRUE);             /* the same frame's ESP, fed after its SIP */
    feed(t, &(m_t){ .at = 1.4, .status = 200, .cseq = 2, .to_ue = TRUE });
    sa_result_t r = result(t, c, SA_VIEW_FINAL);
    g_assert_cmpint(r.verdict, ==, SA_VERDICT_ACCEPTED);
    g_assert_cmpuint(r.esp_frame, ==, 0);
    g_assert_false(HAS(r, RETRY_IN_IPSEC));
    t_free(t);
}

/* A 494 to the retry: rejected. */
static void
test_494(void)
{
    t_t *t = t_new();
    feed(t, &(m_t){ .at = 1, .method = "REGISTER", .client = client_value });
    guint32 c = feed(t, &(m_t){ .at = 1.1, .status = 401, .to_ue = TRUE, .server = server_value, .www = WWW });
    feed(t, &(m_t){ .at = 1.3, .method = "REGISTER", .cseq = 2, .auth = AUTH, .dst_port = 6100 });
    feed(t, &(m_t){ .at = 1.4, .status = 494, .cseq = 2, .to_ue = TRUE });
    sa_result_t r = result(t, c, SA_VIEW_FINAL);
    g_assert_cmpint(r.verdict, ==, SA_VERDICT_REJECTED);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_REJECTED);
    t_free(t);
}

/* A capture without any Security-* header makes no side table. */
static void
test_no_side_table(void)
{
    t_t *t = t_new();
    feed(t, &(m_t){ .at = 1, .method = "REGISTER" });
    guint32 c = feed(t, &(m_t){ .at = 1.1, .status = 401, .to_ue = TRUE, .www = WWW });
    esp(t, 1.2, 101, TRUE);
    sa_result_t r = result(t, c, SA_VIEW_FINAL);
    g_assert_cmpint(r.verdict, ==, SA_VERDICT_NO_RETRY);
    g_assert_null(r.sec_mechanism);
    t_free(t);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/secagree/parse/one", test_parse_one);
    g_test_add_func("/secagree/parse/many", test_parse_many);
    g_test_add_func("/secagree/parse/bad", test_parse_bad);
    g_test_add_func("/secagree/verify_matches", test_verify_matches);
    g_test_add_func("/secagree/ok", test_agreement_ok);
    g_test_add_func("/secagree/server_missing", test_server_missing);
    g_test_add_func("/secagree/verify_mismatch_unprotected", test_verify_mismatch_and_unprotected);
    g_test_add_func("/secagree/retry_in_ipsec", test_retry_in_ipsec);
    g_test_add_func("/secagree/decoded_retry", test_decoded_retry);
    g_test_add_func("/secagree/494", test_494);
    g_test_add_func("/secagree/no_side_table", test_no_side_table);
    return g_test_run();
}
