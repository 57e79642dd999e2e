/* Unit tests of the tracker: one call flow per test, checked frame by frame. */
#include "replay.h"

#define R "example.com"

/* INVITE -> 407 -> ACK -> INVITE with Proxy-Authorization -> 200 */
static void
test_invite_407_accepted(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 invite = SEND(sc, .at = 0.0, .method = "INVITE");
    guint32 trying = SEND(sc, .at = 0.01, .status = 100);
    guint32 c407 = SEND(sc, .at = 0.02, .status = 407, .proxy_authenticate = CHALLENGE(R, "n1"));
    guint32 ack = SEND(sc, .at = 0.03, .method = "ACK", .cseq_method = "ACK");
    guint32 retry = SEND(sc, .at = 0.25, .method = "INVITE", .cseq = 2, .proxy_authorization = CREDS(R, "n1"));
    guint32 ok = SEND(sc, .at = 0.5, .status = 200, .cseq = 2);

    sa_result_t r = sc_final(sc, c407);
    g_assert_cmpint(r.role, ==, SA_ROLE_CHALLENGE);
    g_assert_cmpuint(r.flow, ==, 1);
    g_assert_cmpuint(r.attempt, ==, 1);
    g_assert_cmpuint(r.challenge_code, ==, 407);
    g_assert_cmpuint(r.request_frame, ==, invite);
    g_assert_cmpuint(r.ack_frame, ==, ack);
    g_assert_cmpuint(r.retry_frame, ==, retry);
    g_assert_cmpuint(r.result_frame, ==, ok);
    g_assert_cmpuint(r.result_code, ==, 200);
    g_assert_cmpint(r.time_to_retry_ns, ==, 230000000);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_ACCEPTED);
    g_assert_cmpuint(r.findings, ==, SA_FINDING_BIT(SA_FINDING_CHALLENGE_ANSWERED));

    r = sc_final(sc, invite);
    g_assert_cmpint(r.role, ==, SA_ROLE_REQUEST);
    g_assert_cmpuint(r.challenge_frame, ==, c407);
    g_assert_cmpuint(r.retry_frame, ==, retry);

    g_assert_cmpint(sc_final(sc, trying).role, ==, SA_ROLE_NONE);

    r = sc_final(sc, ack);
    g_assert_cmpint(r.role, ==, SA_ROLE_ACK);
    g_assert_cmpuint(r.request_frame, ==, invite);
    g_assert_cmpuint(r.challenge_frame, ==, c407);

    r = sc_final(sc, retry);
    g_assert_cmpint(r.role, ==, SA_ROLE_RETRY);
    g_assert_cmpuint(r.flow, ==, 1);
    g_assert_cmpuint(r.attempt, ==, 1);
    g_assert_cmpuint(r.request_frame, ==, invite);
    g_assert_cmpuint(r.challenge_frame, ==, c407);
    g_assert_cmpuint(r.result_frame, ==, ok);
    g_assert_cmpuint(r.result_code, ==, 200);
    g_assert_cmpuint(r.findings, ==, 0);
    g_assert_false(r.heuristic);

    r = sc_final(sc, ok);
    g_assert_cmpint(r.role, ==, SA_ROLE_RESULT);
    g_assert_cmpuint(r.request_frame, ==, retry);
    g_assert_cmpuint(r.challenge_frame, ==, c407);
    g_assert_cmpuint(r.findings, ==, 0);
    g_assert_cmpuint(sa_tracker_flow_count(sc->tracker), ==, 1);
    sc_free(sc);
}

static void
test_register_401_accepted(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER");
    guint32 c401 = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    /* Many UAs change the From tag between the REGISTER and its retry. */
    guint32 retry = SEND(sc, .at = 0.2, .method = "REGISTER", .cseq = 2, .from = "<sip:alice@example.com>;tag=other",
                         .authorization = CREDS(R, "n"));
    SEND(sc, .at = 0.3, .status = 200, .cseq = 2, .cseq_method = "REGISTER");
    sa_result_t r = sc_final(sc, c401);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_ACCEPTED);
    g_assert_cmpuint(r.retry_frame, ==, retry);
    g_assert_cmpuint(r.ack_frame, ==, 0);
    g_assert_false(sc_has(r, SA_FINDING_NO_ACK));
    g_assert_cmpuint(sc_final(sc, retry).findings, ==, 0);
    sc_free(sc);
}

