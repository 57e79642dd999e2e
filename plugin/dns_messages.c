/* Finds the DNS messages of a frame: their id and whether each is a query or a response, read from the bytes
 * of the DNS dissector's protocol item (the header's first four bytes). */
#include "dns_messages.h"
#include "sip_messages.h"

#include <epan/proto.h>

static int proto_dns = -1;

void
sa_dns_messages_init(void)
{
    proto_dns = proto_get_id_by_filter_name("dns");
}

void
sa_dns_messages_want(GArray *wanted)
{
    if (proto_dns >= 0)
        g_array_append_val(wanted, proto_dns);
}

void
sa_dns_messages_feed(sa_tracker_t *tracker, proto_tree *tree, packet_info *pinfo)
{
    if (tree == NULL || proto_dns < 0)
        return;
    GPtrArray *found = proto_get_finfo_ptr_array(tree, proto_dns);
    if (found == NULL)
        return;
    for (guint i = 0; i < found->len; i++) {
        const field_info *item = (const field_info *)found->pdata[i];
        tvbuff_t *tvb = item->ds_tvb;
        /* Over TCP the message starts after its two-byte length. */
        gint offset = item->start + (pinfo->ptype == PT_TCP ? 2 : 0);
        if (tvb == NULL || item->start < 0 || tvb_captured_length_remaining(tvb, offset) < 4)
            continue;
        sa_dns_event_t event;
        event.frame = pinfo->num;
        event.time_ns = (gint64)pinfo->abs_ts.secs * G_GINT64_CONSTANT(1000000000) + pinfo->abs_ts.nsecs;
        event.id = tvb_get_ntohs(tvb, offset);
        event.response = (tvb_get_ntohs(tvb, offset + 2) & 0x8000) != 0;   /* QR */
        event.client = sa_frame_address(event.response ? &pinfo->net_dst : &pinfo->net_src);
        sa_tracker_feed_dns(tracker, &event);
    }
}
