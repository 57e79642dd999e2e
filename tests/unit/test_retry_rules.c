/* Unit tests of the rules that decide which request is the authenticated retry. */
#include "replay.h"

#define R "example.com"
#define IMS "ims.mnc001.mcc001.3gppnetwork.org"
#define IMS_EMPTY "Digest username=\"001011234567895@" IMS "\", realm=\"" IMS "\", uri=\"sip:" IMS "\", nonce=\"\", response=\"\""
#define IMS_AKA(nonce) "Digest realm=\"" IMS "\", nonce=\"" nonce "\", algorithm=AKAv1-MD5, ck=\"00\", ik=\"11\""
#define IMS_CREDS(nonce) "Digest username=\"001011234567895@" IMS "\", realm=\"" IMS "\", nonce=\"" nonce "\", " \
    "uri=\"sip:" IMS "\", response=\"0123456789abcdef0123456789abcdef\", algorithm=AKAv1-MD5"
#define IMS_AUTS(nonce) IMS_CREDS(nonce) ", auts=\"AbCdEfGhIjKlMnOp\""

/* A real phone prompts for the password: the retry comes late but echoes the nonce. */
static void
test_nonce_echo_after_timeout(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER");
    guint32 c = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    guint32 retry = SEND(sc, .at = 45, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "n"));
    g_assert_cmpuint(sc_final(sc, c).retry_frame, ==, retry);
    g_assert_cmpint(sc_final(sc, retry).time_to_retry_ns, ==, G_GINT64_CONSTANT(44900000000));
    sc_free(sc);
}

static void
test_no_echo_after_timeout_not_linked(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER");
    guint32 c = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    guint32 late = SEND(sc, .at = 45, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "other"));
    g_assert_cmpint(sc_final(sc, c).outcome, ==, SA_OUTCOME_NO_RETRY);
    g_assert_cmpint(sc_final(sc, late).role, ==, SA_ROLE_NONE);
    sc_free(sc);
}

static void
test_no_echo_within_timeout_linked(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER");
    guint32 c = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    guint32 retry = SEND(sc, .at = 10, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "other"));
    g_assert_cmpuint(sc_final(sc, c).retry_frame, ==, retry);
    g_assert_true(sc_has(sc_final(sc, retry), SA_FINDING_NONCE_MISMATCH));
    sc_free(sc);
}

static void
test_retry_timeout_preference(void)
{
    sa_config_t config;
    sa_config_init_defaults(&config);
    config.retry_timeout_s = 5;
    sc_t *sc = sc_new(&config);
    SEND(sc, .at = 0, .method = "REGISTER");
    guint32 c = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    SEND(sc, .at = 10, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "other"));
    g_assert_cmpint(sc_final(sc, c).outcome, ==, SA_OUTCOME_NO_RETRY);
    sc_free(sc);
}

static void
test_new_call_id_heuristic(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER", .call_id = "A");
    guint32 c = SEND(sc, .at = 0.1, .status = 401, .call_id = "A", .cseq_method = "REGISTER",
                     .www_authenticate = CHALLENGE(R, "n"));
    guint32 retry = SEND(sc, .at = 0.2, .method = "REGISTER", .call_id = "B", .from = "<sip:alice@example.com>;tag=zz",
                         .authorization = CREDS(R, "n"));
    SEND(sc, .at = 0.3, .status = 200, .call_id = "B", .cseq_method = "REGISTER");
    sa_result_t r = sc_final(sc, retry);
    g_assert_cmpint(r.role, ==, SA_ROLE_RETRY);
    g_assert_true(r.heuristic);
    g_assert_cmpuint(r.challenge_frame, ==, c);
    g_assert_cmpint(sc_final(sc, c).outcome, ==, SA_OUTCOME_ACCEPTED);
    sc_free(sc);
}