static void
test_no_retry_single_pass_and_final(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "INVITE");
    guint32 c407 = SEND(sc, .at = 0.1, .status = 407, .proxy_authenticate = CHALLENGE(R, "n"));
    sa_result_t r = sc_so_far(sc, c407);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_UNKNOWN);
    g_assert_false(sc_has(r, SA_FINDING_MISSING_RETRY));
    g_assert_false(sc_has(r, SA_FINDING_NO_ACK));
    r = sc_final(sc, c407);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_NO_RETRY);
    g_assert_true(sc_has(r, SA_FINDING_MISSING_RETRY));
    g_assert_true(sc_has(r, SA_FINDING_NO_ACK));
    g_assert_false(sc_has(r, SA_FINDING_CHALLENGE_ANSWERED));
    sc_free(sc);
}

/* The UA gave up and started over: a new REGISTER without credentials ends the first challenge. */
static void
test_new_request_without_credentials_abandons(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER");
    guint32 first = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n1"));
    guint32 again = SEND(sc, .at = 1, .method = "REGISTER", .cseq = 2);
    sa_result_t r = sc_so_far(sc, first);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_NO_RETRY);
    g_assert_true(sc_has(r, SA_FINDING_MISSING_RETRY));
    guint32 second = SEND(sc, .at = 1.1, .status = 401, .cseq = 2, .cseq_method = "REGISTER",
                          .www_authenticate = CHALLENGE(R, "n2"));
    guint32 retry = SEND(sc, .at = 1.2, .method = "REGISTER", .cseq = 3, .authorization = CREDS(R, "n2"));
    SEND(sc, .at = 1.3, .status = 200, .cseq = 3, .cseq_method = "REGISTER");
    r = sc_final(sc, second);
    g_assert_cmpuint(r.flow, ==, 2);
    g_assert_cmpuint(r.attempt, ==, 1);
    g_assert_cmpuint(r.request_frame, ==, again);
    g_assert_cmpuint(r.retry_frame, ==, retry);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_ACCEPTED);
    g_assert_cmpint(sc_final(sc, first).outcome, ==, SA_OUTCOME_NO_RETRY);
    sc_free(sc);
}

/* Wrong password: every retry is challenged again until the loop threshold. */
static void
test_challenge_loop(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 challenges[4];
    guint32 retries[4];
    SEND(sc, .at = 0, .method = "INVITE");
    for (guint i = 0; i < 4; i++) {
        char *nonce = g_strdup_printf("n%u", i);
        char *challenge = g_strdup_printf("Digest realm=\"" R "\", nonce=\"%s\"", nonce);
        char *creds = g_strdup_printf("Digest username=\"a\", realm=\"" R "\", nonce=\"%s\", response=\"bad\"", nonce);
        challenges[i] = SEND(sc, .at = i + 0.1, .status = 407, .cseq = i + 1, .proxy_authenticate = challenge);
        SEND(sc, .at = i + 0.2, .method = "ACK", .cseq = i + 1, .cseq_method = "ACK");
        retries[i] = i < 3 ? SEND(sc, .at = i + 0.5, .method = "INVITE", .cseq = i + 2, .proxy_authorization = creds) : 0;
        g_free(nonce);
        g_free(challenge);
        g_free(creds);
    }
    for (guint i = 0; i < 4; i++) {
        sa_result_t r = sc_final(sc, challenges[i]);
        g_assert_cmpuint(r.flow, ==, 1);
        g_assert_cmpuint(r.attempt, ==, i + 1);
        g_assert_cmpint(sc_has(r, SA_FINDING_RETRY_CHALLENGED), ==, i > 0);
        /* The loop is the flow's verdict: stated on every challenge of it once the capture is read, on
         * the challenges from the threshold on while it is being read. */
        g_assert_true(sc_has(r, SA_FINDING_CHALLENGE_LOOP));
        g_assert_cmpint(r.verdict, ==, SA_VERDICT_CHALLENGE_LOOP);
        g_assert_cmpint(r.statement, ==, SA_FINDING_CHALLENGE_LOOP);
        g_assert_cmpuint(r.refusals, ==, 3);
        sa_result_t so_far = sc_so_far(sc, challenges[i]);
        g_assert_cmpint(sc_has(so_far, SA_FINDING_CHALLENGE_LOOP), ==, i >= 2);
        g_assert_cmpint(so_far.verdict, ==, SA_VERDICT_UNKNOWN);
        g_assert_cmpint(r.outcome, ==, i < 3 ? SA_OUTCOME_CHALLENGED_AGAIN : SA_OUTCOME_NO_RETRY);
        if (i > 0)
            g_assert_cmpuint(r.request_frame, ==, retries[i - 1]);
        if (i < 3) {
            g_assert_cmpuint(r.result_frame, ==, challenges[i + 1]);
            g_assert_cmpuint(r.result_code, ==, 407);
            sa_result_t retry = sc_final(sc, retries[i]);
            g_assert_cmpint(retry.role, ==, SA_ROLE_RETRY);
            g_assert_cmpuint(retry.attempt, ==, i + 1);
            g_assert_cmpuint(retry.result_frame, ==, challenges[i + 1]);
        }
    }
    g_assert_cmpuint(sa_tracker_flow_count(sc->tracker), ==, 1);
    sc_free(sc);
}

