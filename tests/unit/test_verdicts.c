/* Unit tests of the flow verdict (SPEC section 9): one call flow per verdict and case, every frame of the
 * flow carrying the same verdict, the finding that states it, and the fixed texts. */
#include "replay.h"
#include "sipauth/explain.h"

#include <string.h>

#define R "example.com"
#define SEC G_GINT64_CONSTANT(1000000000)

static gboolean
is_detail(sa_finding_t finding, sa_result_t r)
{
    return sa_finding_is_detail(finding, &r);
}

static const char *
text_of(sa_finding_t finding, sa_result_t r)
{
    return sa_finding_text(finding, &r);
}

/* Every message of frames first..last that is in the flow carries this verdict, first and final frame. */
static void
assert_flow_verdict(sc_t *sc, guint32 first, guint32 last, sa_verdict_t verdict, guint32 first_request,
                    guint32 final)
{
    for (guint32 frame = first; frame <= last; frame++) {
        sa_result_t r = sc_final(sc, frame);
        if (r.role == SA_ROLE_NONE)
            continue;
        g_assert_cmpint(r.verdict, ==, verdict);
        g_assert_cmpuint(r.first_request_frame, ==, first_request);
        g_assert_cmpuint(r.final_frame, ==, final);
    }
}

/* On a challenge: exactly the statement is at full severity, every other finding a detail. */
static void
assert_statement(sa_result_t r, sa_finding_t statement)
{
    g_assert_cmpint(r.role, ==, SA_ROLE_CHALLENGE);
    g_assert_cmpint(r.statement, ==, statement);
    g_assert_true(sc_has(r, statement));
    g_assert_false(is_detail(statement, r));
    for (int f = 0; f < SA_FINDING_COUNT; f++)
        if (sc_has(r, (sa_finding_t)f) && f != (int)statement)
            g_assert_true(is_detail((sa_finding_t)f, r));
}

/* REGISTER -> 401 -> retry -> 200 */
static void
test_accepted(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 req = SEND(sc, .at = 1.0, .method = "REGISTER");
    guint32 c401 = SEND(sc, .at = 1.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    guint32 retry = SEND(sc, .at = 1.3, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "n"));
    guint32 ok = SEND(sc, .at = 1.5, .status = 200, .reason = "OK", .cseq = 2, .cseq_method = "REGISTER");
    assert_flow_verdict(sc, req, ok, SA_VERDICT_ACCEPTED, req, ok);
    sa_result_t r = sc_final(sc, c401);
    assert_statement(r, SA_FINDING_CHALLENGE_ANSWERED);
    g_assert_true(r.has_auth_time);
    g_assert_cmpint(r.auth_time_ns, ==, SEC / 2);
    g_assert_cmpstr(r.result_reason, ==, "OK");
    g_assert_cmpstr(sc_final(sc, retry).result_reason, ==, "OK");
    g_assert_true(sc_final(sc, ok).has_auth_time);
    g_assert_false(sc_has(r, SA_FINDING_SLOW_RETRY));
    /* Single pass: the 2xx decides the flow, the frames before it cannot know. */
    sa_result_t at_ok = sc_so_far(sc, ok);
    g_assert_cmpint(at_ok.verdict, ==, SA_VERDICT_ACCEPTED);
    sc_free(sc);
}

