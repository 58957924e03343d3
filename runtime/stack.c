/*
** stack.c
** Process stacks: carved from large slabs with a guard below each, and
** reused through a pool so most spawns touch no fresh memory.
**
** Guards are installed with MADV_GUARD_INSTALL where the kernel has it
** (Linux 6.13+): no extra mapping per stack, so a million processes fit
** under vm.max_map_count. Elsewhere each guard is an mprotect'ed range,
** which costs two mappings per stack and limits the process count to about
** 30 000 (mmap then fails, and spawn reports it).
*/
#include "stack.h"
#include "asan.h"
#include "buf.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* valgrind must know these are stacks, or it takes every switch for a
** wild jump of the stack pointer. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef VALGRIND_STACK_REGISTER
#define VALGRIND_STACK_REGISTER(lo, hi) 0
#define VALGRIND_STACK_DEREGISTER(id) ((void)(id))
#endif

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
#ifndef MADV_GUARD_REMOVE
#define MADV_GUARD_REMOVE 103
#endif

enum {
    SLAB_STACKS = 64,   /* default-sized stacks per slab mapping */
    POOL_RESIDENT = 16384 /* free stacks kept with their pages; beyond, pages go back */
};

/* Free default-sized stacks, most recently used first (their pages are the
** likeliest to be resident). Invariant: every entry's guard is in place. */
static Stack *pool;
static size_t pool_len, pool_cap;
static int guard_by_madvise = -1; /* unknown, yes, no */

static size_t page_size(void)
{
    static size_t ps;
    if (!ps)
        ps = (size_t)sysconf(_SC_PAGESIZE);
    return ps;
}

/* Makes [lo, lo + len) fault on any access. */
static bool install_guard(char *lo, size_t len)
{
    if (guard_by_madvise != 0) {
        if (madvise(lo, len, MADV_GUARD_INSTALL) == 0) {
            guard_by_madvise = 1;
            return true;
        }
        if (guard_by_madvise == 1)
            return false;
        guard_by_madvise = 0; /* an older kernel: fall back for good */
    }
    return mprotect(lo, len, PROT_NONE) == 0;
}

/* Makes [lo, lo + len), a part of a guard, usable again. */
static bool remove_guard(char *lo, size_t len)
{
    if (guard_by_madvise == 1)
        return madvise(lo, len, MADV_GUARD_REMOVE) == 0;
    return mprotect(lo, len, PROT_READ | PROT_WRITE) == 0;
}

static void pool_push(const Stack *s)
{
    if (pool_len == pool_cap) {
        pool_cap = pool_cap ? pool_cap * 2 : 256;
        pool = xrealloc(pool, pool_cap * sizeof *pool);
    }
    pool[pool_len++] = *s;
}

/* Maps a slab of default-sized stacks and pools them all. */
static bool new_slab(void)
{
    size_t stride = STACK_DEFAULT_SIZE + STACK_GUARD_SIZE;
    char *m = mmap(NULL, stride * SLAB_STACKS, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (m == MAP_FAILED)
        return false;
    for (int i = SLAB_STACKS - 1; i >= 0; i--) {
        char *lo = m + (size_t)i * stride;
        if (!install_guard(lo, STACK_GUARD_SIZE)) {
            int e = errno;
            if (i == SLAB_STACKS - 1) { /* nothing pooled from it yet */
                munmap(m, stride * SLAB_STACKS);
                errno = e;
                return false;
            }
            break; /* keep the stacks that did get their guard */
        }
        Stack s = {.base = lo + STACK_GUARD_SIZE, .size = STACK_DEFAULT_SIZE};
        s.valgrind_id = VALGRIND_STACK_REGISTER(s.base, (char *)s.base + s.size);
        pool_push(&s);
    }
    return true;
}

bool stack_get(Stack *s, size_t size)
{
    size_t ps = page_size();
    size = (size + ps - 1) & ~(ps - 1);
    if (size == STACK_DEFAULT_SIZE) {
        if (!pool_len && !new_slab())
            return false;
        *s = pool[--pool_len];
        s->opened = 0;
        ASAN_UNPOISON(s->base, s->size); /* frames of its last owner are gone */
        return true;
    }
    char *m = mmap(NULL, size + STACK_GUARD_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (m == MAP_FAILED)
        return false;
    if (!install_guard(m, STACK_GUARD_SIZE)) {
        int e = errno;
        munmap(m, size + STACK_GUARD_SIZE);
        errno = e;
        return false;
    }
    s->base = m + STACK_GUARD_SIZE;
    s->size = size;
    s->opened = 0;
    ASAN_UNPOISON(s->base, s->size); /* stale shadow of an earlier mapping here */
    s->valgrind_id = VALGRIND_STACK_REGISTER(s->base, (char *)s->base + size);
    return true;
}

bool stack_open_guard(Stack *s, size_t bytes)
{
    if (bytes > STACK_GUARD_SIZE / 2)
        return false; /* the rest must still stop frames up to STACK_CHECKED_FRAME */
    if (s->opened >= bytes)
        return true;
    if (!remove_guard((char *)s->base - bytes, bytes))
        return false;
    s->opened = bytes;
    return true;
}

void stack_put(Stack *s)
{
    if (!s->base)
        return;
    if (s->opened) {
        /* the frames run there are gone: their shadow, and the pages, too */
        ASAN_UNPOISON((char *)s->base - s->opened, s->opened);
        install_guard((char *)s->base - s->opened, s->opened);
        s->opened = 0;
    }
    if (s->size == STACK_DEFAULT_SIZE) {
        /* slab stacks are never unmapped; past a point their memory goes back */
        if (pool_len >= POOL_RESIDENT)
            madvise(s->base, s->size, MADV_DONTNEED);
        pool_push(s);
    } else {
        VALGRIND_STACK_DEREGISTER(s->valgrind_id);
        munmap((char *)s->base - STACK_GUARD_SIZE, s->size + STACK_GUARD_SIZE);
    }
    s->base = NULL;
    s->size = 0;
}

bool stack_in_guard(const Stack *s, const void *addr)
{
    uintptr_t a = (uintptr_t)addr, b = (uintptr_t)s->base;
    return s->base && a < b && a >= b - STACK_GUARD_SIZE;
}
