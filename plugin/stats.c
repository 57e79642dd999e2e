/* The sipauth statistics tables (-z sipauth,stat and -z sipauth,problems, and their GUI dialogs).
 *
 * Both tables are filled from the events of single frames (a challenge, a retry, a retry's result), so
 * they are the same after a single-pass run as after two passes: a count that needs the end of the
 * capture (missing retry, retry unanswered) is derived from the others, and a problem row carries the
 * outcome the flow would have if the capture ended now, and goes away once its retry is accepted.
 */
#include "ws_version.h"

#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "sipauth/tracker.h"
#include "stats.h"
#include "stat_table.h"
#include "table_print.h"
#include "sipauth/explain.h"

static int sipauth_tap = -1;

int
sa_stats_tap(void)
{
    return sipauth_tap;
}

/* ---- -z sipauth,stat: one row per method and challenge code, then a total ---- */

enum {
    ST_METHOD, ST_CODE, ST_CHALLENGES, ST_ACCEPTED, ST_CHALLENGED_AGAIN, ST_REJECTED, ST_MISSING_RETRY,
    ST_RETRY_UNANSWERED, ST_MIN_RETRY, ST_AVG_RETRY, ST_MAX_RETRY, ST_COLUMNS
};
/* Raw counters live in the scratch space of number cells (a string cell's is stat_table.c's). */
#define ST_RETRIED(row)      ((row)[ST_MISSING_RETRY].user_data.uint_value)
#define ST_RETRY_SUM(row)    ((row)[ST_CHALLENGES].user_data.float_value)
#define ST_RETRY_MIN(row)    ((row)[ST_ACCEPTED].user_data.float_value)
#define ST_RETRY_MAX(row)    ((row)[ST_CHALLENGED_AGAIN].user_data.float_value)

static stat_tap_table_item stat_columns[ST_COLUMNS] = {
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Method",           "%-12s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Code",             "%5s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Challenges",       "%10u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Accepted",         "%8u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Challenged again", "%16u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Rejected",         "%8u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Missing retry",    "%13u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Retry unanswered", "%16u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Min retry (s)",    "%13s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Avg retry (s)",    "%13s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Max retry (s)",    "%13s" },
};

static const char STAT_TITLE[] = "SIP Authentication Challenges";
static const char TOTAL[] = "Total";

static void
stat_init(stat_tap_table_ui *ui)
{
    sa_table_init_single(ui, STAT_TITLE, ST_COLUMNS);
}

static void
stat_reset(stat_tap_table *table)
{
    sa_table_clear_rows(table);
}

static stat_tap_table_item_type *
new_stat_row(stat_tap_table *table, const char *method, const char *code)
{
    stat_tap_table_item_type *row = sa_table_append_row(table, stat_columns, ST_COLUMNS, NULL, NULL);
    sa_table_set_string(&row[ST_METHOD], method);
    sa_table_set_string(&row[ST_CODE], code);
    sa_table_set_static(&row[ST_MIN_RETRY], "-");
    sa_table_set_static(&row[ST_AVG_RETRY], "-");
    sa_table_set_static(&row[ST_MAX_RETRY], "-");
    return row;
}

/* The row of (method, code); new rows go before the total, which stays last. */
static stat_tap_table_item_type *
stat_row(stat_tap_table *table, const char *method, guint code)
{
    char code_text[16];
    snprintf(code_text, sizeof code_text, "%u", code);
    if (method == NULL)
        method = "?";
    if (table->num_elements == 0)
        new_stat_row(table, TOTAL, "all");
    guint total = table->num_elements - 1;
    for (guint i = 0; i < total; i++) {
        stat_tap_table_item_type *row = table->elements[i];
        if (strcmp(row[ST_METHOD].value.string_value, method) == 0
                && strcmp(row[ST_CODE].value.string_value, code_text) == 0)
            return row;
    }
    /* Append the new row, then swap it with the total so that the total stays last. */
    stat_tap_table_item_type *total_row = table->elements[total];
    stat_tap_table_item_type *row = new_stat_row(table, method, code_text);
    table->elements[total] = row;
    table->elements[total + 1] = total_row;
    return row;
}

