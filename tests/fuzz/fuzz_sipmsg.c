/* libFuzzer harness for the SIP message reader: raw messages are parsed, checked and fed to a tracker. */
#include "sipauth/sipmsg.h"
#include "sipauth/secrets.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Input layout: one config byte, then records separated by "%%". A record is one step byte (how far
 * frame and time move) followed by the raw bytes of one SIP message, which are copied into a buffer of
 * exactly len + 1 bytes (so that ASan sees any read past it) and parsed. Printable bytes are ordinary
 * choices, so seeds stay readable: "@" is the default config, "1" the next frame 0.4 s later, "0" one
 * more message in the same frame.
 *
 *   config: bit 0 ignore 401s, bit 1 no new-Call-ID heuristic, bits 2-3 loop threshold (0: default),
 *           bit 4 retry timeout 1 s
 *   step:   0xe0..0xff frame back by 1 + (step & 15) and time back 1 s (reordered or fed again);
 *           otherwise frame += step & 3 (0: same frame) and time += 40 s if bit 7, else
 *           ((step >> 2) & 7) * 100 ms
 */

#define MAX_MESSAGES 256
#define MAX_FRAMES   (MAX_MESSAGES * 3 + 2)
#define SEPARATOR    "%%"
#define SENTINEL     '#'            /* text[len] before parsing: not a NUL the parser could rely on */

/* What the harness remembers of the messages fed so far, to check the tracker's answers. */
typedef struct {
    const sa_tracker_t *tracker;
    sa_msg_id_t last_id;
    guint32 frame_of_id[MAX_MESSAGES + 1];       /* index = id */
    gboolean had_so_far[MAX_MESSAGES + 1];       /* a result right after feeding, as a single pass sees */
    sa_result_t so_far[MAX_MESSAGES + 1];
    gboolean fed[MAX_FRAMES];                    /* index = frame: given to sa_tracker_feed at least once */
    sa_msg_id_t first_id[MAX_FRAMES];            /* the frame's first tracked id */
    guint ids_fed[MAX_FRAMES];                   /* how many tracked ids the frame got, all feedings */
    gboolean in_order[MAX_FRAMES];               /* fed in one go, after every lower frame: index is exact */
    guint32 last_frame_fed;
    guint32 max_frame_fed;
    gboolean frames_increasing;                  /* no frame went back in this input */
} state_t;

static void G_GNUC_NORETURN
fail(const char *what, guint32 frame)
{
    fprintf(stderr, "fuzz_sipmsg: invariant violated: %s (frame %u)\n", what, frame);
    abort();
}

/* The Status-Line / Request-Line rules, written again from the specification, to check the parser's verdict:
 * returns 1 for a request, 2 for a response (with *status), 0 for anything else. */
static int
expected_start_line(const uint8_t *bytes, size_t len, guint *status)
{
    size_t line_len = 0;
    while (line_len < len && bytes[line_len] != '\r' && bytes[line_len] != '\n')
        line_len++;
    const uint8_t *space1 = memchr(bytes, ' ', line_len);
    if (space1 == NULL || space1 == bytes)
        return 0;
    const uint8_t *token2 = space1 + 1;
    const uint8_t *space2 = memchr(token2, ' ', line_len - (size_t)(token2 - bytes));
    if (space2 == NULL)
        return 0;
    size_t token2_len = (size_t)(space2 - token2);
    size_t token3_len = line_len - (size_t)(space2 + 1 - bytes);
    if (space1 - bytes == 7 && memcmp(bytes, "SIP/2.0", 7) == 0) {
        if (token2_len != 3)
            return 0;
        for (int i = 0; i < 3; i++)
            if (token2[i] < '0' || token2[i] > '9')
                return 0;
        *status = (guint)((token2[0] - '0') * 100 + (token2[1] - '0') * 10 + (token2[2] - '0'));
        return 2;
    }
    if (token2_len < 3 || memchr(token2 + 1, ':', token2_len - 1) == NULL)
        return 0;
    if (token3_len != 7 || memcmp(space2 + 1, "SIP/2.0", 7) != 0)
        return 0;
    return 1;
}

