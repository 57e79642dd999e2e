/* The "SIP auth flow" conversation filter: the flows of the selected frame's own SIP messages, from the tracker. */
#include "ws_version.h"

#include <epan/packet.h>
#include <epan/conversation_filter.h>

#include "flow_filter.h"

/* The driver's tracker; a frame's messages are only known to it. */
static sa_tracker_t *const *flow_tracker;

/* A frame with more messages than this (a TCP segment of a trunk) filters on its first flows only. */
#define SA_FLOW_FILTER_MAX 64

/* The distinct flows of the frame's messages, in message order; returns how many. */
static guint
frame_flows(guint32 frame, guint32 flows[SA_FLOW_FILTER_MAX])
{
    sa_tracker_t *tracker = flow_tracker ? *flow_tracker : NULL;
    if (tracker == NULL)
        return 0;
    sa_msg_id_t first;
    guint count = sa_tracker_frame_messages(tracker, frame, &first);
    guint n = 0;
    for (sa_msg_id_t id = first; id < first + count && n < SA_FLOW_FILTER_MAX; id++) {
        sa_result_t result;
        if (!sa_tracker_result(tracker, id, SA_VIEW_FINAL, &result) || result.flow == 0)
            continue;
        gboolean seen = FALSE;
        for (guint i = 0; i < n && !seen; i++)
            seen = flows[i] == result.flow;
        if (!seen)
            flows[n++] = result.flow;
    }
    return n;
}

static sa_conv_filter_bool_t
flow_filter_valid(SA_CONV_FILTER_ARGS)
{
    guint32 flows[SA_FLOW_FILTER_MAX];
    return frame_flows(pinfo->num, flows) > 0;
}

/* "sipauth.flow == 7", or "sipauth.flow in {3, 5}" for a frame carrying messages of several flows. */
static gchar *
flow_filter_build(SA_CONV_FILTER_ARGS)
{
    guint32 flows[SA_FLOW_FILTER_MAX];
    guint n = frame_flows(pinfo->num, flows);
    if (n == 0)
        return NULL;
    if (n == 1)
        return g_strdup_printf("sipauth.flow == %u", flows[0]);
    GString *filter = g_string_new("sipauth.flow in {");
    for (guint i = 0; i < n; i++)
        g_string_append_printf(filter, i ? ", %u" : "%u", flows[i]);
    g_string_append_c(filter, '}');
    return g_string_free(filter, FALSE);
}

void
sa_flow_filter_register(sa_tracker_t *const *tracker)
{
    flow_tracker = tracker;
    SA_REGISTER_CONVERSATION_FILTER("sipauth", "SIP auth flow", flow_filter_valid, flow_filter_build);
}
