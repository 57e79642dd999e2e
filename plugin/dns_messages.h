/* Finds the DNS messages of a frame and reads what the tracker keeps of them (to explain a late retry). */
#ifndef SIPAUTH_DNS_MESSAGES_H
#define SIPAUTH_DNS_MESSAGES_H

#include <epan/packet.h>
#include "sipauth/tracker.h"

/* Looks up the DNS protocol; call once the DNS dissector is registered. */
void sa_dns_messages_init(void);

/* Adds the DNS protocol item to the fields a post-dissector asks for. */
void sa_dns_messages_want(GArray *wanted);

/* Feeds every DNS message of the frame to the tracker. */
void sa_dns_messages_feed(sa_tracker_t *tracker, proto_tree *tree, packet_info *pinfo);

#endif
