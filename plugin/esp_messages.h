/* Finds the ESP packets of a frame and reads their SPI (a retry hidden in IPsec, SPEC section 11). */
#ifndef SIPAUTH_ESP_MESSAGES_H
#define SIPAUTH_ESP_MESSAGES_H

#include <epan/packet.h>
#include "sipauth/tracker.h"

/* Looks up the ESP protocol; call once the ESP dissector is registered. */
void sa_esp_messages_init(void);

/* Adds the ESP protocol item to the fields a post-dissector asks for. */
void sa_esp_messages_want(GArray *wanted);

/* Feeds every ESP packet of the frame to the tracker: only frames with ESP cost anything. */
void sa_esp_messages_feed(sa_tracker_t *tracker, proto_tree *tree, packet_info *pinfo);

#endif
