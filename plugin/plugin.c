/* The plugin's entry points for Wireshark's loader. */
#define WS_BUILD_DLL
#include "ws_version.h"

#include <epan/packet.h>
#include <epan/proto.h>

#include "packet-sipauth.h"

#ifndef SIPAUTH_VERSION
#define SIPAUTH_VERSION "0.0.0"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = SIPAUTH_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

#ifdef SA_HAVE_PLUGIN_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER;
}
#endif

void
plugin_register(void)
{
    static proto_plugin plugin;
    plugin.register_protoinfo = proto_register_sipauth;
    plugin.register_handoff = proto_reg_handoff_sipauth;
    proto_register_plugin(&plugin);
}
