/*
** stack.c
** Process stacks: mmap with a guard page, and a pool of default-sized ones.
*/
#include "stack.h"
#include "asan.h"

#include <stdint.h>
#include <sys/mman.h>

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
#include <unistd.h>

enum { POOL_MAX = 4096 };

/* Free default-sized stacks, most recently used first (their pages are the
** likeliest to be resident). */
static Stack pool[POOL_MAX];
static size_t pool_len;

static size_t page_size(void)
{
    static size_t ps;
    if (!ps)
        ps = (size_t)sysconf(_SC_PAGESIZE);
    return ps;
}

bool stack_get(Stack *s, size_t size)
{
    size_t ps = page_size();
    size = (size + ps - 1) & ~(ps - 1);
    if (size == STACK_DEFAULT_SIZE && pool_len) {
        *s = pool[--pool_len];
        ASAN_UNPOISON(s->base, s->size); /* frames of its last owner are gone */
        return true;
    }
    char *m = mmap(NULL, size + ps, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (m == MAP_FAILED)
        return false;
    if (mprotect(m, ps, PROT_NONE) != 0) {
        munmap(m, size + ps);
        return false;
    }
    s->base = m + ps;
    s->size = size;
    s->valgrind_id = VALGRIND_STACK_REGISTER(s->base, (char *)s->base + size);
    return true;
}

void stack_put(Stack *s)
{
    if (!s->base)
        return;
    if (s->size == STACK_DEFAULT_SIZE && pool_len < POOL_MAX) {
        pool[pool_len++] = *s;
    } else {
        size_t ps = page_size();
        VALGRIND_STACK_DEREGISTER(s->valgrind_id);
        munmap((char *)s->base - ps, s->size + ps);
    }
    s->base = NULL;
    s->size = 0;
}

bool stack_in_guard(const Stack *s, const void *addr)
{
    uintptr_t a = (uintptr_t)addr, b = (uintptr_t)s->base;
    return s->base && a < b && a >= b - page_size();
}
