/* The Flow Graph of SIP authentication (SPEC section 13): an arrow per message of a flow, labelled with its step,
 * the flow's verdict as the comment; Statistics > Flow Graph "SIP authentication" and -z flow,sipauth,...
 *
 * Items are in frame order; conv_num is the flow (tshark's Conv. column, the GUI's background colour). Each
 * item's comment is the verdict of its flow as it stands after the latest message the graph was given (the
 * verdict if the capture ended there): a single pass rewrites the comments of a flow's earlier items when it
 * changes, so the graph at the end of a single pass is the graph of two passes. What the graph keeps for that
 * lives in the tap's own data (the seq_analysis_info_t: its items and its hash table), emptied with it.
 */
#include "ws_version.h"

#include <epan/packet.h>
#include <epan/tap.h>

#include "sipauth/tracker.h"
#include "sipauth/verify.h"
#include "flowgraph.h"

static int flowgraph_tap = -1;

/* tshark draws the arrow between neighbouring nodes 20 characters wide and cuts a longer label; the GUI
 * elides one longer than its arrow. A detail that does not fit goes to the comment. */
#define LABEL_WIDTH 20

/* Keys of sainfo->ht: a flow's first and last items (GList links of sainfo->items) and the verdict its
 * comments say; a message of no flow yet (by its tracker id), until a challenge claims it. */
enum { KEY_FIRST, KEY_LAST, KEY_VERDICT };

static gpointer
flow_key(guint32 flow, guint which)
{
    return GSIZE_TO_POINTER(((gsize)flow << 3) | ((gsize)which << 1));
}

static gpointer
message_key(sa_msg_id_t id)
{
    return GSIZE_TO_POINTER(((gsize)id << 3) | 1);
}

/* What the dissector queues. */
typedef struct {
    sa_msg_id_t id;
    sa_msg_id_t request;         /* a single pass's challenge: its request's message */
    gboolean    linked;          /* result is the message's (FALSE: of no flow yet) */
    sa_result_t result;
} flow_message_t;

typedef struct {
    GString *label;
    GString *overflow;
} label_t;

static void
label_start(label_t *l, const char *core)
{
    l->label = g_string_new(core);
    l->overflow = g_string_new(NULL);
}

/* A detail shown after the label's core, or spelled out in the comment when it does not fit. */
static void
label_detail(label_t *l, const char *shown, const char *spelled_as)
{
    char *text = g_utf8_make_valid(shown, -1);
    if (g_utf8_strlen(l->label->str, -1) + 1 + g_utf8_strlen(text, -1) <= LABEL_WIDTH)
        g_string_append_printf(l->label, " %s", text);
    else
        g_string_append_printf(l->overflow, "; %s%s", spelled_as, text);
    g_free(text);
}

/* The algorithms a challenge offered, "MD5" or "SHA-256/MD5" for several. */
static char *
offered_names(wmem_allocator_t *pool, guint offered)
{
    wmem_strbuf_t *names = wmem_strbuf_new(pool, "");
    for (guint alg = 0; alg <= SA_DIGEST_ALG_UNKNOWN; alg++) {
        if (!(offered & SA_DIGEST_ALG_BIT(alg)))
            continue;
        if (wmem_strbuf_get_len(names) > 0)
            wmem_strbuf_append_c(names, '/');
        wmem_strbuf_append(names, sa_digest_alg_name((sa_digest_alg_t)alg));
    }
    return wmem_strbuf_finalize(names);
}

static const char *
credentials_shown(sa_credentials_t credentials)
{
    /* The one to catch the eye on a ladder. */
    return credentials == SA_CREDENTIALS_WRONG ? "WRONG" : sa_credentials_name(credentials);
}

