/*
** procmem.c
** The Proc pool: 1 MB chunks, 1 MB aligned, each holding N inline heap
** blocks (at its start, as many to a page as fit whole, so that no block
** straddles a 4 KB unit) and N Proc structs after them; slot i's struct and block are found from
** each other by arithmetic, so a Proc carries no pointer to its block.
** Freed structs go on a free list and are handed out again first; chunks
** are never unmapped (like BEAM's allocators, the pool keeps its peak).
*/
#include "procmem.h"
#include "proc.h"
#include "asan.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

enum {
    CHUNK_BYTES = 1 << 20,
    SLOT_BYTES = (sizeof(Proc) + 63) & ~(size_t)63, /* cache-line aligned: proc.h puts the hot fields in its first lines */
    BLOCKS_PER_PAGE = 4096 / PROCMEM_INLINE_BYTES, /* none straddles a page */
    /* slots per chunk: pages of blocks first, then structs */
    SLOTS = (CHUNK_BYTES - 4096) / (4096 / BLOCKS_PER_PAGE + SLOT_BYTES),
    STRUCTS_AT = (SLOTS + BLOCKS_PER_PAGE - 1) / BLOCKS_PER_PAGE * 4096
};

_Static_assert(PROCMEM_INLINE_BYTES % 64 == 0 && PROCMEM_INLINE_BYTES <= 4096, "blocks are 64-aligned");
_Static_assert(STRUCTS_AT + SLOTS * SLOT_BYTES <= CHUNK_BYTES, "a chunk holds its slots");

/* Invariants: every struct handed out and not freed lies in a chunk, at
** STRUCTS_AT + i * SLOT_BYTES; 'free' threads through freed structs (first
** word); [next, end) are the never-used slots of the newest chunk. */
static struct {
    Proc *free;
    char *next, *end;
    size_t live;
} pool;

static char *chunk_of(const void *p)
{
    return (char *)((uintptr_t)p & ~(uintptr_t)(CHUNK_BYTES - 1));
}

static void *block_of(Proc *p)
{
    char *c = chunk_of(p);
    size_t i = (size_t)((char *)p - c - STRUCTS_AT) / SLOT_BYTES;
    return c + i / BLOCKS_PER_PAGE * 4096 + i % BLOCKS_PER_PAGE * PROCMEM_INLINE_BYTES;
}

/* Maps a fresh chunk, aligned to its size. */
static bool chunk_new(void)
{
    char *m = mmap(NULL, 2 * CHUNK_BYTES, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED)
        return false;
    char *c = (char *)(((uintptr_t)m + CHUNK_BYTES - 1) & ~(uintptr_t)(CHUNK_BYTES - 1));
    if (c > m)
        munmap(m, (size_t)(c - m));
    munmap(c + CHUNK_BYTES, (size_t)(m + 2 * CHUNK_BYTES - (c + CHUNK_BYTES)));
    pool.next = c + STRUCTS_AT;
    pool.end = pool.next + SLOTS * SLOT_BYTES;
    return true;
}

Proc *procmem_alloc(void **inline_mem)
{
    Proc *p = pool.free;
    if (p) {
        ASAN_UNPOISON(p, sizeof *p);
        ASAN_UNPOISON(block_of(p), PROCMEM_INLINE_BYTES);
        pool.free = *(Proc **)p;
    } else {
        if (pool.next == pool.end && !chunk_new()) {
            errno = ENOMEM;
            return NULL;
        }
        p = (Proc *)pool.next;
        pool.next += SLOT_BYTES;
    }
    memset(p, 0, sizeof *p);
    *inline_mem = block_of(p);
    pool.live++;
    return p;
}

void procmem_free(Proc *p)
{
    ASAN_POISON(block_of(p), PROCMEM_INLINE_BYTES);
    *(Proc **)p = pool.free;
    pool.free = p;
    ASAN_POISON((char *)p + sizeof(Proc *), sizeof *p - sizeof(Proc *));
    pool.live--;
}

size_t procmem_live(void)
{
    return pool.live;
}
