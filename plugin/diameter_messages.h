/* Finds the Diameter messages of a frame and hands their bytes to the tracker (Cx, SPEC section 11). */
#ifndef SIPAUTH_DIAMETER_MESSAGES_H
#define SIPAUTH_DIAMETER_MESSAGES_H

#include <epan/packet.h>
#include "sipauth/tracker.h"

/* Looks up the Diameter protocol; call once the Diameter dissector is registered. */
void sa_diameter_messages_init(void);

/* Adds the Diameter protocol item to the fields a post-dissector asks for. */
void sa_diameter_messages_want(GArray *wanted);

/* Feeds every Diameter message of the frame to the tracker: only frames with Diameter cost anything. */
void sa_diameter_messages_feed(sa_tracker_t *tracker, proto_tree *tree, packet_info *pinfo);

#endif