/* Offset of the empty line that ends the headers (CR, LF or CRLF line ends), or len without one. */
static size_t
expected_header_end(const uint8_t *bytes, size_t len)
{
    for (size_t pos = 0, line = 0; pos < len; line++) {
        size_t eol = pos;
        while (eol < len && bytes[eol] != '\r' && bytes[eol] != '\n')
            eol++;
        size_t next = eol;
        if (next < len)
            next += bytes[next] == '\r' && next + 1 < len && bytes[next + 1] == '\n' ? 2 : 1;
        if (line > 0 && eol == pos)
            return pos;             /* even when the body's first line starts with SP or HT */
        pos = next;
    }
    return len;
}

/* A kept value: NUL-terminated within text[0..len], valid UTF-8. Never reads past text[len]. */
static void
check_value(const char *value, const char *text, size_t len, const char *what, guint32 frame)
{
    if (value == NULL)
        fail(what, frame);
    if (value < text || value > text + len) {
        fprintf(stderr, "fuzz_sipmsg: %s outside the message buffer\n", what);
        fail("value outside the buffer", frame);
    }
    const char *nul = memchr(value, '\0', (size_t)(text + len + 1 - value));
    if (nul == NULL) {
        fprintf(stderr, "fuzz_sipmsg: %s\n", what);
        fail("value not NUL-terminated inside the buffer", frame);
    }
    if (!g_utf8_validate(value, nul - value, NULL)) {
        fprintf(stderr, "fuzz_sipmsg: %s\n", what);
        fail("value not valid UTF-8", frame);
    }
}

/* A header value: a kept value that starts before the empty line ending the headers (headers_end). */
static void
check_header_value(const char *value, const char *text, size_t len, const char *headers_end, const char *what,
                   guint32 frame)
{
    check_value(value, text, len, what, frame);
    if (value > headers_end || (value == headers_end && headers_end != text + len)) {
        fprintf(stderr, "fuzz_sipmsg: %s\n", what);
        fail("a header value taken from the body", frame);
    }
}

static void
check_list(const sa_header_list_t *list, const char *const *storage, guint cap, const char *text, size_t len,
           const char *headers_end, const char *what, guint32 frame)
{
    if (list->count > cap)
        fail("more header lines kept than the cap", frame);
    if (list->count > 0 && list->values != storage)
        fail("header list does not point into the message's arrays", frame);
    for (guint i = 0; i < list->count; i++)
        check_header_value(list->values[i], text, len, headers_end, what, frame);
}

/* Everything the parser returned for one message, against the original bytes. */
static void
check_parsed(gboolean ok, const sa_sip_message_t *msg, const uint8_t *bytes, const char *text, size_t len,
             guint32 frame)
{
    guint status = 0;
    int kind = expected_start_line(bytes, len, &status);
    if (ok != (kind != 0))
        fail(ok ? "accepted a line that is no start line" : "refused a valid start line", frame);
    if (!ok)
        return;
    const sa_event_t *ev = &msg->event;
    if (ev->frame != 0 || ev->time_ns != 0 || ev->quoted_in_error)
        fail("the parser set a field that is not the message's", frame);
    if (kind == 1) {
        if (ev->method != text || ev->status != 0)
            fail("request without its method at the start of the buffer", frame);
        check_value(ev->method, text, len, "method", frame);
        /* The method is the first token, cut short only by a NUL byte inside it. */
        const uint8_t *space = memchr(bytes, ' ', len);
        const uint8_t *nul = memchr(bytes, '\0', (size_t)(space - bytes));
        if (strlen(ev->method) != (size_t)((nul ? nul : space) - bytes))
            fail("method is not the first token", frame);
    } else {
        if (ev->method != NULL || ev->status != status)
            fail("status line with a method or the wrong code", frame);
    }

    const char *headers_end = text + expected_header_end(bytes, len);
    if (ev->call_id)
        check_header_value(ev->call_id, text, len, headers_end, "Call-ID", frame);
    if (ev->cseq)
        check_header_value(ev->cseq, text, len, headers_end, "CSeq", frame);
    if (ev->from)
        check_header_value(ev->from, text, len, headers_end, "From", frame);
    check_list(&ev->via, msg->via, SA_MSG_MAX_VIA, text, len, headers_end, "Via", frame);
    check_list(&ev->www_authenticate, msg->www_authenticate, SA_MSG_MAX_AUTH, text, len, headers_end,
               "WWW-Authenticate", frame);
    check_list(&ev->proxy_authenticate, msg->proxy_authenticate, SA_MSG_MAX_AUTH, text, len, headers_end,
               "Proxy-Authenticate", frame);
    check_list(&ev->authorization, msg->authorization, SA_MSG_MAX_AUTH, text, len, headers_end, "Authorization",
               frame);
    check_list(&ev->proxy_authorization, msg->proxy_authorization, SA_MSG_MAX_AUTH, text, len, headers_end,
               "Proxy-Authorization", frame);
    check_list(&ev->security_client, msg->security_client, SA_MSG_MAX_SECURITY, text, len, headers_end,
               "Security-Client", frame);
    check_list(&ev->security_server, msg->security_server, SA_MSG_MAX_SECURITY, text, len, headers_end,
               "Security-Server", frame);
    check_list(&ev->security_verify, msg->security_verify, SA_MSG_MAX_SECURITY, text, len, headers_end,
               "Security-Verify", frame);
}

