/* Unit tests of the HSS behind the challenges (SPEC section 11): the Diameter reader on good, cut and hostile
 * messages, and a tracker fed Cx and SIP as a capture would feed them: links by vector, credentials verified
 * with the MAA's XRES or HA1, the Server-Assignment, the HSS's errors, no_auth_vector and resync_loop. */
#include "sipauth/diameter.h"
#include "sipauth/tracker.h"
#include "sipauth/explain.h"

#include <stdio.h>
#include <string.h>

#define SEC G_GINT64_CONSTANT(1000000000)
#define USER "001010000000001@ims.example.net"
#define IMPU "sip:" USER
#define REALM "ims.example.net"

/* ---- building Diameter messages ---- */

static void
put_u32(GByteArray *b, guint32 v)
{
    guint8 x[4] = { (guint8)(v >> 24), (guint8)(v >> 16), (guint8)(v >> 8), (guint8)v };
    g_byte_array_append(b, x, 4);
}

/* An AVP (vendor 10415 when tgpp), padded to four bytes. */
static void
avp(GByteArray *b, guint32 code, gboolean tgpp, const void *data, gsize len)
{
    guint32 total = (guint32)(len + (tgpp ? 12 : 8));
    put_u32(b, code);
    guint8 flags_len[4] = { (guint8)(0x40 | (tgpp ? 0x80 : 0)), (guint8)(total >> 16), (guint8)(total >> 8),
                            (guint8)total };
    g_byte_array_append(b, flags_len, 4);
    if (tgpp)
        put_u32(b, 10415);
    g_byte_array_append(b, data, (guint)len);
    static const guint8 zero[3] = { 0 };
    g_byte_array_append(b, zero, (guint)((4 - len % 4) % 4));
}

static void
avp_str(GByteArray *b, guint32 code, gboolean tgpp, const char *s)
{
    avp(b, code, tgpp, s, strlen(s));
}

static void
avp_u32(GByteArray *b, guint32 code, gboolean tgpp, guint32 v)
{
    guint8 x[4] = { (guint8)(v >> 24), (guint8)(v >> 16), (guint8)(v >> 8), (guint8)v };
    avp(b, code, tgpp, x, 4);
}

static void
avp_group(GByteArray *b, guint32 code, gboolean tgpp, GByteArray *inner)
{
    avp(b, code, tgpp, inner->data, inner->len);
    g_byte_array_free(inner, TRUE);
}

/* A Cx message: header (RFC 6733 3) then the AVPs. */
static GByteArray *
message(guint32 command, gboolean request, guint32 hop, GByteArray *avps)
{
    GByteArray *b = g_byte_array_new();
    guint32 len = 20 + avps->len;
    guint8 head[4] = { 1, (guint8)(len >> 16), (guint8)(len >> 8), (guint8)len };
    g_byte_array_append(b, head, 4);
    guint8 cmd[4] = { request ? 0xC0 : 0x40, (guint8)(command >> 16), (guint8)(command >> 8), (guint8)command };
    g_byte_array_append(b, cmd, 4);
    put_u32(b, SA_DIAMETER_APP_CX);
    put_u32(b, hop);
    put_u32(b, hop ^ 0x5a5a0000u);
    g_byte_array_append(b, avps->data, avps->len);
    g_byte_array_free(avps, TRUE);
    return b;
}

static GByteArray *
request_avps(const char *impu, const guint8 *auts_rand, gsize auts_len)
{
    GByteArray *a = g_byte_array_new();
    avp_str(a, 263, FALSE, "scscf.ims.example.net;1;1");
    avp_str(a, 1, FALSE, USER);
    avp_str(a, 601, TRUE, impu);
    if (auts_rand) {
        GByteArray *item = g_byte_array_new();
        avp_str(item, 608, TRUE, "Digest-AKAv1-MD5");
        avp(item, 610, TRUE, auts_rand, auts_len);
        avp_group(a, 612, TRUE, item);
    }
    return a;
}

