/*
** hibernate.c
** erlang:hibernate(M, F, A): the process's call stack is discarded, its
** heap collected from its exact roots (nothing on the stack survives), its
** whole stack given back (its struct and first heap slots live in the
** Proc pool, procmem.h); it waits (status waiting, current_function
** {erlang,hibernate,3}) and the next message, or one already queued, starts
** it afresh in M:F(A...) on a stack taken then (any stack: nothing points
** into the one it left). When that returns, the process exits
** normal, as in Erlang.
*/
#include "hibernate.h"
#include "purgescan.h"
#include "bif.h"
#include "asan.h"
#include "error.h"
#include "export.h"
#include "gc.h"
#include "sched.h"

#include <sys/mman.h>
#include <unistd.h>

/* Where a hibernated process starts again: its entry function, with the
** arguments erl_hibernate left in argv. */
static Term resume(Term m, Term f, Term args)
{
    Proc *p = sched_current;
    p->hibernated = false;
    long n = term_list_length(args);
    Term small[PROC_MAX_ARGS + 1];
    Term *argv = n <= PROC_MAX_ARGS ? small : heap_alloc_words(&p->heap, (size_t)n);
    for (long i = 0; i < n; i++, args = erl_tl(args))
        argv[i] = erl_hd(args);
    return export_apply(m, f, (int)n, argv);
}

/* Where the initial call process_info reports is kept across hibernation
** (it is computed from the entry function, which hibernation replaces):
** argv[3..5], after resume's M, F, Args, as atoms and a small integer that
** the collector need not see. 0 in argv[3]: not known. */
enum { KEPT_MFA = 3 };

static void keep_initial_call(Proc *p)
{
    if (p->entry_fn == (void *)resume)
        return; /* hibernated before: kept already */
    Term r = export_apply(AM_erlang, erl_atom("process_info"), 2, (Term[]){p->pid, erl_atom("initial_call")});
    Term mfa = erl_is_tuple(r) ? erl_element(r, 2) : ERL_NONE;
    for (int i = 0; i < 3; i++)
        p->argv[KEPT_MFA + i] = erl_is_tuple(mfa) ? erl_element(mfa, i + 1) : 0;
}

Term hibernate_initial_call_(Heap *h, Proc *p)
{
    if (p->entry_fn != (void *)resume || !p->argv[KEPT_MFA])
        return ERL_NONE;
    return term_tuple(h, 3, p->argv + KEPT_MFA);
}

void erl_hibernate(Term m, Term f, Term args)
{
    Proc *p = sched_current;
    const Term argv[3] = {m, f, args};
    if (!erl_is_atom(m))
        exc_badarg("erlang:hibernate", 3, argv, "argument 1: not an atom");
    if (!erl_is_atom(f))
        exc_badarg("erlang:hibernate", 3, argv, "argument 2: not an atom");
    if (term_list_length(args) < 0)
        exc_badarg("erlang:hibernate", 3, argv,
                   erl_is_cons(args) ? "argument 3: not a proper list" : "argument 3: not a list");
    if (!p)
        exc_badarg("erlang:hibernate", 3, argv, NULL);
    proc_check_signals();
    keep_initial_call(p);
    p->entry_fn = (void *)resume;
    p->argc = 3;
    p->argv[0] = m;
    p->argv[1] = f;
    p->argv[2] = args;
    p->hibernated = true;
    p->exc_top = NULL;
    exc_top_ = NULL;
    gc_collect_exact(p);
    p->state = PS_WAITING;
    if (p->mbox.len)
        sched_make_runnable(p); /* a message is there already: at once */
    sched_restart_();
}

void hibernate_release_(Proc *p)
{
    /* its frames are gone: every page but the top one goes back now, the
    ** top one with the stack to the pool, whose next taker (often the
    ** next process to start) finds it resident, unless the pool holds
    ** enough resident stacks already (stack_put_cold) */
    size_t size = p->stack.size, ps = (size_t)sysconf(_SC_PAGESIZE);
    ASAN_UNPOISON(p->stack.base, size);
    if (size > ps)
        madvise(p->stack.base, size - ps, MADV_DONTNEED);
    stack_put_cold(&p->stack);
    p->stack.size = size; /* what it gets again when it wakes */
    /* its frames changed without it running: the purge scan looks again */
    purgescan_mark_ran(p);
}

static Term bif_hibernate(Term m, Term f, Term args)
{
    erl_hibernate(m, f, args);
}

void hibernate_init(void)
{
    export_builtin("erlang", "hibernate", 3, (void *)bif_hibernate);
}
