/* Replays the unit scenarios: interleaved with each other, and with duplicates and retransmissions inserted. */
#include "replay.h"

#include <string.h>

#define MS_NS G_GINT64_CONSTANT(1000000)
/* RFC 3261 T1: a UDP retransmission comes this long after the message it repeats. */
#define T1_NS (500 * MS_NS)
/* Copies closer than this are one message seen at two capture points (docs/FIELDS.md). */
#define DUPLICATE_WINDOW_NS (10 * MS_NS)
#define DUPLICATE_DELAY_NS (2 * MS_NS)
/* Interleaved copy c starts c ms later: copies do not tie, and mix message by message. */
#define COPY_SHIFT_NS MS_NS
/* A report tells the first differences of each replay, and stops growing at a size still worth reading. */
#define REPORT_LINES 10
#define REPORT_BYTES 32768

struct sc_recording {
    char         *name;          /* the test path, "#2" for its second scenario */
    sa_config_t   config;
    GArray       *msgs;          /* sc_msg_t, strings in strings */
    GStringChunk *strings;
    const char   *skip;          /* why it is not replayed, or NULL */
    sa_secret_source_t source;   /* the scenario's secret source, given to every tracker that replays it */
    gconstpointer source_data;
};

static const char *current_case;     /* the case replay_add_case runs, which names the recordings */
static guint       case_scenarios;
static GPtrArray  *collected;        /* while a /replay/interleaved test runs the cases again */
static GPtrArray  *cases;

static const sc_msg_t *
msg_at(const sc_recording_t *rec, guint index)
{
    return &g_array_index(rec->msgs, sc_msg_t, index);
}

void
replay_recording_set_secrets(sc_recording_t *rec, sa_secret_source_t source, gconstpointer data)
{
    rec->source = source;
    rec->source_data = data;
}

static sa_tracker_t *
tracker_for(const sc_recording_t *rec)
{
    sa_tracker_t *tracker = sa_tracker_new(&rec->config);
    sa_tracker_set_secret_source(tracker, rec->source, rec->source_data);
    return tracker;
}

sc_recording_t *
replay_recording_new(const sa_config_t *config)
{
    sc_recording_t *rec = g_new0(sc_recording_t, 1);
    if (config)
        rec->config = *config;
    else
        sa_config_init_defaults(&rec->config);
    const char *test = current_case ? current_case : "scenario";
    rec->name = ++case_scenarios == 1 ? g_strdup(test) : g_strdup_printf("%s#%u", test, case_scenarios);
    rec->msgs = g_array_new(FALSE, FALSE, sizeof(sc_msg_t));
    rec->strings = g_string_chunk_new(1024);
    return rec;
}

/* The caller's strings may die after SEND (test_challenge_loop frees them): keep copies. */
void
replay_recording_add(sc_recording_t *rec, const sc_msg_t *msg)
{
    sc_msg_t copy = *msg;
#define KEEP(field) copy.field = copy.field ? g_string_chunk_insert_const(rec->strings, copy.field) : NULL;
    SC_MSG_STRINGS(KEEP)
#undef KEEP
    g_array_append_val(rec->msgs, copy);
}

void
replay_recording_skip(sc_recording_t *rec, const char *reason)
{
    rec->skip = reason;
}

static void
recording_free(gpointer data)
{
    sc_recording_t *rec = data;
    g_array_free(rec->msgs, TRUE);
    g_string_chunk_free(rec->strings);
    g_free(rec->name);
    g_free(rec);
}

/* Everything but the time: the same message, sent again. */
static gboolean
same_message(const sc_msg_t *a, const sc_msg_t *b)
{
#define SAME_STRING(field) && g_strcmp0(a->field, b->field) == 0
#define SAME_NUMBER(field) && a->field == b->field
    return TRUE SC_MSG_STRINGS(SAME_STRING) SC_MSG_NUMBERS(SAME_NUMBER);
#undef SAME_STRING
#undef SAME_NUMBER
}

/* ---- identities: what keeps the flows of interleaved copies apart ---- */

/* value with prefix inserted after marker (each one if every): not inside a longer word (cnonce), nor into
 * an empty quoted value (an IMS empty nonce must stay empty). */