/* An MAA with one AKA vector (rand_autn 32 bytes, xres), or with an error code. */
static GByteArray *
maa_avps(const guint8 *rand_autn, const guint8 *xres, gsize xres_len, guint32 experimental_error)
{
    GByteArray *a = g_byte_array_new();
    avp_str(a, 263, FALSE, "scscf.ims.example.net;1;1");
    if (experimental_error) {
        GByteArray *er = g_byte_array_new();
        avp_u32(er, 266, FALSE, 10415);
        avp_u32(er, 298, FALSE, experimental_error);
        avp_group(a, 297, FALSE, er);
        return a;
    }
    avp_u32(a, 268, FALSE, 2001);
    avp_str(a, 1, FALSE, USER);
    avp_str(a, 601, TRUE, IMPU);
    GByteArray *item = g_byte_array_new();
    avp_u32(item, 613, TRUE, 1);
    avp_str(item, 608, TRUE, "Digest-AKAv1-MD5");
    avp(item, 609, TRUE, rand_autn, 32);
    avp(item, 610, TRUE, xres, xres_len);
    guint8 key[16] = { 7 };
    avp(item, 625, TRUE, key, 16);
    avp(item, 626, TRUE, key, 16);
    avp_group(a, 612, TRUE, item);
    return a;
}

/* ---- the reader ---- */

static void
test_parse_maa(void)
{
    guint8 rand_autn[32], xres[8];
    for (guint i = 0; i < 32; i++) rand_autn[i] = (guint8)(i * 7 + 1);
    for (guint i = 0; i < 8; i++) xres[i] = (guint8)(0xa0 + i);
    GByteArray *m = message(SA_CX_MULTIMEDIA_AUTH, FALSE, 42, maa_avps(rand_autn, xres, 8, 0));
    sa_diameter_msg_t msg;
    g_assert_true(sa_diameter_parse(m->data, m->len, &msg));
    g_assert_false(msg.request);
    g_assert_false(msg.malformed);
    g_assert_cmpuint(msg.command, ==, 303);
    g_assert_cmpuint(msg.application, ==, SA_DIAMETER_APP_CX);
    g_assert_cmpuint(msg.hop_by_hop, ==, 42);
    g_assert_true(msg.has_result && !msg.experimental);
    g_assert_cmpuint(msg.result_code, ==, 2001);
    g_assert_cmpuint(msg.public_identity.len, ==, strlen(IMPU));
    g_assert_cmpuint(msg.n_items, ==, 1);
    g_assert_cmpuint(msg.items[0].authenticate.len, ==, 32);
    g_assert_cmpmem(msg.items[0].authenticate.ptr, 32, rand_autn, 32);
    g_assert_cmpmem(msg.items[0].authorization.ptr, 8, xres, 8);
    g_assert_cmpuint(msg.items[0].integrity_key.len, ==, 16);
    /* Every cut of it reads without a crash; a cut header is no message, a cut body is malformed. */
    for (guint len = 0; len < m->len; len++) {
        gboolean ok = sa_diameter_parse(m->data, len, &msg);
        g_assert_true(ok == (len >= 20));
        if (ok)
            g_assert_true(msg.malformed || len == m->len);
    }
    g_byte_array_free(m, TRUE);
}

static void
test_parse_error_and_hostile(void)
{
    GByteArray *m = message(SA_CX_MULTIMEDIA_AUTH, FALSE, 1, maa_avps(NULL, NULL, 0, 5001));
    sa_diameter_msg_t msg;
    g_assert_true(sa_diameter_parse(m->data, m->len, &msg));
    g_assert_true(msg.has_result && msg.experimental);
    g_assert_cmpuint(msg.result_code, ==, 5001);
    g_assert_true(sa_diameter_code_is_error(msg.result_code));
    g_assert_cmpstr(sa_diameter_code_name(5001, TRUE), ==, "DIAMETER_ERROR_USER_UNKNOWN");
    g_assert_cmpstr(sa_diameter_code_name(5001, FALSE), ==, "DIAMETER_AVP_UNSUPPORTED");
    g_assert_cmpstr(sa_diameter_code_name(4242, TRUE), ==, "");
    g_byte_array_free(m, TRUE);

    /* An AVP whose length runs past the message, one of length 0, a version 2 header, a length below 20. */
    guint8 bad[40];
    memset(bad, 0, sizeof bad);
    bad[0] = 1; bad[3] = 40;
    bad[8] = 0x01; bad[11] = 0x00;                   /* application 16777216 */
    bad[23] = 1; bad[25] = 0xff; bad[26] = 0xff; bad[27] = 0xff;   /* AVP 1, length 16M */
    g_assert_true(sa_diameter_parse(bad, sizeof bad, &msg));
    g_assert_true(msg.malformed);
    bad[25] = 0; bad[26] = 0; bad[27] = 0;           /* length 0: below its header */
    g_assert_true(sa_diameter_parse(bad, sizeof bad, &msg));
    g_assert_true(msg.malformed);
    bad[0] = 2;
    g_assert_false(sa_diameter_parse(bad, sizeof bad, &msg));
    bad[0] = 1; bad[3] = 8;
    g_assert_false(sa_diameter_parse(bad, sizeof bad, &msg));
    g_assert_false(sa_diameter_parse(NULL, 100, &msg));

    /* Grouped AVPs nested deeper than Cx nests them are not followed (no recursion on hostile input). */
    GByteArray *inner = g_byte_array_new();
    avp_str(inner, 609, TRUE, "x");
    for (guint depth = 0; depth < 50; depth++) {
        GByteArray *outer = g_byte_array_new();
        avp_group(outer, 612, TRUE, inner);
        inner = outer;
    }
    m = message(SA_CX_MULTIMEDIA_AUTH, FALSE, 2, inner);
    g_assert_true(sa_diameter_parse(m->data, m->len, &msg));
    g_assert_cmpuint(msg.n_items, ==, 1);
    g_byte_array_free(m, TRUE);
}

