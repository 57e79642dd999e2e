/* Finds the Diameter messages of a frame: the Diameter dissector's protocol item spans one message (over TCP
 * or SCTP, reassembled), whose bytes the core reads (core/diameter.c). */
#include "diameter_messages.h"
#include "sip_messages.h"

#include <epan/proto.h>

static int proto_diameter = -1;

void
sa_diameter_messages_init(void)
{
    proto_diameter = proto_get_id_by_filter_name("diameter");
}

void
sa_diameter_messages_want(GArray *wanted)
{
    if (proto_diameter >= 0)
        g_array_append_val(wanted, proto_diameter);
}

void
sa_diameter_messages_feed(sa_tracker_t *tracker, proto_tree *tree, packet_info *pinfo)
{
    if (tree == NULL || proto_diameter < 0)
        return;
    GPtrArray *found = proto_get_finfo_ptr_array(tree, proto_diameter);
    if (found == NULL)
        return;
    for (guint i = 0; i < found->len; i++) {
        const field_info *item = (const field_info *)found->pdata[i];
        tvbuff_t *tvb = item->ds_tvb;
        if (tvb == NULL || item->start < 0 || item->length <= 0)
            continue;
        gint available = tvb_captured_length_remaining(tvb, item->start);
        if (available <= 0)
            continue;
        gint len = MIN(item->length, available);
        sa_diameter_event_t event;
        event.frame = pinfo->num;
        event.time_ns = (gint64)pinfo->abs_ts.secs * G_GINT64_CONSTANT(1000000000) + pinfo->abs_ts.nsecs;
        event.src = sa_frame_address(&pinfo->net_src);
        event.dst = sa_frame_address(&pinfo->net_dst);
        event.data = tvb_get_ptr(tvb, item->start, len);
        event.len = (gsize)len;
        sa_tracker_feed_diameter(tracker, &event);
    }
}