static char *
insert_after(const char *value, const char *marker, const char *prefix, gboolean every)
{
    GString *out = g_string_new(NULL);
    const char *rest = value;
    for (const char *hit = strstr(rest, marker); hit; hit = every ? strstr(rest, marker) : NULL) {
        const char *end = hit + strlen(marker);
        g_string_append_len(out, rest, end - rest);
        if (!(hit > value && g_ascii_isalpha(hit[-1])) && *end != '"')
            g_string_append(out, prefix);
        rest = end;
    }
    g_string_append(out, rest);
    return g_string_free(out, FALSE);
}

static const char *
keep(GStringChunk *strings, char *value)
{
    const char *kept = g_string_chunk_insert_const(strings, value);
    g_free(value);
    return kept;
}

/* A copy's own identity: its prefix on Call-IDs, From users and nonces, so that no key of the tracker
 * (transaction, hop, nonce index, From URI of the new-Call-ID heuristic) is shared between copies.
 * The empty prefix leaves the message as it is. */
static sc_msg_t
with_identity(const sc_msg_t *msg, const char *prefix, GStringChunk *strings)
{
    sc_msg_t copy = *msg;
    if (*prefix == '\0')
        return copy;
    copy.call_id = keep(strings, g_strconcat(prefix, msg->call_id ? msg->call_id : SC_CALL_ID, NULL));
    copy.from = keep(strings, insert_after(msg->from ? msg->from : SC_FROM, "sip:", prefix, FALSE));
    if (msg->to)
        copy.to = keep(strings, insert_after(msg->to, "sip:", prefix, FALSE));
#define RENAME_NONCES(field) \
    if (copy.field) \
        copy.field = keep(strings, insert_after(copy.field, "nonce=\"", prefix, TRUE));
    SC_MSG_AUTH(RENAME_NONCES)
#undef RENAME_NONCES
    return copy;
}

/* ---- the result comparison ---- */

/* CAPTURE_END: read against where the capture ends, which a replay moves (messages of other copies come
 * after): listed, not compared. */
/* ADDRESS: an sa_addr_t, compared by its bytes. */
typedef enum { NUMBER, TIME, FRAME, FLOW, ROLE, OUTCOME, FINDINGS, CAPTURE_END, ADDRESS, STRING, FROM_URI } kind_t;

typedef struct {
    const char *name;
    gsize       offset;
    gsize       size;
    kind_t      kind;
    gboolean    of_copy;     /* what makes an inserted copy the retransmission of its original */
} field_t;

