/* What the sipauth statistics tables share: cells, rows, a state per table and a look-up of rows by a dense id. */
#include "ws_version.h"

#include <epan/packet.h>

#include "stat_table.h"

/* The text of an empty cell, shared: a new row has many of them (never freed: every free comes here). */
static char empty_text[] = "";

/*
 * A string cell's scratch space holds the room its row keeps for its text (sa_table_append_row), if any, and in
 * the low bit whether its text is borrowed: of static storage (a name from the core's tables), shared and never
 * freed. A room starts with its size; a text that fits is written there and goes with the row, so most cells
 * of a row cost no allocation of their own and sit in the row's cache lines. No string cell uses its scratch
 * space for anything else.
 */
#define SCRATCH(item) ((item)->user_data.string_value)

static gboolean
borrowed(const stat_tap_table_item_type *item)
{
    return ((guintptr)SCRATCH(item) & 1) != 0;
}

static char *
room(const stat_tap_table_item_type *item)
{
    return (char *)((guintptr)SCRATCH(item) & ~(guintptr)1);
}

static void
set_borrowed(stat_tap_table_item_type *item, gboolean yes)
{
    SCRATCH(item) = (const char *)((guintptr)room(item) | (yes ? 1 : 0));
}

/* The text's own copy: in the cell's room where it fits, else allocated. */
static const char *
copy_text(const stat_tap_table_item_type *item, const char *text)
{
    char *at = room(item);
    gsize len = strlen(text);
    if (at == NULL || len >= (guchar)at[0])
        return g_memdup2(text, len + 1);
    memcpy(at + 1, text, len + 1);
    return at + 1;
}

static void
free_text(stat_tap_table_item_type *item)
{
    const char *text = item->value.string_value;
    char *at = room(item);
    if (text != empty_text && !borrowed(item) && (at == NULL || text != at + 1))
        g_free((char *)text);
    item->value.string_value = NULL;
    set_borrowed(item, FALSE);
}

void
sa_table_set_string(stat_tap_table_item_type *item, const char *text)
{
    if (text == NULL)
        text = "";
    /* Most events leave most cells as they were: no new copy for the same text. */
    if (item->type == TABLE_ITEM_STRING && item->value.string_value && !borrowed(item)
            && strcmp(item->value.string_value, text) == 0)
        return;
    if (item->type == TABLE_ITEM_STRING)
        free_text(item);
    item->type = TABLE_ITEM_STRING;
    item->value.string_value = *text ? copy_text(item, text) : empty_text;
}

void
sa_table_set_static(stat_tap_table_item_type *item, const char *text)
{
    if (text == NULL || *text == '\0')
        text = empty_text;
    if (item->type == TABLE_ITEM_STRING && item->value.string_value == text)
        return;
    if (item->type == TABLE_ITEM_STRING)
        free_text(item);
    item->type = TABLE_ITEM_STRING;
    item->value.string_value = text;
    set_borrowed(item, text != empty_text);
}

void
sa_table_set_decimal(stat_tap_table_item_type *item, gint64 numerator, guint64 denominator, guint decimals,
                     double value)
{
    static const guint64 scales[] = { 1, 10, 100, 1000 };
    char text[48];
    /*
     * The double is within 3.3e-16 of the quotient, which lies at least 1/(2 d 10^k) from a rounding tie, or
     * 1/d when 2 10^k divides d (times in ns): below these bounds both round alike. Past them printf decides.
     */
    const guint64 bound = G_GUINT64_CONSTANT(1000000000000000);
    gboolean exact = denominator > 0 && decimals < G_N_ELEMENTS(scales) && numerator >= 0
                  && (guint64)numerator < bound
                  && (denominator % (2 * scales[decimals]) == 0 || (guint64)numerator * scales[decimals] < bound);
    guint64 quotient = 0;
    if (exact) {
        guint64 scaled = (guint64)numerator * scales[decimals];
        quotient = scaled / denominator;
        guint64 rest = scaled % denominator;
        /* an exact tie is where printf's rounding of the double (to even, or as the double lies) decides */
        exact = 2 * rest != denominator;
        if (2 * rest > denominator)
            quotient++;
    }
    if (!exact) {
        snprintf(text, sizeof text, "%.*f", (int)decimals, value);
        sa_table_set_string(item, text);
        return;
    }
    /* digits from the right: the decimals, the point, then the whole part (at least one digit) */
    char *p = text + sizeof text - 1;
    *p = '\0';
    for (guint i = 0; i < decimals; i++, quotient /= 10)
        *--p = (char)('0' + quotient % 10);
    if (decimals > 0)
        *--p = '.';
    do {
        *--p = (char)('0' + quotient % 10);
        quotient /= 10;
    } while (quotient > 0);
    sa_table_set_string(item, p);
}

void
sa_table_free_item(stat_tap_table *table _U_, guint row _U_, guint column _U_, stat_tap_table_item_type *item)
{
    if (item->type == TABLE_ITEM_STRING)
        free_text(item);
}

/* Frees the texts of a row's cells that own theirs; the row itself stays. */
static void
free_row_texts(stat_tap_table *table, guint row)
{
    for (guint column = 0; column < table->num_fields; column++)
        sa_table_free_item(table, row, column, &table->elements[row][column]);
}

void
sa_table_clear_rows(stat_tap_table *table)
{
    for (guint row = 0; row < table->num_elements; row++) {
        free_row_texts(table, row);
        g_free(table->elements[row]);
    }
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
}

/* Whether appending row n needs a larger array: the array holds at least max(4, n rounded up to a power of two)
 * rows, so it doubles at powers of two (stat_tap_init_table_row grows it by one row, which costs a copy or a
 * remapping per row on a table of 100k rows). Removing rows keeps the array, so this stays true. */
