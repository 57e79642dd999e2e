/* Registrations (per AOR and username, RFC 6076 figures, end states) and credential attacks, in the core. */
#include "scenario.h"
#include "sipauth/registrations.h"
#include "sipauth/explain.h"
#include "sipparse.h"

#include <string.h>

#define R "example.com"
#define AOR "<sip:alice@example.com>"
#define BIND "<sip:alice@10.0.0.1:5060>;expires=600"

static sa_registration_t
registration(sc_t *sc, guint32 frame, sa_view_t view)
{
    sa_registration_t reg;
    g_assert_true(sa_tracker_registration(sc->tracker, sc_id(sc, frame), view, &reg));
    return reg;
}

/* REGISTER, 401, REGISTER with credentials, 200: one attempt, its delay from the first REGISTER (RFC 6076 4.1). */
static void
test_challenged_then_registered(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 first = SEND(sc, .at = 0.0, .method = "REGISTER", .to = AOR, .contact = BIND, .user_agent = "UA/1");
    g_assert_cmpuint(registration(sc, first, SA_VIEW_SO_FAR).username == NULL, ==, TRUE);
    SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n1"));
    guint32 retry = SEND(sc, .at = 0.3, .method = "REGISTER", .cseq = 2, .to = AOR, .contact = BIND,
                         .authorization = CREDS(R, "n1"), .user_agent = "UA/2");
    guint32 ok = SEND(sc, .at = 0.35, .status = 200, .cseq = 2, .cseq_method = "REGISTER", .contact = BIND);
    for (sa_view_t view = SA_VIEW_SO_FAR; view <= SA_VIEW_FINAL; view++) {
        sa_registration_t reg = registration(sc, ok, view);
        g_assert_cmpstr(reg.aor, ==, "sip:alice@example.com");
        g_assert_cmpstr(reg.username, ==, "alice");     /* the first REGISTER's row took the retry's username */
        g_assert_cmpuint(reg.id, ==, registration(sc, first, view).id);
        g_assert_cmpuint(reg.registers, ==, 2);
        g_assert_cmpuint(reg.challenged, ==, 1);
        g_assert_cmpuint(reg.accepted, ==, 1);
        g_assert_cmpuint(reg.refused, ==, 0);
        g_assert_cmpint(reg.state, ==, SA_REG_STATE_REGISTERED);
        g_assert_cmpuint(reg.rrd_count, ==, 1);
        g_assert_cmpint(reg.rrd_min_ns, ==, 350000000);
        g_assert_cmpint(reg.auth_ns, ==, 250000000);  /* from the 401 to the 200 */
        g_assert_cmpuint(reg.attempts, ==, 1);
        g_assert_cmpuint(reg.ineffective, ==, 0);
        g_assert_cmpstr(reg.user_agent, ==, "UA/2");
    }
    g_assert_cmpuint(registration(sc, retry, SA_VIEW_FINAL).id, ==, 1);
    sc_free(sc);
}

/* Many users, each REGISTER and 200 in its own transaction: every row stays its own when the index grows, and a
 * message asked for long after its replay (not the last one replayed) finds its row. */
static void
test_many_users(void)
{
    enum { USERS = 3000 };
    sc_t *sc = sc_new(NULL);
    guint32 requests[USERS], answers[USERS];
    for (guint i = 0; i < USERS; i++) {
        char call_id[32], to[64], from[80], branch[32];
        g_snprintf(call_id, sizeof call_id, "reg-%u@ua", i);
        g_snprintf(to, sizeof to, "<sip:user%u@example.com>", i);
        g_snprintf(from, sizeof from, "<sip:user%u@example.com>;tag=t%u", i, i);
        g_snprintf(branch, sizeof branch, "z9hG4bK-r%u", i);
        requests[i] = SEND(sc, .at = i * 0.001, .method = "REGISTER", .call_id = call_id, .from = from, .to = to,
                           .branch = branch, .contact = BIND);
        answers[i] = SEND(sc, .at = i * 0.001 + 0.0005, .status = 200, .call_id = call_id, .from = from,
                          .branch = branch, .cseq_method = "REGISTER", .contact = BIND);
    }
    for (guint i = 0; i < USERS; i += 7) {
        char aor[64];
        g_snprintf(aor, sizeof aor, "sip:user%u@example.com", i);
        sa_registration_t reg = registration(sc, requests[i], SA_VIEW_FINAL);
        g_assert_cmpstr(reg.aor, ==, aor);
        g_assert_cmpuint(reg.id, ==, i + 1);
        g_assert_cmpuint(reg.registers, ==, 1);
        g_assert_cmpuint(reg.accepted, ==, 1);
        g_assert_cmpint(reg.state, ==, SA_REG_STATE_REGISTERED);
        g_assert_cmpuint(registration(sc, answers[i], SA_VIEW_FINAL).id, ==, i + 1);
    }
    sc_no_replay(sc, "a test of the index's growth: a replay per inserted copy of 6,000 messages takes minutes");
    sc_free(sc);
}

