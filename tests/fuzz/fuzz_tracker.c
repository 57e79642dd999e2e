/* libFuzzer harness for the challenge tracker alone: input bytes become SIP message records, results are checked. */
#include "sipauth/tracker.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"

/*
 * Input layout: one config byte, then records until the bytes run out. Each record starts with
 * an opcode byte (request or response, which optional parts follow) and picks its values from
 * small tables so that transactions, hops, nonces and realms collide often; a "raw" choice takes
 * the following bytes verbatim instead, so garbage and non-UTF-8 reach the parsers too.
 */

#define MAX_EVENTS   1500
#define MAX_LIST     4
#define STRING_SLOTS 64
#define STRING_SIZE  300

/* Strings built for one event; they are freed (overwritten) before the next one, as the SIP tree would be. */
typedef struct {
    char buf[STRING_SLOTS][STRING_SIZE];
    unsigned used;
} strings_t;

static char *
new_string(strings_t *s)
{
    if (s->used >= STRING_SLOTS)
        abort();
    char *str = s->buf[s->used++];
    str[0] = '\0';
    return str;
}

/* Up to 255 input bytes verbatim, stopping at a NUL as a C string would. */
static const char *
take_raw(input_t *in, strings_t *s)
{
    char *str = new_string(s);
    size_t len = take(in);
    size_t n = 0;
    while (n < len && n < STRING_SIZE - 1 && in->size > 0)
        str[n++] = (char)take(in);
    str[n] = '\0';
    return str;
}

static const char *const methods[] = {
    "REGISTER", "INVITE", "ACK", "CANCEL", "BYE", "MESSAGE", "SUBSCRIBE", "OPTIONS",
    "register", "INFO", "X-ODD", "",
};
static const unsigned statuses[] = {
    100, 180, 183, 200, 202, 401, 407, 401, 407, 403, 404, 408, 481, 486, 488, 500, 503, 603,
    0, 1, 199, 299, 300, 699, 700, 999, 65535, 4294967295u,
};
static const char *const call_ids[] = { "c1@ua", "c2@ua", "c3@ua", "c1@UA", "" };
static const char *const cseq_numbers[] = {
    "1", "2", "3", "0", "4294967295", "4294967296", "-1", "18446744073709551617", "02", " 7",
};
static const char *const hosts[] = { "10.0.0.1", "10.0.0.2", "[2001:db8::1]", "pcscf.ims", "", "10.0.0.1:5061" };
static const char *const branches[] = {
    "z9hG4bKa", "z9hG4bKb", "z9hG4bKc", "z9hG4bK", "rfc2543", "", "z9hG4bKa;received=1.2.3.4",
};
static const char *const from_uris[] = { "<sip:alice@example.com>", "\"A\" <sip:alice@example.com>",
                                         "sip:bob@example.com", "<sip:alice@example.com;transport=tcp>" };
static const char *const tags[] = { "t1", "t2", "", NULL };
static const char *const realms[] = { "example.com", "ims.example", "", "\\\"odd\\\"", "example.com\x01" };
static const char *const nonces[] = { "n1", "n2", "n3", "", "n1\\\"x", "n\xff\xfe" };
static const char *const auth_junk[] = {
    "Digest", "Digest ,,,", "Digest realm", "Digest realm=", "Digest realm=\"unterminated",
    "Basic dXNlcjpwYXNz", "Digest nonce=\"n1\" realm=\"example.com\"", "Digest   =  , = \"\"",
    "Digest stale=TRUE", "Digest stale=\"true\", nonce=n2, realm=ims.example", "",
};

#define PICK(table, byte) (table[(byte) % (sizeof(table) / sizeof(table[0]))])

static const char *
take_cseq(input_t *in, strings_t *s)
{
    uint8_t choice = take(in);
    if (choice % 16 == 15)
        return take_raw(in, s);
    if (choice % 16 == 14)
        return NULL;
    char *str = new_string(s);
    const char *method = choice & 0x80 ? PICK(methods, take(in)) : NULL;
    snprintf(str, STRING_SIZE, "%s %s", PICK(cseq_numbers, choice >> 4), method ? method : "%M");
    return str;
}