static void
test_loop_threshold_preference(void)
{
    sa_config_t config;
    sa_config_init_defaults(&config);
    config.loop_threshold = 2;
    sc_t *sc = sc_new(&config);
    SEND(sc, .at = 0, .method = "MESSAGE");
    SEND(sc, .at = 0.1, .status = 407, .proxy_authenticate = CHALLENGE(R, "a"), .cseq_method = "MESSAGE");
    SEND(sc, .at = 0.2, .method = "MESSAGE", .cseq = 2, .proxy_authorization = CREDS(R, "a"));
    guint32 second = SEND(sc, .at = 0.3, .status = 407, .cseq = 2, .cseq_method = "MESSAGE",
                          .proxy_authenticate = CHALLENGE(R, "b"));
    g_assert_true(sc_has(sc_final(sc, second), SA_FINDING_CHALLENGE_LOOP));
    sc_free(sc);
}

/* A stale nonce is a normal refresh: noted, never a loop. */
static void
test_stale_nonce(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER");
    SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "old"));
    SEND(sc, .at = 0.2, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "old"));
    guint32 stale = SEND(sc, .at = 0.3, .status = 401, .cseq = 2, .cseq_method = "REGISTER",
                         .www_authenticate = STALE(R, "new"));
    SEND(sc, .at = 0.4, .method = "REGISTER", .cseq = 3, .authorization = CREDS(R, "new"));
    SEND(sc, .at = 0.5, .status = 401, .cseq = 3, .cseq_method = "REGISTER", .www_authenticate = STALE(R, "newer"));
    guint32 retry = SEND(sc, .at = 0.6, .method = "REGISTER", .cseq = 4, .authorization = CREDS(R, "newer"));
    SEND(sc, .at = 0.7, .status = 200, .cseq = 4, .cseq_method = "REGISTER");
    sa_result_t r = sc_final(sc, stale);
    g_assert_true(r.stale);
    g_assert_true(sc_has(r, SA_FINDING_STALE_NONCE));
    g_assert_false(sc_has(r, SA_FINDING_RETRY_CHALLENGED));
    g_assert_false(sc_has(r, SA_FINDING_CHALLENGE_LOOP));
    g_assert_cmpuint(r.attempt, ==, 2);
    g_assert_cmpint(sc_final(sc, stale + 2).outcome, ==, SA_OUTCOME_ACCEPTED);
    g_assert_cmpuint(sc_final(sc, retry).attempt, ==, 3);
    sc_free(sc);
}

/* A re-REGISTER with an old nonce answered stale=true is a refresh, not refused credentials. */
static void
test_stale_on_reregistration(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER", .cseq = 7, .authorization = CREDS(R, "expired"));
    guint32 c = SEND(sc, .at = 0.1, .status = 401, .cseq = 7, .cseq_method = "REGISTER", .www_authenticate = STALE(R, "n"));
    sa_result_t r = sc_final(sc, c);
    g_assert_cmpuint(r.attempt, ==, 1);
    g_assert_true(sc_has(r, SA_FINDING_STALE_NONCE));
    sc_free(sc);
}

