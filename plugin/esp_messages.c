/* Finds the ESP packets of a frame: their SPI, read from the first four bytes of the ESP dissector's
 * protocol item (RFC 4303 section 2). */
#include "esp_messages.h"
#include "sip_messages.h"

#include <epan/proto.h>

static int proto_esp = -1;

void
sa_esp_messages_init(void)
{
    proto_esp = proto_get_id_by_filter_name("esp");
}

void
sa_esp_messages_want(GArray *wanted)
{
    if (proto_esp >= 0)
        g_array_append_val(wanted, proto_esp);
}

void
sa_esp_messages_feed(sa_tracker_t *tracker, proto_tree *tree, packet_info *pinfo)
{
    if (tree == NULL || proto_esp < 0)
        return;
    GPtrArray *found = proto_get_finfo_ptr_array(tree, proto_esp);
    if (found == NULL)
        return;
    for (guint i = 0; i < found->len; i++) {
        const field_info *item = (const field_info *)found->pdata[i];
        tvbuff_t *tvb = item->ds_tvb;
        if (tvb == NULL || item->start < 0 || tvb_captured_length_remaining(tvb, item->start) < 4)
            continue;
        sa_esp_event_t event;
        event.frame = pinfo->num;
        event.time_ns = (gint64)pinfo->abs_ts.secs * G_GINT64_CONSTANT(1000000000) + pinfo->abs_ts.nsecs;
        event.spi = tvb_get_ntohl(tvb, item->start);
        event.src = sa_frame_address(&pinfo->net_src);
        event.dst = sa_frame_address(&pinfo->net_dst);
        sa_tracker_feed_esp(tracker, &event);
    }
}