static const char *
take_via(input_t *in, strings_t *s)
{
    uint8_t choice = take(in);
    if (choice % 32 == 31)
        return take_raw(in, s);
    char *str = new_string(s);
    unsigned entries = 1 + choice % 3;
    size_t len = 0;
    for (unsigned e = 0; e < entries && len < STRING_SIZE - 80; e++) {
        uint8_t entry = take(in);
        const char *transport = entry & 1 ? "TCP" : "UDP";
        len += (size_t)snprintf(str + len, STRING_SIZE - len, "%sSIP/2.0/%s %s", e ? ", " : "", transport,
                                PICK(hosts, entry >> 1));
        if (entry & 0x80)
            len += (size_t)snprintf(str + len, STRING_SIZE - len, ";branch=%s", PICK(branches, take(in)));
        if (entry & 0x40)
            len += (size_t)snprintf(str + len, STRING_SIZE - len, ";rport");
    }
    return str;
}

static const char *
take_from(input_t *in, strings_t *s)
{
    uint8_t choice = take(in);
    if (choice % 16 == 15)
        return take_raw(in, s);
    if (choice % 16 == 14)
        return NULL;
    char *str = new_string(s);
    const char *tag = PICK(tags, choice >> 4);
    snprintf(str, STRING_SIZE, "%s%s%s", PICK(from_uris, choice), tag ? ";tag=" : "", tag ? tag : "");
    return str;
}

static const char *
take_auth(input_t *in, strings_t *s)
{
    uint8_t choice = take(in);
    if (choice == 0xff)
        return take_raw(in, s);
    if (choice >= 0xf0)
        return PICK(auth_junk, choice);
    char *str = new_string(s);
    size_t len = (size_t)snprintf(str, STRING_SIZE, "%s", choice & 0x80 ? "Digest" : "digest ");
    uint8_t which = take(in);
    const char *sep = " ";
    if (which & 0x01) {
        len += (size_t)snprintf(str + len, STRING_SIZE - len, "%susername=\"%s\"", sep, choice & 2 ? "alice" : "");
        sep = ", ";
    }
    if (which & 0x02) {
        len += (size_t)snprintf(str + len, STRING_SIZE - len, "%srealm=\"%s\"", sep, PICK(realms, choice >> 2));
        sep = ", ";
    }
    if (which & 0x04) {
        len += (size_t)snprintf(str + len, STRING_SIZE - len, "%snonce=\"%s\"", sep, PICK(nonces, choice >> 4));
        sep = ", ";
    }
    if (which & 0x08) {
        len += (size_t)snprintf(str + len, STRING_SIZE - len, "%sresponse=\"%s\"", sep,
                                choice & 1 ? "0123456789abcdef" : "");
        sep = ", ";
    }
    if (which & 0x10) {
        len += (size_t)snprintf(str + len, STRING_SIZE - len, "%sstale=%s", sep, choice & 1 ? "TRUE" : "false");
        sep = ", ";
    }
    if (which & 0x20) {
        len += (size_t)snprintf(str + len, STRING_SIZE - len, "%sauts=\"AAAA\"", sep);
        sep = ", ";
    }
    if (which & 0x40)
        len += (size_t)snprintf(str + len, STRING_SIZE - len, "%salgorithm=MD5, qop=\"auth,auth-int\"", sep);
    if (which & 0x80)
        snprintf(str + len, STRING_SIZE - len, ",,nonce=\"%s\" ,", PICK(nonces, which));
    return str;
}

typedef struct {
    const char *values[MAX_LIST];
    sa_header_list_t list;
} list_t;

static void
take_list(input_t *in, strings_t *s, list_t *list, unsigned count, int via)
{
    for (unsigned i = 0; i < count; i++)
        list->values[i] = via ? take_via(in, s) : take_auth(in, s);
    list->list.values = count ? list->values : NULL;
    list->list.count = count;
}

/* What the harness remembers of each fed message. */
typedef struct {
    guint32 frame;
    sa_msg_id_t id;
    gboolean had_so_far;
    sa_result_t so_far;          /* queried right after feeding, as a single pass does */
} fed_t;

typedef struct {
    const sa_tracker_t *tracker;
    fed_t   *fed;
    guint    n_fed;
    guint32  max_frame;
    fed_t  **by_frame;           /* index = frame; NULL if no tracked message there */
    gboolean *frame_fed;         /* index = frame: the frame was fed, tracked or not */
} state_t;

