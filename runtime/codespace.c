/*
** codespace.c
** The reserved range module images are carved from, in ascending order.
**
** Why: a purged image's addresses must never hold other code, or a stale
** function pointer kept by some process would silently run whatever was
** loaded there later. A range reserved once (PROT_NONE, MAP_NORESERVE: page
** tables and memory are spent only on the pages images use) and handed out
** by bumping a pointer gives that for CODESPACE_SIZE bytes of images —
** about a million loads of a small module — at the cost of one mapping.
** Retired images are remapped PROT_NONE in place, which the kernel merges
** with the reserved neighbours, so the number of mappings stays small.
*/
#include "codespace.h"

#include <stdint.h>
#include <sys/mman.h>

/* The range, and how much of it has been handed out. Only the code server
** allocates, from one thread at a time. */
static struct {
    uintptr_t base; /* 0: not reserved yet; 1: reservation failed */
    size_t used;
} space;

static void reserve(void)
{
    void *m = mmap(NULL, CODESPACE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    space.base = m == MAP_FAILED ? 1 : (uintptr_t)m;
}

bool codespace_owns(const void *mem, size_t size)
{
    uintptr_t a = (uintptr_t)mem;
    return space.base > 1 && a >= space.base && a + size <= space.base + CODESPACE_SIZE;
}

void *codespace_alloc(size_t size)
{
    if (!space.base)
        reserve();
    if (space.base > 1 && size <= CODESPACE_SIZE - space.used) {
        void *want = (void *)(space.base + space.used);
        void *m = mmap(want, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (m == MAP_FAILED)
            return NULL;
        space.used += size;
        return m;
    }
    void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return m == MAP_FAILED ? NULL : m;
}

int codespace_retire(void *mem, size_t size)
{
    /* a fresh inaccessible mapping in place: the pages are released, the
    ** range stays reserved */
    void *m = mmap(mem, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
        codespace_unmap(mem, size);
        return -1;
    }
    return 0;
}

void codespace_unmap(void *mem, size_t size)
{
    if (codespace_owns(mem, size))
        mmap(mem, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    else
        munmap(mem, size);
}
