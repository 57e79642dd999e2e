/* A bump allocator: the tracker's records are never freed one by one, so they share large blocks instead
 * of each taking a heap chunk among Wireshark's short-lived allocations. */
#include "arena.h"

#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

/* Under AddressSanitizer every record is followed by a poisoned red zone, so that the fuzzers still catch a
 * write past a record as they would past a heap chunk. */
#if defined(__SANITIZE_ADDRESS__)
#define SA_ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SA_ARENA_ASAN 1
#endif
#endif
#if defined(SA_ARENA_ASAN)
#include <sanitizer/asan_interface.h>
#define SA_ARENA_REDZONE 16
#else
#define ASAN_POISON_MEMORY_REGION(addr, size)   ((void)(addr), (void)(size))
#define ASAN_UNPOISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#define SA_ARENA_REDZONE 0
#endif

/* Blocks start small (a capture with a few SIP messages) and double up to 2 MiB. They are written in
 * order and read mostly near their end, so they take ordinary pages: with huge pages, perf showed the
 * kernel's clearing of each 2 MiB page on first touch cost more than the TLB misses it saved. */
#define SA_ARENA_FIRST_BLOCK (64 * 1024)
#define SA_ARENA_MAX_BLOCK   (2 * 1024 * 1024)
#define SA_HUGE_PAGE         (2 * 1024 * 1024)

typedef struct sa_arena_block sa_arena_block_t;
struct sa_arena_block {
    sa_arena_block_t *previous;
    gsize             size;
};

/* The header is padded so that the first record is aligned like the block itself. */
#define SA_ARENA_HEADER ((sizeof(sa_arena_block_t) + SA_ARENA_ALIGN - 1) & ~(gsize)(SA_ARENA_ALIGN - 1))

struct sa_arena {
    sa_arena_block_t *current;
    gsize             used;      /* bytes of current taken, its header included */
    gsize             next_size;
    gsize             footprint;
};

gpointer
sa_large_alloc(gsize size)
{
    if (size < SA_HUGE_PAGE)
        return g_malloc(size);
    void *block = NULL;
#if defined(G_OS_UNIX)
    if (posix_memalign(&block, SA_HUGE_PAGE, size) != 0)
        g_error("sa_large_alloc: out of memory for %" G_GSIZE_FORMAT " bytes", size);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    /* Only advice: where huge pages are off, this fails and nothing changes. */
    (void)madvise(block, size - size % SA_HUGE_PAGE, MADV_HUGEPAGE);
#endif
#else
    block = g_malloc(size);
#endif
    return block;
}

void
sa_large_free(gpointer block)
{
    free(block);
}

sa_arena_t *
sa_arena_new(void)
{
    sa_arena_t *arena = g_new0(sa_arena_t, 1);
    arena->next_size = SA_ARENA_FIRST_BLOCK;
    return arena;
}

void
sa_arena_free(sa_arena_t *arena)
{
    if (arena == NULL)
        return;
    while (arena->current) {
        sa_arena_block_t *previous = arena->current->previous;
        ASAN_UNPOISON_MEMORY_REGION(arena->current, arena->current->size);
        g_free(arena->current);
        arena->current = previous;
    }
    g_free(arena);
}

static void
add_block(sa_arena_t *arena, gsize at_least)
{
    gsize size = MAX(arena->next_size, SA_ARENA_HEADER + at_least);
    arena->next_size = MIN(arena->next_size * 2, SA_ARENA_MAX_BLOCK);
    sa_arena_block_t *block = g_malloc(size);
    block->previous = arena->current;
    block->size = size;
    arena->current = block;
    arena->used = SA_ARENA_HEADER;
    arena->footprint += size;
    ASAN_POISON_MEMORY_REGION((char *)block + SA_ARENA_HEADER, size - SA_ARENA_HEADER);
}

gpointer
sa_arena_alloc0(sa_arena_t *arena, gsize size)
{
    gsize rounded = (size + SA_ARENA_REDZONE + SA_ARENA_ALIGN - 1) & ~(gsize)(SA_ARENA_ALIGN - 1);
    if (rounded < size)
        g_error("sa_arena_alloc0: %" G_GSIZE_FORMAT " bytes", size);
    if (arena->current == NULL || arena->current->size - arena->used < rounded)
        add_block(arena, rounded);
    char *record = (char *)arena->current + arena->used;
    arena->used += rounded;
    ASAN_UNPOISON_MEMORY_REGION(record, size);
    memset(record, 0, size);
    return record;
}

gsize
sa_arena_footprint(const sa_arena_t *arena)
{
    return arena->footprint;
}