static void
set_seconds(stat_tap_table_item_type *item, double value)
{
    char text[32];
    snprintf(text, sizeof text, "%.3f", value);
    sa_table_set_string(item, text);
}

/* Writes the cells derived from the raw counters. */
static void
refresh_stat_row(stat_tap_table_item_type *row)
{
    guint retried = ST_RETRIED(row);
    guint answered = row[ST_ACCEPTED].value.uint_value + row[ST_CHALLENGED_AGAIN].value.uint_value
                   + row[ST_REJECTED].value.uint_value;
    guint challenges = row[ST_CHALLENGES].value.uint_value;
    row[ST_MISSING_RETRY].value.uint_value = challenges > retried ? challenges - retried : 0;
    row[ST_RETRY_UNANSWERED].value.uint_value = retried > answered ? retried - answered : 0;
    if (retried > 0) {
        set_seconds(&row[ST_MIN_RETRY], ST_RETRY_MIN(row));
        set_seconds(&row[ST_AVG_RETRY], ST_RETRY_SUM(row) / retried);
        set_seconds(&row[ST_MAX_RETRY], ST_RETRY_MAX(row));
    }
}

typedef enum { EV_CHALLENGE, EV_CHALLENGED_AGAIN, EV_RETRY, EV_ACCEPTED, EV_REJECTED } stat_event_t;

static void
apply_event(stat_tap_table_item_type *row, stat_event_t event, const sa_result_t *r)
{
    switch (event) {
    case EV_CHALLENGE:
        row[ST_CHALLENGES].value.uint_value++;
        break;
    case EV_CHALLENGED_AGAIN:
        row[ST_CHALLENGED_AGAIN].value.uint_value++;
        break;
    case EV_ACCEPTED:
        row[ST_ACCEPTED].value.uint_value++;
        break;
    case EV_REJECTED:
        row[ST_REJECTED].value.uint_value++;
        break;
    case EV_RETRY: {
        double delay = (double)r->time_to_retry_ns / 1e9;
        if (ST_RETRIED(row) == 0 || delay < ST_RETRY_MIN(row))
            ST_RETRY_MIN(row) = delay;
        if (ST_RETRIED(row) == 0 || delay > ST_RETRY_MAX(row))
            ST_RETRY_MAX(row) = delay;
        ST_RETRY_SUM(row) += delay;
        ST_RETRIED(row)++;
        break;
    }
    }
    refresh_stat_row(row);
}

static void
count(stat_tap_table *table, const char *method, guint code, stat_event_t event, const sa_result_t *r)
{
    apply_event(stat_row(table, method, code), event, r);
    apply_event(table->elements[table->num_elements - 1], event, r);
}

static tap_packet_status
stat_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *data,
            tap_flags_t flags _U_)
{
    const sa_result_t *r = (const sa_result_t *)data;
    stat_tap_table *table = sa_table_first(tapdata);
    if (r->retransmission)
        return TAP_PACKET_DONT_REDRAW;
    switch (r->role) {
    case SA_ROLE_CHALLENGE:
        count(table, r->method, r->challenge_code, EV_CHALLENGE, r);
        if (r->answered_code != 0)
            count(table, r->method, r->answered_code, EV_CHALLENGED_AGAIN, r);
        return TAP_PACKET_REDRAW;
    case SA_ROLE_RETRY:
        count(table, r->method, r->challenge_code, EV_RETRY, r);
        return TAP_PACKET_REDRAW;
    case SA_ROLE_RESULT:
        count(table, r->method, r->challenge_code, r->flow_state == SA_OUTCOME_ACCEPTED ? EV_ACCEPTED : EV_REJECTED, r);
        return TAP_PACKET_REDRAW;
    default:
        return TAP_PACKET_DONT_REDRAW;
    }
}

/* ---- -z sipauth,problems: one row per flow not (yet) accepted, grouped by address of record ---- */

enum {
    PR_FLOW, PR_FROM, PR_USERNAME, PR_REALM, PR_METHOD, PR_CODE, PR_CHALLENGE_FRAME, PR_RETRY_FRAME,
    PR_ATTEMPTS, PR_OUTCOME, PR_VERDICT, PR_HINT, PR_SUPERSEDED, PR_COLUMNS
};

