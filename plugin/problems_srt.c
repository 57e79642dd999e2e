/* The problem flows as a Service Response Time table (-z sipauth,srt; Statistics > Service Response Time >
 * SIPAUTH), whose rows the GUI can turn into the display filter sipauth.flow == N.
 *
 * Why a second view of the problems table: Wireshark's dialog of stat_tap_table tables (the problems table's)
 * offers nothing on a row but Copy and Save as, while its SRT dialog has Apply as Filter, Prepare as Filter,
 * Find and Colorize on every row, each built as "<table filter>==<row index>". So the row index is the flow
 * and the filter is sipauth.flow. The procedure column carries what the problems table says, outcome and
 * hint first, so that it reads in a narrow dialog; it is the second column, sized to its text.
 *
 * Rows follow the problems table's rules, from single frames so that one pass gives the same: a flow has a
 * row from its first challenge until a retry is accepted. Each challenge of the flow is one "call"; its time
 * is how long after the flow's first challenge it came (so Max SRT is how long the UA kept trying).
 */
#include "ws_version.h"

#include <epan/packet.h>
#include <epan/srt_table.h>
#include <epan/tap.h>

#include "sipauth/tracker.h"
#include "sipauth/explain.h"
#include "problems_srt.h"

static const char TABLE_NAME[] = "SIP Authentication Problems";
static const char TABLE_SHORT_NAME[] = "Problems";
static const char PROCEDURE_COLUMN[] = "Outcome: hint (method code, From)";
static const char FLOW_FIELD[] = "sipauth.flow";

/* Per table (each dialog has its own, and makes a new one on each retap): the time of each flow's first
 * challenge, by flow id. Replaced when a new table takes an old table's address. */
static GHashTable *first_challenges;   /* srt_stat_table * -> GArray of nstime_t */

static GArray *
first_challenge_times(const srt_stat_table *table)
{
    if (first_challenges == NULL)
        first_challenges = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)g_array_unref);
    GArray *times = g_hash_table_lookup(first_challenges, table);
    if (times == NULL) {
        times = g_array_new(FALSE, TRUE, sizeof(nstime_t));
        g_hash_table_insert(first_challenges, (gpointer)table, times);
    }
    return times;
}

static void
problems_srt_init(struct register_srt *srt _U_, GArray *srt_array)
{
    srt_stat_table *table = init_srt_table(TABLE_NAME, TABLE_SHORT_NAME, srt_array, 0, PROCEDURE_COLUMN,
                                           FLOW_FIELD, NULL);
    if (first_challenges)
        g_hash_table_remove(first_challenges, table);
}

/* The row of a flow, made (hidden, with no calls) when missing: the procedures array is indexed by flow. */
static srt_procedure_t *
flow_row(srt_stat_table *table, guint32 flow)
{
    if ((int)flow >= table->num_procs)
        init_srt_table_row(table, (int)flow, "");
    return &table->procedures[flow];
}

static void
describe(srt_procedure_t *row, const sa_result_t *r, guint code)
{
    GString *text = g_string_new(sa_outcome_name(r->flow_state));
    if (code != 0)
        g_string_append_printf(text, " (%u)", code);
    g_string_append_printf(text, ": %s (%s %u", sa_verdict_text(r), r->method ? r->method : "?",
                           r->challenge_code);
    if (r->from_uri)
        g_string_append_printf(text, ", %s", r->from_uri);
    g_string_append_c(text, ')');
    g_free(row->procedure);
    row->procedure = g_string_free(text, FALSE);
}

static tap_packet_status
problems_srt_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                    tap_flags_t flags _U_)
{
    const sa_result_t *r = (const sa_result_t *)data;
    srt_data_t *srt_data = (srt_data_t *)tapdata;
    srt_stat_table *table = g_array_index(srt_data->srt_array, srt_stat_table *, 0);
    if (r->retransmission || r->flow == 0 || r->flow > G_MAXINT / 2)
        return TAP_PACKET_DONT_REDRAW;
    GArray *times = first_challenge_times(table);
    switch (r->role) {
    case SA_ROLE_CHALLENGE: {
        srt_procedure_t *row = flow_row(table, r->flow);
        if (r->flow >= times->len)
            g_array_set_size(times, MAX(r->flow + 1, times->len * 2));
        nstime_t *first = &g_array_index(times, nstime_t, r->flow);
        if (row->stats.num == 0)
            *first = pinfo->abs_ts;
        nstime_t since_first;
        nstime_delta(&since_first, &pinfo->abs_ts, first);
        time_stat_update(&row->stats, &since_first, pinfo);
        describe(row, r, 0);
        return TAP_PACKET_REDRAW;
    }
    case SA_ROLE_RETRY:
    case SA_ROLE_RESULT: {
        if ((int)r->flow >= table->num_procs)
            return TAP_PACKET_DONT_REDRAW;
        srt_procedure_t *row = &table->procedures[r->flow];
        if (row->stats.num == 0)
            return TAP_PACKET_DONT_REDRAW;
        if (r->role == SA_ROLE_RESULT && r->flow_state == SA_OUTCOME_ACCEPTED) {
            /* No calls: the dialog hides the row and tshark leaves it out. */
            time_stat_init(&row->stats);
            describe(row, r, r->result_code);
        } else {
            describe(row, r, r->role == SA_ROLE_RESULT ? r->result_code : 0);
        }
        return TAP_PACKET_REDRAW;
    }
    default:
        return TAP_PACKET_DONT_REDRAW;
    }
}

void
sa_problems_srt_register(int proto)
{
    register_srt_table(proto, "sipauth", 1, problems_srt_packet, problems_srt_init, NULL);
}
