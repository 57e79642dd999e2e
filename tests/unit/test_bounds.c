/* Unit tests of the analysis bounds: a message a bound applied to says so, one that hits none stays silent. */
#include <string.h>
#include "sipauth/sipmsg.h"

/* Feeds one raw SIP message as the next frame; the text is kept by the caller's GPtrArray until the end. */
static sa_msg_id_t
feed_text(sa_tracker_t *tracker, GPtrArray *keep, guint32 frame, double at, const char *text)
{
    char *copy = g_strdup(text);
    g_ptr_array_add(keep, copy);
    sa_sip_message_t msg;
    g_assert_true(sa_sip_message_parse(copy, strlen(copy), &msg));
    msg.event.frame = frame;
    msg.event.time_ns = (gint64)(at * 1e9);
    return sa_tracker_feed(tracker, &msg.event);
}

static gboolean
cut(sa_tracker_t *tracker, sa_msg_id_t id)
{
    sa_result_t r;
    g_assert_true(sa_tracker_result(tracker, id, SA_VIEW_FINAL, &r));
    return (r.findings & SA_FINDING_BIT(SA_FINDING_ANALYSIS_TRUNCATED)) != 0;
}

static char *
request(const char *call_id, guint cseq, const char *branch, const char *extra)
{
    return g_strdup_printf("REGISTER sip:example.com SIP/2.0\r\n"
                           "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK%s\r\n"
                           "From: <sip:alice@example.com>;tag=a\r\nTo: <sip:alice@example.com>\r\n"
                           "Call-ID: %s\r\nCSeq: %u REGISTER\r\n%s\r\n", branch, call_id, cseq, extra);
}

static char *
response(guint code, const char *call_id, guint cseq, const char *branch, const char *extra)
{
    return g_strdup_printf("SIP/2.0 %u Reason\r\n"
                           "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK%s\r\n"
                           "From: <sip:alice@example.com>;tag=a\r\nTo: <sip:alice@example.com>;tag=b\r\n"
                           "Call-ID: %s\r\nCSeq: %u REGISTER\r\n%s\r\n", code, branch, call_id, cseq, extra);
}

typedef struct {
    sa_tracker_t *tracker;
    GPtrArray    *keep;
    guint32       frame;
} bench_t;

static sa_msg_id_t
send_owned(bench_t *b, double at, char *text)
{
    sa_msg_id_t id = feed_text(b->tracker, b->keep, ++b->frame, at, text);
    g_free(text);
    return id;
}

static void
bench_init(bench_t *b)
{
    b->tracker = sa_tracker_new(NULL);
    b->keep = g_ptr_array_new_with_free_func(g_free);
    b->frame = 0;
}

static void
bench_clear(bench_t *b)
{
    sa_tracker_free(b->tracker);
    g_ptr_array_free(b->keep, TRUE);
}

/* A REGISTER flow: request, 401 with the given challenge headers, retry with the given credentials, 200. */
static void
register_flow(bench_t *b, const char *call_id, const char *challenge, const char *credentials, sa_msg_id_t ids[4])
{
    char *auth = g_strdup_printf("Authorization: %s\r\n", credentials);
    ids[0] = send_owned(b, 0.0, request(call_id, 1, "r1", ""));
    ids[1] = send_owned(b, 0.1, response(401, call_id, 1, "r1", challenge));
    ids[2] = send_owned(b, 0.2, request(call_id, 2, "r2", auth));
    ids[3] = send_owned(b, 0.3, response(200, call_id, 2, "r2", ""));
    g_free(auth);
}

static void
test_ordinary_flow_is_not_marked(void)
{
    bench_t b;
    bench_init(&b);
    sa_msg_id_t ids[4];
    register_flow(&b, "ok@ua", "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\n",
                  "Digest username=\"alice\", realm=\"r\", nonce=\"n\", uri=\"sip:example.com\", response=\"00\"", ids);
    for (int i = 0; i < 4; i++)
        g_assert_false(cut(b.tracker, ids[i]));
    sa_result_t r;
    sa_tracker_result(b.tracker, ids[1], SA_VIEW_FINAL, &r);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_ACCEPTED);
    bench_clear(&b);
}

/* Ten challenges in one 401: the parser and the tracker keep eight. */
static void
test_too_many_realms_marks_the_challenge(void)
{
    bench_t b;
    bench_init(&b);
    GString *headers = g_string_new(NULL);
    for (int i = 0; i < 10; i++)
        g_string_append_printf(headers, "WWW-Authenticate: Digest realm=\"realm%d\", nonce=\"n%d\"\r\n", i, i);
    sa_msg_id_t ids[4];
    register_flow(&b, "realms@ua", headers->str,
                  "Digest username=\"alice\", realm=\"realm0\", nonce=\"n0\", uri=\"sip:example.com\", response=\"00\"",
                  ids);
    g_assert_false(cut(b.tracker, ids[0]));
    g_assert_true(cut(b.tracker, ids[1]));
    g_assert_false(cut(b.tracker, ids[2]));
    sa_result_t r;
    sa_tracker_result(b.tracker, ids[1], SA_VIEW_FINAL, &r);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_ACCEPTED);
    g_string_free(headers, TRUE);
    bench_clear(&b);
}

