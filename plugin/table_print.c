/* tshark's -z printer of sipauth's tables (see table_print.h). */
#include "ws_version.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <epan/tap.h>
#include <wsutil/wslog.h>

#include "table_print.h"

/* The rule above and below a table, as tshark draws it. */
static const char rule[] =
    "=====================================================================================================\n";

/* Bytes gathered before they go to stdout: a few hundred rows. */
#define FLUSH_AT (64 * 1024)

/* A column's format, when it is one of the few this printer writes itself: "%s", "%Ns", "%-Ns", the same with
 * u; anything else is left to printf. */
typedef struct {
    gboolean own;
    gboolean left;
    guint    width;
    char     conversion;           /* 's' or 'u' */
} cell_format_t;

typedef struct {
    stat_data_t    tapdata;        /* what the table's packet function is given, as from tshark's printer */
    char          *filter;
    cell_format_t *formats;        /* by column */
} printed_table_t;

static cell_format_t
parse_format(const stat_tap_table_item *column)
{
    cell_format_t f = { FALSE, FALSE, 0, 0 };
    const char *p = column->field_format;
    if (p == NULL || *p++ != '%')
        return f;
    if (*p == '-') {
        f.left = TRUE;
        p++;
    }
    /* at most four digits: a width that fits, and a zero first is a flag, not a width */
    if (*p == '0')
        return f;
    for (guint digits = 0; *p >= '0' && *p <= '9'; p++)
        if (++digits > 4)
            return f;
        else
            f.width = f.width * 10 + (guint)(*p - '0');
    f.conversion = *p;
    if (p[1] != '\0')
        return f;
    f.own = (f.conversion == 's' && column->type == TABLE_ITEM_STRING)
         || (f.conversion == 'u' && column->type == TABLE_ITEM_UINT);
    return f;
}

/* What is written, gathered in one buffer (GString appends are calls into GLib, a few per cell). */
typedef struct {
    char  *bytes;
    gsize  len;
    gsize  size;
} out_t;

static char *
reserve(out_t *out, gsize n)
{
    if (out->len + n > out->size) {
        out->size = MAX(2 * out->size, out->len + n);
        out->bytes = g_realloc(out->bytes, out->size);
    }
    return out->bytes + out->len;
}

static void
put_bytes(out_t *out, const char *bytes, gsize n)
{
    memcpy(reserve(out, n), bytes, n);
    out->len += n;
}

static void
put_spaces(out_t *out, gsize n)
{
    memset(reserve(out, n), ' ', n);
    out->len += n;
}

static void
put_printf(out_t *out, const char *format, ...) G_GNUC_PRINTF(2, 3);

static void
put_printf(out_t *out, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *text = g_strdup_vprintf(format, args);
    va_end(args);
    put_bytes(out, text, strlen(text));
    g_free(text);
}

/* text in a field of the format's width, as printf pads it: by bytes, on the left unless "-". */
static void
put_padded(out_t *out, const cell_format_t *f, const char *text, gsize len)
{
    gsize pad = f->width > len ? f->width - len : 0;
    if (!f->left)
        put_spaces(out, pad);
    put_bytes(out, text, len);
    if (f->left)
        put_spaces(out, pad);
}

/* A cell and its separator, as printf(format " |", value) writes them. */
static void
put_cell(out_t *out, const stat_tap_table_item *column, const cell_format_t *f,
         const stat_tap_table_item_type *item)
{
    if (f->own && f->conversion == 's') {
        const char *text = item->value.string_value ? item->value.string_value : "(null)";
        put_padded(out, f, text, strlen(text));
    } else if (f->own) {
        char digits[16];
        char *p = digits + sizeof digits;
        guint v = item->value.uint_value;
        do {
            *--p = (char)('0' + v % 10);
            v /= 10;
        } while (v > 0);
        put_padded(out, f, p, (gsize)(digits + sizeof digits - p));
    } else {
        /* By the column's type, as tshark does. */
        char *format = g_strdup_printf("%s |", column->field_format);
DIAG_OFF(format-nonliteral)
        switch (column->type) {
        case TABLE_ITEM_UINT:
            put_printf(out, format, item->value.uint_value);
            break;
        case TABLE_ITEM_INT:
            put_printf(out, format, item->value.int_value);
            break;
        case TABLE_ITEM_STRING:
            put_printf(out, format, item->value.string_value);
            break;
        case TABLE_ITEM_FLOAT:
            put_printf(out, format, item->value.float_value);
            break;
        case TABLE_ITEM_ENUM:
            put_printf(out, format, item->value.enum_value);
            break;
        case TABLE_ITEM_NONE:
            break;
        }
DIAG_ON(format-nonliteral)
        g_free(format);
        return;
    }
    put_bytes(out, " |", 2);
}

