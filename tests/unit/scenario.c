/* Builds SIP message records for the tracker tests, so that each test reads like its call flow. */
#include "scenario.h"

#include <arpa/inet.h>
#include "replay.h"

#include <string.h>

sc_t *
sc_new(const sa_config_t *config)
{
    sc_t *sc = g_new0(sc_t, 1);
    sc->tracker = sa_tracker_new(config);
    sc->ids = g_array_new(FALSE, TRUE, sizeof(sa_msg_id_t));
    g_array_set_size(sc->ids, 1);
    sc->recording = replay_recording_new(config);
    return sc;
}

void
sc_free(sc_t *sc)
{
    replay_recording_done(sc->recording);
    sa_tracker_free(sc->tracker);
    g_array_free(sc->ids, TRUE);
    g_free(sc);
}

void
sc_set_secrets(sc_t *sc, sa_secret_source_t source, gconstpointer data)
{
    sa_tracker_set_secret_source(sc->tracker, source, data);
    replay_recording_set_secrets(sc->recording, source, data);
}

void
sc_no_replay(sc_t *sc, const char *reason)
{
    replay_recording_skip(sc->recording, reason);
}

static sa_header_list_t
list_of(const char **storage, const char *first, const char *second)
{
    guint n = 0;
    if (first)
        storage[n++] = first;
    if (second)
        storage[n++] = second;
    sa_header_list_t list = { storage, n };
    return list;
}

gint64
sc_time_ns(const sc_msg_t *msg)
{
    return (gint64)(msg->at * 1e9 + 0.5);
}

sa_msg_id_t
sc_feed(sa_tracker_t *tracker, guint32 frame, gint64 shift_ns, const sc_msg_t *msg)
{
    guint cseq = msg->cseq ? msg->cseq : 1;
    const char *cseq_method = msg->cseq_method ? msg->cseq_method : (msg->method ? msg->method : "INVITE");
    char *cseq_value = g_strdup_printf("%u %s", cseq, cseq_method);
    char *branch = msg->branch ? g_strdup(msg->branch) : g_strdup_printf("z9hG4bK-%u", cseq);
    char *via = msg->via ? g_strdup(msg->via)
        : g_strdup_printf("SIP/2.0/UDP %s:5060;branch=%s;rport", msg->via_host ? msg->via_host : "10.0.0.1", branch);
    GString *vias = g_string_new(via);
    for (guint i = 0; i < msg->extra_vias; i++)
        g_string_append_printf(vias, ", SIP/2.0/UDP 192.0.2.%u:5060;branch=z9hG4bK-below%u", i + 1, i);

    const char *via_values[1] = { vias->str };
    const char *contact_values[1] = { msg->contact };
    guint8 src[4], dst[4];
    sa_addr_t src_addr = { NULL, 0 }, dst_addr = { NULL, 0 };
    if (msg->src && inet_pton(AF_INET, msg->src, src) == 1)
        src_addr = (sa_addr_t){ src, 4 };
    if (msg->dst && inet_pton(AF_INET, msg->dst, dst) == 1)
        dst_addr = (sa_addr_t){ dst, 4 };
    const char *www[2], *proxy[2], *authz[2], *proxy_authz[2];
    sa_event_t event = {
        .frame = frame,
        .time_ns = sc_time_ns(msg) + shift_ns,
        .quoted_in_error = msg->in_icmp,
        .method = msg->method,
        .status = msg->status,
        .reason = msg->reason,
        .call_id = msg->call_id ? msg->call_id : SC_CALL_ID,
        .cseq = cseq_value,
        .from = msg->from ? msg->from : SC_FROM,
        .via = { via_values, 1 },
        .www_authenticate = list_of(www, msg->www_authenticate, msg->www_authenticate2),
        .proxy_authenticate = list_of(proxy, msg->proxy_authenticate, msg->proxy_authenticate2),
        .authorization = list_of(authz, msg->authorization, NULL),
        .proxy_authorization = list_of(proxy_authz, msg->proxy_authorization, msg->proxy_authorization2),
        .request_uri = msg->method ? msg->request_uri : NULL,
        .body = (const guint8 *)msg->body,
        .body_len = msg->body ? strlen(msg->body) : 0,
        .body_cut = msg->body_cut,
        .to = msg->to,
        .user_agent = msg->user_agent,
        .expires = msg->expires,
        .contact = { contact_values, msg->contact ? 1 : 0 },
        .src = src_addr,
        .dst = dst_addr,
    };
    sa_msg_id_t id = sa_tracker_feed(tracker, &event);

    g_string_free(vias, TRUE);
    g_free(via);
    g_free(branch);
    g_free(cseq_value);
    return id;
}

guint32
sc_send(sc_t *sc, const sc_msg_t *msg)
{
    replay_recording_add(sc->recording, msg);
    sa_msg_id_t id = sc_feed(sc->tracker, ++sc->frames, 0, msg);
    g_array_append_val(sc->ids, id);
    return sc->frames;
}

sa_msg_id_t
sc_id(sc_t *sc, guint32 frame)
{
    g_assert_cmpuint(frame, <, sc->ids->len);
    return g_array_index(sc->ids, sa_msg_id_t, frame);
}

static sa_result_t
result_of(sc_t *sc, guint32 frame, sa_view_t view)
{
    g_assert_cmpuint(frame, <, sc->ids->len);
    sa_result_t result;
    if (!sa_tracker_result(sc->tracker, g_array_index(sc->ids, sa_msg_id_t, frame), view, &result))
        g_assert_cmpint(result.role, ==, SA_ROLE_NONE);
    return result;
}

sa_result_t
sc_final(sc_t *sc, guint32 frame)
{
    return result_of(sc, frame, SA_VIEW_FINAL);
}

sa_result_t
sc_so_far(sc_t *sc, guint32 frame)
{
    return result_of(sc, frame, SA_VIEW_SO_FAR);
}

gboolean
sc_has(sa_result_t r, sa_finding_t finding)
{
    return (r.findings & SA_FINDING_BIT(finding)) != 0;
}