#define FIELD(name, kind, of_copy) \
    { #name, G_STRUCT_OFFSET(sa_result_t, name), sizeof(((sa_result_t *)NULL)->name), kind, of_copy }

/* Every field of sa_result_t, in order (replay_fields_cover_result checks that none is missing). */
static const field_t fields[] = {
    FIELD(flow, FLOW, TRUE),
    FIELD(role, ROLE, TRUE),
    FIELD(attempt, NUMBER, FALSE),
    FIELD(challenge_code, NUMBER, FALSE),
    FIELD(request_frame, FRAME, TRUE),
    FIELD(challenge_frame, FRAME, TRUE),
    FIELD(ack_frame, FRAME, FALSE),
    FIELD(retry_frame, FRAME, FALSE),
    FIELD(result_frame, FRAME, FALSE),
    FIELD(result_code, NUMBER, FALSE),
    FIELD(has_time_to_retry, NUMBER, FALSE),
    FIELD(time_to_retry_ns, TIME, FALSE),
    FIELD(outcome, OUTCOME, FALSE),
    FIELD(flow_state, OUTCOME, FALSE),
    FIELD(answered_code, NUMBER, FALSE),
    FIELD(retransmission, NUMBER, TRUE),
    FIELD(heuristic, NUMBER, FALSE),
    FIELD(stale, NUMBER, FALSE),
    FIELD(findings, FINDINGS, TRUE),
    FIELD(method, STRING, FALSE),
    FIELD(realm, STRING, FALSE),
    FIELD(offered_algorithms, NUMBER, FALSE),
    FIELD(username, STRING, FALSE),
    FIELD(from_uri, FROM_URI, FALSE),
    FIELD(verdict, NUMBER, FALSE),
    FIELD(verdict_now, NUMBER, FALSE),
    FIELD(statement, NUMBER, FALSE),
    FIELD(first_request_frame, FRAME, FALSE),
    FIELD(final_frame, FRAME, FALSE),
    FIELD(has_auth_time, NUMBER, FALSE),
    FIELD(auth_time_ns, TIME, FALSE),
    FIELD(refusals, NUMBER, FALSE),
    FIELD(end, CAPTURE_END, FALSE),
    FIELD(no_challenge_header, NUMBER, FALSE),
    FIELD(last_was_refresh, NUMBER, FALSE),
    FIELD(failure_code, NUMBER, FALSE),
    FIELD(result_reason, STRING, FALSE),
    FIELD(again, NUMBER, FALSE),
    FIELD(stale_by_reason, NUMBER, FALSE),
    FIELD(dns_queries, NUMBER, FALSE),
    FIELD(dns_unanswered, NUMBER, FALSE),
    FIELD(dns_frame, FRAME, FALSE),
    FIELD(credentials, NUMBER, FALSE),
    FIELD(check_reason, NUMBER, FALSE),
    FIELD(autn, NUMBER, FALSE),
    FIELD(algorithm, STRING, FALSE),
    FIELD(qop, STRING, FALSE),
    FIELD(qop_check, NUMBER, FALSE),
    FIELD(response_check, NUMBER, FALSE),
    FIELD(refused_credentials, NUMBER, FALSE),
    FIELD(hss_verified, NUMBER, FALSE),
    FIELD(user_uri, FROM_URI, FALSE),
    FIELD(user_agent, STRING, FALSE),
    FIELD(refusal, NUMBER, FALSE),
    FIELD(attack_source, ADDRESS, FALSE),
    FIELD(attack_usernames, NUMBER, FALSE),
    FIELD(attack_user_agent, STRING, FALSE),
    FIELD(sec_mechanism, STRING, FALSE),
    FIELD(spi_c, NUMBER, FALSE),
    FIELD(spi_s, NUMBER, FALSE),
    FIELD(port_c, NUMBER, FALSE),
    FIELD(port_s, NUMBER, FALSE),
    FIELD(has_spi_c, NUMBER, FALSE),
    FIELD(has_spi_s, NUMBER, FALSE),
    FIELD(esp_frame, FRAME, FALSE),
    FIELD(esp_null, NUMBER, FALSE),
    FIELD(mar_frame, FRAME, FALSE),
    FIELD(maa_frame, FRAME, FALSE),
    FIELD(has_hss_time, NUMBER, FALSE),
    FIELD(hss_time_ns, TIME, FALSE),
    FIELD(sar_frame, FRAME, FALSE),
    FIELD(saa_frame, FRAME, FALSE),
    FIELD(has_hss_result, NUMBER, FALSE),
    FIELD(hss_result, NUMBER, FALSE),
};

/* A field's value: a 32-bit number (enums and gbooleans too), the time or the findings, or a string. */
typedef struct {
    guint32     u32;
    gint64      i64;
    const char *str;
} value_t;

static value_t
value_of(const sa_result_t *r, const field_t *f)
{
    value_t v = { 0, 0, NULL };
    gboolean wide = f->kind == TIME || f->kind == FINDINGS;
    void *into = wide ? (void *)&v.i64 : f->kind >= STRING ? (void *)&v.str : (void *)&v.u32;
    g_assert_cmpuint(f->size, ==, wide ? sizeof v.i64 : f->kind >= STRING ? sizeof v.str : sizeof v.u32);
    memcpy(into, (const char *)r + f->offset, f->size);
    return v;
}

/* How one copy's original numbering and identity read in the replay; NULL maps: unchanged. */
typedef struct {
    const char *prefix;
    guint32    *frame_of;      /* replay frame by original frame */
    guint32    *flow_of;       /* replay flow by original flow, 0 until first seen */
    GArray     *flow_owner;    /* guint32 by replay flow: copy << 16 | original flow, 0 if unclaimed */
    guint       copy;
} numbering_t;

static guint32
frame_in(const numbering_t *num, guint32 frame)
{
    return num && num->frame_of && frame ? num->frame_of[frame] : frame;
}

/* The replay flow an original flow must be: the first replay flow it shows up in, if no other original
 * flow has it (the same partition of messages into flows); G_MAXUINT32 when got is another's. */
static guint32
flow_in(const numbering_t *num, guint32 flow, guint32 got)
{
    if (num == NULL || num->flow_of == NULL || flow == 0)
        return flow;
    if (num->flow_of[flow] != 0)
        return num->flow_of[flow];
    if (got == 0)
        return G_MAXUINT32;
    if (got >= num->flow_owner->len)
        g_array_set_size(num->flow_owner, got + 1);
    guint32 *owner = &g_array_index(num->flow_owner, guint32, got);
    if (*owner != 0)
        return G_MAXUINT32;
    *owner = (num->copy + 1) << 16 | flow;
    return num->flow_of[flow] = got;
}

static void
append_findings(GString *out, sa_finding_mask_t bits)
{
    g_string_append_printf(out, "0x%" G_GINT64_MODIFIER "x (", bits);
    for (guint f = 0; f < SA_FINDING_COUNT; f++)
        if (bits & SA_FINDING_BIT(f))
            g_string_append_printf(out, "%s%s", out->str[out->len - 1] == '(' ? "" : " ", sa_finding_abbrev(f));
    g_string_append_c(out, ')');
}

static void
append_value(GString *out, const field_t *f, value_t v)
{
    switch (f->kind) {
    case TIME:     g_string_append_printf(out, "%" G_GINT64_FORMAT " ns", v.i64); break;
    case FRAME:    g_string_append_printf(out, "frame %u", v.u32); break;
    case FLOW:     g_string_append_printf(out, v.u32 == G_MAXUINT32 ? "a flow of its own" : "flow %u", v.u32); break;
    case ROLE:     g_string_append(out, sa_role_name((sa_role_t)v.u32)); break;
    case OUTCOME:  g_string_append(out, sa_outcome_name((sa_outcome_t)v.u32)); break;
    case FINDINGS: append_findings(out, (sa_finding_mask_t)v.i64); break;
    case STRING:
    case FROM_URI: g_string_append_printf(out, v.str ? "\"%s\"" : "NULL", v.str); break;
    case NUMBER:
    case ADDRESS:
    case CAPTURE_END: g_string_append_printf(out, "%u", v.u32); break;
    }
}

/* Compares got with want (original numbering, read through num), field by field; appends "field:
 * expected X, got Y" for each difference to why and returns their count. */
static guint
diff_results(const sa_result_t *want, const sa_result_t *got, const numbering_t *num, gboolean copy_fields,
             GString *why)
{
    guint differences = 0;
    for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
        const field_t *f = &fields[i];
        if ((copy_fields && !f->of_copy) || f->kind == CAPTURE_END)
            continue;
        if (f->kind == ADDRESS) {
            const sa_addr_t *wa = (const void *)((const char *)want + f->offset);
            const sa_addr_t *ga = (const void *)((const char *)got + f->offset);
            if (wa->len != ga->len || (wa->len > 0 && memcmp(wa->bytes, ga->bytes, wa->len) != 0))
                g_string_append_printf(why, "%s%s: expected %u bytes, got %u (or other bytes)",
                                       differences++ ? "; " : "", f->name, wa->len, ga->len);
            continue;
        }
        value_t w = value_of(want, f), g = value_of(got, f);
        char *renamed = NULL;
        if (f->kind == FRAME)
            w.u32 = frame_in(num, w.u32);
        else if (f->kind == FLOW)
            w.u32 = flow_in(num, w.u32, g.u32);
        else if (f->kind == FROM_URI && w.str && num && *num->prefix)
            w.str = renamed = insert_after(w.str, "sip:", num->prefix, FALSE);
        if (w.u32 != g.u32 || w.i64 != g.i64 || g_strcmp0(w.str, g.str) != 0) {
            g_string_append_printf(why, "%s%s: expected ", differences++ ? "; " : "", f->name);
            append_value(why, f, w);
            g_string_append(why, ", got ");
            append_value(why, f, g);
        }
        g_free(renamed);
    }
    return differences;
}

