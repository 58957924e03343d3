/*
** stack.c
** Process stacks: carved from large slabs with a guard below each, reused
** through a pool that keeps their pages, which go back to the system in
** idle time (stack_idle), a batch at a time.
**
** Guards are installed with MADV_GUARD_INSTALL where the kernel has it
** (Linux 6.13+): no extra mapping per stack, so a million processes fit
** under vm.max_map_count. Elsewhere each guard is an mprotect'ed range,
** which costs two mappings per stack and limits the process count to about
** 30 000 (mmap then fails, and spawn reports it).
**
** Why pages are kept: giving a stack's pages back when its process exits
** (MADV_DONTNEED) costs a system call per kill, and the next spawn onto
** that stack a page fault; on the machine this was measured on the two
** came to more than a whole spawn and kill of BEAM. Kept, a kill is a push
** on the pool and a spawn a pop.
*/
#include "stack.h"
#include "asan.h"
#include "buf.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
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
#define RUNNING_ON_VALGRIND 0
#endif

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_GUARD_REMOVE
#define MADV_GUARD_REMOVE 103
#endif

enum {
    RELEASE_BATCH = 8192, /* stacks whose pages one stack_idle call gives back */
    ADVISE_BATCH = 512    /* ranges per process_madvise call (IOV_MAX is 1024) */
};

/* Free default-sized stacks, most recently used last (their pages are the
** likeliest to be resident).
** Invariants: every entry's guard is in place; entries [0, released) have
** had their pages given back, entries [released, len) may hold pages;
** 'ops' counts gets and puts, so that stack_idle sees whether the pool was
** left alone since it last looked ('seen_ops' at 'seen_ms'). */
static struct {
    Stack *s;
    size_t len, cap;
    size_t released;
    uint64_t ops, seen_ops, seen_ms;
} pool;

static atomic_int guard_by_madvise = -1; /* unknown, yes, no */

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
    int how = atomic_load(&guard_by_madvise);
    if (how != 0) {
        if (madvise(lo, len, MADV_GUARD_INSTALL) == 0) {
            atomic_store(&guard_by_madvise, 1);
            return true;
        }
        if (how == 1)
            return false;
        atomic_store(&guard_by_madvise, 0); /* an older kernel: fall back for good */
    }
    return mprotect(lo, len, PROT_NONE) == 0;
}

int stack_guards_install_(char *const *lo, int n)
{
    if (n <= 0 || !install_guard(lo[0], STACK_GUARD_SIZE))
        return 0; /* the first also settles which way guards are made */
    if (atomic_load(&guard_by_madvise) == 1 &&
        stack_advise_(lo + 1, STACK_GUARD_SIZE, n - 1, MADV_GUARD_INSTALL))
        return n;
    int i = 1;
    while (i < n && install_guard(lo[i], STACK_GUARD_SIZE))
        i++;
    return i;
}

/* Makes [lo, lo + len), a part of a guard, usable again. */
static bool remove_guard(char *lo, size_t len)
{
    if (atomic_load(&guard_by_madvise) == 1)
        return madvise(lo, len, MADV_GUARD_REMOVE) == 0;
    return mprotect(lo, len, PROT_READ | PROT_WRITE) == 0;
}

bool stack_advise_(char *const *lo, size_t len, int n, int advice)
{
    /* process_madvise on our own process takes every advice since Linux
    ** 6.13, PIDFD_SELF since 6.15; valgrind 3.19 does not know the call */
    static atomic_int batched = 1;
    int i = 0;
    if (atomic_load(&batched) && !RUNNING_ON_VALGRIND) {
        struct iovec v[ADVISE_BATCH];
        while (i < n) {
            int k = n - i < ADVISE_BATCH ? n - i : ADVISE_BATCH;
            for (int j = 0; j < k; j++)
                v[j] = (struct iovec){.iov_base = lo[i + j], .iov_len = len};
            long done = syscall(SYS_process_madvise, -10000 /* PIDFD_SELF */, v, (size_t)k, advice, 0u);
            if (done != (long)(len * (size_t)k)) {
                if (done < 0)
                    atomic_store(&batched, 0);
                break; /* the rest one range at a time (advice is idempotent) */
            }
            i += k;
        }
    }
    bool ok = true;
    for (; i < n; i++)
        ok &= madvise(lo[i], len, advice) == 0;
    return ok;
}

static void pool_push(const Stack *s)
{
    if (pool.len == pool.cap) {
        pool.cap = pool.cap ? pool.cap * 2 : 256;
        pool.s = xrealloc(pool.s, pool.cap * sizeof *pool.s);
    }
    pool.s[pool.len++] = *s;
}

