/* Reads the SIP dissector's fields of one frame into tracker events, one event per SIP message. */
#include "sip_fields.h"
#include "ws_version.h"

#include <epan/proto.h>

typedef enum {
    SIP_METHOD,
    SIP_STATUS_CODE,
    SIP_CALL_ID,
    SIP_CSEQ,
    SIP_FROM,
    SIP_VIA,
    SIP_WWW_AUTHENTICATE,
    SIP_PROXY_AUTHENTICATE,
    SIP_AUTHORIZATION,
    SIP_PROXY_AUTHORIZATION,
    SIP_FIELD_COUNT
} sip_field_t;

/* Only whole header values: the auth parameters are parsed by the tracker, which keeps the tree small. */
static const char *const sip_field_names[SIP_FIELD_COUNT] = {
    [SIP_METHOD]              = "sip.Method",
    [SIP_STATUS_CODE]         = "sip.Status-Code",
    [SIP_CALL_ID]             = "sip.Call-ID",
    [SIP_CSEQ]                = "sip.CSeq",
    [SIP_FROM]                = "sip.From",
    [SIP_VIA]                 = "sip.Via",
    [SIP_WWW_AUTHENTICATE]    = "sip.WWW-Authenticate",
    [SIP_PROXY_AUTHENTICATE]  = "sip.Proxy-Authenticate",
    [SIP_AUTHORIZATION]       = "sip.Authorization",
    [SIP_PROXY_AUTHORIZATION] = "sip.Proxy-Authorization",
};

static int proto_sip = -1;
static int sip_field_ids[SIP_FIELD_COUNT];

void
sa_sip_fields_init(void)
{
    proto_sip = proto_get_id_by_filter_name("sip");
    for (int i = 0; i < SIP_FIELD_COUNT; i++) {
        sip_field_ids[i] = proto_registrar_get_id_byname(sip_field_names[i]);
        if (sip_field_ids[i] < 0)
            ws_warning("SIPAUTH: the SIP dissector has no field %s", sip_field_names[i]);
    }
}

GArray *
sa_sip_fields_wanted(void)
{
    GArray *wanted = g_array_sized_new(FALSE, FALSE, (guint)sizeof(int), SIP_FIELD_COUNT + 1);
    if (proto_sip >= 0)
        g_array_append_val(wanted, proto_sip);
    for (int i = 0; i < SIP_FIELD_COUNT; i++)
        if (sip_field_ids[i] >= 0)
            g_array_append_val(wanted, sip_field_ids[i]);
    return wanted;
}

/* The message (SIP protocol item) a field lies in: the innermost one holding its first byte. */
static int
message_of(const field_info *field, field_info *const *messages, guint n_messages)
{
    int found = -1;
    for (guint m = 0; m < n_messages; m++) {
        const field_info *message = messages[m];
        if (message->ds_tvb != field->ds_tvb || field->start < message->start
                || field->start >= message->start + message->length)
            continue;
        if (found < 0 || message->start >= messages[found]->start)
            found = (int)m;
    }
    return found;
}

static sa_header_list_t *
header_list(sa_event_t *event, sip_field_t field)
{
    switch (field) {
    case SIP_VIA: return &event->via;
    case SIP_WWW_AUTHENTICATE: return &event->www_authenticate;
    case SIP_PROXY_AUTHENTICATE: return &event->proxy_authenticate;
    case SIP_AUTHORIZATION: return &event->authorization;
    case SIP_PROXY_AUTHORIZATION: return &event->proxy_authorization;
    default: return NULL;
    }
}

static void
store_field(sa_event_t *event, sip_field_t field, field_info *fi, wmem_array_t **lists)
{
    if (field == SIP_STATUS_CODE) {
        if (event->status == 0)
            event->status = fvalue_get_uinteger(SA_FIELD_VALUE(fi));
        return;
    }
    const char *value = fvalue_get_string(SA_FIELD_VALUE(fi));
    if (value == NULL)
        return;
    switch (field) {
    case SIP_METHOD:
        if (event->method == NULL)
            event->method = value;
        return;
    case SIP_CALL_ID:
        if (event->call_id == NULL)
            event->call_id = value;
        return;
    case SIP_CSEQ:
        if (event->cseq == NULL)
            event->cseq = value;
        return;
    case SIP_FROM:
        if (event->from == NULL)
            event->from = value;
        return;
    default:
        wmem_array_append_one(lists[field], value);
        return;
    }
}

guint
sa_sip_fields_read(proto_tree *tree, packet_info *pinfo, sa_event_t *events, guint max)
{
    if (tree == NULL || proto_sip < 0)
        return 0;
    GPtrArray *sip_items = proto_get_finfo_ptr_array(tree, proto_sip);
    if (sip_items == NULL || sip_items->len == 0)
        return 0;

    guint n_messages = MIN(sip_items->len, max);
    field_info *const *messages = (field_info *const *)sip_items->pdata;
    gboolean quoted = proto_is_frame_protocol(pinfo->layers, "icmp")
                   || proto_is_frame_protocol(pinfo->layers, "icmpv6");
    gint64 time_ns = (gint64)pinfo->abs_ts.secs * G_GINT64_CONSTANT(1000000000) + pinfo->abs_ts.nsecs;

    wmem_array_t *lists[SA_MAX_MESSAGES_PER_FRAME][SIP_FIELD_COUNT];
    for (guint m = 0; m < n_messages; m++) {
        memset(&events[m], 0, sizeof events[m]);
        events[m].frame = pinfo->num;
        events[m].time_ns = time_ns;
        events[m].quoted_in_error = quoted;
        for (int f = 0; f < SIP_FIELD_COUNT; f++)
            lists[m][f] = header_list(&events[m], (sip_field_t)f)
                ? wmem_array_new(pinfo->pool, sizeof(const char *)) : NULL;
    }

    for (int f = 0; f < SIP_FIELD_COUNT; f++) {
        if (sip_field_ids[f] < 0)
            continue;
        GPtrArray *items = proto_get_finfo_ptr_array(tree, sip_field_ids[f]);
        for (guint i = 0; items && i < items->len; i++) {
            field_info *fi = (field_info *)items->pdata[i];
            int m = message_of(fi, messages, n_messages);
            if (m >= 0)
                store_field(&events[m], (sip_field_t)f, fi, lists[m]);
        }
    }

    for (guint m = 0; m < n_messages; m++) {
        for (int f = 0; f < SIP_FIELD_COUNT; f++) {
            sa_header_list_t *list = header_list(&events[m], (sip_field_t)f);
            if (list == NULL)
                continue;
            list->count = wmem_array_get_count(lists[m][f]);
            list->values = (const char *const *)wmem_array_get_raw(lists[m][f]);
        }
    }
    return n_messages;
}
