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

/* Whether anyone can see the SIPAUTH tree or expert texts of this frame: a visible tree, or a filter,
 * column or -e that names a sipauth or expert field. When not, only the Info tag and the severity of
 * the expert infos are kept (what an Expert column and the status bar show). */
gboolean sa_render_tree_needed(proto_tree *tree);

/* Shows one result: the Info tag, and the tree and expert infos (tree_needed from the above). */
void sa_render(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gboolean tree_needed,
               const sa_result_t *result, gboolean info_column);

#endif