static void
violation(const char *what, guint32 frame, const sa_result_t *r)
{
    fprintf(stderr, "fuzz_tracker: invariant violated: %s (frame %u: flow %u role %s attempt %u code %u "
            "request %u challenge %u ack %u retry %u result %u outcome %s)\n",
            what, frame, r->flow, sa_role_name(r->role), r->attempt, r->challenge_code, r->request_frame,
            r->challenge_frame, r->ack_frame, r->retry_frame, r->result_frame, sa_outcome_name(r->outcome));
    abort();
}

#define CHECK(cond, what) do { if (!(cond)) violation(what, frame, r); } while (0)

static gboolean
frame_was_fed(const state_t *st, guint32 frame)
{
    return frame > 0 && frame <= st->max_frame && st->frame_fed[frame];
}

static const sa_result_t *
final_at(const state_t *st, guint32 frame, sa_result_t *out)
{
    if (frame == 0 || frame > st->max_frame || st->by_frame[frame] == NULL)
        return NULL;
    if (!sa_tracker_result(st->tracker, st->by_frame[frame]->id, SA_VIEW_FINAL, out))
        return NULL;
    return out;
}

static gboolean
accepted_verdict(sa_verdict_t verdict)
{
    return verdict == SA_VERDICT_ACCEPTED || verdict == SA_VERDICT_ACCEPTED_AFTER_REFRESH
        || verdict == SA_VERDICT_ACCEPTED_AFTER_REFUSAL;
}