/* A 600-byte Call-ID is cut to 512 in every key: each message of the flow says so, and still links. */
static void
test_long_call_id_marks_every_message(void)
{
    bench_t b;
    bench_init(&b);
    char *call_id = g_strnfill(600, 'c');
    sa_msg_id_t ids[4];
    register_flow(&b, call_id, "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\n",
                  "Digest username=\"alice\", realm=\"r\", nonce=\"n\", uri=\"sip:example.com\", response=\"00\"", ids);
    for (int i = 0; i < 4; i++)
        g_assert_true(cut(b.tracker, ids[i]));
    sa_result_t r;
    sa_tracker_result(b.tracker, ids[1], SA_VIEW_FINAL, &r);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_ACCEPTED);
    g_free(call_id);
    bench_clear(&b);
}

/* A 10,000-byte nonce is kept cut: the challenge and the retry echoing it are marked, the echo still counts. */
static void
test_long_nonce_marks_challenge_and_retry(void)
{
    bench_t b;
    bench_init(&b);
    char *nonce = g_strnfill(10000, 'n');
    char *challenge = g_strdup_printf("WWW-Authenticate: Digest realm=\"r\", nonce=\"%s\"\r\n", nonce);
    char *creds = g_strdup_printf("Digest username=\"alice\", realm=\"r\", nonce=\"%s\", uri=\"sip:example.com\", "
                                  "response=\"00\"", nonce);
    sa_msg_id_t ids[4];
    register_flow(&b, "nonce@ua", challenge, creds, ids);
    g_assert_false(cut(b.tracker, ids[0]));
    g_assert_true(cut(b.tracker, ids[1]));
    g_assert_true(cut(b.tracker, ids[2]));
    g_assert_false(cut(b.tracker, ids[3]));
    sa_result_t r;
    sa_tracker_result(b.tracker, ids[2], SA_VIEW_FINAL, &r);
    g_assert_cmpint(r.role, ==, SA_ROLE_RETRY);
    g_assert_false(r.findings & SA_FINDING_BIT(SA_FINDING_NONCE_MISMATCH));
    g_free(nonce);
    g_free(challenge);
    g_free(creds);
    bench_clear(&b);
}

/* A bound the reader applied (bytes of the message) reaches the results through the event. */
static void
test_reader_cut_is_carried(void)
{
    bench_t b;
    bench_init(&b);
    send_owned(&b, 0.0, request("read@ua", 1, "r1", ""));
    char *text = response(407, "read@ua", 1, "r1", "Proxy-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\n");
    g_ptr_array_add(b.keep, text);
    sa_sip_message_t msg;
    g_assert_true(sa_sip_message_parse(text, strlen(text), &msg));
    msg.event.frame = ++b.frame;
    msg.event.time_ns = 100000000;
    msg.event.truncated = TRUE;
    sa_msg_id_t id = sa_tracker_feed(b.tracker, &msg.event);
    g_assert_true(cut(b.tracker, id));
    bench_clear(&b);
}

/* More Via lines than the parser keeps: the message says so. */
static void
test_too_many_vias_is_truncated(void)
{
    GString *text = g_string_new("SIP/2.0 407 Proxy Authentication Required\r\n");
    for (int i = 0; i < SA_MSG_MAX_VIA + 1; i++)
        g_string_append_printf(text, "Via: SIP/2.0/UDP 10.0.%d.%d;branch=z9hG4bK%d\r\n", i / 256, i % 256, i);
    g_string_append(text, "Call-ID: v@ua\r\nCSeq: 1 INVITE\r\n\r\n");
    sa_sip_message_t msg;
    g_assert_true(sa_sip_message_parse(text->str, text->len, &msg));
    g_assert_true(msg.event.truncated);
    g_assert_cmpuint(msg.event.via.count, ==, SA_MSG_MAX_VIA);
    g_string_free(text, TRUE);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/bounds/ordinary_flow_is_not_marked", test_ordinary_flow_is_not_marked);
    g_test_add_func("/bounds/too_many_realms_marks_the_challenge", test_too_many_realms_marks_the_challenge);
    g_test_add_func("/bounds/long_call_id_marks_every_message", test_long_call_id_marks_every_message);
    g_test_add_func("/bounds/long_nonce_marks_challenge_and_retry", test_long_nonce_marks_challenge_and_retry);
    g_test_add_func("/bounds/reader_cut_is_carried", test_reader_cut_is_carried);
    g_test_add_func("/bounds/too_many_vias_is_truncated", test_too_many_vias_is_truncated);
    return g_test_run();
}