static gboolean
rows_full(guint n)
{
    return n == 0 || (n >= 4 && (n & (n - 1)) == 0);
}

/* The bytes of column c's room: its size byte and up to size - 1 bytes of text, an even number (the low bit of
 * its address is the borrowed flag); 0 for a column without one. */
static gsize
room_bytes(const stat_tap_table_item *columns, const guint8 *text_room, guint c)
{
    if (text_room == NULL || text_room[c] == 0 || columns[c].type != TABLE_ITEM_STRING)
        return 0;
    return ((gsize)text_room[c] + 2) & ~(gsize)1;
}

stat_tap_table_item_type *
sa_table_append_row(stat_tap_table *table, const stat_tap_table_item *columns, guint n_columns,
                    const guint8 *text_room, GPtrArray *spares)
{
    guint n = table->num_elements;
    if (rows_full(n))
        table->elements = g_renew(stat_tap_table_item_type *, table->elements, MAX(4, 2 * n));
    n_columns = MIN(n_columns, table->num_fields);
    gsize cells = table->num_fields * sizeof(stat_tap_table_item_type);
    stat_tap_table_item_type *row;
    if (spares && spares->len > 0) {
        row = g_ptr_array_steal_index_fast(spares, spares->len - 1);
    } else {
        gsize rooms = 0;
        for (guint c = 0; c < n_columns; c++)
            rooms += room_bytes(columns, text_room, c);
        /* the rooms are not cleared: a room is read only after a text was written to it */
        row = g_malloc(cells + rooms);
    }
    memset(row, 0, cells);
    char *next_room = (char *)row + cells;
    for (guint c = 0; c < n_columns; c++) {
        row[c].type = columns[c].type;
        if (row[c].type != TABLE_ITEM_STRING)
            continue;
        row[c].value.string_value = empty_text;
        gsize bytes = room_bytes(columns, text_room, c);
        if (bytes > 0) {
            next_room[0] = (char)text_room[c];
            SCRATCH(&row[c]) = next_room;
            next_room += bytes;
        }
    }
    table->elements[n] = row;
    table->num_elements = n + 1;
    return row;
}

void
sa_table_remove_row(stat_tap_table *table, guint index, GPtrArray *spares)
{
    stat_tap_table_item_type *row = table->elements[index];
    free_row_texts(table, index);
    if (spares)
        g_ptr_array_add(spares, row);
    else
        g_free(row);
    memmove(&table->elements[index], &table->elements[index + 1],
            (table->num_elements - index - 1) * sizeof table->elements[0]);
    table->num_elements--;
}

stat_tap_table *
sa_table_first(void *tapdata)
{
    stat_data_t *stat_data = (stat_data_t *)tapdata;
    return g_array_index(stat_data->stat_tap_data->tables, stat_tap_table *, 0);
}

void
sa_table_init_single(stat_tap_table_ui *ui, const char *title, guint n_fields)
{
    stat_tap_table *table = stat_tap_find_table(ui, title);
    if (table) {
        sa_table_clear_rows(table);
        return;
    }
    stat_tap_add_table(ui, stat_tap_init_table(title, n_fields, 0, NULL));
}

/* Per-table state: a table's own look-ups, kept beside it (the GUI may open several tables of one kind, and
 * stat_tap_table has no room for them). The last few asked for are cached: every event of every open table
 * asks, and a capture read by tshark has one table of each kind. */
typedef struct {
    gpointer       state;
    GDestroyNotify destroy;
} table_state_t;

#define STATE_CACHE 4
static GHashTable           *table_states;  /* stat_tap_table * -> table_state_t */
static const stat_tap_table *cached_tables[STATE_CACHE];
static gpointer              cached_states[STATE_CACHE];
static guint                 cache_next;

static void
free_table_state(gpointer data)
{
    table_state_t *entry = data;
    entry->destroy(entry->state);
    g_free(entry);
}

gpointer
sa_table_state(const stat_tap_table *table, gpointer (*make)(void), GDestroyNotify destroy)
{
    for (guint i = 0; i < STATE_CACHE; i++)
        if (cached_tables[i] == table && table != NULL)
            return cached_states[i];
    if (table_states == NULL)
        table_states = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_table_state);
    table_state_t *entry = g_hash_table_lookup(table_states, table);
    if (entry == NULL) {
        entry = g_new(table_state_t, 1);
        entry->state = make();
        entry->destroy = destroy;
        g_hash_table_insert(table_states, (gpointer)table, entry);
    }
    cached_tables[cache_next] = table;
    cached_states[cache_next] = entry->state;
    cache_next = (cache_next + 1) % STATE_CACHE;
    return entry->state;
}

void
sa_table_forget_state(const stat_tap_table *table)
{
    for (guint i = 0; i < STATE_CACHE; i++)
        if (cached_tables[i] == table) {
            cached_tables[i] = NULL;
            cached_states[i] = NULL;
        }
    if (table_states)
        g_hash_table_remove(table_states, table);
}

gint
sa_row_index_get(const sa_row_index_t *index, guint32 id)
{
    guint at = id < index->len ? index->rows[id] : 0;
    return (gint)at - 1;
}

void
sa_row_index_set(sa_row_index_t *index, guint32 id, guint row_plus_one)
{
    if (id >= index->len) {
        guint len = MAX(id + 1, index->len * 2);
        index->rows = g_renew(guint, index->rows, len);
        memset(index->rows + index->len, 0, (len - index->len) * sizeof index->rows[0]);
        index->len = len;
    }
    index->rows[id] = row_plus_one;
}

void
sa_row_index_clear(sa_row_index_t *index)
{
    g_free(index->rows);
    index->rows = NULL;
    index->len = 0;
}