/* ---- on a tracker ---- */

static const guint8 scscf_ip[4] = { 10, 0, 0, 20 }, hss_ip[4] = { 10, 0, 0, 30 }, pcscf_ip[4] = { 10, 0, 0, 10 };

typedef struct {
    sa_tracker_t *tracker;
    guint32 frame;
} t_t;

static t_t
t_new(void)
{
    sa_config_t config;
    sa_config_init_defaults(&config);
    t_t t = { sa_tracker_new(&config), 0 };
    return t;
}

static guint32
cx(t_t *t, double at, GByteArray *m, gboolean from_scscf)
{
    sa_addr_t scscf = { scscf_ip, 4 }, hss = { hss_ip, 4 };
    sa_diameter_event_t e = { ++t->frame, (gint64)(at * SEC), from_scscf ? scscf : hss, from_scscf ? hss : scscf,
                              m->data, m->len };
    sa_tracker_feed_diameter(t->tracker, &e);
    g_byte_array_free(m, TRUE);
    return e.frame;
}

static guint32
sip(t_t *t, double at, const char *method, guint status, guint cseq, const char *www, const char *auth)
{
    char cseq_text[32], via[64];
    snprintf(cseq_text, sizeof cseq_text, "%u REGISTER", cseq);
    snprintf(via, sizeof via, "SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK-%u", cseq);
    const char *vias[1] = { via };
    sa_event_t e;
    memset(&e, 0, sizeof e);
    e.frame = ++t->frame;
    e.time_ns = (gint64)(at * SEC);
    e.method = method;
    e.request_uri = method ? "sip:" REALM : NULL;
    e.status = status;
    e.reason = method ? NULL : (status == 401 ? "Unauthorized" : status == 200 ? "OK" : "Forbidden");
    e.call_id = "reg-1@ue";
    e.cseq = cseq_text;
    e.from = "<" IMPU ">;tag=u1";
    e.to = "<" IMPU ">";
    e.via.values = vias;
    e.via.count = 1;
    sa_addr_t scscf = { scscf_ip, 4 }, pcscf = { pcscf_ip, 4 };
    e.src = method ? pcscf : scscf;
    e.dst = method ? scscf : pcscf;
    if (www) e.www_authenticate = (sa_header_list_t){ &www, 1 };
    if (auth) e.authorization = (sa_header_list_t){ &auth, 1 };
    if (method) e.expires = "600";
    sa_tracker_feed(t->tracker, &e);
    return e.frame;
}

static sa_result_t
result(t_t *t, guint32 frame)
{
    sa_msg_id_t first;
    sa_result_t r;
    memset(&r, 0, sizeof r);
    if (sa_tracker_frame_messages(t->tracker, frame, &first) > 0)
        sa_tracker_result(t->tracker, first, SA_VIEW_FINAL, &r);
    return r;
}

#define HAS(r, f) (((r).findings & SA_FINDING_BIT(SA_FINDING_##f)) != 0)