/* Refused twice then 403: refused three times, failed: refused, one ineffective attempt (403 is a failure). */
static void
test_refused_then_forbidden(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0.0, .method = "REGISTER", .to = AOR, .contact = BIND);
    SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n1"));
    SEND(sc, .at = 0.2, .method = "REGISTER", .cseq = 2, .to = AOR, .contact = BIND, .authorization = CREDS(R, "n1"));
    SEND(sc, .at = 0.3, .status = 401, .cseq = 2, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n2"));
    SEND(sc, .at = 0.4, .method = "REGISTER", .cseq = 3, .to = AOR, .contact = BIND, .authorization = CREDS(R, "n2"));
    guint32 forbidden = SEND(sc, .at = 0.5, .status = 403, .cseq = 3, .cseq_method = "REGISTER");
    sa_registration_t reg = registration(sc, forbidden, SA_VIEW_FINAL);
    g_assert_cmpuint(reg.registers, ==, 3);
    g_assert_cmpuint(reg.challenged, ==, 2);
    g_assert_cmpuint(reg.refused, ==, 2);           /* the 401 to the first retry, the 403 */
    g_assert_cmpuint(reg.failed, ==, 0);
    g_assert_cmpint(reg.state, ==, SA_REG_STATE_FAILED);
    g_assert_cmpint(reg.cause, ==, SA_REG_CAUSE_REFUSED);
    g_assert_cmpuint(reg.attempts, ==, 1);
    g_assert_cmpuint(reg.ineffective, ==, 1);
    g_assert_cmpuint(reg.rrd_count, ==, 0);
    g_assert_cmpint(reg.auth_ns, ==, 400000000);    /* first 401 to the 403 */
    sc_free(sc);
}

/* A challenge left without retry: unknown while the capture may still bring one, no retry at its end. */
static void
test_no_retry_is_decided_at_the_end(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0.0, .method = "REGISTER", .to = AOR, .contact = BIND);
    guint32 challenge = SEND(sc, .at = 0.1, .status = 401, .cseq_method = "REGISTER",
                             .www_authenticate = CHALLENGE(R, "n1"));
    g_assert_cmpint(registration(sc, challenge, SA_VIEW_SO_FAR).state, ==, SA_REG_STATE_UNKNOWN);
    SEND(sc, .at = 40.0, .method = "OPTIONS", .call_id = "later");
    /* Time decided it: the same in both views, and reported as changed once. */
    sa_registration_t changed;
    g_assert_true(sa_tracker_next_changed_registration(sc->tracker, &changed));
    g_assert_cmpint(changed.state, ==, SA_REG_STATE_FAILED);
    g_assert_false(sa_tracker_next_changed_registration(sc->tracker, &changed));
    g_assert_cmpint(registration(sc, challenge, SA_VIEW_SO_FAR).state, ==, SA_REG_STATE_FAILED);
    sa_registration_t reg = registration(sc, challenge, SA_VIEW_FINAL);
    g_assert_cmpint(reg.state, ==, SA_REG_STATE_FAILED);
    g_assert_cmpint(reg.cause, ==, SA_REG_CAUSE_NO_RETRY);
    g_assert_cmpuint(reg.attempts, ==, 1);
    g_assert_cmpuint(reg.ineffective, ==, 0);       /* 401 is no failure to RFC 6076 */
    g_assert_cmpint(reg.auth_ns, ==, 0);            /* one challenge: it ended where it began */
    sc_free(sc);
}

/* Deadlines out of capture order (a merged capture): a row whose deadline comes before those already waiting is
 * decided when its time has passed all the same. */