/* The label of a message's arrow; *overflow the details it had no room for (g_free). */
static char *
message_label(packet_info *pinfo, const sa_result_t *r, char **overflow)
{
    label_t l;
    char code[12];
    const char *method = r->method ? r->method : "request";
    switch (r->role) {
    case SA_ROLE_CHALLENGE:
    case SA_ROLE_CHALLENGE_RETRANSMISSION:
        snprintf(code, sizeof code, "%u", r->challenge_code);
        label_start(&l, code);
        if (r->retransmission) {
            label_detail(&l, "again", "");
            break;
        }
        if (r->realm)
            label_detail(&l, r->realm, "realm ");
        if (r->offered_algorithms)
            label_detail(&l, offered_names(pinfo->pool, r->offered_algorithms), "algorithm ");
        if (r->stale)
            label_detail(&l, "stale", "");
        break;
    case SA_ROLE_ACK:
        label_start(&l, "ACK");
        break;
    case SA_ROLE_RETRY:
        label_start(&l, method);
        if (r->username)
            label_detail(&l, r->username, "user ");
        /* Only a verdict: "not checked" is the rule without a credentials table. */
        if (r->credentials != SA_CREDENTIALS_NONE && r->credentials != SA_CREDENTIALS_NOT_CHECKED)
            label_detail(&l, credentials_shown(r->credentials), "credentials ");
        break;
    case SA_ROLE_RESULT:
        snprintf(code, sizeof code, "%u", r->result_code);
        label_start(&l, code);
        if (r->retransmission)
            label_detail(&l, "again", "");
        break;
    default:
        label_start(&l, method);
        if (r->retransmission)
            label_detail(&l, "again", "");
        break;
    }
    *overflow = g_string_free(l.overflow, FALSE);
    return g_string_free(l.label, FALSE);
}

static void
set_flow_item(seq_analysis_item_t *sai, guint32 flow, sa_verdict_t verdict, const char *overflow)
{
    sai->conv_num = (guint16)flow;
    sai->line_style = 1;
    sai->display = TRUE;
    g_free(sai->comment);
    sai->comment = g_strdup_printf("flow %u: %s%s", flow, sa_verdict_name(verdict), overflow);
}

/* Adds the item to its flow; a new verdict rewrites the comments of the flow's earlier items, told apart by
 * their "flow N: " (nothing of ours hangs on an item: its info_ptr is epan's to free). */
static void
join_flow(GHashTable *ht, GList *link, guint32 flow, sa_verdict_t verdict)
{
    const seq_analysis_item_t *sai = (const seq_analysis_item_t *)link->data;
    GList *first = (GList *)g_hash_table_lookup(ht, flow_key(flow, KEY_FIRST));
    GList *last = (GList *)g_hash_table_lookup(ht, flow_key(flow, KEY_LAST));
    sa_verdict_t said = (sa_verdict_t)GPOINTER_TO_INT(g_hash_table_lookup(ht, flow_key(flow, KEY_VERDICT)));
    g_hash_table_insert(ht, flow_key(flow, KEY_VERDICT), GINT_TO_POINTER(verdict));
    if (first == NULL) {
        g_hash_table_insert(ht, flow_key(flow, KEY_FIRST), link);
        g_hash_table_insert(ht, flow_key(flow, KEY_LAST), link);
        return;
    }
    /* A request claimed by its challenge in a single pass is before the flow's other items. */
    if (sai->frame_number < ((const seq_analysis_item_t *)first->data)->frame_number)
        g_hash_table_insert(ht, flow_key(flow, KEY_FIRST), first = link);
    else
        g_hash_table_insert(ht, flow_key(flow, KEY_LAST), last = link);
    if (said == verdict)
        return;
    char *prefix = g_strdup_printf("flow %u: %s", flow, sa_verdict_name(said));
    gsize prefix_len = strlen(prefix);
    for (GList *l = first; l; l = l->next) {
        seq_analysis_item_t *item = (seq_analysis_item_t *)l->data;
        if (l != link && item->comment && strncmp(item->comment, prefix, prefix_len) == 0) {
            char *comment = g_strdup_printf("flow %u: %s%s", flow, sa_verdict_name(verdict),
                                            item->comment + prefix_len);
            g_free(item->comment);
            item->comment = comment;
        }
        if (l == last)
            break;
    }
    g_free(prefix);
}