guint
replay_diff(const sa_result_t *want, const sa_result_t *got, GString *report)
{
    return diff_results(want, got, NULL, FALSE, report);
}

guint
replay_field_count(void)
{
    return G_N_ELEMENTS(fields);
}

gboolean
replay_field_is_compared(guint field)
{
    return fields[field].kind != CAPTURE_END;
}

const char *
replay_field_mutate(guint field, sa_result_t *result)
{
    const field_t *f = &fields[field];
    char *at = (char *)result + f->offset;
    if (f->kind == ADDRESS) {
        ((sa_addr_t *)(void *)at)->len ^= 1;
    } else if (f->kind >= STRING) {
        const char *mutated = "mutated";
        memcpy(at, &mutated, sizeof mutated);
    } else {
        at[0] ^= 1;     /* the low byte of a little- or big-endian number: either way it differs */
    }
    return f->name;
}

/* Every byte of sa_result_t is a field of the table or the padding that aligns the next one. */
gboolean
replay_fields_cover_result(void)
{
    gsize end = 0;
    for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
        if (fields[i].offset < end || fields[i].offset >= end + fields[i].size)
            return FALSE;
        end = fields[i].offset + fields[i].size;
    }
    return sizeof(sa_result_t) - end < sizeof(gpointer);
}