static void
test_new_call_id_heuristic_off_or_other_user(void)
{
    sa_config_t config;
    sa_config_init_defaults(&config);
    config.heuristic_call_id = FALSE;
    sc_t *sc = sc_new(&config);
    SEND(sc, .at = 0, .method = "REGISTER", .call_id = "A");
    guint32 c = SEND(sc, .at = 0.1, .status = 401, .call_id = "A", .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    SEND(sc, .at = 0.2, .method = "REGISTER", .call_id = "B", .authorization = CREDS(R, "n"));
    g_assert_cmpint(sc_final(sc, c).outcome, ==, SA_OUTCOME_NO_RETRY);
    sc_free(sc);

    sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER", .call_id = "A");
    c = SEND(sc, .at = 0.1, .status = 401, .call_id = "A", .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    SEND(sc, .at = 0.2, .method = "REGISTER", .call_id = "B", .from = "<sip:mallory@example.com>;tag=m",
         .authorization = CREDS(R, "n"));
    g_assert_cmpint(sc_final(sc, c).outcome, ==, SA_OUTCOME_NO_RETRY);
    sc_free(sc);
}

/* A request from another sender (another top-Via host) on the same Call-ID is not the retry. */
static void
test_other_hop_not_retry(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "INVITE");
    guint32 c = SEND(sc, .at = 0.1, .status = 407, .proxy_authenticate = CHALLENGE(R, "n"));
    guint32 other = SEND(sc, .at = 0.2, .method = "INVITE", .cseq = 2, .via_host = "10.9.9.9",
                         .proxy_authorization = CREDS(R, "n"));
    guint32 deeper = SEND(sc, .at = 0.3, .method = "INVITE", .cseq = 2, .extra_vias = 1, .branch = "z9hG4bK-d",
                          .proxy_authorization = CREDS(R, "n"));
    g_assert_cmpint(sc_final(sc, other).role, ==, SA_ROLE_NONE);
    g_assert_cmpint(sc_final(sc, deeper).role, ==, SA_ROLE_NONE);
    g_assert_cmpint(sc_final(sc, c).outcome, ==, SA_OUTCOME_NO_RETRY);
    sc_free(sc);
}

/* IMS registration: empty-nonce first REGISTER, AKA challenge, retry over TCP from the protected port. */
static void
test_ims_aka_registration(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 reg = SEND(sc, .at = 0, .method = "REGISTER", .via = "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKue1",
                       .authorization = IMS_EMPTY);
    g_assert_cmpint(sc_final(sc, reg).role, ==, SA_ROLE_NONE);
    guint32 c = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER",
                     .via = "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKue1", .www_authenticate = IMS_AKA("bm9uY2U="));
    sa_result_t r = sc_final(sc, c);
    g_assert_false(sc_has(r, SA_FINDING_STALE_NONCE));
    g_assert_false(sc_has(r, SA_FINDING_RETRY_CHALLENGED));
    guint32 retry = SEND(sc, .at = 0.4, .method = "REGISTER", .cseq = 2,
                         .via = "SIP/2.0/TCP 10.0.0.1:6100;branch=z9hG4bKue2", .authorization = IMS_CREDS("bm9uY2U="));
    SEND(sc, .at = 0.5, .status = 200, .cseq = 2, .cseq_method = "REGISTER", .via = "SIP/2.0/TCP 10.0.0.1:6100;branch=z9hG4bKue2");
    r = sc_final(sc, c);
    g_assert_cmpuint(r.request_frame, ==, reg);
    g_assert_cmpuint(r.retry_frame, ==, retry);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_ACCEPTED);
    g_assert_cmpuint(sc_final(sc, retry).findings, ==, 0);
    sc_free(sc);
}

/* An IMS re-REGISTER with an empty-nonce Authorization ends a pending challenge like any bare request. */
static void
test_ims_empty_credentials_are_not_a_retry(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER", .authorization = IMS_EMPTY);
    guint32 c = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = IMS_AKA("n"));
    guint32 again = SEND(sc, .at = 0.2, .method = "REGISTER", .cseq = 2, .authorization = IMS_EMPTY);
    g_assert_cmpint(sc_final(sc, again).role, ==, SA_ROLE_NONE);
    g_assert_cmpint(sc_final(sc, c).outcome, ==, SA_OUTCOME_NO_RETRY);
    sc_free(sc);
}