/* A retry challenged again with stale=true, or with a reason phrase about the nonce, then accepted. */
static void
check_refresh(const char *challenge2, const char *reason2, gboolean by_reason)
{
    sc_t *sc = sc_new(NULL);
    guint32 req = SEND(sc, .at = 0, .method = "REGISTER");
    guint32 c1 = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n1"));
    SEND(sc, .at = 0.2, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "n1"));
    guint32 c2 = SEND(sc, .at = 0.3, .status = 401, .reason = reason2, .cseq = 2, .cseq_method = "REGISTER",
                      .www_authenticate = challenge2);
    SEND(sc, .at = 0.4, .method = "REGISTER", .cseq = 3, .authorization = CREDS(R, "n2"));
    guint32 ok = SEND(sc, .at = 0.5, .status = 200, .cseq = 3, .cseq_method = "REGISTER");
    assert_flow_verdict(sc, req, ok, SA_VERDICT_ACCEPTED_AFTER_REFRESH, req, ok);
    sa_result_t first = sc_final(sc, c1);
    g_assert_cmpint(first.again, ==, SA_AGAIN_REFRESH);
    g_assert_cmpstr(first.result_reason, ==, reason2);
    assert_statement(first, SA_FINDING_CHALLENGE_ANSWERED);
    sa_result_t second = sc_final(sc, c2);
    assert_statement(second, SA_FINDING_CHALLENGE_ANSWERED);
    g_assert_true(sc_has(second, SA_FINDING_STALE_NONCE));
    g_assert_false(sc_has(second, SA_FINDING_RETRY_CHALLENGED));
    g_assert_cmpint(second.stale_by_reason, ==, by_reason);
    g_assert_cmpuint(second.refusals, ==, 0);
    sc_free(sc);
}

static void
test_accepted_after_refresh(void)
{
    check_refresh(STALE(R, "n2"), "Unauthorized", FALSE);
    check_refresh(CHALLENGE(R, "n2"), "nonce has changed", TRUE);
    check_refresh(CHALLENGE(R, "n2"), "Stale Nonce", TRUE);
}

/* One refused retry, then the right password. */
static void
test_accepted_after_refusal(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 req = SEND(sc, .at = 0, .method = "REGISTER");
    guint32 c1 = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n1"));
    SEND(sc, .at = 0.2, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "n1"));
    guint32 c2 = SEND(sc, .at = 0.3, .status = 401, .reason = "Unauthorized", .cseq = 2, .cseq_method = "REGISTER",
                      .www_authenticate = CHALLENGE(R, "n2"));
    SEND(sc, .at = 4.4, .method = "REGISTER", .cseq = 3, .authorization = CREDS(R, "n2"));
    guint32 ok = SEND(sc, .at = 4.5, .status = 200, .cseq = 3, .cseq_method = "REGISTER");
    assert_flow_verdict(sc, req, ok, SA_VERDICT_ACCEPTED_AFTER_REFUSAL, req, ok);
    sa_result_t first = sc_final(sc, c1);
    g_assert_cmpint(first.again, ==, SA_AGAIN_REFUSAL);
    g_assert_cmpuint(first.refusals, ==, 1);
    sa_result_t second = sc_final(sc, c2);
    assert_statement(second, SA_FINDING_CHALLENGE_ANSWERED);
    /* The refusal is a detail under the verdict, never stated as the answer. */
    g_assert_true(sc_has(second, SA_FINDING_RETRY_CHALLENGED));
    g_assert_true(is_detail(SA_FINDING_RETRY_CHALLENGED, second));
    g_assert_cmpint(second.auth_time_ns, ==, 45 * SEC / 10);
    sc_free(sc);
}

/* Refused twice (below the loop threshold of 3), then: silence past the timeout, a new REGISTER without
 * credentials, or the end of the capture. */
static void
check_refused(int ending)
{
    sc_t *sc = sc_new(NULL);
    guint32 req = SEND(sc, .at = 0, .method = "REGISTER");
    guint32 c1 = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n1"));
    SEND(sc, .at = 0.2, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "n1"));
    guint32 c2 = SEND(sc, .at = 0.3, .status = 401, .cseq = 2, .cseq_method = "REGISTER",
                      .www_authenticate = CHALLENGE(R, "n2"));
    if (ending == 0)
        SEND(sc, .at = 60, .method = "OPTIONS", .call_id = "other");
    else if (ending == 1)
        SEND(sc, .at = 5, .method = "REGISTER", .cseq = 3);
    sa_result_t r = sc_final(sc, c2);
    g_assert_cmpint(r.verdict, ==, SA_VERDICT_REFUSED);
    assert_statement(r, SA_FINDING_RETRY_CHALLENGED);
    g_assert_true(sc_has(r, SA_FINDING_MISSING_RETRY));
    g_assert_true(is_detail(SA_FINDING_MISSING_RETRY, r));
    g_assert_cmpint(r.end, ==, ending == 0 ? SA_END_GAVE_UP : ending == 1 ? SA_END_STARTED_OVER : SA_END_CAPTURE_ENDED);
    g_assert_cmpuint(r.refusals, ==, 1);
    assert_flow_verdict(sc, req, c2, SA_VERDICT_REFUSED, req, c2);
    /* The first challenge states the flow's verdict too. */
    assert_statement(sc_final(sc, c1), SA_FINDING_RETRY_CHALLENGED);
    g_assert_false(sc_final(sc, req).has_auth_time);
    /* Never "check the next request" where none came. */
    g_assert_null(strstr(text_of(SA_FINDING_RETRY_CHALLENGED, r), "next"));
    sc_free(sc);
}

