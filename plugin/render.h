/* Shows a tracker result: the SIPAUTH tree, its expert infos and the Info column tag. */
#ifndef SIPAUTH_RENDER_H
#define SIPAUTH_RENDER_H

#include <epan/packet.h>
#include "sipauth/tracker.h"

/* Registers the sipauth.* fields, subtrees and expert infos of protocol proto. */
void sa_render_register(int proto);

/* Looks up the expert fields and tap it checks; call from the init routine (epan registers them after
 * the plugins' handoffs). */
void sa_render_init(void);

/* Shows one result: the Info tag, and the tree and expert infos. When no one can see them (a hidden
 * tree, and no filter, column or -e naming a sipauth field or the expert field of one of its findings),
 * only the Info tag and the severities of the expert infos are kept (what an Expert column and the
 * status bar show); the expert tap still gets the texts. */
void sa_render(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const sa_result_t *result,
               gboolean info_column);

/* Shows a Cx answer of this frame, one with an error (sipauth.hss_error, and what it became on SIP). */
void sa_render_cx_answer(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const sa_cx_answer_t *answer);

#endif
