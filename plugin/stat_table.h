/* What the sipauth statistics tables share: cells, rows, a state per table and a look-up of rows by a dense id. */
#ifndef SIPAUTH_STAT_TABLE_H
#define SIPAUTH_STAT_TABLE_H

#include <epan/stat_tap_ui.h>

/* A string cell's text: a copy of text (NULL: empty). */
void sa_table_set_string(stat_tap_table_item_type *item, const char *text);
/* The same for a text of static storage (a constant name or statement), which the cell shares: nothing to copy,
 * and the same text again is one comparison of pointers. */
void sa_table_set_static(stat_tap_table_item_type *item, const char *text);
/* numerator / denominator with decimals (at most 3) decimals, as printf("%.*f", decimals, value) prints value,
 * the same quotient as a double: from integers (float formatting was most of a busy table's cost), or from
 * value where only the double can say (a tie, a negative number, numbers past 10^15). */
void sa_table_set_decimal(stat_tap_table_item_type *item, gint64 numerator, guint64 denominator, guint decimals,
                          double value);
void sa_table_free_item(stat_tap_table *table, guint row, guint column, stat_tap_table_item_type *item);
/* Drops every row: the tables grow with the capture, so a reset empties them. */
void sa_table_clear_rows(stat_tap_table *table);
/* A new last row of zeros and empty strings of the columns' types, in one allocation with room for a text of
 * up to text_room[c] - 1 bytes in string column c (0: none; text_room may be NULL): a longer text is
 * allocated apart. With spares (may be NULL), the row is a removed row of the same table when there is one. */
stat_tap_table_item_type *sa_table_append_row(stat_tap_table *table, const stat_tap_table_item *columns,
                                              guint n_columns, const guint8 *text_room, GPtrArray *spares);
/* Removes row index (the rows after it move up) and frees its texts. Its memory goes to spares when given
 * (a GPtrArray freeing with g_free), for the table's next new row: a table that makes and removes a row per
 * flow then reuses memory still in the caches, instead of a malloc and a free per flow. */
void sa_table_remove_row(stat_tap_table *table, guint index, GPtrArray *spares);
stat_tap_table *sa_table_first(void *tapdata);
/* The table of this title (emptied), or a new one. */
void sa_table_init_single(stat_tap_table_ui *ui, const char *title, guint n_fields);

/*
 * A table's own state (its look-ups): made on the first call for the table, destroyed by
 * sa_table_forget_state (on a reset, a new init) or never; the same pointer on every call for one table.
 */
gpointer sa_table_state(const stat_tap_table *table, gpointer (*make)(void), GDestroyNotify destroy);
void sa_table_forget_state(const stat_tap_table *table);

/* Rows by a dense id from 1 (a registration): row index + 1 by id, 0 for none, so every event finds
 * its row in constant time. Zero-initialised is empty. */
typedef struct {
    guint *rows;
    guint  len;
} sa_row_index_t;

gint sa_row_index_get(const sa_row_index_t *index, guint32 id);
void sa_row_index_set(sa_row_index_t *index, guint32 id, guint row_plus_one);
void sa_row_index_clear(sa_row_index_t *index);

#endif
