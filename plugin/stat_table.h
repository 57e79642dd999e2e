/* What the sipauth statistics tables share: cells, rows and a look-up of rows by a dense id. */
#ifndef SIPAUTH_STAT_TABLE_H
#define SIPAUTH_STAT_TABLE_H

#include <epan/stat_tap_ui.h>

void sa_table_set_string(stat_tap_table_item_type *item, const char *text);
void sa_table_free_item(stat_tap_table *table, guint row, guint column, stat_tap_table_item_type *item);
/* Drops every row: the tables grow with the capture, so a reset empties them. */
void sa_table_clear_rows(stat_tap_table *table);
/* Sets row index to zeros and empty strings of the columns' types. */
stat_tap_table_item_type *sa_table_blank_row(stat_tap_table *table, guint index, const stat_tap_table_item *columns,
                                             guint n_columns);
stat_tap_table *sa_table_first(void *tapdata);
/* The table of this title (emptied), or a new one. */
void sa_table_init_single(stat_tap_table_ui *ui, const char *title, guint n_fields);

/*
 * Rows by a dense id from 1 (a flow, a registration): per table (the GUI may open several), an array by id of
 * row index + 1, 0 for none, so every event finds its row in constant time.
 */
gint sa_table_row_of(const stat_tap_table *table, guint32 id);
void sa_table_set_row_of(const stat_tap_table *table, guint32 id, guint row_plus_one);
void sa_table_forget_rows(const stat_tap_table *table);

#endif
