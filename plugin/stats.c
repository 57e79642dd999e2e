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
#include "sipauth/explain.h"

static int sipauth_tap = -1;

int
sa_stats_tap(void)
{
    return sipauth_tap;
}

static void
set_string(stat_tap_table_item_type *item, const char *text)
{
    g_free((char *)item->value.string_value);
    item->type = TABLE_ITEM_STRING;
    item->value.string_value = g_strdup(text ? text : "");
}

static void
free_item(stat_tap_table *table _U_, guint row _U_, guint column _U_, stat_tap_table_item_type *item)
{
    if (item->type == TABLE_ITEM_STRING) {
        g_free((char *)item->value.string_value);
        item->value.string_value = NULL;
    }
}

/* Drops every row: the tables grow with the capture, so a reset empties them. */
static void
clear_rows(stat_tap_table *table)
{
    for (guint row = 0; row < table->num_elements; row++) {
        for (guint column = 0; column < table->num_fields; column++)
            free_item(table, row, column, stat_tap_get_field_data(table, row, column));
        g_free(table->elements[row]);
    }
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
}

/* Sets row index to zeros and empty strings of the columns' types. */
static stat_tap_table_item_type *
blank_row(stat_tap_table *table, guint index, const stat_tap_table_item *columns, guint n_columns)
{
    stat_tap_table_item_type items[16];
    ws_assert(n_columns <= G_N_ELEMENTS(items));
    memset(items, 0, sizeof items);
    for (guint c = 0; c < n_columns; c++)
        items[c].type = columns[c].type;
    stat_tap_init_table_row(table, index, n_columns, items);
    stat_tap_table_item_type *row = table->elements[index];
    for (guint c = 0; c < n_columns; c++)
        if (row[c].type == TABLE_ITEM_STRING)
            set_string(&row[c], "");
    return row;
}

static stat_tap_table *
first_table(void *tapdata)
{
    stat_data_t *stat_data = (stat_data_t *)tapdata;
    return g_array_index(stat_data->stat_tap_data->tables, stat_tap_table *, 0);
}

static void
init_single_table(stat_tap_table_ui *ui, const char *title, guint n_fields)
{
    stat_tap_table *table = stat_tap_find_table(ui, title);
    if (table) {
        clear_rows(table);
        return;
    }
    stat_tap_add_table(ui, stat_tap_init_table(title, n_fields, 0, NULL));
}

/* ---- -z sipauth,stat: one row per method and challenge code, then a total ---- */

enum {
    ST_METHOD, ST_CODE, ST_CHALLENGES, ST_ACCEPTED, ST_CHALLENGED_AGAIN, ST_REJECTED, ST_MISSING_RETRY,
    ST_RETRY_UNANSWERED, ST_MIN_RETRY, ST_AVG_RETRY, ST_MAX_RETRY, ST_COLUMNS
};
/* Raw counters live in the scratch space of the cells they explain. */
#define ST_RETRIED(row)      ((row)[ST_MISSING_RETRY].user_data.uint_value)
#define ST_RETRY_SUM(row)    ((row)[ST_AVG_RETRY].user_data.float_value)
#define ST_RETRY_MIN(row)    ((row)[ST_MIN_RETRY].user_data.float_value)
#define ST_RETRY_MAX(row)    ((row)[ST_MAX_RETRY].user_data.float_value)

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
    init_single_table(ui, STAT_TITLE, ST_COLUMNS);
}

static void
stat_reset(stat_tap_table *table)
{
    clear_rows(table);
}

static stat_tap_table_item_type *
new_stat_row(stat_tap_table *table, guint index, const char *method, const char *code)
{
    stat_tap_table_item_type *row = blank_row(table, index, stat_columns, ST_COLUMNS);
    set_string(&row[ST_METHOD], method);
    set_string(&row[ST_CODE], code);
    set_string(&row[ST_MIN_RETRY], "-");
    set_string(&row[ST_AVG_RETRY], "-");
    set_string(&row[ST_MAX_RETRY], "-");
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
        new_stat_row(table, 0, TOTAL, "all");
    guint total = table->num_elements - 1;
    for (guint i = 0; i < total; i++) {
        stat_tap_table_item_type *row = table->elements[i];
        if (strcmp(row[ST_METHOD].value.string_value, method) == 0
                && strcmp(row[ST_CODE].value.string_value, code_text) == 0)
            return row;
    }
    /* Append the new row, then swap it with the total so that the total stays last. */
    stat_tap_table_item_type *total_row = table->elements[total];
    stat_tap_table_item_type *row = new_stat_row(table, total + 1, method, code_text);
    table->elements[total] = row;
    table->elements[total + 1] = total_row;
    return row;
}

static void
set_seconds(stat_tap_table_item_type *item, double value)
{
    char text[32];
    snprintf(text, sizeof text, "%.3f", value);
    set_string(item, text);
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
    stat_tap_table *table = first_table(tapdata);
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

/* ---- -z sipauth,problems: one row per flow not (yet) accepted, in challenge order ---- */

enum {
    PR_FLOW, PR_FROM, PR_USERNAME, PR_REALM, PR_METHOD, PR_CODE, PR_CHALLENGE_FRAME, PR_RETRY_FRAME,
    PR_ATTEMPTS, PR_OUTCOME, PR_VERDICT, PR_HINT, PR_COLUMNS
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
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Hint",            "%s" },
};

static const char PROBLEMS_TITLE[] = "SIP Authentication Problems";

/*
 * Where each flow's row is: per table (the GUI may open several), an array by flow id (ids are dense, from
 * 1) of row index + 1, 0 for none. Every event finds its row in constant time. Rows stay in challenge
 * order: removing an accepted flow's row moves only the rows after it, which are the flows challenged
 * since and still unresolved; a retry comes within seconds, so these are few.
 */
static GHashTable *row_indexes;   /* stat_tap_table * -> GArray of guint */

static GArray *
row_index(const stat_tap_table *table)
{
    if (row_indexes == NULL)
        row_indexes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)g_array_unref);
    GArray *index = g_hash_table_lookup(row_indexes, table);
    if (index == NULL) {
        index = g_array_new(FALSE, TRUE, sizeof(guint));
        g_hash_table_insert(row_indexes, (gpointer)table, index);
    }
    return index;
}

