/* The per-user and per-source tables (SPEC section 12): -z sipauth,registrations and -z sipauth,sources, and
 * their GUI dialogs.
 *
 * A registrations row shows the core's figures for one address of record and username as they stand at its
 * latest message (docs/STATISTICS.md); a sources row adds up the sipauth tap's events of one source address.
 * Both are filled from events of single frames, so a single pass ends complete.
 */
#include "ws_version.h"

#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <epan/to_str.h>

#include "sipauth/tracker.h"
#include "sipauth/registrations.h"
#include "stat_table.h"
#include "stats_users.h"

static int registrations_tap = -1;

int
sa_stats_registrations_tap(void)
{
    return registrations_tap;
}

/* ---- -z sipauth,registrations: one row per address of record and username ---- */

enum {
    RG_AOR, RG_USERNAME, RG_REGISTERS, RG_CHALLENGED, RG_ACCEPTED, RG_REFUSED, RG_FAILED, RG_STATE, RG_RRD_MIN,
    RG_RRD_AVG, RG_RRD_MAX, RG_IRA, RG_AUTH_TIME, RG_USER_AGENT, RG_COLUMNS
};

static stat_tap_table_item registration_columns[RG_COLUMNS] = {
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "AOR",            "%-32s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Username",       "%-16s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "REGISTERs",      "%9u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Challenged",     "%10u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Accepted",       "%8u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Refused",        "%7u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Failed",         "%6u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "State",          "%-23s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "RRD min (ms)",   "%12s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "RRD avg (ms)",   "%12s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "RRD max (ms)",   "%12s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "IRA (%)",        "%7s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Auth time (s)",  "%13s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "User-Agent",     "%s" },
};

static const char REGISTRATIONS_TITLE[] = "SIP Authentication Registrations";

static void
registrations_init(stat_tap_table_ui *ui)
{
    sa_table_init_single(ui, REGISTRATIONS_TITLE, RG_COLUMNS);
    sa_table_forget_rows(stat_tap_find_table(ui, REGISTRATIONS_TITLE));
}

static void
registrations_reset(stat_tap_table *table)
{
    sa_table_clear_rows(table);
    sa_table_forget_rows(table);
}

static void
set_ms(stat_tap_table_item_type *item, gboolean known, double ns)
{
    char text[32];
    if (known)
        snprintf(text, sizeof text, "%.1f", ns / 1e6);
    else
        g_strlcpy(text, "-", sizeof text);
    sa_table_set_string(item, text);
}

static void
set_state(stat_tap_table_item_type *item, const sa_registration_t *reg)
{
    char text[48];
    if (reg->state != SA_REG_STATE_FAILED)
        g_strlcpy(text, sa_reg_state_name(reg->state), sizeof text);
    else if (reg->cause == SA_REG_CAUSE_CODE)
        snprintf(text, sizeof text, "%s: %u", sa_reg_state_name(reg->state), reg->cause_code);
    else
        snprintf(text, sizeof text, "%s: %s", sa_reg_state_name(reg->state), sa_reg_cause_name(reg->cause));
    sa_table_set_string(item, text);
}

static tap_packet_status
registrations_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *data,
                     tap_flags_t flags _U_)
{
    const sa_registration_t *reg = (const sa_registration_t *)data;
    stat_tap_table *table = sa_table_first(tapdata);
    gint index = sa_table_row_of(table, reg->id);
    stat_tap_table_item_type *row;
    if (index < 0) {
        row = sa_table_blank_row(table, table->num_elements, registration_columns, RG_COLUMNS);
        sa_table_set_row_of(table, reg->id, table->num_elements);
        sa_table_set_string(&row[RG_AOR], reg->aor);
    } else {
        row = table->elements[index];
    }
    sa_table_set_string(&row[RG_USERNAME], reg->username);
    row[RG_REGISTERS].value.uint_value = reg->registers;
    row[RG_CHALLENGED].value.uint_value = reg->challenged;
    row[RG_ACCEPTED].value.uint_value = reg->accepted;
    row[RG_REFUSED].value.uint_value = reg->refused;
    row[RG_FAILED].value.uint_value = reg->failed;
    set_state(&row[RG_STATE], reg);
    gboolean rrd = reg->rrd_count > 0;
    set_ms(&row[RG_RRD_MIN], rrd, (double)reg->rrd_min_ns);
    set_ms(&row[RG_RRD_AVG], rrd, rrd ? (double)reg->rrd_sum_ns / reg->rrd_count : 0);
    set_ms(&row[RG_RRD_MAX], rrd, (double)reg->rrd_max_ns);
    char text[32];
    if (reg->attempts > 0)
        snprintf(text, sizeof text, "%.1f", 100.0 * reg->ineffective / reg->attempts);
    else
        g_strlcpy(text, "-", sizeof text);
    sa_table_set_string(&row[RG_IRA], text);
    snprintf(text, sizeof text, "%.3f", (double)reg->auth_ns / 1e9);
    sa_table_set_string(&row[RG_AUTH_TIME], text);
    sa_table_set_string(&row[RG_USER_AGENT], reg->user_agent);
    return TAP_PACKET_REDRAW;
}

/* ---- -z sipauth,sources: one row per source address of challenged requests ---- */

enum {
    SO_SOURCE, SO_CHALLENGES, SO_USERNAMES, SO_REFUSED, SO_ACCEPTED, SO_FIRST, SO_LAST, SO_USER_AGENT, SO_COLUMNS
};