/* ---- the replay: copies of scenarios merged into one tracker, each checked against its own run ---- */

typedef struct {
    const sc_recording_t *rec;
    char         *prefix;
    gint64        shift_ns;
    sa_tracker_t *ref;          /* the scenario alone, as recorded, fed in step with the replay */
    guint         fed;          /* its messages fed so far */
    guint32      *frame_of;
    guint32      *flow_of;
    gint          copy_after;   /* the index of the message followed by an inserted copy, or -1 */
    replay_copy_t kind;
    gint64        delay_ns;
    guint32       copy_frame;   /* the inserted copy's replay frame */
    gboolean     *reported;     /* by view and frame (0: the inserted copy): a difference is told once */
} copy_t;

typedef struct {
    const char   *variant;
    sa_tracker_t *tracker;
    guint32       frames;
    GArray       *flow_owner;
    GStringChunk *strings;
    copy_t       *copies;
    guint         n_copies;
    GString      *report;
    guint         differences;
} replay_t;

/* By frame, as the plugin asks; a unit scenario gives a frame at most one message. */
static sa_result_t
result_at(sa_tracker_t *tracker, guint32 frame, sa_view_t view)
{
    sa_result_t result;
    sa_msg_id_t id;
    if (sa_tracker_frame_messages(tracker, frame, &id) == 0 || !sa_tracker_result(tracker, id, view, &result))
        memset(&result, 0, sizeof result);
    return result;
}

/* Checks one message of copy c (of_copy: the inserted copy of frame); a message that differs is counted and
 * told once per view, at the first point it differs. */
static void
compare(replay_t *rp, guint c, guint32 frame, guint32 replay_frame, const sa_result_t *want, sa_view_t view,
        gboolean of_copy, const char *when)
{
    copy_t *copy = &rp->copies[c];
    numbering_t num = { copy->prefix, copy->frame_of, copy->flow_of, rp->flow_owner, c };
    sa_result_t got = result_at(rp->tracker, replay_frame, view);
    GString *why = g_string_new(NULL);
    gboolean *reported = &copy->reported[view * (copy->rec->msgs->len + 1) + (of_copy ? 0 : frame)];
    if (diff_results(want, &got, &num, of_copy, why) > 0 && !*reported) {
        *reported = TRUE;
        if (++rp->differences <= REPORT_LINES && rp->report->len < REPORT_BYTES)
            g_string_append_printf(rp->report,
                                   "%s (copy %u%s%s), %s: %sframe %u (%s) = replay frame %u, %s view%s: %s\n",
                                   copy->rec->name, c, *copy->prefix ? ", identity " : "", copy->prefix, rp->variant,
                                   of_copy ? "copy of " : "", frame, sa_role_name(want->role), replay_frame,
                                   view == SA_VIEW_FINAL ? "final" : "single-pass", when, why->str);
    }
    g_string_free(why, TRUE);
}

/* The single-pass view of every original fed so far, as the scenario alone shows it at the same point. */
static void
check_so_far(replay_t *rp)
{
    char *when = g_strdup_printf(" after replay frame %u", rp->frames);
    for (guint c = 0; c < rp->n_copies; c++)
        for (guint32 frame = 1; frame <= rp->copies[c].fed; frame++) {
            sa_result_t want = result_at(rp->copies[c].ref, frame, SA_VIEW_SO_FAR);
            compare(rp, c, frame, rp->copies[c].frame_of[frame], &want, SA_VIEW_SO_FAR, FALSE, when);
        }
    g_free(when);
}

static void
feed(replay_t *rp, copy_t *copy, gboolean inserted)
{
    const sc_msg_t *msg = msg_at(copy->rec, copy->fed - (inserted ? 1 : 0));
    sc_msg_t seen = with_identity(msg, copy->prefix, rp->strings);
    sc_feed(rp->tracker, ++rp->frames, copy->shift_ns + (inserted ? copy->delay_ns : 0), &seen);
    if (inserted) {
        copy->copy_frame = rp->frames;
        return;
    }
    sc_feed(copy->ref, ++copy->fed, 0, msg);
    copy->frame_of[copy->fed] = rp->frames;
}

