/* Finds the SIP messages of a frame and parses their bytes: the one SIP field asked for is the message itself. */
#include "sip_messages.h"

#include <epan/proto.h>

/* Bytes of a message read at most: far beyond any real SIP message (hostile ones reassembled over TCP
 * reach hundreds of KB), and a bound on the per-packet copy. */
#define SA_MAX_MESSAGE_BYTES (4 * 1024 * 1024)

static int proto_sip = -1;
static int proto_icmp = -1;
static int proto_icmpv6 = -1;

void
sa_sip_messages_init(void)
{
    proto_sip = proto_get_id_by_filter_name("sip");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    if (proto_sip < 0)
        ws_warning("SIPAUTH: no SIP dissector, nothing to analyse");
}

GArray *
sa_sip_messages_wanted(void)
{
    GArray *wanted = g_array_sized_new(FALSE, FALSE, (guint)sizeof(int), 1);
    if (proto_sip >= 0)
        g_array_append_val(wanted, proto_sip);
    return wanted;
}

guint
sa_sip_messages_find(proto_tree *tree, field_info *const **items)
{
    *items = NULL;
    if (tree == NULL || proto_sip < 0)
        return 0;
    GPtrArray *found = proto_get_finfo_ptr_array(tree, proto_sip);
    if (found == NULL || found->len == 0)
        return 0;
    *items = (field_info *const *)found->pdata;
    return found->len;
}

gboolean
sa_sip_messages_quoted(const packet_info *pinfo)
{
    for (wmem_list_frame_t *layer = wmem_list_head(pinfo->layers); layer; layer = wmem_list_frame_next(layer)) {
        int proto = GPOINTER_TO_INT(wmem_list_frame_data(layer));
        if (proto == proto_icmp || proto == proto_icmpv6)
            return TRUE;
    }
    return FALSE;
}

sa_addr_t
sa_frame_address(const address *addr)
{
    sa_addr_t out = { NULL, 0 };
    if ((addr->type == AT_IPv4 && addr->len == 4) || (addr->type == AT_IPv6 && addr->len == 16)) {
        out.bytes = (const guint8 *)addr->data;
        out.len = (guint)addr->len;
    }
    return out;
}

gboolean
sa_sip_message_read(packet_info *pinfo, const field_info *item, gboolean quoted, sa_sip_message_t *msg)
{
    tvbuff_t *tvb = item->ds_tvb;
    if (tvb == NULL || item->start < 0)
        return FALSE;
    /* The item may reach past the captured bytes of a cut-short frame: read what is there. */
    gint available = tvb_captured_length_remaining(tvb, item->start);
    if (available <= 0 || item->length <= 0)
        return FALSE;
    gint len = MIN(MIN(item->length, available), SA_MAX_MESSAGE_BYTES);
    gboolean cut = len < MIN(item->length, available);
    char *text = (char *)wmem_alloc(pinfo->pool, (gsize)len + 1);
    tvb_memcpy(tvb, text, item->start, (size_t)len);
    if (!sa_sip_message_parse(text, (gsize)len, msg))
        return FALSE;
    msg->event.frame = pinfo->num;
    msg->event.time_ns = (gint64)pinfo->abs_ts.secs * G_GINT64_CONSTANT(1000000000) + pinfo->abs_ts.nsecs;
    msg->event.quoted_in_error = quoted;
    msg->event.src = sa_frame_address(&pinfo->net_src);
    msg->event.dst = sa_frame_address(&pinfo->net_dst);
    msg->event.src_port = (guint16)pinfo->srcport;
    msg->event.dst_port = (guint16)pinfo->destport;
    msg->event.truncated = msg->event.truncated || cut;
    return TRUE;
}