static void
test_ims_aka_resync(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER", .authorization = IMS_EMPTY);
    SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = IMS_AKA("n1"));
    guint32 resync = SEND(sc, .at = 0.2, .method = "REGISTER", .cseq = 2, .authorization = IMS_AUTS("n1"));
    guint32 c2 = SEND(sc, .at = 0.3, .status = 401, .cseq = 2, .cseq_method = "REGISTER", .www_authenticate = IMS_AKA("n2"));
    SEND(sc, .at = 0.4, .method = "REGISTER", .cseq = 3, .authorization = IMS_CREDS("n2"));
    SEND(sc, .at = 0.5, .status = 200, .cseq = 3, .cseq_method = "REGISTER");
    g_assert_cmpuint(sc_final(sc, resync).findings, ==, SA_FINDING_BIT(SA_FINDING_AKA_RESYNC));
    sa_result_t r = sc_final(sc, c2);
    g_assert_cmpuint(r.attempt, ==, 2);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_ACCEPTED);
    sc_free(sc);
}

/* UE -> P-CSCF -> I-CSCF: one Call-ID and CSeq, one flow per hop, each retry on its own hop. */
static void
test_ims_hops_are_separate_flows(void)
{
    sc_t *sc = sc_new(NULL);
#define UE(branch) .via = "SIP/2.0/UDP 10.0.0.1:5060;branch=" branch
#define PCSCF(branch, ue) .via = "SIP/2.0/UDP 10.0.0.2:4060;branch=" branch ", SIP/2.0/UDP 10.0.0.1:5060;branch=" ue
    SEND(sc, .at = 0.00, .method = "REGISTER", UE("z9hG4bKu1"), .authorization = IMS_EMPTY);
    SEND(sc, .at = 0.01, .method = "REGISTER", PCSCF("z9hG4bKp1", "z9hG4bKu1"), .authorization = IMS_EMPTY);
    guint32 c_p = SEND(sc, .at = 0.02, .status = 401, .cseq_method = "REGISTER", PCSCF("z9hG4bKp1", "z9hG4bKu1"),
                       .www_authenticate = IMS_AKA("n"));
    guint32 c_ue = SEND(sc, .at = 0.03, .status = 401, .cseq_method = "REGISTER", UE("z9hG4bKu1"),
                        .www_authenticate = IMS_AKA("n"));
    guint32 r_ue = SEND(sc, .at = 0.10, .method = "REGISTER", .cseq = 2, UE("z9hG4bKu2"), .authorization = IMS_CREDS("n"));
    guint32 r_p = SEND(sc, .at = 0.11, .method = "REGISTER", .cseq = 2, PCSCF("z9hG4bKp2", "z9hG4bKu2"),
                       .authorization = IMS_CREDS("n"));
    SEND(sc, .at = 0.12, .status = 200, .cseq = 2, .cseq_method = "REGISTER", PCSCF("z9hG4bKp2", "z9hG4bKu2"));
    SEND(sc, .at = 0.13, .status = 200, .cseq = 2, .cseq_method = "REGISTER", UE("z9hG4bKu2"));
    sa_result_t p = sc_final(sc, c_p), ue = sc_final(sc, c_ue);
    g_assert_cmpuint(p.flow, ==, 1);
    g_assert_cmpuint(ue.flow, ==, 2);
    g_assert_cmpuint(p.retry_frame, ==, r_p);
    g_assert_cmpuint(ue.retry_frame, ==, r_ue);
    g_assert_cmpint(p.outcome, ==, SA_OUTCOME_ACCEPTED);
    g_assert_cmpint(ue.outcome, ==, SA_OUTCOME_ACCEPTED);
    sc_free(sc);
#undef UE
#undef PCSCF
}