static void
test_retry_rejected(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "INVITE");
    guint32 c = SEND(sc, .at = 0.1, .status = 407, .proxy_authenticate = CHALLENGE(R, "n"));
    SEND(sc, .at = 0.1, .method = "ACK", .cseq_method = "ACK");
    guint32 retry = SEND(sc, .at = 0.2, .method = "INVITE", .cseq = 2, .proxy_authorization = CREDS(R, "n"));
    guint32 forbidden = SEND(sc, .at = 0.3, .status = 403, .cseq = 2);
    sa_result_t r = sc_final(sc, c);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_REJECTED);
    g_assert_cmpuint(r.result_code, ==, 403);
    g_assert_false(sc_has(r, SA_FINDING_CHALLENGE_ANSWERED));
    r = sc_final(sc, forbidden);
    g_assert_cmpint(r.role, ==, SA_ROLE_RESULT);
    g_assert_true(sc_has(r, SA_FINDING_RETRY_FAILED));
    g_assert_cmpuint(r.request_frame, ==, retry);
    sc_free(sc);
}

static void
test_retry_unanswered(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER");
    guint32 c = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    guint32 retry = SEND(sc, .at = 0.2, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "n"));
    g_assert_cmpint(sc_so_far(sc, c).outcome, ==, SA_OUTCOME_UNKNOWN);
    g_assert_false(sc_has(sc_so_far(sc, retry), SA_FINDING_RETRY_UNANSWERED));
    g_assert_cmpint(sc_final(sc, c).outcome, ==, SA_OUTCOME_RETRY_UNANSWERED);
    g_assert_true(sc_has(sc_final(sc, retry), SA_FINDING_RETRY_UNANSWERED));
    sc_free(sc);
}

static void
test_retransmissions(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 invite = SEND(sc, .at = 0, .method = "INVITE");
    guint32 invite_again = SEND(sc, .at = 0.5, .method = "INVITE");
    guint32 c = SEND(sc, .at = 0.6, .status = 407, .proxy_authenticate = CHALLENGE(R, "n"));
    guint32 c_again = SEND(sc, .at = 1.1, .status = 407, .proxy_authenticate = CHALLENGE(R, "n"));
    guint32 ack = SEND(sc, .at = 1.2, .method = "ACK", .cseq_method = "ACK");
    guint32 ack_again = SEND(sc, .at = 1.3, .method = "ACK", .cseq_method = "ACK");
    guint32 retry = SEND(sc, .at = 1.4, .method = "INVITE", .cseq = 2, .proxy_authorization = CREDS(R, "n"));
    guint32 retry_again = SEND(sc, .at = 1.9, .method = "INVITE", .cseq = 2, .proxy_authorization = CREDS(R, "n"));
    guint32 ok = SEND(sc, .at = 2.0, .status = 200, .cseq = 2);

    sa_result_t r = sc_final(sc, invite_again);
    g_assert_cmpint(r.role, ==, SA_ROLE_REQUEST_RETRANSMISSION);
    g_assert_cmpuint(r.request_frame, ==, invite);
    g_assert_cmpuint(r.challenge_frame, ==, c);
    r = sc_final(sc, c_again);
    g_assert_cmpint(r.role, ==, SA_ROLE_CHALLENGE_RETRANSMISSION);
    g_assert_cmpuint(r.challenge_frame, ==, c);
    g_assert_cmpuint(r.request_frame, ==, invite);
    g_assert_true(sc_has(r, SA_FINDING_CHALLENGE_RETRANSMITTED));
    g_assert_cmpuint(sc_final(sc, ack_again).challenge_frame, ==, c);
    r = sc_final(sc, c);
    g_assert_cmpuint(r.ack_frame, ==, ack);
    g_assert_cmpuint(r.retry_frame, ==, retry);
    g_assert_cmpuint(r.result_frame, ==, ok);
    r = sc_final(sc, retry_again);
    g_assert_cmpint(r.role, ==, SA_ROLE_REQUEST_RETRANSMISSION);
    g_assert_cmpuint(r.request_frame, ==, retry);
    g_assert_cmpuint(r.challenge_frame, ==, c);
    g_assert_cmpuint(sa_tracker_flow_count(sc->tracker), ==, 1);
    sc_free(sc);
}