static void
test_refused(void)
{
    for (int ending = 0; ending < 3; ending++)
        check_refused(ending);
}

/* Four challenges without stale=true: a loop, whether it ends in silence or a 403; a 2xx at last makes it
 * "accepted after refusal". */
static void
check_loop(guint final_status)
{
    sc_t *sc = sc_new(NULL);
    guint32 req = SEND(sc, .at = 0, .method = "INVITE");
    guint32 last = 0;
    guint32 challenges[4];
    for (guint i = 0; i < 4; i++) {
        char *challenge = g_strdup_printf("Digest realm=\"" R "\", nonce=\"n%u\"", i);
        char *creds = g_strdup_printf("Digest username=\"a\", realm=\"" R "\", nonce=\"n%u\", response=\"x\"", i);
        challenges[i] = SEND(sc, .at = i + 0.1, .status = 407, .cseq = i + 1, .proxy_authenticate = challenge);
        SEND(sc, .at = i + 0.2, .method = "ACK", .cseq = i + 1, .cseq_method = "ACK");
        if (i < 3 || final_status)
            SEND(sc, .at = i + 0.5, .method = "INVITE", .cseq = i + 2, .proxy_authorization = creds);
        g_free(challenge);
        g_free(creds);
    }
    last = challenges[3];
    if (final_status)
        last = SEND(sc, .at = 4, .status = final_status, .reason = "Final", .cseq = 5);
    sa_verdict_t want = final_status == 200 ? SA_VERDICT_ACCEPTED_AFTER_REFUSAL : SA_VERDICT_CHALLENGE_LOOP;
    assert_flow_verdict(sc, req, last, want, req, last);
    for (guint i = 0; i < 4; i++)
        assert_statement(sc_final(sc, challenges[i]),
                         want == SA_VERDICT_CHALLENGE_LOOP ? SA_FINDING_CHALLENGE_LOOP : SA_FINDING_CHALLENGE_ANSWERED);
    if (final_status == 403) {
        /* The result keeps its own finding at its own severity. */
        sa_result_t result = sc_final(sc, last);
        g_assert_true(sc_has(result, SA_FINDING_RETRY_FAILED));
        g_assert_false(is_detail(SA_FINDING_RETRY_FAILED, result));
        /* Single pass: the 403 decides the flow as it arrives. */
        g_assert_cmpint(sc_so_far(sc, last).verdict, ==, SA_VERDICT_CHALLENGE_LOOP);
    }
    sc_free(sc);
}

static void
test_challenge_loop(void)
{
    check_loop(0);
    check_loop(403);
    check_loop(200);
}