/* What a copy of a message must be: a retransmission of its first transmission, in its flow. */
static sa_result_t
expected_copy(const sa_result_t *first, guint32 frame, replay_copy_t kind)
{
    sa_result_t want = { .flow = first->flow, .role = first->role, .retransmission = TRUE,
                         .request_frame = first->request_frame, .challenge_frame = first->challenge_frame };
    switch (first->role) {
    case SA_ROLE_NONE:
        memset(&want, 0, sizeof want);
        break;
    case SA_ROLE_REQUEST:
    case SA_ROLE_RETRY:
        want.role = SA_ROLE_REQUEST_RETRANSMISSION;
        want.request_frame = frame;
        break;
    case SA_ROLE_CHALLENGE:
        want.role = SA_ROLE_CHALLENGE_RETRANSMISSION;
        want.challenge_frame = frame;
        /* fall through */
    case SA_ROLE_CHALLENGE_RETRANSMISSION:
        /* A resent challenge is worth a note; the same one seen twice is not. */
        if (kind == REPLAY_RETRANSMISSION)
            want.findings = SA_FINDING_BIT(SA_FINDING_CHALLENGE_RETRANSMITTED);
        break;
    case SA_ROLE_ACK:
        /* There is no ACK retransmission role, and the tracker leaves retransmission unset on a copy of an
         * ACK (though tracker.h calls it "a later copy of a message already fed"): reported, not fixed here. */
        want.retransmission = FALSE;
        break;
    case SA_ROLE_REQUEST_RETRANSMISSION:
    case SA_ROLE_RESULT:
        break;
    }
    return want;
}

static void
check_final(replay_t *rp)
{
    guint flows = 0;
    for (guint c = 0; c < rp->n_copies; c++) {
        copy_t *copy = &rp->copies[c];
        flows += sa_tracker_flow_count(copy->ref);
        for (sa_view_t view = SA_VIEW_SO_FAR; view <= SA_VIEW_FINAL; view++) {
            for (guint32 frame = 1; frame <= copy->fed; frame++) {
                sa_result_t want = result_at(copy->ref, frame, view);
                compare(rp, c, frame, copy->frame_of[frame], &want, view, FALSE, "");
            }
            if (copy->copy_frame) {
                sa_result_t first = result_at(copy->ref, copy->copy_after + 1, view);
                sa_result_t want = expected_copy(&first, copy->copy_after + 1, copy->kind);
                compare(rp, c, copy->copy_after + 1, copy->copy_frame, &want, view, TRUE, "");
            }
        }
    }
    if (sa_tracker_flow_count(rp->tracker) != flows) {
        rp->differences++;
        /* One line a replay, told even past its first differences: it sums them up. */
        if (rp->report->len < REPORT_BYTES)
            g_string_append_printf(rp->report, "%s, %s: %u flows, expected %u\n", rp->copies[0].rec->name,
                                   rp->variant, sa_tracker_flow_count(rp->tracker), flows);
    }
}

/* Feeds the copies merged by time, each in its own order (a scenario's clock may go backwards), checking
 * the single-pass view after every message and both views at the end. */
static guint
run(replay_t *rp, GString *report)
{
    rp->tracker = tracker_for(rp->copies[0].rec);
    rp->flow_owner = g_array_new(FALSE, TRUE, sizeof(guint32));
    rp->strings = g_string_chunk_new(1024);
    rp->report = report;
    for (;;) {
        copy_t *next = NULL;
        gint64 next_ns = 0;
        for (guint c = 0; c < rp->n_copies; c++) {
            copy_t *copy = &rp->copies[c];
            if (copy->fed == copy->rec->msgs->len)
                continue;
            gint64 at = sc_time_ns(msg_at(copy->rec, copy->fed)) + copy->shift_ns;
            if (next == NULL || at < next_ns) {
                next = copy;
                next_ns = at;
            }
        }
        if (next == NULL)
            break;
        feed(rp, next, FALSE);
        check_so_far(rp);
        if (next->copy_after >= 0 && next->fed == (guint)next->copy_after + 1) {
            feed(rp, next, TRUE);
            check_so_far(rp);
        }
    }
    check_final(rp);
    for (guint c = 0; c < rp->n_copies; c++) {
        sa_tracker_free(rp->copies[c].ref);
        g_free(rp->copies[c].frame_of);
        g_free(rp->copies[c].flow_of);
        g_free(rp->copies[c].prefix);
        g_free(rp->copies[c].reported);
    }
    sa_tracker_free(rp->tracker);
    g_array_free(rp->flow_owner, TRUE);
    g_string_chunk_free(rp->strings);
    return rp->differences;
}