static stat_tap_table_item problem_columns[PR_COLUMNS] = {
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Flow",            "%5u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "From",            "%-30s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Username",        "%-16s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Realm",           "%-20s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Method",          "%-10s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Code",            "%4u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Challenge frame", "%15u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Retry frame",     "%11u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Attempts",        "%8u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Outcome",         "%-16s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Verdict",         "%-16s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Hint",            "%-80s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Superseded",      "%s" },
};

static const char PROBLEMS_TITLE[] = "SIP Authentication Problems";

/* room in a row for its texts (stat_table.h), enough for most: a URI, names, "by flow N" */
static const guint8 problem_text_room[PR_COLUMNS] = {
    [PR_FROM] = 48, [PR_USERNAME] = 24, [PR_REALM] = 32, [PR_METHOD] = 16, [PR_OUTCOME] = 32, [PR_SUPERSEDED] = 24,
};

/*
 * Rows are grouped by the flows' address of record (sa_result_t.user_uri: a REGISTER's To URI, else the From
 * URI), a group in the order of its first problem, flows in challenge order within it: a new row goes after its
 * group's last one. An accepted flow's row goes away; it marks the earlier rows of its group and method as
 * superseded.
 */
typedef struct {
    char   *aor;
    guint   rank;                /* the group's place: groups given rows later come after */
    guint   last_seq;            /* its last row's */
    guint   rows;                /* 0: none now; its next row takes a new rank, at the end */
} group_t;

/* A flow's row: its group and its row's key (rank << 32 | seq, seq the order rows were made in; 0: the flow has
 * no row). A group keeps its rank while it has rows, so the key finds the row without reading the group. */
typedef struct {
    group_t *group;
    guint64  key;
} flow_row_t;

/*
 * A problems table's look-ups. Rows stand in the order of their (group rank, seq), kept beside them in an
 * array of their own: a row is found by a binary search that reads only that array (not a row's cells each
 * step, which a large table has long pushed out of the caches), so inserting or removing one costs a move
 * of the entries after it and nothing more.
 */
typedef struct {
    GArray     *flows;           /* of flow_row_t, by flow id */
    GArray     *keys;            /* of guint64, by row: rank << 32 | seq */
    GHashTable *by_aor;          /* AOR -> group_t */
    GPtrArray  *spare_rows;      /* removed rows' memory, for the next new rows (sa_table_remove_row) */
    guint       next_rank, next_seq;
} problems_state_t;

static guint64
row_key(guint rank, guint seq)
{
    return (guint64)rank << 32 | seq;
}

#define KEY_RANK(key) ((guint)((key) >> 32))
#define KEY_SEQ(key)  ((guint)((key) & G_MAXUINT32))

static void
free_group(gpointer data)
{
    group_t *group = data;
    g_free(group->aor);
    g_free(group);
}

static gpointer
new_problems_state(void)
{
    problems_state_t *state = g_new0(problems_state_t, 1);
    state->flows = g_array_new(FALSE, TRUE, sizeof(flow_row_t));
    state->keys = g_array_new(FALSE, FALSE, sizeof(guint64));
    state->by_aor = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free_group);
    state->spare_rows = g_ptr_array_new_with_free_func(g_free);
    state->next_rank = state->next_seq = 1;
    return state;
}

static void
free_problems_state(gpointer data)
{
    problems_state_t *state = data;
    g_array_unref(state->flows);
    g_array_unref(state->keys);
    g_hash_table_destroy(state->by_aor);
    g_ptr_array_free(state->spare_rows, TRUE);
    g_free(state);
}

static problems_state_t *
problems_state(const stat_tap_table *table)
{
    return sa_table_state(table, new_problems_state, free_problems_state);
}

static void
problems_init(stat_tap_table_ui *ui)
{
    sa_table_init_single(ui, PROBLEMS_TITLE, PR_COLUMNS);
    sa_table_forget_state(stat_tap_find_table(ui, PROBLEMS_TITLE));
}

