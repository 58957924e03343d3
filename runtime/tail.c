/*
** tail.c
** Tail calls: checks and argument copying for erl_tail_call, and which
** frames it drops (the stack surgery itself is in tail_x86_64.S).
*/
#include "tail.h"
#include "sched.h"

#include <string.h>

void *tail_prepare(ErlExport *e, int argc, const Term *argv, Term args[PROC_MAX_ARGS], uintptr_t *frame)
{
    void *fn = erl_export_fn(e); /* undef is raised here, in the caller */
    if (argc < 0 || argc > PROC_MAX_ARGS)
        erl_error(AM_badarg);
    memset(args, 0, sizeof(Term) * PROC_MAX_ARGS);
    if (argc > 0)
        memcpy(args, argv, sizeof(Term) * (size_t)argc);
    /* The caller's frame must lie above this one, on the running stack:
    ** module code keeps a frame pointer (tcc always does). */
    uintptr_t fp = *frame, here = (uintptr_t)__builtin_frame_address(0);
    Proc *p = sched_current;
    uintptr_t top = p ? (uintptr_t)p->stack.base + p->stack.size : UINTPTR_MAX;
    if (fp <= here || fp + 16 > top || (fp & 7) != 0)
        erl_error(AM_badarg);
    while (((uintptr_t *)fp)[1] == (uintptr_t)tail_trampoline_return_)
        fp = ((uintptr_t *)fp)[0];
    *frame = fp;
    return fn;
}