static void
test_icmp_quote_ignored(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 invite = SEND(sc, .at = 0, .method = "INVITE");
    guint32 quoted = SEND(sc, .at = 0.01, .method = "INVITE", .cseq = 9, .in_icmp = TRUE);
    guint32 c = SEND(sc, .at = 0.1, .status = 407, .proxy_authenticate = CHALLENGE(R, "n"));
    g_assert_cmpint(sc_final(sc, quoted).role, ==, SA_ROLE_NONE);
    g_assert_cmpuint(sc_final(sc, c).request_frame, ==, invite);
    g_assert_cmpint(sc_final(sc, c).outcome, ==, SA_OUTCOME_NO_RETRY);
    sc_free(sc);
}

/* The capture starts after the request: the challenge still opens a flow and links forward. */
static void
test_mid_flow_start(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 c = SEND(sc, .at = 0, .status = 407, .proxy_authenticate = CHALLENGE(R, "n"));
    guint32 ack = SEND(sc, .at = 0.01, .method = "ACK", .cseq_method = "ACK");
    guint32 retry = SEND(sc, .at = 0.1, .method = "INVITE", .cseq = 2, .proxy_authorization = CREDS(R, "n"));
    guint32 ok = SEND(sc, .at = 0.2, .status = 200, .cseq = 2);
    guint32 lone = SEND(sc, .at = 0.3, .status = 200, .call_id = "earlier", .cseq_method = "OPTIONS");
    sa_result_t r = sc_final(sc, c);
    g_assert_cmpuint(r.request_frame, ==, 0);
    g_assert_cmpuint(r.ack_frame, ==, ack);
    g_assert_cmpuint(r.retry_frame, ==, retry);
    g_assert_cmpuint(r.result_frame, ==, ok);
    g_assert_cmpint(r.outcome, ==, SA_OUTCOME_ACCEPTED);
    g_assert_cmpint(sc_final(sc, lone).role, ==, SA_ROLE_NONE);
    sc_free(sc);
}

/* A late copy of the request from a slower capture point, after the retry, is a retransmission. */
static void
test_late_original_request(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 c = SEND(sc, .at = 0, .status = 407, .proxy_authenticate = CHALLENGE(R, "n"));
    guint32 retry = SEND(sc, .at = 0.1, .method = "INVITE", .cseq = 2, .proxy_authorization = CREDS(R, "n"));
    guint32 late = SEND(sc, .at = 0.2, .method = "INVITE");
    sa_result_t r = sc_final(sc, c);
    g_assert_cmpuint(r.request_frame, ==, 0);
    g_assert_cmpuint(r.retry_frame, ==, retry);
    g_assert_cmpint(sc_final(sc, late).role, ==, SA_ROLE_REQUEST_RETRANSMISSION);
    g_assert_cmpuint(sc_final(sc, retry).request_frame, ==, 0);
    sc_free(sc);
}

/* Timestamps going backwards: a retry "before" its challenge must echo the nonce to be linked. */
static void
test_retry_before_challenge_in_time(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 50, .method = "REGISTER");
    guint32 c = SEND(sc, .at = 50.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    SEND(sc, .at = 10, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "other"));
    g_assert_cmpint(sc_final(sc, c).outcome, ==, SA_OUTCOME_NO_RETRY);
    sc_free(sc);
}

static void
test_track_401_off(void)
{
    sa_config_t config;
    sa_config_init_defaults(&config);
    config.track_401 = FALSE;
    sc_t *sc = sc_new(&config);
    SEND(sc, .at = 0, .method = "REGISTER");
    guint32 c = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    g_assert_cmpint(sc_final(sc, c).role, ==, SA_ROLE_NONE);
    g_assert_cmpuint(sa_tracker_flow_count(sc->tracker), ==, 0);
    sc_free(sc);
}

/* RFC 2543 peers have no magic-cookie branch: Call-ID + CSeq + From tag identify the transaction. */
static void
test_rfc2543_without_branch(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 invite = SEND(sc, .at = 0, .method = "INVITE", .via = "SIP/2.0/UDP 10.0.0.1:5060");
    guint32 c = SEND(sc, .at = 0.1, .status = 407, .via = "SIP/2.0/UDP 10.0.0.1:5060", .proxy_authenticate = CHALLENGE(R, "n"));
    guint32 ack = SEND(sc, .at = 0.2, .method = "ACK", .cseq_method = "ACK", .via = "SIP/2.0/UDP 10.0.0.1:5060");
    guint32 retry = SEND(sc, .at = 0.3, .method = "INVITE", .cseq = 2, .via = "SIP/2.0/UDP 10.0.0.1:5060",
                         .proxy_authorization = CREDS(R, "n"));
    sa_result_t r = sc_final(sc, c);
    g_assert_cmpuint(r.request_frame, ==, invite);
    g_assert_cmpuint(r.ack_frame, ==, ack);
    g_assert_cmpuint(r.retry_frame, ==, retry);
    sc_free(sc);
}

