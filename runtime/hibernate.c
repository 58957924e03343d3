/*
** hibernate.c
** erlang:hibernate(M, F, A): the process's call stack is discarded, its
** heap collected from its exact roots (nothing on the stack survives), its
** stack pages given back; it waits (status waiting, current_function
** {erlang,hibernate,3}) and the next message, or one already queued, starts
** it afresh on its stack in M:F(A...). When that returns, the process exits
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

/* The initial call process_info reports, kept across hibernation (it is
** computed from the entry function, which hibernation replaces). */
static void keep_initial_call(Proc *p)
{
    if (p->initial_mfa[0])
        return;
    Term r = export_apply(AM_erlang, erl_atom("process_info"), 2, (Term[]){p->pid, erl_atom("initial_call")});
    Term mfa = erl_is_tuple(r) ? erl_element(r, 2) : ERL_NONE;
    if (!erl_is_tuple(mfa))
        return;
    for (int i = 0; i < 3; i++)
        p->initial_mfa[i] = erl_element(mfa, i + 1); /* atoms and a small integer */
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
    uintptr_t base = (uintptr_t)p->stack.base;
    uintptr_t keep = ((uintptr_t)p->stack.base + p->stack.size - 1) & ~(uintptr_t)(sysconf(_SC_PAGESIZE) - 1);
    ASAN_UNPOISON(p->stack.base, p->stack.size); /* its frames are gone */
    if (keep > base)
        madvise(p->stack.base, keep - base, MADV_DONTNEED);
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