/* No retry: the UA gave up, started over, the capture ended, or the challenge had nothing to answer. */
static void
test_no_retry(void)
{
    for (int ending = 0; ending < 4; ending++) {
        sc_t *sc = sc_new(NULL);
        SEND(sc, .at = 0, .method = "INVITE");
        guint32 c407 = ending == 3 ? SEND(sc, .at = 0.1, .status = 407)
                                   : SEND(sc, .at = 0.1, .status = 407, .proxy_authenticate = CHALLENGE(R, "n"));
        if (ending == 0 || ending == 3)
            SEND(sc, .at = 40, .method = "OPTIONS", .call_id = "other");
        else if (ending == 1)
            SEND(sc, .at = 3, .method = "INVITE", .cseq = 2);
        sa_result_t r = sc_final(sc, c407);
        g_assert_cmpint(r.verdict, ==, SA_VERDICT_NO_RETRY);
        assert_statement(r, SA_FINDING_MISSING_RETRY);
        g_assert_cmpuint(r.final_frame, ==, c407);
        g_assert_cmpint(r.end, ==, ending == 1 ? SA_END_STARTED_OVER : ending == 2 ? SA_END_CAPTURE_ENDED : SA_END_GAVE_UP);
        g_assert_cmpint(r.no_challenge_header, ==, ending == 3);
        if (ending == 3)
            g_assert_true(is_detail(SA_FINDING_MISSING_CHALLENGE_HEADER, r));
        /* An INVITE challenge never ACKed: a detail under the verdict. */
        g_assert_true(sc_has(r, SA_FINDING_NO_ACK));
        g_assert_true(is_detail(SA_FINDING_NO_ACK, r));
        g_assert_cmpint(sc_so_far(sc, c407).verdict, ==, ending == 1 ? SA_VERDICT_UNKNOWN : SA_VERDICT_UNKNOWN);
        sc_free(sc);
    }
}

/* A retry refused by status code: the explanation follows the code. */
static void
test_rejected(void)
{
    static const struct { guint code; sa_failure_t failure; } cases[] = {
        { 403, SA_FAILURE_FORBIDDEN }, { 404, SA_FAILURE_ROUTING }, { 480, SA_FAILURE_ROUTING },
        { 486, SA_FAILURE_NOT_AUTH }, { 488, SA_FAILURE_NOT_AUTH }, { 489, SA_FAILURE_NOT_AUTH },
        { 423, SA_FAILURE_INTERVAL }, { 494, SA_FAILURE_SECURITY }, { 408, SA_FAILURE_TIMEOUT },
        { 503, SA_FAILURE_SERVER }, { 499, SA_FAILURE_OTHER },
    };
    const char *seen[G_N_ELEMENTS(cases)];
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_cmpint(sa_failure_of(cases[i].code), ==, cases[i].failure);
        sc_t *sc = sc_new(NULL);
        guint32 req = SEND(sc, .at = 0, .method = "MESSAGE");
        guint32 c = SEND(sc, .at = 0.1, .status = 407, .cseq_method = "MESSAGE", .proxy_authenticate = CHALLENGE(R, "n"));
        SEND(sc, .at = 0.2, .method = "MESSAGE", .cseq = 2, .proxy_authorization = CREDS(R, "n"));
        guint32 fail = SEND(sc, .at = 0.3, .status = cases[i].code, .reason = "Some Reason", .cseq = 2,
                            .cseq_method = "MESSAGE");
        assert_flow_verdict(sc, req, fail, SA_VERDICT_REJECTED, req, fail);
        sa_result_t r = sc_final(sc, c);
        assert_statement(r, SA_FINDING_RETRY_FAILED);
        g_assert_cmpuint(r.failure_code, ==, cases[i].code);
        g_assert_cmpstr(r.result_reason, ==, "Some Reason");
        /* The challenge states what the result frame says. */
        g_assert_cmpstr(text_of(SA_FINDING_RETRY_FAILED, r), ==,
                        text_of(SA_FINDING_RETRY_FAILED, sc_final(sc, fail)));
        seen[i] = text_of(SA_FINDING_RETRY_FAILED, r);
        g_assert_cmpint(sc_so_far(sc, fail).verdict, ==, SA_VERDICT_REJECTED);
        sc_free(sc);
    }
    /* 403 is never said for a 404 or a 486. */
    g_assert_nonnull(strstr(seen[0], "403"));
    g_assert_null(strstr(seen[1], "403"));
    g_assert_null(strstr(seen[3], "403"));
    g_assert_true(seen[1] == seen[2]);
}

