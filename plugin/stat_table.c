/* What the sipauth statistics tables share: cells, rows and a look-up of rows by a dense id. */
#include "ws_version.h"

#include <epan/packet.h>

#include "stat_table.h"

void
sa_table_set_string(stat_tap_table_item_type *item, const char *text)
{
    g_free((char *)item->value.string_value);
    item->type = TABLE_ITEM_STRING;
    item->value.string_value = g_strdup(text ? text : "");
}

void
sa_table_free_item(stat_tap_table *table _U_, guint row _U_, guint column _U_, stat_tap_table_item_type *item)
{
    if (item->type == TABLE_ITEM_STRING) {
        g_free((char *)item->value.string_value);
        item->value.string_value = NULL;
    }
}

void
sa_table_clear_rows(stat_tap_table *table)
{
    for (guint row = 0; row < table->num_elements; row++) {
        for (guint column = 0; column < table->num_fields; column++)
            sa_table_free_item(table, row, column, stat_tap_get_field_data(table, row, column));
        g_free(table->elements[row]);
    }
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
}

stat_tap_table_item_type *
sa_table_blank_row(stat_tap_table *table, guint index, const stat_tap_table_item *columns, guint n_columns)
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
            sa_table_set_string(&row[c], "");
    return row;
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

void
sa_table_forget_rows(const stat_tap_table *table)
{
    if (row_indexes)
        g_array_set_size(row_index(table), 0);
}

gint
sa_table_row_of(const stat_tap_table *table, guint32 id)
{
    GArray *index = row_index(table);
    guint at = id < index->len ? g_array_index(index, guint, id) : 0;
    return (gint)at - 1;
}

void
sa_table_set_row_of(const stat_tap_table *table, guint32 id, guint row_plus_one)
{
    GArray *index = row_index(table);
    if (id >= index->len)
        g_array_set_size(index, MAX(id + 1, index->len * 2));
    g_array_index(index, guint, id) = row_plus_one;
}