/* The same message seen at two capture points is no retransmission worth a note. */
static void
test_duplicate_capture_points(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER");
    guint32 dup = SEND(sc, .at = 0.0002, .method = "REGISTER");
    SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    guint32 c_dup = SEND(sc, .at = 0.1002, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    g_assert_cmpint(sc_final(sc, dup).role, ==, SA_ROLE_REQUEST_RETRANSMISSION);
    sa_result_t r = sc_final(sc, c_dup);
    g_assert_cmpint(r.role, ==, SA_ROLE_CHALLENGE_RETRANSMISSION);
    g_assert_cmpuint(r.findings, ==, 0);
    g_assert_cmpuint(sa_tracker_flow_count(sc->tracker), ==, 1);
    sc_free(sc);
}

static void
test_missing_challenge_header(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "INVITE");
    guint32 c = SEND(sc, .at = 0.1, .status = 407, .www_authenticate = CHALLENGE(R, "wrong-header-kind"));
    g_assert_true(sc_has(sc_final(sc, c), SA_FINDING_MISSING_CHALLENGE_HEADER));
    guint32 c401 = SEND(sc, .at = 1, .status = 401, .call_id = "other", .cseq_method = "REGISTER");
    g_assert_true(sc_has(sc_final(sc, c401), SA_FINDING_MISSING_CHALLENGE_HEADER));
    sc_free(sc);
}

static void
test_wrong_header(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "INVITE");
    SEND(sc, .at = 0.1, .status = 407, .proxy_authenticate = CHALLENGE(R, "n"));
    guint32 retry = SEND(sc, .at = 0.2, .method = "INVITE", .cseq = 2, .authorization = CREDS(R, "n"));
    sa_result_t r = sc_final(sc, retry);
    g_assert_cmpint(r.role, ==, SA_ROLE_RETRY);
    g_assert_cmpuint(r.findings, ==, SA_FINDING_BIT(SA_FINDING_WRONG_HEADER) | SA_FINDING_BIT(SA_FINDING_RETRY_UNANSWERED));

    SEND(sc, .at = 1, .method = "REGISTER", .call_id = "reg");
    SEND(sc, .at = 1.1, .status = 401, .call_id = "reg", .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "m"));
    retry = SEND(sc, .at = 1.2, .method = "REGISTER", .call_id = "reg", .cseq = 2, .proxy_authorization = CREDS(R, "m"));
    g_assert_true(sc_has(sc_final(sc, retry), SA_FINDING_WRONG_HEADER));
    g_assert_false(sc_has(sc_final(sc, retry), SA_FINDING_NONCE_MISMATCH));
    sc_free(sc);
}

/* svcrack-style retries keep CSeq 2 on a new branch: still linked, and flagged. */
static void
test_cseq_not_incremented(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER", .cseq = 2);
    guint32 c = SEND(sc, .at = 0.1, .status = 401, .cseq = 2, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    guint32 retry = SEND(sc, .at = 0.2, .method = "REGISTER", .cseq = 2, .branch = "z9hG4bK-new",
                         .authorization = CREDS(R, "n"));
    SEND(sc, .at = 0.3, .status = 200, .cseq = 2, .branch = "z9hG4bK-new", .cseq_method = "REGISTER");
    sa_result_t r = sc_final(sc, retry);
    g_assert_cmpint(r.role, ==, SA_ROLE_RETRY);
    g_assert_cmpuint(r.findings, ==, SA_FINDING_BIT(SA_FINDING_CSEQ_NOT_INCREMENTED));
    g_assert_cmpint(sc_final(sc, c).outcome, ==, SA_OUTCOME_ACCEPTED);
    sc_free(sc);
}

static void
test_nonce_and_realm_mismatch(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "INVITE");
    SEND(sc, .at = 0.1, .status = 407, .proxy_authenticate = CHALLENGE("a.example", "n1"));
    guint32 retry = SEND(sc, .at = 0.2, .method = "INVITE", .cseq = 2, .proxy_authorization = CREDS("a.example", "deadbeef"));
    g_assert_cmpuint(sc_final(sc, retry).findings & ~SA_FINDING_BIT(SA_FINDING_RETRY_UNANSWERED), ==,
                     SA_FINDING_BIT(SA_FINDING_NONCE_MISMATCH));

    SEND(sc, .at = 1, .method = "REGISTER", .call_id = "b");
    SEND(sc, .at = 1.1, .status = 401, .call_id = "b", .cseq_method = "REGISTER", .www_authenticate = CHALLENGE("b.example", "n2"));
    retry = SEND(sc, .at = 1.2, .method = "REGISTER", .call_id = "b", .cseq = 2, .authorization = CREDS("other.example", "n2"));
    g_assert_cmpint(sc_final(sc, retry).role, ==, SA_ROLE_RETRY);
    g_assert_cmpuint(sc_final(sc, retry).findings & ~SA_FINDING_BIT(SA_FINDING_RETRY_UNANSWERED), ==,
                     SA_FINDING_BIT(SA_FINDING_REALM_MISMATCH));
    sc_free(sc);
}

