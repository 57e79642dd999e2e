/* Replays every unit scenario interleaved with others and with copies of its messages inserted. */
#ifndef SIPAUTH_TEST_REPLAY_H
#define SIPAUTH_TEST_REPLAY_H

#include "scenario.h"

/* A scenario's recording, from sc_new to sc_free: its configuration and a copy of every message. */
sc_recording_t *replay_recording_new(const sa_config_t *config);
void replay_recording_add(sc_recording_t *rec, const sc_msg_t *msg);
void replay_recording_skip(sc_recording_t *rec, const char *reason);
void replay_recording_set_secrets(sc_recording_t *rec, sa_secret_source_t source, gconstpointer data);
/* The scenario ended: replays it alone (self-interleaved, with each copy inserted), failing the test on a
 * difference, unless a /replay/interleaved test is collecting recordings. Frees or keeps rec. */
void replay_recording_done(sc_recording_t *rec);

/* Registration: replay_add_case instead of g_test_add_func, so that the scenarios are named by their test
 * and replay_add_tests can add the /replay/interleaved tests, which run every case again to mix them. */
void replay_add_case(const char *path, GTestFunc func);
void replay_add_tests(void);

/* The driver's parts, for its self-tests. The replays return the differences found and describe them in
 * report, one line each: variant, scenario, original and replay frame, view, field, expected, got. */
typedef enum {
    REPLAY_DUPLICATE,          /* within the duplicate window: the same message at a second capture point */
    REPLAY_RETRANSMISSION      /* T1 later, or halfway to the next message */
} replay_copy_t;

gboolean replay_copy_delay(const sc_recording_t *rec, guint index, replay_copy_t kind, gint64 *delay_ns);
guint replay_with_copy(const sc_recording_t *rec, guint index, replay_copy_t kind, GString *report);
/* own_identities FALSE keeps every copy's Call-IDs, users and nonces: their flows cross (self-test). */
guint replay_interleaved(const sc_recording_t *const *recs, guint n, gboolean own_identities, GString *report);

/* The result comparison, with numbering unchanged; the fields it compares, each mutable for a self-test. */
guint replay_diff(const sa_result_t *want, const sa_result_t *got, GString *report);
/* Whether a field is compared (CAPTURE_END fields depend on where the capture ends and are not). */
gboolean replay_field_is_compared(guint field);
guint replay_field_count(void);
const char *replay_field_mutate(guint field, sa_result_t *result);
gboolean replay_fields_cover_result(void);

#endif