static void
test_retry_unanswered(void)
{
    for (int ended = 0; ended < 2; ended++) {
        sc_t *sc = sc_new(NULL);
        guint32 req = SEND(sc, .at = 0, .method = "REGISTER");
        guint32 c = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
        guint32 retry = SEND(sc, .at = 0.2, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "n"));
        if (!ended)
            SEND(sc, .at = 50, .method = "OPTIONS", .call_id = "other");
        assert_flow_verdict(sc, req, retry, SA_VERDICT_RETRY_UNANSWERED, req, c);
        sa_result_t r = sc_final(sc, c);
        assert_statement(r, SA_FINDING_RETRY_UNANSWERED);
        g_assert_cmpint(r.end, ==, ended ? SA_END_CAPTURE_ENDED : SA_END_GAVE_UP);
        g_assert_true(sc_has(sc_final(sc, retry), SA_FINDING_RETRY_UNANSWERED));
        sc_free(sc);
    }
}

/* The capture starts after the request: the flow still gets a verdict, with no first request or time. */
static void
test_request_before_capture(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 c = SEND(sc, .at = 0.1, .status = 407, .proxy_authenticate = CHALLENGE(R, "n"));
    SEND(sc, .at = 0.2, .method = "INVITE", .cseq = 2, .proxy_authorization = CREDS(R, "n"));
    guint32 ok = SEND(sc, .at = 0.3, .status = 200, .cseq = 2);
    sa_result_t r = sc_final(sc, c);
    g_assert_cmpint(r.verdict, ==, SA_VERDICT_ACCEPTED);
    g_assert_cmpuint(r.first_request_frame, ==, 0);
    g_assert_cmpuint(r.final_frame, ==, ok);
    g_assert_false(r.has_auth_time);
    sc_free(sc);
}

/* Single pass: undecided flows are unknown; the gravest finding so far states what is known. */
static void
test_single_pass(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER");
    guint32 c1 = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n1"));
    SEND(sc, .at = 0.2, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "n1"));
    guint32 c2 = SEND(sc, .at = 0.3, .status = 401, .cseq = 2, .cseq_method = "REGISTER",
                      .www_authenticate = CHALLENGE(R, "n2"));
    sa_result_t first = sc_so_far(sc, c1);
    g_assert_cmpint(first.verdict, ==, SA_VERDICT_UNKNOWN);
    g_assert_cmpint(first.statement, ==, SA_FINDING_COUNT);
    g_assert_cmpuint(first.final_frame, ==, 0);
    sa_result_t second = sc_so_far(sc, c2);
    g_assert_cmpint(second.statement, ==, SA_FINDING_RETRY_CHALLENGED);
    g_assert_false(sc_has(second, SA_FINDING_MISSING_RETRY));
    sc_free(sc);
}

/* A late retry; the UA's DNS queries in between (the UA: its Via address), and which of them were answered;
 * another host's are not counted. Fed directly: the scenarios send no DNS. */