static void
forget_rows(const stat_tap_table *table)
{
    if (row_indexes)
        g_array_set_size(row_index(table), 0);
}

static gint
find_flow(const stat_tap_table *table, guint32 flow)
{
    GArray *index = row_index(table);
    guint at = flow < index->len ? g_array_index(index, guint, flow) : 0;
    return (gint)at - 1;
}

static void
set_row_of(const stat_tap_table *table, guint32 flow, guint row_plus_one)
{
    GArray *index = row_index(table);
    if (flow >= index->len)
        g_array_set_size(index, MAX(flow + 1, index->len * 2));
    g_array_index(index, guint, flow) = row_plus_one;
}

static void
problems_init(stat_tap_table_ui *ui)
{
    init_single_table(ui, PROBLEMS_TITLE, PR_COLUMNS);
    forget_rows(stat_tap_find_table(ui, PROBLEMS_TITLE));
}

static stat_tap_table_item_type *
new_problem_row(stat_tap_table *table, const sa_result_t *r)
{
    stat_tap_table_item_type *row = blank_row(table, table->num_elements, problem_columns, PR_COLUMNS);
    row[PR_FLOW].value.uint_value = r->flow;
    set_string(&row[PR_FROM], r->from_uri);
    set_string(&row[PR_METHOD], r->method);
    set_row_of(table, r->flow, table->num_elements);
    return row;
}

static void
remove_problem_row(stat_tap_table *table, guint index)
{
    set_row_of(table, table->elements[index][PR_FLOW].value.uint_value, 0);
    for (guint c = 0; c < PR_COLUMNS; c++)
        free_item(table, index, c, &table->elements[index][c]);
    g_free(table->elements[index]);
    memmove(&table->elements[index], &table->elements[index + 1],
            (table->num_elements - index - 1) * sizeof table->elements[0]);
    table->num_elements--;
    for (guint i = index; i < table->num_elements; i++)
        set_row_of(table, table->elements[i][PR_FLOW].value.uint_value, i + 1);
}

/* The latest attempt's outcome, and the flow's verdict as it stands with the core's words for it. */
static void
set_outcome(stat_tap_table_item_type *row, const sa_result_t *r, guint code)
{
    if (code != 0) {
        char text[48];
        snprintf(text, sizeof text, "%s (%u)", sa_outcome_name(r->flow_state), code);
        set_string(&row[PR_OUTCOME], text);
    } else {
        set_string(&row[PR_OUTCOME], sa_outcome_name(r->flow_state));
    }
    set_string(&row[PR_VERDICT], sa_verdict_name(r->verdict_now));
    set_string(&row[PR_HINT], sa_verdict_text(r));
}

static tap_packet_status
problems_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                tap_flags_t flags _U_)
{
    const sa_result_t *r = (const sa_result_t *)data;
    stat_tap_table *table = first_table(tapdata);
    if (r->retransmission)
        return TAP_PACKET_DONT_REDRAW;
    gint index = find_flow(table, r->flow);
    stat_tap_table_item_type *row = index >= 0 ? table->elements[index] : NULL;
    switch (r->role) {
    case SA_ROLE_CHALLENGE:
        if (row == NULL) {
            row = new_problem_row(table, r);
            row[PR_CHALLENGE_FRAME].value.uint_value = pinfo->num;
        }
        row[PR_CODE].value.uint_value = r->challenge_code;
        row[PR_ATTEMPTS].value.uint_value = r->attempt;
        set_string(&row[PR_REALM], r->realm);
        set_outcome(row, r, 0);
        return TAP_PACKET_REDRAW;
    case SA_ROLE_RETRY:
        if (row == NULL)
            return TAP_PACKET_DONT_REDRAW;
        row[PR_RETRY_FRAME].value.uint_value = pinfo->num;
        set_string(&row[PR_USERNAME], r->username);
        set_outcome(row, r, 0);
        return TAP_PACKET_REDRAW;
    case SA_ROLE_RESULT:
        if (row == NULL)
            return TAP_PACKET_DONT_REDRAW;
        if (r->flow_state == SA_OUTCOME_ACCEPTED)
            remove_problem_row(table, (guint)index);
        else
            set_outcome(row, r, r->result_code);
        return TAP_PACKET_REDRAW;
    default:
        return TAP_PACKET_DONT_REDRAW;
    }
}

static void
problems_reset(stat_tap_table *table)
{
    clear_rows(table);
    forget_rows(table);
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
        free_item,
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
        free_item,
        NULL,
        array_length(problem_columns), problem_columns,
        0, NULL,
        NULL,
        0
    };
    sipauth_tap = register_tap("sipauth");
    register_stat_tap_table_ui(&stat_table);
    register_stat_tap_table_ui(&problems_table);
}
