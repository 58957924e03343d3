/*
** stack_refill.c
** Ready-made stacks: slabs mapped, guarded and faulted in by a helper
** thread, so that a spawn onto fresh memory finds its stack ready.
**
** Making a stack costs its guard (a madvise) and the first touch of its top
** page, where the Proc lives (a page fault): on the machine this was
** measured on, about 1.2 and 2.4 us even batched, more than a whole spawn
** of BEAM. The helper thread does that work while the scheduler runs
** processes; when it falls behind (a burst of spawns), the scheduler makes
** a slab itself, so the two share the work rather than wait on each other.
** The thread never touches the pool (stack.c): it hands stacks over
** through 'ready' below, which the scheduler only ever tries to lock.
*/
#include "stack.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef VALGRIND_STACK_REGISTER
#define VALGRIND_STACK_REGISTER(lo, hi) 0
#endif

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* The helper's hand-over.
** Invariants: 'ready', 'nready', 'wanted' and 'refused' are touched under
** 'lock'; ready[0..nready) are stacks as stack_slab_new makes them, owned
** by nobody until taken; the thread runs in OS process 'owner' only (a
** forked child has no helper, and takes nothing). */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;   /* the scheduler took stacks: make more */
    Stack ready[STACK_REFILL_READY];
    int nready;
    bool wanted;           /* set by a take, cleared when the thread waits */
    bool started;
    pid_t owner;
} R = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* Address space for slabs, mapped RESERVE_SLABS slabs at a time: an mmap
** takes the address space's lock for writing, which would wait for the
** other thread's page population, so it is made rare.
** Invariant: [next, end) is mapped and no slab's yet; touched under 'lock'. */
enum { RESERVE_SLABS = 64 };
static struct {
    pthread_mutex_t lock;
    char *next, *end;
} A = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The address of a new slab of 'bytes', or NULL with errno set. */
static char *carve(size_t bytes)
{
    pthread_mutex_lock(&A.lock);
    if (A.next == A.end) {
        char *m = mmap(NULL, bytes * RESERVE_SLABS, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
        if (m == MAP_FAILED) {
            pthread_mutex_unlock(&A.lock);
            return NULL;
        }
        A.next = m;
        A.end = m + bytes * RESERVE_SLABS;
    }
    char *slab = A.next;
    A.next += bytes;
    pthread_mutex_unlock(&A.lock);
    return slab;
}

int stack_slab_new(Stack *out)
{
    size_t ps = (size_t)sysconf(_SC_PAGESIZE);
    size_t stride = STACK_DEFAULT_SIZE + STACK_GUARD_SIZE;
    char *m = carve(stride * STACK_SLAB);
    if (!m)
        return 0;
    char *lo[STACK_SLAB], *top[STACK_SLAB];
    for (int i = 0; i < STACK_SLAB; i++) {
        lo[i] = m + (size_t)i * stride;
        top[i] = lo[i] + stride - ps;
    }
    int n = stack_guards_install_(lo, STACK_SLAB);
    if (!n)
        return 0; /* the slab stays unused: the system refuses guards */
    /* the page the Proc and an idle process's frames take; when the kernel
    ** cannot (before Linux 5.14), the spawn's first touch faults it in */
    stack_advise_(top, ps, n, MADV_POPULATE_WRITE);
    for (int i = 0; i < n; i++) {
        Stack s = {.base = lo[i] + STACK_GUARD_SIZE, .size = STACK_DEFAULT_SIZE};
        s.valgrind_id = VALGRIND_STACK_REGISTER(s.base, (char *)s.base + s.size);
        out[i] = s;
    }
    return n;
}

/* The helper: keeps 'ready' full while the scheduler wants stacks; stops
** at the first slab the system refuses until the next take. */
static void *refill_main(void *arg)
{
    (void)arg;
    Stack got[STACK_SLAB];
    pthread_mutex_lock(&R.lock);
    for (;;) {
        while (!R.wanted || R.nready + STACK_SLAB > STACK_REFILL_READY) {
            R.wanted = false;
            pthread_cond_wait(&R.wake, &R.lock);
        }
        pthread_mutex_unlock(&R.lock);
        int n = stack_slab_new(got);
        pthread_mutex_lock(&R.lock);
        memcpy(R.ready + R.nready, got, (size_t)n * sizeof *got);
        R.nready += n;
        if (!n)
            R.wanted = false;
    }
    return NULL;
}

/* Starts the helper with every signal blocked: Ctrl-C, the watchdog and
** the faults of processes stay the scheduler's. */
static void start(void)
{
    R.started = true;
    R.owner = getpid();
    R.wanted = true;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t th;
    if (pthread_create(&th, NULL, refill_main, NULL) == 0)
        pthread_detach(th);
    else
        R.owner = 0; /* no helper: the scheduler makes every slab */
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

int stack_refill_take(Stack *out)
{
    if (!R.started) {
        start();
        return 0;
    }
    if (R.owner != getpid() || pthread_mutex_trylock(&R.lock) != 0)
        return 0;
    int n = R.nready;
    memcpy(out, R.ready, (size_t)n * sizeof *out);
    R.nready = 0;
    R.wanted = true;
    pthread_cond_signal(&R.wake);
    pthread_mutex_unlock(&R.lock);
    return n;
}
