/* The "SIP auth flow" conversation filter (Analyze > Conversation Filter, Colorize Conversation). */
#ifndef SIPAUTH_FLOW_FILTER_H
#define SIPAUTH_FLOW_FILTER_H

#include "sipauth/tracker.h"

/* Registers the filter; *tracker is the driver's tracker of the open file (NULL between files, or with the
 * protocol disabled), read each time the GUI asks about a selected frame. */
void sa_flow_filter_register(sa_tracker_t *const *tracker);

#endif