/* The invariants of one result, in either view, of the message fed as frame. */
static void
check_result(const state_t *st, guint32 frame, const sa_result_t *r, sa_view_t view)
{
    CHECK(r->flow >= 1 && r->flow <= sa_tracker_flow_count(st->tracker), "flow number out of range");
    CHECK(r->role > SA_ROLE_NONE && r->role <= SA_ROLE_RESULT, "role out of range");
    const guint32 links[] = { r->request_frame, r->challenge_frame, r->ack_frame, r->retry_frame, r->result_frame };
    for (unsigned i = 0; i < G_N_ELEMENTS(links); i++) {
        CHECK(links[i] == 0 || frame_was_fed(st, links[i]), "link to a frame never fed");
        CHECK(links[i] != frame, "a frame links to itself");
    }
    if (r->role == SA_ROLE_CHALLENGE || r->role == SA_ROLE_CHALLENGE_RETRANSMISSION || r->role == SA_ROLE_RETRY) {
        CHECK(r->attempt >= 1, "attempt 0 on a challenge or retry");
        CHECK(r->challenge_code == 401 || r->challenge_code == 407, "challenge code not 401/407");
    }
    if (r->role == SA_ROLE_CHALLENGE) {
        CHECK(r->outcome != SA_OUTCOME_NONE, "challenge without an outcome");
        CHECK(view == SA_VIEW_SO_FAR || r->outcome != SA_OUTCOME_UNKNOWN, "outcome unknown in the final view");
        CHECK(r->retry_frame == 0 || r->retry_frame > frame, "retry before its challenge");
        CHECK(r->retry_frame == 0 || r->request_frame == 0 || r->retry_frame > r->request_frame,
              "retry not after the challenged request");
        CHECK(r->result_frame == 0 || r->result_frame > r->retry_frame, "result not after the retry");
        CHECK(r->result_frame == 0 || r->retry_frame != 0, "result without a retry");
        CHECK(r->ack_frame == 0 || r->ack_frame > frame, "ACK before its challenge");
        /* missing_retry: this challenge got none, or the flow's verdict is that its last one got none. */
        gboolean missing = (r->findings & SA_FINDING_BIT(SA_FINDING_MISSING_RETRY)) != 0;
        CHECK(missing == (r->outcome == SA_OUTCOME_NO_RETRY || r->statement == SA_FINDING_MISSING_RETRY),
              "missing_retry disagrees with the outcome and the verdict");
        gboolean answered = (r->findings & SA_FINDING_BIT(SA_FINDING_CHALLENGE_ANSWERED)) != 0;
        CHECK(answered == accepted_verdict(r->verdict), "challenge_answered disagrees with the verdict");
        CHECK(r->outcome != SA_OUTCOME_ACCEPTED || accepted_verdict(r->verdict) || view == SA_VIEW_SO_FAR,
              "an accepted challenge in a flow not accepted");
        /* One statement of the verdict per challenge once the verdict is known. */
        CHECK(r->verdict == SA_VERDICT_UNKNOWN || r->statement != SA_FINDING_COUNT, "known verdict, no statement");
        CHECK(r->statement == SA_FINDING_COUNT || (r->findings & SA_FINDING_BIT(r->statement)),
              "the statement is not a finding of the challenge");
        CHECK((r->retry_frame != 0) == (r->outcome == SA_OUTCOME_ACCEPTED || r->outcome == SA_OUTCOME_REJECTED
                                        || r->outcome == SA_OUTCOME_CHALLENGED_AGAIN
                                        || r->outcome == SA_OUTCOME_RETRY_UNANSWERED
                                        || (r->outcome == SA_OUTCOME_UNKNOWN && r->retry_frame != 0)),
              "outcome disagrees with the retry link");
    } else {
        CHECK(r->statement == SA_FINDING_COUNT, "a statement on a message that is no challenge");
        CHECK(r->outcome == SA_OUTCOME_NONE, "outcome on a message that is no challenge");
    }
    /* The flow's verdict and where it started and ended. */
    CHECK(r->verdict >= SA_VERDICT_ACCEPTED && r->verdict <= SA_VERDICT_UNKNOWN, "verdict out of range");
    CHECK(view == SA_VIEW_SO_FAR || r->verdict != SA_VERDICT_UNKNOWN, "verdict unknown in the final view");
    CHECK(r->first_request_frame == 0 || frame_was_fed(st, r->first_request_frame), "first request never fed");
    CHECK(r->final_frame == 0 || frame_was_fed(st, r->final_frame), "final response never fed");
    CHECK((r->final_frame != 0) == (r->verdict != SA_VERDICT_UNKNOWN), "final frame disagrees with the verdict");
    CHECK(!r->has_auth_time || accepted_verdict(r->verdict), "auth time on a flow not accepted");
    if (r->role == SA_ROLE_RETRY) {
        CHECK(r->challenge_frame != 0 && r->challenge_frame < frame, "retry not after its challenge");
        CHECK(r->request_frame == 0 || r->request_frame < frame, "retry not after the challenged request");
        CHECK(r->result_frame == 0 || r->result_frame > frame, "retry answered before it was sent");
    }
    if (r->role == SA_ROLE_REQUEST) {
        /* A reordered capture may show the challenge first: only the retry must follow the challenge. */
        CHECK(r->challenge_frame != 0, "request without its challenge");
        CHECK(r->retry_frame == 0 || (r->retry_frame > r->challenge_frame && r->retry_frame > frame),
              "retry before the challenge or the request");
    }
    if (r->role == SA_ROLE_ACK)
        CHECK(r->challenge_frame != 0 && r->challenge_frame < frame, "ACK before its challenge");
    if (r->role == SA_ROLE_RESULT)
        CHECK(r->request_frame != 0 && r->request_frame < frame, "result before its retry");

    if (view != SA_VIEW_FINAL)
        return;
    /* Links go both ways: what a message points to points back (FINAL view, all frames fed). */
    sa_result_t other_buf;
    const sa_result_t *other;
    if (r->role == SA_ROLE_CHALLENGE) {
        if (r->retry_frame) {
            other = final_at(st, r->retry_frame, &other_buf);
            CHECK(other && other->role == SA_ROLE_RETRY && other->challenge_frame == frame
                  && other->flow == r->flow && other->attempt == r->attempt, "retry does not point back");
        }
        if (r->ack_frame) {
            other = final_at(st, r->ack_frame, &other_buf);
            CHECK(other && other->role == SA_ROLE_ACK && other->challenge_frame == frame, "ACK does not point back");
        }
        if (r->result_frame) {
            other = final_at(st, r->result_frame, &other_buf);
            CHECK(other && other->flow == r->flow
                  && (other->role == SA_ROLE_RESULT || other->role == SA_ROLE_CHALLENGE)
                  && other->request_frame == r->retry_frame, "result does not point back");
            CHECK(other->role != SA_ROLE_CHALLENGE || other->attempt == r->attempt + 1,
                  "challenge of a retry is not the next attempt");
        }
        if (r->request_frame) {
            other = final_at(st, r->request_frame, &other_buf);
            /* The request of a later attempt is the retry of the previous one: it names that challenge. */
            CHECK(other && other->flow == r->flow
                  && (other->challenge_frame == frame || (other->role == SA_ROLE_RETRY && other->result_frame == frame)),
                  "challenged request does not point back");
        }
    }
    if (r->role == SA_ROLE_RETRY || r->role == SA_ROLE_REQUEST || r->role == SA_ROLE_ACK || r->role == SA_ROLE_RESULT
            || r->role == SA_ROLE_CHALLENGE_RETRANSMISSION || r->role == SA_ROLE_REQUEST_RETRANSMISSION) {
        other = final_at(st, r->challenge_frame, &other_buf);
        CHECK(other && other->role == SA_ROLE_CHALLENGE && other->flow == r->flow,
              "challenge link does not lead to a challenge of the same flow");
        if (r->role == SA_ROLE_RETRY)
            CHECK(other->retry_frame == frame, "challenge does not name this retry");
        CHECK(other->verdict == r->verdict && other->final_frame == r->final_frame
              && other->first_request_frame == r->first_request_frame && other->refusals == r->refusals,
              "one flow, two verdicts");
    }
}

