/* The cost floor of a SIP post-dissector: asks for the same SIP fields as sipauth and only reads them. */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>

/* Must stay the list that plugin/sip_messages.c asks for: the SIP protocol item only (sipauth parses
 * the message bytes itself). Build with -DSIPAUTH_FLOOR_ALL_FIELDS for the eleven header fields that
 * sipauth 0.1 asked for, to measure what reading the SIP fields would cost. */
static const char *const wanted_names[] = {
    "sip",
#ifdef SIPAUTH_FLOOR_ALL_FIELDS
    "sip.Method",
    "sip.Status-Code",
    "sip.Call-ID",
    "sip.CSeq",
    "sip.From",
    "sip.Via",
    "sip.WWW-Authenticate",
    "sip.Proxy-Authenticate",
    "sip.Authorization",
    "sip.Proxy-Authorization",
#endif
};
#define N_WANTED G_N_ELEMENTS(wanted_names)

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = "0.1.0";
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;
WS_DLL_PUBLIC void plugin_register(void);

static int proto_sipauth_floor = -1;
static int wanted_ids[N_WANTED];
static dissector_handle_t floor_handle;

/* field_info.value is an fvalue_t in 4.0 and a pointer to one from 4.2. */
#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 2)
#define FLOOR_VALUE(fi) ((fi)->value)
#else
#define FLOOR_VALUE(fi) (&(fi)->value)
#endif

/* Keeps the compiler from dropping the reads. */
static volatile guint64 sink;

static int
dissect_floor(tvbuff_t *tvb _U_, packet_info *pinfo _U_, proto_tree *tree, void *data _U_)
{
    if (tree == NULL)
        return 0;
    guint64 acc = 0;
    for (guint f = 0; f < N_WANTED; f++) {
        if (wanted_ids[f] < 0)
            continue;
        GPtrArray *items = proto_get_finfo_ptr_array(tree, wanted_ids[f]);
        for (guint i = 0; items != NULL && i < items->len; i++) {
            field_info *fi = (field_info *)items->pdata[i];
            acc += (guint64)fi->start + (guint64)fi->length;
            if (f == 0)
                continue;
            ftenum_t type = fvalue_type_ftenum(FLOOR_VALUE(fi));
            if (type == FT_UINT32 || type == FT_UINT16) {
                acc += fvalue_get_uinteger(FLOOR_VALUE(fi));
            } else {
                const char *s = fvalue_get_string(FLOOR_VALUE(fi));
                if (s != NULL)
                    acc += (guint64)(guchar)s[0] + strlen(s);
            }
        }
    }
    sink += acc;
    return 0;
}

static void
proto_register_sipauth_floor(void)
{
    proto_sipauth_floor = proto_register_protocol("SIPAUTH benchmark floor", "SIPAUTH-FLOOR", "sipauth_floor");
    floor_handle = register_dissector("sipauth_floor", dissect_floor, proto_sipauth_floor);
}

static void
proto_reg_handoff_sipauth_floor(void)
{
    GArray *wanted = g_array_sized_new(FALSE, FALSE, (guint)sizeof(int), N_WANTED);
    for (guint f = 0; f < N_WANTED; f++) {
        wanted_ids[f] = f == 0 ? proto_get_id_by_filter_name(wanted_names[f])
                               : proto_registrar_get_id_byname(wanted_names[f]);
        if (wanted_ids[f] >= 0)
            g_array_append_val(wanted, wanted_ids[f]);
    }
    register_postdissector(floor_handle);
    set_postdissector_wanted_hfids(floor_handle, wanted);
}

void
plugin_register(void)
{
    static proto_plugin plugin;
    plugin.register_protoinfo = proto_register_sipauth_floor;
    plugin.register_handoff = proto_reg_handoff_sipauth_floor;
    proto_register_plugin(&plugin);
}
