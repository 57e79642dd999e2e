/* Shows a tracker result: the SIPAUTH tree, its expert infos and the Info column tag. */
#ifndef SIPAUTH_RENDER_H
#define SIPAUTH_RENDER_H

#include <epan/packet.h>
#include "sipauth/tracker.h"

/* Registers the sipauth.* fields, subtrees and expert infos of protocol proto. */
void sa_render_register(int proto);

void sa_render(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const sa_result_t *result,
               gboolean info_column);

#endif