typedef struct {
    const state_t *st;
    guint n;
    guint32 last_frame;
    guint by_outcome[SA_OUTCOME_UNKNOWN + 1];
    sa_view_t view;
} tally_t;

static void
tally_challenge(const sa_result_t *r, gpointer user_data)
{
    tally_t *t = user_data;
    guint32 frame = 0;
    CHECK(r->role == SA_ROLE_CHALLENGE, "foreach_challenge gave no challenge");
    CHECK(r->outcome <= SA_OUTCOME_UNKNOWN, "outcome out of range");
    CHECK(t->view == SA_VIEW_SO_FAR || r->outcome != SA_OUTCOME_UNKNOWN, "unknown outcome in the final view");
    CHECK(r->flow >= 1 && r->flow <= sa_tracker_flow_count(t->st->tracker), "flow number out of range");
    t->by_outcome[r->outcome]++;
    t->n++;
}

static void
check_all(state_t *st)
{
    guint challenges[2] = { 0, 0 };
    guint outcomes[2][SA_OUTCOME_UNKNOWN + 1];
    memset(outcomes, 0, sizeof outcomes);
    for (guint i = 0; i < st->n_fed; i++) {
        fed_t *f = &st->fed[i];
        for (int v = 0; v < 2; v++) {
            sa_view_t view = v ? SA_VIEW_FINAL : SA_VIEW_SO_FAR;
            sa_result_t result;
            if (!sa_tracker_result(st->tracker, f->id, view, &result)) {
                const sa_result_t *r = &result;
                guint32 frame = f->frame;
                CHECK(!(view == SA_VIEW_FINAL && f->had_so_far), "a message lost its flow");
                continue;
            }
            check_result(st, f->frame, &result, view);
            if (result.role == SA_ROLE_CHALLENGE) {
                challenges[v]++;
                outcomes[v][result.outcome]++;
            }
            if (view == SA_VIEW_FINAL && f->had_so_far) {
                /* What a single pass showed stays true once the capture is complete. */
                const sa_result_t *r = &result, *s = &f->so_far;
                guint32 frame = f->frame;
                CHECK(s->flow == r->flow && s->role == r->role && s->attempt == r->attempt,
                      "single-pass flow/role/attempt changed later");
                CHECK(!s->request_frame || s->request_frame == r->request_frame, "single-pass request link changed");
                CHECK(!s->challenge_frame || s->challenge_frame == r->challenge_frame,
                      "single-pass challenge link changed");
                CHECK(!s->retry_frame || s->retry_frame == r->retry_frame, "single-pass retry link changed");
                CHECK(s->outcome == SA_OUTCOME_UNKNOWN || s->outcome == r->outcome,
                      "single-pass outcome changed later");
            }
        }
    }
    for (int v = 0; v < 2; v++) {
        tally_t t = { .st = st, .view = v ? SA_VIEW_FINAL : SA_VIEW_SO_FAR };
        sa_tracker_foreach_challenge(st->tracker, t.view, tally_challenge, &t);
        guint sum = 0;
        for (int o = 0; o <= SA_OUTCOME_UNKNOWN; o++) {
            sum += t.by_outcome[o];
            if (t.by_outcome[o] != outcomes[v][o]) {
                fprintf(stderr, "fuzz_tracker: view %d outcome %s: foreach %u, per message %u\n",
                        v, sa_outcome_name((sa_outcome_t)o), t.by_outcome[o], outcomes[v][o]);
                abort();
            }
        }
        if (sum != t.n || t.n != challenges[v] || t.by_outcome[SA_OUTCOME_NONE] != 0) {
            fprintf(stderr, "fuzz_tracker: view %d: %u challenges by foreach, %u by message, %u none\n",
                    v, t.n, challenges[v], t.by_outcome[SA_OUTCOME_NONE]);
            abort();
        }
        if (v == 1 && t.by_outcome[SA_OUTCOME_UNKNOWN] != 0)
            abort();
    }
    /* Ids the tracker never gave out answer nothing. */
    sa_result_t none;
    if (sa_tracker_result(st->tracker, 0, SA_VIEW_FINAL, &none))
        abort();
    if (sa_tracker_result(st->tracker, G_MAXUINT32, SA_VIEW_SO_FAR, &none))
        abort();
}

