/* Unit tests of the tracker's key table (insert, replace, remove with back-shifting, growth) and its arena. */
#include <string.h>
#include "arena.h"
#include "keytable.h"

/* A record holding its key, as the tracker's transactions and challenges do. */
typedef struct {
    int      id;
    sa_key_t key;
    char     bytes[24];
} record_t;

static record_t *
record_new(sa_arena_t *arena, int id, const char *text)
{
    record_t *r = sa_arena_alloc0(arena, sizeof *r);
    r->id = id;
    gsize len = strlen(text);
    g_assert_cmpuint(len, <, sizeof r->bytes);
    memcpy(r->bytes, text, len);
    r->key = sa_key_make(r->bytes, len);
    return r;
}

static sa_key_t
key_for(const char *text)
{
    return sa_key_make(text, strlen(text));
}

/* A hash that puts every key in the same slot: probing and removal work only on the order of slots. */
static sa_key_t
colliding_key(record_t *r)
{
    r->key.hash = 7;
    return r->key;
}

static void
test_insert_lookup_replace(void)
{
    sa_arena_t *arena = sa_arena_new();
    sa_keytable_t *table = sa_keytable_new(G_STRUCT_OFFSET(record_t, key));
    record_t *a = record_new(arena, 1, "call-a");
    record_t *b = record_new(arena, 2, "call-b");
    sa_keytable_insert(table, a);
    sa_keytable_insert(table, b);
    sa_key_t ka = key_for("call-a");
    g_assert_true(sa_keytable_lookup(table, &ka) == a);
    /* A prefix is another key, even with the same hash. */
    sa_key_t prefix = key_for("call-");
    prefix.hash = a->key.hash;
    g_assert_null(sa_keytable_lookup(table, &prefix));
    sa_key_t kb = key_for("call-b");
    g_assert_true(sa_keytable_lookup(table, &kb) == b);
    sa_key_t kc = key_for("call-c");
    g_assert_null(sa_keytable_lookup(table, &kc));

    /* An equal key replaces: the table then points at the new record and its key. */
    record_t *b2 = record_new(arena, 3, "call-b");
    sa_keytable_insert(table, b2);
    g_assert_cmpuint(sa_keytable_size(table), ==, 2);
    g_assert_true(sa_keytable_lookup(table, &kb) == b2);
    /* Removing the replaced record is refused; removing the current one works once. */
    g_assert_false(sa_keytable_remove(table, b));
    g_assert_true(sa_keytable_remove(table, b2));
    g_assert_false(sa_keytable_remove(table, b2));
    g_assert_null(sa_keytable_lookup(table, &kb));
    g_assert_cmpuint(sa_keytable_size(table), ==, 1);
    sa_keytable_free(table);
    sa_arena_free(arena);
}

/* Same hash, different bytes: found by comparing bytes; removing one in the middle of the run keeps the
 * ones after it reachable. */
static void
test_collisions_and_back_shift(void)
{
    sa_arena_t *arena = sa_arena_new();
    sa_keytable_t *table = sa_keytable_new(G_STRUCT_OFFSET(record_t, key));
    record_t *r[5];
    for (int i = 0; i < 5; i++) {
        char text[8];
        g_snprintf(text, sizeof text, "k%d", i);
        r[i] = record_new(arena, i, text);
        colliding_key(r[i]);
        sa_keytable_insert(table, r[i]);
    }
    g_assert_true(sa_keytable_remove(table, r[1]));
    g_assert_true(sa_keytable_remove(table, r[3]));
    for (int i = 0; i < 5; i++) {
        sa_key_t key = r[i]->key;
        g_assert_true(sa_keytable_lookup(table, &key) == (i == 1 || i == 3 ? NULL : r[i]));
    }
    g_assert_cmpuint(sa_keytable_size(table), ==, 3);
    sa_keytable_free(table);
    sa_arena_free(arena);
}

/* Runs wrapping past the last slot: hashes just below the capacity. */
static void
test_wrap_around(void)
{
    sa_arena_t *arena = sa_arena_new();
    sa_keytable_t *table = sa_keytable_new(G_STRUCT_OFFSET(record_t, key));
    guint32 last = sa_keytable_capacity(table) - 1;
    record_t *r[6];
    for (int i = 0; i < 6; i++) {
        char text[8];
        g_snprintf(text, sizeof text, "w%d", i);
        r[i] = record_new(arena, i, text);
        r[i]->key.hash = last - (guint32)(i % 3);   /* homes at the last three slots */
        sa_keytable_insert(table, r[i]);
    }
    for (int gone = 0; gone < 6; gone += 2) {
        g_assert_true(sa_keytable_remove(table, r[gone]));
        for (int i = 0; i < 6; i++) {
            sa_key_t key = r[i]->key;
            gboolean removed = i % 2 == 0 && i <= gone;
            g_assert_true(sa_keytable_lookup(table, &key) == (removed ? NULL : r[i]));
        }
    }
    sa_keytable_free(table);
    sa_arena_free(arena);
}