static flow_row_t *
flow_row(problems_state_t *state, guint32 flow)
{
    if (flow >= state->flows->len)
        g_array_set_size(state->flows, MAX(flow + 1, state->flows->len * 2));
    return &g_array_index(state->flows, flow_row_t, flow);
}

/* The index of the first row that is not before key. */
static guint
row_position(const problems_state_t *state, guint64 key)
{
    const guint64 *keys = (const guint64 *)(void *)state->keys->data;
    guint low = 0, high = state->keys->len;
    while (low < high) {
        guint mid = low + (high - low) / 2;
        if (keys[mid] < key)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

/* The flow's row index, or -1. */
static gint
problem_row_of(problems_state_t *state, const stat_tap_table *table, guint32 flow)
{
    const flow_row_t *at = flow < state->flows->len ? &g_array_index(state->flows, flow_row_t, flow) : NULL;
    if (at == NULL || at->key == 0)
        return -1;
    guint index = row_position(state, at->key);
    return index < table->num_elements ? (gint)index : -1;
}

static stat_tap_table_item_type *
new_problem_row(stat_tap_table *table, const sa_result_t *r)
{
    problems_state_t *state = problems_state(table);
    const char *aor = r->user_uri ? r->user_uri : "";
    group_t *group = g_hash_table_lookup(state->by_aor, aor);
    if (group == NULL) {
        group = g_new0(group_t, 1);
        group->aor = g_strdup(aor);
        g_hash_table_insert(state->by_aor, group->aor, group);
    }
    if (group->rows++ == 0)
        group->rank = state->next_rank++;
    guint seq = state->next_seq++;
    guint64 key = row_key(group->rank, seq);
    /* after the group's last row: the rows of later groups move down (the latest group's rows are the last) */
    guint at = group->rank + 1 == state->next_rank ? state->keys->len : row_position(state, key);
    stat_tap_table_item_type *row = sa_table_append_row(table, problem_columns, PR_COLUMNS, problem_text_room,
                                                        state->spare_rows);
    if (at + 1 < table->num_elements) {
        memmove(&table->elements[at + 1], &table->elements[at],
                (table->num_elements - 1 - at) * sizeof table->elements[0]);
        table->elements[at] = row;
    }
    g_array_insert_val(state->keys, at, key);
    row[PR_FLOW].value.uint_value = r->flow;
    sa_table_set_string(&row[PR_FROM], r->from_uri);
    sa_table_set_string(&row[PR_METHOD], r->method);
    group->last_seq = seq;
    flow_row_t *slot = flow_row(state, r->flow);
    slot->group = group;
    slot->key = key;
    return row;
}

/* Removes a row; its group stays known (an AOR comes back often), empty when it was its last row. Returns
 * the group. */
static group_t *
remove_problem_row(stat_tap_table *table, guint index)
{
    problems_state_t *state = problems_state(table);
    stat_tap_table_item_type *row = table->elements[index];
    flow_row_t *slot = flow_row(state, row[PR_FLOW].value.uint_value);
    group_t *group = slot->group;
    group->rows--;
    if (group->rows > 0 && group->last_seq == KEY_SEQ(g_array_index(state->keys, guint64, index)))
        group->last_seq = KEY_SEQ(g_array_index(state->keys, guint64, index - 1));   /* the group's rows stand together */
    slot->group = NULL;
    slot->key = 0;
    sa_table_remove_row(table, index, state->spare_rows);
    g_array_remove_index(state->keys, index);
    return group;
}

/* An accepted flow supersedes the earlier problems of its address of record and method; its own row was in
 * group (the group of its AOR as it was at its challenge). */
static void
mark_superseded(stat_tap_table *table, group_t *group, const sa_result_t *r)
{
    problems_state_t *state = problems_state(table);
    const char *aor = r->user_uri ? r->user_uri : "";
    if (strcmp(group->aor, aor) != 0)
        group = g_hash_table_lookup(state->by_aor, aor);
    if (group == NULL || group->rows == 0)
        return;
    char text[32];
    snprintf(text, sizeof text, "by flow %u", r->flow);
    for (gint i = (gint)row_position(state, row_key(group->rank, group->last_seq)); i >= 0; i--) {
        if ((guint)i >= table->num_elements)
            continue;
        if (KEY_RANK(g_array_index(state->keys, guint64, i)) != group->rank)
            break;
        stat_tap_table_item_type *row = table->elements[i];
        if (row[PR_FLOW].value.uint_value < r->flow && g_strcmp0(row[PR_METHOD].value.string_value, r->method) == 0
                && *row[PR_SUPERSEDED].value.string_value == '\0')
            sa_table_set_string(&row[PR_SUPERSEDED], text);
    }
}

/* The latest attempt's outcome, and the flow's verdict as it stands with the core's words for it. */
static void
set_outcome(stat_tap_table_item_type *row, const sa_result_t *r, guint code)
{
    if (code != 0) {
        char text[48];
        snprintf(text, sizeof text, "%s (%u)", sa_outcome_name(r->flow_state), code);
        sa_table_set_string(&row[PR_OUTCOME], text);
    } else {
        sa_table_set_static(&row[PR_OUTCOME], sa_outcome_name(r->flow_state));
    }
    sa_table_set_static(&row[PR_VERDICT], sa_verdict_name(r->verdict_now));
    sa_table_set_static(&row[PR_HINT], sa_verdict_text(r));
}

static tap_packet_status
problems_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                tap_flags_t flags _U_)
{
    const sa_result_t *r = (const sa_result_t *)data;
    stat_tap_table *table = sa_table_first(tapdata);
    if (r->retransmission)
        return TAP_PACKET_DONT_REDRAW;
    gint index = problem_row_of(problems_state(table), table, r->flow);
    stat_tap_table_item_type *row = index >= 0 ? table->elements[index] : NULL;
    switch (r->role) {
    case SA_ROLE_CHALLENGE:
        if (row == NULL) {
            row = new_problem_row(table, r);
            row[PR_CHALLENGE_FRAME].value.uint_value = pinfo->num;
        }
        row[PR_CODE].value.uint_value = r->challenge_code;
        row[PR_ATTEMPTS].value.uint_value = r->attempt;
        sa_table_set_string(&row[PR_REALM], r->realm);
        set_outcome(row, r, 0);
        return TAP_PACKET_REDRAW;
    case SA_ROLE_RETRY:
        if (row == NULL)
            return TAP_PACKET_DONT_REDRAW;
        row[PR_RETRY_FRAME].value.uint_value = pinfo->num;
        sa_table_set_string(&row[PR_USERNAME], r->username);
        set_outcome(row, r, 0);
        return TAP_PACKET_REDRAW;
    case SA_ROLE_RESULT:
        if (row == NULL)
            return TAP_PACKET_DONT_REDRAW;
        if (r->flow_state == SA_OUTCOME_ACCEPTED) {
            mark_superseded(table, remove_problem_row(table, (guint)index), r);
        } else {
            set_outcome(row, r, r->result_code);
        }
        return TAP_PACKET_REDRAW;
    default:
        return TAP_PACKET_DONT_REDRAW;
    }
}

static void
problems_reset(stat_tap_table *table)
{
    sa_table_clear_rows(table);
    sa_table_forget_state(table);
}

void
sa_stats_register(void)
{
    static stat_tap_table_ui stat_table = {
        SA_STAT_GROUP_TELEPHONY,
        "SIP Authentication Challenges",
        "sipauth",
        "sipauth,stat",
        stat_init,
        stat_packet,
        stat_reset,
        sa_table_free_item,
        NULL,
        array_length(stat_columns), stat_columns,
        0, NULL,
        NULL,
        0
    };
    static stat_tap_table_ui problems_table = {
        SA_STAT_GROUP_TELEPHONY,
        "SIP Authentication Problems",
        "sipauth",
        "sipauth,problems",
        problems_init,
        problems_packet,
        problems_reset,
        sa_table_free_item,
        NULL,
        array_length(problem_columns), problem_columns,
        0, NULL,
        NULL,
        0
    };
    sipauth_tap = register_tap("sipauth");
    register_stat_tap_table_ui(&stat_table);
    register_stat_tap_table_ui(&problems_table);
    sa_table_print_register(&stat_table);
    sa_table_print_register(&problems_table);
}
