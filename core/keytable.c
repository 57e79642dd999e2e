/* Linear probing over {key address, hash} slots; deletion shifts the following entries back, so that
 * no tombstones accumulate in the challenge table, which loses an entry for each retry found. */
#include "keytable.h"
#include "arena.h"

#include <string.h>

#define SA_KEYTABLE_MIN_CAPACITY 1024

typedef struct {
    const sa_key_t *key;         /* NULL: empty */
    guint32         hash;
} slot_t;

struct sa_keytable {
    slot_t *slots;
    guint32 mask;                /* capacity - 1; the capacity is a power of two */
    guint   count;
    gsize   key_offset;          /* of the sa_key_t inside a record */
};

/* A multiplicative hash, eight bytes at a time: keys are hashed on every message. */
guint32
sa_key_hash_bytes(const char *bytes, gsize len)
{
    guint64 h = G_GUINT64_CONSTANT(0x9E3779B97F4A7C15) ^ len;
    while (len >= 8) {
        guint64 word;
        memcpy(&word, bytes, 8);
        h = (h ^ word) * G_GUINT64_CONSTANT(0xFF51AFD7ED558CCD);
        h ^= h >> 32;
        bytes += 8;
        len -= 8;
    }
    guint64 tail = 0;
    memcpy(&tail, bytes, len);
    h = (h ^ tail) * G_GUINT64_CONSTANT(0xC4CEB9FE1A85EC53);
    h ^= h >> 29;
    return (guint32)h;
}

sa_key_t
sa_key_make(const char *bytes, gsize len)
{
    sa_key_t key = { bytes, (guint32)len, sa_key_hash_bytes(bytes, len) };
    return key;
}

static slot_t *
new_slots(guint64 capacity)
{
    slot_t *slots = sa_large_alloc(capacity * sizeof(slot_t));
    memset(slots, 0, capacity * sizeof(slot_t));
    return slots;
}

sa_keytable_t *
sa_keytable_new(gsize key_offset)
{
    sa_keytable_t *table = g_new0(sa_keytable_t, 1);
    table->slots = new_slots(SA_KEYTABLE_MIN_CAPACITY);
    table->mask = SA_KEYTABLE_MIN_CAPACITY - 1;
    table->key_offset = key_offset;
    return table;
}

void
sa_keytable_free(sa_keytable_t *table)
{
    if (table == NULL)
        return;
    sa_large_free(table->slots);
    g_free(table);
}

static const sa_key_t *
key_of(const sa_keytable_t *table, gconstpointer record)
{
    return (const sa_key_t *)((const char *)record + table->key_offset);
}

static gpointer
record_of(const sa_keytable_t *table, const sa_key_t *key)
{
    return (char *)key - table->key_offset;
}

static gboolean
keys_equal(const sa_key_t *a, const sa_key_t *b)
{
    return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

/* The slot holding an equal key, or the empty slot where it would go. */
static guint32
find_slot(const sa_keytable_t *table, const sa_key_t *key)
{
    guint32 i = key->hash & table->mask;
    for (;;) {
        const slot_t *slot = &table->slots[i];
        if (slot->key == NULL || (slot->hash == key->hash && keys_equal(slot->key, key)))
            return i;
        i = (i + 1) & table->mask;
    }
}

/* At most 70 % full: probes stay short and growing keeps the table between 35 % and 70 % used. */
static void
grow_if_needed(sa_keytable_t *table)
{
    guint64 capacity = (guint64)table->mask + 1;
    if ((guint64)(table->count + 1) * 10 <= capacity * 7)
        return;
    if (capacity >= G_MAXUINT32 / 2)
        g_error("sa_keytable: too many keys");
    slot_t *old = table->slots;
    table->slots = new_slots(capacity * 2);
    table->mask = (guint32)(capacity * 2 - 1);
    for (guint64 i = 0; i < capacity; i++) {
        if (old[i].key == NULL)
            continue;
        guint32 j = old[i].hash & table->mask;
        while (table->slots[j].key)
            j = (j + 1) & table->mask;
        table->slots[j] = old[i];
    }
    sa_large_free(old);
}

gpointer
sa_keytable_lookup(const sa_keytable_t *table, const sa_key_t *key)
{
    const slot_t *slot = &table->slots[find_slot(table, key)];
    return slot->key ? record_of(table, slot->key) : NULL;
}

void
sa_keytable_insert(sa_keytable_t *table, gpointer record)
{
    grow_if_needed(table);
    const sa_key_t *key = key_of(table, record);
    slot_t *slot = &table->slots[find_slot(table, key)];
    if (slot->key == NULL)
        table->count++;
    slot->key = key;
    slot->hash = key->hash;
}

/* Whether the entry at from, whose home slot is home, may move back to the hole at hole. */
static gboolean
may_fill(guint32 hole, guint32 from, guint32 home)
{
    /* It may unless its home lies cyclically after the hole, up to where it sits. */
    if (hole <= from)
        return home <= hole || home > from;
    return home <= hole && home > from;
}

gboolean
sa_keytable_remove(sa_keytable_t *table, gconstpointer record)
{
    const sa_key_t *key = key_of(table, record);
    guint32 hole = find_slot(table, key);
    if (table->slots[hole].key == NULL || record_of(table, table->slots[hole].key) != record)
        return FALSE;
    for (guint32 from = (hole + 1) & table->mask; table->slots[from].key; from = (from + 1) & table->mask) {
        if (may_fill(hole, from, table->slots[from].hash & table->mask)) {
            table->slots[hole] = table->slots[from];
            hole = from;
        }
    }
    table->slots[hole].key = NULL;
    table->slots[hole].hash = 0;
    table->count--;
    return TRUE;
}

guint
sa_keytable_size(const sa_keytable_t *table)
{
    return table->count;
}

guint
sa_keytable_capacity(const sa_keytable_t *table)
{
    return table->mask + 1;
}