/* Where result strings are summed up: volatile, or the reads could be optimized away. */
static volatile size_t string_bytes;

/* Ranges of one result; strings are read so that ASan sees any pointer into a freed message buffer. */
static void
check_result(const state_t *st, const sa_result_t *r, guint32 frame)
{
    if (r->flow < 1 || r->flow > sa_tracker_flow_count(st->tracker))
        fail("flow number out of range", frame);
    if (r->role <= SA_ROLE_NONE || r->role > SA_ROLE_RESULT)
        fail("role out of range", frame);
    if (r->outcome > SA_OUTCOME_UNKNOWN)
        fail("outcome out of range", frame);
    const guint32 links[] = { r->request_frame, r->challenge_frame, r->ack_frame, r->retry_frame, r->result_frame };
    for (gsize i = 0; i < G_N_ELEMENTS(links); i++)
        if (links[i] != 0 && (links[i] >= MAX_FRAMES || !st->fed[links[i]]))
            fail("link to a frame never fed", frame);
    const char *strings[] = { r->method, r->realm, r->username, r->from_uri };
    for (gsize i = 0; i < G_N_ELEMENTS(strings); i++)
        string_bytes += strings[i] ? strlen(strings[i]) : 0;
}

/* Bookkeeping for the frame index, before the message is fed. */
static void
note_feeding(state_t *st, guint32 frame)
{
    if (!st->fed[frame])
        st->in_order[frame] = frame > st->max_frame_fed;
    else if (frame != st->last_frame_fed)
        st->in_order[frame] = FALSE;        /* fed again after another frame */
    st->fed[frame] = TRUE;
    st->last_frame_fed = frame;
    if (frame > st->max_frame_fed)
        st->max_frame_fed = frame;
}

static void
note_id(state_t *st, guint32 frame, sa_msg_id_t id)
{
    if (id <= st->last_id || id > MAX_MESSAGES)
        fail("ids do not increase one message at a time", frame);
    st->last_id = id;
    st->frame_of_id[id] = frame;
    if (st->ids_fed[frame]++ == 0)
        st->first_id[frame] = id;
    st->had_so_far[id] = sa_tracker_result(st->tracker, id, SA_VIEW_SO_FAR, &st->so_far[id]);
    if (st->had_so_far[id])
        check_result(st, &st->so_far[id], frame);
}

/*
 * sa_tracker_frame_messages against what was fed: the range starts at the frame's first tracked id and
 * holds only ids of this frame; for a frame fed in one go in increasing order it holds all of them.
 * (A frame fed again later may keep fewer: the index keeps the ids of its first feeding.)
 */
static void
check_frame_index(const state_t *st, guint32 frame)
{
    sa_msg_id_t first = 12345;
    guint count = sa_tracker_frame_messages(st->tracker, frame, &first);
    if (count == 0) {
        if (first != 0)
            fail("frame index: no messages but a first id", frame);
        if (st->ids_fed[frame] != 0)
            fail("frame index: a frame with tracked messages has none", frame);
        return;
    }
    if (st->ids_fed[frame] == 0)
        fail("frame index: messages for a frame that got none", frame);
    if (first != st->first_id[frame])
        fail("frame index: first id is not the frame's first tracked message", frame);
    if (count > st->ids_fed[frame] || first + count - 1 > st->last_id)
        fail("frame index: more messages than the frame got", frame);
    for (sa_msg_id_t id = first; id < first + count; id++)
        if (st->frame_of_id[id] != frame)
            fail("frame index: an id of another frame", frame);
    if (st->in_order[frame] && count != st->ids_fed[frame])
        fail("frame index: a frame fed in order lost messages", frame);
}

