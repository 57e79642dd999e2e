/* Memory that lives as long as the tracker: many small records, freed all at once. */
#ifndef SIPAUTH_ARENA_H
#define SIPAUTH_ARENA_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct sa_arena sa_arena_t;

sa_arena_t *sa_arena_new(void);
void sa_arena_free(sa_arena_t *arena);

/* Every record's alignment: the tracker keeps tags in the low bits of record addresses. */
#define SA_ARENA_ALIGN 16

/* size zeroed bytes, aligned to SA_ARENA_ALIGN bytes (enough for any record); valid until sa_arena_free. */
gpointer sa_arena_alloc0(sa_arena_t *arena, gsize size);

/* Bytes taken from the system, for memory accounting in tests. */
gsize sa_arena_footprint(const sa_arena_t *arena);

/*
 * A block for a large table, freed with sa_large_free. From 2 MiB on it is aligned to and advised for
 * huge pages where the system has them: the tracker reads its tables at random, and huge pages save
 * most of their TLB misses. Not zeroed.
 */
gpointer sa_large_alloc(gsize size);
void sa_large_free(gpointer block);

G_END_DECLS

#endif
