/* libFuzzer harness for the Diameter Cx reader and the HSS links: input bytes become Diameter messages (raw,
 * or a well-formed Cx header around fuzzed AVPs) interleaved with SIP REGISTER challenges and retries whose
 * nonces come from the input too, so that vectors, users and errors collide; every result and Cx answer is then
 * read back and checked for consistency. */
#include "sipauth/tracker.h"
#include "sipauth/diameter.h"
#include "sipauth/explain.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"

#define MAX_RECORDS 400

static void
check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "invariant violated: %s\n", what);
        abort();
    }
}

/* A Cx header (application 16777216, a command of the input's choice) before len input bytes. */
static size_t
cx_message(input_t *in, uint8_t *out, size_t room)
{
    size_t len = take(in) * 4u;
    static const uint32_t commands[] = { 303, 301, 300, 302 };
    uint8_t flags = take(in);
    uint8_t id = take(in) & 7;                         /* few identifiers: requests meet their answers */
    len = len < in->size ? len : in->size;
    if (20 + len > room)
        len = room - 20;
    uint32_t command = commands[flags & 3];
    uint32_t total = (uint32_t)(20 + len) + ((flags & 4) ? 8u : 0u);   /* sometimes a length past the end */
    out[0] = 1;
    out[1] = (uint8_t)(total >> 16); out[2] = (uint8_t)(total >> 8); out[3] = (uint8_t)total;
    out[4] = (flags & 8) ? 0x80 : 0;
    out[5] = 0; out[6] = (uint8_t)(command >> 8); out[7] = (uint8_t)command;
    out[8] = 0x01; out[9] = 0; out[10] = 0; out[11] = 0;
    memset(out + 12, id, 8);
    memcpy(out + 20, in->data, len);
    in->data += len;
    in->size -= len;
    return 20 + len;
}