static void
copy_init(copy_t *copy, const sc_recording_t *rec, char *prefix, gint64 shift_ns)
{
    guint n = rec->msgs->len;
    *copy = (copy_t){ .rec = rec, .prefix = prefix, .shift_ns = shift_ns, .ref = tracker_for(rec),
                      .frame_of = g_new0(guint32, n + 1), .flow_of = g_new0(guint32, n + 1), .copy_after = -1,
                      .reported = g_new0(gboolean, 2 * (n + 1)) };
}

guint
replay_interleaved(const sc_recording_t *const *recs, guint n, gboolean own_identities, GString *report)
{
    copy_t *copies = g_new0(copy_t, n);
    for (guint c = 0; c < n; c++)
        copy_init(&copies[c], recs[c], own_identities && c > 0 ? g_strdup_printf("r%u-", c) : g_strdup(""),
                  c * COPY_SHIFT_NS);
    char *variant = n == 2 && recs[0] == recs[1] ? g_strdup("self-interleaved")
                  : n == 2 ? g_strdup_printf("interleaved: %s + %s", recs[0]->name, recs[1]->name)
                  : g_strdup_printf("interleaved: %u scenarios", n);
    replay_t rp = { .variant = variant, .copies = copies, .n_copies = n };
    guint differences = run(&rp, report);
    g_free(variant);
    g_free(copies);
    return differences;
}

/* Whether a copy of message index may come without changing what the scenario means, and how long after it. */
gboolean
replay_copy_delay(const sc_recording_t *rec, guint index, replay_copy_t kind, gint64 *delay_ns)
{
    const sc_msg_t *msg = msg_at(rec, index);
    /* A scenario that already sends the message twice is about copies: one more could change it (a copy
     * just after the first can bring a later one into the duplicate window, and take its finding away). */
    for (guint i = 0; i < rec->msgs->len; i++)
        if (i != index && same_message(msg, msg_at(rec, i)))
            return FALSE;
    gint64 gap = index + 1 < rec->msgs->len ? sc_time_ns(msg_at(rec, index + 1)) - sc_time_ns(msg) : G_MAXINT64;
    *delay_ns = kind == REPLAY_DUPLICATE ? DUPLICATE_DELAY_NS : MIN(T1_NS, gap / 2);
    /* The copy comes before the next original, so the originals keep their order in time; a
     * retransmission stays well out of the duplicate window, or it would be a duplicate. */
    if (*delay_ns <= 0 || *delay_ns >= gap)
        return FALSE;
    return kind == REPLAY_DUPLICATE || *delay_ns >= 2 * DUPLICATE_WINDOW_NS;
}

guint
replay_with_copy(const sc_recording_t *rec, guint index, replay_copy_t kind, GString *report)
{
    copy_t copy;
    gint64 delay_ns;
    if (!replay_copy_delay(rec, index, kind, &delay_ns))
        return 0;
    copy_init(&copy, rec, g_strdup(""), 0);
    copy.copy_after = (gint)index;
    copy.kind = kind;
    copy.delay_ns = delay_ns;
    char *variant = g_strdup_printf("%s of frame %u, %" G_GINT64_FORMAT " ms later",
                                    kind == REPLAY_DUPLICATE ? "duplicate" : "retransmission", index + 1,
                                    delay_ns / MS_NS);
    replay_t rp = { .variant = variant, .copies = &copy, .n_copies = 1 };
    guint differences = run(&rp, report);
    g_free(variant);
    return differences;
}

/* ---- the tests ---- */

static void
fail_on(guint differences, const char *what, GString *report)
{
    if (differences > 0)
        g_test_fail_printf("%s: %u differences\n%s", what, differences, report->str);
}

