/*
 * tshark's -z printer of sipauth's tables. tshark's generic one makes a format and calls printf for every cell,
 * which is most of what a table of 100k rows costs at the end of a run. This one writes the same bytes (the
 * formats the tables use are padded strings and unsigned numbers; any other goes through printf as before) a
 * buffer at a time. The first -z handler registered for a name is the one tshark keeps, and a plugin registers
 * before tshark adds its generic ones, so registering here takes the table's -z name in tshark. Wireshark keeps
 * its own (-z opens the dialog), and SIPAUTH_GENERIC_TABLE_PRINTER in the environment leaves tshark's printer
 * in place, for the tests that compare the two.
 */
#ifndef SIPAUTH_TABLE_PRINT_H
#define SIPAUTH_TABLE_PRINT_H

#include <epan/stat_tap_ui.h>

/* After register_stat_tap_table_ui(ui), during the plugin's registration. */
void sa_table_print_register(stat_tap_table_ui *ui);

#endif