/* Single pass: a request becomes part of a flow only when its challenge comes; the challenge claims the
 * hidden item the request left, in its place in the graph. */
static void
claim_request(seq_analysis_info_t *sainfo, packet_info *pinfo, const flow_message_t *challenge)
{
    GList *link = (GList *)g_hash_table_lookup(sainfo->ht, message_key(challenge->request));
    if (link == NULL)
        return;
    g_hash_table_remove(sainfo->ht, message_key(challenge->request));
    seq_analysis_item_t *sai = (seq_analysis_item_t *)link->data;
    sa_result_t request = challenge->result;
    request.role = SA_ROLE_REQUEST;
    request.retransmission = FALSE;
    char *overflow;
    sai->frame_label = message_label(pinfo, &request, &overflow);
    set_flow_item(sai, request.flow, request.verdict_now, overflow);
    g_free(overflow);
    join_flow(sainfo->ht, link, request.flow, request.verdict_now);
}

static tap_packet_status
flowgraph_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                 tap_flags_t flags _U_)
{
    seq_analysis_info_t *sainfo = (seq_analysis_info_t *)tapdata;
    const flow_message_t *m = (const flow_message_t *)data;
    const sa_result_t *r = &m->result;
    /* A request sent again before its challenge came: a single pass cannot know it is in the flow. */
    if (m->linked && r->role == SA_ROLE_REQUEST_RETRANSMISSION && r->challenge_frame > pinfo->num)
        return TAP_PACKET_DONT_REDRAW;
    seq_analysis_item_t *sai = sequence_analysis_create_sai_with_addresses(pinfo, sainfo);
    if (sai == NULL)
        return TAP_PACKET_DONT_REDRAW;
    /* tshark's -z flow starts with no hash table; sequence_analysis_info_free() frees it. */
    if (sainfo->ht == NULL)
        sainfo->ht = g_hash_table_new(g_direct_hash, g_direct_equal);
    sai->frame_number = pinfo->num;
    sai->port_src = pinfo->srcport;
    sai->port_dst = pinfo->destport;
    g_queue_push_tail(sainfo->items, sai);
    GList *link = g_queue_peek_tail_link(sainfo->items);
    if (!m->linked) {
        /* Hidden until its challenge claims it. */
        g_hash_table_insert(sainfo->ht, message_key(m->id), link);
        return TAP_PACKET_DONT_REDRAW;
    }
    if (m->request != 0)
        claim_request(sainfo, pinfo, m);
    char *overflow;
    sai->frame_label = message_label(pinfo, r, &overflow);
    set_flow_item(sai, r->flow, r->verdict_now, overflow);
    g_free(overflow);
    join_flow(sainfo->ht, link, r->flow, r->verdict_now);
    return TAP_PACKET_REDRAW;
}

gboolean
sa_flowgraph_listening(void)
{
    return have_tap_listener(flowgraph_tap);
}

void
sa_flowgraph_queue(packet_info *pinfo, sa_msg_id_t id, const sa_result_t *result, sa_msg_id_t request)
{
    flow_message_t *m = wmem_new0(pinfo->pool, flow_message_t);
    m->id = id;
    m->request = request;
    m->linked = result != NULL;
    if (result)
        m->result = *result;
    tap_queue_packet(flowgraph_tap, pinfo, m);
}

void
sa_flowgraph_register(int proto)
{
    /* Its own tap, so that the statistics tables never see the requests of no flow a single pass sends. */
    flowgraph_tap = register_tap("sipauth_flow");
    register_seq_analysis("sipauth", "SIP authentication", proto, "sipauth_flow", TL_REQUIRES_NOTHING,
                          flowgraph_packet);
}