static void
flush_out(out_t *out)
{
    if (out->len > 0)
        fwrite(out->bytes, 1, out->len, stdout);
    out->len = 0;
}

static void
draw_table(void *tapdata)
{
    printed_table_t *printed = tapdata;
    stat_tap_table_ui *ui = printed->tapdata.stat_tap_data;
    out_t out = { NULL, 0, 0 };
    reserve(&out, FLUSH_AT + 4096);
    put_printf(&out, "\n%s%s:\nFilter for statistics: %s\n", rule, ui->title, printed->filter ? printed->filter : "");
    for (size_t c = 0; c < ui->nfields; c++)
        put_printf(&out, "%s |", ui->fields[c].column_name);
    put_bytes(&out, "\n", 1);
    for (guint t = 0; ui->tables && t < ui->tables->len; t++) {
        const stat_tap_table *table = g_array_index(ui->tables, stat_tap_table *, t);
        put_printf(&out, "%s\n", table->title);
        guint n_fields = MIN(table->num_fields, (guint)ui->nfields);
        for (guint row = 0; row < table->num_elements; row++) {
            const stat_tap_table_item_type *cells = table->elements[row];
            for (guint c = 0; c < n_fields; c++) {
                if (cells[c].type == TABLE_ITEM_NONE)
                    break;
                put_cell(&out, &ui->fields[c], &printed->formats[c], &cells[c]);
            }
            put_bytes(&out, "\n", 1);
            if (out.len >= FLUSH_AT)
                flush_out(&out);
        }
    }
    put_bytes(&out, rule, sizeof rule - 1);
    flush_out(&out);
    g_free(out.bytes);
}

static void
finish_table(void *tapdata)
{
    printed_table_t *printed = tapdata;
    g_free(printed->filter);
    g_free(printed->formats);
    g_free(printed);
}

/* -z CLI_STRING[,FILTER]: the table's tap, as tshark's generic printer would start it. */
static sa_stat_start_t
start_table(const char *opt_arg, void *userdata)
{
    stat_tap_table_ui *ui = userdata;
    const char *filter = NULL;
    char *err = NULL;
    stat_tap_get_filter(ui, opt_arg, &filter, &err);
    if (err != NULL) {
        fprintf(stderr, "tshark: %s\n", err);
        g_free(err);
        SA_STAT_START_RETURN(FALSE);
    }
    printed_table_t *printed = g_new0(printed_table_t, 1);
    printed->tapdata.stat_tap_data = ui;
    printed->tapdata.user_data = printed;
    printed->filter = g_strdup(filter);
    printed->formats = g_new0(cell_format_t, ui->nfields);
    for (size_t c = 0; c < ui->nfields; c++)
        printed->formats[c] = parse_format(&ui->fields[c]);
    ui->stat_tap_init_cb(ui);
    /* tshark --log-debug sipauth tells which printer a table has */
    ws_log("sipauth", LOG_LEVEL_DEBUG, "-z %s: printed by sipauth", ui->cli_string);
    GString *error = register_tap_listener(ui->tap_name, &printed->tapdata, filter, 0, NULL, ui->packet_func,
                                           draw_table, finish_table);
    if (error) {
        fprintf(stderr, "tshark: Couldn't register tap: %s\n", error->str);
        g_string_free(error, TRUE);
        finish_table(printed);
        SA_STAT_START_RETURN(FALSE);
    }
    SA_STAT_START_RETURN(TRUE);
}

void
sa_table_print_register(stat_tap_table_ui *ui)
{
    /* Only tshark: Wireshark's -z opens the table's dialog, which its own handler does. */
    if (g_strcmp0(g_get_prgname(), "tshark") != 0 || g_getenv("SIPAUTH_GENERIC_TABLE_PRINTER") != NULL)
        return;
    stat_tap_ui cli = {
        .group = ui->group,
        .title = ui->title,
        .cli_string = ui->cli_string,
        .tap_init_cb = start_table,
        .nparams = ui->nparams,
        .params = ui->params,
    };
    register_stat_tap_ui(&cli, ui);
}