static const uint8_t scscf[4] = { 10, 0, 0, 20 }, hss[4] = { 10, 0, 0, 30 }, pcscf[4] = { 10, 0, 0, 10 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input_t in = { data, size };
    sa_config_t config;
    sa_config_init_defaults(&config);
    sa_tracker_t *tracker = sa_tracker_new(&config);
    uint32_t frame = 0;
    uint8_t buf[4096];
    char nonce[80], www[200], auth[400], cseq[32], via[80], to[80];
    for (unsigned n = 0; n < MAX_RECORDS && in.size > 0; n++) {
        uint8_t op = take(&in);
        int64_t t = (int64_t)frame * 1000000;
        if (op < 96) {
            size_t len;
            if (op & 1) {
                len = cx_message(&in, buf, sizeof buf);
            } else {
                len = take(&in);
                len = len < in.size ? len : in.size;
                memcpy(buf, in.data, len);
                in.data += len;
                in.size -= len;
            }
            sa_addr_t from = { (op & 2) ? scscf : hss, 4 }, dst = { (op & 2) ? hss : scscf, 4 };
            sa_diameter_event_t e = { ++frame, t, from, dst, buf, len };
            sa_tracker_feed_diameter(tracker, &e);
            sa_diameter_msg_t msg;
            if (sa_diameter_parse(buf, len, &msg)) {
                check(msg.n_items <= SA_DIAMETER_MAX_ITEMS, "items bounded");
                for (unsigned i = 0; i < msg.n_items; i++)
                    check(msg.items[i].authenticate.len <= len, "item inside message");
            }
            continue;
        }
        /* A SIP REGISTER step: request, 401 with a nonce of 32 input bytes, retry with it, final. */
        uint8_t raw[32];
        for (unsigned i = 0; i < 32; i++)
            raw[i] = take(&in);
        char *b64 = g_base64_encode(raw, 32);
        snprintf(nonce, sizeof nonce, "%s", b64);
        g_free(b64);
        unsigned user = op & 3, cseq_no = 1 + (op >> 2 & 7);
        snprintf(to, sizeof to, "<sip:user%u@ims.example.net>", user);
        snprintf(cseq, sizeof cseq, "%u REGISTER", cseq_no);
        snprintf(via, sizeof via, "SIP/2.0/UDP 10.0.0.10;branch=z9hG4bK-%u-%u", user, cseq_no);
        snprintf(www, sizeof www, "Digest realm=\"ims.example.net\", nonce=\"%s\", algorithm=%s, qop=\"auth\"",
                 nonce, (op & 32) ? "AKAv1-MD5" : "MD5");
        snprintf(auth, sizeof auth, "Digest username=\"user%u@ims.example.net\", realm=\"ims.example.net\", "
                 "nonce=\"%s\", uri=\"sip:ims.example.net\", response=\"%032x\", algorithm=%s, cnonce=\"c\", "
                 "nc=00000001, qop=auth%s", user, nonce, (unsigned)op, (op & 32) ? "AKAv1-MD5" : "MD5",
                 (op & 64) ? ", auts=\"AAAAAAAAAAAAAAAAAAAA\"" : "");
        const char *vias[1] = { via }, *www_v[1] = { www }, *auth_v[1] = { auth };
        int kind = take(&in) % 4;   /* 0 request, 1 challenge, 2 retry, 3 final */
        sa_event_t e;
        memset(&e, 0, sizeof e);
        e.frame = ++frame;
        e.time_ns = t;
        e.call_id = "reg@ue";
        e.cseq = cseq;
        e.from = to;
        e.to = to;
        e.via.values = vias;
        e.via.count = 1;
        e.src.bytes = kind == 0 || kind == 2 ? pcscf : scscf;
        e.src.len = 4;
        e.dst.bytes = kind == 0 || kind == 2 ? scscf : pcscf;
        e.dst.len = 4;
        if (kind == 0 || kind == 2) {
            e.method = "REGISTER";
            e.request_uri = "sip:ims.example.net";
            if (kind == 2)
                e.authorization = (sa_header_list_t){ auth_v, 1 };
        } else {
            e.status = kind == 1 ? 401 : 200 + 203 * (op & 1);
            e.reason = "x";
            if (kind == 1)
                e.www_authenticate = (sa_header_list_t){ www_v, 1 };
        }
        sa_tracker_feed(tracker, &e);
    }
    /* Read everything back, as the second pass would. */
    for (uint32_t f = 1; f <= frame; f++) {
        sa_msg_id_t first;
        unsigned count = sa_tracker_frame_messages(tracker, f, &first);
        for (sa_msg_id_t id = first; id < first + count; id++) {
            sa_result_t r;
            if (!sa_tracker_result(tracker, id, SA_VIEW_FINAL, &r))
                continue;
            check(r.mar_frame == 0 || r.maa_frame > r.mar_frame, "MAR before its MAA");
            check(r.maa_frame <= frame && r.mar_frame <= frame && r.sar_frame <= frame && r.saa_frame <= frame,
                  "Cx frames exist");
            check(!r.has_hss_time || r.hss_time_ns >= 0, "HSS time not negative");
            check(r.credentials <= SA_CREDENTIALS_CANNOT_CHECK, "credentials value");
            for (int k = 0; k < SA_FINDING_COUNT; k++)
                if (r.findings & SA_FINDING_BIT(k))
                    check(sa_finding_text((sa_finding_t)k, &r)[0] != '\0', "finding has a text");
        }
        sa_cx_answer_t answers[4];
        unsigned n = sa_tracker_cx_answers(tracker, f, answers, 4);
        for (unsigned i = 0; i < n; i++) {
            check(answers[i].answer_frame == f, "answer on its frame");
            check(answers[i].request_frame < f, "request before answer");
            check(answers[i].sip_frame == 0 || answers[i].sip_frame > f, "SIP failure after the answer");
            check(answers[i].has_result, "an answer shown (an error) has a code");
        }
    }
    sa_tracker_free(tracker);
    return 0;
}
