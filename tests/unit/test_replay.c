/* Self-tests of the replay driver: it compares every field, it reports crossed flows, it keeps its copy rules. */
#include "replay.h"

#include <string.h>

#define R "example.com"

static sc_t *
invite_accepted(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0.0, .method = "INVITE");
    SEND(sc, .at = 0.1, .status = 407, .proxy_authenticate = CHALLENGE(R, "n1"));
    SEND(sc, .at = 0.2, .method = "ACK", .cseq_method = "ACK");
    SEND(sc, .at = 0.3, .method = "INVITE", .cseq = 2, .proxy_authorization = CREDS(R, "n1"));
    SEND(sc, .at = 0.4, .status = 200, .cseq = 2);
    return sc;
}

/* A mutation of any one field is reported, by its name, and nothing else is; the table misses no field. */
static void
test_every_result_field_is_compared(void)
{
    g_assert_true(replay_fields_cover_result());
    sc_t *sc = invite_accepted();
    sa_result_t base = sc_final(sc, 2);
    g_assert_cmpint(base.role, ==, SA_ROLE_CHALLENGE);
    GString *report = g_string_new(NULL);
    g_assert_cmpuint(replay_diff(&base, &base, report), ==, 0);
    for (guint i = 0; i < replay_field_count(); i++) {
        sa_result_t mutated = base;
        const char *name = replay_field_mutate(i, &mutated);
        g_string_truncate(report, 0);
        if (!replay_field_is_compared(i)) {
            g_assert_cmpuint(replay_diff(&base, &mutated, report), ==, 0);
            continue;
        }
        g_assert_cmpuint(replay_diff(&base, &mutated, report), ==, 1);
        g_assert_true(g_str_has_prefix(report->str, name));
    }
    g_string_free(report, TRUE);
    sc_free(sc);
}

/* Two copies that share Call-ID, users and nonces are one flow to the tracker: the replay must say so,
 * naming the scenario and the frame; with their own identities they are apart and nothing differs. */
static void
test_crossed_flows_are_reported(void)
{
    sc_t *sc = invite_accepted();
    const sc_recording_t *twice[] = { sc->recording, sc->recording };
    GString *report = g_string_new(NULL);
    g_assert_cmpuint(replay_interleaved(twice, 2, TRUE, report), ==, 0);
    g_assert_cmpstr(report->str, ==, "");
    g_assert_cmpuint(replay_interleaved(twice, 2, FALSE, report), >, 0);
    /* The second INVITE is taken for a retransmission of the first as soon as it comes. */
    g_assert_nonnull(strstr(report->str, "/replay/self_test/crossed_flows_are_reported (copy 1), self-interleaved: "
                                         "frame 1 (none) = replay frame 2, single-pass view after replay frame 3: "
                                         "flow: expected flow 0, got flow 1; "
                                         "role: expected none, got request retransmission"));
    g_assert_nonnull(strstr(report->str, "frame 4 (retry) = replay frame 8, final view: "
                                         "flow: expected a flow of its own, got flow 1; "
                                         "role: expected retry, got request retransmission"));
    g_assert_nonnull(strstr(report->str, "self-interleaved: 1 flows, expected 2"));
    g_string_free(report, TRUE);
    sc_free(sc);
}

/* No copy of a message the scenario already sends twice, none that would pass the next original, and no
 * retransmission inside the duplicate window; T1 later when there is room, halfway to the next otherwise. */
static void
test_copy_rules(void)
{
    sc_t *sc = sc_new(NULL);
    SEND(sc, .at = 0, .method = "REGISTER");
    SEND(sc, .at = 0.5, .method = "REGISTER");
    SEND(sc, .at = 0.6, .status = 401, .cseq_method = "REGISTER", .www_authenticate = CHALLENGE(R, "n"));
    SEND(sc, .at = 0.61, .method = "REGISTER", .cseq = 2, .authorization = CREDS(R, "n"));
    SEND(sc, .at = 0.71, .status = 200, .cseq = 2, .cseq_method = "REGISTER");
    SEND(sc, .at = 0.2, .method = "OPTIONS", .call_id = "earlier-clock");
    const sc_recording_t *rec = sc->recording;
    gint64 delay = 0;
    g_assert_false(replay_copy_delay(rec, 0, REPLAY_DUPLICATE, &delay));
    g_assert_false(replay_copy_delay(rec, 1, REPLAY_RETRANSMISSION, &delay));
    g_assert_true(replay_copy_delay(rec, 2, REPLAY_DUPLICATE, &delay));
    g_assert_cmpint(delay, ==, 2000000);
    g_assert_false(replay_copy_delay(rec, 2, REPLAY_RETRANSMISSION, &delay));
    g_assert_true(replay_copy_delay(rec, 3, REPLAY_RETRANSMISSION, &delay));
    g_assert_cmpint(delay, ==, 50000000);
    g_assert_false(replay_copy_delay(rec, 4, REPLAY_DUPLICATE, &delay));
    g_assert_true(replay_copy_delay(rec, 5, REPLAY_RETRANSMISSION, &delay));
    g_assert_cmpint(delay, ==, 500000000);
    GString *report = g_string_new(NULL);
    g_assert_cmpuint(replay_with_copy(rec, 0, REPLAY_DUPLICATE, report), ==, 0);
    g_assert_cmpuint(replay_with_copy(rec, 3, REPLAY_RETRANSMISSION, report), ==, 0);
    g_assert_cmpstr(report->str, ==, "");
    g_string_free(report, TRUE);
    sc_free(sc);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    replay_add_case("/replay/self_test/every_result_field_is_compared", test_every_result_field_is_compared);
    replay_add_case("/replay/self_test/crossed_flows_are_reported", test_crossed_flows_are_reported);
    replay_add_case("/replay/self_test/copy_rules", test_copy_rules);
    return g_test_run();
}
