/* Byte-string keys and the open-addressing table the tracker finds its transactions and challenges in. */
#ifndef SIPAUTH_KEYTABLE_H
#define SIPAUTH_KEYTABLE_H

#include <glib.h>

G_BEGIN_DECLS

/* A key: bytes (NUL-separated strings, binary numbers), their length and their hash, computed once. */
typedef struct {
    const char *bytes;
    guint32     len;
    guint32     hash;
} sa_key_t;

guint32 sa_key_hash_bytes(const char *bytes, gsize len);
/* The key of len bytes at bytes (not copied), hashed. */
sa_key_t sa_key_make(const char *bytes, gsize len);

/*
 * Maps keys to records that hold their own key at a fixed offset, so that a slot is only the key's
 * address and hash (16 bytes): a look-up compares hashes without leaving the slot array and reads
 * the record only on a hash match. Records and their key bytes must outlive their entry.
 */
typedef struct sa_keytable sa_keytable_t;

sa_keytable_t *sa_keytable_new(gsize key_offset);
void sa_keytable_free(sa_keytable_t *table);

gpointer sa_keytable_lookup(const sa_keytable_t *table, const sa_key_t *key);
/* Adds record under the key it holds, replacing a record with an equal key. */
void sa_keytable_insert(sa_keytable_t *table, gpointer record);
/* Removes the entry of an equal key if it is record; returns whether it did. */
gboolean sa_keytable_remove(sa_keytable_t *table, gconstpointer record);
guint sa_keytable_size(const sa_keytable_t *table);
/* Slots allocated, for memory accounting in tests. */
guint sa_keytable_capacity(const sa_keytable_t *table);

G_END_DECLS

#endif