/* A forking proxy merges two challenges: the retry answers both realms. */
static void
test_two_realms(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "INVITE");
    guint32 c = SEND(sc, .at = 0.1, .status = 407, .proxy_authenticate = CHALLENGE("east.example", "e1"),
                     .proxy_authenticate2 = CHALLENGE("west.example", "w1"));
    guint32 retry = SEND(sc, .at = 0.2, .method = "INVITE", .cseq = 2, .proxy_authorization = CREDS("west.example", "w1"),
                         .proxy_authorization2 = CREDS("east.example", "e1"));
    SEND(sc, .at = 0.3, .status = 200, .cseq = 2);
    g_assert_cmpuint(sc_final(sc, retry).findings, ==, 0);
    sa_result_t r = sc_final(sc, c);
    g_assert_cmpstr(r.realm, ==, "east.example");
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_ACCEPTED);
    sc_free(sc);
}

/* A stateless proxy answers the resent INVITE with a fresh nonce; the UA answers the newest one. */
static void
test_resent_challenge_with_new_nonce(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "INVITE");
    guint32 c = SEND(sc, .at = 0.1, .status = 407, .proxy_authenticate = CHALLENGE(R, "first"));
    SEND(sc, .at = 0.5, .method = "INVITE");
    guint32 resent = SEND(sc, .at = 0.6, .status = 407, .proxy_authenticate = CHALLENGE(R, "second"));
    SEND(sc, .at = 0.7, .method = "ACK", .cseq_method = "ACK");
    guint32 retry = SEND(sc, .at = 40, .method = "INVITE", .cseq = 2, .proxy_authorization = CREDS(R, "second"));
    sa_result_t r = sc_final(sc, retry);
    g_assert_cmpint(r.role, ==, SA_ROLE_RETRY);
    g_assert_cmpuint(r.challenge_frame, ==, c);
    g_assert_false(sc_has(r, SA_FINDING_NONCE_MISMATCH));
    g_assert_true(sc_has(sc_final(sc, resent), SA_FINDING_CHALLENGE_RETRANSMITTED));
    sc_free(sc);
}

/* A proxy's 407, then the callee's 401 in its own realm: a second authentication domain, not a refusal. */
static void
test_second_realm_is_not_a_refusal(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "INVITE");
    guint32 c407 = SEND(sc, .at = 0.1, .status = 407, .proxy_authenticate = CHALLENGE("proxy.example", "p1"));
    SEND(sc, .at = 0.2, .method = "INVITE", .cseq = 2, .proxy_authorization = CREDS("proxy.example", "p1"));
    guint32 c401 = SEND(sc, .at = 0.3, .status = 401, .cseq = 2, .www_authenticate = CHALLENGE("callee.example", "c1"));
    SEND(sc, .at = 0.4, .method = "INVITE", .cseq = 3, .proxy_authorization = CREDS("proxy.example", "p1"),
         .authorization = CREDS("callee.example", "c1"));
    guint32 refused = SEND(sc, .at = 0.5, .status = 401, .cseq = 3, .www_authenticate = CHALLENGE("callee.example", "c2"));
    g_assert_cmpint(sc_final(sc, c407).outcome, ==, SA_OUTCOME_CHALLENGED_AGAIN);
    sa_result_t r = sc_final(sc, c401);
    g_assert_cmpuint(r.attempt, ==, 2);
    g_assert_cmpuint(r.answered_code, ==, 407);
    g_assert_false(sc_has(r, SA_FINDING_RETRY_CHALLENGED));
    g_assert_true(sc_has(sc_final(sc, refused), SA_FINDING_RETRY_CHALLENGED));
    sc_free(sc);
}

