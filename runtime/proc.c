/*
** proc.c
** The pid table, spawning, process start and exit, exit signals, calling
** a function with an argument vector, and finding old code on a stack (by
** frames.c's walk).
*/
#include "proc.h"
#include "stacktrace.h"
#include "frames.h"
#include "monitor.h"
#include "procmem.h"
#include "purgescan.h"
#include "dist/dist.h"
#include "sched.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void (*proc_exit_hook)(Proc *p, Term reason);
void (*proc_error_hook)(Proc *p, Term reason);

/* ========================================================= pid table */

/* Invariant: every live process is in buckets[pid_number % nbuckets] and on
** the all-list (ascending pid order, since pids only grow); count <= nbuckets. */
static struct {
    Proc **buckets;
    size_t nbuckets, count;
    Proc all; /* sentinel of the all-processes list */
    uint64_t next_pid;
    size_t limit;                 /* proc_limit */
    uint64_t retired_reductions;  /* of the processes freed so far */
} tab;

void proc_init(void)
{
    if (tab.buckets)
        return;
    tab.nbuckets = 1024;
    tab.buckets = calloc(tab.nbuckets, sizeof *tab.buckets);
    tab.all.all_next = tab.all.all_prev = &tab.all;
    tab.next_pid = 80; /* erl's first user processes are numbered about here */
    tab.limit = PROC_DEFAULT_LIMIT;
    exc_uncaught_ = NULL;
}

static void table_grow(void)
{
    size_t n = tab.nbuckets * 2;
    Proc **b = calloc(n, sizeof *b);
    if (!b)
        return; /* longer chains, still correct */
    for (Proc *p = tab.all.all_next; p != &tab.all; p = p->all_next) {
        size_t i = pid_number(p->pid) & (n - 1);
        p->hash_next = b[i];
        b[i] = p;
    }
    free(tab.buckets);
    tab.buckets = b;
    tab.nbuckets = n;
}

static void table_add(Proc *p)
{
    if (tab.count >= tab.nbuckets)
        table_grow();
    size_t i = pid_number(p->pid) & (tab.nbuckets - 1);
    p->hash_next = tab.buckets[i];
    tab.buckets[i] = p;
    p->all_prev = tab.all.all_prev;
    p->all_next = &tab.all;
    tab.all.all_prev->all_next = p;
    tab.all.all_prev = p;
    tab.count++;
}

static void table_remove(Proc *p)
{
    Proc **link = &tab.buckets[pid_number(p->pid) & (tab.nbuckets - 1)];
    while (*link && *link != p)
        link = &(*link)->hash_next;
    if (!*link)
        return;
    *link = p->hash_next;
    p->all_prev->all_next = p->all_next;
    p->all_next->all_prev = p->all_prev;
    p->all_next = p->all_prev = NULL;
    tab.count--;
}

Proc *proc_find(Term pid)
{
    if (!erl_is_pid(pid) || !tab.buckets)
        return NULL;
    for (Proc *p = tab.buckets[pid_number(pid) & (tab.nbuckets - 1)]; p; p = p->hash_next)
        if (p->pid == pid)
            return p;
    return NULL;
}

Proc *proc_current(void)
{
    return sched_current;
}

Proc *proc_first(void)
{
    return tab.all.all_next == &tab.all ? NULL : tab.all.all_next;
}

Proc *proc_next(Proc *p)
{
    return p->all_next == &tab.all ? NULL : p->all_next;
}

size_t proc_count(void)
{
    return tab.count;
}

size_t proc_limit(void)
{
    return tab.limit;
}

void proc_set_limit(size_t n)
{
    tab.limit = n;
}

uint64_t proc_retired_reductions(void)
{
    return tab.retired_reductions;
}

/* ============================================================ calling */