static void
test_deadlines_out_of_order(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 50.0, .call_id = "a", .method = "REGISTER", .to = AOR, .contact = BIND);
    guint32 a = SEND(sc, .at = 50.1, .call_id = "a", .status = 401, .cseq_method = "REGISTER",
                     .www_authenticate = CHALLENGE(R, "n1"));
    /* earlier than a's: b's retry timeout (10.1 + 32 s) and c's Timer F (5 + 32 s) have passed at 50.1 */
    SEND(sc, .at = 10.0, .call_id = "b", .method = "REGISTER", .to = "<sip:bob@example.com>", .contact = BIND);
    guint32 b = SEND(sc, .at = 10.1, .call_id = "b", .status = 401, .cseq_method = "REGISTER",
                     .www_authenticate = CHALLENGE(R, "n2"));
    guint32 c = SEND(sc, .at = 5.0, .call_id = "c", .method = "REGISTER", .to = "<sip:carol@example.com>",
                     .contact = BIND);
    sa_registration_t reg = registration(sc, b, SA_VIEW_SO_FAR);
    g_assert_cmpint(reg.state, ==, SA_REG_STATE_FAILED);
    g_assert_cmpint(reg.cause, ==, SA_REG_CAUSE_NO_RETRY);
    reg = registration(sc, c, SA_VIEW_SO_FAR);
    g_assert_cmpint(reg.state, ==, SA_REG_STATE_FAILED);
    g_assert_cmpint(reg.cause, ==, SA_REG_CAUSE_TIMEOUT);
    g_assert_cmpint(registration(sc, a, SA_VIEW_SO_FAR).state, ==, SA_REG_STATE_UNKNOWN);
    SEND(sc, .at = 90.0, .method = "OPTIONS", .call_id = "later");
    reg = registration(sc, a, SA_VIEW_FINAL);
    g_assert_cmpint(reg.state, ==, SA_REG_STATE_FAILED);
    g_assert_cmpint(reg.cause, ==, SA_REG_CAUSE_NO_RETRY);
    sc_free(sc);
}

/* De-registration (Contact: *), an expiring binding, a REGISTER that times out, a query. */
static void
test_unbind_expiry_timeout_query(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0.0, .method = "REGISTER", .to = AOR, .contact = "<sip:alice@10.0.0.1>", .expires = "30");
    guint32 ok = SEND(sc, .at = 0.1, .status = 200, .cseq_method = "REGISTER",
                      .contact = "<sip:alice@10.0.0.1>;expires=30");
    g_assert_cmpint(registration(sc, ok, SA_VIEW_SO_FAR).state, ==, SA_REG_STATE_REGISTERED);
    SEND(sc, .at = 100.0, .method = "OPTIONS", .call_id = "later");
    g_assert_cmpint(registration(sc, ok, SA_VIEW_SO_FAR).state, ==, SA_REG_STATE_EXPIRED);
    g_assert_cmpint(registration(sc, ok, SA_VIEW_FINAL).state, ==, SA_REG_STATE_EXPIRED);
    guint32 unbind = SEND(sc, .at = 101.0, .method = "REGISTER", .cseq = 2, .to = AOR, .contact = "*",
                          .expires = "0");
    guint32 unbound = SEND(sc, .at = 101.1, .status = 200, .cseq = 2, .cseq_method = "REGISTER");
    sa_registration_t reg = registration(sc, unbound, SA_VIEW_FINAL);
    g_assert_cmpint(reg.state, ==, SA_REG_STATE_DEREGISTERED);
    g_assert_cmpuint(reg.attempts, ==, 1);          /* the de-registration is no registration attempt */
    g_assert_cmpuint(reg.rrd_count, ==, 1);
    g_assert_cmpuint(registration(sc, unbind, SA_VIEW_FINAL).registers, ==, 2);
    SEND(sc, .at = 102.0, .method = "REGISTER", .cseq = 3, .to = AOR);     /* a query: no Contact */
    SEND(sc, .at = 102.1, .status = 200, .cseq = 3, .cseq_method = "REGISTER");
    guint32 lost = SEND(sc, .at = 110.0, .method = "REGISTER", .cseq = 4, .to = AOR, .contact = BIND);
    g_assert_cmpint(registration(sc, lost, SA_VIEW_SO_FAR).state, ==, SA_REG_STATE_UNKNOWN);
    SEND(sc, .at = 150.0, .method = "OPTIONS", .call_id = "even-later");
    reg = registration(sc, lost, SA_VIEW_FINAL);
    g_assert_cmpint(reg.state, ==, SA_REG_STATE_FAILED);
    g_assert_cmpint(reg.cause, ==, SA_REG_CAUSE_TIMEOUT);
    g_assert_cmpuint(reg.registers, ==, 4);
    g_assert_cmpuint(reg.accepted, ==, 3);
    g_assert_cmpuint(reg.failed, ==, 1);
    g_assert_cmpuint(reg.attempts, ==, 2);
    g_assert_cmpuint(reg.ineffective, ==, 1);
    sc_free(sc);
}

