/* Finds the SIP messages of a frame (the SIP dissector's protocol items) and reads them into tracker events. */
#ifndef SIPAUTH_SIP_MESSAGES_H
#define SIPAUTH_SIP_MESSAGES_H

#include <epan/packet.h>
#include "sipauth/sipmsg.h"

/* Looks up the protocols it needs; call once the SIP dissector is registered. */
void sa_sip_messages_init(void);

/* The fields to pass to set_postdissector_wanted_hfids() (the caller owns the array): only the SIP
 * protocol item, whose byte range is the message; the plugin reads the headers itself. */
GArray *sa_sip_messages_wanted(void);

/* The SIP protocol items of the frame, every one (a 64 KiB TCP segment carries 150 and more); NULL and 0 if none. */
guint sa_sip_messages_find(proto_tree *tree, field_info *const **items);

/* Whether the frame is an ICMP error quoting a packet: its SIP belongs to no flow. */
gboolean sa_sip_messages_quoted(const packet_info *pinfo);

/* Reads one SIP protocol item into msg (strings in pinfo->pool); FALSE if it holds no request or response. */
gboolean sa_sip_message_read(packet_info *pinfo, const field_info *item, gboolean quoted, sa_sip_message_t *msg);

/* A frame's network address as the tracker takes it: IPv4 or IPv6, else empty; points into addr. */
sa_addr_t sa_frame_address(const address *addr);

#endif