static void
check_all(const state_t *st)
{
    for (guint32 frame = 0; frame < MAX_FRAMES; frame++)
        check_frame_index(st, frame);
    for (sa_msg_id_t id = 1; id <= st->last_id; id++) {
        guint32 frame = st->frame_of_id[id];
        for (int v = 0; v < 2; v++) {
            sa_result_t result;
            if (sa_tracker_result(st->tracker, id, v ? SA_VIEW_FINAL : SA_VIEW_SO_FAR, &result))
                check_result(st, &result, frame);
            else if (v == 1 && st->had_so_far[id])
                fail("a message lost its flow", frame);
            /* What a single pass showed stays true once the capture is complete (frames in order). */
            if (v == 1 && st->had_so_far[id] && st->frames_increasing
                    && (result.flow != st->so_far[id].flow || result.role != st->so_far[id].role))
                fail("single-pass flow or role changed later", frame);
        }
    }
    sa_result_t none;
    if (sa_tracker_result(st->tracker, st->last_id + 1, SA_VIEW_FINAL, &none))
        fail("a result for an id never given out", 0);
}

/* Position of the next separator in [p, end), or end. */
static const uint8_t *
find_separator(const uint8_t *p, const uint8_t *end)
{
    const size_t sep_len = sizeof SEPARATOR - 1;
    for (; (size_t)(end - p) >= sep_len; p++)
        if (memcmp(p, SEPARATOR, sep_len) == 0)
            return p;
    return end;
}

/* FUZZ_TRACE=1 prints what each record parsed to, before it is checked, and what the tracker made of it:
 * a reproducer, readable. */
static void
trace_parsed(guint32 frame, gint64 time_ns, size_t len, gboolean ok, const sa_sip_message_t *msg)
{
    const sa_event_t *ev = &msg->event;
    fprintf(stderr, "frame %u t=%" G_GINT64_FORMAT " len=%zu: ", frame, time_ns, len);
    if (!ok) {
        fprintf(stderr, "not SIP\n");
        return;
    }
    fprintf(stderr, "%s %u\n", ev->method ? ev->method : "(response)", ev->status);
    const char *singles[][2] = { { "Call-ID", ev->call_id }, { "CSeq", ev->cseq }, { "From", ev->from } };
    for (gsize i = 0; i < G_N_ELEMENTS(singles); i++)
        if (singles[i][1])
            fprintf(stderr, "    %s: %s\n", singles[i][0], singles[i][1]);
    const struct { const char *name; const sa_header_list_t *list; } lists[] = {
        { "Via", &ev->via }, { "WWW-Authenticate", &ev->www_authenticate },
        { "Proxy-Authenticate", &ev->proxy_authenticate }, { "Authorization", &ev->authorization },
        { "Proxy-Authorization", &ev->proxy_authorization }, { "Security-Client", &ev->security_client },
        { "Security-Server", &ev->security_server }, { "Security-Verify", &ev->security_verify },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(lists); i++)
        for (guint v = 0; v < lists[i].list->count; v++)
            fprintf(stderr, "    %s: %s\n", lists[i].name, lists[i].list->values[v]);
}

static void
trace_fed(const sa_tracker_t *tracker, sa_msg_id_t id)
{
    sa_result_t result;
    gboolean in_flow = id != 0 && sa_tracker_result(tracker, id, SA_VIEW_SO_FAR, &result);
    fprintf(stderr, "    -> id %u%s%s\n", id, in_flow ? " " : "", in_flow ? sa_role_name(result.role) : "");
}

static void
decode_config(uint8_t byte, sa_config_t *config)
{
    sa_config_init_defaults(config);
    if (byte & 1)
        config->track_401 = FALSE;
    if (byte & 2)
        config->heuristic_call_id = FALSE;
    if ((byte >> 2) & 3)
        config->loop_threshold = (byte >> 2) & 3;
    if (byte & 0x10)
        config->retry_timeout_s = 1;
}