static char *
md5_hex(const guint8 *data, gsize len)
{
    return g_compute_checksum_for_data(G_CHECKSUM_MD5, data, len);
}

/* RFC 3310: the AKAv1-MD5 response is RFC 2617's with the XRES (raw bytes) as the password. */
static char *
aka_response(const guint8 *xres, gsize xres_len, const char *nonce)
{
    GByteArray *a1 = g_byte_array_new();
    const char *prefix = USER ":" REALM ":";
    g_byte_array_append(a1, (const guint8 *)prefix, (guint)strlen(prefix));
    g_byte_array_append(a1, xres, (guint)xres_len);
    char *ha1 = md5_hex(a1->data, a1->len);
    g_byte_array_free(a1, TRUE);
    char *a2 = g_strdup("REGISTER:sip:" REALM);
    char *ha2 = md5_hex((const guint8 *)a2, strlen(a2));
    char *kd = g_strdup_printf("%s:%s:00000001:c0ffee:auth:%s", ha1, nonce, ha2);
    char *response = md5_hex((const guint8 *)kd, strlen(kd));
    g_free(ha1); g_free(a2); g_free(ha2); g_free(kd);
    return response;
}

typedef struct {
    guint8 rand_autn[32];
    guint8 xres[8];
    char  *nonce;
    char  *www;
} vector_t;

static vector_t
vector_new(guint8 seed)
{
    vector_t v;
    for (guint i = 0; i < 32; i++) v.rand_autn[i] = (guint8)(seed * 31 + i * 7);
    for (guint i = 0; i < 8; i++) v.xres[i] = (guint8)(seed + i * 3);
    v.nonce = g_base64_encode(v.rand_autn, 32);
    v.www = g_strdup_printf("Digest realm=\"" REALM "\", nonce=\"%s\", algorithm=AKAv1-MD5, qop=\"auth\"", v.nonce);
    return v;
}

static char *
authorization(const vector_t *v, const guint8 *xres, const char *auts)
{
    char *response = aka_response(xres, 8, v->nonce);
    char *auth = g_strdup_printf("Digest username=\"" USER "\", realm=\"" REALM "\", nonce=\"%s\", "
                                 "uri=\"sip:" REALM "\", response=\"%s\", algorithm=AKAv1-MD5, cnonce=\"c0ffee\", "
                                 "nc=00000001, qop=auth%s%s%s", v->nonce, auts ? "" : response,
                                 auts ? ", auts=\"" : "", auts ? auts : "", auts ? "\"" : "");
    g_free(response);
    return auth;
}

static void
vector_free(vector_t *v)
{
    g_free(v->nonce);
    g_free(v->www);
}

