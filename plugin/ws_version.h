/* Every difference between the Wireshark releases sipauth builds against, in one place. */
#ifndef SIPAUTH_WS_VERSION_H
#define SIPAUTH_WS_VERSION_H

#include <wireshark.h>

#define SA_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* Boolean preferences point to a bool from 4.2, to a gboolean before. */
#if SA_WS_AT_LEAST(4, 2)
typedef bool sa_pref_bool_t;
#else
typedef gboolean sa_pref_bool_t;
#endif

/* A UAT's update callback returns a bool from 4.2, a gboolean before. */
#if SA_WS_AT_LEAST(4, 2)
typedef bool sa_uat_bool_t;
#else
typedef gboolean sa_uat_bool_t;
#endif

/* plugin_describe() tells the loader what a plugin is, from 4.4. */
#if SA_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#define SA_HAVE_PLUGIN_DESCRIBE 1
#endif

/* The Telephony menu group of statistics was renamed in 4.4. */
#if SA_WS_AT_LEAST(4, 4)
#define SA_STAT_GROUP_TELEPHONY REGISTER_TELEPHONY_GROUP_UNSORTED
#else
#define SA_STAT_GROUP_TELEPHONY REGISTER_STAT_GROUP_TELEPHONY
#endif

/* A dissector marks the frames a displayed frame depends on: through packet_info in 4.0 (a list for one
 * dissection), through frame_data from 4.2 (a set kept with the frame). */
#if SA_WS_AT_LEAST(4, 2)
#define SA_MARK_DEPENDED_UPON(pinfo, frame) mark_frame_as_depended_upon((pinfo)->fd, (frame))
#else
#define SA_MARK_DEPENDED_UPON(pinfo, frame) mark_frame_as_depended_upon((pinfo), (frame))
#endif

/* A -z handler's start reports whether it started from 4.6; before, it returns nothing and an error exits. */
#if SA_WS_AT_LEAST(4, 6)
typedef bool sa_stat_start_t;
#define SA_STAT_START_RETURN(ok) return (ok)
#else
typedef void sa_stat_start_t;
#define SA_STAT_START_RETURN(ok) \
    do { if (!(ok)) exit(1); return; } while (0)
#endif

/* The sequence analysis (Flow Graph) declarations no wireshark-dev package installs. */
#include "ws_seq_analysis.h"
/* Conversation filter callbacks take a user_data pointer, and return bool, in 4.4 and 4.6 (not in 4.0; 4.2 is
 * assumed to be like 4.4, it is not built here). SA_CONV_FILTER_ARGS is the callbacks' parameter list. */
#if SA_WS_AT_LEAST(4, 2)
typedef bool sa_conv_filter_bool_t;
#define SA_CONV_FILTER_ARGS packet_info *pinfo, void *user_data _U_
#define SA_REGISTER_CONVERSATION_FILTER(proto, name, is_valid, build) \
    register_conversation_filter((proto), (name), (is_valid), (build), NULL)
#else
typedef gboolean sa_conv_filter_bool_t;
#define SA_CONV_FILTER_ARGS packet_info *pinfo
#define SA_REGISTER_CONVERSATION_FILTER(proto, name, is_valid, build) \
    register_conversation_filter((proto), (name), (is_valid), (build))
#endif

#endif
