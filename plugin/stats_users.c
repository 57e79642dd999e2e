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
#include "table_print.h"
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

/* room in a row for its texts (stat_table.h): a URI, a name, a state, figures, a User-Agent */
static const guint8 registration_text_room[RG_COLUMNS] = {
    [RG_AOR] = 48, [RG_USERNAME] = 24, [RG_STATE] = 32, [RG_RRD_MIN] = 16, [RG_RRD_AVG] = 16, [RG_RRD_MAX] = 16,
    [RG_IRA] = 8, [RG_AUTH_TIME] = 16, [RG_USER_AGENT] = 40,
};

/*
 * What a row's computed cells were made from: a cell is formatted again only when its figures changed. A text
 * the core hands out stays as it is while the capture is open, so a text cell is written again only when its
 * text's address changed; the addresses are compared, never read.
 */
typedef struct {
    gboolean       drawn;
    const char    *username_from, *user_agent_from;
    sa_reg_state_t state;
    sa_reg_cause_t cause;
    guint          cause_code;
    guint          rrd_count;
    guint          attempts, ineffective;
    gint64         auth_ns;
} reg_cells_t;

/* A registrations table's look-ups: its rows by registration id, and their cells' figures by row. */
typedef struct {
    sa_row_index_t rows;
    GArray        *cells;        /* of reg_cells_t, by row */
} registrations_state_t;

static gpointer
new_registrations_state(void)
{
    registrations_state_t *state = g_new0(registrations_state_t, 1);
    state->cells = g_array_new(FALSE, TRUE, sizeof(reg_cells_t));
    return state;
}

static void
free_registrations_state(gpointer data)
{
    registrations_state_t *state = data;
    sa_row_index_clear(&state->rows);
    g_array_unref(state->cells);
    g_free(state);
}

static void
registrations_init(stat_tap_table_ui *ui)
{
    sa_table_init_single(ui, REGISTRATIONS_TITLE, RG_COLUMNS);
    sa_table_forget_state(stat_tap_find_table(ui, REGISTRATIONS_TITLE));
}

static void
registrations_reset(stat_tap_table *table)
{
    sa_table_clear_rows(table);
    sa_table_forget_state(table);
}

/* nanoseconds as milliseconds with one decimal, "-" when unknown */
static void
set_ms(stat_tap_table_item_type *item, gboolean known, gint64 ns, guint64 count)
{
    if (known)
        sa_table_set_decimal(item, ns, count * 1000000, 1, (double)ns / count / 1e6);
    else
        sa_table_set_static(item, "-");
}

static void
set_state(stat_tap_table_item_type *item, const sa_registration_t *reg)
{
    char text[48];
    if (reg->state != SA_REG_STATE_FAILED) {
        sa_table_set_static(item, sa_reg_state_name(reg->state));
        return;
    }
    if (reg->cause == SA_REG_CAUSE_CODE)
        snprintf(text, sizeof text, "%s: %u", sa_reg_state_name(reg->state), reg->cause_code);
    else
        snprintf(text, sizeof text, "%s: %s", sa_reg_state_name(reg->state), sa_reg_cause_name(reg->cause));
    sa_table_set_string(item, text);
}

static void
set_rrd(stat_tap_table_item_type *row, const sa_registration_t *reg)
{
    gboolean rrd = reg->rrd_count > 0;
    set_ms(&row[RG_RRD_MIN], rrd, reg->rrd_min_ns, 1);
    set_ms(&row[RG_RRD_AVG], rrd, reg->rrd_sum_ns, reg->rrd_count);
    set_ms(&row[RG_RRD_MAX], rrd, reg->rrd_max_ns, 1);
}

static void
set_ira(stat_tap_table_item_type *item, const sa_registration_t *reg)
{
    if (reg->attempts > 0)
        sa_table_set_decimal(item, 100 * (gint64)reg->ineffective, reg->attempts, 1,
                             100.0 * reg->ineffective / reg->attempts);
    else
        sa_table_set_static(item, "-");
}

