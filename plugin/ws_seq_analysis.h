/* The sequence analysis API (Statistics > Flow Graph, -z flow,...): libwireshark exports it, but the
 * wireshark-dev packages of 4.0 (Debian 12), 4.4 (Debian 13) and 4.6 (sid) do not install its header,
 * epan/sequence_analysis.h. Included only from ws_version.h; the installed header wins where there is one.
 *
 * The declarations mirror that header, each release's layout field by field: sipauth fills items that
 * libwireshark allocates (sequence_analysis_create_sai_with_addresses), draws and frees, and reads the
 * items queue and hash table of the tap data libwireshark hands it, so every member up to the last one it
 * touches (line_style; ht) must sit where that release's library has it. It touches no member after
 * those, never allocates, copies or frees an item or the info itself (so their sizes do not matter), and sets
 * no info_ptr (the library frees it by rules that changed between releases).
 *   4.0: epan/sequence_analysis.h of v4.0.17 (gboolean flags, guint32 info_type).
 *   4.2 and later: the header after the move to C99 types (bool flags, a ga_info_type enum), as the
 *   wireshark/wireshark sources have it; no source package of 4.4.19 or 4.6.9 could be fetched here, so the
 *   layout is checked where it counts: in the compat chroots (Debian 13's 4.4.19, sid's 4.6.9) the tests
 *   e2e_flowgraph_* compare the graph tshark draws from these items, every member sipauth sets included,
 *   with the hand-checked one (a misplaced display flag or label draws nothing, or garbage).
 */
#ifndef SIPAUTH_WS_SEQ_ANALYSIS_H
#define SIPAUTH_WS_SEQ_ANALYSIS_H

#if defined(__has_include)
#if __has_include(<epan/sequence_analysis.h>)
#define SA_HAVE_SEQ_ANALYSIS_H 1
#endif
#endif

#ifdef SA_HAVE_SEQ_ANALYSIS_H
#include <epan/sequence_analysis.h>
#else
#include <epan/address.h>
#include <epan/packet_info.h>
#include <epan/tap.h>

G_BEGIN_DECLS

#define MAX_NUM_NODES 40

#if SA_WS_AT_LEAST(4, 2)
typedef enum _ga_info_type {
    GA_INFO_TYPE_NONE = 0,
    GA_INFO_TYPE_RTP
} ga_info_type;
typedef bool sa_seq_flag_t;
typedef ga_info_type sa_seq_info_type_t;
#else
typedef gboolean sa_seq_flag_t;
typedef guint32 sa_seq_info_type_t;
#endif

typedef struct _seq_analysis_item {
    guint32  frame_number;
    address  src_addr;
    guint16  port_src;
    address  dst_addr;
    guint16  port_dst;
    gchar   *frame_label;        /* above the arrow */
    gchar   *time_str;
    gchar   *comment;            /* right of the graph */
    guint16  conv_num;
    unsigned fg_color;
    unsigned bg_color;
    sa_seq_flag_t has_color_filter;
    sa_seq_flag_t display;
    guint    src_node;
    guint    dst_node;
    guint16  line_style;
    sa_seq_info_type_t info_type;
    gpointer info_ptr;
} seq_analysis_item_t;

typedef struct _seq_analysis_info {
    const char   *name;
    sa_seq_flag_t any_addr;
    int           nconv;
    GQueue       *items;
    GHashTable   *ht;
    address       nodes[MAX_NUM_NODES];
    /* Later members (num_nodes; from some release on an occurrence list before it) are the library's:
     * sipauth never reads them nor takes the struct's size. */
} seq_analysis_info_t;

WS_DLL_PUBLIC void register_seq_analysis(const char *name, const char *ui_name, const int proto_id,
                                         const char *tap_listener, guint tap_flags, tap_packet_cb tap_func);
WS_DLL_PUBLIC seq_analysis_item_t *sequence_analysis_create_sai_with_addresses(packet_info *pinfo,
                                                                               seq_analysis_info_t *sainfo);

G_END_DECLS
#endif

#endif