/* MAR, MAA, 401, retry, SAR, SAA, 200: linked, verified with the XRES, the Server-Assignment on the 200. */
static void
test_flow_ok(gboolean wrong)
{
    t_t t = t_new();
    vector_t v = vector_new(1);
    sip(&t, 0.0, "REGISTER", 0, 1, NULL, NULL);
    guint32 mar = cx(&t, 0.01, message(303, TRUE, 10, request_avps(IMPU, NULL, 0)), TRUE);
    guint32 maa = cx(&t, 0.03, message(303, FALSE, 10, maa_avps(v.rand_autn, v.xres, 8, 0)), FALSE);
    cx(&t, 0.035, message(303, FALSE, 10, maa_avps(v.rand_autn, v.xres, 8, 0)), FALSE);   /* a copy */
    guint32 challenge = sip(&t, 0.04, NULL, 401, 1, v.www, NULL);
    guint8 other[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
    char *auth = authorization(&v, wrong ? other : v.xres, NULL);
    guint32 retry = sip(&t, 0.5, "REGISTER", 0, 2, NULL, auth);
    guint32 sar = 0, saa = 0;
    if (!wrong) {
        sar = cx(&t, 0.51, message(301, TRUE, 11, request_avps(IMPU, NULL, 0)), TRUE);
        GByteArray *ok = g_byte_array_new();
        avp_u32(ok, 268, FALSE, 2001);
        saa = cx(&t, 0.52, message(301, FALSE, 11, ok), FALSE);
    }
    guint32 final = sip(&t, 0.53, NULL, wrong ? 403 : 200, 2, NULL, NULL);

    sa_result_t c = result(&t, challenge);
    g_assert_cmpuint(c.role, ==, SA_ROLE_CHALLENGE);
    g_assert_cmpuint(c.mar_frame, ==, mar);
    g_assert_cmpuint(c.maa_frame, ==, maa);
    g_assert_true(c.has_hss_time);
    g_assert_cmpint(c.hss_time_ns, ==, 20 * G_GINT64_CONSTANT(1000000));
    g_assert_true(c.has_hss_result);
    g_assert_cmpuint(c.hss_result, ==, 2001);
    g_assert_false(HAS(c, NO_AUTH_VECTOR));
    sa_result_t r = result(&t, retry);
    g_assert_cmpuint(r.role, ==, SA_ROLE_RETRY);
    g_assert_cmpuint(r.credentials, ==, wrong ? SA_CREDENTIALS_WRONG : SA_CREDENTIALS_CORRECT);
    g_assert_true(r.hss_verified);
    g_assert_true(wrong ? HAS(r, WRONG_CREDENTIALS) : HAS(r, CREDENTIALS_CORRECT));
    g_assert_cmpuint(sa_finding_text_id(wrong ? SA_FINDING_WRONG_CREDENTIALS : SA_FINDING_CREDENTIALS_CORRECT, &r), ==,
                     wrong ? SA_TEXT_WRONG_CREDENTIALS_HSS : SA_TEXT_CREDENTIALS_CORRECT_HSS);
    sa_result_t f = result(&t, final);
    g_assert_cmpuint(f.role, ==, SA_ROLE_RESULT);
    g_assert_cmpuint(f.sar_frame, ==, sar);
    g_assert_cmpuint(f.saa_frame, ==, saa);
    if (!wrong)
        g_assert_cmpuint(f.hss_result, ==, 2001);
    else
        g_assert_cmpuint(sa_finding_text_id(SA_FINDING_RETRY_FAILED, &f), ==, SA_TEXT_FORBIDDEN_HSS_WRONG);
    /* The Diameter frames themselves show nothing: no error. */
    sa_cx_answer_t answers[2];
    g_assert_cmpuint(sa_tracker_cx_answers(t.tracker, maa, answers, 2), ==, 0);
    g_assert_cmpuint(sa_tracker_cx_answers(t.tracker, saa, answers, 2), ==, 0);
    g_free(auth);
    vector_free(&v);
    sa_tracker_free(t.tracker);
}

static void test_flow_correct(void) { test_flow_ok(FALSE); }
static void test_flow_wrong(void) { test_flow_ok(TRUE); }

/* The Cx link captured on another clock, its frames after the SIP ones: linked by vector all the same. */
static void
test_other_clock(void)
{
    t_t t = t_new();
    vector_t v = vector_new(2);
    sip(&t, 100.0, "REGISTER", 0, 1, NULL, NULL);
    guint32 challenge = sip(&t, 100.04, NULL, 401, 1, v.www, NULL);
    guint32 mar = cx(&t, 100.05, message(303, TRUE, 10, request_avps(IMPU, NULL, 0)), TRUE);
    guint32 maa = cx(&t, 100.06, message(303, FALSE, 10, maa_avps(v.rand_autn, v.xres, 8, 0)), FALSE);
    sa_result_t c = result(&t, challenge);
    g_assert_cmpuint(c.mar_frame, ==, mar);
    g_assert_cmpuint(c.maa_frame, ==, maa);
    vector_free(&v);
    sa_tracker_free(t.tracker);
}

/* MAA 5001, then 403: the error is on the MAA's frame and names the SIP failure it became. */
static void
test_user_unknown(void)
{
    t_t t = t_new();
    sip(&t, 0.0, "REGISTER", 0, 1, NULL, NULL);
    guint32 mar = cx(&t, 0.01, message(303, TRUE, 10, request_avps(IMPU, NULL, 0)), TRUE);
    guint32 maa = cx(&t, 0.02, message(303, FALSE, 10, maa_avps(NULL, NULL, 0, 5001)), FALSE);
    guint32 forbidden = sip(&t, 0.03, NULL, 403, 1, NULL, NULL);
    sa_cx_answer_t a;
    g_assert_cmpuint(sa_tracker_cx_answers(t.tracker, maa, &a, 1), ==, 1);
    g_assert_true(a.has_result && a.experimental);
    g_assert_cmpuint(a.result_code, ==, 5001);
    g_assert_cmpuint(a.request_frame, ==, mar);
    g_assert_cmpstr(a.user, ==, USER);
    g_assert_cmpuint(a.sip_frame, ==, forbidden);
    g_assert_cmpuint(a.sip_status, ==, 403);
    g_assert_cmpuint(sa_cx_answer_text_id(&a), ==, SA_TEXT_HSS_ERROR_MAA);
    g_assert_cmpuint(sa_tracker_cx_answers(t.tracker, mar, &a, 1), ==, 0);
    sa_tracker_free(t.tracker);
}

/* An S-CSCF that talks Cx challenges user B with no MAA: no_auth_vector; a 401 from elsewhere is not judged. */
static void
test_no_auth_vector(void)
{
    t_t t = t_new();
    vector_t v = vector_new(3), w = vector_new(4);
    cx(&t, 0.01, message(303, TRUE, 10, request_avps("sip:other@" REALM, NULL, 0)), TRUE);
    cx(&t, 0.02, message(303, FALSE, 10, maa_avps(v.rand_autn, v.xres, 8, 0)), FALSE);
    sip(&t, 1.0, "REGISTER", 0, 1, NULL, NULL);
    guint32 challenge = sip(&t, 1.01, NULL, 401, 1, w.www, NULL);
    sa_result_t c = result(&t, challenge);
    g_assert_true(HAS(c, NO_AUTH_VECTOR));
    g_assert_cmpuint(c.maa_frame, ==, 0);
    /* Its retry: no vector, no table: not checked. */
    char *auth = authorization(&w, w.xres, NULL);
    guint32 retry = sip(&t, 1.5, "REGISTER", 0, 2, NULL, auth);
    g_assert_cmpuint(result(&t, retry).credentials, ==, SA_CREDENTIALS_NOT_CHECKED);
    g_free(auth);
    vector_free(&v);
    vector_free(&w);
    sa_tracker_free(t.tracker);

    /* Without any Cx, the same 401 says nothing of the HSS. */
    t = t_new();
    w = vector_new(4);
    sip(&t, 1.0, "REGISTER", 0, 1, NULL, NULL);
    challenge = sip(&t, 1.01, NULL, 401, 1, w.www, NULL);
    c = result(&t, challenge);
    g_assert_false(HAS(c, NO_AUTH_VECTOR));
    vector_free(&w);
    sa_tracker_free(t.tracker);
}

/* auts, a new vector, auts again: resync_loop on the second auts retry only. */
static void
test_resync_loop(void)
{
    t_t t = t_new();
    sip(&t, 0.0, "REGISTER", 0, 1, NULL, NULL);
    guint32 retries[3];
    for (guint i = 0; i < 3; i++) {
        vector_t v = vector_new((guint8)(10 + i));
        cx(&t, 0.01 + i, message(303, TRUE, 20 + i, request_avps(IMPU, i ? v.rand_autn : NULL, 30)), TRUE);
        cx(&t, 0.02 + i, message(303, FALSE, 20 + i, maa_avps(v.rand_autn, v.xres, 8, 0)), FALSE);
        guint32 challenge = sip(&t, 0.03 + i, NULL, 401, 1 + i, v.www, NULL);
        g_assert_cmpuint(result(&t, challenge).maa_frame, ==, challenge - 1);
        char *auth = authorization(&v, v.xres, "AAAAAAAAAAAAAAAAAAAA");
        retries[i] = sip(&t, 0.5 + i, "REGISTER", 0, 2 + i, NULL, auth);
        g_free(auth);
        vector_free(&v);
    }
    for (guint i = 0; i < 3; i++) {
        sa_result_t r = result(&t, retries[i]);
        g_assert_true(HAS(r, AKA_RESYNC));
        g_assert_cmpuint(r.credentials, ==, SA_CREDENTIALS_CANNOT_CHECK);
        g_assert_true(HAS(r, RESYNC_LOOP) == (i == 1));
    }
    sa_tracker_free(t.tracker);
}

/* Digest: the MAA's SIP-Digest-Authenticate gives the realm's HA1; the challenge links by user and realm. */
static void
test_digest_ha1(void)
{
    t_t t = t_new();
    char *ha1 = g_compute_checksum_for_string(G_CHECKSUM_MD5, USER ":" REALM ":secret", -1);
    GByteArray *a = g_byte_array_new();
    avp_u32(a, 268, FALSE, 2001);
    avp_str(a, 1, FALSE, USER);
    GByteArray *item = g_byte_array_new();
    avp_str(item, 608, TRUE, "SIP Digest");
    GByteArray *digest = g_byte_array_new();
    avp_str(digest, 104, FALSE, REALM);
    avp_str(digest, 111, FALSE, "MD5");
    avp_str(digest, 121, FALSE, ha1);
    avp_group(item, 635, TRUE, digest);
    avp_group(a, 612, TRUE, item);
    sip(&t, 0.0, "REGISTER", 0, 1, NULL, NULL);
    guint32 mar = cx(&t, 0.01, message(303, TRUE, 10, request_avps(IMPU, NULL, 0)), TRUE);
    guint32 maa = cx(&t, 0.02, message(303, FALSE, 10, a), FALSE);
    guint32 challenge = sip(&t, 0.03, NULL, 401, 1, "Digest realm=\"" REALM "\", nonce=\"abc123\", algorithm=MD5",
                            NULL);
    char *ha2 = g_compute_checksum_for_string(G_CHECKSUM_MD5, "REGISTER:sip:" REALM, -1);
    char *kd = g_strdup_printf("%s:abc123:%s", ha1, ha2);
    char *response = g_compute_checksum_for_string(G_CHECKSUM_MD5, kd, -1);
    char *auth = g_strdup_printf("Digest username=\"" USER "\", realm=\"" REALM "\", nonce=\"abc123\", "
                                 "uri=\"sip:" REALM "\", response=\"%s\", algorithm=MD5", response);
    guint32 retry = sip(&t, 0.5, "REGISTER", 0, 2, NULL, auth);
    sa_result_t c = result(&t, challenge);
    g_assert_cmpuint(c.mar_frame, ==, mar);
    g_assert_cmpuint(c.maa_frame, ==, maa);
    sa_result_t r = result(&t, retry);
    g_assert_cmpuint(r.credentials, ==, SA_CREDENTIALS_CORRECT);
    g_assert_true(r.hss_verified);
    g_free(ha1); g_free(ha2); g_free(kd); g_free(response); g_free(auth);
    sa_tracker_free(t.tracker);
}

/* MAAs with absurd items (SIP-Authenticate of 3 bytes or 10 kB, XRES of 40 bytes): no vector, no crash. */
static void
test_bad_items(void)
{
    t_t t = t_new();
    guint8 *big = g_malloc0(10000);
    gsize sizes[] = { 3, 10000 };
    for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
        GByteArray *a = g_byte_array_new();
        avp_u32(a, 268, FALSE, 2001);
        GByteArray *item = g_byte_array_new();
        avp(item, 609, TRUE, big, sizes[i]);
        avp(item, 610, TRUE, big, 40);
        avp_group(a, 612, TRUE, item);
        cx(&t, 0.01 * i, message(303, FALSE, 30 + i, a), FALSE);
    }
    vector_t v = vector_new(5);
    sip(&t, 1.0, "REGISTER", 0, 1, NULL, NULL);
    guint32 challenge = sip(&t, 1.01, NULL, 401, 1, v.www, NULL);
    sa_result_t c = result(&t, challenge);
    g_assert_cmpuint(c.maa_frame, ==, 0);
    g_assert_false(HAS(c, NO_AUTH_VECTOR));   /* no MAR from this S-CSCF: its Cx traffic is not here */
    g_free(big);
    vector_free(&v);
    sa_tracker_free(t.tracker);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hss/parse/maa", test_parse_maa);
    g_test_add_func("/hss/parse/error-and-hostile", test_parse_error_and_hostile);
    g_test_add_func("/hss/flow/correct", test_flow_correct);
    g_test_add_func("/hss/flow/wrong", test_flow_wrong);
    g_test_add_func("/hss/flow/other-clock", test_other_clock);
    g_test_add_func("/hss/user-unknown", test_user_unknown);
    g_test_add_func("/hss/no-auth-vector", test_no_auth_vector);
    g_test_add_func("/hss/resync-loop", test_resync_loop);
    g_test_add_func("/hss/digest-ha1", test_digest_ha1);
    g_test_add_func("/hss/bad-items", test_bad_items);
    return g_test_run();
}