static void
trace_list(const char *name, const sa_header_list_t *list)
{
    for (guint i = 0; i < list->count; i++)
        fprintf(stderr, "    %s: %s\n", name, list->values[i] ? list->values[i] : "(null)");
}

/* FUZZ_TRACE=1 prints the records an input decodes to: the reproducer of a finding, readable. */
static void
trace_event(const sa_event_t *ev, sa_msg_id_t id)
{
    fprintf(stderr, "frame %u t=%" G_GINT64_FORMAT " id=%u%s: %s %u\n", ev->frame, ev->time_ns, id,
            ev->quoted_in_error ? " (in ICMP)" : "", ev->method ? ev->method : "(response)", ev->status);
    fprintf(stderr, "    Call-ID: %s\n    CSeq: %s\n    From: %s\n", ev->call_id ? ev->call_id : "(null)",
            ev->cseq ? ev->cseq : "(null)", ev->from ? ev->from : "(null)");
    trace_list("Via", &ev->via);
    trace_list("WWW-Authenticate", &ev->www_authenticate);
    trace_list("Proxy-Authenticate", &ev->proxy_authenticate);
    trace_list("Authorization", &ev->authorization);
    trace_list("Proxy-Authorization", &ev->proxy_authorization);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input_t in = { data, size };
    static int trace = -1;
    if (trace < 0)
        trace = getenv("FUZZ_TRACE") != NULL;
    sa_config_t config;
    sa_config_init_defaults(&config);
    uint8_t cfg = take(&in);
    config.track_401 = (cfg & 1) == 0;
    config.heuristic_call_id = (cfg & 2) == 0;
    config.loop_threshold = (cfg >> 2) & 3;            /* 0 .. 3, 0 meaning never */
    config.retry_timeout_s = (cfg & 0x10) ? (cfg >> 5) : 32;

    sa_tracker_t *tracker = sa_tracker_new(&config);
    state_t st = { .tracker = tracker };
    st.fed = g_new0(fed_t, MAX_EVENTS);
    guint32 max_frames = MAX_EVENTS * 4 + 1;
    st.by_frame = g_new0(fed_t *, max_frames + 1);
    st.frame_fed = g_new0(gboolean, max_frames + 1);

    GHashTable *ids = g_hash_table_new(g_direct_hash, g_direct_equal);
    static strings_t strings;
    guint32 frame = 0;
    gint64 time_ns = G_GINT64_CONSTANT(1700000000) * 1000000000;
    for (guint n = 0; n < MAX_EVENTS && in.size > 0; n++) {
        strings.used = 0;
        uint8_t op = take(&in);
        sa_event_t ev;
        memset(&ev, 0, sizeof ev);

        uint8_t step = take(&in);
        frame += 1 + (step & 3);
        ev.frame = frame;
        /* Time mostly moves on by up to a few seconds; sometimes jumps past the retry timeout, or back. */
        switch (step >> 5) {
        case 0: time_ns += (gint64)(step >> 2 & 7) * 1000; break;                       /* duplicates */
        case 1: case 2: case 3: time_ns += (gint64)(step >> 2 & 7) * 250000000; break;
        case 4: time_ns += (gint64)(step >> 2 & 7) * 20 * G_GINT64_CONSTANT(1000000000); break;
        case 5: time_ns -= (gint64)(step >> 2 & 7) * 500000000; break;
        case 6: time_ns -= G_GINT64_CONSTANT(3600) * 1000000000; break;
        default: time_ns = (step & 4) ? 0 : G_MAXINT64 / 2; break;
        }
        ev.time_ns = time_ns;
        ev.quoted_in_error = (op & 0x0f) == 0x0f;

        if (op & 1) {
            ev.method = PICK(methods, take(&in));
        } else {
            uint8_t code = take(&in);
            ev.status = PICK(statuses, code);
            if (code == 0xff)
                ev.method = "";     /* neither request nor response */
        }
        uint8_t call = take(&in);
        ev.call_id = (call & 0x0f) == 0x0f ? take_raw(&in, &strings)
                   : (call & 0x0f) == 0x0e ? NULL : PICK(call_ids, call);
        ev.cseq = take_cseq(&in, &strings);
        if (ev.cseq && strstr(ev.cseq, "%M")) {
            /* The CSeq method follows the request's method, or an INVITE for responses. */
            char *fixed = new_string(&strings);
            const char *m = ev.method && *ev.method ? ev.method : (call & 0x80 ? "REGISTER" : "INVITE");
            snprintf(fixed, STRING_SIZE, "%.*s%s", (int)(strstr(ev.cseq, "%M") - ev.cseq), ev.cseq, m);
            ev.cseq = fixed;
        }
        ev.from = (op & 2) ? take_from(&in, &strings) : "<sip:alice@example.com>;tag=t1";

        list_t via, www, proxy, authz, proxy_authz;
        uint8_t counts = take(&in);
        take_list(&in, &strings, &via, (counts & 3) == 3 ? 0 : 1 + (counts & 3) / 2 + ((op >> 7) & 1), TRUE);
        uint8_t auth = (op & 4) ? take(&in) : 0;
        take_list(&in, &strings, &www, (auth >> 0) & 3, FALSE);
        take_list(&in, &strings, &proxy, (auth >> 2) & 3, FALSE);
        take_list(&in, &strings, &authz, (auth >> 4) & 3, FALSE);
        take_list(&in, &strings, &proxy_authz, (auth >> 6) & 3, FALSE);
        ev.via = via.list;
        ev.www_authenticate = www.list;
        ev.proxy_authenticate = proxy.list;
        ev.authorization = authz.list;
        ev.proxy_authorization = proxy_authz.list;
        if ((op & 0x70) == 0x70)
            ev.frame = 0;           /* "frame numbers are > 0": frame 0 must be refused */

        sa_msg_id_t id = sa_tracker_feed(tracker, &ev);
        if (trace)
            trace_event(&ev, id);
        if (ev.frame == 0) {
            if (id != 0)
                abort();
            continue;
        }
        st.frame_fed[frame] = TRUE;
        st.max_frame = frame;
        if ((ev.quoted_in_error || (!ev.method && (ev.status < 200 || ev.status > 699))) && id != 0) {
            fprintf(stderr, "fuzz_tracker: frame %u: an ICMP quote or provisional response was tracked\n", frame);
            abort();
        }
        if (id == 0)
            continue;
        if (!g_hash_table_add(ids, GUINT_TO_POINTER(id)))
            abort();        /* ids are unique */
        fed_t *f = &st.fed[st.n_fed++];
        f->frame = frame;
        f->id = id;
        st.by_frame[frame] = f;
        f->had_so_far = sa_tracker_result(tracker, id, SA_VIEW_SO_FAR, &f->so_far);
        if (f->had_so_far)
            check_result(&st, frame, &f->so_far, SA_VIEW_SO_FAR);
    }

    check_all(&st);
    for (int r = 0; r <= SA_ROLE_RESULT + 1; r++)
        (void)sa_role_name((sa_role_t)r);
    for (int o = 0; o <= SA_OUTCOME_UNKNOWN + 1; o++)
        (void)sa_outcome_name((sa_outcome_t)o);
    for (int f = 0; f <= SA_FINDING_COUNT; f++)
        (void)sa_finding_abbrev((sa_finding_t)f);

    sa_tracker_free(tracker);
    g_free(st.fed);
    g_free(st.by_frame);
    g_free(st.frame_fed);
    g_hash_table_destroy(ids);
    return 0;
}