static stat_tap_table_item source_columns[SO_COLUMNS] = {
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Source",      "%-39s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Challenges",  "%10u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Usernames",   "%9u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Refused",     "%7u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Accepted",    "%8u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "First (s)",   "%11s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Last (s)",    "%11s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "User-Agent",  "%s" },
};

static const char SOURCES_TITLE[] = "SIP Authentication Sources";

/* Per sources table: its rows by address, and each row's user names (to count them once). */
typedef struct {
    GHashTable *rows;            /* address text -> row index + 1 */
    GPtrArray  *users;           /* by row: GHashTable of user names */
} sources_index_t;

static GHashTable *sources_indexes; /* stat_tap_table * -> sources_index_t */

static void
free_sources_index(gpointer data)
{
    sources_index_t *index = data;
    g_hash_table_destroy(index->rows);
    g_ptr_array_free(index->users, TRUE);
    g_free(index);
}

static sources_index_t *
sources_index(const stat_tap_table *table)
{
    if (sources_indexes == NULL)
        sources_indexes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_sources_index);
    sources_index_t *index = g_hash_table_lookup(sources_indexes, table);
    if (index == NULL) {
        index = g_new0(sources_index_t, 1);
        index->rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        index->users = g_ptr_array_new_with_free_func((GDestroyNotify)g_hash_table_destroy);
        g_hash_table_insert(sources_indexes, (gpointer)table, index);
    }
    return index;
}

static void
forget_sources(const stat_tap_table *table)
{
    if (sources_indexes)
        g_hash_table_remove(sources_indexes, table);
}

static void
sources_init(stat_tap_table_ui *ui)
{
    sa_table_init_single(ui, SOURCES_TITLE, SO_COLUMNS);
    forget_sources(stat_tap_find_table(ui, SOURCES_TITLE));
}

static void
sources_reset(stat_tap_table *table)
{
    sa_table_clear_rows(table);
    forget_sources(table);
}

static void
set_seconds(stat_tap_table_item_type *item, const nstime_t *t)
{
    char text[32];
    snprintf(text, sizeof text, "%.3f", nstime_to_sec(t));
    sa_table_set_string(item, text);
}

/* The user agent's side of the frame: a request comes from it, a response goes to it. */
static const address *
ua_address(const packet_info *pinfo, const sa_result_t *r)
{
    return r->role == SA_ROLE_RETRY ? &pinfo->net_src : &pinfo->net_dst;
}

static tap_packet_status
sources_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    const sa_result_t *r = (const sa_result_t *)data;
    if (r->retransmission
            || (r->role != SA_ROLE_CHALLENGE && r->role != SA_ROLE_RETRY && r->role != SA_ROLE_RESULT))
        return TAP_PACKET_DONT_REDRAW;
    stat_tap_table *table = sa_table_first(tapdata);
    sources_index_t *index = sources_index(table);
    char *source = address_to_str(pinfo->pool, ua_address(pinfo, r));
    guint at = GPOINTER_TO_UINT(g_hash_table_lookup(index->rows, source));
    stat_tap_table_item_type *row;
    if (at == 0) {
        /* A row per source of challenged requests: opened by a challenge only. */
        if (r->role != SA_ROLE_CHALLENGE)
            return TAP_PACKET_DONT_REDRAW;
        row = sa_table_blank_row(table, table->num_elements, source_columns, SO_COLUMNS);
        sa_table_set_string(&row[SO_SOURCE], source);
        set_seconds(&row[SO_FIRST], &pinfo->rel_ts);
        g_hash_table_insert(index->rows, g_strdup(source), GUINT_TO_POINTER(table->num_elements));
        g_ptr_array_add(index->users, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL));
        at = table->num_elements;
    }
    row = table->elements[at - 1];
    sa_span_t user;
    if (r->role != SA_ROLE_RESULT && sa_result_user(r, &user)) {
        GHashTable *users = g_ptr_array_index(index->users, at - 1);
        char *name = g_strndup(user.ptr, user.len);
        if (g_hash_table_add(users, name))
            row[SO_USERNAMES].value.uint_value = g_hash_table_size(users);
    }
    if (r->role == SA_ROLE_CHALLENGE) {
        row[SO_CHALLENGES].value.uint_value++;
        set_seconds(&row[SO_LAST], &pinfo->rel_ts);
    }
    if (r->refusal)
        row[SO_REFUSED].value.uint_value++;
    if (r->role == SA_ROLE_RESULT && r->flow_state == SA_OUTCOME_ACCEPTED)
        row[SO_ACCEPTED].value.uint_value++;
    if (r->user_agent && r->role != SA_ROLE_RESULT)
        sa_table_set_string(&row[SO_USER_AGENT], r->user_agent);
    return TAP_PACKET_REDRAW;
}

void
sa_stats_users_register(void)
{
    static stat_tap_table_ui registrations_table = {
        SA_STAT_GROUP_TELEPHONY,
        "SIP Authentication Registrations",
        "sipauth_registrations",
        "sipauth,registrations",
        registrations_init,
        registrations_packet,
        registrations_reset,
        sa_table_free_item,
        NULL,
        array_length(registration_columns), registration_columns,
        0, NULL,
        NULL,
        0
    };
    static stat_tap_table_ui sources_table = {
        SA_STAT_GROUP_TELEPHONY,
        "SIP Authentication Sources",
        "sipauth",
        "sipauth,sources",
        sources_init,
        sources_packet,
        sources_reset,
        sa_table_free_item,
        NULL,
        array_length(source_columns), source_columns,
        0, NULL,
        NULL,
        0
    };
    registrations_tap = register_tap("sipauth_registrations");
    register_stat_tap_table_ui(&registrations_table);
    register_stat_tap_table_ui(&sources_table);
}