static Term call_fn(void *fn, int argc, const Term *a)
{
    switch (argc) {
    case 0: return ((ErlFn0)fn)();
    case 1: return ((ErlFn1)fn)(a[0]);
    case 2: return ((ErlFn2)fn)(a[0], a[1]);
    case 3: return ((ErlFn3)fn)(a[0], a[1], a[2]);
    case 4: return ((ErlFn4)fn)(a[0], a[1], a[2], a[3]);
    case 5: return ((ErlFn5)fn)(a[0], a[1], a[2], a[3], a[4]);
    case 6: return ((ErlFn6)fn)(a[0], a[1], a[2], a[3], a[4], a[5]);
    case 7: return ((ErlFn7)fn)(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    default: return ((ErlFn8)fn)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    }
}

Term proc_apply(void *fn, int argc, const Term *argv)
{
    return call_fn(fn, argc, argv);
}

/* ========================================================== spawning */

Proc *proc_spawn(void *fn, int argc, const Term *argv, size_t stack_size)
{
    if (argc < 0 || argc > PROC_MAX_ARGS)
        return NULL;
    if (tab.count >= tab.limit) {
        errno = EAGAIN;
        return NULL;
    }
    void *inline_mem;
    Proc *p = procmem_alloc(&inline_mem);
    if (!p)
        return NULL;
    /* memory: a default-sized stack is taken from the pool when the process
    ** first runs (proc_stack_ready_), so a process that never runs, or
    ** hibernates at once, never holds one. A larger one (the shell's) is
    ** mapped now: refused, it is spawn's error, and a process that dies
    ** hands its address space straight to its successor. */
    p->stack.size = stack_size ? stack_size : STACK_DEFAULT_SIZE;
    if (p->stack.size != STACK_DEFAULT_SIZE && !stack_get(&p->stack, p->stack.size)) {
        int e = errno;
        procmem_free(p);
        errno = e;
        return NULL;
    }
    p->pid = pid_make(tab.next_pid++);
    p->state = PS_WAITING;
    heap_init_inline(&p->heap, inline_mem, PROCMEM_INLINE_BYTES);
    mbox_init(&p->mbox);
    p->entry_fn = fn;
    p->argc = argc;
    for (int i = 0; i < argc; i++)
        p->argv[i] = term_copy(&p->heap, argv[i]);
    p->name = ERL_NONE;
    p->pending_exit = ERL_NONE;
    p->dict = ERL_NIL;
    p->exit_reason = ERL_NONE;
    p->parent = sched_current ? sched_current->pid : AM_undefined;
    p->timer.index = SIZE_MAX;
    p->timer.proc = p;
    table_add(p);
    purgescan_add(p);
    sched_make_runnable(p);
    return p;
}

/* The exit reason for an exception nothing caught (erl: {Reason, Stack}
** for errors, {{nocatch, T}, Stack} for throws, the reason for exits). */
static Term uncaught_reason(const ErlException *e)
{
    Heap *h = heap_current();
    if (e->cls == AM_exit)
        return e->reason;
    Term stack = stacktrace_build(h, e);
    Term reason = e->reason;
    if (e->cls == AM_throw)
        reason = term_tuple(h, 2, (Term[]){erl_atom("nocatch"), e->reason});
    return term_tuple(h, 2, (Term[]){reason, stack});
}

/* Every process starts here, on its fresh stack, with an empty frame chain. */
void proc_start_(void)
{
    sched_entered_();
    Proc *p = sched_current;
    volatile Term reason = AM_normal;
    ErlCatch c;
    if (exc_try(&c) == 0) {
        proc_apply(p->entry_fn, p->argc, p->argv);
        exc_end(&c);
    } else {
        ErlException e;
        exc_caught(&c, &e);
        reason = uncaught_reason(&e);
        if (e.cls != AM_exit && proc_error_hook)
            proc_error_hook(p, reason);
    }
    proc_exit_self(reason);
}

/* =========================================================== exiting */

/* Everything but freeing memory: after this p is dead to the world. */
static void teardown(Proc *p, Term reason)
{
    sched_forget_(p);
    p->state = PS_EXITING;
    p->exit_reason = reason;
    if (p->name != ERL_NONE)
        proc_unregister(p->name);
    table_remove(p);
    purgescan_remove(p);
    monitor_proc_exited(p, reason);
    link_proc_exited(p, reason);
    dist_proc_exited(p->pid, reason); /* links and monitors across nodes */
    if (proc_exit_hook)
        proc_exit_hook(p, reason);
}

void proc_free_(Proc *p)
{
    tab.retired_reductions += p->reductions;
    mbox_clear(&p->mbox); /* its nodes back to the pool */
    heap_destroy(&p->heap);
    free(p->links);
    stack_put(&p->stack);
    procmem_free(p);
}

bool proc_stack_ready_(Proc *p)
{
    if (p->stack.base)
        return true;
    return stack_get(&p->stack, p->stack.size);
}

bool proc_stack_at_hand_(Proc *p)
{
    return p->stack.base || stack_get_pooled(&p->stack, p->stack.size);
}

void proc_fail_start_(Proc *p)
{
    teardown(p, AM_system_limit);
    proc_free_(p);
}

void proc_exit_self(Term reason)
{
    Proc *p = sched_current;
    teardown(p, reason);
    sched_leave();
}

void proc_signal_exit(Proc *p, Term from, Term reason)
{
    if (p->state == PS_EXITING)
        return;
    if (reason == AM_kill) {
        reason = AM_killed;
    } else if (p->trap_exit) {
        Heap *h = &p->heap;
        mbox_put(&p->mbox, h, term_tuple(h, 3, (Term[]){AM_EXIT, from, reason}));
        sched_make_runnable(p);
        return;
    } else if (reason == AM_normal && from != p->pid) {
        return;
    }
    if (p == sched_current || p->defer_exit) {
        if (p->pending_exit == ERL_NONE)
            p->pending_exit = term_copy(&p->heap, reason);
        if (p != sched_current)
            sched_make_runnable(p);
        return;
    }
    teardown(p, reason);
    proc_free_(p);
}

void proc_check_signals(void)
{
    Proc *p = sched_current;
    if (p && p->pending_exit != ERL_NONE) {
        Term reason = p->pending_exit;
        p->pending_exit = ERL_NONE;
        exc_raise(AM_exit, reason, ERL_NONE);
    }
}

/* ================================================ old-code detection */

struct Collect {
    uintptr_t *out;
    int n, max;
};

static bool collect(uintptr_t addr, void *ctx)
{
    struct Collect *c = ctx;
    c->out[c->n++] = addr;
    return c->n == c->max;
}

int proc_return_addresses(Proc *p, uintptr_t *out, int max)
{
    struct Collect c = {out, 0, max};
    if (max > 0)
        frames_walk(p, collect, &c);
    return c.n;
}