/* Fills the pool when it is empty: ready-made stacks if the helper has
** some, else a slab made here. */
static bool pool_fill(void)
{
    Stack got[STACK_REFILL_READY];
    int n = stack_refill_take(got);
    if (!n)
        n = stack_slab_new(got);
    if (!n)
        return false;
    /* the last taken is used first */
    for (int i = n - 1; i >= 0; i--)
        pool_push(&got[i]);
    return true;
}

/* When the stacks left in the pool are all released ones: faults in the
** top pages of the next STACK_SLAB of them, in one batched call rather than
** one page fault per spawn. */
static void repopulate(void)
{
    int k = pool.released < STACK_SLAB ? (int)pool.released : STACK_SLAB;
    char *top[STACK_SLAB];
    size_t ps = page_size();
    for (int i = 0; i < k; i++) {
        const Stack *e = &pool.s[pool.released - 1 - (size_t)i];
        top[i] = (char *)e->base + e->size - ps;
    }
    stack_advise_(top, ps, k, MADV_POPULATE_WRITE);
    pool.released -= (size_t)k;
}

bool stack_get(Stack *s, size_t size)
{
    size_t ps = page_size();
    size = (size + ps - 1) & ~(ps - 1);
    if (size == STACK_DEFAULT_SIZE) {
        /* released stacks are taken before new ones are made (each costs
        ** a page fault now), or address space would grow with every burst */
        if (!pool.len && !pool_fill())
            return false;
        if (pool.len == pool.released)
            repopulate();
        pool.ops++;
        *s = pool.s[--pool.len];
        if (pool.released > pool.len)
            pool.released = pool.len;
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

bool stack_get_pooled(Stack *s, size_t size)
{
    if (size != STACK_DEFAULT_SIZE || pool.len == pool.released)
        return false;
    pool.ops++;
    *s = pool.s[--pool.len];
    s->opened = 0;
    ASAN_UNPOISON(s->base, s->size);
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
    s->opened = (uint32_t)bytes;
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
        /* slab stacks are never unmapped; their pages go back in idle time */
        pool.ops++;
        pool_push(s);
    } else {
        VALGRIND_STACK_DEREGISTER(s->valgrind_id);
        munmap((char *)s->base - STACK_GUARD_SIZE, s->size + STACK_GUARD_SIZE);
    }
    s->base = NULL;
    s->size = 0;
}

void stack_put_cold(Stack *s)
{
    if (s->size != STACK_DEFAULT_SIZE || pool.len - pool.released < STACK_KEEP_RESIDENT || s->opened) {
        stack_put(s);
        return;
    }
    /* enough stacks hold pages already: this one's go back now, and it
    ** joins the released part of the pool (at its boundary) */
    madvise(s->base, s->size, MADV_DONTNEED);
    pool.ops++;
    pool_push(s);
    Stack t = pool.s[pool.released];
    pool.s[pool.released] = pool.s[pool.len - 1];
    pool.s[pool.len - 1] = t;
    pool.released++;
    s->base = NULL;
    s->size = 0;
}

bool stack_in_guard(const Stack *s, const void *addr)
{
    uintptr_t a = (uintptr_t)addr, b = (uintptr_t)s->base;
    return s->base && a < b && a >= b - STACK_GUARD_SIZE;
}

/* ====================================================== lazy release */

/* Stacks whose pages stack_idle would give back now. */
static size_t releasable(void)
{
    size_t resident = pool.len - pool.released;
    return resident > STACK_KEEP_RESIDENT ? resident - STACK_KEEP_RESIDENT : 0;
}

void stack_idle(uint64_t now_ms)
{
    if (!releasable())
        return;
    if (pool.ops != pool.seen_ops) { /* used since the last look: wait */
        pool.seen_ops = pool.ops;
        pool.seen_ms = now_ms;
        return;
    }
    if (now_ms - pool.seen_ms < STACK_QUIET_MS)
        return;
    /* the oldest first: the bottom of the pool */
    size_t n = releasable();
    if (n > RELEASE_BATCH)
        n = RELEASE_BATCH;
    char *lo[ADVISE_BATCH];
    size_t from = pool.released;
    for (size_t done = 0; done < n;) {
        int k = 0;
        while (k < ADVISE_BATCH && done < n)
            lo[k++] = pool.s[from + done++].base;
        stack_advise_(lo, STACK_DEFAULT_SIZE, k, MADV_DONTNEED);
    }
    pool.released = from + n;
}

long stack_idle_timeout(uint64_t now_ms)
{
    if (!releasable())
        return -1;
    if (pool.ops != pool.seen_ops)
        return 0; /* stack_idle starts the quiet period */
    uint64_t due = pool.seen_ms + STACK_QUIET_MS;
    return now_ms >= due ? 0 : (long)(due - now_ms);
}

size_t stack_pooled(void)
{
    return pool.len;
}

size_t stack_pooled_resident(void)
{
    return pool.len - pool.released;
}