/* Non-REGISTER messages have no registration. */
static void
test_other_methods_have_none(void)
{
    sc_t *sc = sc_new(NULL);
    guint32 invite = SEND(sc, .at = 0.0, .method = "INVITE");
    sa_registration_t reg;
    g_assert_false(sa_tracker_registration(sc->tracker, sc_id(sc, invite), SA_VIEW_FINAL, &reg));
    g_assert_false(sa_tracker_registration(sc->tracker, 0, SA_VIEW_FINAL, &reg));
    sc_free(sc);
}

/* One source refusing five user names within the window: the finding on the fifth refusal, naming the count. */
static void
test_brute_force_of_user_names(void)
{
    sc_t *sc = sc_new(NULL);
    sc_no_replay(sc, "an attack counts across flows by design: interleaved copies would add up");
    guint32 fifth = 0;
    for (guint i = 0; i < 6; i++) {
        char *call = g_strdup_printf("brute-%u", i);
        char *from = g_strdup_printf("<sip:user%u@example.com>;tag=t%u", i, i);
        char *creds = g_strdup_printf("Digest username=\"user%u\", realm=\"" R "\", nonce=\"b%u\", uri=\"sip:" R "\", "
                                      "response=\"0123456789abcdef0123456789abcdef\"", i, i);
        char *chal1 = g_strdup_printf("Digest realm=\"" R "\", nonce=\"b%u\"", i);
        char *chal2 = g_strdup_printf("Digest realm=\"" R "\", nonce=\"c%u\"", i);
        double t = i * 1.0;
        SEND(sc, .at = t, .method = "REGISTER", .call_id = call, .from = from, .src = "192.0.2.66");
        SEND(sc, .at = t + 0.01, .status = 401, .call_id = call, .from = from, .cseq_method = "REGISTER",
             .www_authenticate = chal1, .dst = "192.0.2.66");
        SEND(sc, .at = t + 0.02, .method = "REGISTER", .cseq = 2, .call_id = call, .from = from,
             .authorization = creds, .src = "192.0.2.66");
        guint32 refusal = SEND(sc, .at = t + 0.03, .status = 401, .cseq = 2, .call_id = call, .from = from,
                               .cseq_method = "REGISTER", .www_authenticate = chal2, .dst = "192.0.2.66");
        sa_result_t r = sc_so_far(sc, refusal);
        g_assert_true(r.refusal);
        g_assert_cmpint(sc_has(r, SA_FINDING_CREDENTIAL_ATTACK), ==, i == 4);
        if (i == 4)
            fifth = refusal;
        g_free(call);
        g_free(from);
        g_free(creds);
        g_free(chal1);
        g_free(chal2);
    }
    sa_result_t r = sc_final(sc, fifth);
    g_assert_true(sc_has(r, SA_FINDING_CREDENTIAL_ATTACK));
    g_assert_cmpuint(r.attack_usernames, ==, 5);
    g_assert_cmpuint(r.attack_source.len, ==, 4);
    g_assert_cmpuint(r.attack_source.bytes[3], ==, 66);
    g_assert_false(sa_finding_is_detail(SA_FINDING_CREDENTIAL_ATTACK, &r));
    sc_free(sc);
}

/* Probes that are never answered count once the retry timeout has passed; a slow guesser stays under it. */
static void
test_unanswered_probes_and_slow_guesser(void)
{
    sa_config_t config;
    sa_config_init_defaults(&config);
    config.attack_usernames = 3;
    config.attack_window_s = 10;
    sc_t *sc = sc_new(&config);
    sc_no_replay(sc, "an attack counts across flows by design: interleaved copies would add up");
    guint32 third = 0;
    for (guint i = 0; i < 3; i++) {
        char *call = g_strdup_printf("probe-%u", i);
        char *to = g_strdup_printf("<sip:%u@example.com>", 100 + i);
        SEND(sc, .at = i * 0.1, .method = "REGISTER", .call_id = call, .from = to, .to = to, .src = "192.0.2.9");
        guint32 c = SEND(sc, .at = i * 0.1 + 0.01, .status = 401, .call_id = call, .from = to,
                         .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "p"), .dst = "192.0.2.9");
        third = c;
        g_free(call);
        g_free(to);
    }
    g_assert_false(sc_has(sc_so_far(sc, third), SA_FINDING_CREDENTIAL_ATTACK));
    SEND(sc, .at = 60.0, .method = "OPTIONS", .call_id = "later");
    g_assert_true(sc_has(sc_final(sc, third), SA_FINDING_CREDENTIAL_ATTACK));
    /* One user name every 20 s from another source: never three within 10 s. */
    for (guint i = 0; i < 4; i++) {
        char *call = g_strdup_printf("slow-%u", i);
        char *to = g_strdup_printf("<sip:%u@example.com>", 200 + i);
        SEND(sc, .at = 100.0 + i * 20.0, .method = "REGISTER", .call_id = call, .from = to, .to = to,
             .src = "192.0.2.10");
        guint32 c = SEND(sc, .at = 100.01 + i * 20.0, .status = 401, .call_id = call, .from = to,
                         .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "s"), .dst = "192.0.2.10");
        SEND(sc, .at = 300.0 + i, .method = "OPTIONS", .call_id = call);
        g_assert_false(sc_has(sc_final(sc, c), SA_FINDING_CREDENTIAL_ATTACK));
        g_free(call);
        g_free(to);
    }
    sc_free(sc);
}