/* Random inserts and removals against GHashTable as the reference, through several growths. */
static void
test_random_against_ghashtable(void)
{
    sa_arena_t *arena = sa_arena_new();
    sa_keytable_t *table = sa_keytable_new(G_STRUCT_OFFSET(record_t, key));
    GHashTable *reference = g_hash_table_new(g_str_hash, g_str_equal);
    GRand *rand = g_rand_new_with_seed(4);
    for (int step = 0; step < 200000; step++) {
        char text[16];
        guint32 n = (guint32)g_rand_int_range(rand, 0, 20000);
        g_snprintf(text, sizeof text, "key%u", n);
        sa_key_t key = key_for(text);
        /* A quarter of the keys share 256 hashes: long runs, as a hostile capture could force. */
        if (n % 4 == 0)
            key.hash &= 0xff;
        record_t *expected = g_hash_table_lookup(reference, text);
        g_assert_true(sa_keytable_lookup(table, &key) == expected);
        if (expected && g_rand_boolean(rand)) {
            g_assert_true(sa_keytable_remove(table, expected));
            g_hash_table_remove(reference, expected->bytes);
        } else if (expected == NULL) {
            record_t *r = record_new(arena, step, text);
            r->key.hash = key.hash;
            sa_keytable_insert(table, r);
            g_hash_table_insert(reference, r->bytes, r);
        }
        g_assert_cmpuint(sa_keytable_size(table), ==, g_hash_table_size(reference));
    }
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init(&iter, reference);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        record_t *r = value;
        g_assert_true(sa_keytable_lookup(table, &r->key) == r);
    }
    /* At most 70 % full. */
    g_assert_cmpuint(sa_keytable_size(table) * 10, <=, sa_keytable_capacity(table) * 7);
    g_rand_free(rand);
    g_hash_table_destroy(reference);
    sa_keytable_free(table);
    sa_arena_free(arena);
}

static void
test_arena(void)
{
    sa_arena_t *arena = sa_arena_new();
    g_assert_cmpuint(sa_arena_footprint(arena), ==, 0);
    char *previous = NULL;
    for (int i = 0; i < 10000; i++) {
        gsize size = (gsize)(i % 300) + 1;
        char *p = sa_arena_alloc0(arena, size);
        g_assert_cmpuint((guintptr)p % 16, ==, 0);
        for (gsize j = 0; j < size; j++)
            g_assert_cmpint(p[j], ==, 0);
        memset(p, 0xAB, size);
        g_assert_true(p != previous);
        previous = p;
    }
    /* A record larger than a block gets a block of its own. */
    char *big = sa_arena_alloc0(arena, 200 * 1024);
    big[200 * 1024 - 1] = 1;
    /* Blocks double from 64 KiB: what is taken stays within twice what is used. */
    g_assert_cmpuint(sa_arena_footprint(arena), >=, 10000 * 150 + 200 * 1024);
    g_assert_cmpuint(sa_arena_footprint(arena), <, 2 * (10000 * 190 + 200 * 1024));
    sa_arena_free(arena);
}

/* Large blocks are aligned for huge pages; small ones are plain heap blocks. */
static void
test_large_alloc(void)
{
    gsize sizes[] = { 100, 2 * 1024 * 1024, 5 * 1024 * 1024 + 3 };
    for (gsize i = 0; i < G_N_ELEMENTS(sizes); i++) {
        char *block = sa_large_alloc(sizes[i]);
        g_assert_nonnull(block);
        if (sizes[i] >= 2 * 1024 * 1024)
            g_assert_cmpuint((guintptr)block % (2 * 1024 * 1024), ==, 0);
        memset(block, 0x5A, sizes[i]);
        g_assert_cmpint(block[sizes[i] - 1], ==, 0x5A);
        sa_large_free(block);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/keytable/insert_lookup_replace", test_insert_lookup_replace);
    g_test_add_func("/keytable/collisions_and_back_shift", test_collisions_and_back_shift);
    g_test_add_func("/keytable/wrap_around", test_wrap_around);
    g_test_add_func("/keytable/random_against_ghashtable", test_random_against_ghashtable);
    g_test_add_func("/arena/aligned_zeroed_blocks", test_arena);
    g_test_add_func("/arena/large_blocks", test_large_alloc);
    return g_test_run();
}