/* What the Flow Graph needs of a challenge: its request's message (a single pass joins it to the flow then) and
 * the algorithms it offered. */
static void
test_challenge_names_request_and_algorithms(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 invite = SEND(sc, .at = 0.0, .method = "INVITE");
    guint32 c407 = SEND(sc, .at = 0.02, .status = 407,
                        .proxy_authenticate = "Digest realm=\"" R "\", nonce=\"n1\", algorithm=SHA-256",
                        .proxy_authenticate2 = "Digest realm=\"" R "\", nonce=\"n1\"");
    guint32 retry = SEND(sc, .at = 0.25, .method = "INVITE", .cseq = 2, .proxy_authorization = CREDS(R, "n1"));
    sa_msg_id_t invite_id = g_array_index(sc->ids, sa_msg_id_t, invite);
    g_assert_cmpuint(invite_id, !=, 0);
    g_assert_cmpuint(sa_tracker_challenged_request(sc->tracker, g_array_index(sc->ids, sa_msg_id_t, c407)), ==,
                     invite_id);
    g_assert_cmpuint(sa_tracker_challenged_request(sc->tracker, g_array_index(sc->ids, sa_msg_id_t, retry)), ==, 0);
    g_assert_cmpuint(sa_tracker_challenged_request(sc->tracker, invite_id), ==, 0);
    sa_result_t r = sc_so_far(sc, c407);
    g_assert_cmpuint(r.offered_algorithms, ==,
                     SA_DIGEST_ALG_BIT(SA_DIGEST_ALG_SHA256) | SA_DIGEST_ALG_BIT(SA_DIGEST_ALG_MD5));
    g_assert_cmpuint(sc_final(sc, retry).offered_algorithms, ==, r.offered_algorithms);
    sc_free(sc);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    replay_add_case("/tracker/flow/invite_407_ack_retry_accepted", test_invite_407_accepted);
    replay_add_case("/tracker/flow/register_401_accepted_from_tag_changes", test_register_401_accepted);
    replay_add_case("/tracker/outcome/no_retry_unknown_until_final", test_no_retry_single_pass_and_final);
    replay_add_case("/tracker/outcome/new_request_without_credentials_abandons", test_new_request_without_credentials_abandons);
    replay_add_case("/tracker/outcome/challenge_loop", test_challenge_loop);
    replay_add_case("/tracker/outcome/loop_threshold_preference", test_loop_threshold_preference);
    replay_add_case("/tracker/outcome/stale_nonce_is_no_loop", test_stale_nonce);
    replay_add_case("/tracker/outcome/stale_on_reregistration", test_stale_on_reregistration);
    replay_add_case("/tracker/outcome/retry_rejected_403", test_retry_rejected);
    replay_add_case("/tracker/outcome/second_realm_is_not_a_refusal", test_second_realm_is_not_a_refusal);
    replay_add_case("/tracker/outcome/retry_unanswered_only_when_final", test_retry_unanswered);
    replay_add_case("/tracker/transaction/retransmissions", test_retransmissions);
    replay_add_case("/tracker/transaction/duplicates_from_capture_points", test_duplicate_capture_points);
    replay_add_case("/tracker/transaction/resent_challenge_with_new_nonce", test_resent_challenge_with_new_nonce);
    replay_add_case("/tracker/check/missing_challenge_header", test_missing_challenge_header);
    replay_add_case("/tracker/check/wrong_header", test_wrong_header);
    replay_add_case("/tracker/check/cseq_not_incremented", test_cseq_not_incremented);
    replay_add_case("/tracker/check/nonce_and_realm_mismatch", test_nonce_and_realm_mismatch);
    replay_add_case("/tracker/check/two_realms_forking_proxy", test_two_realms);
    replay_add_case("/tracker/flow/challenge_names_request_and_algorithms", test_challenge_names_request_and_algorithms);
    replay_add_tests();
    return g_test_run();
}
