/* Reads the SIP dissector's fields of one frame into tracker events, one event per SIP message. */
#ifndef SIPAUTH_SIP_FIELDS_H
#define SIPAUTH_SIP_FIELDS_H

#include <epan/packet.h>
#include "sipauth/tracker.h"

/* SIP messages analysed in one frame; more are ignored (a TCP segment rarely holds more than a few; the cap bounds the stack). */
#define SA_MAX_MESSAGES_PER_FRAME 128

/* Looks up the SIP fields by name; call once the SIP dissector is registered. */
void sa_sip_fields_init(void);

/* The fields to pass to set_postdissector_wanted_hfids(); the caller owns the array. */
GArray *sa_sip_fields_wanted(void);

/* Fills up to max events from the primed tree; strings live in pinfo->pool. Returns the count. */
guint sa_sip_fields_read(proto_tree *tree, packet_info *pinfo, sa_event_t *events, guint max);

#endif