void
replay_recording_done(sc_recording_t *rec)
{
    if (collected) {
        g_ptr_array_add(collected, rec);
        return;
    }
    if (rec->skip) {
        g_test_message("%s: not replayed: %s", rec->name, rec->skip);
    } else {
        GString *report = g_string_new(NULL);
        const sc_recording_t *twice[] = { rec, rec };
        /* A copy's own identity changes its nonces, so that its responses no longer verify: a scenario with
         * secrets is replayed with copies inserted only. */
        guint variants = 0, differences = 0;
        if (rec->source == NULL) {
            variants++;
            differences += replay_interleaved(twice, 2, TRUE, report);
        }
        for (guint i = 0; i < rec->msgs->len; i++)
            for (replay_copy_t kind = REPLAY_DUPLICATE; kind <= REPLAY_RETRANSMISSION; kind++) {
                gint64 delay_ns;
                if (replay_copy_delay(rec, i, kind, &delay_ns)) {
                    variants++;
                    differences += replay_with_copy(rec, i, kind, report);
                }
            }
        g_test_message("%s: %u messages replayed in %u variants (self-interleaved, copies inserted)",
                       rec->name, rec->msgs->len, variants);
        fail_on(differences, rec->name, report);
        g_string_free(report, TRUE);
    }
    recording_free(rec);
}

typedef struct {
    char     *path;
    GTestFunc func;
} case_t;

static void
run_case(gconstpointer data)
{
    const case_t *c = data;
    current_case = c->path;
    case_scenarios = 0;
    c->func();
    current_case = NULL;
}

void
replay_add_case(const char *path, GTestFunc func)
{
    if (cases == NULL)
        cases = g_ptr_array_new();
    case_t *c = g_new(case_t, 1);
    *c = (case_t){ g_strdup(path), func };
    g_ptr_array_add(cases, c);
    g_test_add_data_func(path, c, run_case);
}

/* Runs every case again (their own assertions too) to record their scenarios, replayable together. */
static GPtrArray *
collect(void)
{
    collected = g_ptr_array_new_with_free_func(recording_free);
    for (guint i = 0; i < cases->len; i++)
        run_case(g_ptr_array_index(cases, i));
    GPtrArray *recs = collected;
    collected = NULL;
    return recs;
}

/* One tracker holds one configuration: only scenarios of the same one can share it. */
static gboolean
mixable(const sc_recording_t *a, const sc_recording_t *b)
{
    return !a->skip && !b->skip && a->config.track_401 == b->config.track_401
        && a->config.retry_timeout_s == b->config.retry_timeout_s
        && a->config.loop_threshold == b->config.loop_threshold
        && a->config.heuristic_call_id == b->config.heuristic_call_id
        && a->source == b->source && a->source_data == b->source_data;
}

/* Each scenario with each other one, two at a time: a difference names both. */
static void
test_interleaved_pairs(void)
{
    GPtrArray *recs = collect();
    GString *report = g_string_new(NULL);
    guint pairs = 0, differences = 0;
    for (guint i = 0; i < recs->len; i++)
        for (guint j = i + 1; j < recs->len; j++) {
            const sc_recording_t *pair[] = { g_ptr_array_index(recs, i), g_ptr_array_index(recs, j) };
            if (mixable(pair[0], pair[1])) {
                pairs++;
                differences += replay_interleaved(pair, 2, TRUE, report);
            }
        }
    g_test_message("%u scenarios, %u pairs interleaved", recs->len, pairs);
    fail_on(differences, "interleaved pairs", report);
    g_string_free(report, TRUE);
    g_ptr_array_free(recs, TRUE);
}

/* All scenarios of one configuration in one tracker. */
static void
test_interleaved_all(void)
{
    GPtrArray *recs = collect();
    GString *report = g_string_new(NULL);
    guint differences = 0;
    gboolean *done = g_new0(gboolean, recs->len);
    for (guint i = 0; i < recs->len; i++) {
        if (done[i])
            continue;
        GPtrArray *group = g_ptr_array_new();
        for (guint j = i; j < recs->len; j++)
            if (!done[j] && mixable(g_ptr_array_index(recs, i), g_ptr_array_index(recs, j))) {
                done[j] = TRUE;
                g_ptr_array_add(group, g_ptr_array_index(recs, j));
            }
        if (group->len > 1) {
            g_test_message("%u scenarios in one tracker", group->len);
            differences += replay_interleaved((const sc_recording_t *const *)group->pdata, group->len, TRUE, report);
        }
        g_ptr_array_free(group, TRUE);
    }
    fail_on(differences, "all interleaved", report);
    g_free(done);
    g_string_free(report, TRUE);
    g_ptr_array_free(recs, TRUE);
}

void
replay_add_tests(void)
{
    g_test_add_func("/replay/interleaved/pairs_of_scenarios", test_interleaved_pairs);
    g_test_add_func("/replay/interleaved/all_scenarios_in_one_tracker", test_interleaved_all);
}