/* A known scanner's User-Agent, once per source. */
static void
test_scanner_user_agent(void)
{
    sc_t *sc = sc_new(NULL);
    sc_no_replay(sc, "an attack counts across flows by design: interleaved copies would add up");
    SEND(sc, .at = 0.0, .method = "OPTIONS", .user_agent = "friendly-scanner", .src = "198.51.100.7");
    guint32 first = SEND(sc, .at = 0.01, .status = 407, .cseq_method = "OPTIONS",
                         .proxy_authenticate = CHALLENGE(R, "n"), .dst = "198.51.100.7");
    SEND(sc, .at = 1.0, .method = "OPTIONS", .call_id = "again", .user_agent = "friendly-scanner",
         .src = "198.51.100.7");
    guint32 second = SEND(sc, .at = 1.01, .status = 407, .call_id = "again", .cseq_method = "OPTIONS",
                          .proxy_authenticate = CHALLENGE(R, "m"), .dst = "198.51.100.7");
    sa_result_t r = sc_so_far(sc, first);
    g_assert_true(sc_has(r, SA_FINDING_CREDENTIAL_ATTACK));
    g_assert_cmpuint(r.attack_usernames, ==, 0);
    g_assert_cmpstr(r.attack_user_agent, ==, "friendly-scanner");
    g_assert_cmpstr(r.user_agent, ==, "friendly-scanner");
    g_assert_false(sc_has(sc_final(sc, second), SA_FINDING_CREDENTIAL_ATTACK));
    sc_free(sc);
}

/* Contact and Expires as RFC 3261 10.2 reads them. */
static void
test_bindings_parser(void)
{
    sa_bindings_t b;
    const char *one[] = { "<sip:a@h>;expires=60, \"x,y\" <sip:b@h;lr>;q=0.5;expires=120" };
    sa_parse_bindings(one, 1, NULL, &b);
    g_assert_cmpuint(b.contacts, ==, 2);
    g_assert_cmpuint(b.max_expires, ==, 120);
    g_assert_false(b.all_zero);
    const char *zero[] = { "<sip:a@h>;expires=0", "<sip:b@h>" };
    sa_parse_bindings(zero, 2, "0", &b);
    g_assert_true(b.all_zero);
    const char *star[] = { " * " };
    sa_parse_bindings(star, 1, "0", &b);
    g_assert_true(b.star);
    g_assert_cmpuint(b.contacts, ==, 0);
    sa_parse_bindings(NULL, 0, "3600", &b);
    g_assert_cmpuint(b.contacts, ==, 0);
    g_assert_cmpuint(b.max_expires, ==, G_MAXUINT32);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/registrations/challenged_then_registered", test_challenged_then_registered);
    g_test_add_func("/registrations/refused_then_forbidden", test_refused_then_forbidden);
    g_test_add_func("/registrations/many_users", test_many_users);
    g_test_add_func("/registrations/no_retry_is_decided_at_the_end", test_no_retry_is_decided_at_the_end);
    g_test_add_func("/registrations/deadlines_out_of_order", test_deadlines_out_of_order);
    g_test_add_func("/registrations/unbind_expiry_timeout_query", test_unbind_expiry_timeout_query);
    g_test_add_func("/registrations/other_methods_have_none", test_other_methods_have_none);
    g_test_add_func("/registrations/bindings_parser", test_bindings_parser);
    g_test_add_func("/attacks/brute_force_of_user_names", test_brute_force_of_user_names);
    g_test_add_func("/attacks/unanswered_probes_and_slow_guesser", test_unanswered_probes_and_slow_guesser);
    g_test_add_func("/attacks/scanner_user_agent", test_scanner_user_agent);
    return g_test_run();
}