/* Nothing a broken capture feeds may crash or link: missing headers, junk, zero frame. */
static void
test_junk_is_ignored(void)
{
    sa_tracker_t *tracker = sa_tracker_new(NULL);
    sa_event_t empty = { 0 };
    g_assert_cmpuint(sa_tracker_feed(tracker, &empty), ==, 0);
    g_assert_cmpuint(sa_tracker_feed(tracker, NULL), ==, 0);
    sa_event_t no_cseq = { .frame = 1, .method = "INVITE", .call_id = "x" };
    g_assert_cmpuint(sa_tracker_feed(tracker, &no_cseq), ==, 0);
    sa_event_t bad_status = { .frame = 2, .status = 9999, .call_id = "x", .cseq = "1 INVITE" };
    g_assert_cmpuint(sa_tracker_feed(tracker, &bad_status), ==, 0);
    sa_event_t no_via = { .frame = 3, .status = 407, .call_id = "x", .cseq = "1 INVITE" };
    sa_msg_id_t id = sa_tracker_feed(tracker, &no_via);
    sa_result_t r;
    g_assert_true(sa_tracker_result(tracker, id, SA_VIEW_FINAL, &r));
    g_assert_true(r.findings & SA_FINDING_BIT(SA_FINDING_MISSING_CHALLENGE_HEADER));
    g_assert_false(sa_tracker_result(tracker, 12345, SA_VIEW_FINAL, &r));
    g_assert_false(sa_tracker_result(tracker, 0, SA_VIEW_FINAL, &r));
    sa_tracker_free(tracker);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    replay_add_case("/tracker/retry/nonce_echo_after_timeout", test_nonce_echo_after_timeout);
    replay_add_case("/tracker/retry/no_echo_after_timeout_not_linked", test_no_echo_after_timeout_not_linked);
    replay_add_case("/tracker/retry/no_echo_within_timeout_linked", test_no_echo_within_timeout_linked);
    replay_add_case("/tracker/retry/timeout_preference", test_retry_timeout_preference);
    replay_add_case("/tracker/retry/new_call_id_heuristic", test_new_call_id_heuristic);
    replay_add_case("/tracker/retry/new_call_id_heuristic_off_or_other_user", test_new_call_id_heuristic_off_or_other_user);
    replay_add_case("/tracker/retry/other_hop_is_not_the_retry", test_other_hop_not_retry);
    replay_add_case("/tracker/ims/aka_registration_other_port_and_transport", test_ims_aka_registration);
    replay_add_case("/tracker/ims/empty_credentials_are_not_a_retry", test_ims_empty_credentials_are_not_a_retry);
    replay_add_case("/tracker/ims/aka_resync", test_ims_aka_resync);
    replay_add_case("/tracker/ims/hops_are_separate_flows", test_ims_hops_are_separate_flows);
    replay_add_case("/tracker/input/icmp_quote_ignored", test_icmp_quote_ignored);
    replay_add_case("/tracker/input/mid_flow_start", test_mid_flow_start);
    replay_add_case("/tracker/input/track_401_off", test_track_401_off);
    replay_add_case("/tracker/input/late_original_request", test_late_original_request);
    replay_add_case("/tracker/input/retry_before_challenge_in_time", test_retry_before_challenge_in_time);
    replay_add_case("/tracker/input/rfc2543_without_branch", test_rfc2543_without_branch);
    replay_add_case("/tracker/input/junk_is_ignored", test_junk_is_ignored);
    replay_add_tests();
    return g_test_run();
}