/* Moves frame and time as the record's step byte says. */
static void
apply_step(uint8_t step, guint32 *frame, gint64 *time_ns, gboolean *frames_increasing)
{
    if ((step & 0xe0) == 0xe0) {
        guint32 back = 1 + (step & 0x0f);
        *frame = *frame > back ? *frame - back : 1;
        *time_ns -= G_GINT64_CONSTANT(1000000000);
        *frames_increasing = FALSE;
        return;
    }
    *frame += step & 3;
    if (*frame == 0)
        *frame = 1;
    *time_ns += (step & 0x80) ? G_GINT64_CONSTANT(40000000000) : (gint64)((step >> 2) & 7) * 100000000;
}

/* A credentials table for the users of the seeds, so that retries are verified too: passwords, an HA1, an
 * any-realm row and AKA keys (TS 35.208 test set 1). */
static const sa_secrets_t *
fuzz_secrets(void)
{
    static sa_secrets_t *secrets;
    if (secrets == NULL) {
        static const sa_secret_row_t rows[] = {
            { "alice", "example.com", "secret", NULL, NULL, NULL, NULL, NULL },
            { "bob", "", "secret", NULL, NULL, NULL, NULL, NULL },
            { "bob", "example.org", NULL, "0123456789abcdef0123456789abcdef", NULL, NULL, NULL, NULL },
            { "001010000000001@ims.example.net", "", NULL, NULL, "465b5ce8b199b49faa5f0a2ee238a6bc",
              "cdc202d5123e20f62b6d676ac72cb318", NULL, "b9b9" },
        };
        secrets = sa_secrets_new();
        for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
            sa_secrets_add(secrets, &rows[i]);
    }
    return secrets;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int trace = -1;
    if (trace < 0)
        trace = getenv("FUZZ_TRACE") != NULL;
    if (size == 0)
        return 0;
    sa_config_t config;
    decode_config(data[0], &config);
    sa_tracker_t *tracker = sa_tracker_new(&config);
    /* Every other input with the table: the unchecked path stays fuzzed too. */
    if (data[0] & 0x80)
        sa_tracker_set_secret_source(tracker, sa_secrets_lookup, fuzz_secrets());
    state_t *st = g_new0(state_t, 1);      /* large: not on the stack */
    st->tracker = tracker;
    st->frames_increasing = TRUE;
    sa_sip_message_t *msg = g_new0(sa_sip_message_t, 1);

    const uint8_t *p = data + 1, *end = data + size;
    guint32 frame = 0;
    gint64 time_ns = G_GINT64_CONSTANT(1700000000) * 1000000000;
    for (guint n = 0; n < MAX_MESSAGES && p < end; n++) {
        const uint8_t *record_end = find_separator(p, end);
        apply_step(*p, &frame, &time_ns, &st->frames_increasing);
        const uint8_t *bytes = p + 1 <= record_end ? p + 1 : record_end;
        size_t len = (size_t)(record_end - bytes);
        p = record_end + (record_end < end ? sizeof SEPARATOR - 1 : 0);
        if (frame >= MAX_FRAMES)
            break;

        /* "ESP <spi>": an ESP packet (a retry hidden in IPsec, SPEC section 11), not a SIP message. */
        if (len >= 4 && memcmp(bytes, "ESP ", 4) == 0) {
            sa_esp_event_t esp = { frame, time_ns, { NULL, 0 }, { NULL, 0 }, 0 };
            for (size_t i = 4; i < len && i < 14 && bytes[i] >= '0' && bytes[i] <= '9'; i++)
                esp.spi = esp.spi * 10 + (guint32)(bytes[i] - '0');
            sa_tracker_feed_esp(tracker, &esp);
            continue;
        }
        char *text = malloc(len + 1);
        if (len)
            memcpy(text, bytes, len);
        text[len] = SENTINEL;
        gboolean ok = sa_sip_message_parse(text, len, msg);
        if (trace)
            trace_parsed(frame, time_ns, len, ok, msg);
        check_parsed(ok, msg, bytes, text, len, frame);
        sa_msg_id_t id = 0;
        if (ok) {
            msg->event.frame = frame;
            msg->event.time_ns = time_ns;
            note_feeding(st, frame);
            id = sa_tracker_feed(tracker, &msg->event);
            if (trace)
                trace_fed(tracker, id);
        }
        free(text);         /* the tracker copies what it keeps: ASan reports any pointer it kept */
        if (id != 0)
            note_id(st, frame, id);
        check_frame_index(st, frame);       /* what the plugin asks right after feeding a frame */
    }

    check_all(st);
    sa_tracker_free(tracker);
    g_free(msg);
    g_free(st);
    return 0;
}
