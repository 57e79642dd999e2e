/* The "sipauth" sequence analysis: Statistics > Flow Graph "SIP authentication" and -z flow,sipauth,... */
#ifndef SIPAUTH_FLOWGRAPH_H
#define SIPAUTH_FLOWGRAPH_H

#include <epan/packet.h>
#include "sipauth/tracker.h"

/* Registers the analysis and the tap it listens to; call from the protocol registration. */
void sa_flowgraph_register(int proto);

/* Whether a Flow Graph listens: the dissector queues it nothing otherwise, so a closed one costs nothing. */
gboolean sa_flowgraph_listening(void);

/* Queues message id of the frame: its result, or NULL for a message of no flow yet (single pass: a request
 * that its challenge will name later); request: a single pass's challenge's request message, or 0. */
void sa_flowgraph_queue(packet_info *pinfo, sa_msg_id_t id, const sa_result_t *result, sa_msg_id_t request);

#endif