static void
test_slow_retry_dns(void)
{
    static const guint8 ua[4] = { 192, 168, 1, 2 };
    static const guint8 other[4] = { 192, 168, 1, 3 };
    sa_tracker_t *tracker = sa_tracker_new(NULL);
    const char *via[] = { "SIP/2.0/UDP 192.168.1.2:5060;branch=z9hG4bK-1" };
    const char *via2[] = { "SIP/2.0/UDP 192.168.1.2:5060;branch=z9hG4bK-2" };
    const char *chal[] = { CHALLENGE(R, "n") };
    const char *creds[] = { CREDS(R, "n") };
    sa_event_t event = { .frame = 1, .time_ns = 0, .method = "REGISTER", .call_id = "c", .cseq = "1 REGISTER",
                         .from = "<sip:a@example.com>;tag=1", .via = { via, 1 } };
    sa_tracker_feed(tracker, &event);
    sa_event_t challenge = event;
    challenge.frame = 2, challenge.time_ns = SEC / 10, challenge.method = NULL, challenge.status = 401;
    challenge.www_authenticate = (sa_header_list_t){ chal, 1 };
    sa_msg_id_t challenge_id = sa_tracker_feed(tracker, &challenge);
    /* frames 3-5: one query sent three times, never answered; 6-7 a query answered; 8 another host's */
    for (guint32 f = 3; f <= 8; f++) {
        gboolean answer = f == 7;
        sa_dns_event_t dns = { f, (gint64)f * SEC, { f == 8 ? other : ua, 4 }, f <= 5 ? 0x38d3 : 0xaad3, answer };
        sa_tracker_feed_dns(tracker, &dns);
    }
    sa_event_t retry = event;
    retry.frame = 9, retry.time_ns = 17 * SEC, retry.cseq = "2 REGISTER", retry.via = (sa_header_list_t){ via2, 1 };
    retry.authorization = (sa_header_list_t){ creds, 1 };
    sa_msg_id_t retry_id = sa_tracker_feed(tracker, &retry);
    sa_result_t r;
    g_assert_true(sa_tracker_result(tracker, challenge_id, SA_VIEW_FINAL, &r));
    g_assert_true(r.findings & SA_FINDING_BIT(SA_FINDING_SLOW_RETRY));
    g_assert_cmpuint(r.dns_queries, ==, 4);
    g_assert_cmpuint(r.dns_unanswered, ==, 3);
    g_assert_cmpuint(r.dns_frame, ==, 3);
    g_assert_nonnull(strstr(text_of(SA_FINDING_SLOW_RETRY, r), "some of"));
    g_assert_true(is_detail(SA_FINDING_SLOW_RETRY, r));
    g_assert_true(sa_tracker_result(tracker, retry_id, SA_VIEW_FINAL, &r));
    g_assert_true(r.findings & SA_FINDING_BIT(SA_FINDING_SLOW_RETRY));
    sa_tracker_free(tracker);

    /* Below the preference, or with it off: no slow retry. */
    for (guint slow = 0; slow < 2; slow++) {
        sa_config_t config;
        sa_config_init_defaults(&config);
        config.slow_retry_s = slow ? 20 : 0;
        tracker = sa_tracker_new(&config);
        sa_tracker_feed(tracker, &event);
        challenge_id = sa_tracker_feed(tracker, &challenge);
        sa_tracker_feed(tracker, &retry);
        g_assert_true(sa_tracker_result(tracker, challenge_id, SA_VIEW_FINAL, &r));
        g_assert_false(r.findings & SA_FINDING_BIT(SA_FINDING_SLOW_RETRY));
        sa_tracker_free(tracker);
    }
}

/* Texts are fixed per finding and case: the same text for alike cases of different frames and flows, and
 * no frame numbers in them. */
static void
test_texts_are_fixed(void)
{
    sa_result_t a = { 0 }, b = { 0 };
    a.role = b.role = SA_ROLE_CHALLENGE;
    a.challenge_code = b.challenge_code = 407;
    a.flow = 1, b.flow = 99;
    a.request_frame = 10, b.request_frame = 12345;
    a.statement = b.statement = SA_FINDING_COUNT;
    for (int f = 0; f < SA_FINDING_COUNT; f++) {
        const char *text = sa_finding_text((sa_finding_t)f, &a);
        g_assert_nonnull(text);
        g_assert_true(text == sa_finding_text((sa_finding_t)f, &b));
        g_assert_null(strstr(text, "12345"));
        g_assert_null(strstr(text, "frame"));
    }
    for (int v = SA_VERDICT_ACCEPTED; v <= SA_VERDICT_UNKNOWN; v++) {
        a.verdict = b.verdict = (sa_verdict_t)v;
        g_assert_cmpstr(sa_verdict_name(a.verdict), !=, "none");
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/verdict/accepted", test_accepted);
    g_test_add_func("/verdict/accepted_after_refresh", test_accepted_after_refresh);
    g_test_add_func("/verdict/accepted_after_refusal", test_accepted_after_refusal);
    g_test_add_func("/verdict/refused", test_refused);
    g_test_add_func("/verdict/challenge_loop", test_challenge_loop);
    g_test_add_func("/verdict/no_retry", test_no_retry);
    g_test_add_func("/verdict/rejected", test_rejected);
    g_test_add_func("/verdict/retry_unanswered", test_retry_unanswered);
    g_test_add_func("/verdict/request_before_capture", test_request_before_capture);
    g_test_add_func("/verdict/single_pass", test_single_pass);
    g_test_add_func("/verdict/slow_retry_dns", test_slow_retry_dns);
    g_test_add_func("/verdict/texts_are_fixed", test_texts_are_fixed);
    return g_test_run();
}