static void
set_auth_time(stat_tap_table_item_type *item, const sa_registration_t *reg)
{
    sa_table_set_decimal(item, reg->auth_ns, 1000000000, 3, (double)reg->auth_ns / 1e9);
}

static tap_packet_status
registrations_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *data,
                     tap_flags_t flags _U_)
{
    const sa_registration_t *reg = (const sa_registration_t *)data;
    stat_tap_table *table = sa_table_first(tapdata);
    registrations_state_t *state = sa_table_state(table, new_registrations_state, free_registrations_state);
    gint index = sa_row_index_get(&state->rows, reg->id);
    if (index < 0) {
        index = (gint)table->num_elements;
        stat_tap_table_item_type *row = sa_table_append_row(table, registration_columns, RG_COLUMNS,
                                                                  registration_text_room, NULL);
        sa_row_index_set(&state->rows, reg->id, (guint)index + 1);
        g_array_set_size(state->cells, (guint)index + 1);
        sa_table_set_string(&row[RG_AOR], reg->aor);
    }
    stat_tap_table_item_type *row = table->elements[index];
    reg_cells_t *cells = &g_array_index(state->cells, reg_cells_t, index);
    if (!cells->drawn || cells->username_from != reg->username) {
        sa_table_set_string(&row[RG_USERNAME], reg->username);
        cells->username_from = reg->username;
    }
    row[RG_REGISTERS].value.uint_value = reg->registers;
    row[RG_CHALLENGED].value.uint_value = reg->challenged;
    row[RG_ACCEPTED].value.uint_value = reg->accepted;
    row[RG_REFUSED].value.uint_value = reg->refused;
    row[RG_FAILED].value.uint_value = reg->failed;
    if (!cells->drawn || cells->state != reg->state || cells->cause != reg->cause
            || cells->cause_code != reg->cause_code) {
        set_state(&row[RG_STATE], reg);
        cells->state = reg->state;
        cells->cause = reg->cause;
        cells->cause_code = reg->cause_code;
    }
    /* min, sum and max change only with the count of successful attempts */
    if (!cells->drawn || cells->rrd_count != reg->rrd_count) {
        set_rrd(row, reg);
        cells->rrd_count = reg->rrd_count;
    }
    if (!cells->drawn || cells->attempts != reg->attempts || cells->ineffective != reg->ineffective) {
        set_ira(&row[RG_IRA], reg);
        cells->attempts = reg->attempts;
        cells->ineffective = reg->ineffective;
    }
    if (!cells->drawn || cells->auth_ns != reg->auth_ns) {
        set_auth_time(&row[RG_AUTH_TIME], reg);
        cells->auth_ns = reg->auth_ns;
    }
    if (!cells->drawn || cells->user_agent_from != reg->user_agent) {
        sa_table_set_string(&row[RG_USER_AGENT], reg->user_agent);
        cells->user_agent_from = reg->user_agent;
    }
    cells->drawn = TRUE;
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

/* room in a row for its texts (stat_table.h): an IPv6 address, two times, a User-Agent */
static const guint8 source_text_room[SO_COLUMNS] = {
    [SO_SOURCE] = 48, [SO_FIRST] = 16, [SO_LAST] = 16, [SO_USER_AGENT] = 40,
};

/* The address of the core's User-Agent text its cell was copied from (see reg_cells_t), in a number cell's
 * scratch space. */
#define SO_USER_AGENT_FROM(row) ((row)[SO_CHALLENGES].user_data.string_value)

/*
 * A sources table's look-ups: its rows by address, and one set of hashes of (row, user name) for the whole
 * table, so a source's distinct user names are counted as they come. A row's first name is not in the set but
 * in its Usernames cell's scratch space: most sources use one name, and their events then touch no table.
 *
 * Rows by address are found by open addressing with the address in the slot, so an event reads one slot
 * (a table of address copies would read its hashes, its keys and the copy, each elsewhere). An address longer
 * than a slot holds (no IP address is) is kept apart, the slot holding its copy's address.
 */
#define SLOT_BYTES 16

typedef struct {
    guint32 hash;                /* 0: an empty slot (an address hashing to 0 is given 1) */
    guint32 row;                 /* the row's index + 1 (0 in an empty slot) */
    guint16 len;
    guint8  type;
    guint8  bytes[SLOT_BYTES];   /* len > SLOT_BYTES: a pointer to a copy of the bytes */
} source_slot_t;

typedef struct {
    source_slot_t *slots;
    guint32        mask;         /* slots - 1, a power of two minus one */
    guint32        used;
    GHashTable    *users;        /* hashes (gint64) of a row's index and its names after the first */
} sources_state_t;

static const guint8 *
slot_bytes(const source_slot_t *slot)
{
    const guint8 *kept;
    if (slot->len <= SLOT_BYTES)
        return slot->bytes;
    memcpy(&kept, slot->bytes, sizeof kept);
    return kept;
}

static guint32
address_hash(const address *a)
{
    guint32 h = 2166136261u ^ (guint8)a->type;     /* FNV-1a */
    const guint8 *p = a->data;
    for (int i = 0; i < a->len; i++)
        h = (h ^ p[i]) * 16777619u;
    return h ? h : 1;
}

/* The slot of address a: its own, or the empty one where it would go. */
static source_slot_t *
find_source_slot(const sources_state_t *state, const address *a, guint32 hash)
{
    for (guint32 i = hash & state->mask;; i = (i + 1) & state->mask) {
        source_slot_t *slot = &state->slots[i];
        if (slot->hash == 0
                || (slot->hash == hash && slot->type == (guint8)a->type && slot->len == (guint)a->len
                    && (a->len == 0 || memcmp(slot_bytes(slot), a->data, (gsize)a->len) == 0)))
            return slot;
    }
}

/* Twice as many slots once three quarters are used: probes stay short. */
static void
grow_sources(sources_state_t *state)
{
    guint32 old_size = state->mask + 1;
    source_slot_t *old = state->slots;
    state->mask = 2 * old_size - 1;
    state->slots = g_new0(source_slot_t, 2 * old_size);
    for (guint32 i = 0; i < old_size; i++) {
        if (old[i].hash == 0)
            continue;
        guint32 at = old[i].hash & state->mask;
        while (state->slots[at].hash != 0)
            at = (at + 1) & state->mask;
        state->slots[at] = old[i];
    }
    g_free(old);
}

/* The slot of address a: its own (its row's), or the empty one where it would go; NULL for an address no
 * slot takes (a length no address has). */
static source_slot_t *
source_slot(const sources_state_t *state, const address *a, guint32 *hash)
{
    if (a->len < 0 || a->len > G_MAXUINT16)
        return NULL;
    *hash = address_hash(a);
    return find_source_slot(state, a, *hash);
}

/* Gives address a, which has no row yet, the row of index row: in slot, its empty slot of source_slot. */
static void
add_source(sources_state_t *state, source_slot_t *slot, guint32 hash, const address *a, guint32 row)
{
    slot->hash = hash;
    slot->row = row + 1;
    slot->type = (guint8)a->type;
    slot->len = (guint16)a->len;
    if (a->len <= SLOT_BYTES) {
        if (a->len > 0)
            memcpy(slot->bytes, a->data, (gsize)a->len);
    } else {
        guint8 *kept = g_memdup2(a->data, (gsize)a->len);
        memcpy(slot->bytes, &kept, sizeof kept);
    }
    if (++state->used > (state->mask + 1) / 4 * 3)
        grow_sources(state);
}

static gpointer
new_sources_state(void)
{
    sources_state_t *state = g_new0(sources_state_t, 1);
    state->mask = 63;
    state->slots = g_new0(source_slot_t, state->mask + 1);
    state->users = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    return state;
}

static void
free_sources_state(gpointer data)
{
    sources_state_t *state = data;
    for (guint32 i = 0; i <= state->mask; i++)
        if (state->slots[i].hash != 0 && state->slots[i].len > SLOT_BYTES)
            g_free((gpointer)slot_bytes(&state->slots[i]));
    g_free(state->slots);
    g_hash_table_destroy(state->users);
    g_free(state);
}

static void
sources_init(stat_tap_table_ui *ui)
{
    sa_table_init_single(ui, SOURCES_TITLE, SO_COLUMNS);
    sa_table_forget_state(stat_tap_find_table(ui, SOURCES_TITLE));
}

static void
sources_reset(stat_tap_table *table)
{
    sa_table_clear_rows(table);
    sa_table_forget_state(table);
}

static void
set_seconds(stat_tap_table_item_type *item, const nstime_t *t)
{
    /* a time no capture of this era has (past 292 years) must not overflow: the double then prints it */
    const gint64 max_secs = G_MAXINT64 / 1000000000 - 1;
    gint64 ns = t->secs > -max_secs && t->secs < max_secs ? (gint64)t->secs * 1000000000 + t->nsecs : G_MAXINT64;
    sa_table_set_decimal(item, ns, 1000000000, 3, nstime_to_sec(t));
}

/* FNV-1a, 64 bits: user names are told apart by it, where a collision is one chance in 2^64 */
static guint64
hash64(guint64 h, const void *bytes, gsize len)
{
    const guint8 *p = bytes;
    for (gsize i = 0; i < len; i++)
        h = (h ^ p[i]) * G_GUINT64_CONSTANT(1099511628211);
    return h;
}

/* A user name of the source in row row_index: counted when its row has not had it. */
static void
count_user(sources_state_t *state, stat_tap_table_item_type *row, guint32 row_index, const sa_span_t *user)
{
    stat_tap_table_item_type *cell = &row[SO_USERNAMES];
    guint64 name = hash64(G_GUINT64_CONSTANT(14695981039346656037), user->ptr, user->len);
    guint64 first;
    G_STATIC_ASSERT(sizeof cell->user_data >= sizeof first);
    if (cell->value.uint_value == 0) {
        memcpy(&cell->user_data, &name, sizeof name);
        cell->value.uint_value = 1;
        return;
    }
    memcpy(&first, &cell->user_data, sizeof first);
    if (first == name)
        return;
    gint64 pair = (gint64)hash64(name, &row_index, sizeof row_index);
    if (g_hash_table_contains(state->users, &pair))
        return;
    g_hash_table_add(state->users, g_memdup2(&pair, sizeof pair));
    cell->value.uint_value++;
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
    sources_state_t *state = sa_table_state(table, new_sources_state, free_sources_state);
    const address *source = ua_address(pinfo, r);
    guint32 hash = 0;
    source_slot_t *slot = source_slot(state, source, &hash);
    guint at;
    stat_tap_table_item_type *row;
    if (slot && slot->hash != 0) {
        at = slot->row - 1;
        row = table->elements[at];
    } else {
        /* A row per source of challenged requests: opened by a challenge only. */
        if (r->role != SA_ROLE_CHALLENGE)
            return TAP_PACKET_DONT_REDRAW;
        at = table->num_elements;
        row = sa_table_append_row(table, source_columns, SO_COLUMNS, source_text_room, NULL);
        sa_table_set_string(&row[SO_SOURCE], address_to_str(pinfo->pool, source));
        set_seconds(&row[SO_FIRST], &pinfo->rel_ts);
        if (slot)
            add_source(state, slot, hash, source, at);
    }
    sa_span_t user;
    if (r->role != SA_ROLE_RESULT && sa_result_user(r, &user))
        count_user(state, row, at, &user);
    if (r->role == SA_ROLE_CHALLENGE) {
        row[SO_CHALLENGES].value.uint_value++;
        set_seconds(&row[SO_LAST], &pinfo->rel_ts);
    }
    if (r->refusal)
        row[SO_REFUSED].value.uint_value++;
    if (r->role == SA_ROLE_RESULT && r->flow_state == SA_OUTCOME_ACCEPTED)
        row[SO_ACCEPTED].value.uint_value++;
    if (r->user_agent && r->role != SA_ROLE_RESULT && r->user_agent != SO_USER_AGENT_FROM(row)) {
        sa_table_set_string(&row[SO_USER_AGENT], r->user_agent);
        SO_USER_AGENT_FROM(row) = r->user_agent;
    }
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
    sa_table_print_register(&registrations_table);
    sa_table_print_register(&sources_table);
}
